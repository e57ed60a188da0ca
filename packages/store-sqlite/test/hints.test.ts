/**
 * Read hints (`ReadAllOptions.only`): the SQLite store leaves the events a hint rejects in SQL, and
 * the projection runtime, which gives the hint, still answers what a full replay answers. Expected
 * events and tallies are chosen here by hand from the events read without a hint.
 */
import { fc, test } from "@fast-check/vitest"
import { type Envelope, EventCatalog, EventStore, Projection, ProjectionCheckpoints } from "@utblick/core"
import { EventStoreContract } from "@utblick/core/testing"
import { Effect, Layer, Schema, Stream } from "effect"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "vitest"
import { SqliteCheckpointStore, SqliteEventStore } from "../src/index.js"
import { tempFile } from "./helpers.js"

const sample = EventStoreContract.sampleEvent
const TYPES = ["ContractEventRecorded", "ContractOtherRecorded"] as const
const TENANTS = ["kommun-a", "region-b", "region-c"] as const

const catalog = EventCatalog.make(
  TYPES.map((type) => EventCatalog.define(Schema.TaggedStruct(type, { n: Schema.Number }), type))
)

// Events per "tenant/type" of the ContractEventRecorded events it folded.
type Tally = Record<string, number>
type Contract = { readonly _tag: (typeof TYPES)[number]; readonly n: number }
const tallying = Projection.make<Tally, Contract>({
  name: "test/hinted-tally",
  version: 1,
  handles: ["ContractEventRecorded"],
  initialState: () => ({}),
  evolve: (state, _event, e) => {
    const key = `${e.tenant}/${e.type}`
    return { ...state, [key]: (state[key] ?? 0) + 1 }
  }
})

const byHand = (events: ReadonlyArray<Envelope.StoredEvent>, filter: Projection.TimeFilter): Tally => {
  const out: Tally = {}
  for (const e of events) {
    if (e.type !== "ContractEventRecorded") continue
    if (filter.tenant !== undefined && e.tenant !== filter.tenant) continue
    if (filter.asOf !== undefined && e.occurredAt > filter.asOf) continue
    if (filter.knownAt !== undefined && e.recordedAt > filter.knownAt) continue
    const key = `${e.tenant}/${e.type}`
    out[key] = (out[key] ?? 0) + 1
  }
  return out
}

describe("read hints on SQLite", () => {
  it("leaves out in SQL exactly the events a hint rejects", async () => {
    const { all, read } = await Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      for (let i = 0; i < 18; i++) {
        yield* TestClock.setTime(Date.UTC(2023, 0, 1) + i * 60_000)
        yield* store.append(`s-${i % 4}`, [
          sample({
            type: TYPES[i % 2] as string,
            tenant: TENANTS[i % 3] as string,
            occurredAt: `202${i % 4}-06-30`,
            payload: { n: i }
          })
        ])
      }
      const all = yield* Stream.runCollect(store.readAll())
      const hints: ReadonlyArray<EventStore.ReadHint> = [
        { types: ["ContractOtherRecorded"] },
        { tenant: "region-b" },
        { asOf: "2021-06-30" },
        // Recorded at most at event 6's minute (2023-01-01T00:06:00.000Z).
        { knownAt: "2023-01-01T00:06:00.000Z" },
        { types: ["ContractEventRecorded"], tenant: "kommun-a", asOf: "2022-06-30" },
        { types: [] }
      ]
      const read = yield* Effect.forEach(hints, (only) =>
        Stream.runCollect(store.readAll({ fromPosition: 1, toPosition: 17, batchSize: 2, only }))
      )
      return { all, read }
    }).pipe(
      Effect.provide(Layer.mergeAll(SqliteEventStore.layer({ filename: tempFile() }), TestClock.layer())),
      Effect.scoped,
      Effect.runPromise
    )
    const positions = (events: ReadonlyArray<Envelope.StoredEvent>) => events.map((e) => e.position)
    // Events 1..16: the type alternates (odd i: Other), the tenant cycles a, b, c, the year cycles
    // 2020..2023, event i is recorded at minute i.
    expect(read.map(positions)).toEqual([
      [1, 3, 5, 7, 9, 11, 13, 15],
      [1, 4, 7, 10, 13, 16],
      [1, 4, 5, 8, 9, 12, 13, 16],
      [1, 2, 3, 4, 5, 6],
      [6, 12],
      []
    ])
    // What is returned is the events as stored.
    expect(read[1]).toEqual(all.filter((e) => [1, 4, 7, 10, 13, 16].includes(e.position)))
  })

  test.prop(
    [
      fc.array(
        fc.record({
          tenant: fc.constantFrom(...TENANTS),
          type: fc.constantFrom(...TYPES),
          year: fc.integer({ min: 2019, max: 2024 }),
          step: fc.integer({ min: 0, max: 3 })
        }),
        { maxLength: 30 }
      ),
      fc.array(
        fc.record(
          {
            tenant: fc.constantFrom(...TENANTS),
            asOf: fc.integer({ min: 2018, max: 2025 }).map((y) => `${y}-06-30`),
            knownAt: fc
              .integer({ min: 0, max: 100 })
              .map((m) => new Date(Date.UTC(2023, 0, 1) + m * 60_000).toISOString())
          },
          { requiredKeys: [] }
        ),
        { minLength: 1, maxLength: 3 }
      ),
      fc.nat()
    ],
    { numRuns: 25 }
  )(
    "run and runMany over hinted reads, resumed from a checkpoint, equal a tally of the events by hand",
    async (history, filters, cut) => {
      const filename = tempFile()
      const result = await Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        let minute = 0
        const at = cut % (history.length + 1)
        for (const [i, h] of history.entries()) {
          if (i === at) yield* Projection.runMany(tallying, catalog, filters)
          minute += h.step
          yield* TestClock.setTime(Date.UTC(2023, 0, 1) + minute * 60_000)
          yield* store.append(`s-${i % 3}`, [
            sample({ type: h.type, tenant: h.tenant, occurredAt: `${h.year}-06-30`, payload: { n: i } })
          ])
        }
        const many = yield* Projection.runMany(tallying, catalog, filters)
        const one = yield* Effect.forEach(filters, (filter) => Projection.run(tallying, catalog, filter))
        const all = yield* Stream.runCollect(store.readAll())
        const head = yield* store.head
        return { many, one, all, head }
      }).pipe(
        Effect.provide(
          Layer.mergeAll(
            SqliteCheckpointStore.layer({ saveEvery: 1 }).pipe(
              Layer.provideMerge(SqliteEventStore.layer({ filename }))
            ),
            TestClock.layer()
          )
        ),
        Effect.scoped,
        Effect.runPromise
      )
      const expected = filters.map((f) => byHand(result.all, f))
      expect(result.many.map((s) => s.state)).toEqual(expected)
      expect(result.one.map((s) => s.state)).toEqual(expected)
      // Every run ends at the head, whatever the store left out.
      expect(result.many.map((s) => s.position)).toEqual(filters.map(() => history.length))
      expect(result.one.map((s) => s.position)).toEqual(filters.map(() => history.length))
    }
  )

  it("a checkpoint saved after a read that left out the last events is tied to the head", async () => {
    // Five events; the last two are of region-b, which the filter rejects: the read ends at
    // position 2, yet the run is at 5 and a second run (from the checkpoint) reads nothing.
    const filename = tempFile()
    const { first, second, head, saved } = await Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      for (let i = 0; i < 5; i++) {
        yield* store.append(`s-${i}`, [
          sample({ tenant: i < 3 ? "kommun-a" : "region-b", payload: { n: i } })
        ])
      }
      const first = yield* Projection.run(tallying, catalog, { tenant: "kommun-a" })
      const checkpoints = yield* ProjectionCheckpoints.ProjectionCheckpoints
      const saved = yield* checkpoints.load({
        projection: "test/hinted-tally",
        version: 1,
        filter: ProjectionCheckpoints.filterKey({ tenant: "kommun-a" })
      })
      const second = yield* Projection.run(tallying, catalog, { tenant: "kommun-a" })
      return { first, second, head: yield* store.head, saved }
    }).pipe(
      Effect.provide(
        SqliteCheckpointStore.layer({ saveEvery: 1 }).pipe(
          Layer.provideMerge(SqliteEventStore.layer({ filename }))
        )
      ),
      Effect.scoped,
      Effect.runPromise
    )
    expect(first.position).toBe(5)
    expect(first.state).toEqual({ "kommun-a/ContractEventRecorded": 3 })
    expect(second.position).toBe(5)
    expect(second.state).toEqual({ "kommun-a/ContractEventRecorded": 3 })
    expect(head.size).toBe(5)
    expect(saved?.position).toBe(5)
    expect(saved?.hash).toBe(head.lastHash)
  })
})
