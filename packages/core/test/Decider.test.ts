import { Decider, EventStore } from "@utblick/core"
import * as Registry from "@utblick/core/events/Registry"
import { DeciderSpec } from "@utblick/core/testing"
import { Data, Effect, Result, Stream } from "effect"
import { describe, expect, it } from "vitest"
import { catalog, type RegistryEvent } from "./fixtures.js"

// A test decider over the registry's mapping events: a mapping may be redefined many times,
// but never with an empty set of pairs and never by someone who is not a registrar.
interface DefineMapping {
  readonly mappingId: string
  readonly from: string
  readonly to: string
  readonly pairs: ReadonlyArray<{ readonly from: string; readonly to: string }>
  readonly actor: { readonly id: string; readonly role: string }
  readonly occurredAt: string
  readonly decisionRef?: string
}
type MappingState = { readonly status: "undefined" } | { readonly status: "defined"; readonly revisions: number }
class EmptyMapping extends Data.TaggedError("EmptyMapping")<{ readonly mappingId: string }> {}
class NotARegistrar extends Data.TaggedError("NotARegistrar")<{ readonly role: string }> {}

const mappings = (options: { readonly yieldWhileDeciding?: boolean } = {}) =>
  Decider.make<DefineMapping, RegistryEvent, MappingState, EmptyMapping | NotARegistrar>({
    name: "test/mapping",
    initialState: () => ({ status: "undefined" }),
    evolve: (state, event) =>
      event._tag === "SchemeMappingDefined"
        ? { status: "defined", revisions: (state.status === "defined" ? state.revisions : 0) + 1 }
        : state,
    decide: (command) =>
      Effect.gen(function* () {
        // Yielding here lets other fibers interleave between load and append, forcing conflicts.
        if (options.yieldWhileDeciding === true) yield* Effect.yieldNow
        if (command.actor.role !== "registrar") return yield* new NotARegistrar({ role: command.actor.role })
        if (command.pairs.length === 0) return yield* new EmptyMapping({ mappingId: command.mappingId })
        const event: RegistryEvent = {
          _tag: "SchemeMappingDefined",
          mappingId: command.mappingId,
          fromSchemeId: command.from,
          toSchemeId: command.to,
          pairs: command.pairs
        }
        return [event]
      })
  })

const define = (overrides: Partial<DefineMapping> = {}): DefineMapping => ({
  mappingId: "nationell-2015-2021",
  from: "nationell-strategi-2015-2020",
  to: "nationell-strategi-2021-2030",
  pairs: [{ from: "innovation", to: "innovation-och-foretagande" }],
  actor: { id: "anna", role: "registrar" },
  occurredAt: "2021-03-01",
  ...overrides
})

const handler = (options: { readonly yieldWhileDeciding?: boolean; readonly maxAttempts?: number } = {}) =>
  Decider.makeCommandHandler({
    decider: mappings(options),
    catalog,
    streamId: (c: DefineMapping) => `mapping-${c.mappingId}`,
    metadata: (c) => ({
      tenant: "region-norrbotten",
      actor: c.actor,
      occurredAt: c.occurredAt,
      ...(c.decisionRef === undefined ? {} : { decisionRef: c.decisionRef })
    }),
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts })
  })

describe("decider specification (given/when/then)", () => {
  const spec = DeciderSpec.forDecider(mappings())
  it("emits the mapping event", () => {
    spec
      .given([])
      .when(define())
      .then([
        {
          _tag: "SchemeMappingDefined",
          mappingId: "nationell-2015-2021",
          fromSchemeId: "nationell-strategi-2015-2020",
          toSchemeId: "nationell-strategi-2021-2030",
          pairs: [{ from: "innovation", to: "innovation-och-foretagande" }]
        }
      ])
  })
  it("refuses an empty mapping and a role that may not define one", () => {
    spec.given([]).when(define({ pairs: [] })).thenFails("EmptyMapping")
    spec
      .given([])
      .when(define({ actor: { id: "bo", role: "traveller" } }))
      .thenFails("NotARegistrar", (e) => expect(e).toMatchObject({ role: "traveller" }))
  })
})

describe("command handler", () => {
  it("appends the decided events with the command's metadata in the envelope", async () => {
    const { result, stored } = await Effect.gen(function* () {
      const result = yield* handler()(define({ decisionRef: "RUN 00060-2022" }))
      const stored = yield* (yield* EventStore.EventStore).readStream("mapping-nationell-2015-2021")
      return { result, stored }
    }).pipe(Effect.provide(EventStore.layerMemory()), Effect.runPromise)
    expect(result.attempts).toBe(1)
    expect(result.state).toEqual({ status: "defined", revisions: 1 })
    expect(stored).toHaveLength(1)
    expect(stored[0]).toMatchObject({
      type: "SchemeMappingDefined",
      schemaVersion: 1,
      occurredAt: "2021-03-01",
      tenant: "region-norrbotten",
      actor: { id: "anna", role: "registrar" },
      decisionRef: "RUN 00060-2022",
      streamVersion: 1
    })
    expect(stored[0]?.payload).not.toHaveProperty("_tag")
  })

  it("writes nothing when the decider refuses", async () => {
    const { error, size } = await Effect.gen(function* () {
      const error = yield* Effect.flip(handler()(define({ pairs: [] })))
      return { error, size: (yield* (yield* EventStore.EventStore).head).size }
    }).pipe(Effect.provide(EventStore.layerMemory()), Effect.runPromise)
    expect(error._tag).toBe("EmptyMapping")
    expect(size).toBe(0)
  })

  it("retries on conflict: 8 concurrent handlers on one stream lose and duplicate nothing", async () => {
    const { results, stored } = await Effect.gen(function* () {
      const handle = handler({ yieldWhileDeciding: true, maxAttempts: 100 })
      const results = yield* Effect.all(
        Array.from({ length: 8 }, (_, w) =>
          Effect.forEach(Array.from({ length: 5 }, (_, k) => k), (k) =>
            handle(define({ pairs: [{ from: `w${w}`, to: `k${k}` }] }))
          )
        ),
        { concurrency: "unbounded" }
      )
      const stored = yield* Stream.runCollect((yield* EventStore.EventStore).readAll())
      return { results: results.flat(), stored }
    }).pipe(Effect.provide(EventStore.layerMemory()), Effect.runPromise)
    expect(stored).toHaveLength(40)
    expect(stored.map((e) => e.streamVersion)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1))
    const pairs = stored.map((e) => JSON.stringify(e.payload["pairs"]))
    expect(new Set(pairs).size).toBe(40)
    // The yield inside decide makes the race real: some commands needed more than one attempt.
    expect(Math.max(...results.map((r) => r.attempts))).toBeGreaterThan(1)
  })

  it("gives up after maxAttempts with the conflict, naming stream and versions", async () => {
    const error = await Effect.gen(function* () {
      const handle = handler({ yieldWhileDeciding: true, maxAttempts: 1 })
      const outcomes = yield* Effect.all(
        Array.from({ length: 4 }, () => Effect.result(handle(define()))),
        { concurrency: "unbounded" }
      )
      const failures = outcomes.filter(Result.isFailure).map((r) => r.failure)
      expect(failures.length).toBeGreaterThan(0)
      return failures[0]
    }).pipe(Effect.provide(EventStore.layerMemory()), Effect.runPromise)
    expect(error?._tag).toBe("EventStoreError")
    expect(error?.message).toContain("mapping-nationell-2015-2021")
  })

  it("fails with a typed error when a decided event does not satisfy its schema, writing nothing", async () => {
    const bad = Decider.makeCommandHandler({
      decider: Decider.make<DefineMapping, RegistryEvent, MappingState, never>({
        name: "test/bad",
        initialState: () => ({ status: "undefined" }),
        evolve: (s) => s,
        decide: () =>
          Effect.succeed([
            { _tag: "ActorRegistered", actorId: "", name: "Luleå kommun", kind: "municipality" } as RegistryEvent
          ])
      }),
      catalog,
      streamId: () => "actor-x",
      metadata: (c) => ({ tenant: "lulea-kommun", actor: c.actor, occurredAt: c.occurredAt })
    })
    const { error, size } = await Effect.gen(function* () {
      const error = yield* Effect.flip(bad(define()))
      return { error, size: (yield* (yield* EventStore.EventStore).head).size }
    }).pipe(Effect.provide(EventStore.layerMemory()), Effect.runPromise)
    expect(error._tag).toBe("EventEncodeError")
    expect(error.message).toContain("actorId")
    expect(size).toBe(0)
  })
})

describe("multi-stream handler", () => {
  // A decision over two mapping streams: it counts the revisions of both and defines the next
  // revision of each, so it must be decided again whenever either stream moved underneath it.
  const revisions = { initialState: (): number => 0, evolve: (n: number) => n + 1 }
  const mapping = (mappingId: string, revision: number): RegistryEvent => ({
    _tag: "SchemeMappingDefined",
    mappingId,
    fromSchemeId: "a",
    toSchemeId: "b",
    pairs: [{ from: `r${revision}`, to: "x" }]
  })
  const both = (options: { readonly maxAttempts?: number; readonly writeUnread?: boolean } = {}) =>
    Decider.makeMultiStreamHandler({
      catalog,
      metadata: (c: DefineMapping) => ({ tenant: "region-norrbotten", actor: c.actor, occurredAt: c.occurredAt, causationId: "cause-1" }),
      ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
      decide: (_command: DefineMapping, read: Decider.StreamReader<RegistryEvent>) =>
        Effect.gen(function* () {
          const a = yield* read.load("mapping-a", revisions)
          yield* Effect.yieldNow // lets a rival decision interleave between the reads and the write
          const b = yield* read.load("mapping-b", revisions)
          return {
            seen: [a, b],
            writes: [
              { streamId: "mapping-a", events: [mapping("a", a + 1)] },
              { streamId: options.writeUnread === true ? "mapping-c" : "mapping-b", events: [mapping("b", b + 1)] }
            ]
          }
        })
    })

  it("appends every stream it read in one write, each event with the command's envelope", async () => {
    const { result, stored } = await Effect.gen(function* () {
      const result = yield* both()(define())
      const stored = yield* Stream.runCollect((yield* EventStore.EventStore).readAll())
      return { result, stored }
    }).pipe(Effect.provide(EventStore.layerMemory()), Effect.runPromise)
    expect(result.seen).toEqual([0, 0])
    expect(result.attempts).toBe(1)
    expect(stored.map((e) => [e.position, e.streamId, e.streamVersion, e.type])).toEqual([
      [0, "mapping-a", 1, "SchemeMappingDefined"],
      [1, "mapping-b", 1, "SchemeMappingDefined"]
    ])
    expect(stored.map((e) => [e.tenant, e.actor.id, e.occurredAt, e.causationId])).toEqual([
      ["region-norrbotten", "anna", "2021-03-01", "cause-1"],
      ["region-norrbotten", "anna", "2021-03-01", "cause-1"]
    ])
  })

  it("decides again when either stream moved: 6 concurrent decisions leave both streams at revision 6", async () => {
    const { results, stored } = await Effect.gen(function* () {
      const handle = both({ maxAttempts: 100 })
      const results = yield* Effect.all(Array.from({ length: 6 }, () => handle(define())), { concurrency: "unbounded" })
      const stored = yield* Stream.runCollect((yield* EventStore.EventStore).readAll())
      return { results, stored }
    }).pipe(Effect.provide(EventStore.layerMemory()), Effect.runPromise)
    // Each decision saw both streams at the same revision, and no two saw the same one.
    expect(results.map((r) => r.seen[0]).sort()).toEqual([0, 1, 2, 3, 4, 5])
    expect(results.every((r) => r.seen[0] === r.seen[1])).toBe(true)
    const revisionsOf = (id: string) =>
      stored.filter((e) => e.streamId === `mapping-${id}`).map((e) => (e.payload["pairs"] as Array<{ from: string }>)[0]?.from)
    expect(revisionsOf("a")).toEqual(["r1", "r2", "r3", "r4", "r5", "r6"])
    expect(revisionsOf("b")).toEqual(["r1", "r2", "r3", "r4", "r5", "r6"])
    expect(Math.max(...results.map((r) => r.attempts))).toBeGreaterThan(1)
  })

  it("gives up after maxAttempts with the conflict, writing nothing for the loser", async () => {
    const { outcomes, size } = await Effect.gen(function* () {
      const handle = both({ maxAttempts: 1 })
      const outcomes = yield* Effect.all(Array.from({ length: 2 }, () => Effect.result(handle(define()))), { concurrency: "unbounded" })
      return { outcomes, size: (yield* (yield* EventStore.EventStore).head).size }
    }).pipe(Effect.provide(EventStore.layerMemory()), Effect.runPromise)
    const failures = outcomes.filter(Result.isFailure).map((r) => r.failure)
    expect(failures).toHaveLength(1)
    expect(failures[0]?._tag).toBe("EventStoreError")
    expect(size).toBe(2) // the winner's two events; the loser wrote neither stream
  })

  it("refuses, as a defect, to write a stream it did not read", async () => {
    const exit = await both({ writeUnread: true })(define()).pipe(Effect.provide(EventStore.layerMemory()), Effect.runPromiseExit)
    expect(String(exit)).toContain('Die(Error: a multi-stream decision wrote stream "mapping-c" without reading it first)')
  })
})

describe("registry catalogue", () => {
  it("knows every registry event at its current version", () => {
    expect([...catalog.definitions.values()].map((d) => [d.tag, d.version])).toEqual([
      ["ActorRegistered", 1],
      ["OrganisationRegistered", 2],
      ["ClassificationSchemeAdopted", 1],
      ["SchemeMappingDefined", 1]
    ])
    expect(Registry.RegistryEvent.cases.ActorRegistered).toBeDefined()
  })
})
