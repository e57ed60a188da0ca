/**
 * What a catch-up over entity rows costs (ADR 0046, step 1), on a store file's read-model
 * snapshot: the state split into rows (each its own `v8.serialize` bytes, as a rows table would
 * hold them), then 1,000 new events (ten synthetic units after the log's last) folded into only
 * the rows they touch, loaded by deserialising them, against folding them into the whole state.
 *
 * `node --conditions=@utblick/source --import tsx packages/cli/bench/rows.breakdown.ts FILE [YEAR] [TENANT]`
 * (read-only; the storage of rows is not built yet, so the rows are held in memory here).
 */
import { deserialize, serialize } from "node:v8"
import { type Envelope, EventStore, ProjectionCheckpoints } from "@utblick/core"
import * as Synthetic from "@utblick/core/testing/Synthetic"
import { EntityRows, ReadModels, Shared } from "@utblick/projections"
import { SqliteCheckpointStore, SqliteEventStore } from "@utblick/store-sqlite"
import { Effect, Layer, Result, Stream } from "effect"

const [file, yearArg, tenantArg] = process.argv.slice(2)
if (file === undefined) throw new Error("usage: rows.breakdown.ts FILE [YEAR] [TENANT]")
const year = Number(yearArg ?? 2022)
const tenant = tenantArg ?? "tenant-0"
const asOf = `${year}-12-31`

const time = <A>(label: string, f: () => A): A => {
  const t0 = performance.now()
  const a = f()
  console.log(`  ${label.padEnd(70)} ${(performance.now() - t0).toFixed(1).padStart(8)} ms`)
  return a
}

const snapshot = await Effect.runPromise(
  Effect.scoped(
    Effect.provide(
      Effect.gen(function* () {
        const checkpoints = yield* ProjectionCheckpoints.ProjectionCheckpoints
        return yield* checkpoints.load({
          projection: ReadModels.projection.name,
          version: ReadModels.projection.version,
          filter: ProjectionCheckpoints.filterKey({ asOf, tenant })
        })
      }),
      SqliteCheckpointStore.layer().pipe(Layer.provideMerge(SqliteEventStore.layer({ filename: file })))
    )
  ) as Effect.Effect<ProjectionCheckpoints.Checkpoint | undefined>
)
if (snapshot === undefined) throw new Error("no read-model snapshot for that year and tenant in this file")
const state = time("v8.deserialize of the whole state", () => deserialize(snapshot.state) as ReadModels.ReadModelsState)

const { whole, rows } = time("split into rows", () => EntityRows.split(state))
const keyOf = (k: EntityRows.RowKey) => `${k.model}\u0000${k.tenant}\u0000${k.id}`
const table = time(`serialise ${rows.length.toLocaleString("en-US")} rows one by one`, () => new Map(rows.map((r) => [keyOf(r), serialize(r)])))
const wholeBytes = serialize(whole)
let bytes = 0
for (const b of table.values()) bytes += b.byteLength
console.log(`  rows: ${(bytes / 1e6).toFixed(1)} MB; the parts read whole: ${(wholeBytes.byteLength / 1e6).toFixed(2)} MB`)

// Ten units after the log's end, of this tenant only (the snapshot is this tenant's).
const tail = await Effect.gen(function* () {
  const log = yield* EventStore.EventStore
  for (let u = 0; u < 40; u++) {
    const unit = 100_000 + u
    if (`tenant-${unit % 4}` === tenant) yield* log.append(`unit-${unit}`, Synthetic.unit(unit))
  }
  return yield* Stream.runCollect(log.readAll())
}).pipe(Effect.provide(EventStore.layerMemory()), Effect.runPromise)
const decoded = tail.flatMap((stored): Array<readonly [Shared.Event, Envelope.StoredEvent]> => {
  const d = Shared.catalog.decode(stored)
  if (Result.isFailure(d)) throw d.failure
  return [[d.success, stored]]
})

for (let round = 0; round < 3; round++) {
  let loaded = 0
  const caught = time(`catch-up of ${decoded.length} events over rows (round ${round + 1})`, () =>
    Effect.runSync(
      EntityRows.catchUp(
        () => deserialize(wholeBytes) as EntityRows.Whole,
        decoded,
        (keys) =>
          Effect.sync(() =>
            keys.flatMap((k) => {
              const b = table.get(keyOf(k))
              if (b === undefined) return []
              loaded++
              return [deserialize(b) as EntityRows.Row]
            })
          )
      )
    )
  )
  console.log(`    ${caught.rounds} folds, ${loaded} rows read, ${caught.after.length} rows after`)
}
const copy = deserialize(snapshot.state) as ReadModels.ReadModelsState
time(`the same ${decoded.length} events folded into the whole state`, () => {
  let s = copy
  for (const [e, env] of decoded) s = ReadModels.projection.evolve(s, e, env)
  return s
})
