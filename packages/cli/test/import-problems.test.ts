/**
 * A line with several problems is reported in full — each problem with its field, value and rule
 * — so that one round of fixes is enough; at most ten per line, then a count. The CLI runs as a
 * child process on a real SQLite file; the log must be unchanged (count and head hash).
 */
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { headOf, kommunstyrelsen, lulea, registerLulea, utblick, writeJsonl } from "./importProcess.js"
import { tempStore } from "./support.js"

const seeded = () => {
  const t = tempStore()
  const seed = join(t.dir, "seed.jsonl")
  writeJsonl(seed, [registerLulea])
  expect(utblick(["--store", t.store, "import", seed]).code).toBe(0)
  return { ...t, before: headOf(t.store) }
}

describe("a line with several problems", () => {
  it("names each of them with field, value and rule, and writes nothing", () => {
    const t = seeded()
    const file = join(t.dir, "members.jsonl")
    writeJsonl(file, [
      { _tag: "SignMembership", tenant: lulea, actor: kommunstyrelsen, occurredAt: "2003-01-01", actorId: "lulea-kommun", organisationId: "ubc", kind: "member" },
      // Four problems: a misspelt field, an impossible date, a kind that does not exist, and
      // organisationId left out.
      { _tag: "SignMembership", tenant: lulea, actor: kommunstyrelsen, occurredAt: "2022-02-30", actorId: "lulea-kommun", kind: "mars", decisonRef: "KS 2022/1" }
    ])
    const r = utblick(["--store", t.store, "import", file])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("1 line refused (1 of 2 commands); nothing was imported")
    const line2 = r.stderr.split("\n").filter((l) => l.trimStart().startsWith("line 2: "))
    expect(line2).toHaveLength(4)
    expect(r.stderr).toMatch(/line 2: SignMembership: decisonRef = "KS 2022\/1": SignMembership has no field "decisonRef" .*did you mean "decisionRef"\?/)
    expect(r.stderr).toMatch(/line 2: SignMembership: occurredAt = "2022-02-30": .*exist in the calendar/)
    expect(r.stderr).toMatch(/line 2: SignMembership: kind = "mars": Expected "member" \| "founder"/)
    expect(r.stderr).toMatch(/line 2: SignMembership: organisationId = \(missing\): Missing key/)
    expect(r.stderr).not.toMatch(/line 1: /)
    expect(headOf(t.store)).toEqual(t.before)
  }, 300_000)

  it("reports ten problems of one line and counts the rest, and still names the other bad lines", () => {
    const t = seeded()
    const file = join(t.dir, "typos.jsonl")
    const typos = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`extra${String(i).padStart(2, "0")}`, i]))
    writeFileSync(
      file,
      `${[
        JSON.stringify({ _tag: "SignMembership", tenant: lulea, actor: kommunstyrelsen, occurredAt: "2003-01-01", actorId: "lulea-kommun", organisationId: "ubc", kind: "member", ...typos }),
        JSON.stringify({ _tag: "SignMembership", tenant: lulea, actor: kommunstyrelsen, occurredAt: "2003-01-01", actorId: "lulea-kommun", organisationId: "sern", kind: "mars" })
      ].join("\n")}\n`
    )
    const r = utblick(["--store", t.store, "import", file])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("2 lines refused")
    // Twelve unknown fields: ten shown, then "2 more problems on this line".
    expect(r.stderr.split("\n").filter((l) => /line 1: SignMembership: extra\d\d = \d+: SignMembership has no field/.test(l))).toHaveLength(10)
    expect(r.stderr).toContain("line 1: SignMembership: (line) = : 2 more problems on this line")
    expect(r.stderr).toMatch(/line 2: SignMembership: kind = "mars"/)
    expect(headOf(t.store)).toEqual(t.before)
  }, 300_000)
})
