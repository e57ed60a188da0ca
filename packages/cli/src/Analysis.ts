/**
 * The analyst's questions against a store: one year's indicators, two years side by side, and the
 * series over the years that the HTML charts draw — each with its provenance manifest.
 *
 * @since 0.1.0
 */
import type { EventCatalog, EventStore, EventStoreError } from "@utblick/core"
import { type Compare, type Indicator, YearReport } from "@utblick/indicators"
import { Agreements, FundingPortfolio, Memberships, ReadModels, Trips } from "@utblick/projections"
import { Clock, Effect } from "effect"
import * as Provenance from "./Provenance.js"
import * as Sidecar from "./Sidecar.js"

/**
 * What a report is asked for.
 *
 * @category models
 * @since 0.1.0
 */
export interface Query {
  readonly store: string
  readonly tenant?: string | undefined
  readonly asOf?: string | undefined
  readonly knownAt?: string | undefined
}

/**
 * One year's indicators with the series for charts and the manifest.
 *
 * @category models
 * @since 0.1.0
 */
export interface YearResult {
  readonly kind: "report"
  readonly report: YearReport.YearIndicators
  readonly series: ReadonlyArray<YearReport.YearIndicators>
  readonly manifest: Provenance.Manifest
}

/**
 * Two years compared, with the series between them and the manifest.
 *
 * @category models
 * @since 0.1.0
 */
export interface CompareResult {
  readonly kind: "compare"
  readonly comparison: Compare.Comparison
  readonly reports: readonly [YearReport.YearIndicators, YearReport.YearIndicators]
  readonly series: ReadonlyArray<YearReport.YearIndicators>
  readonly manifest: Provenance.Manifest
}

type Requirements = EventStore.EventStore
type Failures = EventStoreError.EventStoreError | EventCatalog.EventDecodeError

const schemesOf = (values: ReadonlyArray<Indicator.IndicatorValue>) =>
  values.flatMap((v) => (v.scheme === undefined ? [] : [v.scheme]))

// The years worth a point on a chart: any year with grants, trips, memberships or agreements.
const dataYears = (tenant: string | undefined, knownAt: string | undefined) =>
  Effect.map(
    ReadModels.run({
      ...(tenant === undefined ? {} : { tenant }),
      ...(knownAt === undefined ? {} : { knownAt })
    }),
    (snapshot) => {
      const filter = tenant === undefined ? {} : { tenant }
      const years = new Set<number>(FundingPortfolio.years(snapshot.state.portfolio, filter))
      for (const t of Trips.all(snapshot.state.trips, filter)) years.add(t.year)
      for (const m of Memberships.all(snapshot.state.memberships, filter)) years.add(Number(m.since.slice(0, 4)))
      for (const a of Agreements.all(snapshot.state.agreements, filter)) if (a.signedYear !== null) years.add(a.signedYear)
      return [...years].filter((y) => Number.isInteger(y)).sort((a, b) => a - b)
    }
  )

// Every year of the series from ONE pass over the log (each year folded as of its own end).
const seriesFor = (years: ReadonlyArray<number>, query: Query) =>
  YearReport.forYears(years, {
    ...(query.tenant === undefined ? {} : { tenant: query.tenant }),
    ...(query.knownAt === undefined ? {} : { knownAt: query.knownAt })
  })

const checkpointFor = (store: string, size: number): Provenance.Manifest["checkpoint"] => {
  const latest = Sidecar.latestCheckpoint(store)
  if (latest === undefined) return null
  const [, sizeLine, root] = latest.note.split("\n")
  return Number(sizeLine) === size && root !== undefined ? { file: latest.name, size, root } : null
}

const nowIso = Effect.map(Clock.currentTimeMillis, (ms) => new Date(ms).toISOString())

/**
 * Computes one year's report.
 *
 * @category constructors
 * @since 0.1.0
 */
export const report = (
  year: number,
  query: Query,
  options: { readonly withSeries?: boolean } = {}
): Effect.Effect<YearResult, Failures, Requirements> =>
  Effect.gen(function* () {
    const report = yield* YearReport.forYear(year, {
      ...(query.tenant === undefined ? {} : { tenant: query.tenant }),
      ...(query.asOf === undefined ? {} : { asOf: query.asOf }),
      ...(query.knownAt === undefined ? {} : { knownAt: query.knownAt })
    })
    const years =
      options.withSeries === true
        ? (yield* dataYears(query.tenant, query.knownAt)).filter((y) => y <= year && y > year - 25)
        : []
    const series = yield* seriesFor(years.includes(year) ? years : [...years, year], query)
    const log = yield* Provenance.logState(report.position)
    return {
      kind: "report" as const,
      report,
      series,
      manifest: Provenance.make({
        location: query.store,
        log,
        checkpoint: checkpointFor(query.store, log.size),
        years: [year],
        tenant: query.tenant,
        asOf: report.asOf,
        knownAt: query.knownAt,
        registry: report.models.registry,
        schemesUsed: schemesOf(report.values),
        now: yield* nowIso
      })
    }
  })

/**
 * Compares two years.
 *
 * @category constructors
 * @since 0.1.0
 */
export const compare = (
  years: readonly [number, number],
  query: Query,
  options: { readonly withSeries?: boolean } = {}
): Effect.Effect<CompareResult, Failures, Requirements> =>
  Effect.gen(function* () {
    const result = yield* YearReport.compare(years, {
      ...(query.tenant === undefined ? {} : { tenant: query.tenant }),
      ...(query.knownAt === undefined ? {} : { knownAt: query.knownAt })
    })
    const [lo, hi] = years[0] <= years[1] ? years : [years[1], years[0]]
    const between =
      options.withSeries === true ? (yield* dataYears(query.tenant, query.knownAt)).filter((y) => y >= lo && y <= hi) : []
    const seriesYears = [...new Set([...between, ...years])].sort((a, b) => a - b)
    const series = yield* seriesFor(seriesYears, query)
    const position = Math.max(result.reports[0].position, result.reports[1].position)
    const log = yield* Provenance.logState(position)
    return {
      kind: "compare" as const,
      comparison: { years: result.years, rows: result.rows, mappings: result.mappings, notComparable: result.notComparable },
      reports: result.reports,
      series,
      manifest: Provenance.make({
        location: query.store,
        log,
        checkpoint: checkpointFor(query.store, log.size),
        years: [years[0], years[1]],
        tenant: query.tenant,
        asOf: undefined,
        knownAt: query.knownAt,
        registry: result.reports[1].models.registry,
        schemesUsed: [...schemesOf(result.reports[0].values), ...schemesOf(result.reports[1].values)],
        mappings: result.mappings,
        now: yield* nowIso
      })
    }
  })
