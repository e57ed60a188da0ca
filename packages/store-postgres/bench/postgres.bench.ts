/**
 * Benchmarks of the PostgreSQL store: batched appends, single appends from 1 and 8 writers, and
 * a full replay of 1,000,000 events through a core `Projection` compared with a raw baseline
 * (a plain query in position order + `JSON.parse` + a hand-written `switch` fold) over the same
 * table in the same run. Run with `pnpm --filter @utblick/store-postgres bench`.
 *
 * Environment: DATABASE_URL (default postgres://postgres:postgres@127.0.0.1:5432/utblick_test),
 * UTBLICK_BENCH_EVENTS (default 1,000,000).
 */
import { PgClient } from "@effect/sql-pg"
import { type Envelope, EventStore, Projection } from "@utblick/core"
import * as Registry from "@utblick/core/events/Registry"
import * as BenchSummary from "@utblick/core/testing/BenchSummary"
import * as Synthetic from "@utblick/core/testing/Synthetic"
import { Effect, Layer, Redacted, Stream } from "effect"
import { SqlClient } from "effect/sql"
import { PgEventStore } from "../src/index.js"

const URL = process.env["DATABASE_URL"] ?? "postgres://postgres:postgres@127.0.0.1:5432/utblick_test"
const N = Number(process.env["UTBLICK_BENCH_EVENTS"] ?? 1_000_000)
const BATCH = 1000
const SINGLE = Number(process.env["UTBLICK_BENCH_SINGLE"] ?? 3000)
// RSS sampled while a phase runs (the process-wide maxRSS would include the load phase).
const sampleRss = () => {
  let peak = process.memoryUsage().rss
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss)
  }, 20)
  return () => {
    clearInterval(timer)
    return Math.max(peak, process.memoryUsage().rss)
  }
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`
const rate = (n: number, ms: number) => Math.round((n / ms) * 1000).toLocaleString("en-US").padStart(10)
// UTBLICK_BENCH_SYNCHRONOUS_COMMIT=off runs the store's connections with synchronous_commit=off: a
// commit is acknowledged before its WAL is flushed, so a crash of the server can lose the last
// acknowledged appends (never corrupt or reorder them). Only as a separately labelled variant.
const SYNC_COMMIT = process.env["UTBLICK_BENCH_SYNCHRONOUS_COMMIT"]
const clientLayer = (max = 10) =>
  PgClient.layer({
    url: Redacted.make(URL),
    maxConnections: max,
    ...(SYNC_COMMIT === undefined ? {} : { startupParameters: { synchronous_commit: SYNC_COMMIT } })
  })

const drop = (schema: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  }).pipe(Effect.provide(clientLayer(1)))

const withStore = <A, E>(schema: string, program: Effect.Effect<A, E, EventStore.EventStore | SqlClient.SqlClient>) =>
  Effect.scoped(Effect.provide(program, PgEventStore.layer({ schema }).pipe(Layer.provideMerge(clientLayer()))))

const appends = Effect.gen(function* () {
  const schema = "bench_append"
  yield* drop(schema)
  const line = (label: string, n: number, ms: number) => {
    console.log(`  ${label.padEnd(62)} ${rate(n, ms)} events/s`)
    BenchSummary.record({ bench: "store-postgres", phase: `PostgreSQL: ${label}`, unit: "events/s", ours: (n / ms) * 1000 })
  }
  yield* withStore(
    schema,
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      let t0 = performance.now()
      for (let i = 0; i < SINGLE; i++) yield* store.append(`single-${i % 100}`, [Synthetic.registryEvent(i)])
      line("single appends, 1 writer (sequential, 1 event each)", SINGLE, performance.now() - t0)
      t0 = performance.now()
      const per = Math.ceil(SINGLE / 8)
      yield* Effect.all(
        Array.from({ length: 8 }, (_, w) =>
          Effect.gen(function* () {
            for (let i = 0; i < per; i++) yield* store.append(`writer-${w}`, [Synthetic.registryEvent(i)])
          })
        ),
        { concurrency: "unbounded" }
      )
      line("single appends, 8 writers sharing one store (group commit)", per * 8, performance.now() - t0)
    })
  )
  // Eight independent store instances (as eight processes would be): no shared group commit,
  // only the unique keys between them (stale caches collide and re-plan).
  const per = Math.ceil(SINGLE / 8)
  const t0 = performance.now()
  yield* Effect.all(
    Array.from({ length: 8 }, (_, w) =>
      withStore(
        schema,
        Effect.gen(function* () {
          const store = yield* EventStore.EventStore
          for (let i = 0; i < per; i++) yield* store.append(`instance-${w}`, [Synthetic.registryEvent(i)])
        })
      )
    ),
    { concurrency: "unbounded" }
  )
  line("single appends, 8 writers on 8 store instances (own pools)", per * 8, performance.now() - t0)
})

const replay = Effect.gen(function* () {
  const schema = "bench_replay"
  yield* drop(schema)
  return yield* withStore(
    schema,
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      const sql = yield* SqlClient.SqlClient
      let t0 = performance.now()
      for (let i = 0; i < N; i += BATCH) {
        const batch: Array<Envelope.EventToAppend> = []
        for (let j = i; j < Math.min(N, i + BATCH); j++) batch.push(Synthetic.registryEvent(j))
        yield* store.append(`stream-${(i / BATCH) % 500}`, batch)
      }
      const batchedMs = performance.now() - t0
      console.log(`  ${"batched append (batches of 1,000, hashing on)".padEnd(62)} ${rate(N, batchedMs)} events/s`)
      BenchSummary.record({ bench: "store-postgres", phase: "PostgreSQL: batched append (1 000 per call)", unit: "events/s", ours: (N / batchedMs) * 1000 })
      yield* sql.unsafe(`VACUUM ANALYZE "${schema}".utblick_events`)

      const best = { raw: Number.POSITIVE_INFINITY, projection: Number.POSITIVE_INFINITY }
      const peak = { raw: 0, projection: 0 }
      let rawState: Synthetic.RegistryCounts | undefined
      let projected: Synthetic.RegistryCounts | undefined
      const rssBefore = process.memoryUsage().rss
      for (let round = 0; round < 2; round++) {
        // RAW: one plain query in position order, streamed by the driver, JSON.parse, a switch fold.
        let stop = sampleRss()
        t0 = performance.now()
        const state = Synthetic.emptyRegistryCounts()
        yield* sql
          .unsafe<{ readonly canonical: string }>(`SELECT canonical FROM "${schema}".utblick_events ORDER BY position`)
          .stream.pipe(
            // Whole chunks as the driver delivers them: no effect per row, so the baseline is
            // the driver plus JSON.parse plus the fold, and nothing else.
            Stream.runForEachArray((rows) =>
              Effect.sync(() => {
                for (let i = 0; i < rows.length; i++) {
                  const e = JSON.parse((rows[i] as { readonly canonical: string }).canonical) as {
                    type: string
                    payload: Record<string, unknown>
                  }
                  Synthetic.countRegistryRaw(state, e.type, e.payload)
                }
              })
            )
          )
        best.raw = Math.min(best.raw, performance.now() - t0)
        peak.raw = Math.max(peak.raw, stop())
        rawState = state

        stop = sampleRss()
        t0 = performance.now()
        projected = (yield* Projection.run(Synthetic.registryCounts, Registry.registryCatalog)).state
        best.projection = Math.min(best.projection, performance.now() - t0)
        peak.projection = Math.max(peak.projection, stop())
      }
      if (JSON.stringify(rawState) !== JSON.stringify(projected)) {
        return yield* Effect.die(new Error(`projection and baseline disagree: ${JSON.stringify([rawState, projected])}`))
      }
      const label = (s: string) => `  ${s.padEnd(62)}`
      console.log(`${label("raw baseline (streamed query + JSON.parse + switch fold)")} ${rate(N, best.raw)} events/s`)
      console.log(`${label("Projection.run over PgEventStore.readAll (decode + evolve)")} ${rate(N, best.projection)} events/s`)
      console.log(`${label("ratio projection / raw")} ${(best.raw / best.projection).toFixed(3).padStart(10)}`)
      console.log(
        `${label("RSS before replays / peak during raw / peak during projection")} ${mb(rssBefore)} / ${mb(peak.raw)} / ${mb(peak.projection)}`
      )
      BenchSummary.record({
        bench: "store-postgres",
        phase: `PostgreSQL: replay ${N.toLocaleString("sv-SE")} events, one projection`,
        unit: "events/s",
        ours: (N / best.projection) * 1000,
        raw: (N / best.raw) * 1000,
        rssMb: peak.projection / 1e6
      })
      return undefined
    })
  )
})

const reachable = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`SELECT 1`
  return true
}).pipe(
  Effect.provide(PgClient.layer({ url: Redacted.make(URL), maxConnections: 1, connectTimeout: "3 seconds" })),
  Effect.timeout("5 seconds"),
  Effect.catchCause(() => Effect.succeed(false))
)

const main = Effect.gen(function* () {
  if (!(yield* reachable)) {
    console.log(`skipped: no PostgreSQL server reachable at DATABASE_URL=${URL.replace(/:[^:@/]*@/, ":***@")}`)
    return
  }
  const sql = yield* Effect.provide(
    Effect.flatMap(SqlClient.SqlClient, (s) =>
      s.unsafe<{ readonly v: string; readonly sc: string; readonly fs: string }>(
        `SELECT version() AS v, current_setting('synchronous_commit') AS sc, current_setting('fsync') AS fs`
      )
    ),
    clientLayer(1)
  )
  console.log(`@utblick/store-postgres benchmark — node ${process.version}, ${N.toLocaleString("en-US")} events`)
  console.log(`  server: ${sql[0]?.v.split(" on ")[0]}, fsync=${sql[0]?.fs}, synchronous_commit=${sql[0]?.sc} (as the store's connections see it)`)
  if (sql[0]?.sc !== "on") console.log("  VARIANT: synchronous_commit is not on; a server crash may lose the last acknowledged appends")
  yield* appends
  yield* replay
})

Effect.runPromise(main).catch((error) => {
  console.error(error)
  process.exitCode = 1
})
