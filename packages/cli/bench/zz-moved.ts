import { deserialize } from "node:v8"
import { EventStore, ProjectionCheckpoints } from "@utblick/core"
import { PersistedFigures, YearReport } from "@utblick/indicators"
import { SqliteCheckpointStore, SqliteEventStore } from "@utblick/store-sqlite"
import { Effect, Layer, Stream } from "effect"
const file = process.argv[2] as string
const mode = process.argv[3]
const t = (l: string, t0: number) => console.log(l.padEnd(30), (performance.now() - t0).toFixed(1))
const program = Effect.gen(function* () {
  const store = yield* EventStore.EventStore
  const cp = yield* ProjectionCheckpoints.ProjectionCheckpoints
  if (mode === "whole") { const t0 = performance.now(); yield* YearReport.figures(2022, { tenant: "tenant-0" }); t("figures() whole", t0); return }
  let t0 = performance.now(); const head = yield* store.head; t("head", t0)
  const key = PersistedFigures.keyOf({ year: 2022, asOf: "2022-12-31", tenant: "tenant-0" })
  t0 = performance.now(); const row = yield* cp.load(key); t("load figure row", t0)
  t0 = performance.now(); deserialize(row!.state); t("deserialize", t0)
  t0 = performance.now(); let n = 0
  yield* store.readAll({ fromPosition: row!.position - 1, toPosition: head.size }).pipe(Stream.runForEachArray((c) => { n += c.length; return Effect.void }))
  t("scan " + n, t0)
  t0 = performance.now(); yield* cp.save(key, { ...row! }); t("save (same row)", t0)
})
await Effect.runPromise(Effect.scoped(Effect.provide(program, SqliteCheckpointStore.layer().pipe(Layer.provideMerge(SqliteEventStore.layer({ filename: file }))))) as Effect.Effect<void>)
