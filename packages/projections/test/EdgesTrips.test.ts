// The trips read model against figures worked out by hand (mutation testing found these unpinned).
// Every expected value below is written out from the events of the history, not computed by the
// code under test.
import { Projection } from "@utblick/core"
import { Shared, Trips } from "@utblick/projections"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import { type Step, store } from "./support.js"

const fold = (events: Parameters<typeof Projection.foldEvents>[2]) => {
  const result = Projection.foldEvents(Trips.projection, Shared.catalog, events)
  if (Result.isFailure(result)) throw result.failure
  return result.success
}

const L = "lulea-kommun"
const O = "orebro"

const proposed = (
  tenant: string,
  tripId: string,
  departOn: string,
  purpose: string,
  relatedTo: ReadonlyArray<{ kind: "membership" | "agreement" | "application"; streamId: string }> = []
): Step => ({
  tenant,
  occurredAt: "2023-10-01",
  event: {
    _tag: "TripProposed",
    tripId,
    organiserActorId: tenant,
    traveller: "subject-x1",
    purpose,
    destination: "Bryssel",
    departOn,
    returnOn: departOn,
    relatedTo: [...relatedTo],
    goalRefs: []
  }
})

const evaluated = (
  tenant: string,
  tripId: string,
  decision: "approved" | "replaced-by-digital" | "declined",
  mode: "flight" | "train" | "car" | "bus",
  distanceKm: number,
  estimatedCo2eKg: number,
  checklist: readonly [boolean, boolean, boolean],
  digitalAlternativeSufficient = false
): Step => ({
  tenant,
  occurredAt: "2023-10-02",
  event: {
    _tag: "TripEvaluated",
    tripId,
    checklist: {
      contributesToDevelopment: checklist[0],
      partOfExternalMonitoring: checklist[1],
      opportunityToInfluence: checklist[2]
    },
    physicalMeetingNecessary: true,
    digitalAlternativeSufficient,
    mode,
    distanceKm,
    estimatedCo2eKg,
    decision
  }
})

// Lulea (t-c proposed before t-b, so the order of the map is not the order of departure):
// - t-a 2024-05-10 "Konferens", related to the UBC membership and the Zenica agreement: approved,
//   train, 1000 km, 10 kg; completed by bus, 1100 km, 12 kg.
// - t-c 2024-03-01 "Studiebesök", related to UBC: declined (car, 300 km, 50 kg) -> 0 km, 0 kg.
// - t-b 2024-03-01 "Konferens": replaced by digital (flight 2000 km, 300 kg) -> 0 km, 0 kg;
//   completed digitally without actual figures.
// - t-d 2023-11-20 "Studiebesök": approved (flight 800 km, 150 kg), then cancelled -> 0 km, 0 kg.
// - t-e 2024-09-01 "Möte": never evaluated.
// Örebro reuses the id t-a (2024-05-10 "Konferens"): approved, train 400 km, 4 kg; completed
// without actual figures.
// Evaluating, completing or cancelling a trip never proposed changes nothing.
const history: ReadonlyArray<Step> = [
  proposed(L, "t-a", "2024-05-10", "Konferens", [
    { kind: "membership", streamId: "membership-lulea-ubc" },
    { kind: "agreement", streamId: "agreement-zenica" }
  ]),
  proposed(L, "t-c", "2024-03-01", "Studiebesök", [{ kind: "membership", streamId: "membership-lulea-ubc" }]),
  proposed(L, "t-b", "2024-03-01", "Konferens"),
  proposed(L, "t-d", "2023-11-20", "Studiebesök"),
  proposed(L, "t-e", "2024-09-01", "Möte"),
  proposed(O, "t-a", "2024-05-10", "Konferens"),
  evaluated(L, "t-a", "approved", "train", 1000, 10, [true, true, true]),
  evaluated(L, "t-b", "replaced-by-digital", "flight", 2000, 300, [false, true, true], true),
  evaluated(L, "t-c", "declined", "car", 300, 50, [true, false, true]),
  evaluated(L, "t-d", "approved", "flight", 800, 150, [true, true, false]),
  evaluated(O, "t-a", "approved", "train", 400, 4, [true, true, true]),
  evaluated(L, "t-x", "approved", "train", 1, 1, [true, true, true]),
  {
    tenant: L,
    occurredAt: "2024-05-12",
    event: { _tag: "TripCompleted", tripId: "t-a", completedOn: "2024-05-12", actualMode: "bus", actualDistanceKm: 1100, actualCo2eKg: 12 }
  },
  { tenant: L, occurredAt: "2024-03-01", event: { _tag: "TripCompleted", tripId: "t-b", completedOn: "2024-03-01", actualMode: "digital" } },
  { tenant: O, occurredAt: "2024-05-12", event: { _tag: "TripCompleted", tripId: "t-a", completedOn: "2024-05-12", actualMode: "train" } },
  { tenant: L, occurredAt: "2024-05-12", event: { _tag: "TripCompleted", tripId: "t-y", completedOn: "2024-05-12", actualMode: "train" } },
  { tenant: L, occurredAt: "2023-11-01", event: { _tag: "TripCancelled", tripId: "t-d", reason: "budget" } },
  { tenant: L, occurredAt: "2023-11-01", event: { _tag: "TripCancelled", tripId: "t-z", reason: "budget" } }
]

const zero: Trips.TripTotals = {
  proposed: 0,
  evaluated: 0,
  approved: 0,
  replacedByDigital: 0,
  declined: 0,
  completed: 0,
  cancelled: 0,
  distanceKm: 0,
  co2eKg: 0
}

describe("trips read model, by hand", () => {
  it("keeps each trip's decision, mode, distance, CO2e and checklist as the events leave them", async () => {
    const state = fold(await store(history))
    const byId = Object.fromEntries(Trips.all(state, { tenant: L }).map((t) => [t.tripId, t]))
    expect(byId["t-a"]).toEqual({
      tenant: L,
      tripId: "t-a",
      organiserActorId: L,
      traveller: "subject-x1",
      purpose: "Konferens",
      destination: "Bryssel",
      departOn: "2024-05-10",
      year: 2024,
      relatedTo: [
        { kind: "membership", streamId: "membership-lulea-ubc" },
        { kind: "agreement", streamId: "agreement-zenica" }
      ],
      goalRefs: [],
      status: "completed",
      decision: "approved",
      mode: "bus",
      distanceKm: 1100,
      co2eKg: 12,
      checklistAllYes: true,
      digitalAlternativeSufficient: false
    })
    const brief = (id: string) => {
      const t = byId[id]
      return t && [t.status, t.decision, t.mode, t.distanceKm, t.co2eKg, t.checklistAllYes, t.digitalAlternativeSufficient, t.year]
    }
    expect(brief("t-b")).toEqual(["completed", "replaced-by-digital", "digital", 0, 0, false, true, 2024])
    expect(brief("t-c")).toEqual(["evaluated", "declined", "car", 0, 0, false, false, 2024])
    expect(brief("t-d")).toEqual(["cancelled", "approved", "flight", 0, 0, false, false, 2023])
    expect(brief("t-e")).toEqual(["proposed", null, null, 0, 0, null, null, 2024])
    // Örebro's t-a is its own trip: completed without actual figures keeps the estimate.
    const orebro = Trips.all(state, { tenant: O })
    expect(orebro.map((t) => [t.tripId, t.status, t.mode, t.distanceKm, t.co2eKg])).toEqual([["t-a", "completed", "train", 400, 4]])
    // Events about trips never proposed leave no trace.
    expect(Trips.all(state).map((t) => t.tripId).sort()).toEqual(["t-a", "t-a", "t-b", "t-c", "t-d", "t-e"])
  })

  it("an approved evaluation keeps the estimate until the trip is completed", async () => {
    const state = fold(await store(history.slice(0, 7)))
    expect(Trips.all(state, { tenant: L, year: 2024 }).map((t) => [t.tripId, t.status, t.mode, t.distanceKm, t.co2eKg])).toEqual([
      ["t-b", "proposed", null, 0, 0],
      ["t-c", "proposed", null, 0, 0],
      ["t-a", "evaluated", "train", 1000, 10],
      ["t-e", "proposed", null, 0, 0]
    ])
  })

  it("lists trips by departure date, then by id", async () => {
    const state = fold(await store(history))
    expect(Trips.all(state, { tenant: L }).map((t) => t.tripId)).toEqual(["t-d", "t-b", "t-c", "t-a", "t-e"])
    expect(Trips.all(state, { tenant: L, year: 2023 }).map((t) => t.tripId)).toEqual(["t-d"])
    expect(Trips.all(state, { tenant: "nobody" })).toEqual([])
  })

  it("totals a tenant's year, all its years, and every tenant", async () => {
    const state = fold(await store(history))
    // 2024 in Luleå: t-a, t-b, t-c, t-e.
    expect(Trips.totals(state, { tenant: L, year: 2024 })).toEqual({
      proposed: 4,
      evaluated: 3,
      approved: 1,
      replacedByDigital: 1,
      declined: 1,
      completed: 2,
      cancelled: 0,
      distanceKm: 1100,
      co2eKg: 12
    })
    // Every year in Luleå adds t-d: approved, then cancelled (0 km, 0 kg).
    expect(Trips.totals(state, { tenant: L })).toEqual({
      proposed: 5,
      evaluated: 4,
      approved: 2,
      replacedByDigital: 1,
      declined: 1,
      completed: 2,
      cancelled: 1,
      distanceKm: 1100,
      co2eKg: 12
    })
    // 2024 in every tenant adds Örebro's t-a: 400 km, 4 kg.
    expect(Trips.totals(state, { year: 2024 })).toEqual({
      proposed: 5,
      evaluated: 4,
      approved: 2,
      replacedByDigital: 1,
      declined: 1,
      completed: 3,
      cancelled: 0,
      distanceKm: 1500,
      co2eKg: 16
    })
    expect(Trips.totals(state, { tenant: "nobody" })).toEqual(zero)
  })

  it("groups by mode, related record, purpose and year", async () => {
    const state = fold(await store(history))
    expect(Trips.totalsBy(state, "mode", { tenant: L, year: 2024 })).toEqual({
      bus: { ...zero, proposed: 1, evaluated: 1, approved: 1, completed: 1, distanceKm: 1100, co2eKg: 12 },
      digital: { ...zero, proposed: 1, evaluated: 1, replacedByDigital: 1, completed: 1 },
      car: { ...zero, proposed: 1, evaluated: 1, declined: 1 },
      "not evaluated": { ...zero, proposed: 1 }
    })
    // A trip related to two records counts under each; one related to none under "(none)".
    expect(Trips.totalsBy(state, "related", { tenant: L, year: 2024 })).toEqual({
      "membership-lulea-ubc": { ...zero, proposed: 2, evaluated: 2, approved: 1, declined: 1, completed: 1, distanceKm: 1100, co2eKg: 12 },
      "agreement-zenica": { ...zero, proposed: 1, evaluated: 1, approved: 1, completed: 1, distanceKm: 1100, co2eKg: 12 },
      "(none)": { ...zero, proposed: 2, evaluated: 1, replacedByDigital: 1, completed: 1 }
    })
    expect(Trips.totalsBy(state, "purpose", { tenant: L })).toEqual({
      Konferens: { ...zero, proposed: 2, evaluated: 2, approved: 1, replacedByDigital: 1, completed: 2, distanceKm: 1100, co2eKg: 12 },
      Studiebesök: { ...zero, proposed: 2, evaluated: 2, approved: 1, declined: 1, cancelled: 1 },
      Möte: { ...zero, proposed: 1 }
    })
    const byYear = Trips.totalsAndGroups(state, "year", { tenant: L })
    expect(byYear.groups).toEqual({
      "2024": { ...zero, proposed: 4, evaluated: 3, approved: 1, replacedByDigital: 1, declined: 1, completed: 2, distanceKm: 1100, co2eKg: 12 },
      "2023": { ...zero, proposed: 1, evaluated: 1, approved: 1, cancelled: 1 }
    })
    expect(byYear.total).toEqual({ ...zero, proposed: 5, evaluated: 4, approved: 2, replacedByDigital: 1, declined: 1, completed: 2, cancelled: 1, distanceKm: 1100, co2eKg: 12 })
  })

  it("adds CO2e as the decimals it is given in: 13,2 + 7,1 kg is 20,3 kg", async () => {
    // In binary floats 13.2 + 7.1 is 20.299999999999997: a mean per trip of 10,15 would then
    // round to 10,1 instead of 10,2.
    const state = fold(
      await store([
        proposed(L, "t-1", "2024-03-01", "Möte"),
        evaluated(L, "t-1", "approved", "train", 100, 13.2, [true, true, true]),
        proposed(L, "t-2", "2024-04-01", "Möte"),
        evaluated(L, "t-2", "approved", "train", 200, 7.1, [true, true, true])
      ])
    )
    const totals = Trips.totals(state, { tenant: L, year: 2024 })
    expect([totals.co2eKg, totals.distanceKm]).toStrictEqual([20.3, 300])
    expect(Trips.totalsBy(state, "mode", { tenant: L }).train?.co2eKg).toBe(20.3)
  })

  it("breaks a tie of departure dates by id, and puts a later date after an earlier id", async () => {
    // Proposed in this order: t-e and t-g leave the same day (t-e first, as its id sorts first),
    // t-0 leaves last although its id sorts first, t-9 leaves first.
    const state = fold(
      await store([
        proposed(L, "t-e", "2024-09-01", "Möte"),
        proposed(L, "t-g", "2024-09-01", "Möte"),
        proposed(L, "t-0", "2024-12-24", "Möte"),
        proposed(L, "t-9", "2024-01-01", "Möte")
      ])
    )
    expect(Trips.all(state).map((t) => t.tripId)).toEqual(["t-9", "t-e", "t-g", "t-0"])
  })
})
