// The memberships read model against records and counts written out by hand (mutation testing found
// these unpinned): the three precisions of a join date, rejoining after an exit, roles with and
// without a body or dates, unknown organisations, filters and the order of the listing.
import { Projection } from "@utblick/core"
import { Memberships, Shared } from "@utblick/projections"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import { type Step, store } from "./support.js"

const fold = (events: Parameters<typeof Projection.foldEvents>[2], filter: Projection.TimeFilter = {}) => {
  const result = Projection.foldEvents(Memberships.projection, Shared.catalog, events, filter)
  if (Result.isFailure(result)) throw result.failure
  return result.success
}

const L = "lulea-kommun"
const O = "orebro"

const history: ReadonlyArray<Step> = [
  { tenant: L, occurredAt: "2000-01-01", event: { _tag: "OrganisationRegistered", organisationId: "ubc", name: "Union of the Baltic Cities", focusArea: "regional-arctic" } },
  { tenant: L, occurredAt: "2000-01-01", event: { _tag: "OrganisationRegistered", organisationId: "sern", name: "SERN", focusArea: "eu" } },
  { tenant: L, occurredAt: "2000-01-01", event: { _tag: "OrganisationRegistered", organisationId: "eurocities", name: "Eurocities", focusArea: "other" } },
  // A year only -> 1 January of it; a date (with a year too) -> the date; neither -> the day recorded.
  { tenant: L, occurredAt: "2003-06-01", event: { _tag: "MembershipSigned", actorId: L, organisationId: "ubc", kind: "member", joinedYear: 2003 } },
  { tenant: L, occurredAt: "2015-04-01", event: { _tag: "MembershipSigned", actorId: L, organisationId: "sern", kind: "founder", joinedOn: "2015-03-15", joinedYear: 2015 } },
  { tenant: L, occurredAt: "2018-09-09", event: { _tag: "MembershipSigned", actorId: L, organisationId: "eurocities", kind: "signatory" } },
  // An organisation not in the registry; joined the same day as UBC (ordered by id then).
  { tenant: L, occurredAt: "2003-07-01", event: { _tag: "MembershipSigned", actorId: L, organisationId: "barents", kind: "member", joinedYear: 2003 } },
  { tenant: L, occurredAt: "2010-05-05", event: { _tag: "MembershipSigned", actorId: "lulea-energi", organisationId: "ubc", kind: "member", joinedOn: "2010-05-05" } },
  { tenant: O, occurredAt: "2005-02-02", event: { _tag: "MembershipSigned", actorId: "orebro", organisationId: "ubc", kind: "member", joinedYear: 2005 } },
  {
    tenant: L,
    occurredAt: "2019-01-10",
    event: { _tag: "MembershipRoleAssigned", actorId: L, organisationId: "ubc", role: "commission-member", body: "Sustainable Cities", from: "2019-01-01", to: "2021-12-31" }
  },
  { tenant: L, occurredAt: "2022-05-05", event: { _tag: "MembershipRoleAssigned", actorId: L, organisationId: "ubc", role: "chair" } },
  { tenant: L, occurredAt: "2019-02-02", event: { _tag: "MembershipRoleAssigned", actorId: L, organisationId: "eurocities", role: "working-group-member", body: "Culture" } },
  { tenant: L, occurredAt: "2021-06-30", event: { _tag: "MembershipEnded", actorId: L, organisationId: "eurocities", endedOn: "2021-06-30", reason: "expired" } },
  { tenant: L, occurredAt: "2021-01-05", event: { _tag: "MembershipEnded", actorId: L, organisationId: "sern", endedOn: "2020-12-31", reason: "resigned" } },
  // Rejoining starts a new term.
  { tenant: L, occurredAt: "2023-02-01", event: { _tag: "MembershipSigned", actorId: L, organisationId: "sern", kind: "member", joinedOn: "2023-02-01" } },
  // About memberships never signed: ignored.
  { tenant: L, occurredAt: "2022-01-01", event: { _tag: "MembershipRoleAssigned", actorId: L, organisationId: "ghost", role: "chair" } },
  { tenant: L, occurredAt: "2022-01-01", event: { _tag: "MembershipEnded", actorId: L, organisationId: "ghost", endedOn: "2022-01-01", reason: "other" } }
]

describe("memberships read model, by hand", () => {
  it("keeps a membership's roles and history as the events give them", async () => {
    const state = fold(await store(history))
    const ubc = Memberships.all(state, { tenant: L, actorId: L }).find((m) => m.organisationId === "ubc")
    expect(ubc).toEqual({
      tenant: L,
      actorId: L,
      organisationId: "ubc",
      organisationName: "Union of the Baltic Cities",
      focusArea: "regional-arctic",
      kind: "member",
      since: "2003-01-01",
      sincePrecision: "year",
      active: true,
      endedOn: null,
      roles: [
        { role: "commission-member", body: "Sustainable Cities", from: "2019-01-01", to: "2021-12-31" },
        { role: "chair", body: null, from: null, to: null }
      ],
      history: [
        { on: "2003-01-01", what: "joined", detail: "member" },
        { on: "2019-01-01", what: "role", detail: "commission-member: Sustainable Cities" },
        { on: "2022-05-05", what: "role", detail: "chair" }
      ]
    })
  })

  it("a rejoin starts a new term; an exit is dated", async () => {
    const state = fold(await store(history))
    const of = (id: string) => Memberships.all(state, { tenant: L, actorId: L }).find((m) => m.organisationId === id)
    expect(of("sern")).toMatchObject({ kind: "member", since: "2023-02-01", sincePrecision: "date", active: true, endedOn: null })
    expect(of("sern")?.history).toEqual([
      { on: "2015-03-15", what: "joined", detail: "founder" },
      { on: "2020-12-31", what: "ended", detail: "resigned" },
      { on: "2023-02-01", what: "joined", detail: "member" }
    ])
    expect(of("eurocities")).toMatchObject({ kind: "signatory", since: "2018-09-09", sincePrecision: "recorded", active: false, endedOn: "2021-06-30" })
    expect(of("eurocities")?.history).toEqual([
      { on: "2018-09-09", what: "joined", detail: "signatory" },
      { on: "2019-02-02", what: "role", detail: "working-group-member: Culture" },
      { on: "2021-06-30", what: "ended", detail: "expired" }
    ])
    // Before the exit and the rejoin, SERN was a founding membership from its exact date.
    const before = fold(await store(history), { asOf: "2019-12-31" })
    expect(Memberships.all(before, { tenant: L, actorId: L }).find((m) => m.organisationId === "sern")).toMatchObject({
      kind: "founder",
      since: "2015-03-15",
      sincePrecision: "date",
      active: true
    })
    expect(Memberships.all(state).some((m) => m.organisationId === "ghost")).toBe(false)
  })

  it("lists by join date, then by organisation, and filters by tenant, actor and kind", async () => {
    const state = fold(await store(history))
    const row = (m: Memberships.MembershipView) => `${m.actorId}/${m.organisationId}`
    expect(Memberships.all(state, { tenant: L }).map(row)).toEqual([
      "lulea-kommun/barents",
      "lulea-kommun/ubc",
      "lulea-energi/ubc",
      "lulea-kommun/eurocities",
      "lulea-kommun/sern"
    ])
    expect(Memberships.active(state, { tenant: L }).map(row)).toEqual([
      "lulea-kommun/barents",
      "lulea-kommun/ubc",
      "lulea-energi/ubc",
      "lulea-kommun/sern"
    ])
    expect(Memberships.active(state, { actorId: "lulea-energi" }).map(row)).toEqual(["lulea-energi/ubc"])
    expect(Memberships.all(state, { tenant: L, kinds: ["signatory"] }).map(row)).toEqual(["lulea-kommun/eurocities"])
    expect(Memberships.active(state, { tenant: O }).map(row)).toEqual(["orebro/ubc"])
    // An organisation missing from the registry is named by its id, in the focus area "unknown".
    const barents = Memberships.all(state, { tenant: L })[0]
    expect([barents?.organisationName, barents?.focusArea]).toEqual(["barents", "unknown"])
  })

  it("counts active memberships per focus area and per kind, and the roles held in them", async () => {
    const state = fold(await store(history))
    expect(Memberships.countByFocusArea(state, { tenant: L })).toEqual({ "regional-arctic": 2, eu: 1, other: 0, unknown: 1 })
    expect(Memberships.countByFocusArea(state, { tenant: L, actorId: "lulea-energi" })).toEqual({ "regional-arctic": 1, eu: 0, other: 0 })
    expect(Memberships.countByFocusArea(state)).toEqual({ "regional-arctic": 3, eu: 1, other: 0, unknown: 1 })
    expect(Memberships.countByKind(state, { tenant: L })).toEqual({ member: 4 })
    expect(Memberships.countByKind(state, { tenant: L, kinds: ["founder"] })).toEqual({})
    expect(Memberships.countByKind(state)).toEqual({ member: 5 })
    const before = fold(await store(history), { asOf: "2019-12-31" })
    expect(Memberships.countByKind(before, { tenant: L })).toEqual({ member: 3, founder: 1, signatory: 1 })
    expect(Memberships.countByKind(before, { tenant: L, actorId: L, kinds: Memberships.PROPER })).toEqual({ member: 2, founder: 1 })
    expect(Memberships.countByFocusArea(before, { tenant: L })).toEqual({ "regional-arctic": 2, eu: 1, other: 1, unknown: 1 })
    // Eurocities' role ended with the membership; UBC's two roles remain.
    expect(Memberships.rolesHeld(state, { tenant: L })).toEqual([
      { organisationName: "Union of the Baltic Cities", role: "commission-member", body: "Sustainable Cities" },
      { organisationName: "Union of the Baltic Cities", role: "chair", body: null }
    ])
    expect(Memberships.rolesHeld(before, { tenant: L }).map((r) => r.role)).toEqual(["commission-member", "working-group-member"])
  })

  it("breaks a tie of join dates by organisation, and puts a later date after an earlier organisation", async () => {
    // Signed in this order: arctic-five and nordic-net the same day (arctic-five first, as it
    // sorts first), aa later although it sorts first, zz earliest.
    const signed = (organisationId: string, joinedOn: string): Step => ({
      tenant: L,
      occurredAt: joinedOn,
      event: { _tag: "MembershipSigned", actorId: L, organisationId, kind: "member", joinedOn }
    })
    const state = fold(await store([signed("arctic-five", "2012-04-04"), signed("nordic-net", "2012-04-04"), signed("aa", "2013-01-01"), signed("zz", "2011-01-01")]))
    expect(Memberships.all(state).map((m) => m.organisationId)).toEqual(["zz", "arctic-five", "nordic-net", "aa"])
  })
})

