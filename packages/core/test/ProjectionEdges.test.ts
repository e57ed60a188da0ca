// The projection runtime against values written out by hand (mutation testing's targets): the
// boundaries of each time filter, events of types a projection does not handle, continuing from a
// snapshot only when it is the same projection, version and filter, and stopping at a position.
import { type Envelope, EventStore, Projection } from "@utblick/core"
import { Effect, Layer, Result, Stream } from "effect"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "vitest"
import { appendEdgeLog, catalog, type OrganisationsState, organisations } from "./fixtures.js"

// Three organisations, recorded one day apart from 2023-01-01T00:00:00.000Z:
//   position 0: UBC, regional-arctic, occurred 2022-05-01, Luleå, recorded 2023-01-02
//   position 1: SERN, eu, occurred 2022-12-31, Norrbotten, recorded 2023-01-03
//   position 2: EUROCITIES, eu, occurred 2023-01-01, Luleå, recorded 2023-01-04
// and, at position 3, an event of a type the projection does not handle with a payload that would
// not decode as one it does (fixtures' appendEdgeLog).
const withLog = <A>(use: Effect.Effect<A, unknown, EventStore.EventStore>) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    yield* appendEdgeLog
    const stored = yield* Stream.runCollect(store.readAll())
    return { stored, result: yield* use }
  }).pipe(
    Effect.provide(Layer.mergeAll(EventStore.layerMemory(), TestClock.layer())),
    Effect.runPromise as <X>(e: Effect.Effect<X, unknown>) => Promise<X>
  )

const names = (state: { readonly byFocus: Readonly<Record<string, ReadonlyArray<string>>> }) =>
  Object.values(state.byFocus).flat().sort()

describe("projection runtime, by hand", () => {
  it("includes an event on the very date and instant a filter names", async () => {
    const { stored } = await withLog(Effect.void)
    const fold = (filter: Projection.TimeFilter) => {
      const r = Projection.foldEvents(
        organisations,
        catalog,
        stored as ReadonlyArray<Envelope.StoredEvent>,
        filter
      )
      if (Result.isFailure(r)) throw r.failure
      return names(r.success)
    }
    expect(fold({})).toEqual(["EUROCITIES", "SERN", "UBC"])
    expect(fold({ asOf: "2022-12-31" })).toEqual(["SERN", "UBC"])
    expect(fold({ asOf: "2022-12-30" })).toEqual(["UBC"])
    expect(fold({ knownAt: "2023-01-03T00:00:00.000Z" })).toEqual(["SERN", "UBC"])
    expect(fold({ knownAt: "2023-01-02T23:59:59.999Z" })).toEqual(["UBC"])
    expect(fold({ tenant: "lulea-kommun" })).toEqual(["EUROCITIES", "UBC"])
    expect(fold({ tenant: "region-norrbotten", asOf: "2022-12-31" })).toEqual(["SERN"])
    expect(fold({ tenant: "region-norrbotten", asOf: "2022-12-30" })).toEqual([])
    expect(fold({ asOf: "2023-01-01", knownAt: "2023-01-03T00:00:00.000Z" })).toEqual(["SERN", "UBC"])
    const one = stored[1] as Envelope.StoredEvent
    expect(
      Projection.matches({ asOf: "2022-12-31", knownAt: one.recordedAt, tenant: "region-norrbotten" }, one)
    ).toBe(true)
    expect(Projection.matches({ tenant: "lulea-kommun" }, one)).toBe(false)
  })

  it("continues from a snapshot of the same projection, version and filter, and replays otherwise", async () => {
    // A snapshot at position 1 whose state says 10 organisations: continuing adds SERN and
    // EUROCITIES (12); replaying from zero counts the three (3).
    const snapshot = (
      over: Partial<Projection.Snapshot<OrganisationsState>>
    ): Projection.Snapshot<OrganisationsState> => ({
      projection: organisations.name,
      version: organisations.version,
      position: 1,
      filter: {},
      state: { byFocus: {}, latest: null, count: 10 },
      ...over
    })
    const { result } = await withLog(
      Effect.all([
        Projection.run(organisations, catalog, { from: snapshot({}) }),
        Projection.run(organisations, catalog, { from: snapshot({ projection: "another" }) }),
        Projection.run(organisations, catalog, { from: snapshot({ version: 2 }) }),
        Projection.run(organisations, catalog, { from: snapshot({ filter: { tenant: "lulea-kommun" } }) }),
        Projection.run(organisations, catalog, {
          tenant: "lulea-kommun",
          from: snapshot({ filter: { tenant: "lulea-kommun" } })
        }),
        Projection.run(organisations, catalog, {
          asOf: "2022-12-31",
          from: snapshot({ filter: { asOf: "2022-12-31", knownAt: "2023-01-05T00:00:00.000Z" } })
        }),
        Projection.run(organisations, catalog, {
          knownAt: "2023-01-09T00:00:00.000Z",
          from: snapshot({ filter: { knownAt: "2023-01-09T00:00:00.000Z" } })
        })
      ])
    )
    expect(result.map((s) => [s.state.count, s.position])).toEqual([
      [12, 4],
      [3, 4],
      [3, 4],
      [3, 4],
      [11, 4],
      [2, 4],
      [12, 4]
    ])
    expect(result[4]?.filter).toEqual({ tenant: "lulea-kommun" })
    expect([result[0]?.projection, result[0]?.version]).toEqual(["test/organisations", 1])
  })

  it("stops before the position it is given", async () => {
    const { result } = await withLog(
      Effect.all([
        Projection.run(organisations, catalog, { toPosition: 2 }),
        Projection.run(organisations, catalog, { toPosition: 0 }),
        Projection.runMany(organisations, catalog, [{ tenant: "lulea-kommun" }, { asOf: "2022-06-01" }]),
        Projection.runMany(organisations, catalog, [])
      ])
    )
    const [upTo2, none, many, empty] = result
    expect([upTo2.state.count, upTo2.position, names(upTo2.state)]).toEqual([2, 2, ["SERN", "UBC"]])
    expect([none.state.count, none.position]).toEqual([0, 0])
    expect(many.map((s) => [names(s.state), s.position, s.filter])).toEqual([
      [["EUROCITIES", "UBC"], 4, { tenant: "lulea-kommun" }],
      [["UBC"], 4, { asOf: "2022-06-01" }]
    ])
    expect(empty).toEqual([])
  })
})
