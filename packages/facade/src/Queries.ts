/**
 * The read side as Effects over any `EventStore`: the read models, memberships, agreements, a
 * year's portfolio and trips, indicators and year comparison, each on either clock, with query
 * options validated the way commands are (field, value, rule).
 *
 * @since 0.1.0
 */
import { type EventCatalog, type EventStore, type EventStoreError, Events, Projection } from "@utblick/core"
import { CommandInputError, showValue } from "@utblick/core/domain/Command"
import { CalendarDate } from "@utblick/core/Envelope"
import { type Compare, YearReport } from "@utblick/indicators"
import { Agreements, FundingPortfolio, Memberships, ReadModels, Shared, Trips } from "@utblick/projections"
import { Effect, Schema } from "effect"

/**
 * Which events a query counts.
 *
 * @category models
 * @since 0.1.0
 */
export interface QueryOptions {
  /** Business time: only facts dated on or before this calendar date (`YYYY-MM-DD`). */
  readonly asOf?: string
  /**
   * Transaction time: only what was recorded by this instant, written with its zone
   * (`2023-03-15T09:30:00.000Z`, `2023-03-15T10:30+01:00`); a bare date means the end of that day,
   * UTC. A time without a zone is refused: it would mean the clock of the server that reads it.
   */
  readonly knownAt?: string
  /** Only this tenant's record (e.g. `lulea-kommun`). */
  readonly tenant?: string
}

/**
 * What a read can fail with.
 *
 * @category errors
 * @since 0.1.0
 */
export type QueryFailure = CommandInputError | EventStoreError.EventStoreError | EventCatalog.EventDecodeError

const invalid = (query: string, field: string, value: unknown, rule: string) =>
  new CommandInputError({ command: query, field, value: showValue(value), rule })

const isCalendarDate = Schema.is(CalendarDate)

/**
 * Validates and normalises query options: `asOf` must be a real calendar date, `knownAt` an
 * instant with its zone or a date, meaning the end of that day in UTC (`Projection.knownAtOf`, as
 * the CLI's `--known-at`), normalised to the exact `toISOString` form the store compares with.
 *
 * @category utils
 * @since 0.1.0
 */
export const filterOf = (query: string, options: QueryOptions = {}): Effect.Effect<Projection.TimeFilter, CommandInputError> => {
  const { asOf, knownAt, tenant } = options
  if (asOf !== undefined && !isCalendarDate(asOf)) {
    return Effect.fail(invalid(query, "asOf", asOf, "asOf must be a calendar date written YYYY-MM-DD"))
  }
  const known = typeof knownAt === "string" ? Projection.knownAtOf(knownAt) : undefined
  if (knownAt !== undefined && known === undefined) {
    return Effect.fail(
      invalid(
        query,
        "knownAt",
        knownAt,
        "knownAt must be an instant with its zone (2023-03-15T09:30:00.000Z, 2023-03-15T10:30+01:00) or a date YYYY-MM-DD"
      )
    )
  }
  if (tenant !== undefined && (typeof tenant !== "string" || tenant.trim() === "")) {
    return Effect.fail(invalid(query, "tenant", tenant, "tenant must be a non-empty string"))
  }
  return Effect.succeed({
    ...(asOf === undefined ? {} : { asOf }),
    ...(known === undefined ? {} : { knownAt: known }),
    ...(tenant === undefined ? {} : { tenant })
  })
}

/**
 * Validates a year: an integer from 1900 to 2100 (numbers or numeric strings, as they come from a
 * URL).
 *
 * @category getters
 * @since 0.1.0
 */
export const yearOf = (query: string, value: unknown, field = "year"): Effect.Effect<number, CommandInputError> => {
  const year = typeof value === "string" && /^\d{4}$/.test(value.trim()) ? Number(value) : value
  return Events.Common.isYear(year) ? Effect.succeed(year) : Effect.fail(invalid(query, field, value, Events.Common.yearRule))
}

/**
 * Every read model at once, as of the filter, with the log position it covers.
 *
 * @category projections
 * @since 0.1.0
 */
export const readModels = (
  options: QueryOptions = {}
): Effect.Effect<Projection.Snapshot<ReadModels.ReadModelsState>, QueryFailure, EventStore.EventStore> =>
  Effect.flatMap(filterOf("readModels", options), (filter) => ReadModels.run(filter))

/**
 * Memberships (with organisation names and focus areas), sorted by join date.
 *
 * @category projections
 * @since 0.1.0
 */
export const memberships = (
  options: QueryOptions & { readonly activeOnly?: boolean; readonly actorId?: string } = {}
): Effect.Effect<ReadonlyArray<Memberships.MembershipView>, QueryFailure, EventStore.EventStore> =>
  Effect.gen(function* () {
    const filter = yield* filterOf("memberships", options)
    // The filter's tenant is applied by the replay: the state holds that tenant's records only.
    const snapshot = yield* Projection.run(Memberships.projection, Shared.catalog, filter)
    const select = options.actorId === undefined ? {} : { actorId: options.actorId }
    return options.activeOnly === true
      ? Memberships.active(snapshot.state, select)
      : Memberships.all(snapshot.state, select)
  })

/**
 * Agreements, twin towns and intents, sorted by title.
 *
 * @category projections
 * @since 0.1.0
 */
export const agreements = (
  options: QueryOptions & { readonly kind?: string; readonly status?: Agreements.AgreementStatus } = {}
): Effect.Effect<ReadonlyArray<Agreements.AgreementRecord>, QueryFailure, EventStore.EventStore> =>
  Effect.gen(function* () {
    const filter = yield* filterOf("agreements", options)
    const snapshot = yield* Projection.run(Agreements.projection, Shared.catalog, filter)
    return Agreements.all(snapshot.state, {
      ...(options.kind === undefined ? {} : { kind: options.kind }),
      ...(options.status === undefined ? {} : { status: options.status })
    })
  })

/**
 * A year of the funding portfolio: appropriation, frame, and per-instrument totals (öre), plus the
 * applications granted on the year.
 *
 * @category models
 * @since 0.1.0
 */
export interface PortfolioYear extends FundingPortfolio.YearSummary {
  readonly grants: ReadonlyArray<FundingPortfolio.ApplicationRecord>
}

/**
 * The funding portfolio of one year.
 *
 * @category projections
 * @since 0.1.0
 */
export const portfolio = (
  year: number,
  options: QueryOptions = {}
): Effect.Effect<PortfolioYear, QueryFailure, EventStore.EventStore> =>
  Effect.gen(function* () {
    const y = yield* yearOf("portfolio", year)
    const filter = yield* filterOf("portfolio", options)
    const snapshot = yield* Projection.run(FundingPortfolio.projection, Shared.catalog, filter)
    return {
      ...FundingPortfolio.yearSummary(snapshot.state, y),
      grants: FundingPortfolio.applications(snapshot.state, { grantYear: y })
    }
  })

/**
 * A year of trips and their totals.
 *
 * @category models
 * @since 0.1.0
 */
export interface TripsYear {
  readonly year: number
  readonly trips: ReadonlyArray<Trips.TripRecord>
  readonly totals: Trips.TripTotals
}

/**
 * The trips of one year.
 *
 * @category projections
 * @since 0.1.0
 */
export const trips = (year: number, options: QueryOptions = {}): Effect.Effect<TripsYear, QueryFailure, EventStore.EventStore> =>
  Effect.gen(function* () {
    const y = yield* yearOf("trips", year)
    const filter = yield* filterOf("trips", options)
    const snapshot = yield* Projection.run(Trips.projection, Shared.catalog, filter)
    const select = { year: y }
    return { year: y, trips: Trips.all(snapshot.state, select), totals: Trips.totals(snapshot.state, select) }
  })

/**
 * Options of the indicator queries.
 *
 * @category models
 * @since 0.1.0
 */
export interface IndicatorOptions extends QueryOptions {
  /** The scheme whose goals the goal indicators count under (e.g. `lulea-overgripande-mal-2040`). */
  readonly goalsSchemeId?: string
}

/**
 * A year's indicators without the read models they were computed from (fetch those with
 * {@link readModels}); small enough to send over HTTP.
 *
 * @category models
 * @since 0.1.0
 */
export type YearIndicators = Omit<YearReport.YearFigures, "registry">

// The classifications stay internal (the HTTP answer stays as it was); the figures come from the
// persisted figures when the log has not changed for them (ADR 0038).
const withoutModels = ({ registry: _registry, ...rest }: YearReport.YearFigures): YearIndicators => rest

const reportOptions = (filter: Projection.TimeFilter, goalsSchemeId: string | undefined): YearReport.ReportOptions => ({
  ...filter,
  ...(goalsSchemeId === undefined ? {} : { goalsSchemeId })
})

/**
 * Every indicator of a year, by default as of the year's end.
 *
 * @category projections
 * @since 0.1.0
 */
export const indicators = (
  year: number,
  options: IndicatorOptions = {}
): Effect.Effect<YearIndicators, QueryFailure, EventStore.EventStore> =>
  Effect.gen(function* () {
    const y = yield* yearOf("indicators", year)
    const filter = yield* filterOf("indicators", options)
    return withoutModels(yield* YearReport.figures(y, reportOptions(filter, options.goalsSchemeId)))
  })

/**
 * A comparison of two years, with the two reports it was computed from.
 *
 * @category models
 * @since 0.1.0
 */
export interface Comparison extends Compare.Comparison {
  readonly reports: readonly [YearIndicators, YearIndicators]
}

/**
 * Two years side by side, each as of its own end, mapped across classification schemes where a
 * mapping is defined.
 *
 * @category projections
 * @since 0.1.0
 */
export const compare = (
  years: readonly [number, number],
  options: Omit<IndicatorOptions, "asOf"> = {}
): Effect.Effect<Comparison, QueryFailure, EventStore.EventStore> =>
  Effect.gen(function* () {
    if (!Array.isArray(years) || years.length !== 2) {
      return yield* Effect.fail(invalid("compare", "years", years, "compare takes exactly two years, e.g. [2017, 2022]"))
    }
    const a = yield* yearOf("compare", years[0], "years.0")
    const b = yield* yearOf("compare", years[1], "years.1")
    const filter = yield* filterOf("compare", options)
    const { asOf: _asOf, ...rest } = filter
    const result = yield* YearReport.compare([a, b], reportOptions(rest, options.goalsSchemeId))
    return { ...result, reports: [withoutModels(result.reports[0]), withoutModels(result.reports[1])] as const }
  })
