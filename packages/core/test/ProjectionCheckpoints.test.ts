/**
 * Persisted read models (ADR 0035): a run that resumes from a persisted checkpoint and folds only
 * the events after it answers exactly what a full replay answers, on either clock and per tenant.
 * The expected states come from `foldEvents` over the log's events filtered by hand here — a pure
 * fold with no checkpoint in it — never from a checkpointed run.
 */
import { fc, test } from "@fast-check/vitest"
import { type Envelope, EventStore, Projection, ProjectionCheckpoints } from "@utblick/core"
import { Effect, Layer, Result, Stream } from "effect"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "vitest"
import {
  CLOCK_START,
  catalog,
  filterArb,
  historyArb,
  organisationRegistered,
  organisations,
  passing,
  toAppend
} from "./fixtures.js"

const START = CLOCK_START

// The answer of a full replay, computed without the runtime: filter by hand, fold purely.
const expected = (events: ReadonlyArray<Envelope.StoredEvent>, filter: Projection.TimeFilter) => {
  const folded = Projection.foldEvents(organisations, catalog, passing(events, filter))
  if (Result.isFailure(folded)) throw folded.failure
  return folded.success
}

type History = typeof historyArb extends fc.Arbitrary<infer H> ? H : never

describe("persisted checkpoints", () => {
  test.prop(
    [
      historyArb,
      fc.array(filterArb, { minLength: 1, maxLength: 4 }),
      // Where the history is cut, and which filters run there (bit i: filter i), one by one or in
      // one runMany pass: filters end up with checkpoints at different positions.
      fc.array(fc.record({ cut: fc.nat(), subset: fc.nat({ max: 15 }), together: fc.boolean() }), {
        maxLength: 5
      }),
      fc.integer({ min: 1, max: 6 }),
      fc.boolean()
    ],
    { numRuns: 80 }
  )(
    "a run resumed from checkpoints taken at random positions equals a full replay, on random clocks",
    async (history, filters, cuts, saveEvery, together) => {
      const checkpoints = ProjectionCheckpoints.makeMemory({ saveEvery })
      const runSome = (chosen: ReadonlyArray<Projection.TimeFilter>, many: boolean) =>
        many
          ? Projection.runMany(organisations, catalog, chosen)
          : Effect.forEach(chosen, (filter) => Projection.run(organisations, catalog, filter))
      const result = await Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        let now = START
        for (let i = 0; i <= history.length; i++) {
          for (const c of cuts) {
            if (c.cut % (history.length + 1) !== i) continue
            yield* runSome(
              filters.filter((_, k) => (c.subset & (1 << k)) !== 0),
              c.together
            )
          }
          const h = (history as History)[i]
          if (h === undefined) break
          now += h.stepMillis
          yield* TestClock.setTime(now)
          yield* store.append(`organisation-${i}`, [
            toAppend(organisationRegistered(h.id, h.focus), h.occurredAt, h.tenant)
          ])
        }
        const answers = yield* runSome(filters, together)
        // A second run straight after reads nothing new and must still answer the same.
        const again = yield* runSome(filters, !together)
        const stored = yield* Stream.runCollect(store.readAll())
        return { answers, again, stored }
      }).pipe(
        Effect.provide(Layer.mergeAll(EventStore.layerMemory(), TestClock.layer())),
        Effect.provideService(ProjectionCheckpoints.ProjectionCheckpoints, checkpoints),
        Effect.runPromise as <X>(e: Effect.Effect<X, unknown>) => Promise<X>
      )
      expect(result.answers.map((s) => s.state)).toEqual(filters.map((f) => expected(result.stored, f)))
      expect(result.again.map((s) => s.state)).toEqual(filters.map((f) => expected(result.stored, f)))
      expect(result.answers.map((s) => s.position)).toEqual(filters.map(() => history.length))
      expect(result.again.map((s) => s.position)).toEqual(filters.map(() => history.length))
    }
  )

  // A counting projection shows how many events a run folded: the point of a checkpoint.
  const counted = (folds: { n: number }, version = 1) =>
    Projection.make<{ count: number }, Parameters<typeof organisations.evolve>[1]>({
      name: "counted",
      version,
      handles: organisations.handles,
      initialState: () => ({ count: 0 }),
      evolve: (state, _event) => {
        folds.n++
        return { count: state.count + 1 }
      }
    })

  const appendN = (from: number, n: number) =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      for (let i = from; i < from + n; i++) {
        yield* store.append(`organisation-${i}`, [
          toAppend(organisationRegistered(`org-${i}`, "eu"), "2022-01-01")
        ])
      }
    })

  it("folds only the events after the checkpoint; a new projection version replays from zero", async () => {
    const folds = { n: 0 }
    const checkpoints = ProjectionCheckpoints.makeMemory({ saveEvery: 1 })
    const steps = await Effect.gen(function* () {
      yield* appendN(0, 5)
      const first = yield* Projection.run(counted(folds), catalog)
      const afterFirst = folds.n
      yield* appendN(5, 3)
      const second = yield* Projection.run(counted(folds), catalog)
      const afterSecond = folds.n
      const rebuilt = yield* Projection.run(counted(folds, 2), catalog)
      return {
        first: first.state.count,
        afterFirst,
        second: second.state.count,
        afterSecond,
        rebuilt: rebuilt.state.count,
        total: folds.n
      }
    }).pipe(
      Effect.provide(EventStore.layerMemory()),
      Effect.provideService(ProjectionCheckpoints.ProjectionCheckpoints, checkpoints),
      Effect.runPromise
    )
    // 5 events, then 3 more: the second run folds 3 (5 + 3 = 8), version 2 folds all 8 again.
    expect(steps).toEqual({ first: 5, afterFirst: 5, second: 8, afterSecond: 8, rebuilt: 8, total: 16 })
  })

  it("saves only after saveEvery events past the checkpoint", async () => {
    const folds = { n: 0 }
    const checkpoints = ProjectionCheckpoints.makeMemory({ saveEvery: 3 })
    const key = { projection: "counted", version: 1, filter: ProjectionCheckpoints.filterKey({}) }
    const positions = await Effect.gen(function* () {
      const seen: Array<number | undefined> = []
      const look = Effect.map(checkpoints.load(key), (c) => c?.position)
      yield* appendN(0, 2)
      yield* Projection.run(counted(folds), catalog)
      seen.push(yield* look) // first run from zero: saved at 2
      yield* appendN(2, 2)
      yield* Projection.run(counted(folds), catalog)
      seen.push(yield* look) // 2 past the checkpoint < 3: kept at 2
      yield* appendN(4, 1)
      yield* Projection.run(counted(folds), catalog)
      seen.push(yield* look) // 3 past it: saved at 5
      return seen
    }).pipe(
      Effect.provide(EventStore.layerMemory()),
      Effect.provideService(ProjectionCheckpoints.ProjectionCheckpoints, checkpoints),
      Effect.runPromise
    )
    expect(positions).toEqual([2, 2, 5])
    // 2, then 2 + 2 = 4 (from the checkpoint at 2), then 5 - 2 = 3.
    expect(folds.n).toBe(2 + 2 + 3)
  })

  it("rewrites a large state only once the tail reaches one event per KiB of it", async () => {
    // A state of 20 KiB of text plus a few bytes of framing: ceil(20,4xx / 1,024) = 21 events.
    const padded = Projection.make<
      { count: number; pad: string },
      Parameters<typeof organisations.evolve>[1]
    >({
      name: "padded",
      version: 1,
      handles: organisations.handles,
      initialState: () => ({ count: 0, pad: "x".repeat(20 * 1024) }),
      evolve: (state) => ({ count: state.count + 1, pad: state.pad })
    })
    const checkpoints = ProjectionCheckpoints.makeMemory({ saveEvery: 1 })
    const key = { projection: "padded", version: 1, filter: ProjectionCheckpoints.filterKey({}) }
    const seen = await Effect.gen(function* () {
      const positions: Array<number | undefined> = []
      const step = (from: number, n: number) =>
        Effect.gen(function* () {
          yield* appendN(from, n)
          yield* Projection.run(padded, catalog)
          positions.push((yield* checkpoints.load(key))?.position)
        })
      yield* step(0, 1) // from zero: saved at 1
      yield* step(1, 20) // 20 past it < 21: kept at 1
      yield* step(21, 1) // 21 past it: saved at 22
      return positions
    }).pipe(
      Effect.provide(EventStore.layerMemory()),
      Effect.provideService(ProjectionCheckpoints.ProjectionCheckpoints, checkpoints),
      Effect.runPromise
    )
    expect(seen).toEqual([1, 1, 22])
  })

  it("answers and saves nothing when a state cannot be serialised", async () => {
    const withFunction = Projection.make<
      { count: number; format: () => string },
      Parameters<typeof organisations.evolve>[1]
    >({
      name: "with-function",
      version: 1,
      handles: organisations.handles,
      initialState: () => ({ count: 0, format: () => "" }),
      evolve: (state) => ({ count: state.count + 1, format: state.format })
    })
    const checkpoints = ProjectionCheckpoints.makeMemory({ saveEvery: 1 })
    const result = await Effect.gen(function* () {
      yield* appendN(0, 3)
      const snapshot = yield* Projection.run(withFunction, catalog)
      return { count: snapshot.state.count, saved: yield* checkpoints.count }
    }).pipe(
      Effect.provide(EventStore.layerMemory()),
      Effect.provideService(ProjectionCheckpoints.ProjectionCheckpoints, checkpoints),
      Effect.runPromise
    )
    expect(result).toEqual({ count: 3, saved: 0 })
  })

  it("discards a checkpoint that is not of this log (another log of the same length)", async () => {
    const checkpoints = ProjectionCheckpoints.makeMemory({ saveEvery: 1 })
    const run = (focus: "eu" | "other") =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        for (let i = 0; i < 3; i++) {
          yield* store.append(`organisation-${i}`, [
            toAppend(organisationRegistered(`org-${i}`, focus), "2022-01-01")
          ])
        }
        return (yield* Projection.run(organisations, catalog)).state.byFocus
      }).pipe(
        Effect.provide(EventStore.layerMemory()),
        Effect.provideService(ProjectionCheckpoints.ProjectionCheckpoints, checkpoints),
        Effect.runPromise
      )
    expect(Object.keys(await run("eu"))).toEqual(["eu"])
    // A fresh log with three other events: a checkpoint at position 3 exists, but its hash differs.
    expect(Object.keys(await run("other"))).toEqual(["other"])
  })

  it("clear deletes every checkpoint: the next run replays from zero", async () => {
    const folds = { n: 0 }
    const checkpoints = ProjectionCheckpoints.makeMemory({ saveEvery: 1 })
    await Effect.gen(function* () {
      yield* appendN(0, 4)
      yield* Projection.run(counted(folds), catalog)
      yield* checkpoints.clear
      yield* Projection.run(counted(folds), catalog)
    }).pipe(
      Effect.provide(EventStore.layerMemory()),
      Effect.provideService(ProjectionCheckpoints.ProjectionCheckpoints, checkpoints),
      Effect.runPromise
    )
    expect(folds.n).toBe(8)
  })
})
