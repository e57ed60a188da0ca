// The projection runtime's single-filter paths against values written out by hand (mutation
// testing's targets, beside ProjectionEdges.test.ts): a snapshot continued only when each filter
// field is the same, the filter a snapshot carries, when a run reads or writes a persisted
// checkpoint and which checkpoints it trusts (of this log, readable, past an empty fold), and the
// live projection's tenant, snapshot and failure.
import { serialize } from "node:v8"
import { EventStore, HashChain, Projection, ProjectionCheckpoints } from "@utblick/core"
import { Effect, Layer, Stream } from "effect"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "vitest"
import {
  appendEdgeLog,
  catalog,
  disabledRecording,
  type OrganisationsState,
  organisationRegistered,
  organisations,
  toAppend
} from "./fixtures.js"

// The log of ProjectionEdges.test.ts, recorded one day apart from 2023-01-02T00:00:00.000Z:
//   position 0: UBC, regional-arctic, occurred 2022-05-01, Luleå
//   position 1: SERN, eu, occurred 2022-12-31, Norrbotten
//   position 2: EUROCITIES, eu, occurred 2023-01-01, Luleå
// and at position 3 an event of a type the projection does not handle.
const appendLog = appendEdgeLog

const runWith = <A>(
  program: Effect.Effect<A, unknown, EventStore.EventStore>,
  checkpoints: ProjectionCheckpoints.ProjectionCheckpointsShape = ProjectionCheckpoints.none
) =>
  program.pipe(
    Effect.provide(Layer.mergeAll(EventStore.layerMemory(), TestClock.layer())),
    Effect.provideService(ProjectionCheckpoints.ProjectionCheckpoints, checkpoints),
    Effect.runPromise as <X>(e: Effect.Effect<X, unknown>) => Promise<X>
  )

const names = (state: OrganisationsState) => Object.values(state.byFocus).flat().sort()

// A snapshot at position 1 whose state says 10 organisations: continuing it from position 1 over
// the log above adds SERN and EUROCITIES when the filter lets them through.
const snapshot = (filter: Projection.TimeFilter): Projection.Snapshot<OrganisationsState> => ({
  projection: organisations.name,
  version: organisations.version,
  position: 1,
  filter,
  state: { byFocus: {}, latest: null, count: 10 }
})

// Counts every fold: how many events a run read past its checkpoint.
const counting = (folds: { n: number }) =>
  Projection.make<{ count: number }, Parameters<typeof organisations.evolve>[1]>({
    name: "counting",
    version: 1,
    handles: organisations.handles,
    initialState: () => ({ count: 0 }),
    evolve: (state) => {
      folds.n++
      return { count: state.count + 1 }
    }
  })
const countingKey = { projection: "counting", version: 1, filter: "{}" }
const organisationsKey = { projection: organisations.name, version: 1, filter: "{}" }

describe("continuing a snapshot", () => {
  it("only when its asOf, its knownAt and its tenant are each the run's", async () => {
    const counts = await runWith(
      Effect.gen(function* () {
        yield* appendLog
        const run = (filter: Projection.TimeFilter, from: Projection.TimeFilter) =>
          Effect.map(
            Projection.run(organisations, catalog, { ...filter, from: snapshot(from) }),
            (s) => s.state.count
          )
        return [
          // The same filter: continued (10 + the events it passes after position 0).
          yield* run({ asOf: "2022-12-31" }, { asOf: "2022-12-31" }),
          // Only asOf differs: replayed (UBC and SERN occurred by 2022-12-31).
          yield* run({ asOf: "2022-12-31" }, { asOf: "2023-12-31" }),
          // Only knownAt differs: replayed (all three were known by 2023-01-09).
          yield* run({ knownAt: "2023-01-09T00:00:00.000Z" }, { knownAt: "2023-01-08T00:00:00.000Z" }),
          // Only the tenant differs: replayed (UBC and EUROCITIES are Luleå's).
          yield* run({ tenant: "lulea-kommun" }, { tenant: "region-norrbotten" })
        ]
      })
    )
    expect(counts).toEqual([11, 2, 3, 2])
  })

  it("a snapshot carries the run's time filter alone, without undefined fields or run options", async () => {
    const filters = await runWith(
      Effect.gen(function* () {
        yield* appendLog
        // Explicit undefined fields, as a JavaScript caller (or a spread of optional fields) passes them.
        const loose = (options: object) => options as Projection.RunOptions<OrganisationsState>
        const a = yield* Projection.run(
          organisations,
          catalog,
          loose({ asOf: undefined, tenant: "lulea-kommun", toPosition: 2 })
        )
        const b = yield* Projection.run(organisations, catalog, {
          knownAt: "2023-01-09T00:00:00.000Z",
          from: snapshot({ knownAt: "2023-01-09T00:00:00.000Z" })
        })
        const c = yield* Projection.run(
          organisations,
          catalog,
          loose({ asOf: "2022-12-31", knownAt: undefined })
        )
        const d = yield* Projection.run(organisations, catalog)
        return [a.filter, b.filter, c.filter, d.filter]
      })
    )
    expect(filters).toStrictEqual([
      { tenant: "lulea-kommun" },
      { knownAt: "2023-01-09T00:00:00.000Z" },
      { asOf: "2022-12-31" },
      {}
    ])
  })
})

describe("persisted checkpoints and a single run", () => {
  it("a run given toPosition or a snapshot neither reads nor writes a checkpoint", async () => {
    const checkpoints = ProjectionCheckpoints.makeMemory({ saveEvery: 1 })
    const outcome = await runWith(
      Effect.gen(function* () {
        yield* appendLog
        const upTo = yield* Projection.run(organisations, catalog, { toPosition: 2 })
        const fromSnapshot = yield* Projection.run(organisations, catalog, { from: snapshot({}) })
        const savedBefore = yield* checkpoints.count
        // Now a checkpoint at the end of the log (position 4, three organisations).
        const full = yield* Projection.run(organisations, catalog)
        const savedAfter = yield* checkpoints.count
        const upToAgain = yield* Projection.run(organisations, catalog, { toPosition: 2 })
        const fromAgain = yield* Projection.run(organisations, catalog, { from: snapshot({}) })
        return {
          upTo: [upTo.state.count, upTo.position],
          fromSnapshot: [fromSnapshot.state.count, fromSnapshot.position],
          savedBefore,
          full: [full.state.count, full.position],
          savedAfter,
          upToAgain: [upToAgain.state.count, upToAgain.position],
          fromAgain: [fromAgain.state.count, fromAgain.position]
        }
      }),
      checkpoints
    )
    expect(outcome).toEqual({
      upTo: [2, 2],
      fromSnapshot: [12, 4],
      savedBefore: 0,
      full: [3, 4],
      savedAfter: 1,
      upToAgain: [2, 2],
      fromAgain: [12, 4]
    })
  })

  it("a run at the end of the log folds nothing; a checkpoint at position 1 is continued too", async () => {
    const folds = { n: 0 }
    const checkpoints = ProjectionCheckpoints.makeMemory({ saveEvery: 1 })
    const steps = await runWith(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const add = (i: number) =>
          store.append(`organisation-${i}`, [
            toAppend(organisationRegistered(`org-${i}`, "eu"), "2022-01-01")
          ])
        const seen: Array<[number, number, number | undefined]> = []
        const step = Effect.gen(function* () {
          const before = folds.n
          const s = yield* Projection.run(counting(folds), catalog)
          seen.push([s.state.count, folds.n - before, (yield* checkpoints.load(countingKey))?.position])
        })
        yield* add(0)
        yield* step // from zero: folds 1, saved at 1
        yield* add(1)
        yield* step // from the checkpoint at 1: folds 1, saved at 2
        yield* step // at the end: folds nothing, keeps 2
        return seen
      }),
      checkpoints
    )
    expect(steps).toEqual([
      [1, 1, 1],
      [2, 1, 2],
      [2, 0, 2]
    ])
  })

  it("replays from zero past a checkpoint of another, longer log, or of another log it is part of", async () => {
    // A checkpoint saved over a log of three "eu" organisations (position 3), met by a log of two
    // "other" ones (the checkpoint lies past its end) and by one of five "other" ones (position 3
    // lies inside it, with another hash).
    const checkpoints = ProjectionCheckpoints.makeMemory({ saveEvery: 1 })
    const logOf = (n: number, focus: "eu" | "other") =>
      runWith(
        Effect.gen(function* () {
          const store = yield* EventStore.EventStore
          for (let i = 0; i < n; i++) {
            yield* store.append(`organisation-${i}`, [
              toAppend(organisationRegistered(`org-${i}`, focus), "2022-01-01")
            ])
          }
          const s = yield* Projection.run(organisations, catalog)
          return {
            focus: Object.keys(s.state.byFocus),
            count: s.state.count,
            saved: (yield* checkpoints.load(organisationsKey))?.position
          }
        }),
        checkpoints
      )
    expect(await logOf(3, "eu")).toEqual({ focus: ["eu"], count: 3, saved: 3 })
    expect(await logOf(2, "other")).toEqual({ focus: ["other"], count: 2, saved: 2 })
    expect(await logOf(3, "eu")).toEqual({ focus: ["eu"], count: 3, saved: 3 })
    expect(await logOf(5, "other")).toEqual({ focus: ["other"], count: 5, saved: 5 })
  })

  it("replays from zero when a checkpoint's state cannot be read, or it is of an empty fold", async () => {
    const outcome = await Promise.all(
      [
        // The right position and hash (filled in below), bytes that are no structured clone.
        (hash: string) => ({ position: 4, hash, state: new Uint8Array([0xff, 0x0f, 0x6f]) }),
        // Position 0 on an empty log: its hash is the genesis hash, as the log's is.
        () => ({
          position: 0,
          hash: HashChain.GENESIS_HASH,
          state: new Uint8Array(serialize({ byFocus: { x: ["X"] }, latest: null, count: 99 }))
        })
      ].map((made, i) => {
        const checkpoints = ProjectionCheckpoints.makeMemory({ saveEvery: 1 })
        return runWith(
          Effect.gen(function* () {
            const store = yield* EventStore.EventStore
            if (i === 0) yield* appendLog
            yield* checkpoints.save(organisationsKey, made((yield* store.head).lastHash))
            const s = yield* Projection.run(organisations, catalog)
            return [s.state.count, s.position]
          }),
          checkpoints
        )
      })
    )
    expect(outcome).toEqual([
      [3, 4],
      [0, 0]
    ])
  })
})

describe("runMany's one pass", () => {
  it("reads the log once from the earliest checkpoint of its filters, decoding each event once for every filter", async () => {
    const checkpoints = ProjectionCheckpoints.makeMemory({ saveEvery: 1 })
    const reads: Array<EventStore.ReadAllOptions | undefined> = []
    const decodes = { n: 0 }
    const counted: typeof catalog = {
      ...catalog,
      decode: (stored) => {
        decodes.n++
        return catalog.decode(stored)
      }
    }
    const outcome = await runWith(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const add = (i: number) =>
          store.append(`organisation-${i}`, [
            toAppend(organisationRegistered(`org-${i}`, "eu"), "2023-01-05")
          ])
        yield* appendLog // positions 0-3
        yield* Projection.runMany(organisations, catalog, [{}]) // {} saved at 4
        yield* add(4) // position 4, Luleå
        yield* Projection.runMany(organisations, catalog, [{ tenant: "lulea-kommun" }]) // saved at 5
        yield* add(5) // position 5, Luleå
        const snapshots = yield* Projection.runMany(organisations, counted, [
          { tenant: "lulea-kommun" },
          {}
        ]).pipe(
          Effect.provideService(EventStore.EventStore, {
            ...store,
            readAll: (options) => {
              reads.push(options)
              return store.readAll(options)
            }
          })
        )
        return snapshots.map((s) => [s.state.count, s.position])
      }),
      checkpoints
    )
    // Worked out by hand from the log: Luleå has UBC and EUROCITIES, then org-4 and org-5 (4);
    // every tenant adds SERN (5).
    expect(outcome).toEqual([
      [4, 6],
      [5, 6]
    ])
    // Each checkpoint checked against the event before it (the Luleå one at 5 first, as its filter
    // comes first), then the pass from 4, the smaller of the two positions, not from 0, up to the
    // head (6), hinting the projection's one type: the filters share no tenant and no clock.
    expect(reads).toEqual([
      { fromPosition: 4, toPosition: 5 },
      { fromPosition: 3, toPosition: 4 },
      { fromPosition: 4, toPosition: 6, only: { types: ["OrganisationRegistered"] } }
    ])
    // The pass reads positions 4 and 5: org-4 only for {} (the Luleå state is past it), org-5 for
    // both filters, decoded once.
    expect(decodes.n).toBe(2)
  })

  it("a checkpoint store that says it is disabled is neither read nor written", async () => {
    const calls: Array<string> = []
    const disabled = disabledRecording(calls)
    const counts = await runWith(
      Effect.gen(function* () {
        yield* appendLog
        const [all] = yield* Projection.runMany(organisations, catalog, [{}])
        return [all?.state.count, all?.position]
      }),
      disabled
    )
    expect(counts).toEqual([3, 4])
    expect(calls).toEqual([])
  })
})

describe("live", () => {
  it("folds the tenant's events only, continues a usable snapshot and replays an unusable one", async () => {
    const firsts = await runWith(
      Effect.gen(function* () {
        yield* appendLog
        const first = (options: {
          readonly from?: Projection.Snapshot<OrganisationsState>
          readonly tenant?: string
        }) =>
          Effect.map(
            Stream.runCollect(Stream.take(Projection.live(organisations, catalog, options), 1)),
            (s) => s[0] as Projection.Snapshot<OrganisationsState>
          )
        const all = yield* first({})
        const norrbotten = yield* first({ tenant: "region-norrbotten" })
        const continued = yield* first({
          tenant: "region-norrbotten",
          from: snapshot({ tenant: "region-norrbotten" })
        })
        const otherTenant = yield* first({
          tenant: "region-norrbotten",
          from: snapshot({ tenant: "lulea-kommun" })
        })
        const otherVersion = yield* first({ from: { ...snapshot({}), version: 2 } })
        const otherName = yield* first({ from: { ...snapshot({}), projection: "another" } })
        const sameAll = yield* first({ from: snapshot({}) })
        return [all, norrbotten, continued, otherTenant, otherVersion, otherName, sameAll].map((s) => ({
          names: names(s.state),
          count: s.state.count,
          position: s.position,
          filter: s.filter,
          projection: [s.projection, s.version]
        }))
      })
    )
    const p = ["test/organisations", 1]
    expect(firsts).toStrictEqual([
      { names: ["EUROCITIES", "SERN", "UBC"], count: 3, position: 4, filter: {}, projection: p },
      { names: ["SERN"], count: 1, position: 4, filter: { tenant: "region-norrbotten" }, projection: p },
      { names: ["SERN"], count: 11, position: 4, filter: { tenant: "region-norrbotten" }, projection: p },
      { names: ["SERN"], count: 1, position: 4, filter: { tenant: "region-norrbotten" }, projection: p },
      { names: ["EUROCITIES", "SERN", "UBC"], count: 3, position: 4, filter: {}, projection: p },
      { names: ["EUROCITIES", "SERN", "UBC"], count: 3, position: 4, filter: {}, projection: p },
      { names: ["EUROCITIES", "SERN"], count: 12, position: 4, filter: {}, projection: p }
    ])
  })

  it("fails with the event that does not decode", async () => {
    const error = await runWith(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        yield* store.append("organisation-a", [
          {
            ...toAppend(organisationRegistered("ubc", "eu"), "2020-01-01"),
            payload: { organisationId: "x", name: "X", focusArea: "mars" }
          }
        ])
        return yield* Effect.flip(Stream.runCollect(Stream.take(Projection.live(organisations, catalog), 1)))
      })
    )
    expect(error).toMatchObject({ _tag: "EventDecodeError", position: 0, streamId: "organisation-a" })
  })
})
