// Runs the example of README.md as written, so the documentation cannot drift from the code.
import { readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, expect, it, vi } from "vitest"

const file = join(import.meta.dirname, ".readme-example.generated.ts")
afterAll(() => rmSync(file, { force: true }))

it("the README example runs and prints what it says", async () => {
  const readme = readFileSync(join(import.meta.dirname, "..", "README.md"), "utf8")
  writeFileSync(file, /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? "")
  const log = vi.spyOn(console, "log").mockImplementation(() => undefined)
  const module = (await import(file)) as { shares: ReadonlyArray<number>; approval: ReadonlyArray<number> }
  log.mockRestore()
  expect(module.shares).toEqual([5.4, 11.6, 0.6, 7.6, 3.4, 25.9, 45.5])
  expect(module.approval).toEqual([81.7, 76.2])
})
