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
  const module = (await import(file)) as { result: Record<string, ReadonlyArray<string>> }
  log.mockRestore()
  expect(module.result).toEqual({
    members: ["Union of the Baltic Cities since 2003"],
    twinTownsNow: ["Zenica: dormant"],
    twinTownsIn2010: ["Zenica: active"]
  })
})
