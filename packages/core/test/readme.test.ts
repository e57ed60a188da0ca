// Runs the example of README.md as written, so the documentation cannot drift from the code.
import { readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, expect, it, vi } from "vitest"

const file = join(import.meta.dirname, ".readme-example.generated.ts")
afterAll(() => rmSync(file, { force: true }))

it("the README example runs and prints what it says", async () => {
  const readme = readFileSync(join(import.meta.dirname, "..", "README.md"), "utf8")
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1]
  expect(code).toBeDefined()
  writeFileSync(file, code as string)
  const log = vi.spyOn(console, "log").mockImplementation(() => undefined)
  const module = (await import(file)) as { result: { now: object; in2010: object; events: number } }
  log.mockRestore()
  expect(module.result.now).toEqual({ eu: 2, "regional-arctic": 1 })
  expect(module.result.in2010).toEqual({ eu: 1 })
  expect(module.result.events).toBe(3)
})
