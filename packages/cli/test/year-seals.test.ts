/**
 * Year seals belong to one log: two PostgreSQL logs used from the same working directory keep
 * their seals apart (in `./.utblick/<origin>/seals/`), as SQLite logs do beside their files.
 */
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { utblick } from "./process.js"
import { goodEvents, jsonl } from "./support.js"

const DATABASE_URL = process.env.DATABASE_URL

describe("year seals per log", () => {
  it.skipIf(DATABASE_URL === undefined)("two PostgreSQL logs in one working directory each have their own seal (needs DATABASE_URL)", () => {
    const dir = mkdtempSync(join(tmpdir(), "utblick-seals-"))
    const run = `${process.pid}_${Date.now().toString(36)}`
    const log = (name: string) => `${DATABASE_URL}${DATABASE_URL?.includes("?") ? "&" : "?"}schema=seals_${name}_${run}`
    const at = (store: string, ...args: Array<string>) => utblick(["--store", store, ...args], dir)
    writeFileSync(join(dir, "in.jsonl"), jsonl(goodEvents))
    for (const name of ["a", "b"]) {
      expect(at(log(name), "init", "--origin", `seals.test.example/${name}-${run}`).code).toBe(0)
      expect(at(log(name), "import", join(dir, "in.jsonl")).code).toBe(0)
    }
    const sealed = at(log("a"), "close-year", "2022", "--tenant", "lulea-kommun")
    expect(sealed.code).toBe(0)
    // The origin's folder: its name made file-safe, then a short hash of it.
    expect(sealed.stdout).toMatch(new RegExp(`kept at ${join(dir, ".utblick")}/seals\\.test\\.example_a-${run}-[0-9a-f]{8}/seals/`))
    expect(at(log("a"), "check-year", "2022", "--tenant", "lulea-kommun").code).toBe(0)
    const other = at(log("b"), "check-year", "2022", "--tenant", "lulea-kommun")
    expect(other.code).toBe(2)
    expect(other.stderr).toContain("2022 for lulea-kommun has not been sealed")
  }, 300_000)
})
