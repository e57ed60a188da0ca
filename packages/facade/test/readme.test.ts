import { execFile } from "node:child_process"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { promisify } from "node:util"
import { describe, expect, it } from "vitest"

const root = join(import.meta.dirname, "..")
const readme = readFileSync(join(root, "README.md"), "utf8")
const example = readFileSync(join(root, "examples/quickstart.ts"), "utf8")

describe("README", () => {
  it("shows examples/quickstart.ts verbatim", () => {
    expect(readme).toContain("```ts\n" + example + "```")
  })

  it("prints what the README says it prints", async () => {
    const expected = /Output:\n\n```text\n([\s\S]*?)```/.exec(readme)?.[1]
    const tsx = join(root, "node_modules/.bin/tsx")
    const { stdout } = await promisify(execFile)(tsx, ["--conditions=@utblick/source", "examples/quickstart.ts"], {
      cwd: root
    })
    expect(stdout).toBe(expected)
  })
})
