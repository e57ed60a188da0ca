// Round trips and commits of single appends to PostgreSQL, Utblick's and Emmett's, on a database
// of this script's own (DATABASE_URL; give it `log_statement = 'all'` to count statements in the
// server log between the two markers this prints). WHO = ours | emmett, N appends (default 500).
import { getPostgreSQLEventStore } from "@event-driven-io/emmett-postgresql"
import { EventStore } from "@utblick/core"
import { PgEventStore } from "@utblick/store-postgres"
import { Effect } from "effect"
import { execFileSync } from "node:child_process"
import { payload } from "./workload.js"

const url = process.env["DATABASE_URL"] as string
const N = Number(process.env["N"] ?? 500)
const WHO = process.env["WHO"] ?? "ours"
const STREAMS = 100
const psql = (sql: string) => execFileSync("psql", [url, "-At", "-c", sql], { encoding: "utf8" }).trim()
const stats = () => {
  const [commits, syncs, writes] = psql(
    "SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()), wal_sync, wal_write FROM pg_stat_wal"
  ).split("|").map(Number)
  return { commits: commits as number, syncs: syncs as number, writes: writes as number }
}
const tag = `${WHO}${process.pid}`
const appendOurs = (store: EventStore.EventStoreShape, i: number) =>
  store.append(`s-${tag}-${i % STREAMS}`, [{ type: "PaymentDisbursed", schemaVersion: 1, occurredAt: "2022-06-30", tenant: "region-norrbotten", actor: { id: "bench", role: "officer" }, payload: payload(i) }], {
    expectedVersion: Math.floor(i / STREAMS) === 0 ? "no-stream" : Math.floor(i / STREAMS)
  })

// PostgreSQL 15 publishes an idle backend's counters within ten seconds (PGSTAT_IDLE_INTERVAL).
const settle = () => new Promise((resolve) => setTimeout(resolve, 11_000))

const report = (before: ReturnType<typeof stats>, after: ReturnType<typeof stats>, ms: number) =>
  console.log(
    `${WHO}: ${N} single appends in ${ms.toFixed(0)} ms (${Math.round(N / (ms / 1000))}/s); per append: ${((after.commits - before.commits - 1) / N).toFixed(2)} commits of this database, ${((after.syncs - before.syncs) / N).toFixed(2)} WAL syncs, ${((after.writes - before.writes) / N).toFixed(2)} WAL writes (server-wide)`
  )

if (WHO === "ours") {
  await Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    for (let i = 0; i < STREAMS; i++) yield* appendOurs(store, i) // warm-up: first event of every stream
    yield* Effect.promise(settle)
    const before = stats()
    console.log(`marker start ${new Date().toISOString()}`)
    const t0 = performance.now()
    for (let i = STREAMS; i < STREAMS + N; i++) yield* appendOurs(store, i)
    const ms = performance.now() - t0
    console.log(`marker end ${new Date().toISOString()}`)
    yield* Effect.promise(settle)
    report(before, stats(), ms)
  }).pipe(Effect.provide(PgEventStore.layerFromUrl(url, { schema: `trips_${process.pid}`, origin: "bench.utblick.example/log" })), Effect.runPromise)
} else {
  const store = getPostgreSQLEventStore(url, { schema: { autoMigration: "CreateOrUpdate" } } as never)
  const append = (i: number) =>
    store.appendToStream(`s-${tag}-${i % STREAMS}`, [{ type: "PaymentDisbursed", data: payload(i) }], {
      expectedStreamVersion: Math.floor(i / STREAMS) === 0 ? "STREAM_DOES_NOT_EXIST" : BigInt(Math.floor(i / STREAMS))
    } as never)
  for (let i = 0; i < STREAMS; i++) await append(i)
  await settle()
  const before = stats()
  console.log(`marker start ${new Date().toISOString()}`)
  const t0 = performance.now()
  for (let i = STREAMS; i < STREAMS + N; i++) await append(i)
  const ms = performance.now() - t0
  console.log(`marker end ${new Date().toISOString()}`)
  await settle()
  report(before, stats(), ms)
  await (store as unknown as { close: () => Promise<void> }).close()
}
