/**
 * `utblick verify --jobs N` (issue 16): the real executable, from sources and as built by tsup,
 * on a real SQLite file. Several worker threads must give exactly what one thread gives, on an
 * honest log, on a row edited in the file and on an insider's rewrite of history.
 */
import { spawnSync } from "node:child_process"
import { writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { keepCheckpoints, rewriteHistory, sql, utblick } from "./process.js"
import { goodEvents, jsonl, tempStore } from "./support.js"

const here = join(import.meta.dirname, "..")

// 1 actor, 300 organisations and a membership of each: one stream (the municipality's) runs
// through every chunk of the log, so its links cross every seam.
const events = [
  goodEvents[0],
  ...Array.from({ length: 300 }, (_, i) => ({
    ...goodEvents[1],
    payload: { organisationId: `org-${i}`, name: `Nätverk ${i}`, focusArea: "eu" }
  })),
  ...Array.from({ length: 300 }, (_, i) => ({
    ...goodEvents[2],
    decisionRef: `KS 2021/${i}`,
    payload: { actorId: "lulea-kommun", organisationId: `org-${i}`, kind: "member", joinedYear: 1991 }
  }))
]
const SIZE = events.length // 601

const setUp = () => {
  const t = tempStore()
  expect(utblick(["--store", t.store, "init", "--origin", "audit.test.example/parallel"]).code).toBe(0)
  writeFileSync(join(t.dir, "events.jsonl"), jsonl(events))
  const imported = utblick(["--store", t.store, "import", join(t.dir, "events.jsonl")])
  expect(imported.code, imported.stderr).toBe(0)
  return t
}

describe("verify --jobs, from sources", () => {
  it("2 threads report exactly what 1 thread reports: honest, a row edited, history rewritten", async () => {
    const t = setUp()
    const one = utblick(["--store", t.store, "verify", "--jobs", "1"])
    const two = utblick(["--store", t.store, "verify", "--jobs", "2"])
    expect(one.code).toBe(0)
    expect(one.stdout).toContain(`records       ${SIZE} in `)
    expect(one.stdout).toContain("RESULT        PASS")
    expect(two).toEqual(one)
    const json1 = utblick(["--store", t.store, "verify", "--jobs", "1", "--json"])
    expect(utblick(["--store", t.store, "verify", "--jobs", "2", "--json"])).toEqual(json1)
    expect(JSON.parse(json1.stdout)).toMatchObject({ ok: true, records: SIZE, warnings: [] })

    // The auditor keeps a checkpoint, then someone edits a row in the file (A1).
    expect(utblick(["keygen", "--name", "audit.test.example", "--out", join(t.dir, "k")]).code).toBe(0)
    expect(utblick(["--store", t.store, "checkpoint", "--key", join(t.dir, "k")]).code).toBe(0)
    const kept = join(t.dir, "revisor")
    keepCheckpoints(t.db, kept)
    await sql(
      t.db,
      `UPDATE events SET body = replace(body, '"Nätverk 222"', '"Nätverk 999"') WHERE position = 223`
    )
    const edited1 = utblick(["--store", t.store, "verify", "--jobs", "1"])
    const edited2 = utblick(["--store", t.store, "verify", "--jobs", "3"])
    expect(edited1.code).toBe(1)
    expect(edited1.stdout).toContain("RESULT        FAIL CHAIN at position 223:")
    expect(edited2).toEqual(edited1)

    // An insider rewrites history and recomputes every hash (A6/A7): only the kept checkpoint
    // tells, at its size, with one thread or several.
    await rewriteHistory(t.db, 223, (body) => {
      ;(body.payload as Record<string, unknown>).name = "Nätverk 999"
    })
    const vkey = join(t.dir, "k.vkey")
    const rewritten1 = utblick([
      "--store",
      t.store,
      "verify",
      "--jobs",
      "1",
      "--trust",
      vkey,
      "--previous",
      kept
    ])
    const rewritten2 = utblick([
      "--store",
      t.store,
      "verify",
      "--jobs",
      "2",
      "--trust",
      vkey,
      "--previous",
      kept
    ])
    expect(utblick(["--store", t.store, "verify", "--jobs", "2"]).code).toBe(0) // self-consistent alone
    expect(rewritten1.code).toBe(1)
    expect(rewritten1.stdout).toMatch(/RESULT {8}FAIL /)
    expect(rewritten2).toEqual(rewritten1)
  }, 600_000)

  it("the workers check each chunk's index columns: the first altered row is named, as one thread names it", async () => {
    const t = setUp()
    // Two rows whose columns no longer say what their records say, in different chunks; the
    // later one is altered too, so the answer must be the smaller position, whichever chunk
    // finishes first.
    await sql(t.db, "UPDATE events SET tenant = 'someone-else' WHERE position = 480")
    await sql(t.db, "UPDATE events SET stream_id = 'organisation-elsewhere' WHERE position = 150")
    const one = utblick(["--store", t.store, "verify", "--jobs", "1"])
    const two = utblick(["--store", t.store, "verify", "--jobs", "2"])
    const three = utblick(["--store", t.store, "verify", "--jobs", "3"])
    expect(one.code).toBe(1)
    expect(one.stdout).toContain(
      'RESULT        FAIL INDEX at position 150: the stream_id column says "organisation-elsewhere" but the hashed record says "registry-lulea-kommun"'
    )
    expect(two).toEqual(one)
    expect(three).toEqual(one)
    // The earlier row put right: the later one is named.
    await sql(t.db, "UPDATE events SET stream_id = 'registry-lulea-kommun' WHERE position = 150")
    const later = utblick(["--store", t.store, "verify", "--jobs", "2"])
    expect(later.stdout).toContain(
      'RESULT        FAIL INDEX at position 480: the tenant column says "someone-else" but the hashed record says "lulea-kommun"'
    )
    expect(later).toEqual(utblick(["--store", t.store, "verify", "--jobs", "1"]))
  }, 600_000)

  it("--jobs 0 is refused with the rule, and nothing is verified", () => {
    const t = tempStore()
    expect(utblick(["--store", t.store, "init"]).code).toBe(0)
    const zero = utblick(["--store", t.store, "verify", "--jobs", "0"])
    expect(zero.code).toBe(2)
    expect(zero.stderr).toContain("--jobs 0 is not a number of threads: it must be 1 or more")
    expect(zero.stdout).not.toContain("RESULT")
  }, 120_000)
})

describe("verify --jobs, the built executable", () => {
  beforeAll(() => {
    // The CLI as shipped: tsup bundles dist/utblick.js and the worker entry dist/VerifyWorker.js.
    const tsup = join(
      dirname(createRequire(import.meta.url).resolve("tsup/package.json")),
      "dist/cli-default.js"
    )
    const built = spawnSync(process.execPath, [tsup], { cwd: here, encoding: "utf8" })
    expect(built.status, built.stderr).toBe(0)
  }, 300_000)

  const dist = (args: ReadonlyArray<string>) => {
    const r = spawnSync(process.execPath, [join(here, "dist/utblick.js"), ...args], { encoding: "utf8" })
    return { code: r.status, stdout: r.stdout, stderr: r.stderr }
  }

  it("runs its worker threads from dist and reports what the sources report", async () => {
    const t = setUp()
    const fromSources = utblick(["--store", t.store, "verify", "--jobs", "1", "--json"])
    const built = dist(["--store", t.store, "verify", "--jobs", "2", "--json"])
    expect(built.code, built.stderr).toBe(0)
    // No "parallel verification stopped" warning: the workers ran from dist/VerifyWorker.js.
    expect(built.stdout).toEqual(fromSources.stdout)
    await sql(t.db, "DELETE FROM events WHERE position = 400")
    const deleted = dist(["--store", t.store, "verify", "--jobs", "2"])
    expect(deleted.code).toBe(1)
    expect(deleted.stdout).toContain("RESULT        FAIL SEQ at position 400:")
    expect(deleted).toEqual(utblick(["--store", t.store, "verify", "--jobs", "1"]))
    // The row check runs in the built workers too.
    const u = setUp()
    await sql(u.db, "UPDATE events SET tenant = 'someone-else' WHERE position = 480")
    const reindexed = dist(["--store", u.store, "verify", "--jobs", "2"])
    expect(reindexed.code).toBe(1)
    expect(reindexed.stdout).toContain('RESULT        FAIL INDEX at position 480: the tenant column says "someone-else"')
    expect(reindexed).toEqual(utblick(["--store", u.store, "verify", "--jobs", "1"]))
  }, 600_000)
})
