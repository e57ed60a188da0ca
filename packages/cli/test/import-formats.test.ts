/**
 * docs/reference/import-formats.md is generated from the command schemas and its examples run:
 * the JSON Lines example then the CSV example, through the CLI as a child process.
 */
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { render } from "../src/ImportFormats.js"
import { headOf, utblick } from "./importProcess.js"
import { tempStore } from "./support.js"

const page = readFileSync(join(import.meta.dirname, "../../../docs/reference/import-formats.md"), "utf8")
const block = (lang: string) => {
  const m = new RegExp("```" + lang + "\\n([\\s\\S]*?)```").exec(page)
  if (m === null) throw new Error(`no ${lang} example in the page`)
  return m[1] as string
}

describe("docs/reference/import-formats.md", () => {
  it("is up to date with the command schemas (regenerate with packages/cli/scripts/import-formats.ts)", () => {
    expect(page).toBe(render())
  })

  it("its examples import: 4 commands of JSON Lines, then the Swedish CSV grant", () => {
    const t = tempStore()
    const jsonl = join(t.dir, "example.jsonl")
    const csv = join(t.dir, "grants.csv")
    writeFileSync(jsonl, block("jsonl"))
    writeFileSync(csv, block("csv"))
    const a = utblick(["--store", t.store, "import", jsonl])
    expect(a.code).toBe(0)
    const b = utblick(["--store", t.store, "import", csv, "--kind", "grants", "--tenant", "region-norrbotten", "--actor", "region-norrbotten-run:regional-development-board"])
    expect(b.stderr).not.toContain("error")
    expect(b.code).toBe(0)
    // Register 1 + allot 1 + receive 1 + assess 1, then the grant: ProjectGranted + BudgetReserved.
    expect(headOf(t.store).events).toBe(6)
  }, 300_000)
})
