/**
 * Read hints (ADR 0047) from the projection runtime's side: the hint `run` and `runMany` give the
 * store (`ReadAllOptions.only`), and the end of a read at the head taken when it started, whatever
 * the store left out. The memory store ignores hints, so the store here is the memory store behind
 * a wrapper that records each read's options and leaves out what the hint rejects, as the SQLite
 * store does in SQL. Every expected hint, state and position is worked out by hand from the edge
 * log (fixtures.ts), written below as literals.
 */
import { EventStore, Projection, ProjectionCheckpoints } from "@utblick/core"
import { Effect, Layer, Stream } from "effect"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "vitest"
import { appendEdgeLog, catalog, type OrganisationsState, organisations } from "./fixtures.js"

// The edge log, recorded one day apart from 2023-01-02T00:00:00.000Z:
//   position 0: UBC, regional-arctic, occurred 2022-05-01, Luleå, recorded 2023-01-02T00:00:00.000Z
//   position 1: SERN, eu, occurred 2022-12-31, Norrbotten, recorded 2023-01-03T00:00:00.000Z
//   position 2: EUROCITIES, eu, occurred 2023-01-01, Luleå, recorded 2023-01-04T00:00:00.000Z
//   position 3: SomethingElse, occurred 2023-01-01, Luleå, recorded 2023-01-04T00:00:00.000Z
// Its head: size 4, the hash of position 3.
const LULEA = "lulea-kommun"
const NORRBOTTEN = "region-norrbotten"
const TYPES = ["OrganisationRegistered"]

// An event the hint lets through, decided here by hand as the SQLite store decides it in SQL.
const passesHint = (only: EventStore.ReadHint, e: EventStore.EventHead): boolean =>
  (only.types === undefined || only.types.includes(e.type)) &&
  (only.tenant === undefined || e.tenant === only.tenant) &&
  (only.asOf === undefined || e.occurredAt <= only.asOf) &&
  (only.knownAt === undefined || e.recordedAt <= only.knownAt)

// The memory store behind a wrapper that records every `readAll`'s options and honours the hint.
const hinting = (
  memory: EventStore.EventStoreShape,
  reads: Array<EventStore.ReadAllOptions | undefined>
): EventStore.EventStoreShape => ({
  ...memory,
  readAll: (options) => {
    reads.push(options)
    const only = options?.only
    return only === undefined
      ? memory.readAll(options)
      : memory.readAll(options).pipe(Stream.filter((e) => passesHint(only, e)))
  }
})

interface Outcome<A> {
  readonly answer: A
  readonly reads: ReadonlyArray<EventStore.ReadAllOptions | undefined>
  // Each stored event's hash, by position, read from the memory store itself.
  readonly hashes: ReadonlyArray<string>
  readonly saved: ReadonlyArray<ProjectionCheckpoints.Checkpoint | undefined>
}

// Appends the edge log, then runs `program` against the hinting store with checkpoints saved after
// every event; answers with the reads, the stored hashes and the checkpoints saved under `filters`.
const withHints = <A, E>(
  program: Effect.Effect<A, E, EventStore.EventStore>,
  filters: ReadonlyArray<Projection.TimeFilter> = []
): Promise<Outcome<A>> => {
  const checkpoints = ProjectionCheckpoints.makeMemory({ saveEvery: 1 })
  return Effect.gen(function* () {
    const memory = yield* EventStore.EventStore
    yield* appendEdgeLog
    const reads: Array<EventStore.ReadAllOptions | undefined> = []
    const answer = yield* program.pipe(Effect.provideService(EventStore.EventStore, hinting(memory, reads)))
    const saved = yield* Effect.forEach(filters, (filter) =>
      checkpoints.load({
        projection: organisations.name,
        version: organisations.version,
        filter: ProjectionCheckpoints.filterKey(filter)
      })
    )
    const hashes = (yield* Stream.runCollect(memory.readAll())).map((e) => e.hash)
    return { answer, reads, hashes, saved }
  }).pipe(
    Effect.provide(Layer.mergeAll(EventStore.layerMemory(), TestClock.layer())),
    Effect.provideService(ProjectionCheckpoints.ProjectionCheckpoints, checkpoints),
    Effect.runPromise as <X>(e: Effect.Effect<X, unknown>) => Promise<X>
  )
}

describe("Projection.run's hint", () => {
  it("names the projection's types and each bound of its filter, and reads to the head", async () => {
    const filter = { tenant: LULEA, asOf: "2022-12-31", knownAt: "2023-01-03T00:00:00.000Z" }
    const { answer, reads } = await withHints(Projection.run(organisations, catalog, filter))
    // One read, from 0 to the head (4), with the filter's three bounds as they are.
    expect(reads).toStrictEqual([
      {
        fromPosition: 0,
        toPosition: 4,
        only: { types: TYPES, tenant: LULEA, asOf: "2022-12-31", knownAt: "2023-01-03T00:00:00.000Z" }
      }
    ])
    // Luleå, occurred by 2022-12-31, recorded by 2023-01-03: UBC alone.
    expect(answer.state.count).toBe(1)
    expect(answer.position).toBe(4)
  })

  it("names no bound its filter leaves out (not even as undefined)", async () => {
    const { reads } = await withHints(Projection.run(organisations, catalog, {}))
    expect(reads).toStrictEqual([{ fromPosition: 0, toPosition: 4, only: { types: TYPES } }])
  })

  it("gives no hint, and reads no further, when the caller sets where the read ends", async () => {
    const { answer, reads } = await withHints(
      Projection.run(organisations, catalog, { toPosition: 2, tenant: LULEA })
    )
    expect(reads).toStrictEqual([{ fromPosition: 0, toPosition: 2 }])
    // Positions 0 and 1 read whole; Luleå's of them: UBC. The run ends where it was told to.
    expect(answer.state.count).toBe(1)
    expect(answer.position).toBe(2)
  })

  it("ends at the head and saves its checkpoint with the head's hash when the store left out the last events", async () => {
    // Norrbotten's one event is at position 1: the store returns it alone (2 and 3 are Luleå's).
    const { answer, hashes, saved } = await withHints(
      Projection.run(organisations, catalog, { tenant: NORRBOTTEN }),
      [{ tenant: NORRBOTTEN }]
    )
    expect(answer.state.count).toBe(1)
    expect(answer.position).toBe(4)
    // Tied to the hash of position 3 (the head's), not of position 1, the last event read.
    expect(saved.map((c) => [c?.position, c?.hash])).toEqual([[4, hashes[3]]])
  })

  it("ends at the head when the store returned nothing at all", async () => {
    // No event occurred by 2000-01-01: nothing read, yet the run is at the head, with its hash.
    const { answer, hashes, saved } = await withHints(
      Projection.run(organisations, catalog, { asOf: "2000-01-01" }),
      [{ asOf: "2000-01-01" }]
    )
    expect(answer.state.count).toBe(0)
    expect(answer.position).toBe(4)
    expect(saved.map((c) => [c?.position, c?.hash])).toEqual([[4, hashes[3]]])
  })
})

describe("Projection.run's end at the head", () => {
  it("leaves a caller's snapshot that is past the head where it is", async () => {
    // A snapshot at position 6 of a log that holds 4 events: the read from 6 finds nothing, and the
    // run answers the snapshot's own position and state, as before reads ended at the head.
    const from: Projection.Snapshot<OrganisationsState> = {
      projection: organisations.name,
      version: organisations.version,
      position: 6,
      filter: {},
      state: { byFocus: {}, latest: null, count: 10 }
    }
    const { answer } = await withHints(Projection.run(organisations, catalog, { from }))
    expect([answer.state.count, answer.position]).toEqual([10, 6])
  })
})

describe("runMany's shared hint", () => {
  const many = (filters: ReadonlyArray<Projection.TimeFilter>) =>
    withHints(Projection.runMany(organisations, catalog, filters), filters)

  it("names a tenant every filter names, and each clock's largest bound", async () => {
    // The largest asOf is the middle one; the largest knownAt the first.
    const filters = [
      { tenant: LULEA, asOf: "2022-12-31", knownAt: "2023-01-04T00:00:00.000Z" },
      { tenant: LULEA, asOf: "2023-06-30", knownAt: "2023-01-02T00:00:00.000Z" },
      { tenant: LULEA, asOf: "2023-01-01", knownAt: "2023-01-03T00:00:00.000Z" }
    ]
    const { answer, reads } = await many(filters)
    expect(reads).toStrictEqual([
      {
        fromPosition: 0,
        toPosition: 4,
        only: { types: TYPES, tenant: LULEA, asOf: "2023-06-30", knownAt: "2023-01-04T00:00:00.000Z" }
      }
    ])
    // Luleå's organisations are UBC (2022-05-01, recorded 01-02) and EUROCITIES (2023-01-01,
    // recorded 01-04): the first filter's asOf stops EUROCITIES, the second's knownAt lets only
    // UBC through, the third's knownAt (01-03) stops EUROCITIES.
    expect(answer.map((s) => [s.state.count, s.position])).toEqual([
      [1, 4],
      [1, 4],
      [1, 4]
    ])
  })

  it("names no tenant when the filters name different ones, or none", async () => {
    const differ = await many([{ tenant: LULEA }, { tenant: NORRBOTTEN }])
    const none = await many([{}, {}])
    const some = await many([{ tenant: LULEA }, {}])
    for (const { reads } of [differ, none, some])
      expect(reads).toStrictEqual([{ fromPosition: 0, toPosition: 4, only: { types: TYPES } }])
    // Luleå: UBC and EUROCITIES; Norrbotten: SERN; every tenant: all three.
    expect(differ.answer.map((s) => s.state.count)).toEqual([2, 1])
    expect(none.answer.map((s) => s.state.count)).toEqual([3, 3])
    expect(some.answer.map((s) => s.state.count)).toEqual([2, 3])
  })

  it("names no clock bound when one filter has none, whichever comes first", async () => {
    const filters = [
      { asOf: "2022-12-31", knownAt: "2023-01-03T00:00:00.000Z" },
      {},
      { asOf: "2023-06-30", knownAt: "2023-01-04T00:00:00.000Z" }
    ]
    const { answer, reads } = await many(filters)
    expect(reads).toStrictEqual([{ fromPosition: 0, toPosition: 4, only: { types: TYPES } }])
    // By 2022-12-31 and recorded by 01-03: UBC and SERN; everything: three; by 2023-06-30 and
    // recorded by 01-04: three.
    expect(answer.map((s) => s.state.count)).toEqual([2, 3, 3])
  })

  it("with no filter at all, names the types alone", async () => {
    const { answer, reads } = await many([])
    expect(reads).toStrictEqual([{ fromPosition: 0, toPosition: 4, only: { types: TYPES } }])
    expect(answer).toEqual([])
  })

  it("ends at the head and saves each checkpoint with the head's hash when the store left out the last events", async () => {
    // Norrbotten's one event is at position 1; the store returns it alone.
    const { answer, hashes, saved } = await many([
      { tenant: NORRBOTTEN },
      { tenant: NORRBOTTEN, asOf: "2022-12-31" }
    ])
    expect(answer.map((s) => [s.state.count, s.position])).toEqual([
      [1, 4],
      [1, 4]
    ])
    // Tied to the hash of position 3, not of position 1, the last event read.
    expect(saved.map((c) => [c?.position, c?.hash])).toEqual([
      [4, hashes[3]],
      [4, hashes[3]]
    ])
  })

  it("ends at the head when the store returned nothing at all", async () => {
    const { answer, hashes, saved } = await many([{ asOf: "2000-01-01" }])
    expect(answer.map((s) => [s.state.count, s.position])).toEqual([[0, 4]])
    expect(saved.map((c) => [c?.position, c?.hash])).toEqual([[4, hashes[3]]])
  })
})
