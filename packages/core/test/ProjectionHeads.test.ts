/**
 * Reading heads (type, tenant, dates, position, hash) instead of whole events: head projections
 * (`Projection.runHeads`) and `EventStore.readHashes`. The expected counts are worked out here
 * from the appended history by hand (a filter and a tally), never by a run of the runtime.
 */
import { fc, test } from "@fast-check/vitest"
import { type Envelope, EventStore, Projection, ProjectionCheckpoints } from "@utblick/core"
import { Effect, Layer, Stream } from "effect"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "vitest"
import {
  appendEdgeLog,
  CLOCK_START,
  catalog,
  disabledRecording,
  filterArb,
  headsOf,
  historyArb,
  organisationRegistered,
  organisations,
  passing,
  type RegistryEvent,
  toAppend
} from "./fixtures.js"

type Tally = Record<string, number>

// Events per "tenant/year" of the heads it folded; `folds` counts the calls.
const perTenantYear = (folds: { n: number } = { n: 0 }, version = 1): Projection.HeadProjection<Tally> => ({
  name: "test/per-tenant-year",
  version,
  handles: ["OrganisationRegistered"],
  initialState: () => ({}),
  evolve: (state, head) => {
    folds.n++
    const key = `${head.tenant}/${head.occurredAt.slice(0, 4)}`
    return { ...state, [key]: (state[key] ?? 0) + 1 }
  }
})

// The oracle: the stored events a filter lets through (chosen by hand in fixtures.ts), tallied.
const tally = (events: ReadonlyArray<Envelope.StoredEvent>, filter: Projection.TimeFilter): Tally => {
  const out: Tally = {}
  for (const e of passing(events, filter)) {
    if (e.type !== "OrganisationRegistered") continue
    const key = `${e.tenant}/${e.occurredAt.slice(0, 4)}`
    out[key] = (out[key] ?? 0) + 1
  }
  return out
}

type History = typeof historyArb extends fc.Arbitrary<infer H> ? H : never

describe("Projection.runHeads", () => {
  test.prop([historyArb, filterArb, fc.array(fc.nat(), { maxLength: 4 }), fc.integer({ min: 1, max: 6 })], {
    numRuns: 60
  })(
    "resumed from checkpoints taken at random positions, it equals a tally of the events the filter passes",
    async (history, filter, cuts, saveEvery) => {
      const checkpoints = ProjectionCheckpoints.makeMemory({ saveEvery })
      const result = await Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        let now = CLOCK_START
        for (let i = 0; i <= history.length; i++) {
          for (const cut of cuts)
            if (cut % (history.length + 1) === i) yield* Projection.runHeads(perTenantYear(), filter)
          const h = (history as History)[i]
          if (h === undefined) break
          now += h.stepMillis
          yield* TestClock.setTime(now)
          yield* store.append(`organisation-${i}`, [
            toAppend(organisationRegistered(h.id, h.focus), h.occurredAt, h.tenant)
          ])
        }
        const answer = yield* Projection.runHeads(perTenantYear(), filter)
        const stored = yield* Stream.runCollect(store.readAll())
        return { answer, stored }
      }).pipe(
        Effect.provide(Layer.mergeAll(EventStore.layerMemory(), TestClock.layer())),
        Effect.provideService(ProjectionCheckpoints.ProjectionCheckpoints, checkpoints),
        Effect.runPromise
      )
      expect(result.answer.state).toEqual(tally(result.stored, filter))
      expect(result.answer.position).toBe(history.length)
    }
  )

  it("folds only the types it handles, and counts an event whose payload would not decode", async () => {
    // The edge log: UBC (Luleå, 2022), SERN (Norrbotten, 2022), EUROCITIES (Luleå, 2023), then a
    // `SomethingElse` (Luleå, 2023) whose payload no projection decodes.
    const run = (handles: ReadonlyArray<string>) =>
      Effect.gen(function* () {
        yield* appendEdgeLog
        return yield* Projection.runHeads({ ...perTenantYear(), handles })
      }).pipe(Effect.provide(Layer.mergeAll(EventStore.layerMemory(), TestClock.layer())), Effect.runPromise)
    expect((await run(["OrganisationRegistered"])).state).toEqual({
      "lulea-kommun/2022": 1,
      "region-norrbotten/2022": 1,
      "lulea-kommun/2023": 1
    })
    expect((await run(["OrganisationRegistered", "SomethingElse"])).state).toEqual({
      "lulea-kommun/2022": 1,
      "region-norrbotten/2022": 1,
      "lulea-kommun/2023": 2
    })
  })

  it("reads heads, not events, from a store that offers them", async () => {
    // A store whose `readAll` fails: only `readHeads` can answer (given from the memory store's
    // events, reduced to heads).
    const answer = await Effect.gen(function* () {
      const memory = yield* EventStore.EventStore
      yield* appendEdgeLog
      const headsOnly: EventStore.EventStoreShape = {
        ...memory,
        readAll: () => Stream.die("readAll was called"),
        readHeads: headsOf(memory)
      }
      return yield* Projection.runHeads(perTenantYear(), { tenant: "lulea-kommun" }).pipe(
        Effect.provideService(EventStore.EventStore, headsOnly)
      )
    }).pipe(Effect.provide(Layer.mergeAll(EventStore.layerMemory(), TestClock.layer())), Effect.runPromise)
    expect(answer.state).toEqual({ "lulea-kommun/2022": 1, "lulea-kommun/2023": 1 })
    expect(answer.position).toBe(4)
  })

  it("resumes from a snapshot `run` kept for the same name, version and state, folds only the tail, and keeps its own", async () => {
    const folds = { n: 0 }
    const checkpoints = ProjectionCheckpoints.makeMemory({ saveEvery: 1 })
    // The same tally as a decoding projection, so `run` keeps a snapshot of the same state.
    const decoding = Projection.make<Tally, RegistryEvent>({
      ...organisations,
      name: "test/per-tenant-year",
      initialState: (): Tally => ({}),
      evolve: (state: Tally, _event, envelope) => perTenantYear().evolve(state, envelope)
    })
    const steps = await Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      yield* appendEdgeLog
      yield* Projection.run(decoding, catalog)
      yield* store.append("organisation-9", [toAppend(organisationRegistered("nsf", "other"), "2024-03-01")])
      const resumed = yield* Projection.runHeads(perTenantYear(folds))
      const afterResume = folds.n
      const again = yield* Projection.runHeads(perTenantYear(folds, 2))
      const afterAgain = folds.n
      // Version 2 kept its own snapshot: a third run folds nothing.
      const third = yield* Projection.runHeads(perTenantYear(folds, 2))
      return {
        resumed: resumed.state,
        afterResume,
        again: again.state,
        afterAgain,
        third: third.state,
        total: folds.n
      }
    }).pipe(
      Effect.provide(Layer.mergeAll(EventStore.layerMemory(), TestClock.layer())),
      Effect.provideService(ProjectionCheckpoints.ProjectionCheckpoints, checkpoints),
      Effect.runPromise
    )
    const whole = {
      "lulea-kommun/2022": 1,
      "region-norrbotten/2022": 1,
      "lulea-kommun/2023": 1,
      "lulea-kommun/2024": 1
    }
    // Resumed after the four events `run` kept: one fold (NSF). Version 2 has no snapshot: four.
    expect(steps).toEqual({
      resumed: whole,
      afterResume: 1,
      again: whole,
      afterAgain: 5,
      third: whole,
      total: 5
    })
  })
})

describe("Projection.runHeads's filter and checkpoints", () => {
  const onEdgeLog = <A>(
    program: Effect.Effect<A, unknown, EventStore.EventStore>,
    checkpoints: ProjectionCheckpoints.ProjectionCheckpointsShape = ProjectionCheckpoints.none
  ) =>
    Effect.gen(function* () {
      yield* appendEdgeLog
      return yield* program
    }).pipe(
      Effect.provide(Layer.mergeAll(EventStore.layerMemory(), TestClock.layer())),
      Effect.provideService(ProjectionCheckpoints.ProjectionCheckpoints, checkpoints),
      Effect.runPromise as <X>(e: Effect.Effect<X, unknown>) => Promise<X>
    )

  it("applies a filter that bounds the recording time alone", async () => {
    // Recorded by 2023-01-03T00:00:00.000Z: UBC (Luleå, 2022, recorded 01-02) and SERN
    // (Norrbotten, 2022, recorded 01-03); EUROCITIES was recorded on 01-04.
    const answer = await onEdgeLog(
      Projection.runHeads(perTenantYear(), { knownAt: "2023-01-03T00:00:00.000Z" })
    )
    expect(answer.state).toEqual({ "lulea-kommun/2022": 1, "region-norrbotten/2022": 1 })
    expect(answer.position).toBe(4)
  })

  it("neither reads nor writes a checkpoint store that says it is disabled", async () => {
    const calls: Array<string> = []
    const disabled = disabledRecording(calls)
    const answer = await onEdgeLog(Projection.runHeads(perTenantYear()), disabled)
    // Every OrganisationRegistered of the edge log: Luleå 2022, Norrbotten 2022, Luleå 2023.
    expect(answer.state).toEqual({
      "lulea-kommun/2022": 1,
      "region-norrbotten/2022": 1,
      "lulea-kommun/2023": 1
    })
    expect(calls).toEqual([])
  })
})

describe("EventStore.readHashes", () => {
  const collect = (shape: (memory: EventStore.EventStoreShape) => EventStore.EventStoreShape) =>
    Effect.gen(function* () {
      const memory = yield* EventStore.EventStore
      yield* appendEdgeLog
      const records = yield* Stream.runCollect(memory.readRecords())
      const read = yield* Stream.runCollect(
        EventStore.readHashes(shape(memory), { fromPosition: 1, toPosition: 3 })
      )
      return { records, read: read.map(({ position, hash }) => ({ position, hash })) }
    }).pipe(Effect.provide(Layer.mergeAll(EventStore.layerMemory(), TestClock.layer())), Effect.runPromise)

  it("gives each event's position and stored hash from the records of a store without heads", async () => {
    const { records, read } = await collect((memory) => memory)
    // Positions 1 and 2 of the edge log, with the hashes its records carry.
    expect(read).toEqual([1, 2].map((p) => ({ position: p, hash: records[p]?.hash })))
  })

  it("reads heads, not records, from a store that offers them", async () => {
    const { records, read } = await collect((memory) => ({
      ...memory,
      readRecords: () => Stream.die("readRecords was called"),
      readHeads: headsOf(memory)
    }))
    expect(read).toEqual([1, 2].map((p) => ({ position: p, hash: records[p]?.hash })))
  })
})
