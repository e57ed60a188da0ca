/**
 * The import on PostgreSQL writes into one transaction on the store's own client, as it does on
 * SQLite (ADR 0023): the decided events go to the server every 2,000 lines and are committed only
 * when the whole file (or a declared batch) has passed. The CLI runs as a child process against
 * a real server (DATABASE_URL), each test in a schema of its own; files are larger than a flush,
 * so that a refusal meets events already written into the transaction.
 */
import { createHash } from "node:crypto"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { PgClient } from "@effect/sql-pg"
import { Effect, Redacted } from "effect"
import { SqlClient } from "effect/sql"
import { afterAll, describe, expect, it } from "vitest"
import { headOf, proposeTrip, registerLulea, tripProposals, utblick, utblickAsync, writeJsonl } from "./importProcess.js"

const DATABASE_URL = process.env.DATABASE_URL

// The child runs in a temporary directory: a PostgreSQL log keeps its key store under the
// working directory (./.utblick/<origin>/keys.db), which must not land in the repository.
const utblickIn = (cwd: string, args: ReadonlyArray<string>) => utblick(args, cwd)
const utblickAsyncIn = (cwd: string, args: ReadonlyArray<string>) => utblickAsync(args, cwd)

// The log's append lock, derived here as the store documents it (the first 8 bytes of
// SHA-256("utblick:append:<schema>") as a signed 64-bit integer), and what another session of
// the server sees while an import runs: the rows committed, and whether someone holds that lock.
const appendLockKey = (schema: string) =>
  createHash("sha256").update(`utblick:append:${schema}`).digest().readBigInt64BE(0).toString()
const lookFromOutside = (schema: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql.unsafe<{ readonly n: string }>(`SELECT count(*) AS n FROM "${schema}".utblick_events`)
    const locks = yield* sql.unsafe<{ readonly n: string }>(
      `SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND granted
         AND ((classid::bigint << 32) | objid::bigint) = $1::bigint`,
      [appendLockKey(schema)]
    )
    return { committedRows: Number(rows[0]?.n), lockHolders: Number(locks[0]?.n) }
  }).pipe(Effect.provide(PgClient.layer({ url: Redacted.make(DATABASE_URL as string), maxConnections: 1 })), Effect.runPromise)

const trips = (bad: boolean) => tripProposals("pg", bad)

const schemas: Array<string> = []
afterAll(() =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    for (const schema of schemas) yield* sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  }).pipe(Effect.provide(PgClient.layer({ url: Redacted.make(DATABASE_URL as string), maxConnections: 1 })), Effect.runPromise)
)
const seeded = () => {
  const dir = mkdtempSync(join(tmpdir(), "utblick-pg-import-"))
  const schema = `cli_import_${process.pid}_${schemas.length + 1}`
  schemas.push(schema)
  const store = `${DATABASE_URL as string}${(DATABASE_URL as string).includes("?") ? "&" : "?"}schema=${schema}`
  const run = (args: ReadonlyArray<string>) => utblickIn(dir, ["--store", store, ...args])
  const head = () => headOf(store, dir)
  expect(run(["init", "--origin", `audit.test.example/${schema}`]).code).toBe(0)
  const seed = join(dir, "seed.jsonl")
  writeJsonl(seed, [registerLulea])
  const seededRun = run(["import", seed])
  expect(seededRun.code, seededRun.stderr).toBe(0)
  // registerLulea records two registry events (the municipality and UBC).
  expect(head().events).toBe(2)
  return { dir, schema, store, run, head, before: head() }
}

describe.skipIf(DATABASE_URL === undefined)("import into PostgreSQL in one transaction (needs DATABASE_URL)", () => {
  it("a refusal at line 4,500 takes back the 4,000 lines already written; the fixed file lands whole; again is a no-op", () => {
    const t = seeded()
    const file = join(t.dir, "trips.jsonl")
    writeJsonl(file, trips(true))
    const refused = t.run(["import", file])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain("1 line refused (1 of 5000 commands); nothing was imported")
    expect(refused.stderr).toMatch(/line 4500: ProposeTrip: actor\.role = "auditor": ProposeTrip may only be given by: /)
    expect(t.head()).toEqual(t.before)

    writeJsonl(file, trips(false))
    const ok = t.run(["import", file])
    expect(ok.code, ok.stderr).toBe(0)
    expect(ok.stdout).toContain("Imported 5000 commands: 5000 events in 5000 streams; the log now holds 5002 events")
    const after = t.head()
    expect(after.events).toBe(5_002)
    expect(t.run(["verify"]).code).toBe(0)

    const again = t.run(["import", file])
    expect(again.code).toBe(0)
    expect(again.stdout).toContain("already recorded: 5000 of 5000 commands; the log is unchanged (5002 events")
    expect(t.head()).toEqual(after)
  }, 600_000)

  it("a dry run decides and counts everything on the server, then takes it back", () => {
    const t = seeded()
    const file = join(t.dir, "trips.jsonl")
    writeJsonl(file, trips(false))
    const r = t.run(["import", file, "--dry-run"])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain("Dry run: 5000 commands would append 5000 events to 5000 streams; nothing was written")
    expect(t.head()).toEqual(t.before)
  }, 600_000)

  it("--batch: batches before a refusal stay committed, the rest is taken back, and the same file resumes", () => {
    const t = seeded()
    const file = join(t.dir, "trips.jsonl")
    writeJsonl(file, trips(true))
    const r = t.run(["import", file, "--batch", "1000"])
    expect(r.code).toBe(2)
    const committed = Number(/lines refused after (\d+) events were committed in batches of 1000 lines/.exec(r.stderr)?.[1])
    // Batches close at the end of a chunk of lines once 1,000 have passed since the last one, so
    // at least three (3,000 lines) and at most four (under 4,500) were committed before line 4,500.
    expect(committed).toBeGreaterThanOrEqual(3_000)
    expect(committed).toBeLessThan(4_500)
    expect(t.head().events).toBe(2 + committed)

    writeJsonl(file, trips(false))
    const resumed = t.run(["import", file, "--batch", "1000"])
    expect(resumed.code).toBe(0)
    expect(resumed.stdout).toContain(`Imported ${5_000 - committed} commands: ${5_000 - committed} events; already recorded: ${committed}`)
    expect(t.head().events).toBe(5_002)
    expect(t.run(["verify"]).code).toBe(0)
  }, 600_000)

  it("while it runs, the decided events are on the server in an open transaction (holding the log's lock, invisible to others); Ctrl-C takes them back", async () => {
    const t = seeded()
    const big = join(t.dir, "big.jsonl")
    writeFileSync(big, `${Array.from({ length: 30_000 }, (_, i) => JSON.stringify(proposeTrip(i, "c"))).join("\n")}\n`)
    const child = utblickAsyncIn(t.dir, ["--store", t.store, "import", big])
    let stderr = ""
    const done = new Promise<number | null>((resolve) => child.on("close", resolve))
    // Plain progress lines come at every 10 % of the bytes: from 20 % (6,000 lines) on, three
    // flushes of 2,000 lines have gone into the transaction.
    await new Promise<void>((resolve) => {
      child.on("close", () => resolve())
      child.stderr.on("data", (d: Buffer) => {
        stderr += d.toString()
        if (/Importing big\.jsonl [2-9]\d %/.test(stderr)) resolve()
      })
    })
    const during = await lookFromOutside(t.schema)
    expect(child.exitCode).toBeNull()
    child.kill("SIGINT")
    expect(await done).toBe(2)
    // Staged in memory (the old way), nothing would be on the server yet and no lock taken.
    expect(during).toEqual({ committedRows: 2, lockHolders: 1 })
    expect(stderr).toContain("was cancelled; nothing was written")
    expect(t.head()).toEqual(t.before)
    expect(await lookFromOutside(t.schema)).toEqual({ committedRows: 2, lockHolders: 0 })
  }, 600_000)
})
