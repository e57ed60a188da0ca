// Persisted year figures (ADR 0038): a report answered from its persisted figure — as saved, moved
// past events that do not count, or recomputed — equals a full replay without any persistence,
// for random growth of the log, random recorded-time clocks, random requests, and a log replaced
// under the figures. The oracle is `YearReport.forRequests` with no checkpoint store: every event
// folded from position 0, nothing read from or written to a cache.
import { fc, test } from "@fast-check/vitest"
import { EventStore, Events, LiveStates, ProjectionCheckpoints } from "@utblick/core"
import { PersistedFigures, YearReport } from "@utblick/indicators"
import { Effect, Layer } from "effect"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "vitest"
import { events as allocationEvents, C, GOALS } from "./fixtures/allocationGoals.js"
import { A, B, type FixtureEvent, events as handEvents } from "./fixtures/handComputed.js"

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
