/**
 * Indicators computed against a store: one year at a time, on either clock, and the comparison
 * of two years — what analysts run.
 *
 * @since 0.1.0
 */
import type { EventCatalog, EventStore, EventStoreError } from "@utblick/core"
import { ReadModels } from "@utblick/projections"
import { Effect } from "effect"
import * as Compare from "./Compare.js"
import * as GrantFilter from "./GrantFilter.js"
import * as Indicator from "./Indicator.js"
import * as PerInhabitant from "./PerInhabitant.js"

/**
 * Options of a report.
 *
 * @category models
 * @since 0.1.0
 */
export interface ReportOptions {
  readonly tenant?: string
  /** Business time: by default the end of the year reported (`YYYY-12-31`). */
  readonly asOf?: string
  /** Transaction time: only what was recorded by this instant ("as we reported it then"). */
  readonly knownAt?: string
  readonly goalsSchemeId?: string
  readonly actorId?: string
  /**
   * The tenant's population figures (any years). When given and not empty, every amount
   * indicator gets a per-inhabitant row, "no data" in a year without a figure
   * (see {@link PerInhabitant}).
   */
  readonly populations?: ReadonlyArray<PerInhabitant.Population>
  /** Only these grants, and only the indicators computed from grants (see {@link GrantFilter}). */
  readonly grants?: GrantFilter.GrantFilter
}

/**
 * A year's indicators and what they were computed from.
 *
 * @category models
 * @since 0.1.0
 */
export interface YearIndicators {
  readonly year: number
  readonly asOf: string
  readonly knownAt: string | null
  readonly tenant: string | null
  /** The next log position after the last event read: the report covers positions below it. */
  readonly position: number
  readonly values: ReadonlyArray<Indicator.IndicatorValue>
  readonly models: ReadModels.ReadModelsState
}

/**
 * Computes every indicator of a year from the store.
 *
 * @category reports
 * @since 0.1.0
 */
export const forYear = (
  year: number,
  options: ReportOptions = {}
): Effect.Effect<
  YearIndicators,
  EventStoreError.EventStoreError | EventCatalog.EventDecodeError,
  EventStore.EventStore
> => Effect.map(forYears([year], options), (reports) => reports[0] as YearIndicators)

/**
 * Computes every indicator of several years in ONE pass over the log: each year's read models are
 * folded as of its own end (or `asOf`), side by side.
 *
 * @category reports
 * @since 0.1.0
 */
export const forYears = (
  years: ReadonlyArray<number>,
  options: ReportOptions = {}
): Effect.Effect<
  ReadonlyArray<YearIndicators>,
  EventStoreError.EventStoreError | EventCatalog.EventDecodeError,
  EventStore.EventStore
> => forRequests(years.map((year) => ({ year, ...options })))

/**
 * One report to compute with {@link forRequests}: a year and its own options.
 *
 * @category models
 * @since 0.1.0
 */
export interface ReportRequest extends ReportOptions {
  readonly year: number
}

/**
 * Computes several reports in ONE pass over the log, each with its own year, clocks and tenant:
 * e.g. a year as it was sealed (`knownAt` the seal) and as it is known now, side by side.
 *
 * @category reports
 * @since 0.1.0
 */
export const forRequests = (
  requests: ReadonlyArray<ReportRequest>
): Effect.Effect<
  ReadonlyArray<YearIndicators>,
  EventStoreError.EventStoreError | EventCatalog.EventDecodeError,
  EventStore.EventStore
> =>
  Effect.gen(function* () {
    const asOfOf = (request: ReportRequest) => request.asOf ?? `${request.year}-12-31`
    const snapshots = yield* ReadModels.runMany(
      requests.map((request) => ({
        asOf: asOfOf(request),
        ...(request.knownAt === undefined ? {} : { knownAt: request.knownAt }),
        ...(request.tenant === undefined ? {} : { tenant: request.tenant })
      }))
    )
    return requests.map((request, i) => {
      const snapshot = snapshots[i] as (typeof snapshots)[number]
      const filtered =
        request.grants !== undefined && !GrantFilter.isEmpty(request.grants) ? request.grants : undefined
      const computed = Indicator.computeAll(
        filtered === undefined ? snapshot.state : GrantFilter.apply(snapshot.state, filtered),
        {
          year: request.year,
          ...(request.tenant === undefined ? {} : { tenant: request.tenant }),
          ...(request.goalsSchemeId === undefined ? {} : { goalsSchemeId: request.goalsSchemeId }),
          ...(request.actorId === undefined ? {} : { actorId: request.actorId })
        },
        filtered === undefined ? Indicator.definitions : GrantFilter.definitionsFor(filtered)
      )
      const values =
        request.populations === undefined || request.populations.length === 0
          ? computed
          : PerInhabitant.add(
              computed,
              request.populations.find((p) => p.year === request.year)
            )
      return {
        year: request.year,
        asOf: asOfOf(request),
        knownAt: request.knownAt ?? null,
        tenant: request.tenant ?? null,
        position: snapshot.position,
        values,
        models: snapshot.state
      }
    })
  })

/**
 * Compares two years from the store: each year as of its own end (or as known at `knownAt`),
 * mapped across schemes with the registry as known for the later year.
 *
 * @category reports
 * @since 0.1.0
 */
export const compare = (
  years: readonly [number, number],
  options: Omit<ReportOptions, "asOf"> = {}
): Effect.Effect<
  Compare.Comparison & { readonly reports: readonly [YearIndicators, YearIndicators] },
  EventStoreError.EventStoreError | EventCatalog.EventDecodeError,
  EventStore.EventStore
> =>
  Effect.gen(function* () {
    const [a, b] = (yield* forYears(years, options)) as readonly [YearIndicators, YearIndicators]
    return {
      ...Compare.compareYears([a.values, b.values], years, b.models.registry),
      reports: [a, b] as const
    }
  })
