import { fc, test } from "@fast-check/vitest"
import { type Envelope, EventStore, Projection } from "@utblick/core"
import { Deferred, Effect, Fiber, Layer, Result, Stream } from "effect"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "vitest"
import { catalog, historyArb, organisationRegistered, organisations, toAppend } from "./fixtures.js"

const START = Date.UTC(2023, 0, 1)

/** Appends a generated history to a fresh memory store, advancing a test clock between appends. */
const withHistory = <A>(
  history: ReadonlyArray<{ id: string; focus: "regional-arctic" | "eu" | "other"; occurredAt: string; tenant: string; stepMillis: number }>,
  use: Effect.Effect<A, unknown, EventStore.EventStore>
): Promise<{ result: A; stored: ReadonlyArray<Envelope.StoredEvent> }> =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    let now = START
    for (const [i, h] of history.entries()) {
      now += h.stepMillis
      yield* TestClock.setTime(now)
      yield* store.append(`organisation-${i}`, [toAppend(organisationRegistered(h.id, h.focus), h.occurredAt, h.tenant)])
    }
    const stored = yield* Stream.runCollect(store.readAll())
    return { result: yield* use, stored }
  }).pipe(
    Effect.provide(Layer.mergeAll(EventStore.layerMemory(), TestClock.layer())),
    Effect.runPromise as <X>(e: Effect.Effect<X, unknown>) => Promise<X>
  )

const foldAll = (events: ReadonlyArray<Envelope.StoredEvent>, filter: Projection.TimeFilter = {}) => {
  const result = Projection.foldEvents(organisations, catalog, events, filter)
  if (Result.isFailure(result)) throw result.failure
  return result.success
}

describe("projection runtime", () => {
  test.prop([historyArb], { numRuns: 40 })("replay is deterministic and equals a fold of the log", async (history) => {
    const { result, stored } = await withHistory(
      history,
      Effect.all([Projection.run(organisations, catalog), Projection.run(organisations, catalog)])
    )
    expect(result[0].state).toEqual(result[1].state)
    expect(result[0].state).toEqual(foldAll(stored))
    expect(result[0].position).toBe(stored.length)
    expect(result[0].state.count).toBe(history.length)
  })

  test.prop([historyArb, fc.nat()], { numRuns: 40 })(
    "a snapshot plus the tail equals a full replay",
    async (history, cut) => {
      const { result } = await withHistory(
        history,
        Effect.gen(function* () {
          const at = history.length === 0 ? 0 : cut % (history.length + 1)
          const snapshot = yield* Projection.run(organisations, catalog, { toPosition: at })
          // The snapshot is serialised as a durable checkpoint would be.
          const restored = JSON.parse(JSON.stringify(snapshot)) as typeof snapshot
          const caughtUp = yield* Projection.run(organisations, catalog, { from: restored })
          const full = yield* Projection.run(organisations, catalog)
          return { at, snapshot, caughtUp, full }
        })
      )
      expect(result.snapshot.position).toBe(result.at)
      expect(result.caughtUp).toEqual(result.full)
    }
  )

  test.prop([historyArb, fc.integer({ min: 2014, max: 2025 }).map((y) => `${y}-06-30`)], { numRuns: 40 })(
    "as of a business date equals the fold of the events that occurred by then",
    async (history, asOf) => {
      const { result, stored } = await withHistory(history, Projection.run(organisations, catalog, { asOf }))
      expect(result.state).toEqual(foldAll(stored.filter((e) => e.occurredAt <= asOf)))
      expect(result.filter).toEqual({ asOf })
    }
  )

  test.prop([historyArb, fc.integer({ min: 0, max: 86_400_000 * 400 })], { numRuns: 40 })(
    "known at an instant equals the fold of the events recorded by then, which is a prefix of the log",
    async (history, offset) => {
      const knownAt = new Date(START + offset).toISOString()
      const { result, stored } = await withHistory(history, Projection.run(organisations, catalog, { knownAt }))
      const known = stored.filter((e) => e.recordedAt <= knownAt)
      expect(known.map((e) => e.position)).toEqual(known.map((_, i) => i))
      expect(result.state).toEqual(foldAll(known))
    }
  )

  test.prop([historyArb], { numRuns: 30 })("a tenant filter sees only that tenant's events", async (history) => {
    const { result, stored } = await withHistory(
      history,
      Projection.run(organisations, catalog, { tenant: "region-norrbotten" })
    )
    expect(result.state).toEqual(foldAll(stored.filter((e) => e.tenant === "region-norrbotten")))
  })

  test.prop(
    [
      historyArb,
      fc.array(
        fc.record(
          {
            asOf: fc.integer({ min: 2014, max: 2025 }).map((y) => `${y}-06-30`),
            knownAt: fc.integer({ min: 0, max: 86_400_000 * 400 }).map((o) => new Date(START + o).toISOString()),
            tenant: fc.constantFrom("lulea-kommun", "region-norrbotten")
          },
          { requiredKeys: [] }
        ),
        { minLength: 1, maxLength: 4 }
      )
    ],
    { numRuns: 40 }
  )("runMany folds several filters in one pass, equal to one run per filter", async (history, filters) => {
    const { result } = await withHistory(
      history,
      Effect.all({
        many: Projection.runMany(organisations, catalog, filters),
        each: Effect.forEach(filters, (filter) => Projection.run(organisations, catalog, filter))
      })
    )
    expect(result.many.map((s) => s.state)).toEqual(result.each.map((s) => s.state))
    expect(result.many.map((s) => s.position)).toEqual(result.each.map((s) => s.position))
  })

  it("answers both clocks at once: 2022 as reported in March 2023 versus as known now", async () => {
    const { result } = await withHistory(
      [
        { id: "ubc", focus: "regional-arctic", occurredAt: "2022-05-01", tenant: "lulea-kommun", stepMillis: 0 },
        // Recorded in April 2023, but it happened in December 2022: a late registration.
        { id: "eurocities", focus: "eu", occurredAt: "2022-12-01", tenant: "lulea-kommun", stepMillis: 86_400_000 * 100 },
        { id: "sern", focus: "eu", occurredAt: "2023-02-01", tenant: "lulea-kommun", stepMillis: 86_400_000 * 10 }
      ],
      Effect.all({
        reported: Projection.run(organisations, catalog, { asOf: "2022-12-31", knownAt: "2023-03-15T23:59:59.999Z" }),
        now: Projection.run(organisations, catalog, { asOf: "2022-12-31" })
      })
    )
    expect(result.reported.state.count).toBe(1)
    expect(result.now.state.count).toBe(2)
    expect(result.now.state.byFocus).toEqual({ "regional-arctic": ["UBC"], eu: ["EUROCITIES"] })
  })

  it("discards a snapshot of another version and rebuilds from zero", async () => {
    const { result } = await withHistory(
      [{ id: "ubc", focus: "regional-arctic", occurredAt: "2022-05-01", tenant: "lulea-kommun", stepMillis: 0 }],
      Projection.run(organisations, catalog, {
        from: { projection: organisations.name, version: 0, position: 1, filter: {}, state: { byFocus: {}, latest: null, count: 99 } }
      })
    )
    expect(result.state.count).toBe(1)
  })

  it("runs live: emits a new state as events arrive", async () => {
    const states = await Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      yield* store.append("organisation-a", [toAppend(organisationRegistered("ubc", "regional-arctic"), "2020-01-01")])
      // Append the second event only once the first state was emitted (no wall-clock wait).
      const caughtUp = yield* Deferred.make<void>()
      const fiber = yield* Projection.live(organisations, catalog).pipe(
        Stream.tap(() => Deferred.succeed(caughtUp, undefined)),
        Stream.take(2),
        Stream.runCollect,
        Effect.forkChild
      )
      yield* Deferred.await(caughtUp)
      yield* store.append("organisation-b", [toAppend(organisationRegistered("sern", "eu"), "2021-01-01")])
      return yield* Fiber.join(fiber)
    }).pipe(Effect.provide(EventStore.layerMemory()), Effect.runPromise)
    expect(states.map((s) => s.state.count)).toEqual([1, 2])
  })

  it("fails with the position and stream of an event that does not decode, never skipping it", async () => {
    const error = await Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      yield* store.append("organisation-a", [
        { ...toAppend(organisationRegistered("ubc", "eu"), "2020-01-01"), payload: { organisationId: "x", name: "X", focusArea: "mars" } }
      ])
      return yield* Effect.flip(Projection.run(organisations, catalog))
    }).pipe(Effect.provide(EventStore.layerMemory()), Effect.runPromise)
    expect(error._tag).toBe("EventDecodeError")
    expect(error.message).toContain("position 0")
    expect(error.message).toContain("organisation-a")
    expect(error.message).toContain("mars")
  })
})
