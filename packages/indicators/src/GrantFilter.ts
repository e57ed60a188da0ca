/**
 * Narrowing the funding indicators to some of the grants: by instrument, by the business-support
 * sector or support area, or by the municipality of the project (the applicant's). Kolada-style
 * questions such as "business support to tourism in support area A" or "what went to Kiruna".
 *
 * **What a filtered report shows.** Only the indicators computed from applications and grants:
 * the approval rate (not with `sector` or `supportArea`, which only grants record, so a rejected
 * application could not be placed and the rate would be 100 %), granted money, classifications,
 * leadership, jobs, leverage, EU co-financing and main purposes. The board's allocation frames
 * are budgets, not applications, and memberships, agreements and trips have no grant to filter:
 * they are left out rather than shown unfiltered beside filtered figures (ADR 0022).
 *
 * @since 0.2.0
 */
import { FundingPortfolio, type ReadModels } from "@utblick/projections"
import * as Indicator from "./Indicator.js"

/**
 * A filter on grants; every given field must match.
 *
 * @category models
 * @since 0.2.0
 */
export interface GrantFilter {
  readonly instrument?: string | undefined
  readonly sector?: string | undefined
  readonly supportArea?: string | undefined
  /** The applicant's municipality as the application gives it, compared case-insensitively. */
  readonly municipality?: string | undefined
}

/**
 * True when no field is given.
 *
 * @category guards
 * @since 0.2.0
 */
export const isEmpty = (f: GrantFilter | undefined): boolean =>
  f === undefined ||
  (f.instrument === undefined &&
    f.sector === undefined &&
    f.supportArea === undefined &&
    f.municipality === undefined)

/**
 * Whether one application matches the filter.
 *
 * @category guards
 * @since 0.2.0
 */
export const matches = (f: GrantFilter, a: FundingPortfolio.ApplicationRecord): boolean =>
  (f.instrument === undefined || a.instrument === f.instrument) &&
  (f.sector === undefined || a.grant?.sector === f.sector) &&
  (f.supportArea === undefined || a.grant?.supportArea === f.supportArea) &&
  (f.municipality === undefined ||
    (a.applicantMunicipality !== null &&
      a.applicantMunicipality.toLowerCase() === f.municipality.toLowerCase()))

/**
 * The read models with only the matching applications and no budgets (see the module notes).
 *
 * @category combinators
 * @since 0.2.0
 */
export const apply = (models: ReadModels.ReadModelsState, f: GrantFilter): ReadModels.ReadModelsState => {
  const applications = new Map<string, Map<string, FundingPortfolio.ApplicationRecord>>()
  for (const [tenant, ofTenant] of models.portfolio.applications) {
    const kept = new Map([...ofTenant].filter(([, a]) => matches(f, a)))
    if (kept.size > 0) applications.set(tenant, kept)
  }
  return { ...models, portfolio: { applications, budgets: new Map() } }
}

/**
 * The indicators a filtered report computes.
 *
 * @category definitions
 * @since 0.2.0
 */
export const definitionsFor = (f: GrantFilter): ReadonlyArray<Indicator.Definition> => [
  ...(f.sector === undefined && f.supportArea === undefined ? [Indicator.approvalRate] : []),
  Indicator.grantedByInstrument,
  Indicator.grantedByCategory,
  Indicator.leadershipShares,
  Indicator.expectedJobs,
  Indicator.investmentLeverage,
  Indicator.euCoFinancing,
  Indicator.projectsByMainPurpose
]

/**
 * The values each filter field takes among some applications, sorted (see {@link existing}).
 *
 * @category models
 * @since 0.3.0
 */
export interface Existing {
  readonly instrument: ReadonlyArray<string>
  readonly sector: ReadonlyArray<string>
  readonly supportArea: ReadonlyArray<string>
  readonly municipality: ReadonlyArray<string>
}

/**
 * The values each filter field takes among a tenant's applications (granted ones for sector and
 * support area), sorted: what to name when a filter matches nothing.
 *
 * @category getters
 * @since 0.2.0
 */
export const existing = (portfolio: FundingPortfolio.PortfolioState, tenant: string | undefined): Existing =>
  existingAmong(FundingPortfolio.applications(portfolio, tenant === undefined ? {} : { tenant }))

/**
 * The four fields of an application a filter compares (instrument, sector, support area,
 * municipality) as one key: applications of one key match the same filters and name the same
 * values ({@link existingAmong}), so a reader that sees many keeps one per key.
 *
 * @category getters
 * @since 0.3.0
 */
export const comparedKey = (a: FundingPortfolio.ApplicationRecord): string =>
  JSON.stringify([
    a.instrument,
    a.grant?.sector ?? null,
    a.grant?.supportArea ?? null,
    a.applicantMunicipality
  ])

/**
 * The values each filter field takes among `applications` (see {@link existing}): what a reader
 * that sees the applications one at a time (kept rows, say) names.
 *
 * @category getters
 * @since 0.3.0
 */
export const existingAmong = (applications: Iterable<FundingPortfolio.ApplicationRecord>): Existing => {
  const sets = {
    instrument: new Set<string>(),
    sector: new Set<string>(),
    supportArea: new Set<string>(),
    municipality: new Set<string>()
  }
  for (const a of applications) {
    sets.instrument.add(a.instrument)
    if (a.grant?.sector != null) sets.sector.add(a.grant.sector)
    if (a.grant?.supportArea != null) sets.supportArea.add(a.grant.supportArea)
    if (a.applicantMunicipality !== null) sets.municipality.add(a.applicantMunicipality)
  }
  const sorted = (s: Set<string>) => [...s].sort((x, y) => x.localeCompare(y, "sv"))
  return {
    instrument: sorted(sets.instrument),
    sector: sorted(sets.sector),
    supportArea: sorted(sets.supportArea),
    municipality: sorted(sets.municipality)
  }
}
