/**
 * The funding portfolio read model: every application with its whole state (assessment, grant,
 * amendments, payments, recoveries, reports, closure) and every year's budget (appropriation and
 * the board's allocation frame). Year totals per instrument and per classification are computed
 * from the applications on demand, so they always add up: the sum over categories is the total.
 *
 * **Year of a figure.** Applications count in the year they were received; grants, their
 * payments and recoveries in the budget year the grant is charged to; rejections in the year
 * they were decided.
 *
 * @since 0.1.0
 */
import { Events, Projection } from "@utblick/core"
import { type ByTenant, type Event, entities, entity, entityOrNew, putEntity, type TenantFilter, tenantMaps, yearOf } from "./Shared.js"

/**
 * The three instruments of anslag 1:1.
 *
 * @category models
 * @since 0.1.0
 */
export type Instrument = Events.Funding.Instrument

/**
 * The instruments in reporting order.
 *
 * @category getters
 * @since 0.1.0
 */
export const instruments: ReadonlyArray<Instrument> = ["project-support", "business-support", "commercial-service"]

/**
 * The decision on an application and the details that indicators read.
 *
 * @category models
 * @since 0.1.0
 */
export interface GrantRecord {
  readonly year: number
  readonly regionId: string
  /** The current amount, after amendments (öre). */
  amount: number
  readonly originalAmount: number
  readonly decidedOn: string
  readonly decidingBody: string
  readonly decisionRef: string | null
  readonly priorityCodes: ReadonlyArray<{ readonly schemeId: string; readonly code: string }>
  readonly smartSpecialisationCodes: ReadonlyArray<{ readonly schemeId: string; readonly code: string }>
  readonly mainPurpose: string | null
  readonly euSource: string | null
  /** Share of the support financed by the EU, in whole percent, when co-financed. */
  readonly euRatePercent: number | null
  readonly leadership: string | null
  readonly sector: string | null
  readonly supportArea: string | null
  readonly supportType: string | null
  readonly establishment: string | null
  /** The firm's total investment (öre), for business support. */
  readonly investment: number
  readonly expectedJobsWomen: number
  readonly expectedJobsMen: number
}

/**
 * One application and everything that happened to it.
 *
 * @category models
 * @since 0.1.0
 */
export interface ApplicationRecord {
  readonly tenant: string
  readonly applicationId: string
  regionId: string
  instrument: Instrument
  applicantName: string
  /** The applicant's municipality, when the application gives it (the project's municipality). */
  applicantMunicipality: string | null
  title: string
  amountApplied: number
  receivedOn: string | null
  status: "received" | "assessed" | "granted" | "rejected" | "closed"
  assessment: { readonly recommendation: string; readonly criteria: Readonly<Record<string, string>> } | null
  grant: GrantRecord | null
  rejection: { readonly reason: string; readonly decidedOn: string; readonly decidingBody: string } | null
  paid: number
  recovered: number
  payments: number
  reports: number
  closedOutcome: string | null
}

/**
 * One year's budget of one region.
 *
 * @category models
 * @since 0.1.0
 */
export interface BudgetRecord {
  readonly tenant: string
  readonly regionId: string
  readonly year: number
  appropriation: number
  appropriationName: string | null
  frame: {
    readonly projectSupport: number
    readonly businessSupport: number
    readonly commercialService: number
    readonly byPriority: ReadonlyArray<{ readonly ref: { readonly schemeId: string; readonly code: string }; readonly amount: number }>
    readonly decidingBody: string
  } | null
}

/**
 * The portfolio state.
 *
 * @category models
 * @since 0.1.0
 */
export interface PortfolioState {
  /** By tenant, then by application id. */
  readonly applications: ByTenant<ApplicationRecord>
  /** By tenant, then by `regionId|year`. */
  readonly budgets: ByTenant<BudgetRecord>
}

const emptyApplication = (tenant: string, applicationId: string): ApplicationRecord => ({
  tenant,
  applicationId,
  regionId: "",
  instrument: "project-support",
  applicantName: "",
  applicantMunicipality: null,
  title: "",
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
  closedOutcome: null
})

const budgetOf = (state: PortfolioState, tenant: string, regionId: string, year: number): BudgetRecord => {
  const key = `${regionId}|${year}`
  let budget = entity(state.budgets, tenant, key)
  if (budget === undefined) {
    budget = { tenant, regionId, year, appropriation: 0, appropriationName: null, frame: null }
    putEntity(state.budgets, tenant, key, budget)
  }
  return budget
}

type GrantEvent = Events.Funding.GrantEvent

const grantRecord = (event: GrantEvent, decidedOn: string, decisionRef: string | null): GrantRecord => ({
  year: event.year,
  regionId: event.regionId,
  amount: event.amount,
  originalAmount: event.amount,
  decidedOn,
  decidingBody: event.decidingBody,
  decisionRef,
  priorityCodes: event._tag === "ProjectGranted" ? event.priorityCodes : [],
  smartSpecialisationCodes: event._tag === "ProjectGranted" ? event.smartSpecialisationCodes : [],
  mainPurpose: event._tag === "ProjectGranted" ? event.mainPurpose : null,
  euSource:
    event._tag === "ProjectGranted"
      ? (event.euProgramme?.source ?? null)
      : event._tag === "BusinessSupportGranted"
        ? (event.euCoFinancing?.source ?? null)
        : null,
  euRatePercent: event._tag === "BusinessSupportGranted" ? (event.euCoFinancing?.ratePercent ?? null) : null,
  leadership: event._tag === "BusinessSupportGranted" ? event.leadership : null,
  sector: event._tag === "BusinessSupportGranted" ? event.sector : null,
  supportArea: event._tag === "BusinessSupportGranted" ? event.supportArea : null,
  supportType: event._tag === "ProjectGranted" ? null : event.supportType,
  establishment: event._tag === "CommercialServiceSupportGranted" ? event.establishment : null,
  investment: event._tag === "BusinessSupportGranted" ? event.investment : 0,
  expectedJobsWomen: event._tag === "BusinessSupportGranted" ? event.expectedJobsWomen : 0,
  expectedJobsMen: event._tag === "BusinessSupportGranted" ? event.expectedJobsMen : 0
})

/**
 * The funding portfolio projection.
 *
 * @category projections
 * @since 0.1.0
 */
export const projection = Projection.make<PortfolioState, Event>({
  name: "funding-portfolio",
  // v2: applications keep the applicant's municipality.
  version: 2,
  handles: [
    "AppropriationAllotted",
    "AllocationFramed",
    "ApplicationReceived",
    "ApplicationAssessed",
    "ProjectGranted",
    "BusinessSupportGranted",
    "CommercialServiceSupportGranted",
    "ApplicationRejected",
    "GrantAmended",
    "PaymentDisbursed",
    "GrantRecovered",
    "ProjectReported",
    "ProjectClosed"
  ],
  initialState: () => ({ applications: new Map(), budgets: new Map() }),
  evolve: (state, event, envelope) => {
    const tenant = envelope.tenant
    switch (event._tag) {
      case "AppropriationAllotted": {
        const budget = budgetOf(state, tenant, event.regionId, event.year)
        // A second allotment for the same year is a top-up: it adds to the frame.
        budget.appropriation += event.amount
        budget.appropriationName = event.appropriationName
        return state
      }
      case "AllocationFramed": {
        budgetOf(state, tenant, event.regionId, event.year).frame = {
          projectSupport: event.projectSupport,
          businessSupport: event.businessSupport,
          commercialService: event.commercialService,
          byPriority: event.byPriority,
          decidingBody: event.decidingBody
        }
        return state
      }
      case "ApplicationReceived": {
        const record = entityOrNew(state.applications, tenant, event.applicationId, emptyApplication)
        record.regionId = event.regionId
        record.instrument = event.instrument
        record.applicantName = event.applicant.name
        record.applicantMunicipality = event.applicant.municipality ?? null
        record.title = event.title
        record.amountApplied = event.amountApplied
        record.receivedOn = event.receivedOn
        return state
      }
      case "ApplicationAssessed": {
        const record = entity(state.applications, tenant, event.applicationId)
        if (record === undefined) return state
        // Decoded events are immutable: the record may share their parts.
        record.assessment = { recommendation: event.recommendation, criteria: event.criteria }
        if (record.status === "received") record.status = "assessed"
        return state
      }
      case "ProjectGranted":
      case "BusinessSupportGranted":
      case "CommercialServiceSupportGranted": {
        const record = entityOrNew(state.applications, tenant, event.applicationId, emptyApplication)
        record.regionId = event.regionId
        record.instrument = Events.Funding.instrumentOfGrant(event)
        if (event._tag === "ProjectGranted") record.title = event.projectName
        record.grant = grantRecord(event, envelope.occurredAt, envelope.decisionRef)
        record.status = "granted"
        return state
      }
      case "ApplicationRejected": {
        const record = entityOrNew(state.applications, tenant, event.applicationId, emptyApplication)
        record.rejection = { reason: event.reason, decidedOn: envelope.occurredAt, decidingBody: event.decidingBody }
        record.status = "rejected"
        return state
      }
      case "GrantAmended": {
        const grant = entity(state.applications, tenant, event.applicationId)?.grant
        if (grant !== undefined && grant !== null) grant.amount = event.newAmount
        return state
      }
      case "PaymentDisbursed": {
        const record = entity(state.applications, tenant, event.applicationId)
        if (record === undefined) return state
        record.paid += event.amount
        record.payments += 1
        return state
      }
      case "GrantRecovered": {
        const record = entity(state.applications, tenant, event.applicationId)
        if (record !== undefined) record.recovered += event.amount
        return state
      }
      case "ProjectReported": {
        const record = entity(state.applications, tenant, event.applicationId)
        if (record !== undefined) record.reports += 1
        return state
      }
      case "ProjectClosed": {
        const record = entity(state.applications, tenant, event.applicationId)
        if (record === undefined) return state
        record.status = "closed"
        record.closedOutcome = event.outcome
        return state
      }
      default:
        return state
    }
  }
})

/**
 * Figures of one instrument (or all) in one year. Amounts are öre.
 *
 * @category models
 * @since 0.1.0
 */
export interface InstrumentTotals {
  /** Applications received in the year, and the öre they applied for. */
  applications: number
  applied: number
  /** Decisions taken on the year: grants charged to it plus rejections decided in it. */
  granted: number
  rejected: number
  grantedAmount: number
  paid: number
  recovered: number
}

const emptyTotals = (): InstrumentTotals => ({
  applications: 0,
  applied: 0,
  granted: 0,
  rejected: 0,
  grantedAmount: 0,
  paid: 0,
  recovered: 0
})

/**
 * A year of a tenant's portfolio.
 *
 * @category models
 * @since 0.1.0
 */
export interface YearSummary {
  readonly year: number
  readonly appropriation: number
  readonly frame: BudgetRecord["frame"]
  /** Appropriation minus everything granted on the year (öre); negative would mean overspending. */
  readonly remainingAppropriation: number
  readonly byInstrument: Readonly<Record<Instrument, InstrumentTotals>>
  readonly total: InstrumentTotals
}

/**
 * Applications of a tenant (or all), optionally only those with a grant in a given year.
 *
 * @category projections
 * @since 0.1.0
 */
export const applications = (
  state: PortfolioState,
  filter: TenantFilter & { readonly grantYear?: number; readonly instrument?: Instrument } = {}
): ReadonlyArray<ApplicationRecord> => {
  // A plain loop: this runs once per indicator over every application, so no intermediate arrays.
  const out: Array<ApplicationRecord> = []
  for (const ofTenant of tenantMaps(state.applications, filter.tenant)) {
    for (const a of ofTenant.values()) {
      if (
        (filter.instrument === undefined || a.instrument === filter.instrument) &&
        (filter.grantYear === undefined || a.grant?.year === filter.grantYear)
      ) {
        out.push(a)
      }
    }
  }
  return out
}

/**
 * The figures of one year, per instrument and in total.
 *
 * @category projections
 * @since 0.1.0
 */
export const yearSummary = (state: PortfolioState, year: number, filter: TenantFilter = {}): YearSummary =>
  yearOverview(state, year, filter).summary

/**
 * A year's summary and its grants, from one scan of the applications: what a year's indicators
 * read (see `YearView` in `@utblick/indicators`).
 *
 * @category models
 * @since 0.1.0
 */
export interface YearOverview {
  readonly summary: YearSummary
  /** The grants charged to the year, in the portfolio's order. */
  readonly grants: ReadonlyArray<GrantedApplication>
}

/**
 * Computes a year's {@link YearOverview} in one scan of the applications.
 *
 * @category projections
 * @since 0.1.0
 */
export const yearOverview = (state: PortfolioState, year: number, filter: TenantFilter = {}): YearOverview => {
  const byInstrument: Record<Instrument, InstrumentTotals> = {
    "project-support": emptyTotals(),
    "business-support": emptyTotals(),
    "commercial-service": emptyTotals()
  }
  const grants: Array<GrantedApplication> = []
  for (const ofTenant of tenantMaps(state.applications, filter.tenant)) {
    for (const a of ofTenant.values()) {
      const totals = byInstrument[a.instrument]
      if (a.receivedOn !== null && yearOf(a.receivedOn) === year) {
        totals.applications += 1
        totals.applied += a.amountApplied
      }
      if (a.grant !== null && a.grant.year === year) {
        totals.granted += 1
        totals.grantedAmount += a.grant.amount
        totals.paid += a.paid
        totals.recovered += a.recovered
        grants.push(a as GrantedApplication)
      }
      if (a.rejection !== null && yearOf(a.rejection.decidedOn) === year) totals.rejected += 1
    }
  }
  const total = emptyTotals()
  for (const t of Object.values(byInstrument)) {
    for (const k of Object.keys(total) as Array<keyof InstrumentTotals>) total[k] += t[k]
  }
  let appropriation = 0
  let frame: BudgetRecord["frame"] = null
  for (const b of entities(state.budgets, filter.tenant)) {
    if (b.year === year) {
      appropriation += b.appropriation
      frame = b.frame ?? frame
    }
  }
  const summary = { year, appropriation, frame, remainingAppropriation: appropriation - total.grantedAmount, byInstrument, total }
  return { summary, grants }
}

/**
 * Granted project-support öre of one year per category of one classification scheme.
 *
 * **Details**
 *
 * A grant tagged with several codes of the same scheme counts under its first (primary) code,
 * so every öre is counted exactly once per scheme; grants without a code in the scheme count as
 * `unclassified`. Hence `sum(categories) + unclassified = total`.
 *
 * @category projections
 * @since 0.1.0
 */
export const grantedByCategory = (
  state: PortfolioState,
  year: number,
  schemeId: string,
  filter: TenantFilter & { readonly instrument?: Instrument } = {}
): { readonly categories: Readonly<Record<string, number>>; readonly unclassified: number; readonly total: number } => {
  const grants = applications(state, { ...filter, grantYear: year, instrument: filter.instrument ?? "project-support" })
  return categoryTotals(grants as ReadonlyArray<GrantedApplication>, schemeId)
}

/**
 * Granted öre of some grants per category of one classification scheme, under the rule of
 * {@link grantedByCategory} (first code of the scheme; `unclassified` without one). For callers
 * that already hold a year's grants.
 *
 * @category projections
 * @since 0.1.0
 */
export const categoryTotals = (
  grants: ReadonlyArray<GrantedApplication>,
  schemeId: string
): { readonly categories: Readonly<Record<string, number>>; readonly unclassified: number; readonly total: number } => {
  const categories: Record<string, number> = {}
  let unclassified = 0
  let total = 0
  for (const { grant } of grants) {
    total += grant.amount
    const code = (
      grant.priorityCodes.find((c) => c.schemeId === schemeId) ??
      grant.smartSpecialisationCodes.find((c) => c.schemeId === schemeId)
    )?.code
    if (code === undefined) unclassified += grant.amount
    else categories[code] = (categories[code] ?? 0) + grant.amount
  }
  return { categories, unclassified, total }
}

/**
 * The grants of one year (optionally of one instrument), for indicators that read their details.
 *
 * @category projections
 * @since 0.1.0
 */
export const grantsOfYear = (
  state: PortfolioState,
  year: number,
  filter: TenantFilter & { readonly instrument?: Instrument } = {}
): ReadonlyArray<GrantedApplication> => applications(state, { ...filter, grantYear: year }) as ReadonlyArray<GrantedApplication>

/**
 * An application that has a grant.
 *
 * @category models
 * @since 0.1.0
 */
export type GrantedApplication = ApplicationRecord & { readonly grant: GrantRecord }

/**
 * The years that have any budget, application or decision, ascending.
 *
 * @category projections
 * @since 0.1.0
 */
export const years = (state: PortfolioState, filter: TenantFilter = {}): ReadonlyArray<number> => {
  const found = new Set<number>()
  for (const b of entities(state.budgets, filter.tenant)) found.add(b.year)
  for (const a of applications(state, filter)) for (const year of applicationYears(a)) found.add(year)
  return [...found].sort((a, b) => a - b)
}

/**
 * The years an application counts in: the year it was received, the year of its grant and the
 * year it was rejected (those it has). What {@link years} gathers per application, for a caller
 * that reads applications one at a time (from rows, say).
 *
 * @category projections
 * @since 0.3.0
 */
export const applicationYears = (a: ApplicationRecord): ReadonlyArray<number> => [
  ...(a.receivedOn === null ? [] : [yearOf(a.receivedOn)]),
  ...(a.grant === null ? [] : [a.grant.year]),
  ...(a.rejection === null ? [] : [yearOf(a.rejection.decidedOn)])
]
