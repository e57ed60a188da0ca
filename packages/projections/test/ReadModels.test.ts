import { fc, test } from "@fast-check/vitest"
import { Projection } from "@utblick/core"
import { Agreements, Memberships, ReadModels, Shared, Trips } from "@utblick/projections"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import { fundingHistoryArb, type Step, store } from "./support.js"

const fold = <S>(projection: Projection.Projection<S, Shared.Event>, events: Parameters<typeof Projection.foldEvents>[2], filter: Projection.TimeFilter = {}) => {
  const result = Projection.foldEvents(projection, Shared.catalog, events, filter)
  if (Result.isFailure(result)) throw result.failure
  return result.success
}

const lulea: ReadonlyArray<Step> = [
  { occurredAt: "2003-01-01", tenant: "lulea-kommun", event: { _tag: "OrganisationRegistered", organisationId: "ubc", name: "Union of the Baltic Cities", focusArea: "regional-arctic" } },
  { occurredAt: "2015-01-01", tenant: "lulea-kommun", event: { _tag: "OrganisationRegistered", organisationId: "sern", name: "SERN", focusArea: "eu" } },
  { occurredAt: "2003-06-01", tenant: "lulea-kommun", event: { _tag: "MembershipSigned", actorId: "lulea-kommun", organisationId: "ubc", kind: "member", joinedYear: 2003 } },
  { occurredAt: "2015-06-01", tenant: "lulea-kommun", event: { _tag: "MembershipSigned", actorId: "lulea-kommun", organisationId: "sern", kind: "member", joinedYear: 2015 } },
  { occurredAt: "2019-01-01", tenant: "lulea-kommun", event: { _tag: "MembershipRoleAssigned", actorId: "lulea-kommun", organisationId: "ubc", role: "commission-member", body: "Sustainable Cities Commission" } },
  { occurredAt: "2022-12-31", tenant: "lulea-kommun", event: { _tag: "MembershipEnded", actorId: "lulea-kommun", organisationId: "sern", endedOn: "2022-12-31", reason: "resigned" } },
  { occurredAt: "2000-01-01", tenant: "lulea-kommun", event: { _tag: "AgreementSigned", agreementId: "zenica", kind: "twin-town", title: "Zenica", parties: [{ name: "Luleå" }, { name: "Zenica", country: "BA" }], priorityAreas: [], signedYear: 2000, activity: "active" } },
  { occurredAt: "2017-03-01", tenant: "lulea-kommun", event: { _tag: "AgreementStatusChanged", agreementId: "zenica", from: "active", to: "dormant", reason: "no activity" } },
  { occurredAt: "2023-05-01", tenant: "lulea-kommun", event: { _tag: "AgreementIntentRecorded", agreementId: "tromso", kind: "cooperation-agreement", title: "Tromsø", parties: [{ name: "Luleå" }, { name: "Tromsø", country: "NO" }], potentialAreas: [{ label: "Arktis" }], ambition: "sign a cooperation agreement" } },
  { occurredAt: "2023-08-01", tenant: "lulea-kommun", event: { _tag: "AgreementSigned", agreementId: "noveant", kind: "cooperation-agreement", title: "Novéant-sur-Moselle", parties: [{ name: "Luleå" }, { name: "Novéant-sur-Moselle", country: "FR" }], priorityAreas: [{ label: "Kultur" }], signedOn: "2023-08-01", activity: "active" } },
  { occurredAt: "2024-02-01", tenant: "lulea-kommun", event: { _tag: "TripProposed", tripId: "t1", organiserActorId: "lulea-kommun", traveller: "subject-a1", purpose: "UBC General Conference", destination: "Gdańsk", departOn: "2024-02-10", returnOn: "2024-02-12", relatedTo: [{ kind: "membership", streamId: "membership-lulea-kommun-ubc" }], goalRefs: [] } },
  { occurredAt: "2024-02-02", tenant: "lulea-kommun", event: { _tag: "TripEvaluated", tripId: "t1", checklist: { contributesToDevelopment: true, partOfExternalMonitoring: true, opportunityToInfluence: true }, physicalMeetingNecessary: true, digitalAlternativeSufficient: false, mode: "train", distanceKm: 1800, estimatedCo2eKg: 12.5, decision: "approved" } },
  { occurredAt: "2024-03-01", tenant: "lulea-kommun", event: { _tag: "TripProposed", tripId: "t2", organiserActorId: "lulea-kommun", traveller: "subject-b2", purpose: "Network meeting", destination: "Brussels", departOn: "2024-03-10", returnOn: "2024-03-11", relatedTo: [], goalRefs: [] } },
  { occurredAt: "2024-03-02", tenant: "lulea-kommun", event: { _tag: "TripEvaluated", tripId: "t2", checklist: { contributesToDevelopment: true, partOfExternalMonitoring: false, opportunityToInfluence: false }, physicalMeetingNecessary: false, digitalAlternativeSufficient: true, mode: "flight", distanceKm: 2400, estimatedCo2eKg: 400, decision: "replaced-by-digital" } },
  { occurredAt: "2024-02-13", tenant: "lulea-kommun", event: { _tag: "TripCompleted", tripId: "t1", completedOn: "2024-02-12", actualMode: "train", actualCo2eKg: 11 } }
]

describe("memberships, agreements and trips", () => {
  it("answers who is a member of what, since when, in which roles, by focus area", async () => {
    const state = fold(Memberships.projection, await store(lulea))
    expect(Memberships.active(state, { tenant: "lulea-kommun" }).map((m) => [m.organisationName, m.since, m.sincePrecision])).toEqual([
      ["Union of the Baltic Cities", "2003-01-01", "year"]
    ])
    expect(Memberships.countByFocusArea(state)).toEqual({ "regional-arctic": 1, eu: 0, other: 0 })
    expect(Memberships.rolesHeld(state)).toEqual([
      { organisationName: "Union of the Baltic Cities", role: "commission-member", body: "Sustainable Cities Commission" }
    ])
    expect(Memberships.all(state).find((m) => m.organisationId === "sern")?.history.map((h) => h.what)).toEqual(["joined", "ended"])
  })

  it("keeps tenants apart when they reuse ids, and its counts agree with its listings", async () => {
    // Örebro records the same ids; its SERN membership never ends and it signs as a partner too.
    const orebro: ReadonlyArray<Step> = [
      ...lulea.filter((s) => s.event._tag !== "MembershipEnded").map((s) => ({ ...s, tenant: "orebro" })),
      { occurredAt: "2020-01-01", tenant: "orebro", event: { _tag: "MembershipSigned", actorId: "orebro", organisationId: "sern", kind: "consortium-partner", joinedYear: 2020 } }
    ]
    const state = fold(Memberships.projection, await store([...lulea, ...orebro]))
    const tally = (values: ReadonlyArray<string>) => {
      const counts: Record<string, number> = {}
      for (const v of values) counts[v] = (counts[v] ?? 0) + 1
      return counts
    }
    for (const tenant of ["lulea-kommun", "orebro", undefined]) {
      const filter = tenant === undefined ? {} : { tenant }
      const active = Memberships.active(state, filter)
      expect(Memberships.countByKind(state, filter)).toEqual(tally(active.map((m) => m.kind)))
      expect(Memberships.countByFocusArea(state, filter)).toEqual({ "regional-arctic": 0, eu: 0, other: 0, ...tally(active.map((m) => m.focusArea)) })
    }
    expect(Memberships.countByKind(state, { tenant: "lulea-kommun" })).toEqual({ member: 1 })
    expect(Memberships.countByKind(state, { tenant: "orebro" })).toEqual({ member: 2, "consortium-partner": 1 })
    expect(Memberships.active(state, { tenant: "lulea-kommun", kinds: Memberships.PROPER }).map((m) => m.organisationId)).toEqual(["ubc"])
  })

  it("answers as of a date: SERN was still active at the end of 2021", async () => {
    const state = fold(Memberships.projection, await store(lulea), { asOf: "2021-12-31" })
    expect(Memberships.countByFocusArea(state)).toEqual({ "regional-arctic": 1, eu: 1, other: 0 })
  })

  it("keeps twin towns by status, open intents and time since last activity", async () => {
    const state = fold(Agreements.projection, await store(lulea))
    expect(Agreements.twinTowns(state).map((a) => [a.title, a.status])).toEqual([["Zenica", "dormant"]])
    expect(Agreements.openIntents(state).map((a) => a.title)).toEqual(["Tromsø"])
    expect(Agreements.countByKindAndStatus(state)).toEqual({
      "twin-town": { intended: 0, active: 0, dormant: 1, ended: 0 },
      "cooperation-agreement": { intended: 1, active: 1, dormant: 0, ended: 0 }
    })
    const noveant = Agreements.all(state).find((a) => a.agreementId === "noveant")
    expect(noveant && Agreements.daysSinceLastActivity(noveant, "2024-08-01")).toBe(366)
  })

  it("counts trips per year and mode, with CO2e and digital replacements, and no personal names", async () => {
    const state = fold(Trips.projection, await store(lulea))
    expect(Trips.totals(state, { year: 2024 })).toEqual({
      proposed: 2,
      evaluated: 2,
      approved: 1,
      replacedByDigital: 1,
      declined: 0,
      completed: 1,
      cancelled: 0,
      distanceKm: 1800,
      co2eKg: 11
    })
    expect(Object.keys(Trips.totalsBy(state, "mode"))).toEqual(["train", "digital"])
    expect(Trips.totalsBy(state, "related")["membership-lulea-kommun-ubc"]?.approved).toBe(1)
    expect(JSON.stringify(state)).not.toMatch(/travellerName/)
  })
})

describe("read models together", () => {
  test.prop([fundingHistoryArb], { numRuns: 30 })("the combined fold equals each projection folded alone", async (steps) => {
    const events = await store([...lulea, ...steps])
    const combined = fold(ReadModels.projection, events)
    expect(combined.memberships).toEqual(fold(Memberships.projection, events))
    expect(combined.agreements).toEqual(fold(Agreements.projection, events))
    expect(combined.trips).toEqual(fold(Trips.projection, events))
  })

  test.prop([fundingHistoryArb, fc.constantFrom("2017-12-31", "2022-06-30", "2023-12-31")], { numRuns: 30 })(
    "as of a date equals the fold of the events that occurred by then",
    async (steps, asOf) => {
      const events = await store([...lulea, ...steps])
      expect(fold(ReadModels.projection, events, { asOf })).toEqual(
        fold(ReadModels.projection, events.filter((e) => e.occurredAt <= asOf))
      )
    }
  )
})
