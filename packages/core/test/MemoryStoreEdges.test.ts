// The in-memory store beyond the shared contract (mutation testing's targets): the read windows it
// clamps (negative starts, ends past the log, chunk sizes below 1), a stream read from version 0
// or below, the records' positions and links, its origin, and the catalogue check at append time
// naming the event's place among its own stream's events. Expected values written out by hand.
import { EventStore, HashChain } from "@utblick/core"
import { EventStoreContract } from "@utblick/core/testing"
import { Effect, Stream } from "effect"
import { describe, expect, it } from "vitest"
import { catalog, organisationRegistered, toAppend } from "./fixtures.js"

const sample = (i: number) => EventStoreContract.sampleEvent({ payload: { i } })

// Five events: positions 0–4, streams a, b, a, b, a.
const withFive = <A>(use: (store: EventStore.EventStoreShape) => Effect.Effect<A, unknown>) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    for (let i = 0; i < 5; i++) yield* store.append(i % 2 === 0 ? "a" : "b", [sample(i)])
    return yield* use(store)
  }).pipe(Effect.provide(EventStore.layerMemory()), Effect.runPromise as <X>(e: Effect.Effect<X, unknown>) => Promise<X>)

const positions = (stream: Stream.Stream<{ readonly position: number }, unknown>) =>
  Effect.map(Stream.runCollect(stream), (events) => events.map((e) => e.position))

const chunkSizes = (stream: Stream.Stream<unknown, unknown>) =>
  Stream.runCollect(stream.pipe(Stream.mapArray((chunk) => [chunk.length] as const)))

describe("memory store: read windows", () => {
  it("clamps the window to the log and reads nothing when it is empty", async () => {
    const outcome = await withFive((store) =>
      Effect.all({
        negative: positions(store.readAll({ fromPosition: -3, toPosition: 2 })),
        pastEnd: positions(store.readAll({ fromPosition: 3, toPosition: 99 })),
        fromEnd: positions(store.readAll({ fromPosition: 5 })),
        empty: positions(store.readAll({ fromPosition: 2, toPosition: 2 })),
        all: positions(store.readAll()),
        records: positions(store.readRecords({ fromPosition: -1, toPosition: 3 }))
      })
    )
    expect(outcome).toEqual({
      negative: [0, 1],
      pastEnd: [3, 4],
      fromEnd: [],
      empty: [],
      all: [0, 1, 2, 3, 4],
      records: [0, 1, 2]
    })
  })

  it("reads in chunks of the asked size, and of 1 when asked for less", async () => {
    const outcome = await withFive((store) =>
      Effect.all({
        twos: chunkSizes(store.readAll({ batchSize: 2 })),
        zero: chunkSizes(store.readAll({ batchSize: 0 })),
        negative: chunkSizes(store.readRecords({ batchSize: -4 })),
        default: chunkSizes(store.readAll()),
        window: chunkSizes(store.readAll({ fromPosition: 1, toPosition: 4, batchSize: 2 }))
      })
    )
    expect(outcome).toEqual({ twos: [2, 2, 1], zero: [1, 1, 1, 1, 1], negative: [1, 1, 1, 1, 1], default: [5], window: [2, 1] })
  })

  it("reads a stream from a version, from its start for version 1 or below", async () => {
    const outcome = await withFive((store) =>
      Effect.all({
        from2: store.readStream("a", { fromVersion: 2 }),
        from0: store.readStream("a", { fromVersion: 0 }),
        fromMinus: store.readStream("b", { fromVersion: -2 }),
        whole: store.readStream("b"),
        past: store.readStream("a", { fromVersion: 4 }),
        none: store.readStream("c")
      })
    ).then((r) => Object.fromEntries(Object.entries(r).map(([k, events]) => [k, events.map((e) => e.position)])))
    expect(outcome).toEqual({ from2: [2, 4], from0: [0, 2, 4], fromMinus: [1, 3], whole: [1, 3], past: [], none: [] })
  })

  it("gives each record its position, its canonical text and the hashes that link it", async () => {
    const { records, events } = await withFive((store) =>
      Effect.all({ records: Stream.runCollect(store.readRecords()), events: Stream.runCollect(store.readAll()) })
    )
    expect(records.map((r) => r.position)).toEqual([0, 1, 2, 3, 4])
    expect(records.map((r) => r.prevHash)).toEqual([HashChain.GENESIS_HASH, ...events.slice(0, 4).map((e) => e.hash)])
    expect(records.map((r) => r.hash)).toEqual(events.map((e) => e.hash))
    // The text is the event's own: its payload { i } is in it, and the chain hash is over it.
    expect(records.map((r) => JSON.parse(r.canonical).payload.i)).toEqual([0, 1, 2, 3, 4])
    expect(records.map((r) => HashChain.chainHash(r.prevHash, r.canonical))).toEqual(events.map((e) => e.hash))
  })

  it("subscribes from the start of the log by default", async () => {
    const seen = await withFive((store) => positions(Stream.take(store.subscribe(), 5)))
    expect(seen).toEqual([0, 1, 2, 3, 4])
  })

  it("names its origin: utblick.local/memory unless told", async () => {
    const origin = (layer: ReturnType<typeof EventStore.layerMemory>) =>
      Effect.runPromise(
        Effect.provide(
          Effect.gen(function* () {
            return (yield* EventStore.EventStore).origin
          }),
          layer
        )
      )
    expect(await origin(EventStore.layerMemory())).toBe("utblick.local/memory")
    expect(await origin(EventStore.layerMemory({ origin: "lulea.example/log" }))).toBe("lulea.example/log")
  })
})

describe("memory store: the catalogue check at append time", () => {
  const ok = (n: number) => toAppend(organisationRegistered(`org-${n}`, "eu"), "2022-01-01")
  const unknown = { ...ok(0), type: "NotInCatalogue" }

  it("refuses the whole append, naming the event's place in its own stream's events, and writes nothing", async () => {
    const outcome = await Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      const refused = yield* Effect.flip(
        store.appendMany([
          { streamId: "a", events: [ok(1)] },
          { streamId: "b", events: [ok(2), ok(3), unknown] }
        ])
      )
      const firstRefused = yield* Effect.flip(store.append("c", [unknown, ok(4)]))
      const sizeAfter = (yield* store.head).size
      const accepted = yield* store.append("b", [ok(5)])
      return { refused: refused.reason, firstRefused: firstRefused.reason, sizeAfter, accepted: accepted.firstPosition }
    }).pipe(Effect.provide(EventStore.layerMemory({ catalog })), Effect.runPromise)
    expect(outcome.refused).toMatchObject({
      _tag: "InvalidEvent",
      streamId: "b",
      index: 2,
      field: "/payload",
      value: "NotInCatalogue",
      rule: "the type is not in the event catalogue"
    })
    expect(outcome.firstRefused).toMatchObject({ _tag: "InvalidEvent", streamId: "c", index: 0 })
    expect([outcome.sizeAfter, outcome.accepted]).toEqual([0, 0])
  })
})
