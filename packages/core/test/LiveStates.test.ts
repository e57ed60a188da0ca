/**
 * Live states (ADR 0042): a long-running process keeps the states `Projection.runManyWith` lent
 * out, and folds only the new events into them at the next run. Every answer must still be a full
 * replay's: expected states come from `foldEvents` over the log's events filtered by hand here,
 * never from a run with checkpoints or live states.
 */
import { fc, test } from "@fast-check/vitest"
import { type Envelope, EventStore, LiveStates, Projection, ProjectionCheckpoints } from "@utblick/core"
import { Effect, Layer, Result, Stream } from "effect"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "vitest"
import {
  CLOCK_START,
  catalog,
  filterArb,
  historyArb,
  organisationRegistered,
  passing,
  type RegistryEvent,
  toAppend
} from "./fixtures.js"

const START = CLOCK_START

// A projection that updates its state IN PLACE, as the read models do: a state lent to one run
// and changed by the next is what live states must never let a caller see.
interface Names {
  readonly names: Map<string, Array<string>>
  count: number
}
const inPlace = (folds: { n: number } = { n: 0 }) =>
  Projection.make<Names, RegistryEvent>({
    name: "test/in-place",
    version: 1,
    handles: ["OrganisationRegistered"],
    initialState: () => ({ names: new Map(), count: 0 }),
    evolve: (state, event) => {
      folds.n++
      if (event._tag !== "OrganisationRegistered") return state
      const list = state.names.get(event.focusArea) ?? []
      list.push(event.name)
      state.names.set(event.focusArea, list)
      state.count++
      return state
    }
  })

// The answer of a full replay, computed without the runtime: filter by hand, fold purely.
const expected = (events: ReadonlyArray<Envelope.StoredEvent>, filter: Projection.TimeFilter) => {
  const folded = Projection.foldEvents(inPlace(), catalog, passing(events, filter))
  if (Result.isFailure(folded)) throw folded.failure
  return { names: folded.success.names, count: folded.success.count }
}

// A report that reads the whole log's count through the live-state path.
const countReport = (projection = inPlace()) =>
  Projection.runManyWith(projection, catalog, [{}], (s) => (s[0] as Projection.Snapshot<Names>).state.count)

const copy = (state: Names) => ({ names: structuredClone(state.names), count: state.count })

const run = <A>(
  effect: Effect.Effect<A, unknown, EventStore.EventStore>,
  checkpoints: ProjectionCheckpoints.ProjectionCheckpointsShape,
  live: LiveStates.LiveStatesShape
) =>
  effect.pipe(
    Effect.provide(Layer.mergeAll(EventStore.layerMemory(), TestClock.layer())),
    Effect.provideService(ProjectionCheckpoints.ProjectionCheckpoints, checkpoints),
    Effect.provideService(LiveStates.LiveStates, live),
    Effect.runPromise as <X>(e: Effect.Effect<X, unknown>) => Promise<X>
  )

const appendN = (from: number, n: number, tenant = "lulea-kommun") =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    for (let i = from; i < from + n; i++) {
      yield* store.append(`organisation-${i}`, [
        toAppend(organisationRegistered(`org-${i}`, "eu"), "2022-01-01", tenant)
      ])
    }
  })

describe("live states", () => {
  test.prop(
    [
      historyArb,
      fc.array(filterArb, { minLength: 1, maxLength: 3 }),
      // After which event a report runs, on which filters (bit i: filter i); whether another
      // process deleted the checkpoints first (a forget or rebuild); whether the report reads
      // with runMany instead (a caller that keeps its states).
      fc.array(
        fc.record({ at: fc.nat(), subset: fc.nat({ max: 7 }), cleared: fc.boolean(), keeps: fc.boolean() }),
        { minLength: 1, maxLength: 8 }
      ),
      fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: 1, max: 3 })
    ],
    { numRuns: 80 }
  )(
    "every report equals a full replay of the log at that moment, and no state handed out changes afterwards",
    async (history, filters, reports, saveEvery, maxStates) => {
      const checkpoints = ProjectionCheckpoints.makeMemory({ saveEvery })
      const live = LiveStates.make({ maxStates })
      const projection = inPlace()
      const result = await run(
        Effect.gen(function* () {
          const store = yield* EventStore.EventStore
          const seen: Array<{
            readonly filter: Projection.TimeFilter
            readonly state: ReturnType<typeof copy>
            readonly position: number
            readonly size: number
          }> = []
          const handedOut: Array<{ readonly state: Names; readonly frozen: ReturnType<typeof copy> }> = []
          let now = START
          for (let i = 0; i <= history.length; i++) {
            for (const r of reports) {
              if (r.at % (history.length + 1) !== i) continue
              if (r.cleared) yield* checkpoints.clear
              const chosen = filters.filter((_, k) => (r.subset & (1 << k)) !== 0)
              if (r.keeps) {
                const snapshots = yield* Projection.runMany(projection, catalog, chosen)
                for (const s of snapshots) {
                  seen.push({ filter: s.filter, state: copy(s.state), position: s.position, size: i })
                  handedOut.push({ state: s.state, frozen: copy(s.state) })
                }
              } else {
                const copies = yield* Projection.runManyWith(projection, catalog, chosen, (snapshots) =>
                  snapshots.map((s) => ({
                    filter: s.filter,
                    state: copy(s.state),
                    position: s.position,
                    size: i
                  }))
                )
                seen.push(...copies)
              }
            }
            const h = history[i]
            if (h === undefined) break
            now += h.stepMillis
            yield* TestClock.setTime(now)
            yield* store.append(`organisation-${i}`, [
              toAppend(organisationRegistered(h.id, h.focus), h.occurredAt, h.tenant)
            ])
          }
          const stored = yield* Stream.runCollect(store.readAll())
          return { seen, handedOut, stored }
        }),
        checkpoints,
        live
      )
      for (const s of result.seen) {
        expect(s.state).toEqual(expected(result.stored.slice(0, s.size), s.filter))
        expect(s.position).toBe(s.size)
      }
      for (const h of result.handedOut) expect(copy(h.state)).toEqual(h.frozen)
      expect(live.size()).toBeLessThanOrEqual(maxStates)
    }
  )

  // The checkpoint store's `load` counted: it is what reads (and deserialises) a whole state.
  const counting = (inner: ProjectionCheckpoints.ProjectionCheckpointsShape, loads: { n: number }) => ({
    ...inner,
    load: (key: ProjectionCheckpoints.CheckpointKey) =>
      Effect.tap(inner.load(key), () => Effect.sync(() => loads.n++))
  })

  it("folds only the new events into the state it holds, without loading the persisted one; a forget from elsewhere drops it", async () => {
    const folds = { n: 0 }
    const loads = { n: 0 }
    const projection = inPlace(folds)
    const checkpoints = ProjectionCheckpoints.makeMemory({ saveEvery: 1_000 })
    const live = LiveStates.make()
    const report = Projection.runManyWith(projection, catalog, [{}], (s) => ({
      count: (s[0] as Projection.Snapshot<Names>).state.count,
      position: (s[0] as Projection.Snapshot<Names>).position
    }))
    const steps = await run(
      Effect.gen(function* () {
        yield* appendN(0, 5)
        const first = yield* report // from zero: looks for a checkpoint, folds 5, saves
        const afterFirst = { folds: folds.n, loads: loads.n }
        yield* appendN(5, 3)
        const second = yield* report // the live state: folds the 3 new events only
        const afterSecond = { folds: folds.n, loads: loads.n }
        yield* appendN(8, 2)
        // Still the live state, though the checkpoint stayed at 5 (2 + 3 events are under the
        // saving policy's 1,000): it is tied to that checkpoint, not to its own position.
        const third = yield* report
        const afterThird = { folds: folds.n, loads: loads.n }
        const again = yield* report // nothing new: folds nothing, loads nothing
        const afterAgain = { folds: folds.n, loads: loads.n }
        yield* checkpoints.clear // what `utblick forget` does from another process
        yield* appendN(10, 1)
        const fourth = yield* report // the live state is dropped: replays all 11
        const afterFourth = { folds: folds.n, loads: loads.n }
        return {
          first,
          afterFirst,
          second,
          afterSecond,
          third,
          afterThird,
          again,
          afterAgain,
          fourth,
          afterFourth
        }
      }),
      counting(checkpoints, loads),
      live
    )
    expect(steps.first).toEqual({ count: 5, position: 5 })
    expect(steps.afterFirst).toEqual({ folds: 5, loads: 1 })
    expect(steps.second).toEqual({ count: 8, position: 8 })
    expect(steps.afterSecond).toEqual({ folds: 8, loads: 1 })
    expect(steps.third).toEqual({ count: 10, position: 10 })
    expect(steps.afterThird).toEqual({ folds: 10, loads: 1 })
    expect(steps.again).toEqual({ count: 10, position: 10 })
    expect(steps.afterAgain).toEqual({ folds: 10, loads: 1 })
    expect(steps.fourth).toEqual({ count: 11, position: 11 })
    expect(steps.afterFourth).toEqual({ folds: 21, loads: 2 })
  })

  it("runManyWithEffect lends the states until its effect ends: kept after success, dropped after a failure", async () => {
    const loads = { n: 0 }
    const live = LiveStates.make()
    const lend = <A, E>(use: (count: number) => Effect.Effect<A, E>) =>
      Projection.runManyWithEffect(inPlace(), catalog, [{}], (s) =>
        use((s[0] as Projection.Snapshot<Names>).state.count)
      )
    const steps = await run(
      Effect.gen(function* () {
        yield* appendN(0, 3)
        const heldDuring: Array<number> = []
        // The effect yields twice before it answers: the holder stays empty all the while.
        const first = yield* lend((count) =>
          Effect.gen(function* () {
            heldDuring.push(live.size())
            yield* Effect.yieldNow
            heldDuring.push(live.size())
            return count
          })
        )
        const keptAfterSuccess = live.size()
        yield* appendN(3, 1)
        const failed = yield* Effect.exit(lend(() => Effect.fail("the writer failed")))
        const keptAfterFailure = live.size()
        const loadsBefore = loads.n
        const after = yield* countReport()
        return {
          first,
          heldDuring,
          keptAfterSuccess,
          failed: failed._tag,
          keptAfterFailure,
          after,
          loaded: loads.n - loadsBefore
        }
      }),
      counting(ProjectionCheckpoints.makeMemory({ saveEvery: 1 }), loads),
      live
    )
    // 3 events, then 1 more: the failed run folded it into the state it took, and dropped that
    // state, so the next report loads the persisted checkpoint again (one load) and counts 4.
    expect(steps).toEqual({
      first: 3,
      heldDuring: [0, 0],
      keptAfterSuccess: 1,
      failed: "Failure",
      keptAfterFailure: 0,
      after: 4,
      loaded: 1
    })
  })

  it("keeps the state of a one-event log too", async () => {
    const loads = { n: 0 }
    const live = LiveStates.make()
    const report = countReport()
    const counts = await run(
      Effect.gen(function* () {
        yield* appendN(0, 1)
        const first = yield* report
        yield* appendN(1, 1)
        return [first, yield* report]
      }),
      counting(ProjectionCheckpoints.makeMemory(), loads),
      live
    )
    // The second report folds its one new event into the state the first kept: one load in all.
    expect(counts).toEqual([1, 2])
    expect(loads.n).toBe(1)
  })

  it("drops a live state whose checkpoint another process replaced, and resumes from the newer one", async () => {
    const folds = { n: 0 }
    const projection = inPlace(folds)
    const checkpoints = ProjectionCheckpoints.makeMemory({ saveEvery: 1 })
    const live = LiveStates.make()
    const report = countReport(projection)
    const steps = await run(
      Effect.gen(function* () {
        yield* appendN(0, 4)
        const first = yield* report
        yield* appendN(4, 2)
        // Another process (no live states) catches up and saves at 6: the basis of ours moved.
        yield* Projection.runMany(projection, catalog, [{}])
        const before = folds.n
        yield* appendN(6, 1)
        const second = yield* report // resumes from the checkpoint at 6 and folds 1
        return { first, second, folded: folds.n - before }
      }),
      checkpoints,
      live
    )
    expect(steps).toEqual({ first: 4, second: 7, folded: 1 })
  })

  it("drops a live state when the log no longer has the event it ended on (a replaced log)", async () => {
    const projection = inPlace()
    const checkpoints = ProjectionCheckpoints.makeMemory({ saveEvery: 1 })
    const live = LiveStates.make()
    const report = Projection.runManyWith(projection, catalog, [{}], (s) => [
      ...((s[0] as Projection.Snapshot<Names>).state.names.get("eu") ?? [])
    ])
    // The same holders over two different logs: the second has other events at every position.
    const first = await run(Effect.andThen(appendN(0, 3), report), checkpoints, live)
    expect(live.size()).toBe(1)
    const second = await run(Effect.andThen(appendN(10, 5, "region-norrbotten"), report), checkpoints, live)
    expect(first).toEqual(["ORG-0", "ORG-1", "ORG-2"])
    expect(second).toEqual(["ORG-10", "ORG-11", "ORG-12", "ORG-13", "ORG-14"])
  })

  it("keeps nothing over a checkpoint store that cannot be asked for a checkpoint's position and hash", async () => {
    const live = LiveStates.make()
    const { peek: _peek, ...withoutPeek } = ProjectionCheckpoints.makeMemory({ saveEvery: 1 })
    const report = countReport()
    const counts = await run(
      Effect.gen(function* () {
        yield* appendN(0, 3)
        const first = yield* report
        yield* appendN(3, 2)
        return [first, yield* report]
      }),
      withoutPeek,
      live
    )
    expect(counts).toEqual([3, 5])
    expect(live.size()).toBe(0)
  })

  it("keeps a state again after a run that had nothing new to fold into it", async () => {
    const loads = { n: 0 }
    const live = LiveStates.make()
    const report = countReport()
    const steps = await run(
      Effect.gen(function* () {
        yield* appendN(0, 3)
        const first = yield* report // from zero: one load (finds nothing), saves at 3, keeps
        const again = yield* report // the live state, and no event past it
        const heldAfterAgain = live.size()
        yield* appendN(3, 1)
        const last = yield* report // the live state again: folds the one new event, loads nothing
        return { counts: [first, again, last], heldAfterAgain, loads: loads.n }
      }),
      counting(ProjectionCheckpoints.makeMemory({ saveEvery: 1 }), loads),
      live
    )
    expect(steps).toEqual({ counts: [3, 3, 4], heldAfterAgain: 1, loads: 1 })
  })

  it("a holder that says it is disabled is never taken from nor given a state", async () => {
    const calls: Array<string> = []
    const disabled: LiveStates.LiveStatesShape = {
      enabled: false,
      take: () => {
        calls.push("take")
        return undefined
      },
      put: () => void calls.push("put"),
      size: () => 0,
      clear: () => undefined
    }
    const report = countReport()
    const counts = await run(
      Effect.gen(function* () {
        yield* appendN(0, 3)
        const first = yield* report
        yield* appendN(3, 2)
        return [first, yield* report]
      }),
      ProjectionCheckpoints.makeMemory({ saveEvery: 1 }),
      disabled
    )
    expect(counts).toEqual([3, 5])
    expect(calls).toEqual([])
  })

  it("clear drops every live state", () => {
    const live = LiveStates.make()
    const key = (filter: string): ProjectionCheckpoints.CheckpointKey => ({
      projection: "p",
      version: 1,
      filter
    })
    const state = { position: 1, hash: "h", state: 1, basis: { position: 1, hash: "h", bytes: 1 } }
    live.put(key("a"), state)
    live.put(key("b"), state)
    expect(live.size()).toBe(2)
    live.clear()
    expect([live.size(), live.take(key("a")), live.take(key("b"))]).toEqual([0, undefined, undefined])
  })

  it("keeps at most maxStates, least recently kept dropped first; none keeps nothing", () => {
    const live = LiveStates.make({ maxStates: 2 })
    const key = (filter: string): ProjectionCheckpoints.CheckpointKey => ({
      projection: "p",
      version: 1,
      filter
    })
    const state = (position: number) => ({
      position,
      hash: "h",
      state: position,
      basis: { position, hash: "h", bytes: 1 }
    })
    live.put(key("a"), state(1))
    live.put(key("b"), state(2))
    live.put(key("a"), state(3))
    live.put(key("c"), state(4))
    expect(live.size()).toBe(2)
    expect(live.take(key("b"))).toBeUndefined()
    expect(live.take(key("a"))?.position).toBe(3)
    expect(live.take(key("a"))).toBeUndefined()
    expect(live.take(key("c"))?.position).toBe(4)
    const zero = LiveStates.make({ maxStates: 0 })
    zero.put(key("a"), state(1))
    expect([zero.enabled, zero.size(), zero.take(key("a"))]).toEqual([false, 0, undefined])
    LiveStates.none.put(key("a"), state(1))
    expect(LiveStates.none.take(key("a"))).toBeUndefined()
  })
})
