/**
 * Region Norrbotten's anslag 1:1 for 2017 and 2022 as an event history: appropriations, the
 * board's 2022 allocation frame, every application (received, assessed, granted or rejected)
 * for project support, business support and commercial service, and the classification
 * schemes with their mappings. Grants go through core's grant workflow, so each one reserves
 * budget and is refused if it would break the appropriation or the frame.
 *
 * @since 0.1.0
 */
import { Commands } from "@utblick/core"
import { Effect } from "effect"
import { published } from "./published.js"
import { mappings, schemeIds, schemes } from "./schemes.js"
import { dateOf, interleave, ore, splitProportionally, weights } from "./synth.js"

/**
 * The tenant: whose record this is.
 *
 * @category constructors
 * @since 0.1.0
 */
export const tenant = "region-norrbotten"

/**
 * The region id budgets and applications are kept under.
 *
 * @category constructors
 * @since 0.1.0
 */
export const regionId = "region-norrbotten"

// Bodies, not persons: the government allots, RUN frames and decides (003:3860), officers
// receive and assess, finance pays.
const government = { id: "regeringskansliet-naringsdepartementet", role: "government" }
const run = { id: "region-norrbotten-run", role: "regional-development-board" }
const officer = { id: "region-norrbotten-handlaggare", role: "officer" }
const finance = { id: "region-norrbotten-ekonomi", role: "finance-officer" }
const registrar = { id: "region-norrbotten-registrator", role: "registrar" }
const RUN = "Regionala utvecklingsnämnden (RUN)"

/**
 * The synthesised allocation frame of 2022 in kronor: business support equals what was granted
 * (58.7 mkr, 34.3 %), commercial service is exactly 5 %, projects take the rest (60.7 %); the
 * shares round to the published 61 / 34 / 5 and the frame equals the five priority lines.
 *
 * @category constructors
 * @since 0.1.0
 */
export const frame2022Sek = {
  projectSupport: 103_845_000,
  businessSupport: 58_700_000,
  commercialService: 8_555_000
} as const

/**
 * The synthesised 2017 appropriation in kronor: the seeds state none, so it is exactly what was
 * granted (projects + business support + commercial service).
 *
 * @category constructors
 * @since 0.1.0
 */
export const appropriation2017Sek =
  published.classification2017.totalSek + published.businessSupport2017.grantedSek + published.commercialService2017.totalSek

const base = (occurredAt: string, actor: { readonly id: string; readonly role: string }) => ({ tenant, actor, occurredAt })

const meets = { sustainability: "meets", genderEquality: "meets", environment: "meets", territorial: "meets" } as const
const weak = {
  sustainability: "partly-meets",
  genderEquality: "meets",
  environment: "meets",
  territorial: "does-not-meet"
} as const

type Instrument = "project-support" | "business-support" | "commercial-service"

// Receives and assesses one application: the officer's two steps before any board decision.
const open = (
  tally: Commands.Recorder,
  a: {
    readonly applicationId: string
    readonly instrument: Instrument
    readonly applicant: { readonly name: string }
    readonly title: string
    readonly amountApplied: number
    readonly receivedOn: string
    readonly recommendation: "grant" | "reject"
  }
) =>
  Effect.gen(function* () {
    yield* tally.run({
      _tag: "ReceiveApplication",
      ...base(a.receivedOn, officer),
      applicationId: a.applicationId,
      regionId,
      instrument: a.instrument,
      applicant: a.applicant,
      title: a.title,
      amountApplied: a.amountApplied,
      receivedOn: a.receivedOn
    })
    yield* tally.run({
      _tag: "AssessApplication",
      ...base(a.receivedOn, officer),
      applicationId: a.applicationId,
      criteria: a.recommendation === "grant" ? meets : weak,
      recommendation: a.recommendation
    })
  })

// ── Business support ─────────────────────────────────────────────────────────────────────────

type Sector = "tourism" | "manufacturing" | "services" | "car-testing" | "cultural-creative" | "innovation" | "food" | "other"

/**
 * One synthesised business-support grant.
 *
 * @category models
 * @since 0.1.0
 */
export interface FirmGrant {
  readonly sector: Sector
  readonly supportArea: "A" | "B"
  readonly grantOre: number
  readonly investmentOre: number
  readonly jobsWomen: number
  readonly jobsMen: number
  readonly leadership: "woman" | "man" | "shared"
  readonly eu?: { readonly source: "react-eu" | "covid-framework"; readonly ratePercent: number }
}

interface Cell {
  readonly sectors: ReadonlyArray<readonly [Sector, number]>
  readonly supportArea: "A" | "B"
  readonly grantSek: number
}

// Builds firms cell by cell (sector mix × support area with a fixed grant total), then spreads
// investments, jobs and leadership over all of them so that every total is exact.
const firms = (
  cells: ReadonlyArray<Cell>,
  totals: {
    readonly investmentSek: number
    readonly jobsWomen: number
    readonly jobsMen: number
    readonly leadership: ReadonlyArray<readonly ["woman" | "man" | "shared", number]>
  },
  fixed: { readonly count: number; readonly investmentSek: number; readonly jobsWomen: number; readonly jobsMen: number } = {
    count: 0,
    investmentSek: 0,
    jobsWomen: 0,
    jobsMen: 0
  }
): ReadonlyArray<FirmGrant> => {
  const rows: Array<{ sector: Sector; supportArea: "A" | "B"; grantOre: number }> = []
  cells.forEach((cell, c) => {
    const sectors = interleave(cell.sectors)
    const grants = splitProportionally(ore(cell.grantSek), weights(sectors.length, c))
    sectors.forEach((sector, i) => {
      rows.push({ sector, supportArea: cell.supportArea, grantOre: grants[i] ?? 0 })
    })
  })
  // The first `fixed.count` rows (the food firms of 2017) carry their own published totals.
  const head = rows.slice(0, fixed.count)
  const tail = rows.slice(fixed.count)
  const spread = (part: typeof rows, investmentSek: number, women: number, men: number) => {
    const w = part.map((r) => r.grantOre)
    const inv = splitProportionally(ore(investmentSek), w)
    const jw = splitProportionally(women, w)
    const jm = splitProportionally(men, w)
    return part.map((r, i) => ({ ...r, investmentOre: inv[i] ?? 0, jobsWomen: jw[i] ?? 0, jobsMen: jm[i] ?? 0 }))
  }
  const all = [
    ...(head.length === 0 ? [] : spread(head, fixed.investmentSek, fixed.jobsWomen, fixed.jobsMen)),
    ...spread(tail, totals.investmentSek - fixed.investmentSek, totals.jobsWomen - fixed.jobsWomen, totals.jobsMen - fixed.jobsMen)
  ]
  const leadership = interleave(totals.leadership)
  return all.map((r, i) => ({ ...r, leadership: leadership[i] ?? "man" }))
}

/**
 * The 138 business-support grants of 2017 (synthesised from the published totals).
 *
 * **Details**
 *
 * Sectors: 41 tourism + 4 car testing = 45 firms (32.6 % ≈ 33 %, I-2); 28 manufacturing + 13
 * food = 41 (29.7 % ≈ 30 %); 28 services (20.3 %); 11 innovation and 11 cultural-creative
 * (8.0 % each); 2 other. Funds: food 5 mkr; manufacturing, food, tourism and car testing
 * 73.95 mkr (87 %); support area A 74.8 mkr (88 %). Leadership 40 / 77 / 21 firms
 * (29.0 / 55.8 / 15.2 %). Jobs 188 women + 204 men = 392 (48 % women); food 12 + 15 = 27.
 *
 * @category constructors
 * @since 0.1.0
 */
export const businessSupport2017: ReadonlyArray<FirmGrant> = firms(
  [
    { sectors: [["food", 13]], supportArea: "A", grantSek: 5_000_000 },
    {
      sectors: [
        ["manufacturing", 22],
        ["tourism", 34],
        ["car-testing", 3]
      ],
      supportArea: "A",
      grantSek: 61_750_000
    },
    {
      sectors: [
        ["manufacturing", 6],
        ["tourism", 7],
        ["car-testing", 1]
      ],
      supportArea: "B",
      grantSek: 7_200_000
    },
    {
      sectors: [
        ["services", 22],
        ["innovation", 8],
        ["cultural-creative", 9],
        ["other", 1]
      ],
      supportArea: "A",
      grantSek: 8_050_000
    },
    {
      sectors: [
        ["services", 6],
        ["innovation", 3],
        ["cultural-creative", 2],
        ["other", 1]
      ],
      supportArea: "B",
      grantSek: 3_000_000
    }
  ],
  {
    investmentSek: published.businessSupport2017.investmentSek,
    jobsWomen: 188,
    jobsMen: 204,
    leadership: [
      ["woman", 40],
      ["man", 77],
      ["shared", 21]
    ]
  },
  { count: 13, investmentSek: 15_000_000, jobsWomen: 12, jobsMen: 15 }
)

/**
 * The 125 business-support grants of 2022 (synthesised from the published totals).
 *
 * **Details**
 *
 * 58.7 mkr granted, 183 mkr invested, 100 + 100 expected jobs ("evenly split"), leadership
 * 30 / 83 / 12 firms (24.0 / 66.4 / 9.6 %, rounding to 24 / 66 / 10), 39 REACT-EU decisions at
 * 100 % and 7 Covid-framework decisions at 50 %. The report gives no sector or support-area
 * shares for 2022; those below only follow its list of main areas (003:1217-1226).
 *
 * @category constructors
 * @since 0.1.0
 */
export const businessSupport2022: ReadonlyArray<FirmGrant> = firms(
  [
    {
      sectors: [
        ["manufacturing", 31],
        ["services", 26],
        ["tourism", 19],
        ["innovation", 16],
        ["cultural-creative", 13],
        ["car-testing", 5]
      ],
      supportArea: "A",
      grantSek: 51_500_000
    },
    {
      sectors: [
        ["manufacturing", 4],
        ["services", 4],
        ["tourism", 3],
        ["innovation", 2],
        ["cultural-creative", 1],
        ["car-testing", 1]
      ],
      supportArea: "B",
      grantSek: 7_200_000
    }
  ],
  {
    investmentSek: published.businessSupport2022.investmentSek,
    jobsWomen: 100,
    jobsMen: 100,
    leadership: [
      ["woman", 30],
      ["man", 83],
      ["shared", 12]
    ]
  }
).map((firm, i, all) => {
  const eu = interleave([
    ["react-eu", published.euCoFinancing2022.reactEu.decisions],
    ["covid-framework", published.euCoFinancing2022.covidFramework.decisions],
    ["none", all.length - published.euCoFinancing2022.decisions]
  ])[i]
  return eu === "react-eu"
    ? { ...firm, eu: { source: "react-eu", ratePercent: 100 } }
    : eu === "covid-framework"
      ? { ...firm, eu: { source: "covid-framework", ratePercent: 50 } }
      : firm
})

const grantFirms = (tally: Commands.Recorder, year: number, list: ReadonlyArray<FirmGrant>) =>
  Effect.forEach(
    list,
    (firm, i) =>
      Effect.gen(function* () {
        const n = String(i + 1).padStart(3, "0")
        const applicationId = `nb-${year}-foretagsstod-${n}`
        yield* open(tally, {
          applicationId,
          instrument: "business-support",
          applicant: { name: `Företag ${year}-${n} (syntetiskt)` },
          title: `Regionalt investeringsstöd ${year}-${n}`,
          amountApplied: firm.grantOre,
          receivedOn: dateOf(year, i, list.length),
          recommendation: "grant"
        })
        yield* tally.run({
          _tag: "GrantBusinessSupport",
          ...base(dateOf(year, i, list.length, 14), run),
          decisionRef: `SYNT-${year}-F-${n}`,
          decidingBody: RUN,
          applicationId,
          year,
          amount: firm.grantOre,
          supportType: firm.sector === "innovation" ? "innovation" : "investment",
          sector: firm.sector,
          supportArea: firm.supportArea,
          investment: firm.investmentOre,
          expectedJobsWomen: firm.jobsWomen,
          expectedJobsMen: firm.jobsMen,
          leadership: firm.leadership,
          ...(firm.eu === undefined
            ? {}
            : {
                euCoFinancing: {
                  ...firm.eu,
                  frameworkProjectId:
                    firm.eu.source === "react-eu" ? "nb-ramprojekt-react-eu" : "nb-ramprojekt-covid-19"
                }
              })
        })
      }),
    { discard: true }
  )

const rejectFirms = (
  tally: Commands.Recorder,
  year: number,
  count: number,
  reasons: ReadonlyArray<"competitive-market" | "no-need-for-support" | "incomplete-application" | "other">,
  explanation: string
) =>
  Effect.forEach(
    Array.from({ length: count }, (_, i) => i),
    (i) =>
      Effect.gen(function* () {
        const n = String(i + 1).padStart(3, "0")
        const applicationId = `nb-${year}-foretagsstod-avslag-${n}`
        yield* open(tally, {
          applicationId,
          instrument: "business-support",
          applicant: { name: `Företag ${year}-A${n} (syntetiskt)` },
          title: `Regionalt investeringsstöd ${year}-A${n}`,
          amountApplied: ore(150_000 + ((i * 37) % 9) * 50_000),
          receivedOn: dateOf(year, i, count),
          recommendation: "reject"
        })
        yield* tally.run({
          _tag: "RejectApplication",
          ...base(dateOf(year, i, count, 14), run),
          decisionRef: `SYNT-${year}-FA-${n}`,
          decidingBody: RUN,
          applicationId,
          reason: reasons[i % reasons.length] ?? "other",
          explanation
        })
      }),
    { discard: true }
  )

// ── Project support ──────────────────────────────────────────────────────────────────────────

/**
 * One synthesised project grant.
 *
 * @category models
 * @since 0.1.0
 */
export interface ProjectGrant {
  readonly applicationId: string
  readonly projectName: string
  readonly applicant: string
  readonly amountOre: number
  readonly decidedOn: string
  readonly priorityCodes: ReadonlyArray<{ readonly schemeId: string; readonly code: string }>
  readonly smartSpecialisationCodes: ReadonlyArray<{ readonly schemeId: string; readonly code: string }>
  readonly mainPurpose: "gender-equality" | "diversity" | "environment" | "other"
  readonly euProgramme?: { readonly source: "eruf" | "interreg-aurora"; readonly name: string; readonly call: string }
}

// Project counts per 2017 category: not in the seeds (synthesised); K3 is a single project of
// exactly 525 000 kr.
const projectsPerCategory2017: Readonly<Record<string, number>> = { K1: 4, K2: 8, K3: 1, K4: 5, K5: 3, K6: 12, K7: 20 }

// Projects the 2017 report names (002:533-546, 002:945-946); their amounts are synthesised.
const named2017: ReadonlyArray<{ readonly name: string; readonly applicant: string; readonly purpose: ProjectGrant["mainPurpose"] }> = [
  { name: "Djuphamn Haraholmen, Piteå hamn", applicant: "Piteå kommun", purpose: "other" },
  { name: "Inflyttningslots Gällivare", applicant: "Gällivare kommun", purpose: "other" },
  { name: "Platsutveckling Kiruna under omvandling", applicant: "Kiruna kommun", purpose: "other" },
  { name: "På väg mot jämställda kommuner", applicant: "Norrbottens Kommuner", purpose: "gender-equality" }
]

/**
 * The 53 project grants of 2017, whose amounts per category equal the classification table.
 *
 * @category constructors
 * @since 0.1.0
 */
export const projects2017: ReadonlyArray<ProjectGrant> = published.classification2017.rows.flatMap((row, c) => {
  const count = projectsPerCategory2017[row.code] ?? 1
  const amounts = splitProportionally(ore(row.amountSek), weights(count, c))
  return amounts.map((amountOre, i) => {
    const n = String(i + 1).padStart(2, "0")
    const named = row.code === "K7" ? named2017[i] : undefined
    return {
      applicationId: `nb-2017-projekt-${row.code.toLowerCase()}-${n}`,
      projectName: named?.name ?? `${row.label}: projekt ${n} (syntetiskt)`,
      applicant: named?.applicant ?? `Projektägare ${row.code}-${n} (syntetiskt)`,
      amountOre,
      decidedOn: dateOf(2017, i, count, 14),
      // K1–K6 are innovation-strategy areas; K7 spans three national areas, so it gets no
      // single national code (the mapping carries the correspondence).
      priorityCodes: row.code === "K7" ? [] : [{ schemeId: schemeIds.national2015, code: "N15-1" }],
      smartSpecialisationCodes: [{ schemeId: schemeIds.classification2017, code: row.code }],
      mainPurpose: named?.purpose ?? "other"
    }
  })
})

const cells2022: ReadonlyArray<{
  readonly programme: "eruf" | "interreg-aurora"
  readonly priority: string
  readonly national: string | undefined
  readonly count: number
  readonly amountSek: number
}> = [
  { programme: "eruf", priority: "P2", national: "N21-1", count: 11, amountSek: 34_000_000 },
  { programme: "eruf", priority: "P4", national: "N21-3", count: 2, amountSek: 4_000_000 },
  { programme: "eruf", priority: "P1", national: "N21-2", count: 2, amountSek: 8_000_000 },
  { programme: "interreg-aurora", priority: "P3", national: undefined, count: 2, amountSek: 1_400_000 },
  { programme: "interreg-aurora", priority: "P2", national: "N21-1", count: 5, amountSek: 6_400_000 },
  { programme: "interreg-aurora", priority: "P1", national: "N21-4", count: 4, amountSek: 4_500_000 }
]

/**
 * The 26 EU-programme co-financing grants of 2022: 15 ERUF call-1 projects (46 mkr) and 11
 * Interreg Aurora projects (12.3 mkr), with 6 / 4 / 9 of them having gender equality,
 * diversity and environment as main purpose. Per-project amounts and priorities are synthesised.
 *
 * @category constructors
 * @since 0.1.0
 */
export const projects2022: ReadonlyArray<ProjectGrant> = (() => {
  const purposes = interleave([
    ["gender-equality", published.horizontalPurposes2022.genderEquality],
    ["diversity", published.horizontalPurposes2022.diversity],
    ["environment", published.horizontalPurposes2022.environment],
    ["other", 26 - 19]
  ] as const)
  let k = 0
  return cells2022.flatMap((cell, c) =>
    splitProportionally(ore(cell.amountSek), weights(cell.count, c + 3)).map((amountOre, i) => {
      const n = String(k + 1).padStart(2, "0")
      const purpose = purposes[k] ?? "other"
      k += 1
      const eruf = cell.programme === "eruf"
      return {
        applicationId: `nb-2022-projekt-${eruf ? "eruf" : "aurora"}-${n}`,
        projectName: `${eruf ? "ERUF Övre Norrland 2021–2027" : "Interreg Aurora"}: regional medfinansiering, projekt ${n} (syntetiskt)`,
        applicant: `Projektägare 2022-${n} (syntetiskt)`,
        amountOre,
        decidedOn: eruf ? dateOf(2022, 6 + (i % 6), 12, 14) : dateOf(2022, 3 + (i % 3), 12, 14),
        priorityCodes: [
          { schemeId: schemeIds.allocation2022, code: cell.priority },
          ...(cell.national === undefined ? [] : [{ schemeId: schemeIds.national2021, code: cell.national }])
        ],
        smartSpecialisationCodes: [],
        mainPurpose: purpose,
        euProgramme: eruf
          ? { source: "eruf", name: "Regionala strukturfondsprogrammet Övre Norrland 2021–2027", call: "Utlysning 1" }
          : { source: "interreg-aurora", name: "Interreg Aurora", call: "Utlysning 1" }
      } satisfies ProjectGrant
    })
  )
})()

const grantProjects = (tally: Commands.Recorder, year: number, list: ReadonlyArray<ProjectGrant>) =>
  Effect.forEach(
    list,
    (p, i) =>
      Effect.gen(function* () {
        yield* open(tally, {
          applicationId: p.applicationId,
          instrument: "project-support",
          applicant: { name: p.applicant },
          title: p.projectName,
          amountApplied: p.amountOre,
          receivedOn: `${p.decidedOn.slice(0, 8)}01`,
          recommendation: "grant"
        })
        yield* tally.run({
          _tag: "GrantProject",
          ...base(p.decidedOn, run),
          decisionRef: `SYNT-${year}-P-${String(i + 1).padStart(3, "0")}`,
          decidingBody: RUN,
          applicationId: p.applicationId,
          year,
          amount: p.amountOre,
          projectName: p.projectName,
          priorityCodes: p.priorityCodes,
          smartSpecialisationCodes: p.smartSpecialisationCodes,
          mainPurpose: p.mainPurpose,
          ...(p.euProgramme === undefined ? {} : { euProgramme: p.euProgramme }),
          plannedOutputs: []
        })
      }),
    { discard: true }
  )

// ── Commercial service 2017 ──────────────────────────────────────────────────────────────────

const grantCommercialService2017 = (tally: Commands.Recorder) =>
  Effect.gen(function* () {
    const cs = published.commercialService2017
    const shops: Array<{ type: "service-grant" | "special-operating-support"; amountOre: number; n: number }> = []
    splitProportionally(ore(cs.serviceGrant.amountSek), weights(cs.serviceGrant.shops, 1)).forEach((amountOre, i) => {
      shops.push({ type: "service-grant", amountOre, n: i + 1 })
    })
    splitProportionally(ore(cs.specialOperatingSupport.amountSek), weights(cs.specialOperatingSupport.shops, 2)).forEach(
      (amountOre, i) => {
        shops.push({ type: "special-operating-support", amountOre, n: i + 1 })
      }
    )
    for (const [i, shop] of shops.entries()) {
      const n = String(shop.n).padStart(2, "0")
      const prefix = shop.type === "service-grant" ? "servicebidrag" : "driftstod"
      const applicationId = `nb-2017-${prefix}-${n}`
      yield* open(tally, {
        applicationId,
        instrument: "commercial-service",
        applicant: { name: `Lanthandel ${prefix} ${n} (syntetiskt)` },
        title: shop.type === "service-grant" ? "Servicebidrag" : "Särskilt driftstöd",
        amountApplied: shop.amountOre,
        receivedOn: dateOf(2017, i, shops.length),
        recommendation: "grant"
      })
      yield* tally.run({
        _tag: "GrantCommercialService",
        ...base(dateOf(2017, i, shops.length, 14), run),
        decisionRef: `SYNT-2017-K-${String(i + 1).padStart(3, "0")}`,
        decidingBody: RUN,
        applicationId,
        year: 2017,
        amount: shop.amountOre,
        supportType: shop.type,
        establishment: "shop"
      })
    }
    // Home delivery: one aggregate record, because the report gives only the sum paid in 2017
    // for 2015 and 2016 (002:1245-1246).
    const applicationId = "nb-2017-hemsandningsbidrag"
    yield* open(tally, {
      applicationId,
      instrument: "commercial-service",
      applicant: { name: "Norrbottens kommuner (hemsändning, sammanlagt)" },
      title: "Hemsändningsbidrag 2015–2016",
      amountApplied: ore(cs.homeDelivery.amountSek),
      receivedOn: "2017-02-01",
      recommendation: "grant"
    })
    yield* tally.run({
      _tag: "GrantCommercialService",
      ...base("2017-03-01", run),
      decisionRef: "SYNT-2017-K-HEM",
      decidingBody: RUN,
      applicationId,
      year: 2017,
      amount: ore(cs.homeDelivery.amountSek),
      supportType: "home-delivery-grant",
      establishment: "municipality",
      establishmentName: "Kommunerna i Norrbottens län",
      forYears: [...cs.homeDelivery.forYears]
    })
    yield* tally.run({
      _tag: "DisbursePayment",
      ...base("2017-03-15", finance),
      applicationId,
      paymentId: "nb-2017-hemsandning-utbetalning",
      amount: ore(cs.homeDelivery.amountSek)
    })
  })

/**
 * What a seed run wrote, for its tenant.
 *
 * @category models
 * @since 0.1.0
 */
export type SeedSummary = Commands.Summary & { readonly tenant: string }

/**
 * Appends Region Norrbotten's 2017 and 2022 history to the provided store.
 *
 * @category constructors
 * @since 0.1.0
 */
export const seed = Effect.suspend(() => {
  const tally = Commands.makeRecorder()
  return Effect.gen(function* () {
    // ── Registry (Register commands: reference data, no decider) ────────────────────────────
    yield* tally.run({ _tag: "Register", ...base("2017-01-01", registrar), events: [
      { _tag: "ActorRegistered", actorId: "region-norrbotten", name: "Region Norrbotten", kind: "region" },
      {
        _tag: "ActorRegistered",
        actorId: "region-norrbotten-run",
        name: "Regionala utvecklingsnämnden (RUN)",
        kind: "board",
        parentActorId: "region-norrbotten"
      },
      { _tag: "ActorRegistered", actorId: "regeringen", name: "Regeringskansliet (Näringsdepartementet)", kind: "government-agency" },
      { _tag: "ActorRegistered", actorId: "tillvaxtverket", name: "Tillväxtverket", kind: "government-agency" },
      {
        _tag: "ActorRegistered",
        actorId: "norrbottens-kommuner",
        name: "Norrbottens Kommuner",
        kind: "regional-association"
      }
    ] })
    for (const s of schemes) {
      yield* tally.run({ _tag: "Register", ...base(`${s.validFrom}-01-01`, registrar), events: [
        {
          _tag: "ClassificationSchemeAdopted",
          schemeId: s.schemeId,
          name: s.name,
          ownerActorId: s.ownerActorId,
          validFrom: s.validFrom,
          ...(s.validTo === undefined ? {} : { validTo: s.validTo }),
          categories: s.categories
        }
      ] })
    }
    yield* tally.run({ _tag: "Register", ...base("2022-01-01", registrar), events: mappings.map((m) => ({
        _tag: "SchemeMappingDefined",
        mappingId: m.mappingId,
        fromSchemeId: m.fromSchemeId,
        toSchemeId: m.toSchemeId,
        pairs: m.pairs
      })) })

    // ── 2017 ──────────────────────────────────────────────────────────────────────────────
    yield* tally.run({
      _tag: "AllotAppropriation",
      ...base("2017-01-01", government),
      regionId,
      year: 2017,
      appropriation: "UO19 1:1",
      appropriationName: "Regionala tillväxtåtgärder",
      amount: ore(appropriation2017Sek),
      source: "Syntetiskt: summan av beviljade belopp 2017 (anslagets storlek anges inte i rapporten)"
    })
    yield* grantProjects(tally, 2017, projects2017)
    yield* grantFirms(tally, 2017, businessSupport2017)
    yield* rejectFirms(tally, 2017, published.businessSupport2017.rejected, ["other"], "Avslagsskäl redovisas inte i 2017 års rapport")
    yield* grantCommercialService2017(tally)

    // ── 2022 ──────────────────────────────────────────────────────────────────────────────
    yield* tally.run({
      _tag: "AllotAppropriation",
      ...base("2022-01-01", government),
      regionId,
      year: 2022,
      appropriation: "UO19 1:1",
      appropriationName: "Regionala utvecklingsåtgärder",
      amount: ore(published.allocation2022.totalSek),
      source: "Villkorsbeslut 2022 (N2021/03079, N2021/03001 delvis); belopp = summan av RUN:s prioriteringar"
    })
    yield* tally.run({
      _tag: "FrameAllocation",
      ...base("2022-01-15", run),
      decisionRef: published.caseNumbers2022.regionNorrbotten,
      decidingBody: RUN,
      regionId,
      year: 2022,
      projectSupport: ore(frame2022Sek.projectSupport),
      businessSupport: ore(frame2022Sek.businessSupport),
      commercialService: ore(frame2022Sek.commercialService),
      byPriority: published.allocation2022.lines.map((line) => ({
        ref: { schemeId: schemeIds.allocation2022, code: line.code },
        amount: ore(line.amountSek)
      }))
    })
    yield* grantProjects(tally, 2022, projects2022)
    yield* grantFirms(tally, 2022, businessSupport2022)
    yield* rejectFirms(
      tally,
      2022,
      published.businessSupport2022.rejected,
      ["competitive-market", "no-need-for-support", "incomplete-application"],
      "Huvudsakliga avslagsskäl enligt 003:3909-3911; fördelningen per skäl är syntetisk"
    )
    return { tenant, ...tally.summary() }
  })
})
