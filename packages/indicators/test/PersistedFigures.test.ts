// Persisted year figures (ADR 0038): a report answered from its persisted figure — as saved, moved
// past events that do not count, or recomputed — equals a full replay without any persistence,
// for random growth of the log, random recorded-time clocks, random requests, and a log replaced
// under the figures. The oracle is `YearReport.forRequests` with no checkpoint store: every event
// folded from position 0, nothing read from or written to a cache.
import { serialize } from "node:v8"
import { fc, test } from "@fast-check/vitest"
import { EventStore, Events, LiveStates, ProjectionCheckpoints } from "@utblick/core"
import { PersistedFigures, YearReport } from "@utblick/indicators"
import { Effect, Layer, Stream } from "effect"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "vitest"
import { events as allocationEvents, C, GOALS } from "./fixtures/allocationGoals.js"
import { A, B, type FixtureEvent, events as handEvents } from "./fixtures/handComputed.js"
import { R1 } from "./fixtures/randomHistory.js"
import { received, runWith } from "./fixtures/rowEvents.js"

const ALL: ReadonlyArray<FixtureEvent> = [...handEvents, ...allocationEvents]
const START = Date.parse("2024-01-01T00:00:00.000Z")

const appendRow = ({ streamId, ...e }: FixtureEvent) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    yield* store.append(streamId, [
      { ...e, schemaVersion: Events.eventCatalog.definitions.get(e.type)?.version ?? 1 }
    ])
  })

const requestArb = fc.record(
  {
    year: fc.integer({ min: 2019, max: 2023 }),
    tenant: fc.constantFrom(A, B, C),
    asOf: fc.constantFrom("2021-06-30", "2022-06-30", "2023-12-31"),
    // Offsets into the clock of the appends (minutes from START): before, between and after them.
    knownAtMinutes: fc.integer({ min: 0, max: 400 }),
    goalsSchemeId: fc.constant(GOALS),
    actorId: fc.constantFrom(A, C),
    grants: fc.record({ instrument: fc.constantFrom("business-support", "project-support") })
  },
  { requiredKeys: ["year"] }
)
type RequestSpec = typeof requestArb extends fc.Arbitrary<infer R> ? R : never

const toRequest = ({ knownAtMinutes, ...rest }: RequestSpec): YearReport.ReportRequest => ({
  ...rest,
  ...(knownAtMinutes === undefined
    ? {}
    : { knownAt: new Date(START + knownAtMinutes * 60_000).toISOString() })
})

// The figures of a persisted answer and of a replay, side by side (models are not persisted).
const figuresOf = (r: YearReport.YearFigures) => ({
  year: r.year,
  asOf: r.asOf,
  knownAt: r.knownAt,
  tenant: r.tenant,
  position: r.position,
  values: r.values,
  registry: r.registry
})

// Appends `rows` a chunk at a time (the clock moves `minutes[i]` before chunk i) and, after each
// chunk, asks `requests` through the figures and through a replay with no persistence.
const grow = (
  rows: ReadonlyArray<FixtureEvent>,
  chunks: ReadonlyArray<{ readonly size: number; readonly minutes: number }>,
  requests: ReadonlyArray<YearReport.ReportRequest>
) =>
  Effect.gen(function* () {
    const pairs: Array<{ persisted: unknown; replayed: unknown }> = []
    let at = 0
    let now = START
    for (const chunk of [...chunks, { size: rows.length, minutes: 1 }]) {
      now += chunk.minutes * 60_000
      yield* TestClock.setTime(now)
      for (const row of rows.slice(at, at + chunk.size)) yield* appendRow(row)
      at = Math.min(rows.length, at + chunk.size)
      const persisted = yield* YearReport.figuresForRequests(requests)
      const replayed = yield* YearReport.forRequests(requests).pipe(
        Effect.provideService(ProjectionCheckpoints.ProjectionCheckpoints, ProjectionCheckpoints.none)
      )
      pairs.push({ persisted: persisted.map(figuresOf), replayed: replayed.map(figuresOf) })
      if (at >= rows.length) break
    }
    return pairs
  })

const chunksArb = fc.array(
  fc.record({ size: fc.integer({ min: 1, max: 40 }), minutes: fc.integer({ min: 1, max: 60 }) }),
  {
    minLength: 1,
    maxLength: 8
  }
)

describe("persisted year figures", () => {
  // With `live`, the read models stay in memory between the questions, as in a running service
  // (ADR 0042): each question folds only the new events into the states the previous one kept.
  test.prop(
    [chunksArb, fc.array(requestArb, { minLength: 1, maxLength: 4 }), fc.nat(), fc.nat(), fc.boolean()],
    { numRuns: 40 }
  )(
    "answers equal a full replay as the log grows, on random clocks and requests, and after the log is replaced",
    async (chunks, specs, dropA, dropB, live) => {
      const requests = specs.map(toRequest)
      const checkpoints = ProjectionCheckpoints.makeMemory()
      const states = live ? LiveStates.make() : LiveStates.none
      const run = <X>(program: Effect.Effect<X, unknown, EventStore.EventStore>) =>
        program.pipe(
          Effect.provide(
            Layer.mergeAll(EventStore.layerMemory({ catalog: Events.eventCatalog }), TestClock.layer())
          ),
          Effect.provideService(ProjectionCheckpoints.ProjectionCheckpoints, checkpoints),
          Effect.provideService(LiveStates.LiveStates, states),
          Effect.runPromise as (e: Effect.Effect<X, unknown>) => Promise<X>
        )
      const grown = await run(grow(ALL, chunks, requests))
      expect(grown.length).toBeGreaterThan(0)
      expect(grown.map((p) => p.persisted)).toEqual(grown.map((p) => p.replayed))
      // Another log of the same length in the same checkpoint store (a restored or replaced file):
      // one event left out and another one recorded twice at the end (in a stream of its own), so
      // the figures saved at the end of the first log sit at this log's end too. None may answer.
      const twice = ALL[dropB % ALL.length] as FixtureEvent
      const other = [
        ...ALL.filter((_, i) => i !== dropA % ALL.length),
        { ...twice, streamId: "recorded-twice" }
      ]
      // Appended in one go, so the first question meets the first log's figures at this length.
      const replaced = await run(grow(other, [{ size: other.length, minutes: 1 }], requests))
      expect(replaced.map((p) => p.persisted)).toEqual(replaced.map((p) => p.replayed))
    }
  )

  it("moves a figure past events that do not count, and recomputes after one that does", async () => {
    const checkpoints = ProjectionCheckpoints.makeMemory()
    const request = { year: 2022, asOf: "2022-12-31", tenant: A }
    const steps = await Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      const ofA = handEvents.filter((e) => e.tenant === A)
      const ofB = handEvents.filter((e) => e.tenant === B)
      for (const row of ofA) yield* appendRow(row)
      const first = yield* YearReport.figures(2022, { tenant: A })
      const saved = yield* PersistedFigures.lookup(store, checkpoints, request)
      // B's events do not count for A's report.
      for (const row of ofB) yield* appendRow(row)
      const afterB = yield* PersistedFigures.lookup(store, checkpoints, request)
      const headAfterB = (yield* store.head).size
      // A's own event counts (an organisation registered for A: the read models handle it).
      yield* appendRow({ ...(ofA[0] as FixtureEvent), streamId: "again" })
      const afterA = yield* PersistedFigures.lookup(store, checkpoints, request)
      return {
        first: first.position,
        ofA: ofA.length,
        saved: saved?.moved,
        afterB: afterB?.position,
        moved: afterB?.moved,
        headAfterB,
        afterA
      }
    }).pipe(
      Effect.provide(EventStore.layerMemory({ catalog: Events.eventCatalog })),
      Effect.provideService(ProjectionCheckpoints.ProjectionCheckpoints, checkpoints),
      Effect.runPromise
    )
    expect(steps.first).toBe(steps.ofA)
    expect(steps.saved).toBe(false)
    expect(steps.moved).toBe(true)
    expect(steps.afterB).toBe(steps.headAfterB)
    expect(steps.afterA).toBeUndefined()
  })

  it("a grant filter has a figure of its own, and an unchanged log answers every request without computing again", async () => {
    const memory = ProjectionCheckpoints.makeMemory()
    const saved: Array<string> = []
    // The same store, counting the figures saved: a figure is saved only when it was computed.
    const checkpoints: ProjectionCheckpoints.ProjectionCheckpointsShape = {
      ...memory,
      save: (key, checkpoint) => {
        if (key.projection === "year-figures") saved.push(key.filter)
        return memory.save(key, checkpoint)
      }
    }
    const requests: ReadonlyArray<YearReport.ReportRequest> = [
      { year: 2022, tenant: A, grants: { instrument: "project-support" } },
      { year: 2022, tenant: A }
    ]
    const { first, second, replayed } = await Effect.gen(function* () {
      for (const row of ALL) yield* appendRow(row)
      const first = yield* YearReport.figuresForRequests(requests)
      const second = yield* YearReport.figuresForRequests(requests)
      const replayed = yield* YearReport.forRequests(requests).pipe(
        Effect.provideService(ProjectionCheckpoints.ProjectionCheckpoints, ProjectionCheckpoints.none)
      )
      return { first, second, replayed }
    }).pipe(
      Effect.provide(EventStore.layerMemory({ catalog: Events.eventCatalog })),
      Effect.provideService(ProjectionCheckpoints.ProjectionCheckpoints, checkpoints),
      Effect.runPromise
    )
    // The filtered report leaves out what the filter cannot narrow (the approval rate), the other
    // keeps it: two figures, each equal to its replay, asked twice.
    expect(first[0]?.values.map((v) => v.id)).not.toContain("approval-rate")
    expect(first[1]?.values.map((v) => v.id)).toContain("approval-rate")
    expect(first.map(figuresOf)).toEqual(replayed.map(figuresOf))
    expect(second.map(figuresOf)).toEqual(replayed.map(figuresOf))
    // Two figures computed and saved by the first call, under two keys; none by the second.
    expect(saved).toHaveLength(2)
    expect(new Set(saved).size).toBe(2)
  })

  it("a new format or indicator version gives another key; a figure holds only values and classifications", () => {
    const key = PersistedFigures.keyOf({ year: 2022, asOf: "2022-12-31", tenant: A })
    expect(key.projection).toBe("year-figures")
    expect(JSON.parse(key.filter)).toMatchObject({
      format: PersistedFigures.FORMAT,
      year: 2022,
      asOf: "2022-12-31",
      tenant: A
    })
    expect(
      PersistedFigures.keyOf({ year: 2022, asOf: "2022-12-31", tenant: A, grants: { instrument: undefined } })
    ).toEqual(key)
    expect(
      PersistedFigures.keyOf({
        year: 2022,
        asOf: "2022-12-31",
        tenant: A,
        knownAt: "2023-01-01T00:00:00.000Z"
      })
    ).not.toEqual(key)
  })
})

// What a lookup checks before it answers from a figure, and what is saved: each case a history of
// one to five events of test/fixtures/rowEvents.ts (R1's applications, received in 2022), with
// positions and figures counted by hand. An event of another region never counts for R1's report.
describe("persisted year figures: what a lookup checks", () => {
  const request2022 = { year: 2022, asOf: "2022-12-31", tenant: R1 } as const
  const elsewhere = (id: string): FixtureEvent => ({ ...received(id), tenant: "another-region" })
  const empty: PersistedFigures.Figure = { values: [], registry: { schemes: {}, mappings: {} } }
  // A store reading the same log but leaving out the events at `dropped`.
  const lossy = (
    store: EventStore.EventStoreShape,
    dropped: ReadonlyArray<number>
  ): EventStore.EventStoreShape => ({
    ...store,
    readAll: (options) => store.readAll(options).pipe(Stream.filter((e) => !dropped.includes(e.position)))
  })

  it("a figure's key names exactly what it depends on, and a grant filter only when a field is given", () => {
    const fields = (request: PersistedFigures.FigureRequest) =>
      JSON.parse(PersistedFigures.keyOf(request).filter) as Record<string, unknown>
    // The signature is 16 hex digits of a SHA-256 (any value: it is checked for its form only).
    const indicators = expect.stringMatching(/^[0-9a-f]{16}$/)
    const base = { format: 1, indicators, year: 2022, asOf: "2022-12-31", tenant: R1 }
    expect(fields(request2022)).toEqual(base)
    expect(fields({ ...request2022, grants: {} })).toEqual(base)
    expect(fields({ ...request2022, grants: { instrument: "business-support" } })).toEqual({
      ...base,
      grants: { instrument: "business-support" }
    })
  })

  it("answers from a figure saved after the log's first event, and moves it past an event that does not count", async () => {
    const checkpoints = ProjectionCheckpoints.makeMemory()
    const result = await runWith(checkpoints)(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        yield* appendRow(received("a1"))
        yield* YearReport.figures(2022, { tenant: R1 })
        const atOne = yield* PersistedFigures.lookup(store, checkpoints, request2022)
        yield* appendRow(elsewhere("x1"))
        const moved = yield* PersistedFigures.lookup(store, checkpoints, request2022)
        return { atOne, moved }
      })
    )
    // The report after a1 (position 1) saved its figure there: found as it is, then moved to 2.
    expect([result.atOne?.position, result.atOne?.moved]).toEqual([1, false])
    expect([result.moved?.position, result.moved?.moved]).toEqual([2, true])
    // a1 received, nothing decided: 0 of 0.
    expect(result.moved?.values.find((v) => v.id === "approval-rate")).toMatchObject({
      numerator: 0,
      denominator: 0
    })
  })

  it("switched-off checkpoints: no figure is saved through them, nor looked up", async () => {
    const checkpoints = ProjectionCheckpoints.makeMemory()
    // The same memory, but switched off: whatever it would save, it holds.
    const off: ProjectionCheckpoints.ProjectionCheckpointsShape = { ...checkpoints, enabled: false }
    const result = await runWith(checkpoints)(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        yield* appendRow(received("a1"))
        yield* PersistedFigures.save(store, off, request2022, 1, empty)
        const savedOff = yield* checkpoints.load(PersistedFigures.keyOf(request2022))
        yield* PersistedFigures.save(store, checkpoints, request2022, 1, empty)
        const lookedUpOff = yield* PersistedFigures.lookup(store, off, request2022)
        const lookedUpOn = yield* PersistedFigures.lookup(store, checkpoints, request2022)
        return { savedOff, lookedUpOff, lookedUpOn }
      })
    )
    expect(result.savedOff).toBeUndefined()
    expect(result.lookedUpOff).toBeUndefined()
    expect(result.lookedUpOn).toEqual({ ...empty, position: 1, moved: false })
  })

  it("a figure at position 0 (of no event) is neither saved nor trusted", async () => {
    const checkpoints = ProjectionCheckpoints.makeMemory()
    const key = PersistedFigures.keyOf(request2022)
    const result = await runWith(checkpoints)(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        yield* PersistedFigures.save(store, checkpoints, request2022, 0, empty)
        const saved = yield* checkpoints.load(key)
        // Put there by hand, tied to the empty log's head as a figure at its end would be.
        const head = yield* store.head
        yield* checkpoints.save(key, { position: 0, hash: head.lastHash, state: serialize(empty) })
        const found = yield* PersistedFigures.lookup(store, checkpoints, request2022)
        return { saved, found }
      })
    )
    expect(result.saved).toBeUndefined()
    expect(result.found).toBeUndefined()
  })

  it("does not trust a tail that lacks the figure's own event or the log's last event", async () => {
    const checkpoints = ProjectionCheckpoints.makeMemory()
    const result = await runWith(checkpoints)(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        // a1 at 0, the figure saved at 1; then two events elsewhere at 1 and 2 (head 3).
        yield* appendRow(received("a1"))
        yield* YearReport.figures(2022, { tenant: R1 })
        yield* appendRow(elsewhere("x1"))
        yield* appendRow(elsewhere("x2"))
        const withoutTie = yield* PersistedFigures.lookup(lossy(store, [0]), checkpoints, request2022)
        const withoutLast = yield* PersistedFigures.lookup(lossy(store, [2]), checkpoints, request2022)
        const whole = yield* PersistedFigures.lookup(store, checkpoints, request2022)
        return { withoutTie, withoutLast, whole }
      })
    )
    expect(result.withoutTie).toBeUndefined()
    expect(result.withoutLast).toBeUndefined()
    expect([result.whole?.position, result.whole?.moved]).toEqual([3, true])
  })

  it("does not answer from a figure of another log, whose event before the figure differs", async () => {
    const checkpoints = ProjectionCheckpoints.makeMemory()
    const run = runWith(checkpoints)
    // The first log: a1 received; its figure saved at 1.
    await run(Effect.andThen(appendRow(received("a1")), YearReport.figures(2022, { tenant: R1 })))
    const result = await run(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        // Another log in the same checkpoint store: a2 received in 2021 at 0, then an event
        // elsewhere; the event before the figure's position is not a1's receipt.
        yield* appendRow(received("a2", { on: "2021-03-01" }))
        yield* appendRow(elsewhere("x1"))
        const found = yield* PersistedFigures.lookup(store, checkpoints, request2022)
        const reported = yield* YearReport.figures(2022, { tenant: R1 })
        const replayed = yield* YearReport.forYear(2022, { tenant: R1 }).pipe(
          Effect.provideService(ProjectionCheckpoints.ProjectionCheckpoints, ProjectionCheckpoints.none)
        )
        return { found, reported, replayed }
      })
    )
    expect(result.found).toBeUndefined()
    expect(result.reported.values).toEqual(result.replayed.values)
  })

  it("stops reading the tail at its first event that counts", async () => {
    const checkpoints = ProjectionCheckpoints.makeMemory()
    const result = await runWith(checkpoints)(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        // a1 at 0 (figure at 1), a2 at 1 counts, then three events elsewhere (head 5).
        yield* appendRow(received("a1"))
        yield* YearReport.figures(2022, { tenant: R1 })
        yield* appendRow(received("a2"))
        for (const id of ["x1", "x2", "x3"]) yield* appendRow(elsewhere(id))
        const read: Array<number> = []
        // One event a page, each noted as the lookup pulls it.
        const noting: EventStore.EventStoreShape = {
          ...store,
          readAll: (options) =>
            store.readAll(options).pipe(
              Stream.rechunk(1),
              Stream.tap((e) => Effect.sync(() => read.push(e.position)))
            )
        }
        const found = yield* PersistedFigures.lookup(noting, checkpoints, request2022)
        return { found, read }
      })
    )
    expect(result.found).toBeUndefined()
    // The figure's own event (0) and a2 (1); nothing after.
    expect(result.read).toEqual([0, 1])
  })

  it("hashBefore: the hash of the event just before a position, none past the head", async () => {
    const result = await runWith(ProjectionCheckpoints.makeMemory())(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        for (const id of ["a1", "a2", "a3"]) yield* appendRow(received(id))
        const hashes = (yield* Stream.runCollect(store.readAll())).map((e) => e.hash)
        const before = [
          yield* PersistedFigures.hashBefore(store, 1),
          yield* PersistedFigures.hashBefore(store, 2),
          yield* PersistedFigures.hashBefore(store, 3),
          yield* PersistedFigures.hashBefore(store, 4)
        ]
        return { hashes, before }
      })
    )
    expect(new Set(result.hashes).size).toBe(3)
    expect(result.before).toEqual([result.hashes[0], result.hashes[1], result.hashes[2], undefined])
  })

  it("a figure keeps the registry's schemes and mappings, computed and when answered", async () => {
    const checkpoints = ProjectionCheckpoints.makeMemory()
    const registryEvent = (type: string, payload: FixtureEvent["payload"]): FixtureEvent => ({
      streamId: "registry-r1",
      type,
      occurredAt: "2021-01-01",
      tenant: R1,
      actor: { id: "board", role: "board" },
      decisionRef: null,
      payload
    })
    const mapping = {
      mappingId: "m1",
      fromSchemeId: "s-old",
      toSchemeId: "s-new",
      pairs: [{ from: "a", to: "b" }]
    }
    const [computed, answered] = await runWith(checkpoints)(
      Effect.gen(function* () {
        yield* appendRow(
          registryEvent("ClassificationSchemeAdopted", {
            schemeId: "s-new",
            name: "Ny",
            ownerActorId: R1,
            validFrom: 2021,
            categories: [{ code: "b", label: "B" }]
          })
        )
        yield* appendRow(registryEvent("SchemeMappingDefined", mapping))
        return [
          yield* YearReport.figures(2022, { tenant: R1 }),
          yield* YearReport.figures(2022, { tenant: R1 })
        ] as const
      })
    )
    for (const figure of [computed, answered]) {
      expect(figure.registry.mappings).toEqual({ m1: mapping })
      expect(Object.keys(figure.registry.schemes)).toEqual(["s-new"])
    }
  })

  it("answers an unchanged log without reading any of its events", async () => {
    const checkpoints = ProjectionCheckpoints.makeMemory()
    const reads = await runWith(checkpoints)(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const reads: Array<ReadonlyArray<number>> = []
        const counting: EventStore.EventStoreShape = {
          ...store,
          readAll: (options) => {
            reads.push([options?.fromPosition ?? 0, options?.toPosition ?? Number.POSITIVE_INFINITY])
            return store.readAll(options)
          }
        }
        for (const id of ["a1", "a2"]) yield* appendRow(received(id))
        const ask = YearReport.figuresForRequests([
          { year: 2022, tenant: R1 },
          { year: 2021, tenant: R1 }
        ]).pipe(Effect.provideService(EventStore.EventStore, counting))
        yield* ask
        const first = reads.length
        yield* ask
        return { first, second: reads.length - first }
      })
    )
    // The first question reads the log (two figures computed); the second finds both at the head.
    expect(reads.first).toBeGreaterThan(0)
    expect(reads.second).toBe(0)
  })
})
