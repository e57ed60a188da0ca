/**
 * Year figures kept as entity rows and integer sums, caught up in proportion to the change (ADR
 * 0046): a report after new events reads those events, the few rows they touch and one small
 * header, instead of the whole read-model state.
 *
 * **Details**
 *
 * Per time filter (`asOf`, `knownAt`, tenant), the checkpoint store keeps (through
 * `ProjectionCheckpoints.CheckpointRows`) one row per entity of the read models (its record and
 * its order in the state, `EntityRows`, `YearSums.Entity`) under a header checkpoint holding the
 * parts read whole, each model's tenants with their entity counts (the order of the next entity),
 * and the sums of every (year, grant filter) asked so far (`YearSums`). The header is tied to the
 * log by the hash of the last event folded, as snapshots are (ADR 0035).
 *
 * A catch-up folds the tail into the rows it touches (`EntityRows.catchUp`), moves every kept
 * sum by those rows' contributions after minus before, saves the changed rows and the header in
 * one transaction, and finishes the figure from the sums (`YearSums.finish`), a segment at a time
 * (ADR 0049). Rows missing are built from zero the same way; a year or grant filter the rows lack
 * is added by one scan of them (ADR 0050, {@link catchUpMany}); {@link forEachRow} reads the
 * rows of some models for questions about every entity. Rows are also planned from a read-model state
 * when a report computes it in full (see {@link plan}).
 *
 * @since 0.3.0
 */
import { deserialize, serialize } from "node:v8"
import {
  CanonicalJson,
  type EventCatalog,
  type EventStore,
  type EventStoreError,
  LiveStates,
  type Projection,
  ProjectionCheckpoints
} from "@utblick/core"
import { EntityRows, ReadModels } from "@utblick/projections"
import { Effect } from "effect"
import * as GrantFilter from "./GrantFilter.js"
import * as Indicator from "./Indicator.js"
import { scanAt, withSums } from "./internal/rowScan.js"
import {
  type At,
  grantsOf,
  type Header,
  readHeader,
  rowBytes,
  rowId,
  sumsIn,
  sumsKeyOf,
  TENANT_STRIDE,
  zero
} from "./internal/rows.js"
import { type Folded, fold, type Target, target } from "./internal/segmentFold.js"
import * as PersistedFigures from "./PersistedFigures.js"
import * as YearSums from "./YearSums.js"

export { readRow, rowId } from "./internal/rows.js"

/**
 * The pseudo-projection name under which rows and their header are kept.
 *
 * @category constants
 * @since 0.3.0
 */
export const PROJECTION = "read-model-rows"

/**
 * The format of the rows and header; bump it when either changes meaning.
 *
 * @category constants
 * @since 0.3.0
 */
export const FORMAT = 1

/**
 * The checkpoint key of the rows of a time filter.
 *
 * @category utils
 * @since 0.3.0
 */
export const keyOf = (filter: Projection.TimeFilter): ProjectionCheckpoints.CheckpointKey => ({
  projection: PROJECTION,
  version: ReadModels.projection.version,
  filter: CanonicalJson.canonicalize({
    format: FORMAT,
    indicators: PersistedFigures.definitionsSignature,
    filter: ProjectionCheckpoints.filterKey(filter)
  })
})

// The figure of a request from its sums and the parts read whole (a grant filter leaves budgets
// out, as `GrantFilter.apply` does).
const figureOf = (
  request: PersistedFigures.FigureRequest,
  sums: YearSums.Sums,
  whole: EntityRows.Whole
): PersistedFigures.Figure => {
  const grants = grantsOf(request)
  const values = YearSums.finish(
    sums,
    grants === undefined ? whole : { ...whole, budgets: new Map() },
    {
      year: request.year,
      ...(request.tenant === undefined ? {} : { tenant: request.tenant }),
      ...(request.goalsSchemeId === undefined ? {} : { goalsSchemeId: request.goalsSchemeId }),
      ...(request.actorId === undefined ? {} : { actorId: request.actorId })
    },
    grants === undefined ? Indicator.definitions : GrantFilter.definitionsFor(grants)
  )
  return {
    values,
    registry: { schemes: { ...whole.registry.schemes }, mappings: { ...whole.registry.mappings } }
  }
}

/**
 * A figure caught up from rows: the figure, and the log's size it covers.
 *
 * @category models
 * @since 0.3.0
 */
export interface CaughtUp extends PersistedFigures.Figure {
  readonly position: number
  /** How many events of the tail were folded, and how many rows they touched. */
  readonly folded: number
  readonly rows: number
}

/**
 * The most events that count a catch-up folds at a time (a segment): it holds a segment's events
 * (about 1 KiB each) and the rows they touch, then saves those rows and the header as of the
 * segment's last event before it reads on. A long tail, or a log whose rows are built from zero,
 * is folded segment after segment in one read of the log, so a report's memory does not grow
 * with the log.
 *
 * @category constants
 * @since 0.3.0
 */
export const SEGMENT = 5_000

/**
 * The figure of `request` caught up from the rows of its time filter to the head of the log
 * (see {@link catchUpMany}, of which this is the one-request case).
 *
 * @category persistence
 * @since 0.3.0
 */
export const catchUp = (
  store: EventStore.EventStoreShape,
  checkpoints: ProjectionCheckpoints.ProjectionCheckpointsShape,
  request: PersistedFigures.FigureRequest,
  options: { readonly segment?: number; readonly page?: number } = {}
): Effect.Effect<CaughtUp | undefined, EventStoreError.EventStoreError | EventCatalog.EventDecodeError> =>
  Effect.map(catchUpMany(store, checkpoints, [request], options), (caught) => caught[0])

/**
 * The figures of `requests` caught up from the rows of their time filters to the head of the
 * log, segment after segment (see {@link SEGMENT}): each segment's rows and the sums they moved
 * are saved with the header as of its last event.
 *
 * **Details**
 *
 * Requests of one time filter share its rows. Rows kept are caught up from their position; a
 * year or grant filter whose sums they do not hold yet is then added by scanning every row once
 * (`CheckpointRows.scan`, a page at a time; ADR 0050). Rows are built again from zero, with the
 * sums kept and the new ones, when none are kept for the filter, when they are rows of another
 * log, or when they lack a sum asked and the store cannot scan them. All the filters built from
 * zero are built in one read of the log, so a report never holds a whole read-model state, and
 * two years of a comparison read the log once.
 *
 * With `LiveStates` provided (a running service), each filter's header and parts read whole stay
 * in memory for the next catch-up, which then reads only the rows the new events touch; they are
 * dropped when the checkpoint they were saved as is deleted or moved on by another process.
 *
 * An entry is `undefined` when the store keeps no rows, or a row cannot be read or a segment
 * saved: compute that figure in full, then keep it with {@link plan} and {@link write}.
 *
 * @category persistence
 * @since 0.3.0
 */
export const catchUpMany = (
  store: EventStore.EventStoreShape,
  checkpoints: ProjectionCheckpoints.ProjectionCheckpointsShape,
  requests: ReadonlyArray<PersistedFigures.FigureRequest>,
  options: { readonly segment?: number; readonly page?: number } = {}
): Effect.Effect<
  ReadonlyArray<CaughtUp | undefined>,
  EventStoreError.EventStoreError | EventCatalog.EventDecodeError
> =>
  Effect.gen(function* () {
    const rows = checkpoints.rows
    if (!checkpoints.enabled || rows === undefined) return requests.map(() => undefined)
    // The time filters asked, each with the sums its requests read (in the order first asked).
    const groups = new Map<string, Group>()
    for (const request of requests) {
      const filter = PersistedFigures.timeFilterOf(request)
      const id = keyOf(filter).filter
      const group = groups.get(id) ?? { filter, sums: [] }
      groups.set(id, group)
      if (!group.sums.includes(sumsKeyOf(request))) group.sums.push(sumsKeyOf(request))
    }
    const live = yield* LiveStates.LiveStates
    const folded = yield* catchUpFilters(store, checkpoints, rows, groups, options, live)
    const caught = requests.map((request): CaughtUp | undefined => {
      const result = folded.get(keyOf(PersistedFigures.timeFilterOf(request)).filter)
      if (result === undefined || result === "failed") return undefined
      return {
        ...figureOf(request, sumsIn(result.at.header, sumsKeyOf(request)), result.at.whole),
        position: result.at.position,
        folded: result.folded,
        rows: result.rows
      }
    })
    // Only once every figure is made from them: the next catch-up may fold into them in place.
    for (const [id, group] of groups) {
      const result = folded.get(id)
      if (result !== undefined && result !== "failed") keepLive(live, keyOf(group.filter), result.at)
    }
    return caught
  })

// A header and its parts read whole kept live in a long-running process (`LiveStates`, ADR 0042):
// the next catch-up of the filter folds into them instead of reading and deserialising the
// header it saved (about 1.2 MB for a year full of grants at 1,000,000 events: 25–35 ms a report).
// Tied to the checkpoint saved with them; rows have no saving policy to weigh, so no size.
const keepLive = (
  live: LiveStates.LiveStatesShape,
  key: ProjectionCheckpoints.CheckpointKey,
  at: At
): void => {
  if (!live.enabled) return
  live.put(key, {
    position: at.position,
    hash: at.hash,
    state: { header: at.header, whole: at.whole } satisfies Kept,
    basis: { position: at.position, hash: at.hash, bytes: 0 }
  })
}

interface Kept {
  readonly header: Header
  readonly whole: EntityRows.Whole
}

// The live header of `key` if the checkpoint it was saved as is still the one kept: not deleted
// (`utblick forget`, `utblick rebuild`) nor moved on by another process's catch-up. Taken out of
// the holder either way: a fold moves its sums in place, so no one else may hold it meanwhile.
// Only the position is compared: whether the log still has the header's hash at that position
// the fold checks, as for a header read (a checkpoint of the same position and another hash is
// one of another log, and the fold finds it untied).
const takeLive = (
  checkpoints: ProjectionCheckpoints.ProjectionCheckpointsShape,
  live: LiveStates.LiveStatesShape,
  key: ProjectionCheckpoints.CheckpointKey
) =>
  Effect.gen(function* () {
    const taken = live.take(key)
    if (taken === undefined || checkpoints.peek === undefined) return undefined
    const current = yield* checkpoints.peek(key).pipe(Effect.orElseSucceed(() => undefined))
    if (current === undefined || current.position !== taken.position) return undefined
    const { header, whole } = taken.state as Kept
    return { header, whole, position: taken.position, hash: taken.hash } satisfies At
  })

// A time filter to catch up, and the sums (year, grant filter) its rows must hold.
interface Group {
  readonly filter: Projection.TimeFilter
  sums: Array<string>
}

// The header saved for `key` and its parts read whole, read from their bytes.
const loadKept = (
  checkpoints: ProjectionCheckpoints.ProjectionCheckpointsShape,
  key: ProjectionCheckpoints.CheckpointKey
) =>
  Effect.gen(function* () {
    const saved = yield* checkpoints.load(key).pipe(Effect.orElseSucceed(() => undefined))
    const header = saved === undefined ? undefined : readHeader(saved.state)
    if (saved === undefined || header === undefined) return undefined
    const whole = deserialize(header.whole) as EntityRows.Whole
    return { header, whole, position: saved.position, hash: saved.hash } satisfies At
  })

// The rows of each group's time filter caught up to the head (see `catchUpMany`), by the filter's
// key: caught up from the rows kept, new sums added by a scan, or built from zero, all the builds
// in one read.
const catchUpFilters = (
  store: EventStore.EventStoreShape,
  checkpoints: ProjectionCheckpoints.ProjectionCheckpointsShape,
  rows: ProjectionCheckpoints.CheckpointRows,
  groups: ReadonlyMap<string, Group>,
  options: { readonly segment?: number; readonly page?: number },
  live: LiveStates.LiveStatesShape = LiveStates.none
) =>
  Effect.gen(function* () {
    const segment = Math.max(1, options.segment ?? SEGMENT)
    const page = Math.max(1, options.page ?? SCAN_PAGE)
    const head = yield* store.head
    const folded = new Map<string, Folded | "failed">()
    const building: Array<Target> = []
    for (const [id, group] of groups) {
      const key = keyOf(group.filter)
      const at = (yield* takeLive(checkpoints, live, key)) ?? (yield* loadKept(checkpoints, key))
      let sums = group.sums
      if (at !== undefined) {
        const header = at.header
        const missing = sums.filter((k) => !header.sums.some(([kept]) => kept === k))
        // Sums the rows lack are added by scanning the rows once caught up (where the store can).
        const scan = rows.scan
        if ((missing.length === 0 || scan !== undefined) && at.position <= head.size) {
          const caught = yield* fold({ store, rows, head, segment, building: false }, [
            target(key, group.filter, at)
          ])
          if (caught !== "untied") {
            const result = caught[0] as Folded | "failed"
            folded.set(
              id,
              result === "failed" || missing.length === 0 || scan === undefined
                ? result
                : yield* withSums(checkpoints, rows, scan, key, result, missing, page)
            )
            continue
          }
        }
        // Built again with every sum the header keeps, so no year asked before is lost.
        sums = [...header.sums.map(([k]) => k).filter((k) => !sums.includes(k)), ...sums]
      }
      building.push(target(key, group.filter, zero(sums), true))
    }
    if (building.length > 0) {
      // The segment is shared: a read holds at most `segment` events pending whatever the number
      // of filters it builds.
      const shared = Math.max(1, Math.floor(segment / building.length))
      const built = yield* fold({ store, rows, head, segment: shared, building: true }, building)
      // "untied" only comes of a catch-up: a build trusts nothing kept.
      if (built !== "untied")
        for (const [i, t] of building.entries()) folded.set(t.key.filter, built[i] as Folded | "failed")
    }
    return folded
  })

/**
 * How many rows a scan for new sums reads at a time (see {@link catchUpMany}): a page's rows are
 * decoded, counted and dropped.
 *
 * @category constants
 * @since 0.3.0
 */
export const SCAN_PAGE = 1_000

/**
 * Gives `visit` every entity of the read models named (one, or several in turn) as of a time
 * filter, from the rows kept for the filter: they are caught up to the head of the log first
 * (built from zero a segment at a time when none are kept), then read a page at a time in the
 * store's id order, each with its order in the state (`YearSums.Entity.order`: sorted by it, the
 * rows of a model come in the order its map lists them). Gives the parts read whole (registry,
 * organisations, budgets) as of the same position. What a question about every entity asks (the
 * values a grant filter could match, the years a chart shows, a listing) without building the
 * whole read-model state.
 *
 * **Gotchas**
 *
 * `undefined` when the store keeps no rows or cannot scan them, or the rows could not be caught
 * up or read, possibly after some rows were visited: drop what `visit` gathered and answer from
 * the read models then.
 *
 * @category persistence
 * @since 0.3.0
 */
export const forEachRow = (
  store: EventStore.EventStoreShape,
  checkpoints: ProjectionCheckpoints.ProjectionCheckpointsShape,
  filter: Projection.TimeFilter,
  model: EntityRows.Model | ReadonlyArray<EntityRows.Model>,
  visit: (row: EntityRows.Row, order: number) => void,
  options: { readonly segment?: number; readonly page?: number } = {}
): Effect.Effect<
  EntityRows.Whole | undefined,
  EventStoreError.EventStoreError | EventCatalog.EventDecodeError
> =>
  Effect.gen(function* () {
    const rows = checkpoints.rows
    const scan = rows?.scan
    if (!checkpoints.enabled || rows === undefined || scan === undefined) return undefined
    const key = keyOf(filter)
    const folded = yield* catchUpFilters(
      store,
      checkpoints,
      rows,
      new Map([[key.filter, { filter, sums: [] }]]),
      options
    )
    const result = folded.get(key.filter)
    if (result === undefined || result === "failed") return undefined
    for (const m of new Set(typeof model === "string" ? [model] : model)) {
      // A model's rows are contiguous: their ids all begin `["model",` (and that prefix comes first).
      const prefix = `${JSON.stringify([m]).slice(0, -1)},`
      const scanned = yield* scanAt(
        checkpoints,
        scan,
        key,
        result.at,
        Math.max(1, options.page ?? SCAN_PAGE),
        prefix,
        (rowId) => rowId.startsWith(prefix),
        visit
      )
      if (!scanned) return undefined
    }
    return result.at.whole
  })

/**
 * What {@link write} keeps for a request computed in full: the rows and header to save, as a
 * whole set of rows, or, when rows at the same position are already kept, just the request's
 * sums added to them.
 *
 * **Gotchas**
 *
 * `rows` reads the read-model state it was planned from each time it is iterated, serialising
 * one row at a time in id order (so the rows of a large state are never all held as bytes): write
 * the plan while that state is still lent (`ReadModels.runManyWithEffect`), before it goes back.
 *
 * @category models
 * @since 0.3.0
 */
export interface Plan {
  readonly key: ProjectionCheckpoints.CheckpointKey
  readonly header: Uint8Array
  readonly rows: Iterable<ProjectionCheckpoints.Row>
  readonly replace: boolean
}

/**
 * The header kept for a request's time filter, if any, with its position: what {@link plan}
 * adds to instead of building every row again.
 *
 * @category persistence
 * @since 0.3.0
 */
export const kept = (
  checkpoints: ProjectionCheckpoints.ProjectionCheckpointsShape,
  request: PersistedFigures.FigureRequest
): Effect.Effect<{ readonly position: number; readonly header: Uint8Array } | undefined> =>
  checkpoints.enabled && checkpoints.rows !== undefined
    ? checkpoints.load(keyOf(PersistedFigures.timeFilterOf(request))).pipe(
        Effect.map((saved) =>
          saved === undefined ? undefined : { position: saved.position, header: saved.state }
        ),
        Effect.orElseSucceed(() => undefined)
      )
    : Effect.succeed(undefined)

/**
 * Plans the rows of a request's time filter from the read-model state at `position` (see
 * {@link Plan}): when `existing` is kept at the same position, only the request's sums are added
 * to its header; otherwise every entity becomes a row.
 *
 * @category persistence
 * @since 0.3.0
 */
export const plan = (
  request: PersistedFigures.FigureRequest,
  state: ReadModels.ReadModelsState,
  position: number,
  existing?: { readonly position: number; readonly header: Uint8Array }
): Plan => {
  const key = keyOf(PersistedFigures.timeFilterOf(request))
  const own = [
    sumsKeyOf(request),
    YearSums.sumsOf(
      state,
      { year: request.year, ...(request.tenant === undefined ? {} : { tenant: request.tenant }) },
      grantsOf(request)
    )
  ] as const
  const header =
    existing === undefined || existing.position !== position ? undefined : readHeader(existing.header)
  if (header !== undefined) {
    const next: Header = { ...header, sums: [...header.sums.filter(([k]) => k !== own[0]), own] }
    return { key, header: serialize(next), rows: [], replace: false }
  }
  const { whole, rows } = EntityRows.split(state)
  const tenants = Object.fromEntries(
    EntityRows.models.map((m) => [m, [] as Array<[string, number]>])
  ) as Record<EntityRows.Model, Array<[string, number]>>
  const ids: Array<string> = []
  const orders: Array<number> = []
  for (const row of rows) {
    const list = tenants[row.model]
    let last = list[list.length - 1]
    if (last === undefined || last[0] !== row.tenant) {
      last = [row.tenant, 0]
      list.push(last)
    }
    ids.push(rowId(row))
    orders.push((list.length - 1) * TENANT_STRIDE + last[1])
    last[1] += 1
  }
  // In id order (one row per entity: no two ids are equal), each row's bytes made only when the
  // store reads it (see `Plan`).
  const byId = Array.from(rows.keys()).sort((a, b) => ((ids[a] as string) < (ids[b] as string) ? -1 : 1))
  return {
    key,
    header: serialize({ whole: serialize(whole), tenants, sums: [own] } satisfies Header),
    rows: {
      *[Symbol.iterator]() {
        for (const i of byId) {
          yield [ids[i] as string, rowBytes((rows[i] as EntityRows.Row).record, orders[i] as number)] as const
        }
      }
    },
    replace: true
  }
}

/**
 * Saves a {@link plan} as of `position` (the hash of the event before it ties it to the log).
 * Failures are ignored: rows are a cache.
 *
 * @category persistence
 * @since 0.3.0
 */
export const write = (
  checkpoints: ProjectionCheckpoints.ProjectionCheckpointsShape,
  planned: Plan,
  position: number,
  hash: string
): Effect.Effect<void> =>
  checkpoints.rows === undefined || !checkpoints.enabled || position < 1
    ? Effect.void
    : checkpoints.rows
        .save(planned.key, { position, hash, state: planned.header }, planned.rows, {
          replace: planned.replace
        })
        .pipe(Effect.ignore)
