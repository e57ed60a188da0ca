/**
 * Where a report's catch-up goes (issue 16): on a store file whose read-model snapshot is behind
 * the head, times each step of `YearReport.figures` in one process — the figure lookup (a miss:
 * an event that counts), reading the snapshot row, `v8.deserialize`, the read models resumed
 * (read + deserialise + fold the tail), every indicator over the state, and saving the figure.
 *
 * `node --expose-gc --conditions=@utblick/source --import tsx packages/cli/bench/catchup.breakdown.ts FILE [YEAR] [TENANT]`
 * (FILE is left as it was: nothing is saved). With `--expose-gc` it also prints the heap the
 * deserialised state holds once garbage is collected: the memory any process holding these read
 * models needs, whatever it does with them.
 */
import { deserialize } from "node:v8"
import { EventStore, ProjectionCheckpoints } from "@utblick/core"
import { Indicator, PersistedFigures } from "@utblick/indicators"
import { ReadModels } from "@utblick/projections"
import { SqliteCheckpointStore, SqliteEventStore } from "@utblick/store-sqlite"
import { Effect, Layer } from "effect"

const [file, yearArg, tenantArg] = process.argv.slice(2)
if (file === undefined) throw new Error("usage: catchup.breakdown.ts FILE [YEAR] [TENANT]")
const year = Number(yearArg ?? 2022)
const tenant = tenantArg ?? "tenant-0"
const asOf = `${year}-12-31`

const timed = function* <A, E, R>(label: string, effect: Effect.Effect<A, E, R>) {
  const t0 = performance.now()
  const a = yield* effect
  console.log(`  ${label.padEnd(62)} ${(performance.now() - t0).toFixed(1).padStart(8)} ms`)
  return a
}

const program = Effect.gen(function* () {
  const store = yield* EventStore.EventStore
  const live = yield* ProjectionCheckpoints.ProjectionCheckpoints
  // Read-only: the steps below must not move anything, so every save is dropped.
  const checkpoints: ProjectionCheckpoints.ProjectionCheckpointsShape = { ...live, save: () => Effect.void }
  const head = yield* timed("head of the log", store.head)
  const found = yield* timed(
    "figure lookup (row + scan of the tail)",
    PersistedFigures.lookup(store, checkpoints, { year, asOf, tenant })
  )
  const key = { projection: ReadModels.projection.name, version: ReadModels.projection.version, filter: ProjectionCheckpoints.filterKey({ asOf, tenant }) }
  const row = yield* timed("read the read-model snapshot row", live.load(key))
  if (row === undefined) throw new Error("no read-model snapshot in this file")
  const collect = (globalThis as { gc?: () => void }).gc
  collect?.()
  const heapBefore = process.memoryUsage().heapUsed
  const held = yield* timed("v8.deserialize of the state", Effect.sync(() => deserialize(row.state)))
  if (collect !== undefined) {
    collect()
    const mb = (process.memoryUsage().heapUsed - heapBefore) / 1e6
    console.log(`  heap held by the deserialised state: ${mb.toFixed(0)} MB (${held === undefined ? "none" : "state"})`)
  }
  const [snapshot] = yield* timed(
    `read models resumed (row + hash check + deserialise + fold ${head.size - row.position} events)`,
    ReadModels.runMany([{ asOf, tenant }]).pipe(Effect.provideService(ProjectionCheckpoints.ProjectionCheckpoints, checkpoints))
  )
  const state = (snapshot as { state: ReadModels.ReadModelsState }).state
  const values = yield* timed("every indicator over the state", Effect.sync(() => Indicator.computeAll(state, { year, tenant })))
  console.log(`  (${values.length} values; snapshot ${(row.state.byteLength / 1e6).toFixed(1)} MB at ${row.position}; head ${head.size}; figure ${found === undefined ? "missed" : "hit"})`)
})

await Effect.runPromise(
  Effect.scoped(
    Effect.provide(program, SqliteCheckpointStore.layer().pipe(Layer.provideMerge(SqliteEventStore.layer({ filename: file }))))
  ) as Effect.Effect<void>
)
