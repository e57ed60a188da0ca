/**
 * `utblick import` as an analyst drives it: a child process on a real SQLite file, several steps
 * in a row (import → import again → status/report). Expected figures are worked out by hand in
 * the comments, from the commands in the files.
 */
import { existsSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { tempStore } from "./support.js"
import {
  allot,
  assess,
  grant,
  headOf,
  kommunstyrelsen,
  receive,
  registerLulea,
  registerRegion,
  sign,
  utblick,
  writeJsonl
} from "./importProcess.js"

// Register (1 entry → 1 event), allot (1), then per application: receive (1), assess (1),
// grant (ProjectGranted on the application + BudgetReserved on the year's budget = 2).
const funding = [
  registerRegion,
  allot(2022, 1_000_000),
  receive("a-1", 600_000, "2022-02-01"),
  assess("a-1", "2022-02-10"),
  grant("a-1", 2022, 600_000, "2022-03-01", "RUN 00060-2022"),
  receive("a-2", 300_000, "2022-02-02"),
  assess("a-2", "2022-02-11"),
  grant("a-2", 2022, 300_000, "2022-03-02", "RUN 00061-2022")
]
const FUNDING_EVENTS = 1 + 1 + 2 * (1 + 1 + 2)

describe("one path in: every line is a command decided by the domain", () => {
  it("imports, refuses a file that breaks rules or the role policy without writing, and re-imports as a no-op", () => {
    const t = tempStore()
    expect(utblick(["--store", t.store, "init"]).code).toBe(0)
    const file = join(t.dir, "funding.jsonl")
    writeJsonl(file, funding)
    const first = utblick(["--store", t.store, "import", file])
    expect(first.stderr).toBe("")
    expect(first.code).toBe(0)
    expect(first.stdout).toContain(`Imported 8 commands: ${FUNDING_EVENTS} events`)
    const after = headOf(t.store)
    expect(after.events).toBe(FUNDING_EVENTS)
    const report = utblick(["--store", t.store, "report", "--year", "2022", "--tenant", "region-norrbotten", "--format", "json"])
    expect(report.code).toBe(0)

    // The same file again: nothing new, exit 0, the log and the indicators unchanged.
    const again = utblick(["--store", t.store, "import", file])
    expect(again.code).toBe(0)
    expect(again.stdout).toContain("already recorded: 8 of 8 commands; the log is unchanged")
    expect(headOf(t.store)).toEqual(after)
    const report2 = utblick(["--store", t.store, "report", "--year", "2022", "--tenant", "region-norrbotten", "--format", "json"])
    expect(JSON.parse(report2.stdout).indicators).toEqual(JSON.parse(report.stdout).indicators)

    // A file that breaks the rules: the budget cap (600 000 + 300 000 + 200 000 kr > 1 000 000 kr),
    // a grant by an officer (role policy), a membership signed by a traveller (role policy),
    // the same membership signed twice. Line numbers count from 1.
    const bad = join(t.dir, "bad.jsonl")
    writeJsonl(bad, [
      registerLulea, // 1
      receive("a-3", 200_000, "2022-04-01"), // 2
      assess("a-3", "2022-04-02"), // 3
      grant("a-3", 2022, 200_000, "2022-04-03", "RUN 00070-2022"), // 4: over the appropriation
      { ...grant("a-3", 2022, 100, "2022-04-04", "RUN 00071-2022"), actor: { id: "x", role: "officer" }, idempotencyKey: "k-5" }, // 5
      sign("ubc", "2003-01-01", { id: "anna", role: "traveller" }), // 6
      sign("ubc", "2003-02-01"), // 7
      sign("ubc", "2004-01-01") // 8: joined twice
    ])
    const refused = utblick(["--store", t.store, "import", bad])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain("4 lines refused (4 of 8 commands); nothing was imported")
    expect(refused.stderr).toMatch(/line 4: GrantProject: amount = 20000000: the year's grants would reach 110000000 öre, above the appropriation of 100000000 öre/)
    expect(refused.stderr).toMatch(/line 5: GrantProject: actor\.role = .*officer.*NotAuthorized/)
    expect(refused.stderr).toMatch(/line 6: SignMembership: actor\.role = .*traveller.*NotAuthorized/)
    expect(refused.stderr).toMatch(/line 8: SignMembership: organisationId = "ubc": an organisation cannot be joined twice/)
    expect(refused.stderr).not.toMatch(/line 7:/)
    expect(headOf(t.store)).toEqual(after)
  }, 300_000)

  it("same key, other content: a conflict that shows both values; nothing written", () => {
    const t = tempStore()
    const file = join(t.dir, "funding.jsonl")
    writeJsonl(file, funding)
    expect(utblick(["--store", t.store, "import", file, "--new-tenant", "region-norrbotten"]).code).toBe(0)
    const before = headOf(t.store)
    // The board's decision on a-2 (RUN 00061-2022) typed again with another amount.
    writeJsonl(file, [...funding.slice(0, 7), grant("a-2", 2022, 350_000, "2022-03-02", "RUN 00061-2022")])
    const r = utblick(["--store", t.store, "import", file])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/line 8: GrantProject: amount = 30000000 when recorded, 35000000 now: one key names one fact/)
    expect(r.stderr).toContain("IdempotencyConflict")
    expect(headOf(t.store)).toEqual(before)
  }, 300_000)

  it("event lines meet the same rules; audit export lines are refused with a pointer to restore", () => {
    const t = tempStore()
    const events = join(t.dir, "events.jsonl")
    const membershipSigned = (role: string) => ({
      type: "MembershipSigned",
      occurredAt: "2021-03-01",
      tenant: "lulea-kommun",
      actor: { id: "someone", role },
      decisionRef: "KS 2021/123",
      payload: { actorId: "lulea-kommun", organisationId: "ubc", kind: "member", joinedYear: 1991 }
    })
    const registry = {
      type: "ActorRegistered",
      occurredAt: "2020-01-01",
      tenant: "lulea-kommun",
      actor: { id: "registrar", role: "registrar" },
      decisionRef: null,
      payload: { actorId: "lulea-kommun", name: "Luleå kommun", kind: "municipality" }
    }
    writeJsonl(events, [registry, membershipSigned("traveller")])
    const refused = utblick(["--store", t.store, "import", events])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/line 2: SignMembership: actor\.role = "traveller"/)
    writeJsonl(events, [registry, membershipSigned("executive-board")])
    expect(utblick(["--store", t.store, "import", events]).code).toBe(0)
    const exported = join(t.dir, "export.jsonl")
    expect(utblick(["--store", t.store, "export", "--out", exported]).code).toBe(0)
    const fresh = tempStore()
    const r = utblick(["--store", fresh.store, "import", exported])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("line 1: (line)")
    expect(r.stderr).toContain("utblick restore")
  }, 300_000)

  it("known tenants only, unless the file registers the tenant or --new-tenant names it", () => {
    const t = tempStore()
    const file = join(t.dir, "m.jsonl")
    writeJsonl(file, [sign("ubc", "2003-01-01"), { ...sign("ubc", "2003-01-01"), tenant: "lulea-komun", actorId: "x" }])
    const r = utblick(["--store", t.store, "import", file])
    expect(r.code).toBe(2)
    // The refused import into a file that did not exist leaves no file behind.
    expect(existsSync(t.db)).toBe(false)
    expect(utblick(["--store", t.store, "import", file, "--dry-run", "--new-tenant", "lulea-kommun,lulea-komun"]).code).toBe(0)
    expect(existsSync(t.db)).toBe(false)
    expect(r.stderr).toMatch(/line 1: SignMembership: tenant = "lulea-kommun": is not a tenant of this log/)
    expect(r.stderr).toMatch(/line 2: SignMembership: tenant = "lulea-komun": is not a tenant of this log/)
    expect(utblick(["--store", t.store, "import", file, "--new-tenant", "lulea-kommun"]).stderr).toMatch(/line 2: .*"lulea-komun"/)
    writeJsonl(file, [registerLulea, sign("ubc", "2003-01-01", kommunstyrelsen)])
    expect(utblick(["--store", t.store, "import", file]).code).toBe(0)
    expect(headOf(t.store).events).toBe(3)
  }, 300_000)
})
