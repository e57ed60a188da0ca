/**
 * The analyst's questions against a store: one year's indicators, two years side by side, and the
 * series over the years that the HTML charts draw — each with its provenance manifest.
 *
 * @since 0.1.0
 */
import {
  type EventCatalog,
  EventStore,
  type EventStoreError,
  Events,
  Projection,
  ProjectionCheckpoints
} from "@utblick/core"
import {
  type Compare,
  GrantFilter,
  RowFigures,
  type Indicator,
  type PerInhabitant,
  YearReport
} from "@utblick/indicators"
import { FundingPortfolio, Shared } from "@utblick/projections"
import { Clock, Console, Effect } from "effect"
import { Finding } from "./CliFailure.js"
import { chartYears } from "./ChartYears.js"
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
  /** Count only this actor's memberships (the municipality itself, not its companies). */
  readonly actorId?: string | undefined
  /** Population figures by tenant (from {@link populations}), for per-inhabitant rows. */
  readonly populations?: ReadonlyMap<string, ReadonlyArray<PerInhabitant.Population>> | undefined
  /** Only these grants (instrument, sector, support area, municipality of the project). */
  readonly grants?: GrantFilter.GrantFilter | undefined
}

const FILTER_FLAGS: ReadonlyArray<readonly [keyof GrantFilter.GrantFilter, string]> = [
  ["instrument", "--instrument"],
  ["sector", "--sector"],
  ["supportArea", "--support-area"],
  ["municipality", "--municipality"]
]

/**
 * The grant filter as the flags that gave it, e.g. `--sector tourism --support-area A`
 * (empty when there is none).
 *
 * @category formatting
 * @since 0.2.0
 */
export const describeFilter = (f: GrantFilter.GrantFilter | undefined): string =>
  f === undefined
    ? ""
    : FILTER_FLAGS.flatMap(([k, flag]) => (f[k] === undefined ? [] : [`${flag} ${f[k]}`])).join(" ")

/**
 * Refuses a grant filter that matches no application of the tenants (in any year), naming the
 * values that exist for each given filter — a report of nothing would look like an answer. The
 * applications come from the rows kept for the tenants and `--known-at` (`RowFigures.forEachRow`,
 * ADR 0050), or from the portfolio read model where the store keeps none.
 *
 * @category verification
 * @since 0.2.0
 */
export const checkGrantFilter = (
  query: Query,
  tenants: ReadonlyArray<string | undefined>
): Effect.Effect<void, Finding | Failures, Requirements> =>
  Effect.gen(function* () {
    const f = query.grants
    if (f === undefined || GrantFilter.isEmpty(f)) return
    // Side by side, a tenant without matching grants is a column of "–"; only a filter that
    // matches nothing anywhere is refused.
    const details: Array<string> = []
    // One pass over the log for every tenant asked about.
    const only = tenants.length === 1 ? tenants[0] : undefined
    const filter = {
      ...(only === undefined ? {} : { tenant: only }),
      ...(query.knownAt === undefined ? {} : { knownAt: query.knownAt })
    }
    // Matching and naming read only the four fields a filter compares, so one application per
    // combination of them stands for all (a handful, where the applications are many).
    const kinds = new Map<string | undefined, Map<string, FundingPortfolio.ApplicationRecord>>(
      tenants.map((t) => [t, new Map()])
    )
    const note = (tenant: string, a: FundingPortfolio.ApplicationRecord) => {
      const kind = GrantFilter.comparedKey(a)
      for (const [t, seen] of kinds)
        if ((t === undefined || t === tenant) && !seen.has(kind)) seen.set(kind, a)
    }
    // From the application rows kept for the filter (caught up, or built in segments, ADR 0050);
    // where the store keeps none, from the portfolio read model alone.
    const fromRows = yield* RowFigures.forEachRow(
      yield* EventStore.EventStore,
      yield* ProjectionCheckpoints.ProjectionCheckpoints,
      filter,
      "portfolio.applications",
      (row) => note(row.tenant, row.record as FundingPortfolio.ApplicationRecord)
    )
    if (fromRows === undefined) {
      const portfolio = (yield* Projection.run(FundingPortfolio.projection, Shared.catalog, filter)).state
      for (const a of FundingPortfolio.applications(portfolio, {})) note(a.tenant, a)
    }
    for (const tenant of tenants) {
      const seen = [...(kinds.get(tenant)?.values() ?? [])]
      if (seen.some((a) => GrantFilter.matches(f, a))) return
      const exist = GrantFilter.existingAmong(seen)
      const scope = tenant === undefined ? "the store" : tenant
      for (const [k, flag] of FILTER_FLAGS.filter(([k]) => f[k] !== undefined)) {
        details.push(
          exist[k].length === 0
            ? `  ${flag} in ${scope}: no application records one`
            : `  ${flag} in ${scope}: ${exist[k].join(", ")}`
        )
      }
    }
    const named = tenants.filter((t): t is string => t !== undefined)
    return yield* new Finding({
      problem: `no grants of ${named.length === 0 ? "the store" : named.join(", ")} match ${describeFilter(f)}`,
      details,
      hint: "give one of the values above (the values that exist among the applications), or drop the filter"
    })
  })

/**
 * {@link checkGrantFilter} once the reports are computed: a report with a value under the filter
 * shows that some grant matches, so the applications are read to name the values that exist only
 * when every report is empty (a report of a valid filter never reads them).
 *
 * @category verification
 * @since 0.3.0
 */
export const checkGrantFilterAfter = (
  query: Query,
  tenants: ReadonlyArray<string | undefined>,
  reports: ReadonlyArray<{ readonly values: ReadonlyArray<unknown> }>
): Effect.Effect<void, Finding | Failures, Requirements> =>
  reports.some((r) => r.values.length > 0) ? Effect.void : checkGrantFilter(query, tenants)

/**
 * The query with the population figures of its tenants read from the store.
 *
 * @category constructors
 * @since 0.2.0
 */
export const withPopulations = (
  query: Query,
  tenants: ReadonlyArray<string>
): Effect.Effect<Query, EventStoreError.EventStoreError, EventStore.EventStore> =>
  Effect.map(populations(tenants, query.knownAt), (found) => ({ ...query, populations: found }))

// The population figures a result used, for its manifest.
const populationsUsed = (query: Query, tenants: ReadonlyArray<string>, years: ReadonlyArray<number>) =>
  tenants.flatMap((tenant) =>
    (query.populations?.get(tenant) ?? [])
      .filter((p) => years.includes(p.year))
      .map((p) => ({ tenant, ...p }))
  )

// The report options every computation shares, for one tenant.
const optionsOf = (query: Query, tenant: string | undefined) => {
  const populations = tenant === undefined ? undefined : query.populations?.get(tenant)
  return {
    ...(tenant === undefined ? {} : { tenant }),
    ...(query.knownAt === undefined ? {} : { knownAt: query.knownAt }),
    ...(query.actorId === undefined ? {} : { actorId: query.actorId }),
    ...(populations === undefined ? {} : { populations }),
    ...(query.grants === undefined || GrantFilter.isEmpty(query.grants) ? {} : { grants: query.grants })
  }
}

/**
 * The population figures recorded for each tenant (`PopulationRecorded` in its statistics
 * stream), as known at `knownAt`: per year the latest figure recorded (a revision replaces the
 * first count). Tenants without figures are absent.
 *
 * @category utils
 * @since 0.2.0
 */
export const populations = (
  tenants: ReadonlyArray<string>,
  knownAt: string | undefined
): Effect.Effect<
  ReadonlyMap<string, ReadonlyArray<PerInhabitant.Population>>,
  EventStoreError.EventStoreError,
  EventStore.EventStore
> =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const found = new Map<string, ReadonlyArray<PerInhabitant.Population>>()
    for (const tenant of tenants) {
      const byYear = new Map<number, PerInhabitant.Population>()
      for (const e of yield* store.readStream(Events.Statistics.statisticsStreamId(tenant))) {
        if (e.type !== "PopulationRecorded" || e.tenant !== tenant) continue
        if (knownAt !== undefined && e.recordedAt > knownAt) continue
        const p = e.payload as {
          readonly year: number
          readonly inhabitants: number
          readonly source: string
        }
        byYear.set(p.year, { year: p.year, inhabitants: p.inhabitants, source: p.source })
      }
      if (byYear.size > 0)
        found.set(
          tenant,
          [...byYear.values()].sort((a, b) => a.year - b.year)
        )
    }
    return found
  })

/**
 * One year's indicators with the series for charts and the manifest.
 *
 * @category models
 * @since 0.1.0
 */
export interface YearResult {
  readonly kind: "report"
  readonly report: YearReport.YearFigures
  readonly series: ReadonlyArray<YearReport.YearFigures>
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
  readonly reports: readonly [YearReport.YearFigures, YearReport.YearFigures]
  readonly series: ReadonlyArray<YearReport.YearFigures>
  readonly manifest: Provenance.Manifest
}

/**
 * Indicators over many years, each year as of its own end, with the manifest.
 *
 * @category models
 * @since 0.2.0
 */
export interface TrendResult {
  readonly kind: "trend"
  readonly years: ReadonlyArray<number>
  /** Set when the columns are tenants side by side (one year each) rather than years. */
  readonly tenants?: ReadonlyArray<string>
  readonly reports: ReadonlyArray<YearReport.YearFigures>
  readonly manifest: Provenance.Manifest
}

type Requirements = EventStore.EventStore
type Failures = EventStoreError.EventStoreError | EventCatalog.EventDecodeError

const schemesOf = (values: ReadonlyArray<Indicator.IndicatorValue>) =>
  values.flatMap((v) => (v.scheme === undefined ? [] : [v.scheme]))

// Every year of the series from ONE pass over the log (each year folded as of its own end).
const seriesFor = (years: ReadonlyArray<number>, query: Query) =>
  YearReport.figuresForYears(years, optionsOf(query, query.tenant))

const checkpointFor = (store: string, size: number, origin: string): Provenance.Manifest["checkpoint"] => {
  const latest = Sidecar.latestCheckpoint(store, origin)
  if (latest === undefined) return null
  const [, sizeLine, root] = latest.note.split("\n")
  return Number(sizeLine) === size && root !== undefined ? { file: latest.name, size, root } : null
}

/**
 * Refuses reports in which no indicator has a value (the year lies within the data but nothing
 * was recorded for it). With several years, only when every one is empty; the empty ones among
 * others are named on stderr, and their columns show "–".
 *
 * @category verification
 * @since 0.2.0
 */
export const checkNotEmpty = (
  reports: ReadonlyArray<YearReport.YearFigures>,
  tenant: string | undefined
): Effect.Effect<void, Finding> => {
  const empty = reports.filter((r) => r.values.length === 0).map((r) => r.year)
  const scope = tenant === undefined ? "" : ` (tenant ${tenant})`
  if (empty.length === 0) return Effect.void
  if (empty.length < reports.length) {
    return Console.error(
      `note: no indicator has a value for ${empty.join(", ")}${scope}; shown as – (no data)`
    )
  }
  return Effect.fail(
    new Finding({
      problem: `no indicator has a value for ${empty.join(", ")}${scope}: nothing recorded counts towards ${empty.length === 1 ? "that year" : "those years"}`,
      hint: "check the year and --tenant; `utblick status` shows what the store holds"
    })
  )
}

/**
 * Side by side: refuses a year in which no tenant has any indicator value, and names on stderr
 * the tenants that have none (their columns show "–").
 *
 * @category verification
 * @since 0.2.0
 */
export const checkNotEmptyTenants = (
  reports: ReadonlyArray<YearReport.YearFigures>,
  tenants: ReadonlyArray<string>,
  year: number
): Effect.Effect<void, Finding> => {
  const empty = tenants.filter((_, i) => (reports[i]?.values.length ?? 0) === 0)
  if (empty.length === 0) return Effect.void
  if (empty.length < tenants.length) {
    return Console.error(
      `note: no indicator has a value for ${empty.join(", ")} in ${year}; shown as – (no data)`
    )
  }
  return Effect.fail(
    new Finding({
      problem: `no indicator has a value for ${year} for any of ${tenants.join(", ")}: nothing recorded counts towards that year`,
      hint: "check the year and --tenant; `utblick status` shows what the store holds"
    })
  )
}

/**
 * The current calendar year (UTC), from the Clock.
 *
 * @category getters
 * @since 0.2.0
 */
export const currentYear: Effect.Effect<number> = Effect.map(Clock.currentTimeMillis, (ms) =>
  new Date(ms).getUTCFullYear()
)

const nowIso = Effect.map(Clock.currentTimeMillis, (ms) => new Date(ms).toISOString())

/**
 * Computes one year's report.
 *
 * @category indicators
 * @since 0.1.0
 */
export const report = (
  year: number,
  query: Query,
  options: { readonly withSeries?: boolean } = {}
): Effect.Effect<YearResult, Failures, Requirements> =>
  Effect.gen(function* () {
    const years =
      options.withSeries === true ? yield* chartYears(query.tenant, query.knownAt, year - 24, year) : []
    // The report (as of `--as-of`, if given) and the series (each year as of its own end) in one
    // call, so that the rows of every time filter they need are built in one read of the log.
    const shared = optionsOf(query, query.tenant)
    const [report, ...series] = (yield* YearReport.figuresForRequests([
      { year, ...shared, ...(query.asOf === undefined ? {} : { asOf: query.asOf }) },
      ...(years.includes(year) ? years : [...years, year]).map((y) => ({ year: y, ...shared }))
    ])) as readonly [YearReport.YearFigures, ...Array<YearReport.YearFigures>]
    const log = yield* Provenance.logState(report.position)
    return {
      kind: "report" as const,
      report,
      series,
      manifest: Provenance.make({
        location: query.store,
        log,
        checkpoint: checkpointFor(query.store, log.size, log.origin),
        years: [year],
        tenant: query.tenant,
        asOf: report.asOf,
        knownAt: query.knownAt,
        grants: query.grants,
        registry: report.registry,
        schemesUsed: schemesOf(report.values),
        populations: populationsUsed(query, query.tenant === undefined ? [] : [query.tenant], [year]),
        now: yield* nowIso
      })
    }
  })

/**
 * Compares two years.
 *
 * @category indicators
 * @since 0.1.0
 */
export const compare = (
  years: readonly [number, number],
  query: Query,
  options: { readonly withSeries?: boolean } = {}
): Effect.Effect<CompareResult, Failures, Requirements> =>
  Effect.gen(function* () {
    const result = yield* YearReport.compare(years, optionsOf(query, query.tenant))
    const [lo, hi] = years[0] <= years[1] ? years : [years[1], years[0]]
    const between = options.withSeries === true ? yield* chartYears(query.tenant, query.knownAt, lo, hi) : []
    const seriesYears = [...new Set([...between, ...years])].sort((a, b) => a - b)
    const series = yield* seriesFor(seriesYears, query)
    const position = Math.max(result.reports[0].position, result.reports[1].position)
    const log = yield* Provenance.logState(position)
    return {
      kind: "compare" as const,
      comparison: {
        years: result.years,
        rows: result.rows,
        mappings: result.mappings,
        notComparable: result.notComparable
      },
      reports: result.reports,
      series,
      manifest: Provenance.make({
        location: query.store,
        log,
        checkpoint: checkpointFor(query.store, log.size, log.origin),
        years: [years[0], years[1]],
        tenant: query.tenant,
        asOf: undefined,
        knownAt: query.knownAt,
        grants: query.grants,
        registry: result.reports[1].registry,
        schemesUsed: [...schemesOf(result.reports[0].values), ...schemesOf(result.reports[1].values)],
        mappings: result.mappings,
        populations: populationsUsed(query, query.tenant === undefined ? [] : [query.tenant], years),
        now: yield* nowIso
      })
    }
  })

/**
 * Computes every indicator for each of the given years, in one pass over the log.
 *
 * @category indicators
 * @since 0.2.0
 */
export const trend = (
  years: ReadonlyArray<number>,
  query: Query
): Effect.Effect<TrendResult, Failures, Requirements> =>
  Effect.gen(function* () {
    const sorted = [...new Set(years)].sort((a, b) => a - b)
    const reports = yield* seriesFor(sorted, query)
    const position = Math.max(0, ...reports.map((r) => r.position))
    const log = yield* Provenance.logState(position)
    const last = reports[reports.length - 1]
    return {
      kind: "trend" as const,
      years: sorted,
      reports,
      manifest: Provenance.make({
        location: query.store,
        log,
        checkpoint: checkpointFor(query.store, log.size, log.origin),
        years: sorted,
        tenant: query.tenant,
        asOf: undefined,
        knownAt: query.knownAt,
        grants: query.grants,
        populations: populationsUsed(query, query.tenant === undefined ? [] : [query.tenant], sorted),
        registry: last === undefined ? { schemes: {}, mappings: {} } : last.registry,
        schemesUsed: reports.flatMap((r) => schemesOf(r.values)),
        now: yield* nowIso
      })
    }
  })

/**
 * Computes one year's indicators for several tenants side by side (what Kolada gives: the same
 * figures for several municipalities or regions), in one pass over the log.
 *
 * @category utils
 * @since 0.2.0
 */
export const acrossTenants = (
  year: number,
  tenants: ReadonlyArray<string>,
  query: Query
): Effect.Effect<TrendResult, Failures, Requirements> =>
  Effect.gen(function* () {
    const reports = yield* YearReport.figuresForRequests(
      tenants.map((tenant) => ({
        year,
        ...optionsOf(query, tenant),
        ...(query.asOf === undefined ? {} : { asOf: query.asOf })
      }))
    )
    const position = Math.max(0, ...reports.map((r) => r.position))
    const log = yield* Provenance.logState(position)
    const first = reports[0]
    return {
      kind: "trend" as const,
      years: [year],
      tenants,
      reports,
      manifest: Provenance.make({
        location: query.store,
        log,
        checkpoint: checkpointFor(query.store, log.size, log.origin),
        years: [year],
        tenant: tenants.join(","),
        asOf: query.asOf,
        knownAt: query.knownAt,
        grants: query.grants,
        populations: populationsUsed(query, tenants, [year]),
        registry: first === undefined ? { schemes: {}, mappings: {} } : first.registry,
        schemesUsed: reports.flatMap((r) => schemesOf(r.values)),
        now: yield* nowIso
      })
    }
  })
