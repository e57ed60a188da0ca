/**
 * The indicator catalogue: each indicator is a named, versioned definition — formula, unit and
 * the events that feed it — with a pure `compute` over the read models of one year.
 *
 * Money is in öre (unit `ore`); shares are exact (see {@link Share}). Every definition is also
 * documented in `docs/reference/indicators.md`.
 *
 * @since 0.1.0
 */
import type { ReadModels } from "@utblick/projections"
import { Agreements, FundingPortfolio, Memberships, RegistryModel, Trips } from "@utblick/projections"
import * as Share from "./Share.js"

/**
 * The unit of an indicator's value. `whole-percent` is a percentage published and apportioned in
 * whole percent (leadership shares, the board's split by instrument): it is shown without a
 * decimal, so 1 of 3 firms reads "34 %", not a precise-looking "34,0 %".
 *
 * @category models
 * @since 0.1.0
 */
export type Unit = "percent" | "whole-percent" | "count" | "ore" | "ratio" | "kg-co2e" | "jobs"

/**
 * Whether a unit is a percentage (changes in it are percentage points).
 *
 * @category guards
 * @since 0.2.0
 */
export const isPercent = (unit: Unit): unit is "percent" | "whole-percent" => unit === "percent" || unit === "whole-percent"

/**
 * One line of an indicator's breakdown (a category, an instrument, a focus area …).
 *
 * @category models
 * @since 0.1.0
 */
export interface Row {
  readonly key: string
  readonly label: string
  /** The row's value in the indicator's unit (for shares: the apportioned percent). */
  readonly value: number | null
  /** The integer amount behind a share (öre or a count), when the row is a share. */
  readonly amount?: number
  /** The row's own unit, when a breakdown mixes units (otherwise `rowUnit`, then `unit`). */
  readonly unit?: Unit
}

/**
 * The value of one indicator for one year.
 *
 * @category models
 * @since 0.1.0
 */
export interface IndicatorValue {
  readonly id: string
  readonly title: string
  /** The title in Swedish (the report's default language). */
  readonly titleSv: string
  readonly unit: Unit
  readonly year: number
  readonly value: number | null
  /** The classification scheme the breakdown is expressed in, when it is one. */
  readonly scheme?: string
  /** The unit of the breakdown rows when it differs from the headline's. */
  readonly rowUnit?: Unit
  /** The breakdown; every row carries its own `unit` (resolved from `rowUnit`, then `unit`). */
  readonly breakdown: ReadonlyArray<Row>
  /** The integers the headline value was computed from. */
  readonly numerator?: number
  readonly denominator?: number
}

/**
 * What an indicator is computed for.
 *
 * @category models
 * @since 0.1.0
 */
export interface Context {
  readonly year: number
  readonly tenant?: string
  /** The scheme holding the actor's own goals (e.g. Luleå's nine goals), for goal coverage. */
  readonly goalsSchemeId?: string
  /** The actor whose memberships count (default: every actor of the tenant, e.g. also its companies). */
  readonly actorId?: string
}

/**
 * An indicator definition.
 *
 * @category models
 * @since 0.1.0
 */
export interface Definition {
  readonly id: string
  readonly version: number
  readonly title: string
  /** The title in Swedish. */
  readonly titleSv: string
  readonly unit: Unit
  /** The formula in words, as in the reference. */
  readonly formula: string
  /** The event types that feed it. */
  readonly feeds: ReadonlyArray<string>
  readonly compute: (view: YearView) => ReadonlyArray<IndicatorValue>
}

/**
 * What every indicator of one year reads, computed at most once per year and shared: the
 * year's portfolio summary, its grants per instrument and its trip totals. Each is one scan of
 * the read model at most, so computing every indicator costs a few scans, not one per indicator.
 *
 * @category models
 * @since 0.1.0
 */
export interface YearView {
  readonly models: ReadModels.ReadModelsState
  readonly context: Context
  readonly summary: () => FundingPortfolio.YearSummary
  readonly grants: (
    instrument?: FundingPortfolio.Instrument
  ) => ReadonlyArray<FundingPortfolio.GrantedApplication>
  /** Totals of the trips departing in the year, in all and by mode. */
  readonly trips: () => {
    readonly total: Trips.TripTotals
    readonly groups: Readonly<Record<string, Trips.TripTotals>>
  }
}

/**
 * Builds the shared view of one year.
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeView = (models: ReadModels.ReadModelsState, context: Context): YearView => {
  const filter = filterOf(context)
  let overview: FundingPortfolio.YearOverview | undefined
  let trips: ReturnType<YearView["trips"]> | undefined
  // One scan of the portfolio gives the year's summary and its grants; an instrument's grants are
  // a subset of the year's.
  const overviewOf = () => {
    overview ??= FundingPortfolio.yearOverview(models.portfolio, context.year, filter)
    return overview
  }
  const grants = new Map<string, ReadonlyArray<FundingPortfolio.GrantedApplication>>()
  const grantsOf = (
    instrument?: FundingPortfolio.Instrument
  ): ReadonlyArray<FundingPortfolio.GrantedApplication> => {
    if (instrument === undefined) return overviewOf().grants
    let found = grants.get(instrument)
    if (found === undefined) {
      found = overviewOf().grants.filter((g) => g.instrument === instrument)
      grants.set(instrument, found)
    }
    return found
  }
  return {
    models,
    context,
    summary: () => overviewOf().summary,
    grants: grantsOf,
    trips: () => {
      trips ??= Trips.totalsAndGroups(models.trips, "mode", { ...filter, year: context.year })
      return trips
    }
  }
}

const filterOf = (context: Context) => (context.tenant === undefined ? {} : { tenant: context.tenant })
const instrumentLabels: Readonly<Record<string, string>> = {
  "project-support": "Project support (projektstöd)",
  "business-support": "Business support (företagsstöd)",
  "commercial-service": "Commercial service (kommersiell service)"
}

const shareRows = (
  amounts: Readonly<Record<string, number>>,
  label: (key: string) => string,
  decimals = 1
): ReadonlyArray<Row> =>
  Share.apportion(amounts, decimals).map((p) => ({
    key: p.key,
    label: label(p.key),
    value: p.percent,
    amount: p.amount
  }))

/**
 * The unit of one breakdown row: its own, else the indicator's `rowUnit`, else its `unit`.
 *
 * @category constructors
 * @since 0.2.0
 */
export const unitOf = (indicator: Pick<IndicatorValue, "unit" | "rowUnit">, row: Row): Unit =>
  row.unit ?? indicator.rowUnit ?? indicator.unit

const value = (
  definition: Pick<Definition, "id" | "title" | "titleSv" | "unit">,
  context: Context,
  headline: number | null,
  rest: Partial<Pick<IndicatorValue, "breakdown" | "numerator" | "denominator" | "scheme" | "rowUnit">> = {}
): IndicatorValue => ({
  id: definition.id,
  title: definition.title,
  titleSv: definition.titleSv,
  unit: definition.unit,
  year: context.year,
  value: headline,
  // Every row carries its unit, so no output has to guess it (a count among shares, a ratio …).
  breakdown: (rest.breakdown ?? []).map((row) =>
    row.unit === undefined ? { ...row, unit: rest.rowUnit ?? definition.unit } : row
  ),
  ...(rest.scheme === undefined ? {} : { scheme: rest.scheme }),
  ...(rest.rowUnit === undefined ? {} : { rowUnit: rest.rowUnit }),
  ...(rest.numerator === undefined ? {} : { numerator: rest.numerator }),
  ...(rest.denominator === undefined ? {} : { denominator: rest.denominator })
})

const define = (definition: Definition): Definition => definition

/**
 * Share of decided business-support applications that were granted in the year.
 *
 * Formula: grants charged to the year ÷ (grants charged to the year + rejections decided in it),
 * in percent (one decimal, half up). Fed by `BusinessSupportGranted`, `ApplicationRejected`.
 * Seeds: 2017 138/169 = 81.7 %; 2022 125/164 = 76.2 %.
 *
 * @category models
 * @since 0.1.0
 */
export const approvalRate = define({
  id: "approval-rate",
  version: 1,
  title: "Approval rate of business-support applications",
  titleSv: "Andel beviljade ansökningar om företagsstöd",
  unit: "percent",
  formula: "granted ÷ (granted + rejected) among business-support decisions of the year",
  feeds: ["BusinessSupportGranted", "ApplicationRejected"],
  compute: (view) => {
    const { context } = view
    const totals = view.summary().byInstrument["business-support"]
    const decided = totals.granted + totals.rejected
    // A tenant or year without business support has no approval rate, not a rate over zeros.
    if (totals.applications === 0 && decided === 0) return []
    return [
      value(approvalRate, context, Share.percent(totals.granted, decided), {
        numerator: totals.granted,
        denominator: decided,
        rowUnit: "count",
        breakdown: [
          { key: "applications", label: "Applications received", value: totals.applications },
          { key: "granted", label: "Granted (bifallna)", value: totals.granted },
          { key: "rejected", label: "Rejected (avslagna)", value: totals.rejected }
        ]
      })
    ]
  }
})

/**
 * Granted money of the year split by instrument, with shares that sum to 100 %.
 *
 * Formula: Σ current grant amounts per instrument ÷ Σ over instruments. Fed by `ProjectGranted`,
 * `BusinessSupportGranted`, `CommercialServiceSupportGranted`, `GrantAmended`.
 *
 * @category models
 * @since 0.1.0
 */
export const grantedByInstrument = define({
  id: "granted-by-instrument",
  version: 1,
  title: "Granted money by instrument",
  titleSv: "Beviljade medel per stödform",
  unit: "ore",
  formula: "Σ granted öre per instrument (shares by largest remainder, one decimal)",
  feeds: ["ProjectGranted", "BusinessSupportGranted", "CommercialServiceSupportGranted", "GrantAmended"],
  compute: (view) => {
    const { context } = view
    const summary = view.summary()
    const amounts = Object.fromEntries(
      FundingPortfolio.instruments.map((i) => [i, summary.byInstrument[i].grantedAmount])
    )
    // No funding recorded for the year at all (no appropriation, frame, application, grant or
    // rejection): no data — a block of zeros would claim the tenant funds nothing. With an
    // appropriation or applications but no grant, 0 kr granted is a true zero.
    const t = summary.total
    if (summary.appropriation === 0 && summary.frame === null && t.applications + t.granted + t.rejected === 0) return []
    return [
      value(grantedByInstrument, context, summary.total.grantedAmount, {
        rowUnit: "percent",
        breakdown: shareRows(amounts, (k) => instrumentLabels[k] ?? k)
      })
    ]
  }
})

/**
 * The board's allocation frame of the year split by instrument (the 61 / 34 / 5 % of 2022).
 *
 * Formula: frame per instrument ÷ Σ frame (shares by largest remainder, whole percent).
 * Fed by `AllocationFramed`.
 *
 * @category models
 * @since 0.1.0
 */
export const allocationByInstrument = define({
  id: "allocation-by-instrument",
  version: 1,
  title: "Allocation frame by instrument",
  titleSv: "Budgetram per stödform",
  unit: "ore",
  formula: "the board's frame per instrument ÷ the whole frame (whole percent, largest remainder)",
  feeds: ["AllocationFramed"],
  compute: (view) => {
    const { context } = view
    const frame = view.summary().frame
    if (frame === null) return []
    const amounts = {
      "project-support": frame.projectSupport,
      "business-support": frame.businessSupport,
      "commercial-service": frame.commercialService
    }
    return [
      value(
        allocationByInstrument,
        context,
        frame.projectSupport + frame.businessSupport + frame.commercialService,
        {
          rowUnit: "whole-percent",
          breakdown: shareRows(amounts, (k) => instrumentLabels[k] ?? k, 0)
        }
      )
    ]
  }
})

/**
 * The board's allocation of the year by priority, in the scheme the priorities are tagged with.
 *
 * Formula: Σ frame öre per priority code ÷ Σ over codes. Fed by `AllocationFramed`.
 *
 * @category models
 * @since 0.1.0
 */
export const allocationByPriority = define({
  id: "allocation-by-priority",
  version: 1,
  title: "Allocation frame by priority",
  titleSv: "Budgetram per prioritering",
  unit: "ore",
  formula: "the board's frame per priority ÷ the sum over priorities (one decimal, largest remainder)",
  feeds: ["AllocationFramed", "ClassificationSchemeAdopted"],
  compute: (view) => {
    const { models, context } = view
    const frame = view.summary().frame
    if (frame === null || frame.byPriority.length === 0) return []
    const bySchemes = new Map<string, Record<string, number>>()
    for (const p of frame.byPriority) {
      const amounts = bySchemes.get(p.ref.schemeId) ?? {}
      amounts[p.ref.code] = (amounts[p.ref.code] ?? 0) + p.amount
      bySchemes.set(p.ref.schemeId, amounts)
    }
    return [...bySchemes].map(([scheme, amounts]) =>
      value(
        allocationByPriority,
        context,
        Object.values(amounts).reduce((a, b) => a + b, 0),
        {
          scheme,
          rowUnit: "percent",
          breakdown: shareRows(amounts, (k) => RegistryModel.categoryLabel(models.registry, scheme, k))
        }
      )
    )
  }
})

/**
 * Granted project-support money of the year per category of each classification scheme the
 * grants are tagged with (e.g. the 2017 smart-specialisation table).
 *
 * Formula: Σ grant öre per primary code of the scheme, plus `unclassified`, ÷ Σ granted project
 * support. Fed by `ProjectGranted`, `GrantAmended`, `ClassificationSchemeAdopted`.
 *
 * @category models
 * @since 0.1.0
 */
export const grantedByCategory = define({
  id: "granted-by-category",
  version: 1,
  title: "Granted project support by classification",
  titleSv: "Beviljat projektstöd per klassificering",
  unit: "ore",
  formula: "Σ granted öre per primary code of the scheme (+ unclassified) ÷ Σ granted project support",
  feeds: ["ProjectGranted", "GrantAmended", "ClassificationSchemeAdopted"],
  compute: (view) => {
    const { models, context } = view
    const schemes = new Set<string>()
    for (const g of view.grants("project-support")) {
      for (const c of [...g.grant.priorityCodes, ...g.grant.smartSpecialisationCodes]) schemes.add(c.schemeId)
    }
    return [...schemes].sort().map((scheme) => {
      const result = FundingPortfolio.categoryTotals(view.grants("project-support"), scheme)
      const amounts: Record<string, number> = { ...result.categories }
      if (result.unclassified > 0) amounts["unclassified"] = result.unclassified
      return value(grantedByCategory, context, result.total, {
        scheme,
        rowUnit: "percent",
        breakdown: shareRows(amounts, (k) =>
          k === "unclassified"
            ? "Not classified in this scheme"
            : RegistryModel.categoryLabel(models.registry, scheme, k)
        )
      })
    })
  }
})

/**
 * Leadership of the firms granted business support: led by a woman, a man, or shared.
 *
 * Formula: firms per leadership ÷ firms granted, whole percent by largest remainder (sums to 100).
 * Fed by `BusinessSupportGranted`. Seeds: 2017 29/56/15 %; 2022 24/66/10 %.
 *
 * @category models
 * @since 0.1.0
 */
export const leadershipShares = define({
  id: "leadership-shares",
  version: 1,
  title: "Leadership of supported firms",
  titleSv: "Ledarskap i stödda företag",
  unit: "count",
  formula: "firms granted business support per leadership ÷ all of them (whole percent, largest remainder)",
  feeds: ["BusinessSupportGranted"],
  compute: (view) => {
    const { context } = view
    const grants = view.grants("business-support")
    if (grants.length === 0) return []
    const counts: Record<string, number> = { woman: 0, man: 0, shared: 0 }
    for (const g of grants)
      if (g.grant.leadership !== null) counts[g.grant.leadership] = (counts[g.grant.leadership] ?? 0) + 1
    const labels: Record<string, string> = {
      woman: "Led by a woman",
      man: "Led by a man",
      shared: "Shared leadership"
    }
    return [
      value(leadershipShares, context, grants.length, {
        rowUnit: "whole-percent",
        breakdown: shareRows(counts, (k) => labels[k] ?? k, 0)
      })
    ]
  }
})

/**
 * Expected new jobs in the firms granted business support, by gender, and per million kronor.
 *
 * Formula: Σ expected jobs (women + men); women's share = Σ women ÷ Σ jobs; jobs per mkr =
 * Σ jobs ÷ (Σ granted öre ÷ 10^8). Fed by `BusinessSupportGranted`.
 *
 * @category models
 * @since 0.1.0
 */
export const expectedJobs = define({
  id: "expected-jobs",
  version: 1,
  title: "Expected new jobs from business support",
  titleSv: "Förväntade nya jobb av företagsstöd",
  unit: "jobs",
  formula: "Σ expected jobs; women's share; jobs per mkr granted",
  feeds: ["BusinessSupportGranted", "GrantAmended"],
  compute: (view) => {
    const { context } = view
    const grants = view.grants("business-support")
    if (grants.length === 0) return []
    const women = grants.reduce((n, g) => n + g.grant.expectedJobsWomen, 0)
    const men = grants.reduce((n, g) => n + g.grant.expectedJobsMen, 0)
    const granted = grants.reduce((n, g) => n + g.grant.amount, 0)
    return [
      value(expectedJobs, context, women + men, {
        breakdown: [
          { key: "women", label: "Jobs for women", value: women },
          { key: "men", label: "Jobs for men", value: men },
          {
            key: "women-share",
            label: "Women's share",
            value: Share.percent(women, women + men),
            unit: "percent"
          },
          {
            key: "per-mkr",
            label: "Jobs per mkr granted",
            value: Share.ratio((women + men) * 100_000_000, granted),
            unit: "ratio"
          }
        ]
      })
    ]
  }
})

/**
 * How much investment each krona of business support goes with, and the average grant.
 *
 * Formula: Σ investment öre ÷ Σ granted öre (two decimals); average = Σ granted ÷ grants.
 * Fed by `BusinessSupportGranted`, `GrantAmended`. Seeds: 2017 280/85 = 3.29; 2022 183/58.7 = 3.12.
 *
 * @category models
 * @since 0.1.0
 */
export const investmentLeverage = define({
  id: "investment-leverage",
  version: 1,
  title: "Investment leverage of business support",
  titleSv: "Investeringar per stödkrona",
  unit: "ratio",
  formula: "Σ investment ÷ Σ granted business support",
  feeds: ["BusinessSupportGranted", "GrantAmended"],
  compute: (view) => {
    const { context } = view
    const grants = view.grants("business-support")
    if (grants.length === 0) return []
    const investment = grants.reduce((n, g) => n + g.grant.investment, 0)
    const granted = grants.reduce((n, g) => n + g.grant.amount, 0)
    return [
      value(investmentLeverage, context, Share.ratio(investment, granted), {
        numerator: investment,
        denominator: granted,
        rowUnit: "ore",
        breakdown: [
          { key: "granted", label: "Granted", value: granted },
          { key: "investment", label: "Investment", value: investment },
          {
            key: "average-grant",
            label: "Average grant",
            value: Share.roundQuotient(granted, grants.length, 0)
          }
        ]
      })
    ]
  }
})

/**
 * EU co-financing of business support: the share of grants that are EU co-financed, their
 * decision-equivalents (Σ rate), the EU-financed part of the money, and the leverage.
 *
 * Formula: co-financed grants ÷ grants; equivalents = Σ rate ÷ 100; EU öre = Σ amount × rate ÷ 100;
 * leverage = Σ granted ÷ (Σ granted − EU öre), i.e. kronor of support per krona of the region's
 * own money (`null` when all of it is EU money). Fed by `BusinessSupportGranted`.
 * Seeds: 2022 46 of 125 (36.8 %), 39 × 1.0 + 7 × 0.5 = 42.5 equivalents.
 *
 * @category models
 * @since 0.1.0
 */
export const euCoFinancing = define({
  id: "eu-co-financing",
  version: 1,
  title: "EU co-financing of business support",
  titleSv: "EU-medfinansiering av företagsstöd",
  unit: "percent",
  formula: "co-financed grants ÷ grants; Σ rate ÷ 100; Σ amount × rate ÷ 100; granted ÷ own money",
  feeds: ["BusinessSupportGranted"],
  compute: (view) => {
    const { context } = view
    const grants = view.grants("business-support")
    if (grants.length === 0) return []
    const cofinanced = grants.filter((g) => g.grant.euSource !== null && g.grant.euRatePercent !== null)
    // The grant event records EU co-financing only where there is some, so a year in which no
    // grant records it cannot tell "none" from "not recorded": it is no data, not 0 % (ADR 0020).
    if (cofinanced.length === 0) return []
    const ratePoints = cofinanced.reduce((n, g) => n + (g.grant.euRatePercent ?? 0), 0)
    const granted = grants.reduce((n, g) => n + g.grant.amount, 0)
    const euOre = cofinanced.reduce(
      (n, g) => n + Math.round((g.grant.amount * (g.grant.euRatePercent ?? 0)) / 100),
      0
    )
    const bySource: Record<string, number> = {}
    for (const g of cofinanced)
      bySource[g.grant.euSource as string] = (bySource[g.grant.euSource as string] ?? 0) + 1
    return [
      value(euCoFinancing, context, Share.percent(cofinanced.length, grants.length), {
        numerator: cofinanced.length,
        denominator: grants.length,
        breakdown: [
          { key: "decisions", label: "Co-financed decisions", value: cofinanced.length, unit: "count" },
          {
            key: "equivalents",
            label: "Decision-equivalents (Σ rate)",
            value: ratePoints / 100,
            unit: "count"
          },
          {
            key: "eu-share-of-money",
            label: "EU share of granted money",
            value: Share.percent(euOre, granted),
            unit: "percent"
          },
          {
            key: "leverage",
            label: "Support per krona of own money",
            value: Share.ratio(granted, granted - euOre),
            unit: "ratio"
          },
          ...Object.entries(bySource)
            .sort()
            .map(([source, n]) => ({
              key: `source:${source}`,
              label: `Decisions via ${source}`,
              value: n,
              unit: "count" as const
            }))
        ]
      })
    ]
  }
})

/**
 * Projects granted in the year whose main purpose is gender equality, diversity or environment.
 *
 * Formula: count of `ProjectGranted` by `mainPurpose`. Seeds: 2022 6 / 4 / 9.
 *
 * @category models
 * @since 0.1.0
 */
export const projectsByMainPurpose = define({
  id: "projects-by-main-purpose",
  version: 1,
  title: "Projects by horizontal main purpose",
  titleSv: "Projekt per horisontellt huvudsyfte",
  unit: "count",
  formula: "count of granted projects per main purpose",
  feeds: ["ProjectGranted"],
  compute: (view) => {
    const { context } = view
    const grants = view.grants("project-support")
    if (grants.length === 0) return []
    const counts: Record<string, number> = { "gender-equality": 0, diversity: 0, environment: 0 }
    for (const g of grants)
      if (g.grant.mainPurpose !== null && g.grant.mainPurpose !== "other")
        counts[g.grant.mainPurpose] = (counts[g.grant.mainPurpose] ?? 0) + 1
    const labels: Record<string, string> = {
      "gender-equality": "Gender equality (jämställdhet)",
      diversity: "Diversity (mångfald)",
      environment: "Environment (miljö)"
    }
    return [
      value(
        projectsByMainPurpose,
        context,
        counts["gender-equality"]! + counts["diversity"]! + counts["environment"]!,
        {
          breakdown: Object.entries(counts).map(([key, n]) => ({ key, label: labels[key] ?? key, value: n }))
        }
      )
    ]
  }
})

/**
 * Active memberships at the end of the year, per focus area.
 *
 * Formula: memberships proper (member or founder) signed and not ended, counted by the
 * organisation's focus area; other active relations (signatory, project or consortium partner)
 * are counted per kind beside them. Fed by `MembershipSigned`, `MembershipEnded`,
 * `OrganisationRegistered`. Seed: Luleå kommun 2024 = 5 (000:84-88).
 *
 * @category models
 * @since 0.1.0
 */
export const activeMemberships = define({
  id: "active-memberships",
  version: 1,
  title: "Active memberships by focus area",
  titleSv: "Aktiva medlemskap per inriktning",
  unit: "count",
  formula:
    "memberships proper (member, founder) signed and not ended, per focus area; of which with an unknown join date; other relations per kind",
  feeds: ["MembershipSigned", "MembershipEnded", "OrganisationRegistered"],
  compute: (view) => {
    const { models, context } = view
    const filter = {
      ...filterOf(context),
      ...(context.actorId === undefined ? {} : { actorId: context.actorId })
    }
    const counts = Memberships.countByFocusArea(models.memberships, { ...filter, kinds: Memberships.PROPER })
    const total = Object.values(counts).reduce((a, b) => a + b, 0)
    const others: Record<string, number> = {}
    for (const [kind, n] of Object.entries(Memberships.countByKind(models.memberships, filter))) {
      if (!Memberships.PROPER.includes(kind)) others[kind] = n
    }
    if (total === 0 && Object.keys(others).length === 0) return []
    const labels: Record<string, string> = {
      "regional-arctic": "Regional / Arctic",
      eu: "EU",
      other: "Other"
    }
    // Memberships whose join date the sources do not give are dated by the document that first
    // shows them (e.g. a web page of 2021-10-07): they are members "by" that date, maybe long
    // before. Saying how many of the count are such keeps a year comparison honest (ADR 0021).
    const undated = Memberships.active(models.memberships, { ...filter, kinds: Memberships.PROPER }).filter(
      (m) => m.sincePrecision === "recorded"
    )
    const evidence = [...new Set(undated.map((m) => m.since))].sort()
    return [
      value(activeMemberships, context, total, {
        breakdown: [
          ...Object.entries(counts).map(([key, n]) => ({ key, label: labels[key] ?? key, value: n })),
          {
            key: "join-date-unknown",
            label:
              evidence.length === 0
                ? "Of which join date unknown"
                : `Of which join date unknown (first documented ${evidence.join(", ")})`,
            value: undated.length
          },
          ...Object.entries(others)
            .sort()
            .map(([kind, n]) => ({ key: `relation:${kind}`, label: `Other relations: ${kind}`, value: n }))
        ]
      })
    ]
  }
})

/**
 * Agreements at the end of the year, by kind and status.
 *
 * Formula: count of agreements per kind × status (intended, active, dormant, ended).
 * Fed by `AgreementSigned`, `AgreementIntentRecorded`, `AgreementStatusChanged`, `AgreementEnded`.
 *
 * @category models
 * @since 0.1.0
 */
export const agreementsByStatus = define({
  id: "agreements-by-status",
  version: 1,
  title: "Agreements and twin towns by status",
  titleSv: "Avtal och vänorter per status",
  unit: "count",
  formula: "agreements (incl. intents and twin towns) per kind and status; headline = all of them",
  feeds: ["AgreementSigned", "AgreementIntentRecorded", "AgreementStatusChanged", "AgreementEnded"],
  compute: (view) => {
    const { models, context } = view
    const counts = Agreements.countByKindAndStatus(models.agreements, filterOf(context))
    const rows: Array<Row> = []
    let total = 0
    for (const [kind, byStatus] of Object.entries(counts).sort()) {
      for (const [status, n] of Object.entries(byStatus)) {
        if (n > 0) rows.push({ key: `${kind}:${status}`, label: `${kind}, ${status}`, value: n })
        total += n
      }
    }
    // The headline is the sum of its rows: every agreement and intent recorded by the year end,
    // whatever its status (the active ones are the rows ending in ", active").
    return rows.length === 0 ? [] : [value(agreementsByStatus, context, total, { breakdown: rows })]
  }
})

/**
 * Share of evaluated trips that were replaced by a digital meeting.
 *
 * Formula: trips departing in the year evaluated `replaced-by-digital` ÷ trips evaluated.
 * Fed by `TripProposed`, `TripEvaluated`.
 *
 * @category models
 * @since 0.1.0
 */
export const tripsReplacedByDigital = define({
  id: "trips-replaced-by-digital",
  version: 1,
  title: "Trips replaced by digital meetings",
  titleSv: "Resor ersatta av digitala möten",
  unit: "percent",
  formula: "trips replaced by a digital meeting ÷ trips evaluated (by departure year)",
  feeds: ["TripProposed", "TripEvaluated"],
  compute: (view) => {
    const { context } = view
    const t = view.trips().total
    if (t.proposed === 0) return []
    return [
      value(tripsReplacedByDigital, context, Share.percent(t.replacedByDigital, t.evaluated), {
        numerator: t.replacedByDigital,
        denominator: t.evaluated,
        rowUnit: "count",
        breakdown: [
          { key: "proposed", label: "Proposed", value: t.proposed },
          { key: "approved", label: "Approved", value: t.approved },
          { key: "replaced-by-digital", label: "Replaced by digital meeting", value: t.replacedByDigital },
          { key: "declined", label: "Declined", value: t.declined },
          { key: "completed", label: "Completed", value: t.completed },
          { key: "cancelled", label: "Cancelled", value: t.cancelled }
        ]
      })
    ]
  }
})

/**
 * CO2e of the year's trips: in total, per trip taken, and per mode.
 *
 * Formula: Σ CO2e kg (actual when completed, else the estimate of approved trips); per trip =
 * Σ ÷ trips approved. Fed by `TripEvaluated`, `TripCompleted`, `TripCancelled`.
 *
 * @category models
 * @since 0.1.0
 */
export const tripEmissions = define({
  id: "trip-co2e",
  version: 1,
  title: "CO2e of official trips",
  titleSv: "CO2e från tjänsteresor",
  unit: "kg-co2e",
  formula: "Σ CO2e kg of approved or completed trips; ÷ trips approved; per mode",
  feeds: ["TripEvaluated", "TripCompleted", "TripCancelled"],
  compute: (view) => {
    const { context } = view
    const { total: t, groups: byMode } = view.trips()
    if (t.proposed === 0) return []
    return [
      value(tripEmissions, context, Share.roundHalfUp(t.co2eKg, 1), {
        breakdown: [
          { key: "per-trip", label: "Per approved trip", value: Share.ratio(t.co2eKg, t.approved, 1) },
          ...Object.entries(byMode)
            .sort()
            .map(([mode, m]) => ({
              key: `mode:${mode}`,
              label: `By ${mode}`,
              value: Share.roundHalfUp(m.co2eKg, 1)
            }))
        ]
      })
    ]
  }
})

/**
 * How much of the year's work maps to each of the actor's own goals (e.g. Luleå's nine goals):
 * trips, agreements and granted projects tagged with a goal of the scheme.
 *
 * Formula: per goal, the number of items tagged with it; headline = items with ≥ 1 goal ÷ items,
 * in percent. Needs `goalsSchemeId` in the context. Fed by `TripProposed`, `AgreementSigned`,
 * `ProjectGranted`, `ClassificationSchemeAdopted`.
 *
 * @category models
 * @since 0.1.0
 */
export const goalCoverage = define({
  id: "goal-coverage",
  version: 1,
  title: "Work mapped to the actor's goals",
  titleSv: "Arbete kopplat till egna mål",
  unit: "percent",
  formula: "items (trips, agreements, projects) tagged with ≥ 1 goal ÷ all items; items per goal",
  feeds: ["TripProposed", "AgreementSigned", "ProjectGranted", "ClassificationSchemeAdopted"],
  compute: (view) => {
    const { models, context } = view
    const scheme = context.goalsSchemeId
    if (scheme === undefined) return []
    const tagged: Array<ReadonlyArray<{ readonly schemeId: string; readonly code: string }>> = [
      ...Trips.all(models.trips, { ...filterOf(context), year: context.year }).map((t) => t.goalRefs),
      ...Agreements.all(models.agreements, filterOf(context))
        .filter((a) => a.status === "active" || a.status === "intended")
        .map((a) => a.priorityAreas.flatMap((p) => (p.ref === undefined ? [] : [p.ref]))),
      ...view.grants("project-support").map((g) => g.grant.priorityCodes)
    ]
    if (tagged.length === 0) return []
    const perGoal: Record<string, number> = {}
    for (const c of models.registry.schemes[scheme]?.categories ?? []) perGoal[c.code] = 0
    let covered = 0
    for (const refs of tagged) {
      const goals = new Set(refs.filter((r) => r.schemeId === scheme).map((r) => r.code))
      if (goals.size > 0) covered += 1
      for (const g of goals) perGoal[g] = (perGoal[g] ?? 0) + 1
    }
    return [
      value(goalCoverage, context, Share.percent(covered, tagged.length), {
        scheme,
        numerator: covered,
        denominator: tagged.length,
        rowUnit: "count",
        breakdown: Object.entries(perGoal).map(([code, n]) => ({
          key: code,
          label: RegistryModel.categoryLabel(models.registry, scheme, code),
          value: n
        }))
      })
    ]
  }
})

/**
 * Every indicator, in reporting order.
 *
 * @category models
 * @since 0.1.0
 */
export const definitions: ReadonlyArray<Definition> = [
  approvalRate,
  grantedByInstrument,
  allocationByInstrument,
  allocationByPriority,
  grantedByCategory,
  leadershipShares,
  expectedJobs,
  investmentLeverage,
  euCoFinancing,
  projectsByMainPurpose,
  activeMemberships,
  agreementsByStatus,
  tripsReplacedByDigital,
  tripEmissions,
  goalCoverage
]

/**
 * Computes every indicator of one year from the read models.
 *
 * @category constructors
 * @since 0.1.0
 */
export const computeAll = (
  models: ReadModels.ReadModelsState,
  context: Context,
  selected: ReadonlyArray<Definition> = definitions
): ReadonlyArray<IndicatorValue> => {
  const view = makeView(models, context)
  return selected.flatMap((d) => d.compute(view))
}
