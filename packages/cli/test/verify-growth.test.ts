/**
 * Issue 11, items 1 and 2, driven through the real `utblick` process on real SQLite files:
 * every log has its own origin; `verify` against the checkpoints an auditor kept tells growth
 * (PASS, "grew by N") from tampering (FAIL naming the position or the range it must lie in).
 */
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { keepCheckpoints, rewriteHistory, sql, utblick } from "./process.js"
import { goodEvents, jsonl, tempStore } from "./support.js"

const more = [
  { ...goodEvents[1], payload: { organisationId: "sern", name: "SERN", focusArea: "eu" } },
  {
    ...goodEvents[2],
    occurredAt: "2022-05-01",
    decisionRef: "KS 2022/7",
    payload: { actorId: "lulea-kommun", organisationId: "sern", kind: "member" }
  }
]

describe("origins", () => {
  it("init takes --origin or generates a unique one; status shows it; a bad origin is refused", () => {
    const a = tempStore()
    const named = utblick(["--store", a.store, "init", "--origin", "audit.lulea.example/utblick"])
    expect(named.code).toBe(0)
    expect(named.stdout).toContain("(origin audit.lulea.example/utblick)")
    expect(utblick(["--store", a.store, "status"]).stdout).toMatch(
      /^origin {6}audit\.lulea\.example\/utblick$/m
    )
    const b = tempStore()
    const c = tempStore()
    const ob = /origin (utblick\.local\/[0-9a-f-]{36})\)/.exec(
      utblick(["--store", b.store, "init"]).stdout
    )?.[1]
    const oc = /origin (utblick\.local\/[0-9a-f-]{36})\)/.exec(
      utblick(["--store", c.store, "init"]).stdout
    )?.[1]
    expect(ob).toBeDefined()
    expect(oc).toBeDefined()
    expect(ob).not.toBe(oc)
    const bad = utblick(["--store", tempStore().store, "init", "--origin", "two words"])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--origin "two words" is not a log origin')
    // Re-initialising keeps the origin; another origin for the same file is refused.
    expect(utblick(["--store", a.store, "init"]).stdout).toContain("(origin audit.lulea.example/utblick)")
    const clash = utblick(["--store", a.store, "init", "--origin", "other.example/log"])
    expect(clash.code).toBe(2)
    expect(clash.stderr).toContain(
      'holds the log of origin "audit.lulea.example/utblick", not "other.example/log"'
    )
  }, 600_000)
})

describe("verify against what the auditor kept", () => {
  it("growth passes with the count; a rewrite fails with the range, a kept export names the position; rollback and forged tails", async () => {
    const t = tempStore()
    const kept = join(t.dir, "revisor") // the auditor's own folder, not beside the database
    expect(utblick(["--store", t.store, "init", "--origin", "audit.test.example/log"]).code).toBe(0)
    writeFileSync(join(t.dir, "a.jsonl"), jsonl(goodEvents))
    expect(utblick(["--store", t.store, "import", join(t.dir, "a.jsonl")]).code).toBe(0)
    expect(utblick(["keygen", "--name", "audit.test.example", "--out", join(t.dir, "k")]).code).toBe(0)
    const vkey = join(t.dir, "k.vkey")
    expect(utblick(["--store", t.store, "checkpoint", "--key", join(t.dir, "k")]).code).toBe(0)
    keepCheckpoints(t.db, kept)
    expect(utblick(["--store", t.store, "export", "--out", join(t.dir, "export-3.jsonl")]).code).toBe(0)

    // Legitimate growth: two more events after the checkpoint of 3.
    writeFileSync(join(t.dir, "b.jsonl"), jsonl(more))
    expect(utblick(["--store", t.store, "import", join(t.dir, "b.jsonl")]).code).toBe(0)
    const grown = utblick(["--store", t.store, "verify", "--trust", vkey, "--previous", kept])
    expect(grown.code).toBe(0)
    expect(grown.stdout).toContain("consistent (RFC 9162 consistency proof 3 → 5 verified)")
    expect(grown.stdout).toContain(
      `the log grew by 2 events since checkpoint ${join(kept, "000000000003.note")} (size 3); positions 3 to 4 are not yet covered by a signed checkpoint`
    )
    expect(grown.stdout).toContain("RESULT        PASS")

    // A second checkpoint covers the growth.
    expect(utblick(["--store", t.store, "checkpoint", "--key", join(t.dir, "k")]).code).toBe(0)
    keepCheckpoints(t.db, kept)
    const covered = utblick(["--store", t.store, "verify", "--trust", vkey, "--previous", kept, "--json"])
    expect(covered.code).toBe(0)
    const json = JSON.parse(covered.stdout)
    expect(json.ok).toBe(true)
    expect(json.kept.consistent.map((c: { size: number; grewBy: number }) => [c.size, c.grewBy])).toEqual([
      [3, 2],
      [5, 0]
    ])

    // A forged event appended with a wrong hash breaks the chain at its exact position.
    const copy = join(t.dir, "copy.db")
    writeFileSync(copy, readFileSync(t.db))
    await sql(
      copy,
      "INSERT INTO events SELECT 5, 'forged-id', stream_id, 99, type, tenant, occurred_at, recorded_at, body, hash, hash FROM events WHERE position = 4"
    )
    const forged = utblick(["--store", `sqlite:${copy}`, "verify", "--trust", vkey, "--previous", kept])
    expect(forged.code).toBe(1)
    expect(forged.stdout).toContain(
      "RESULT        FAIL SEQ at position 5: found position 4 where 5 was expected"
    )

    // An insider rewrites position 1 and recomputes every later hash: the chain verifies, the
    // kept checkpoints do not. Checkpoints alone give the range 0..2 (size 3 is the first that
    // fails); the export kept at size 3 names position 1 exactly.
    await rewriteHistory(t.db, 1, (body) => {
      ;(body.payload as Record<string, unknown>).name = "Union of the Baltic Citiez"
    })
    expect(utblick(["--store", t.store, "verify"]).code).toBe(0)
    const rewritten = utblick(["--store", t.store, "verify", "--trust", vkey, "--previous", kept])
    expect(rewritten.code).toBe(1)
    expect(rewritten.stdout).toContain("RESULT        FAIL INCONSISTENT_WITH_PREVIOUS at position 0")
    expect(rewritten.stdout).toContain("The first altered position lies between 0 and 2")
    const exact = utblick([
      "--store",
      t.store,
      "verify",
      "--trust",
      vkey,
      "--previous",
      join(t.dir, "export-3.jsonl")
    ])
    expect(exact.code).toBe(1)
    expect(exact.stdout).toContain(
      "FAIL INCONSISTENT_WITH_PREVIOUS at position 1: position 1 differs from line 2"
    )
  }, 600_000)

  it("a rollback of the log together with its newest checkpoint fails against the auditor's copy", async () => {
    const t = tempStore()
    const kept = join(t.dir, "revisor")
    utblick(["--store", t.store, "init", "--origin", "audit.test.example/log"])
    writeFileSync(join(t.dir, "a.jsonl"), jsonl([...goodEvents, ...more]))
    utblick(["--store", t.store, "import", join(t.dir, "a.jsonl")])
    utblick(["keygen", "--name", "audit.test.example", "--out", join(t.dir, "k")])
    utblick(["--store", t.store, "checkpoint", "--key", join(t.dir, "k")])
    keepCheckpoints(t.db, kept)
    await sql(t.db, "DELETE FROM events WHERE position >= 3")
    const r = utblick(["--store", t.store, "verify", "--trust", join(t.dir, "k.vkey"), "--previous", kept])
    expect(r.code).toBe(1)
    expect(r.stdout).toContain("FAIL ROLLBACK at position 3")
    expect(r.stdout).toContain("positions 3 to 4 are missing")
    const latest = utblick([
      "--store",
      t.store,
      "verify",
      "--checkpoint",
      "latest",
      "--trust",
      join(t.dir, "k.vkey")
    ])
    expect(latest.code).toBe(2)
    expect(latest.stderr).toContain("--checkpoint latest would read the checkpoint kept beside the database")
    const wrongLog = tempStore()
    utblick(["--store", wrongLog.store, "init", "--origin", "staging.example/log"])
    const other = utblick([
      "--store",
      wrongLog.store,
      "verify",
      "--trust",
      join(t.dir, "k.vkey"),
      "--previous",
      kept
    ])
    expect(other.code).toBe(1)
    expect(other.stdout).toContain("FAIL ORIGIN")
  }, 600_000)
})
