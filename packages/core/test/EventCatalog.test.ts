import { EventCatalog, EventStore } from "@utblick/core"
import { Effect, Result, Schema, Stream } from "effect"
import { describe, expect, it } from "vitest"

// An upcaster that counts its calls makes decoding observable.
const counting = () => {
  let calls = 0
  const Noted = Schema.TaggedStruct("Noted", { text: Schema.String, source: Schema.String })
  const catalog = EventCatalog.make([
    EventCatalog.define(Noted, "Noted", { version: 2, upcasters: {
      1: (p) => {
        calls++
        return { ...p, source: "v1" }
      }
    } })
  ])
  return { catalog, calls: () => calls }
}

const v1 = { type: "Noted", schemaVersion: 1, occurredAt: "2022-01-01", tenant: "t", actor: { id: "a", role: "r" }, payload: { text: "hej" } }

describe("the decoded-event cache (ADR 0009)", () => {
  it("decodes an event kept by the memory store once, however often it is read", async () => {
    const { catalog, calls } = counting()
    const stored = await Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      yield* store.append("notes", [v1])
      return [...(yield* Stream.runCollect(store.readAll())), ...(yield* Stream.runCollect(store.readAll()))]
    }).pipe(Effect.provide(EventStore.layerMemory()), Effect.runPromise)
    const decoded = stored.map((e) => catalog.decode(e))
    expect(decoded.every(Result.isSuccess)).toBe(true)
    expect(decoded.map((d) => Result.isSuccess(d) && d.success)).toEqual([
      { _tag: "Noted", text: "hej", source: "v1" },
      { _tag: "Noted", text: "hej", source: "v1" }
    ])
    expect(calls()).toBe(1)
  })

  it("decodes and validates fresh objects (as durable stores return) every time, and never caches failures", async () => {
    const { catalog, calls } = counting()
    const [stored] = await Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      yield* store.append("notes", [v1])
      return yield* Stream.runCollect(store.readAll())
    }).pipe(Effect.provide(EventStore.layerMemory()), Effect.runPromise)
    const fresh = () => JSON.parse(JSON.stringify(stored))
    catalog.decode(fresh())
    catalog.decode(fresh())
    expect(calls()).toBe(2)
    const corrupt = { ...fresh(), payload: { text: 42 } }
    expect(Result.isFailure(catalog.decode(corrupt))).toBe(true)
    expect(Result.isFailure(catalog.decode(corrupt))).toBe(true)
  })

  it("gives each catalogue its own decoding of a kept event, and keeps the slot out of copies and JSON", async () => {
    const a = counting()
    // A second catalogue that decodes the same type differently (another upcaster).
    const Noted = Schema.TaggedStruct("Noted", { text: Schema.String, source: Schema.String })
    const b = EventCatalog.make([
      EventCatalog.define(Noted, "Noted", { version: 2, upcasters: { 1: (p) => ({ ...p, source: "other" }) } })
    ])
    const [stored] = await Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      yield* store.append("notes", [v1])
      return yield* Stream.runCollect(store.readAll())
    }).pipe(Effect.provide(EventStore.layerMemory()), Effect.runPromise)
    if (stored === undefined) throw new Error("no event")
    const sources = [a.catalog, b, a.catalog, a.catalog].map((c) => {
      const decoded = c.decode(stored)
      return Result.isSuccess(decoded) ? (decoded.success as { source: string }).source : "failed"
    })
    expect(sources).toEqual(["v1", "other", "v1", "v1"])
    // The slot belongs to the catalogue that filled it last: b's decode displaced a's once.
    expect(a.calls()).toBe(2)
    expect(Object.keys(stored)).not.toContain("decoded")
    expect(Object.getOwnPropertySymbols({ ...stored })).toEqual([])
    expect(JSON.parse(JSON.stringify(stored))).toEqual({ ...stored })
  })
})


describe("a memory store that validates at append", () => {
  const Noted = Schema.TaggedStruct("Noted", { text: Schema.String.pipe(Schema.check(Schema.isMinLength(1))), source: Schema.String })
  const catalog = EventCatalog.make([EventCatalog.define(Noted, "Noted", { version: 2, upcasters: { 1: (p) => ({ ...p, source: "v1" }) } })])
  const run = <A, E>(effect: Effect.Effect<A, E, EventStore.EventStore>) =>
    effect.pipe(Effect.provide(EventStore.layerMemory({ catalog })), Effect.runPromise)

  it("refuses an invalid payload or an unknown type with InvalidEvent, writing nothing of the append", async () => {
    const outcome = await run(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const bad = yield* Effect.flip(
          store.appendMany([
            { streamId: "notes", events: [v1] },
            { streamId: "other", events: [v1, { ...v1, payload: { text: "" } }] }
          ])
        )
        const unknown = yield* Effect.flip(store.append("notes", [{ ...v1, type: "Unknown" }]))
        return { bad, unknown, written: (yield* Stream.runCollect(store.readAll())).length }
      })
    )
    expect(outcome.written).toBe(0)
    expect(outcome.bad.reason._tag).toBe("InvalidEvent")
    expect(outcome.bad.message).toContain('event #1 for stream "other"')
    expect(outcome.bad.message).toContain("field /payload")
    expect(outcome.bad.message).toMatch(/length of at least 1/)
    expect(outcome.unknown.message).toContain("the type is not in the event catalogue")
  })

  it("hands out events already decoded by its catalogue: the first replay does not decode again", async () => {
    let upcasts = 0
    const counting = EventCatalog.make([
      EventCatalog.define(Noted, "Noted", { version: 2, upcasters: { 1: (p) => { upcasts++; return { ...p, source: "v1" } } } })
    ])
    const decoded = await Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      yield* store.append("notes", [v1, v1])
      const events = yield* Stream.runCollect(store.readAll())
      return events.map((e) => counting.decode(e))
    }).pipe(Effect.provide(EventStore.layerMemory({ catalog: counting })), Effect.runPromise)
    expect(upcasts).toBe(2)
    expect(decoded.map((d) => Result.isSuccess(d) && d.success)).toEqual([
      { _tag: "Noted", text: "hej", source: "v1" },
      { _tag: "Noted", text: "hej", source: "v1" }
    ])
  })
})
