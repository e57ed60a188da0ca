/**
 * Indicators computed against a store: one year at a time, on either clock, and the comparison
 * of two years — what analysts run.
 *
 * @since 0.1.0
 */
import { type EventCatalog, EventStore, type EventStoreError, ProjectionCheckpoints } from "@utblick/core"
import { ReadModels } from "@utblick/projections"
import { Effect } from "effect"
import * as Compare from "./Compare.js"
import * as GrantFilter from "./GrantFilter.js"
import * as Indicator from "./Indicator.js"
import * as PerInhabitant from "./PerInhabitant.js"
import * as PersistedFigures from "./PersistedFigures.js"
import * as RowFigures from "./RowFigures.js"

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
 * A year's indicators and the classifications they refer to: what a report shows, without the
 * read models (see {@link figures}, which answers these from persisted figures when it can).
 *
 * @category models
 * @since 0.2.0
 */
export interface YearFigures {
  readonly year: number
  readonly asOf: string
  readonly knownAt: string | null
  readonly tenant: string | null
  /** The next log position after the last event read: the report covers positions below it. */
  readonly position: number
  readonly values: ReadonlyArray<Indicator.IndicatorValue>
  /** The classification schemes and mappings as known for this report (scheme names, mappings). */
  readonly registry: PersistedFigures.Classifications
}

/**
 * A year's indicators and what they were computed from.
 *
 * @category models
 * @since 0.1.0
 */
export interface YearIndicators extends YearFigures {
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
  Effect.map(computeRequests(requests), (computed) =>
    computed.map(({ request, figure, position, models }) => ({
      ...withPopulations(request, figure, position),
      models
    }))
  )

const asOfOf = (request: ReportRequest) => request.asOf ?? `${request.year}-12-31`

// The grant filter in effect: none when no field is given (`GrantFilter.isEmpty` takes `undefined`
// as empty too).
const grantsOf = (request: ReportRequest): GrantFilter.GrantFilter | undefined =>
  GrantFilter.isEmpty(request.grants) ? undefined : request.grants

const figureRequestOf = (request: ReportRequest): PersistedFigures.FigureRequest => ({
  year: request.year,
  asOf: asOfOf(request),
  knownAt: request.knownAt,
  tenant: request.tenant,
  goalsSchemeId: request.goalsSchemeId,
  actorId: request.actorId,
  grants: grantsOf(request)
})

// A request's values computed from its read models (without per-inhabitant rows: those come from
// population figures outside the log).
const figureOf = (request: ReportRequest, models: ReadModels.ReadModelsState): PersistedFigures.Figure => {
  const filtered = grantsOf(request)
  // The request is its own indicator context: its year, tenant, goals scheme and actor, each field
  // read on its own (a copy of those four alone would say the same twice).
  const values = Indicator.computeAll(
    filtered === undefined ? models : GrantFilter.apply(models, filtered),
    request,
    filtered === undefined ? Indicator.definitions : GrantFilter.definitionsFor(filtered)
  )
  return { values, registry: PersistedFigures.classificationsOf(models) }
}

const filtersOf = (requests: ReadonlyArray<ReportRequest>) =>
  requests.map((request) => PersistedFigures.timeFilterOf(figureRequestOf(request)))

// The read models of every request in one pass, and each request's values computed from them.
const computeRequests = (requests: ReadonlyArray<ReportRequest>) =>
  Effect.map(ReadModels.runMany(filtersOf(requests)), (snapshots) =>
    requests.map((request, i) => {
      const snapshot = snapshots[i] as (typeof snapshots)[number]
      return {
        request,
        figure: figureOf(request, snapshot.state),
        position: snapshot.position,
        models: snapshot.state
      }
    })
  )

// The same without handing out the read models: they are only lent to compute the values, so a
// long-running process keeps them live for the next report (`LiveStates`, ADR 0042). With `kept`
// (the rows headers found for the requests, ADR 0046), each request's rows are planned from the
// lent state and written while it is still lent: the plan serialises them one at a time as the
// store reads them, so the rows of a large state are never all held as bytes.
const computeFigures = (
  requests: ReadonlyArray<ReportRequest>,
  kept?: ReadonlyArray<{ readonly position: number; readonly header: Uint8Array } | undefined>
) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const checkpoints = yield* ProjectionCheckpoints.ProjectionCheckpoints
    return yield* ReadModels.runManyWithEffect(filtersOf(requests), (snapshots) =>
      Effect.gen(function* () {
        // Two requests of one time filter share its rows: the second adds its sums to the
        // first's header (the plans are written in this order).
        const planned = new Map<string, { readonly position: number; readonly header: Uint8Array }>()
        const computed: Array<{ request: ReportRequest; figure: PersistedFigures.Figure; position: number }> =
          []
        for (let i = 0; i < requests.length; i++) {
          const request = requests[i] as ReportRequest
          const snapshot = snapshots[i] as (typeof snapshots)[number]
          const figure = figureOf(request, snapshot.state)
          computed.push({ request, figure, position: snapshot.position })
          if (kept === undefined) continue
          const asked = figureRequestOf(request)
          const filter = RowFigures.keyOf(PersistedFigures.timeFilterOf(asked)).filter
          const rows = RowFigures.plan(
            asked,
            snapshot.state,
            snapshot.position,
            planned.get(filter) ?? kept[i]
          )
          planned.set(filter, { position: snapshot.position, header: rows.header })
          const hash = yield* PersistedFigures.hashBefore(store, snapshot.position).pipe(
            Effect.orElseSucceed(() => undefined)
          )
          if (hash !== undefined) yield* RowFigures.write(checkpoints, rows, snapshot.position, hash)
        }
        return computed
      })
    )
  })

const withPopulations = (
  request: ReportRequest,
  figure: PersistedFigures.Figure,
  position: number
): YearFigures => ({
  year: request.year,
  asOf: asOfOf(request),
  knownAt: request.knownAt ?? null,
  tenant: request.tenant ?? null,
  position,
  values:
    request.populations === undefined || request.populations.length === 0
      ? figure.values
      : PerInhabitant.add(
          figure.values,
          request.populations.find((p) => p.year === request.year)
        ),
  registry: figure.registry
})

/**
 * A year's figures — every indicator, without the read models — answered from a persisted figure
 * when the log has not changed in a way that counts for it (ADR 0038), else computed as
 * {@link forYear} does and saved. Equal to {@link forYear} minus `models` (property-tested).
 *
 * @category reports
 * @since 0.2.0
 */
export const figures = (
  year: number,
  options: ReportOptions = {}
): Effect.Effect<
  YearFigures,
  EventStoreError.EventStoreError | EventCatalog.EventDecodeError,
  EventStore.EventStore
> => Effect.map(figuresForRequests([{ year, ...options }]), (reports) => reports[0] as YearFigures)

/**
 * Several years' figures (see {@link figures}); the years not answered from persisted figures are
 * computed together in one pass over the log.
 *
 * @category reports
 * @since 0.2.0
 */
export const figuresForYears = (
  years: ReadonlyArray<number>,
  options: ReportOptions = {}
): Effect.Effect<
  ReadonlyArray<YearFigures>,
  EventStoreError.EventStoreError | EventCatalog.EventDecodeError,
  EventStore.EventStore
> => figuresForRequests(years.map((year) => ({ year, ...options })))

/**
 * Several reports' figures, each with its own year, clocks and tenant (see {@link figures} and
 * {@link forRequests}).
 *
 * **Details**
 *
 * With a checkpoint store (`ProjectionCheckpoints`, provided by the SQLite and PostgreSQL store
 * layers), each request first looks for its persisted figure: one small row when the log is
 * unchanged, plus a scan without decoding of the events appended since when it is not. Only the
 * requests whose figure is absent or outdated run the read models (themselves resumed from their
 * snapshots, ADR 0035); their new figures are saved.
 *
 * @category reports
 * @since 0.2.0
 */
export const figuresForRequests = (
  requests: ReadonlyArray<ReportRequest>
): Effect.Effect<
  ReadonlyArray<YearFigures>,
  EventStoreError.EventStoreError | EventCatalog.EventDecodeError,
  EventStore.EventStore
> =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const checkpoints = yield* ProjectionCheckpoints.ProjectionCheckpoints
    const answers: Array<YearFigures | undefined> = []
    for (const request of requests) {
      const found = yield* PersistedFigures.lookup(store, checkpoints, figureRequestOf(request))
      answers.push(found === undefined ? undefined : withPopulations(request, found, found.position))
    }
    // Rows kept for a request's time filter catch up with the events that count, or are built in
    // segments, all the filters to build in one read (ADR 0046, 0049).
    const unanswered = requests.flatMap((_, i) => (answers[i] === undefined ? [i] : []))
    const caughtUp = yield* RowFigures.catchUpMany(
      store,
      checkpoints,
      unanswered.map((i) => figureRequestOf(requests[i] as ReportRequest))
    )
    const missing: Array<number> = []
    for (const [k, i] of unanswered.entries()) {
      const request = requests[i] as ReportRequest
      const caught = caughtUp[k]
      if (caught === undefined) {
        missing.push(i)
        continue
      }
      const figure = { values: caught.values, registry: caught.registry }
      yield* PersistedFigures.save(store, checkpoints, figureRequestOf(request), caught.position, figure)
      answers[i] = withPopulations(request, figure, caught.position)
    }
    if (missing.length > 0) {
      const rest = missing.map((i) => requests[i] as ReportRequest)
      const kept =
        checkpoints.enabled && checkpoints.rows !== undefined
          ? yield* Effect.forEach(rest, (request) => RowFigures.kept(checkpoints, figureRequestOf(request)))
          : undefined
      const computed = yield* computeFigures(rest, kept)
      for (let k = 0; k < missing.length; k++) {
        const { request, figure, position } = computed[k] as (typeof computed)[number]
        yield* PersistedFigures.save(store, checkpoints, figureRequestOf(request), position, figure)
        answers[missing[k] as number] = withPopulations(request, figure, position)
      }
    }
    return answers as ReadonlyArray<YearFigures>
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
  Compare.Comparison & { readonly reports: readonly [YearFigures, YearFigures] },
  EventStoreError.EventStoreError | EventCatalog.EventDecodeError,
  EventStore.EventStore
> =>
  Effect.gen(function* () {
    const [a, b] = (yield* figuresForYears(years, options)) as readonly [YearFigures, YearFigures]
    return {
      ...Compare.compareYears([a.values, b.values], years, b.registry),
      reports: [a, b] as const
    }
  })
