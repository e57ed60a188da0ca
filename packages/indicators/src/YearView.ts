/**
 * The per-year view cache: what every indicator of one year reads, computed at most once per year
 * and shared by all of them.
 *
 * @since 0.2.0
 */
import type { ReadModels } from "@utblick/projections"
import { FundingPortfolio, Trips } from "@utblick/projections"

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
 * The tenant part of a context as a read-model filter (none: every tenant).
 *
 * @category utils
 * @since 0.2.0
 */
export const filterOf = (context: Context): { readonly tenant?: string } =>
  context.tenant === undefined ? {} : { tenant: context.tenant }

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
