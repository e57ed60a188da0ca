// Edge cases of the year sums (ADR 0046), written for the mutation run of `YearSums.ts` and
// `internal/{finishSums,sumsShape,exactDecimal}.ts`: literal records and literal sums, no event
// store, so each case is small enough to work out by hand. The property tests of
// `YearSums.test.ts` compare the sums with `Indicator.computeAll`; these pin what that comparison
// cannot see (the events an entity is named by, the order of `entries`, a copy that shares
// nothing, numbers in exponent notation, zero denominators, ties in first-seen order).
import { Indicator, YearSums } from "@utblick/indicators"
import type { Agreements, FundingPortfolio, Memberships, ReadModels, Trips } from "@utblick/projections"
import { describe, expect, it } from "vitest"
import { exactDecimal } from "../src/internal/exactDecimal.js"

// The separator of key parts (U+001F), as `YearSums` documents it.
const S = "\u001f"
const T1 = "t-one"
const T2 = "t-two"

const grant = (over: Partial<FundingPortfolio.GrantRecord> = {}): FundingPortfolio.GrantRecord => ({
  year: 2022,
  regionId: "r",
  amount: 0,
  originalAmount: 0,
  decidedOn: "2022-05-01",
  decidingBody: "board",
  decisionRef: null,
  priorityCodes: [],
  smartSpecialisationCodes: [],
  mainPurpose: null,
  euSource: null,
  euRatePercent: null,
  leadership: null,
  sector: null,
  supportArea: null,
  supportType: null,
  establishment: null,
  investment: 0,
  expectedJobsWomen: 0,
  expectedJobsMen: 0,
  ...over
})

const application = (
  id: string,
  over: Partial<FundingPortfolio.ApplicationRecord> = {}
): FundingPortfolio.ApplicationRecord => ({
  tenant: T1,
  applicationId: id,
  regionId: "r",
  instrument: "business-support",
  applicantName: "Firma",
  applicantMunicipality: null,
  title: id,
  amountApplied: 0,
  receivedOn: null,
  status: "received",
  assessment: null,
  grant: null,
  rejection: null,
  paid: 0,
  recovered: 0,
  payments: 0,
  reports: 0,
  closedOutcome: null,
  ...over
})

const membership = (over: Partial<Memberships.MembershipRecord> = {}): Memberships.MembershipRecord => ({
  tenant: T1,
  actorId: "act",
  organisationId: "org",
  kind: "member",
  since: "2021-01-01",
  sincePrecision: "date",
  active: true,
  endedOn: null,
  roles: [],
  history: [],
  ...over
})

const agreement = (over: Partial<Agreements.AgreementRecord> = {}): Agreements.AgreementRecord => ({
  tenant: T1,
  agreementId: "ag",
  kind: "cooperation",
  title: "Avtal",
  parties: [],
  priorityAreas: [],
  status: "active",
  signedOn: null,
  signedYear: null,
  lastActivityOn: "2022-01-01",
  history: [],
  ...over
})

const trip = (over: Partial<Trips.TripRecord> = {}): Trips.TripRecord => ({
  tenant: T1,
  tripId: "tr",
  organiserActorId: "act",
  traveller: "x",
  purpose: "Möte",
  destination: "Oulu",
  departOn: "2022-03-01",
  year: 2022,
  relatedTo: [],
  goalRefs: [],
  status: "proposed",
  decision: null,
  mode: null,
  distanceKm: 0,
  co2eKg: 0,
  checklistAllYes: null,
  digitalAlternativeSufficient: null,
  ...over
})

const app = (record: FundingPortfolio.ApplicationRecord, order = 0): YearSums.Entity => ({
  model: "application",
  tenant: record.tenant,
  id: record.applicationId,
  record,
  order
})
const member = (record: Memberships.MembershipRecord): YearSums.Entity => ({
  model: "membership",
  tenant: record.tenant,
  id: `${record.actorId}|${record.organisationId}`,
  record,
  order: 0
})
const agreed = (record: Agreements.AgreementRecord, order = 0): YearSums.Entity => ({
  model: "agreement",
  tenant: record.tenant,
  id: record.agreementId,
  record,
  order
})
const travel = (record: Trips.TripRecord): YearSums.Entity => ({
  model: "trip",
  tenant: record.tenant,
  id: record.tripId,
  record,
  order: 0
})

// The contribution of one entity as flat sorted entries.
const flat = (entity: YearSums.Entity, year: number, grants?: { readonly instrument?: string }) =>
  YearSums.entries(YearSums.contribution(entity, year, grants))

// Sums from literal (namespace, key, n) triples.
const sumsOf = (triples: ReadonlyArray<readonly [string, string, number]>): YearSums.Sums => {
  const sums = YearSums.empty()
  for (const [namespace, key, n] of triples) YearSums.addTo(sums, namespace, key, n)
  return sums
}

const emptyWhole = (): YearSums.Whole => ({
  registry: { actors: {}, organisations: {}, schemes: {}, mappings: {} },
  organisations: new Map(),
  budgets: new Map()
})

const one = (values: ReadonlyArray<Indicator.IndicatorValue>, id: string) => {
  const found = values.filter((v) => v.id === id)
  expect(found).toHaveLength(1)
  return found[0] as Indicator.IndicatorValue
}
const rows = (v: Indicator.IndicatorValue) => v.breakdown.map((r) => [r.key, r.value])
const finishOne = (sums: YearSums.Sums, id: string, context: Indicator.Context, whole = emptyWhole()) =>
  YearSums.finish(
    sums,
    whole,
    context,
    Indicator.definitions.filter((d) => d.id === id)
  )

describe("YearSums edges: the entity an event names", () => {
  it("routes budget, application, membership, agreement and trip events by their ids; whole-model events name none", () => {
    // Budgets are keyed `regionId|year` (FundingPortfolio), memberships `actorId|organisationId`.
    expect(YearSums.entityNamed("AppropriationAllotted", { regionId: "r1", year: 2023 }, T1)).toStrictEqual({
      model: "budget",
      tenant: T1,
      id: "r1|2023"
    })
    expect(YearSums.entityNamed("AllocationFramed", { regionId: "r2", year: 2024 }, T2)).toStrictEqual({
      model: "budget",
      tenant: T2,
      id: "r2|2024"
    })
    expect(YearSums.entityNamed("GrantAmended", { applicationId: "a7", amount: 1 }, T1)).toStrictEqual({
      model: "application",
      tenant: T1,
      id: "a7"
    })
    expect(
      YearSums.entityNamed("MembershipEnded", { actorId: "act", organisationId: "org" }, T1)
    ).toStrictEqual({ model: "membership", tenant: T1, id: "act|org" })
    expect(YearSums.entityNamed("AgreementSigned", { agreementId: "ag1" }, T2)).toStrictEqual({
      model: "agreement",
      tenant: T2,
      id: "ag1"
    })
    expect(YearSums.entityNamed("TripEvaluated", { tripId: "tr1" }, T1)).toStrictEqual({
      model: "trip",
      tenant: T1,
      id: "tr1"
    })
    // The registry and an organisation's focus area are read whole: no entity.
    expect(YearSums.entityNamed("OrganisationRegistered", { organisationId: "org" }, T1)).toBeUndefined()
    expect(YearSums.entityNamed("ActorRegistered", { actorId: "act" }, T1)).toBeUndefined()
    // An application id that is not a string names no application.
    expect(YearSums.entityNamed("GrantAmended", { applicationId: 7 }, T1)).toBeUndefined()
    // The prefix decides: a type that merely contains "Trip" or "Agreement" later names none.
    expect(YearSums.entityNamed("PlannedTrip", { tripId: "tr1" }, T1)).toBeUndefined()
    expect(YearSums.entityNamed("SignedAgreement", { agreementId: "ag1" }, T1)).toBeUndefined()
    expect(YearSums.entityNamed("EndedMembership", { actorId: "a", organisationId: "o" }, T1)).toBeUndefined()
  })
})

describe("YearSums edges: the group of sums", () => {
  it("lists entries in key order whatever the order of adding, a key of one sum as its namespace", () => {
    // Added in the order z, b␟y, b␟x, a, c␟w; sorted by the flat text: a, b␟x, b␟y, c␟w, z
    // (U+001F sorts below every printable character, so "b␟x" < "b␟y" and "a" < "b␟…").
    const sums = sumsOf([
      ["z", "", 5],
      ["b", "y", 1],
      ["b", "x", -3],
      ["a", "", 2],
      ["c", "w", 4]
    ])
    expect(YearSums.entries(sums)).toStrictEqual([
      ["a", 2],
      [`b${S}x`, -3],
      [`b${S}y`, 1],
      [`c${S}w`, 4],
      ["z", 5]
    ])
  })

  it("adds 0 as nothing, drops a key back at 0, and its namespace only with the last key", () => {
    const sums = YearSums.empty()
    YearSums.addTo(sums, "n", "k", 0)
    // Adding 0 to an absent key leaves no namespace behind.
    expect(sums.size).toBe(0)
    YearSums.addTo(sums, "n", "k", 3)
    YearSums.addTo(sums, "n", "j", 2)
    YearSums.addTo(sums, "n", "k", -3)
    // k: 3 − 3 = 0, dropped; j stays, so does "n".
    expect(YearSums.entries(sums)).toStrictEqual([[`n${S}j`, 2]])
    YearSums.addTo(sums, "n", "j", -2)
    expect(sums.size).toBe(0)
    // valueAt: an absent namespace and an absent key read 0; the default key is "".
    YearSums.addTo(sums, "one", "", 7)
    expect([
      YearSums.valueAt(sums, "one"),
      YearSums.valueAt(sums, "one", "x"),
      YearSums.valueAt(sums, "none")
    ]).toStrictEqual([7, 0, 0])
  })

  it("adds and subtracts whole sums, and a copy shares no map with its source", () => {
    const a = sumsOf([
      ["n", "k", 3],
      ["m", "", 2]
    ])
    const b = sumsOf([
      ["n", "k", 2],
      ["n", "j", 5]
    ])
    const copied = YearSums.copy(a)
    // a + b: n␟k 3 + 2 = 5, n␟j 5, m 2.
    YearSums.add(copied, b)
    expect(YearSums.entries(copied)).toStrictEqual([
      ["m", 2],
      [`n${S}j`, 5],
      [`n${S}k`, 5]
    ])
    // The source is untouched: m 2, n␟k 3.
    expect(YearSums.entries(a)).toStrictEqual([
      ["m", 2],
      [`n${S}k`, 3]
    ])
    // (a + b) − b = a; the returned map is the one moved.
    expect(YearSums.add(copied, b, -1)).toBe(copied)
    expect(YearSums.entries(copied)).toStrictEqual(YearSums.entries(a))
  })
})

describe("YearSums edges: entities and their order", () => {
  const state = (): ReadModels.ReadModelsState => ({
    registry: { actors: {}, organisations: {}, schemes: {}, mappings: {} },
    memberships: {
      organisations: new Map(),
      memberships: new Map([[T2, new Map([["act|org", membership({ tenant: T2 })]])]])
    },
    agreements: { agreements: new Map([[T1, new Map([["ag", agreement()]])]]) },
    portfolio: {
      applications: new Map([
        [T1, new Map([["a1", application("a1")]])],
        [
          T2,
          new Map([
            ["b1", application("b1", { tenant: T2 })],
            ["b2", application("b2", { tenant: T2 })]
          ])
        ]
      ]),
      budgets: new Map()
    },
    trips: { trips: new Map([[T1, new Map([["tr", trip()]])]]) }
  })

  it("orders an entity as tenant position × 2³² + position in the tenant", () => {
    const s = state()
    // T1 is the first tenant of the applications (0), T2 the second (2³² = 4 294 967 296).
    expect([...YearSums.entities(s)].map((e) => [e.model, e.tenant, e.id, e.order])).toStrictEqual([
      ["application", T1, "a1", 0],
      ["application", T2, "b1", 4_294_967_296],
      ["application", T2, "b2", 4_294_967_297],
      ["membership", T2, "act|org", 0],
      ["agreement", T1, "ag", 0],
      ["trip", T1, "tr", 0]
    ])
    // One tenant: its own entities, with the same orders as among every tenant.
    expect([...YearSums.entities(s, T2)].map((e) => [e.model, e.id, e.order])).toStrictEqual([
      ["application", "b1", 4_294_967_296],
      ["application", "b2", 4_294_967_297],
      ["membership", "act|org", 0]
    ])
  })

  it("finds one entity by model, tenant and id, with the same order", () => {
    const s = state()
    const found = YearSums.entityOf(s, "application", T2, "b2")
    expect([found?.model, found?.tenant, found?.id, found?.order]).toStrictEqual([
      "application",
      T2,
      "b2",
      4_294_967_297
    ])
    expect(found?.record).toBe(s.portfolio.applications.get(T2)?.get("b2"))
    expect(YearSums.entityOf(s, "membership", T2, "act|org")?.record).toBe(
      s.memberships.memberships.get(T2)?.get("act|org")
    )
    expect(YearSums.entityOf(s, "agreement", T1, "ag")?.record).toBe(
      s.agreements.agreements.get(T1)?.get("ag")
    )
    expect(YearSums.entityOf(s, "trip", T1, "tr")?.record).toBe(s.trips.trips.get(T1)?.get("tr"))
    // An id of another tenant, an absent id, an absent tenant, a model without rows: undefined.
    expect(YearSums.entityOf(s, "application", T1, "b1")).toBeUndefined()
    expect(YearSums.entityOf(s, "application", T2, "zz")).toBeUndefined()
    expect(YearSums.entityOf(s, "trip", T2, "tr")).toBeUndefined()
    expect(YearSums.entityOf(s, "budget", T1, "r|2022")).toBeUndefined()
  })
})

describe("YearSums edges: contributions of one entity", () => {
  it("business support: received, rejected and granted in the year, EU without a rate", () => {
    const record = application("a1", {
      receivedOn: "2022-02-01",
      grant: grant({
        amount: 1001,
        leadership: null,
        expectedJobsWomen: 2,
        expectedJobsMen: 3,
        investment: 5000,
        euSource: "erdf",
        euRatePercent: null
      })
    })
    // No leadership: no `lead`; EU without a rate counts as 0 %: eu-rate 0 and eu-ore
    // round(1001 × 0 / 100) = 0 are not kept (a key at 0 is absent).
    expect(flat(app(record), 2022)).toStrictEqual([
      [`amount${S}business-support`, 1001],
      [`app${S}business-support`, 1],
      ["eu", 1],
      [`eu-source${S}erdf`, 1],
      [`grant${S}business-support`, 1],
      ["investment", 5000],
      ["jobs-men", 3],
      ["jobs-women", 2]
    ])
    // Another year: received in 2022 only; rejected in 2023 (a rejection is dated by its decision).
    const rejected = application("a2", {
      receivedOn: "2022-11-30",
      rejection: { reason: "x", decidedOn: "2023-01-15", decidingBody: "board" }
    })
    expect(flat(app(rejected), 2023)).toStrictEqual([[`rej${S}business-support`, 1]])
    expect(flat(app(rejected), 2022)).toStrictEqual([[`app${S}business-support`, 1]])
    // A grant of 2023 adds nothing to 2022 but the receipt.
    expect(flat(app(record), 2023)).toStrictEqual([])
  })

  it("business support with a rate: EU money rounded per grant, half away from zero", () => {
    // 1001 öre at 25 %: 250,25 → 250; 3 öre at 50 %: 1,5 → 2.
    const g = (amount: number) =>
      app(application("a", { grant: grant({ amount, euSource: "react-eu", euRatePercent: 25 }) }))
    expect(YearSums.valueAt(YearSums.contribution(g(1001), 2022), "eu-ore")).toBe(250)
    expect(YearSums.valueAt(YearSums.contribution(g(1001), 2022), "eu-rate")).toBe(25)
    const half = app(application("h", { grant: grant({ amount: 3, euSource: "x", euRatePercent: 50 }) }))
    expect(YearSums.valueAt(YearSums.contribution(half, 2022), "eu-ore")).toBe(2)
  })

  it("project support: a category per scheme (the priority code first), a goal item of the priority codes", () => {
    const record = application("p1", {
      instrument: "project-support",
      grant: grant({
        amount: 700,
        mainPurpose: "other",
        leadership: "woman",
        euSource: "erdf",
        priorityCodes: [
          { schemeId: "s1", code: "A" },
          { schemeId: "s1", code: "B" },
          { schemeId: "s1", code: "A" }
        ],
        smartSpecialisationCodes: [
          { schemeId: "s2", code: "X" },
          { schemeId: "s1", code: "C" }
        ]
      })
    })
    // order 5: padded to 16 digits. s1's category is its first priority code A (not C), s2's X.
    // "other" is no main purpose; leadership and EU are business support only. The goal item
    // covers s1 once, with codes A (place 0) and B (place 1); the duplicate A counts once.
    const p = "0000000000000005"
    expect(flat(app(record, 5), 2022)).toStrictEqual([
      [`amount${S}project-support`, 700],
      [`cat${S}s1${S}A`, 1],
      [`cat${S}s2${S}X`, 1],
      [`cat-amount${S}s1${S}A`, 700],
      [`cat-amount${S}s2${S}X`, 700],
      [`cat-first${S}s1${S}A${S}${p}`, 1],
      [`cat-first${S}s2${S}X${S}${p}`, 1],
      [`goal${S}s1${S}A`, 1],
      [`goal${S}s1${S}B`, 1],
      [`goal-covered${S}s1`, 1],
      [`goal-first${S}s1${S}A${S}0000${S}2${S}${p}`, 1],
      [`goal-first${S}s1${S}B${S}0001${S}2${S}${p}`, 1],
      ["goal-items", 1],
      [`grant${S}project-support`, 1]
    ])
    // A main purpose other than "other" is counted.
    const purposed = application("p2", {
      instrument: "project-support",
      grant: grant({ mainPurpose: "diversity" })
    })
    expect(YearSums.valueAt(YearSums.contribution(app(purposed), 2022), "purpose", "diversity")).toBe(1)
  })

  it("under a grant filter an application that does not match contributes nothing; an empty filter is none", () => {
    const record = app(application("a1", { receivedOn: "2022-01-10" }))
    expect(flat(record, 2022, { instrument: "project-support" })).toStrictEqual([])
    expect(flat(record, 2022, { instrument: "business-support" })).toStrictEqual([
      [`app${S}business-support`, 1]
    ])
    expect(flat(record, 2022, {})).toStrictEqual([[`app${S}business-support`, 1]])
  })

  it("memberships: only active ones; proper ones by organisation, recorded ones dated; others by kind", () => {
    expect(flat(member(membership({ active: false })), 2022)).toStrictEqual([])
    expect(flat(member(membership({ kind: "founder", sincePrecision: "year" })), 2022)).toStrictEqual([
      [`member${S}act${S}org`, 1]
    ])
    expect(flat(member(membership({ sincePrecision: "recorded", since: "2020-06-01" })), 2022)).toStrictEqual(
      [
        [`member${S}act${S}org`, 1],
        [`undated${S}act${S}2020-06-01`, 1]
      ]
    )
    expect(flat(member(membership({ kind: "signatory", sincePrecision: "recorded" })), 2022)).toStrictEqual([
      [`relation${S}act${S}signatory`, 1]
    ])
  })

  it("agreements: counted by kind and status; a goal item only when active or intended", () => {
    const areas = [{ label: "Utan mål" }, { label: "Mål", ref: { schemeId: "g", code: "K1" } }]
    expect(flat(agreed(agreement({ status: "dormant", priorityAreas: areas })), 2022)).toStrictEqual([
      [`agreement${S}cooperation${S}dormant`, 1]
    ])
    // Intended, order 3: position "1␟order␟title"; the area without a reference adds no code.
    const p = `1${S}0000000000000003${S}Avtal`
    expect(flat(agreed(agreement({ status: "intended", priorityAreas: areas }), 3), 2022)).toStrictEqual([
      [`agreement${S}cooperation${S}intended`, 1],
      [`goal${S}g${S}K1`, 1],
      [`goal-covered${S}g`, 1],
      [`goal-first${S}g${S}K1${S}0000${S}${p}`, 1],
      ["goal-items", 1]
    ])
    // Ended, with no areas: the count only.
    expect(flat(agreed(agreement({ status: "ended" })), 2022)).toStrictEqual([
      [`agreement${S}cooperation${S}ended`, 1]
    ])
  })

  it("trips: each decision and status counted once, no mode as 'not evaluated', no CO2e at 0 kg", () => {
    expect(flat(travel(trip({ year: 2021 })), 2022)).toStrictEqual([])
    // Proposed only: counted, mode "not evaluated", an uncovered goal item.
    expect(flat(travel(trip()), 2022)).toStrictEqual([
      ["goal-items", 1],
      [`mode${S}not evaluated`, 1],
      [`trip${S}proposed`, 1]
    ])
    expect(
      flat(travel(trip({ decision: "declined", status: "cancelled", mode: "car" })), 2022)
    ).toStrictEqual([
      ["goal-items", 1],
      [`mode${S}car`, 1],
      [`trip${S}cancelled`, 1],
      [`trip${S}declined`, 1],
      [`trip${S}evaluated`, 1],
      [`trip${S}proposed`, 1]
    ])
    expect(
      flat(travel(trip({ decision: "replaced-by-digital", status: "evaluated", mode: "digital" })), 2022)
    ).toStrictEqual([
      ["goal-items", 1],
      [`mode${S}digital`, 1],
      [`trip${S}evaluated`, 1],
      [`trip${S}proposed`, 1],
      [`trip${S}replacedByDigital`, 1]
    ])
    // Approved and completed, 2,5 kg by train, goals g␟K2: CO2e 25 tenths; position
    // "0␟departure␟id".
    const p = `0${S}2022-03-01${S}tr`
    expect(
      flat(
        travel(
          trip({
            decision: "approved",
            status: "completed",
            mode: "train",
            co2eKg: 2.5,
            goalRefs: [{ schemeId: "g", code: "K2" }]
          })
        ),
        2022
      )
    ).toStrictEqual([
      [`co2e${S}1`, 25],
      [`goal${S}g${S}K2`, 1],
      [`goal-covered${S}g`, 1],
      [`goal-first${S}g${S}K2${S}0000${S}${p}`, 1],
      ["goal-items", 1],
      [`mode${S}train`, 1],
      [`mode-co2e${S}train${S}1`, 25],
      [`trip${S}approved`, 1],
      [`trip${S}completed`, 1],
      [`trip${S}evaluated`, 1],
      [`trip${S}proposed`, 1]
    ])
  })

  it("CO2e in exponent notation: 1,25e-7 kg is 125 units of 10⁻⁹; 1,5e21 kg is 1 500 × 10¹⁸", () => {
    const kg = (co2eKg: number) =>
      YearSums.entries(YearSums.contribution(travel(trip({ co2eKg, mode: "car" })), 2022)).filter(([k]) =>
        k.startsWith("co2e")
      )
    // "1.25e-7": digits 125, scale 2 + 7 = 9; one chunk (125 < 10⁹).
    expect(kg(1.25e-7)).toStrictEqual([[`co2e${S}9`, 125]])
    // "1.5e+21": digits 15, scale 1 − 21 = −20 → 15 × 10²⁰ at scale 0; chunks of 10⁹: 0 at scale
    // 0, 0 at −9 (both dropped), 1 500 at −18.
    expect(kg(1.5e21)).toStrictEqual([[`co2e${S}-18`, 1500]])
    // 3 000 000 000,5 kg: digits 30 000 000 005, scale 1 → chunks 5 at 1 and 30 at −8.
    expect(kg(3_000_000_000.5)).toStrictEqual([
      [`co2e${S}-8`, 30],
      [`co2e${S}1`, 5]
    ])
  })

  it("moves sums by an entity's change: + after − before, either side absent", () => {
    const before = travel(trip({ decision: "declined", mode: "car" }))
    const after = travel(trip({ decision: "approved", mode: "car" }))
    // declined → approved: declined −1, approved +1; proposed, evaluated, mode and goal item cancel.
    expect(YearSums.entries(YearSums.move(YearSums.empty(), 2022, before, after))).toStrictEqual([
      [`trip${S}approved`, 1],
      [`trip${S}declined`, -1]
    ])
    expect(YearSums.entries(YearSums.move(YearSums.empty(), 2022, undefined, after))).toStrictEqual(
      flat(after, 2022)
    )
    // Removed: the negated contribution.
    expect(YearSums.entries(YearSums.move(YearSums.empty(), 2022, before, undefined))).toStrictEqual(
      flat(before, 2022).map(([k, n]) => [k, -n])
    )
  })
})

describe("YearSums edges: exact decimals", () => {
  it("reads a number's shortest representation, exponent notation included", () => {
    // 1.005 → 1005 / 10³; 120 → 120 / 10⁰; −2.5 → −25 / 10¹; 1e-7 → 1 / 10⁷; 2.5e-8 → 25 / 10⁹;
    // 1.5e21 → 15 × 10²⁰ / 10⁰.
    expect(
      [1.005, 120, -2.5, 1e-7, 2.5e-8, 1.5e21].map((x) => {
        const { digits, scale } = exactDecimal(x)
        return [String(digits), scale]
      })
    ).toStrictEqual([
      ["1005", 3],
      ["120", 0],
      ["-25", 1],
      ["1", 7],
      ["25", 9],
      ["1500000000000000000000", 0]
    ])
  })
})

// ── the finish, from literal sums ────────────────────────────────────────────────────────────
const budget = (
  tenant: string,
  regionId: string,
  year: number,
  appropriation: number,
  frame: FundingPortfolio.BudgetRecord["frame"] = null
): FundingPortfolio.BudgetRecord => ({
  tenant,
  regionId,
  year,
  appropriation,
  appropriationName: null,
  frame
})
const frameOf = (
  projectSupport: number,
  businessSupport: number,
  commercialService: number,
  byPriority: ReadonlyArray<readonly [string, string, number]> = []
): FundingPortfolio.BudgetRecord["frame"] => ({
  projectSupport,
  businessSupport,
  commercialService,
  byPriority: byPriority.map(([schemeId, code, amount]) => ({ ref: { schemeId, code }, amount })),
  decidingBody: "board"
})
const withBudgets = (budgets: ReadonlyArray<FundingPortfolio.BudgetRecord>): YearSums.Whole => {
  const byTenant = new Map<string, Map<string, FundingPortfolio.BudgetRecord>>()
  for (const b of budgets) {
    const ofTenant = byTenant.get(b.tenant) ?? new Map<string, FundingPortfolio.BudgetRecord>()
    ofTenant.set(`${b.regionId}|${b.year}`, b)
    byTenant.set(b.tenant, ofTenant)
  }
  return { ...emptyWhole(), budgets: byTenant }
}
const BS = "business-support"
const PS = "project-support"

describe("YearSums edges: finishing applications", () => {
  it("approval rate: decisions without an application received, applications without a decision", () => {
    const decided = one(
      finishOne(
        sumsOf([
          ["grant", BS, 3],
          ["rej", BS, 1]
        ]),
        "approval-rate",
        { year: 2022 }
      ),
      "approval-rate"
    )
    // 3 granted of 3 + 1 decided = 75 %.
    expect([decided.value, decided.numerator, decided.denominator]).toStrictEqual([75, 3, 4])
    expect(rows(decided)).toStrictEqual([
      ["applications", 0],
      ["granted", 3],
      ["rejected", 1]
    ])
    // Received only: nothing decided, no rate (0 / 0).
    const received = one(
      finishOne(sumsOf([["app", BS, 2]]), "approval-rate", { year: 2022 }),
      "approval-rate"
    )
    expect([received.value, ...rows(received).map(([, n]) => n)]).toStrictEqual([null, 2, 0, 0])
    // Nothing at all, or only another instrument: no value.
    expect(finishOne(sumsOf([["app", PS, 2]]), "approval-rate", { year: 2022 })).toStrictEqual([])
  })

  it("granted by instrument: an appropriation alone shows the year; another tenant's budget does not", () => {
    const whole = withBudgets([budget(T2, "r", 2022, 5_000)])
    // T2's appropriation, no decision anywhere: a value of 0 kr, every share 0.
    const v = one(
      finishOne(YearSums.empty(), "granted-by-instrument", { year: 2022, tenant: T2 }, whole),
      "granted-by-instrument"
    )
    expect([v.value, ...rows(v)]).toStrictEqual([0, [PS, 0], [BS, 0], ["commercial-service", 0]])
    // T1, or another year: no budget, no decision, no value.
    expect(
      finishOne(YearSums.empty(), "granted-by-instrument", { year: 2022, tenant: T1 }, whole)
    ).toStrictEqual([])
    expect(
      finishOne(YearSums.empty(), "granted-by-instrument", { year: 2023, tenant: T2 }, whole)
    ).toStrictEqual([])
    // Every tenant: T2's budget counts.
    expect(finishOne(YearSums.empty(), "granted-by-instrument", { year: 2022 }, whole)).toHaveLength(1)
    // A rejection alone is a decision: 300 öre granted of business support elsewhere is 100 %.
    const r = one(
      finishOne(
        sumsOf([
          ["rej", "commercial-service", 1],
          ["amount", BS, 300]
        ]),
        "granted-by-instrument",
        { year: 2022 }
      ),
      "granted-by-instrument"
    )
    expect([r.value, ...rows(r)]).toStrictEqual([300, [PS, 0], [BS, 100], ["commercial-service", 0]])
  })

  it("the frame: the last framed budget of the year, its priorities summed per scheme and code", () => {
    const whole = withBudgets([
      budget(
        T1,
        "r1",
        2022,
        0,
        frameOf(500, 300, 200, [
          ["s1", "A", 30],
          ["s2", "X", 10],
          ["s1", "A", 20],
          ["s1", "B", 50]
        ])
      ),
      budget(T1, "r2", 2022, 0, null),
      budget(T1, "r3", 2021, 0, frameOf(1, 1, 1))
    ])
    const context = { year: 2022, tenant: T1 }
    // r2 has no frame: r1's stays. 500 + 300 + 200 = 1 000 öre: 50 / 30 / 20 %.
    const byInstrument = one(
      finishOne(YearSums.empty(), "allocation-by-instrument", context, whole),
      "allocation-by-instrument"
    )
    expect([byInstrument.value, ...rows(byInstrument).map(([, n]) => n)]).toStrictEqual([1000, 50, 30, 20])
    // s1: A 30 + 20 = 50, B 50 → 100 öre, 50,0 / 50,0 %; s2: X 10 → 100,0 %. Schemes as first met.
    const byPriority = finishOne(YearSums.empty(), "allocation-by-priority", context, whole)
    expect(byPriority.map((v) => [v.scheme, v.value, rows(v)])).toStrictEqual([
      [
        "s1",
        100,
        [
          ["A", 50],
          ["B", 50]
        ]
      ],
      ["s2", 10, [["X", 100]]]
    ])
    // No frame in the year: neither frame indicator.
    const unframed = withBudgets([budget(T1, "r2", 2022, 0, null)])
    expect(finishOne(YearSums.empty(), "allocation-by-instrument", context, unframed)).toStrictEqual([])
    expect(finishOne(YearSums.empty(), "allocation-by-priority", context, unframed)).toStrictEqual([])
  })

  it("granted by category: schemes in text order, codes by their least first position, the rest unclassified", () => {
    const p = (n: number) => String(n).padStart(16, "0")
    // Added C, B, A (s2 before s1). First positions: A least 1 (of 9, 1), B 2 (of 2, 7), C 4: A, B, C.
    const sums = sumsOf([
      ["amount", PS, 1000],
      ["cat", `s2${S}Q`, 1],
      ["cat-amount", `s2${S}Q`, 500],
      [`cat-first${S}s2${S}Q`, p(3), 1],
      ["cat", `s1${S}C`, 1],
      ["cat-amount", `s1${S}C`, 300],
      [`cat-first${S}s1${S}C`, p(4), 1],
      ["cat", `s1${S}B`, 2],
      ["cat-amount", `s1${S}B`, 200],
      [`cat-first${S}s1${S}B`, p(2), 1],
      [`cat-first${S}s1${S}B`, p(7), 1],
      ["cat", `s1${S}A`, 2],
      ["cat-amount", `s1${S}A`, 100],
      [`cat-first${S}s1${S}A`, p(9), 1],
      [`cat-first${S}s1${S}A`, p(1), 1]
    ])
    const values = finishOne(sums, "granted-by-category", { year: 2022 })
    // s1: A 100, B 200, C 300 of 1 000 → 10 / 20 / 30 %, unclassified 400 → 40 %.
    // s2: Q 500 → 50 %, unclassified 500 → 50 %.
    expect(values.map((v) => [v.scheme, v.value, rows(v)])).toStrictEqual([
      [
        "s1",
        1000,
        [
          ["A", 10],
          ["B", 20],
          ["C", 30],
          ["unclassified", 40]
        ]
      ],
      [
        "s2",
        1000,
        [
          ["Q", 50],
          ["unclassified", 50]
        ]
      ]
    ])
    expect(values[0]?.breakdown[3]?.label).toBe("Not classified in this scheme")
    // Every öre classified: no unclassified row (1 000 − 1 000 = 0).
    const whole = sumsOf([
      ["amount", PS, 1000],
      ["cat", `s1${S}A`, 1],
      ["cat-amount", `s1${S}A`, 1000],
      [`cat-first${S}s1${S}A`, p(0), 1]
    ])
    expect(finishOne(whole, "granted-by-category", { year: 2022 }).map(rows)).toStrictEqual([[["A", 100]]])
  })

  it("business support: leadership, jobs, leverage and EU co-financing from their sums", () => {
    // 4 grants of 400 000 000 öre (4 mkr) in all; jobs 3 + 5; investment 1 000 000 000 öre;
    // 2 co-financed at 100 + 50 %, 100 000 000 öre EU money; sources added react-eu, erdf.
    const sums = sumsOf([
      ["grant", BS, 4],
      ["amount", BS, 400_000_000],
      ["lead", "woman", 1],
      ["lead", "man", 2],
      ["lead", "shared", 1],
      ["jobs-women", "", 3],
      ["jobs-men", "", 5],
      ["investment", "", 1_000_000_000],
      ["eu", "", 2],
      ["eu-rate", "", 150],
      ["eu-ore", "", 100_000_000],
      ["eu-source", "react-eu", 1],
      ["eu-source", "erdf", 1]
    ])
    const context = { year: 2022 }
    // Leadership 1 / 2 / 1 of 4 grants: 25 / 50 / 25 %.
    const lead = one(finishOne(sums, "leadership-shares", context), "leadership-shares")
    expect([lead.value, ...rows(lead)]).toStrictEqual([4, ["woman", 25], ["man", 50], ["shared", 25]])
    // Jobs 8; women 3 / 8 = 37,5 %; per mkr 8 × 10⁸ / 4 × 10⁸ = 2.
    const jobs = one(finishOne(sums, "expected-jobs", context), "expected-jobs")
    expect([jobs.value, ...rows(jobs)]).toStrictEqual([
      8,
      ["women", 3],
      ["men", 5],
      ["women-share", 37.5],
      ["per-mkr", 2]
    ])
    // Leverage 10 / 4 = 2,5; average grant 400 000 000 / 4 = 100 000 000 öre.
    const leverage = one(finishOne(sums, "investment-leverage", context), "investment-leverage")
    expect([leverage.value, leverage.numerator, leverage.denominator, ...rows(leverage)]).toStrictEqual([
      2.5,
      1_000_000_000,
      400_000_000,
      ["granted", 400_000_000],
      ["investment", 1_000_000_000],
      ["average-grant", 100_000_000]
    ])
    // EU: 2 of 4 = 50 %; Σ rate 150 / 100 = 1,5; money 1 / 4 = 25 %; 4 / (4 − 1) = 1,333… → 1,33;
    // sources in text order.
    const eu = one(finishOne(sums, "eu-co-financing", context), "eu-co-financing")
    expect([eu.value, eu.numerator, eu.denominator, ...rows(eu)]).toStrictEqual([
      50,
      2,
      4,
      ["decisions", 2],
      ["equivalents", 1.5],
      ["eu-share-of-money", 25],
      ["leverage", 1.33],
      ["source:erdf", 1],
      ["source:react-eu", 1]
    ])
    expect(eu.breakdown[4]?.label).toBe("Decisions via erdf")
    // Without business grants none of the four; without a co-financed grant no EU value.
    const none = sumsOf([["grant", PS, 1]])
    for (const id of ["leadership-shares", "expected-jobs", "investment-leverage", "eu-co-financing"])
      expect(finishOne(none, id, context)).toStrictEqual([])
    expect(finishOne(sumsOf([["grant", BS, 1]]), "eu-co-financing", context)).toStrictEqual([])
  })

  it("projects by main purpose: the sum of the three counts, none without project grants", () => {
    const v = one(
      finishOne(
        sumsOf([
          ["grant", PS, 3],
          ["purpose", "diversity", 1],
          ["purpose", "environment", 2]
        ]),
        "projects-by-main-purpose",
        { year: 2022 }
      ),
      "projects-by-main-purpose"
    )
    // 0 + 1 + 2 = 3.
    expect([v.value, ...rows(v)]).toStrictEqual([
      3,
      ["gender-equality", 0],
      ["diversity", 1],
      ["environment", 2]
    ])
    expect(
      finishOne(sumsOf([["purpose", "diversity", 1]]), "projects-by-main-purpose", { year: 2022 })
    ).toStrictEqual([])
  })
})

describe("YearSums edges: finishing memberships, agreements and trips", () => {
  const memberSums = () =>
    sumsOf([
      ["member", `act1${S}org-a`, 1],
      ["member", `act1${S}org-x`, 1],
      ["member", `act2${S}org-b`, 1],
      ["relation", `act1${S}signatory`, 1],
      ["relation", `act2${S}partner`, 1],
      ["undated", `act1${S}2021-05-01`, 1],
      ["undated", `act1${S}2020-01-15`, 1],
      ["undated", `act2${S}2019-01-01`, 1]
    ])
  const orgs = (): YearSums.Whole => ({
    ...emptyWhole(),
    organisations: new Map([
      ["org-a", { name: "A", focusArea: "eu" }],
      ["org-b", { name: "B", focusArea: "regional-arctic" }]
    ])
  })

  it("active memberships of one actor: focus areas joined whole, an unregistered organisation 'unknown'", () => {
    const v = one(
      finishOne(memberSums(), "active-memberships", { year: 2022, actorId: "act1" }, orgs()),
      "active-memberships"
    )
    // act1: org-a (eu) + org-x (not registered: unknown) = 2; undated 2, dates sorted; signatory.
    expect([v.value, ...rows(v)]).toStrictEqual([
      2,
      ["regional-arctic", 0],
      ["eu", 1],
      ["other", 0],
      ["unknown", 1],
      ["join-date-unknown", 2],
      ["relation:signatory", 1]
    ])
    expect(v.breakdown.map((r) => r.label)).toStrictEqual([
      "Regional / Arctic",
      "EU",
      "Other",
      "unknown",
      "Of which join date unknown (first documented 2020-01-15, 2021-05-01)",
      "Other relations: signatory"
    ])
  })

  it("active memberships of every actor; other relations alone still make a value", () => {
    const all = one(
      finishOne(memberSums(), "active-memberships", { year: 2022 }, orgs()),
      "active-memberships"
    )
    // 3 memberships: org-b regional-arctic, org-a eu, org-x unknown; undated 3; relations by kind.
    expect([all.value, ...rows(all)]).toStrictEqual([
      3,
      ["regional-arctic", 1],
      ["eu", 1],
      ["other", 0],
      ["unknown", 1],
      ["join-date-unknown", 3],
      ["relation:partner", 1],
      ["relation:signatory", 1]
    ])
    const only = one(
      finishOne(sumsOf([["relation", `act3${S}partner`, 2]]), "active-memberships", { year: 2022 }, orgs()),
      "active-memberships"
    )
    expect([only.value, ...rows(only)]).toStrictEqual([
      0,
      ["regional-arctic", 0],
      ["eu", 0],
      ["other", 0],
      ["join-date-unknown", 0],
      ["relation:partner", 2]
    ])
    expect(only.breakdown[3]?.label).toBe("Of which join date unknown")
    // An actor with nothing: no value.
    expect(
      finishOne(memberSums(), "active-memberships", { year: 2022, actorId: "act9" }, orgs())
    ).toStrictEqual([])
  })

  it("agreements by kind in text order, then status in the fixed order, statuses at 0 left out", () => {
    const v = one(
      finishOne(
        sumsOf([
          ["agreement", `network${S}ended`, 1],
          ["agreement", `cooperation${S}active`, 2],
          ["agreement", `cooperation${S}intended`, 1]
        ]),
        "agreements-by-status",
        { year: 2022 }
      ),
      "agreements-by-status"
    )
    // 1 + 2 + 1 = 4.
    expect([v.value, ...rows(v)]).toStrictEqual([
      4,
      ["cooperation:intended", 1],
      ["cooperation:active", 2],
      ["network:ended", 1]
    ])
    expect(v.breakdown[0]?.label).toBe("cooperation, intended")
    expect(finishOne(YearSums.empty(), "agreements-by-status", { year: 2022 })).toStrictEqual([])
  })

  it("trips: a share of evaluated trips, no CO2e per approved trip without an approved trip, modes in text order", () => {
    const sums = sumsOf([
      ["trip", "proposed", 3],
      ["trip", "evaluated", 2],
      ["trip", "replacedByDigital", 1],
      ["trip", "declined", 1],
      ["trip", "cancelled", 1],
      ["mode", "train", 1],
      ["mode", "car", 1],
      ["mode", "bus", 1],
      ["co2e", "1", 35],
      [`mode-co2e${S}train`, "1", 20],
      [`mode-co2e${S}car`, "1", 15]
    ])
    const context = { year: 2022 }
    const digital = one(finishOne(sums, "trips-replaced-by-digital", context), "trips-replaced-by-digital")
    // 1 replaced of 2 evaluated = 50 %.
    expect([digital.value, digital.numerator, digital.denominator, ...rows(digital)]).toStrictEqual([
      50,
      1,
      2,
      ["proposed", 3],
      ["approved", 0],
      ["replaced-by-digital", 1],
      ["declined", 1],
      ["completed", 0],
      ["cancelled", 1]
    ])
    // 3,5 kg; no approved trip: per trip null; bus 0, car 1,5, train 2,0.
    const co2e = one(finishOne(sums, "trip-co2e", context), "trip-co2e")
    expect([co2e.value, ...rows(co2e)]).toStrictEqual([
      3.5,
      ["per-trip", null],
      ["mode:bus", 0],
      ["mode:car", 1.5],
      ["mode:train", 2]
    ])
    expect(finishOne(sumsOf([["mode", "car", 1]]), "trip-co2e", context)).toStrictEqual([])
    expect(finishOne(sumsOf([["mode", "car", 1]]), "trips-replaced-by-digital", context)).toStrictEqual([])
  })

  it("CO2e chunks of several scales: 0,5 + 0,25 + 10⁹ kg is 1 000 000 000,75 kg → 1 000 000 000,8", () => {
    const sums = sumsOf([
      ["trip", "proposed", 2],
      ["trip", "approved", 2],
      ["co2e", "1", 5],
      ["co2e", "2", 25],
      ["co2e", "-9", 1]
    ])
    // In hundredths: 5 × 10 + 25 + 1 × 10¹¹ = 100 000 000 075; per approved trip
    // 1 000 000 000,75 / 2 = 500 000 000,375 → 500 000 000,4.
    const v = one(finishOne(sums, "trip-co2e", { year: 2022 }), "trip-co2e")
    expect([v.value, ...rows(v)]).toStrictEqual([1_000_000_000.8, ["per-trip", 500_000_000.4]])
  })
})

describe("YearSums edges: goal coverage in the order compute first meets the codes", () => {
  const p = (n: number) => String(n).padStart(16, "0")
  const registry = (): YearSums.Whole => ({
    ...emptyWhole(),
    registry: {
      actors: {},
      organisations: {},
      mappings: {},
      schemes: {
        g: {
          schemeId: "g",
          name: "Mål",
          ownerActorId: "act",
          validFrom: 2020,
          validTo: null,
          categories: [
            { code: "K1", label: "Mål ett" },
            { code: "K2", label: "Mål två" }
          ]
        }
      }
    }
  })
  // (code, count, positions) of scheme g, in the order compute first meets them: trips by
  // departure, id, then the code's place in the trip; agreements by Swedish title (A < Å < Ä),
  // order, place; projects by order, place. X1 is carried by a project too, later.
  const goals: ReadonlyArray<readonly [string, number, ReadonlyArray<ReadonlyArray<string>>]> = [
    ["T0c", 1, [["0000", "0", "2022-02-01", "tr-z"]]],
    ["T2c", 1, [["0001", "0", "2022-03-01", "tr-a"]]],
    ["T1c", 1, [["0000", "0", "2022-03-01", "tr-b"]]],
    [
      "X1",
      2,
      [
        ["0000", "2", p(1)],
        ["0000", "0", "2022-04-01", "tr-c"]
      ]
    ],
    ["T3b", 1, [["0000", "0", "2022-06-01", "tr-q"]]],
    ["T3a", 1, [["0001", "0", "2022-06-01", "tr-q"]]],
    ["S3", 1, [["0000", "1", p(3), "Avtal"]]],
    ["A4a", 1, [["0000", "1", p(4), "Avtal"]]],
    ["A4b", 1, [["0001", "1", p(4), "Avtal"]]],
    ["S5", 1, [["0000", "1", p(5), "Avtal"]]],
    ["AgÅ", 1, [["0000", "1", p(9), "Ålandsavtal"]]],
    ["AgÄ", 1, [["0000", "1", p(2), "Ärende"]]],
    ["P2", 1, [["0000", "2", p(6)]]],
    ["PA", 1, [["0001", "2", p(6)]]],
    ["P1", 1, [["0000", "2", p(8)]]]
  ]
  const expected = goals.map(([code, n]) => [code, n])
  // The sums added in a given order of the codes (a sort compares each pair one way round only).
  const sums = (ordered = goals) => {
    const triples: Array<readonly [string, string, number]> = [
      ["goal-items", "", 10],
      ["goal-covered", "g", 7],
      ["goal-covered", "h", 1],
      ["goal", `h${S}Y`, 1],
      [`goal-first${S}h${S}Y`, ["0000", "0", "2022-01-01", "tr-y"].join(S), 1],
      ["goal", `g${S}K2`, 1],
      [`goal-first${S}g${S}K2`, ["0000", "0", "2022-05-01", "tr-k"].join(S), 1]
    ]
    for (const [code, n, positions] of ordered) {
      triples.push(["goal", `g${S}${code}`, n])
      for (const position of positions) triples.push([`goal-first${S}g${S}${code}`, position.join(S), 1])
    }
    return sumsOf(triples)
  }

  it("categories first, then trips by departure and id, agreements by Swedish title and order, projects by order", () => {
    // Added in that order, in the reverse order, and odd places before even ones: the same rows.
    const orders = [
      goals,
      [...goals].reverse(),
      [...goals.filter((_, i) => i % 2 === 1), ...goals.filter((_, i) => i % 2 === 0)]
    ]
    for (const ordered of orders) {
      const v = one(
        finishOne(sums(ordered), "goal-coverage", { year: 2022, goalsSchemeId: "g" }, registry()),
        "goal-coverage"
      )
      // Scheme h's code Y is another scheme's. 7 of 10 items covered = 70 %.
      expect([v.scheme, v.value, v.numerator, v.denominator, ...rows(v)]).toStrictEqual([
        "g",
        70,
        7,
        10,
        ["K1", 0],
        ["K2", 1],
        ...expected
      ])
      expect(v.breakdown.slice(0, 3).map((r) => r.label)).toStrictEqual(["Mål ett", "Mål två", "T0c"])
    }
  })

  it("no scheme, or no item: no value; a scheme outside the registry lists only the codes met", () => {
    expect(finishOne(sums(), "goal-coverage", { year: 2022 }, registry())).toStrictEqual([])
    expect(
      finishOne(
        sumsOf([["goal-covered", "g", 1]]),
        "goal-coverage",
        { year: 2022, goalsSchemeId: "g" },
        registry()
      )
    ).toStrictEqual([])
    const h = one(
      finishOne(sums(), "goal-coverage", { year: 2022, goalsSchemeId: "h" }, registry()),
      "goal-coverage"
    )
    // h: 1 of 10 covered = 10 %; its one code Y.
    expect([h.value, ...rows(h)]).toStrictEqual([10, ["Y", 1]])
  })
})

describe("YearSums edges: finish", () => {
  it("finishes every definition by default, in their order; an indicator without a finish is an error", () => {
    const sums = sumsOf([
      ["trip", "proposed", 1],
      ["agreement", `network${S}active`, 1]
    ])
    // Only the agreements and the two trip indicators have anything to show.
    expect(YearSums.finish(sums, emptyWhole(), { year: 2022 }).map((v) => v.id)).toStrictEqual([
      "agreements-by-status",
      "trips-replaced-by-digital",
      "trip-co2e"
    ])
    const summed = YearSums.summed.get("agreements-by-status") as YearSums.Summed
    expect(summed.definition.id).toBe("agreements-by-status")
    expect(summed.finish(sums, emptyWhole(), { year: 2022 })).toStrictEqual(
      finishOne(sums, "agreements-by-status", { year: 2022 })
    )
    const unknown = { ...(Indicator.definitions[0] as Indicator.Definition), id: "no-such-indicator" }
    expect(() => YearSums.finish(sums, emptyWhole(), { year: 2022 }, [unknown])).toThrow(
      'indicator "no-such-indicator" has no finish from sums (YearSums.summed)'
    )
  })
})
