/**
 * What each query's options select, on a history of two tenants written for it: memberships
 * active and ended, agreements of three kinds and three statuses, trips of two tenants and two
 * years, and funding of one tenant. Every expected list is read off the commands below by hand.
 * And how each query refuses a bad option: the query's name, the field, the value and the rule.
 */
import { type CommandInput, createUtblick, type Utblick } from "@utblick/facade"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as S from "./scenario.js"
import { rejection } from "./support.js"

const region = { id: "region-norrbotten-rs", role: "executive-board" }
const lulea = { id: "lulea-kommunstyrelsen", role: "executive-board" }

const history: ReadonlyArray<CommandInput> = [
  // Luleå: UBC from 2003 (scenario), the Nordic City Network from 2010 to 2015.
  ...S.memberships,
  {
    _tag: "Register",
    actor: { id: "lulea-kommunstaben", role: "registrar" },
    tenant: S.lulea,
    occurredAt: "2010-01-01",
    events: [
      {
        _tag: "OrganisationRegistered",
        organisationId: "ncn",
        name: "Nordic City Network",
        focusArea: "other"
      }
    ]
  },
  { ...S.signUbc, organisationId: "ncn", occurredAt: "2010-05-01", joinedYear: 2010 },
  {
    _tag: "EndMembership",
    actor: lulea,
    tenant: S.lulea,
    occurredAt: "2015-12-31",
    actorId: "lulea-kommun",
    organisationId: "ncn",
    endedOn: "2015-12-31",
    reason: "resigned"
  },
  // Region Norrbotten: the Barents Regional Council from 2008.
  {
    _tag: "Register",
    actor: { id: "region-norrbotten-kansli", role: "registrar" },
    tenant: S.region,
    occurredAt: "2008-01-01",
    events: [
      { _tag: "ActorRegistered", actorId: "region-norrbotten", name: "Region Norrbotten", kind: "region" },
      {
        _tag: "OrganisationRegistered",
        organisationId: "brc",
        name: "Barents Regional Council",
        focusArea: "regional-arctic"
      }
    ]
  },
  {
    _tag: "SignMembership",
    actor: region,
    tenant: S.region,
    occurredAt: "2008-02-01",
    actorId: "region-norrbotten",
    organisationId: "brc",
    kind: "member",
    joinedYear: 2008
  },
  // Agreements: Luleå's twin town (active), Luleå's intent, the region's twin region (made dormant).
  S.agreement,
  {
    _tag: "RecordAgreementIntent",
    actor: lulea,
    tenant: S.lulea,
    occurredAt: "2021-09-01",
    agreementId: "lulea-harbin-intent",
    kind: "declaration-of-intent",
    title: "Avsiktsförklaring Harbin",
    parties: [
      { name: "Luleå kommun", country: "SE" },
      { name: "Harbin", country: "CN" }
    ],
    potentialAreas: [],
    ambition: "Utbyte inom vinterteknik"
  },
  {
    _tag: "SignAgreement",
    actor: region,
    tenant: S.region,
    occurredAt: "2012-04-01",
    agreementId: "norrbotten-murmansk",
    kind: "twin-region",
    title: "Samarbete Murmansk oblast",
    parties: [
      { name: "Region Norrbotten", country: "SE" },
      { name: "Murmansk oblast", country: "RU" }
    ],
    priorityAreas: [],
    signedYear: 2012
  },
  {
    _tag: "ChangeAgreementStatus",
    actor: region,
    tenant: S.region,
    occurredAt: "2022-03-01",
    agreementId: "norrbotten-murmansk",
    to: "dormant"
  },
  // Funding: the region's 2022 grant (scenario).
  ...S.funding2022,
  // Trips: Luleå's to Gdynia in 2024 (scenario) and to Tromsø in 2023; none of the region's.
  S.trip,
  {
    ...S.trip,
    occurredAt: "2023-01-10",
    tripId: "trip-2023-tromso",
    purpose: "Vänortsbesök",
    destination: "Tromsø",
    departOn: "2023-02-01",
    returnOn: "2023-02-03",
    relatedTo: []
  }
]

let utblick: Utblick
beforeAll(async () => {
  utblick = await createUtblick({ store: { kind: "memory" } })
  for (const command of history) await utblick.execute(command)
})
afterAll(() => utblick.close())

const names = (ms: ReadonlyArray<{ readonly organisationName: string | undefined }>) =>
  ms.map((m) => m.organisationName)

describe("what the options select", () => {
  it("memberships: all, active only, by tenant, by actor, as of a date", async () => {
    // By join date: UBC (2003-01-01), BRC (2008-02-01), NCN (2010-05-01).
    expect(names(await utblick.memberships())).toEqual([
      "Union of the Baltic Cities",
      "Barents Regional Council",
      "Nordic City Network"
    ])
    expect(names(await utblick.memberships({ activeOnly: true }))).toEqual([
      "Union of the Baltic Cities",
      "Barents Regional Council"
    ])
    expect(names(await utblick.memberships({ activeOnly: false }))).toHaveLength(3)
    expect(names(await utblick.memberships({ tenant: S.lulea }))).toEqual([
      "Union of the Baltic Cities",
      "Nordic City Network"
    ])
    expect(names(await utblick.memberships({ tenant: S.lulea, activeOnly: true }))).toEqual([
      "Union of the Baltic Cities"
    ])
    expect(names(await utblick.memberships({ actorId: "region-norrbotten" }))).toEqual([
      "Barents Regional Council"
    ])
    expect(names(await utblick.memberships({ actorId: "lulea-kommun", activeOnly: true }))).toEqual([
      "Union of the Baltic Cities"
    ])
    // On 1 January 2012 the network had not yet been left.
    expect(names(await utblick.memberships({ asOf: "2012-01-01", activeOnly: true }))).toEqual([
      "Union of the Baltic Cities",
      "Barents Regional Council",
      "Nordic City Network"
    ])
  })

  it("agreements: by kind, by status, by tenant", async () => {
    const titles = async (options: Parameters<Utblick["agreements"]>[0]) =>
      (await utblick.agreements(options)).map((a) => [a.title, a.kind, a.status])
    expect(await titles({})).toEqual([
      ["Avsiktsförklaring Harbin", "declaration-of-intent", "intended"],
      ["Samarbete Murmansk oblast", "twin-region", "dormant"],
      ["Vänort Tromsø", "twin-town", "active"]
    ])
    expect(await titles({ kind: "twin-region" })).toEqual([
      ["Samarbete Murmansk oblast", "twin-region", "dormant"]
    ])
    expect(await titles({ status: "intended" })).toEqual([
      ["Avsiktsförklaring Harbin", "declaration-of-intent", "intended"]
    ])
    expect(await titles({ tenant: S.region })).toEqual([
      ["Samarbete Murmansk oblast", "twin-region", "dormant"]
    ])
    expect(await titles({ tenant: S.lulea, status: "active" })).toEqual([
      ["Vänort Tromsø", "twin-town", "active"]
    ])
    // Before the status change (1 March 2022) the twin region was active.
    expect(await titles({ tenant: S.region, asOf: "2022-02-28" })).toEqual([
      ["Samarbete Murmansk oblast", "twin-region", "active"]
    ])
  })

  it("trips: the year's, by tenant", async () => {
    const trips2024 = await utblick.trips(2024)
    expect([trips2024.year, trips2024.trips.map((t) => t.destination), trips2024.totals.proposed]).toEqual([
      2024,
      ["Gdynia"],
      1
    ])
    const trips2023 = await utblick.trips(2023, { tenant: S.lulea })
    expect([trips2023.trips.map((t) => t.destination), trips2023.totals.proposed]).toEqual([["Tromsø"], 1])
    const ofRegion = await utblick.trips(2023, { tenant: S.region })
    expect([ofRegion.trips, ofRegion.totals.proposed]).toEqual([[], 0])
  })

  it("portfolio: by tenant, the year's grants only", async () => {
    const mine = await utblick.portfolio(2022, { tenant: S.region })
    expect([mine.appropriation, mine.grants.map((g) => g.applicationId)]).toEqual([
      100_000_000,
      ["nb-2022-p-001"]
    ])
    const theirs = await utblick.portfolio(2022, { tenant: S.lulea })
    expect([theirs.appropriation, theirs.grants]).toEqual([0, []])
    // A year is read from a URL as a string too.
    expect(
      (await utblick.portfolio(" 2022 " as unknown as number)).grants.map((g) => g.applicationId)
    ).toEqual(["nb-2022-p-001"])
    expect((await utblick.portfolio(2023)).grants).toEqual([])
  })

  it("indicators: the goal coverage only with a goals scheme named", async () => {
    // 2024: the trip to Gdynia, the active twin town and the intended Harbin agreement (the dormant
    // Murmansk one is not counted); none is tagged with a goal of the scheme: 0 of 3.
    const withScheme = await utblick.indicators(2024, { goalsSchemeId: "lulea-overgripande-mal-2040" })
    const coverage = withScheme.values.find((v) => v.id === "goal-coverage")
    expect([coverage?.value, coverage?.numerator, coverage?.denominator]).toEqual([0, 0, 3])
    expect((await utblick.indicators(2024)).values.find((v) => v.id === "goal-coverage")).toBeUndefined()
  })

  it("years from 1900 to 2100 are accepted", async () => {
    expect((await utblick.trips(1900)).year).toBe(1900)
    expect((await utblick.trips(2100)).year).toBe(2100)
    expect((await utblick.trips("2024" as unknown as number)).year).toBe(2024)
  })
})

describe("what each query refuses", () => {
  const refused = async (call: Promise<unknown>) => {
    const error = await rejection(call)
    return [error.code, error.command, error.field, error.value, error.rule]
  }
  const YEAR = "a year must be an integer from 1900 to 2100"

  it("a year outside 1900–2100, not whole, or not four digits", async () => {
    expect(await refused(utblick.trips(1899))).toEqual(["INVALID_INPUT", "trips", "year", "1899", YEAR])
    expect(await refused(utblick.trips(2101))).toEqual(["INVALID_INPUT", "trips", "year", "2101", YEAR])
    expect(await refused(utblick.portfolio(2022.5))).toEqual([
      "INVALID_INPUT",
      "portfolio",
      "year",
      "2022.5",
      YEAR
    ])
    expect(await refused(utblick.indicators("22" as unknown as number))).toEqual([
      "INVALID_INPUT",
      "indicators",
      "year",
      '"22"',
      YEAR
    ])
    expect(await refused(utblick.indicators("2022x" as unknown as number))).toEqual([
      "INVALID_INPUT",
      "indicators",
      "year",
      '"2022x"',
      YEAR
    ])
    expect(await refused(utblick.indicators("x2022" as unknown as number))).toEqual([
      "INVALID_INPUT",
      "indicators",
      "year",
      '"x2022"',
      YEAR
    ])
    // Strings that Number() would read as 2022: a year from a URL is four digits and nothing else.
    for (const text of ["+2022", "2022e0", "2022.0", "0x7E6"]) {
      expect(await refused(utblick.indicators(text as unknown as number))).toEqual([
        "INVALID_INPUT",
        "indicators",
        "year",
        JSON.stringify(text),
        YEAR
      ])
    }
  })

  it("compare: exactly two valid years", async () => {
    const TWO = "compare takes exactly two years, e.g. [2017, 2022]"
    expect(await refused(utblick.compare([2022] as unknown as [number, number]))).toEqual([
      "INVALID_INPUT",
      "compare",
      "years",
      "[2022]",
      TWO
    ])
    expect(await refused(utblick.compare("2021,2022" as unknown as [number, number]))).toEqual([
      "INVALID_INPUT",
      "compare",
      "years",
      '"2021,2022"',
      TWO
    ])
    expect(await refused(utblick.compare([1800, 2022]))).toEqual([
      "INVALID_INPUT",
      "compare",
      "years.0",
      "1800",
      YEAR
    ])
    expect(await refused(utblick.compare([2021, 3000]))).toEqual([
      "INVALID_INPUT",
      "compare",
      "years.1",
      "3000",
      YEAR
    ])
  })

  it("a tenant that is empty or blank, and options that are not strings", async () => {
    const TENANT = "tenant must be a non-empty string"
    expect(await refused(utblick.memberships({ tenant: "" }))).toEqual([
      "INVALID_INPUT",
      "memberships",
      "tenant",
      '""',
      TENANT
    ])
    expect(await refused(utblick.agreements({ tenant: "  " }))).toEqual([
      "INVALID_INPUT",
      "agreements",
      "tenant",
      '"  "',
      TENANT
    ])
    expect(await refused(utblick.readModels({ tenant: 7 as unknown as string }))).toEqual([
      "INVALID_INPUT",
      "readModels",
      "tenant",
      "7",
      TENANT
    ])
    expect(await refused(utblick.trips(2024, { asOf: 20240101 as unknown as string }))).toEqual([
      "INVALID_INPUT",
      "trips",
      "asOf",
      "20240101",
      "asOf must be a calendar date written YYYY-MM-DD"
    ])
    const knownAt = await refused(utblick.portfolio(2022, { knownAt: 1 as unknown as string }))
    expect(knownAt.slice(0, 4)).toEqual(["INVALID_INPUT", "portfolio", "knownAt", "1"])
    expect((await refused(utblick.compare([2021, 2022], { tenant: "" })))[1]).toBe("compare")
    expect((await refused(utblick.indicators(2022, { asOf: "2022-13-01" })))[1]).toBe("indicators")
  })
})
