/**
 * Persisted read models in the log's PostgreSQL schema (ADR 0035): `PgEventStore.layer` provides
 * them; a run resumes from the snapshot and folds only the tail, a new process (a new pool)
 * resumes too, a snapshot ahead of a truncated log is discarded, and `clear` deletes every row.
 */
import { EventCatalog, EventStore, Projection, ProjectionCheckpoints } from "@utblick/core"
import { EventStoreContract } from "@utblick/core/testing"
import { Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { describe, expect, it } from "vitest"
import { PgCheckpointStore, PgEventStore } from "../src/index.js"
import { clientLayer, dropSchema, reachable } from "./helpers.js"

const sample = EventStoreContract.sampleEvent
const schema = `it_checkpoints_${process.pid}`
const catalog = EventCatalog.make([
  EventCatalog.define(Schema.TaggedStruct("ContractEventRecorded", { n: Schema.Number }), "ContractEventRecorded")
])
const folds = { n: 0 }
const counter = Projection.make<{ count: number; last: number }, { readonly _tag: "ContractEventRecorded"; readonly n: number }>({
  name: "counter",
  version: 1,
  handles: ["ContractEventRecorded"],
  initialState: () => ({ count: 0, last: 0 }),
  evolve: (s, e) => {
    folds.n++
    return { count: s.count + 1, last: e.n }
  }
})

// Each call is a new pool and a new store, as a new process would have.
const withLog = <A, E>(program: Effect.Effect<A, E, EventStore.EventStore | SqlClient.SqlClient>) =>
  Effect.runPromise(
    Effect.scoped(
      Effect.provide(program, PgEventStore.layer({ schema }).pipe(Layer.provideMerge(clientLayer(2))))
    ) as Effect.Effect<A>
  )

const append = (from: number, to: number) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    for (let n = from; n <= to; n++) yield* store.append("s-1", [sample({ payload: { n } })])
  })

const rows = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  return yield* sql.unsafe<{ projection: string; position: string }>(
    `SELECT projection, position::text AS position FROM "${schema}".utblick_projection_checkpoints ORDER BY 1`
  )
})

describe.skipIf(!reachable)("PgCheckpointStore", () => {
  it("resumes from the snapshot across pools, discards one ahead of a truncated log, and clears", async () => {
    await Effect.runPromise(Effect.scoped(Effect.provide(dropSchema(schema), clientLayer(1))))
    folds.n = 0
    const first = await withLog(Effect.andThen(append(1, 1000), Projection.run(counter, catalog)))
    expect(first.state).toEqual({ count: 1000, last: 1000 })
    expect(await withLog(rows)).toEqual([{ projection: "counter", position: "1000" }])
    const second = await withLog(Effect.andThen(append(1001, 1003), Projection.run(counter, catalog)))
    // 1,000 + 3 events; the second pool folded only the 3 new ones.
    expect(second.state).toEqual({ count: 1003, last: 1003 })
    expect(folds.n).toBe(1003)
    // Someone truncates the log below the snapshot (at 1,000): it must not be reused.
    await withLog(
      Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe(`DELETE FROM "${schema}".utblick_events WHERE position >= 10`))
    )
    const truncated = await withLog(Projection.run(counter, catalog))
    expect(truncated.state).toEqual({ count: 10, last: 10 })
    const cleared = await withLog(
      Effect.gen(function* () {
        const checkpoints = yield* ProjectionCheckpoints.ProjectionCheckpoints
        const key = { projection: "counter", version: 1, filter: "{}" }
        const peek = checkpoints.peek ?? (() => Effect.succeed("no peek" as const))
        const before = yield* checkpoints.count
        const peeked = yield* peek(key)
        yield* checkpoints.clear
        return { before, peeked, after: yield* checkpoints.count, peekedAfter: yield* peek(key), rows: yield* rows }
      })
    )
    // The run over the truncated log saved at 10; peek gives its position and hash, not its state.
    expect(cleared).toMatchObject({ before: 1, peeked: { position: 10 }, after: 0, peekedAfter: undefined, rows: [] })
    expect(Object.keys(cleared.peeked as object).sort()).toEqual(["hash", "position"])
    await Effect.runPromise(Effect.scoped(Effect.provide(dropSchema(schema), clientLayer(1))))
  }, 120_000)
})

describe.skipIf(!reachable)("PgCheckpointStore: large states", () => {
  const pieces = Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    return yield* sql.unsafe<{ n: number; bytes: number }>(
      `SELECT n, length(bytes) AS bytes FROM "${schema}_large".utblick_projection_state_chunks ORDER BY checkpoint, n`
    )
  })
  // The event store's layer migrates the schema; the checkpoint store over it keeps one snapshot.
  const withLarge = <A, E>(
    program: (
      checkpoints: ProjectionCheckpoints.ProjectionCheckpointsShape
    ) => Effect.Effect<A, E, EventStore.EventStore | SqlClient.SqlClient>
  ) =>
    Effect.runPromise(
      Effect.scoped(
        Effect.provide(
          Effect.flatMap(PgCheckpointStore.make({ schema: `${schema}_large`, maxSnapshots: 1 }), program),
          PgEventStore.layer({ schema: `${schema}_large` }).pipe(Layer.provideMerge(clientLayer(2)))
        )
      ) as Effect.Effect<A>
    )

  it("saves and reads back a state over 16 MiB (the driver's largest message) in pieces, which go with their checkpoint", async () => {
    await Effect.runPromise(Effect.scoped(Effect.provide(dropSchema(`${schema}_large`), clientLayer(1))))
    // 17 MiB + 5 bytes = 17,825,797 bytes: 1,048,576 in the checkpoint's row, then pieces 1–16 of
    // 1,048,576 and piece 17 of 5. Before the pieces, the save succeeded and the load failed
    // ("Message length … exceeds maxMessageSize 16777216"), so every run replayed from zero.
    const large = Buffer.alloc(17 * 1_048_576 + 5)
    for (let i = 0; i < large.length; i++) large[i] = (i * 31) % 251
    const key = (tenant: string) => ({ projection: "large", version: 1, filter: `{"tenant":"${tenant}"}` })
    const save = (tenant: string, state: Uint8Array) =>
      withLarge((c) => c.save(key(tenant), { position: 7, hash: "h", state }))
    const load = (tenant: string) => withLarge((c) => c.load(key(tenant)))

    await save("a", large)
    const stored = await withLarge(() => pieces)
    expect(stored.map((p) => [p.n, Number(p.bytes)])).toEqual([
      ...Array.from({ length: 16 }, (_, i) => [i + 1, 1_048_576]),
      [17, 5]
    ])
    const back = await load("a")
    expect(back?.position).toBe(7)
    expect(Buffer.from(back?.state ?? []).equals(large)).toBe(true)
    // A smaller state saved over it leaves no piece; another key evicts it (one snapshot at most)
    // and takes its pieces with it; clear takes the rest.
    await save("a", Uint8Array.of(1, 2, 3))
    expect(await withLarge(() => pieces)).toEqual([])
    expect([...((await load("a"))?.state ?? [])]).toEqual([1, 2, 3])
    await save("a", large)
    await save("b", large.subarray(0, 1_048_577))
    expect(await load("a")).toBeUndefined()
    expect((await withLarge(() => pieces)).map((p) => [p.n, Number(p.bytes)])).toEqual([[1, 1]])
    await withLarge((c) => c.clear)
    expect(await withLarge(() => pieces)).toEqual([])
  }, 120_000)
})
