// Edge cases of the year sums (ADR 0046), written for the mutation run of `YearSums.ts` and
// `internal/{finishSums,sumsShape}.ts` (and core's `Decimal`, whose exact decimals they read):
// literal records and literal sums, no event store, so each case is small enough to work out by
// hand. The property tests of `YearSums.test.ts` compare the sums with `Indicator.computeAll`;
// these pin what that comparison cannot see (the events an entity is named by, the order of
// `entries`, a copy that shares nothing, numbers in exponent notation, zero denominators, ties in
// first-seen order).
import { Decimal } from "@utblick/core"
import { YearSums } from "@utblick/indicators"
import type { ReadModels } from "@utblick/projections"
import { describe, expect, it } from "vitest"
import {
  agreed,
  agreement,
  app,
  application,
  flat,
  grant,
  member,
  membership,
  S,
  sumsOf,
  T1,
  T2,
  travel,
  trip
} from "./fixtures/yearSumsRecords.js"

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
        const { digits, scale } = Decimal.exactDecimal(x)
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
