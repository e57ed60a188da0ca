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
 * is added by one scan of them (ADR 0050, {@link catchUpMany}); {@link forEachRow} reads one
 * model's rows for questions about every entity. Rows are also planned from a read-model state
 * when a report computes it in full (see {@link plan}).
 *
 * @since 0.3.0
 */
import { deserialize, serialize } from "node:v8"
import {
  CanonicalJson,
  type Envelope,
  type EventCatalog,
  type EventStore,
  type EventStoreError,
  Projection,
  ProjectionCheckpoints
} from "@utblick/core"
import { EntityRows, ReadModels, Shared } from "@utblick/projections"
import { Data, Effect, Result, Stream } from "effect"
import * as GrantFilter from "./GrantFilter.js"
import * as Indicator from "./Indicator.js"
import * as PersistedFigures from "./PersistedFigures.js"
import * as YearSums from "./YearSums.js"

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

// Entities keep `tenant position × 2³² + position in the tenant` (YearSums.Entity.order).
const TENANT_STRIDE = 2 ** 32

const modelOf: Readonly<Record<EntityRows.Model, YearSums.Model>> = {
  "portfolio.applications": "application",
  "memberships.memberships": "membership",
  "agreements.agreements": "agreement",
  "trips.trips": "trip"
}

// The event types the read models fold: the rest of the tail is skipped undecoded.
const handled: ReadonlySet<string> = new Set(ReadModels.projection.handles)

class RowsUnreadable extends Data.TaggedError("RowsUnreadable") {}

interface Header {
  /** The parts read whole, as their own structured-clone bytes: each fold takes a fresh copy. */
  readonly whole: Uint8Array
  /** Per model, its tenants in order with how many entities each holds. */
  readonly tenants: Readonly<Record<EntityRows.Model, ReadonlyArray<readonly [string, number]>>>
  /** The sums of each (year, grant filter) asked so far, by {@link sumsKeyOf}. */
  readonly sums: ReadonlyArray<readonly [string, YearSums.Sums]>
}

/**
 * A row's id in the store, `[model, tenant, id]` as JSON: unambiguous for ids of any characters.
 * A row's bytes are `[record, order]` as JSON text in UTF-8 (see {@link readRow}).
 *
 * @category utils
 * @since 0.3.0
 */
export const rowId = (key: EntityRows.RowKey): string => JSON.stringify([key.model, key.tenant, key.id])

const idOf = rowId

// Rows are JSON, not structured clones: entity records hold only JSON values, `JSON.stringify`
// costs a fraction of a `v8.serialize` call per row, and a structured clone keeps a serializer
// buffer larger than its content (building 78,833 rows took 4 s and 765 MB that way).
const rowBytes = (record: unknown, order: number): Uint8Array =>
  Buffer.from(JSON.stringify([record, order]), "utf8")

/**
 * A row's record and order from its bytes.
 *
 * @category utils
 * @since 0.3.0
 */
export const readRow = (bytes: Uint8Array): readonly [record: unknown, order: number] =>
  JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8")) as [
    unknown,
    number
  ]

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

const grantsOf = (request: PersistedFigures.FigureRequest) =>
  request.grants !== undefined && !GrantFilter.isEmpty(request.grants) ? request.grants : undefined

/** The sums a request reads: its year under its grant filter. */
const sumsKeyOf = (request: PersistedFigures.FigureRequest): string => {
  const grants = grantsOf(request)
  const given: Record<string, string> = {}
  for (const [k, v] of Object.entries(grants ?? {})) if (typeof v === "string") given[k] = v
  return CanonicalJson.canonicalize({
    year: request.year,
    ...(grants === undefined ? {} : { grants: given })
  })
}

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

const readHeader = (bytes: Uint8Array): Header | undefined => {
  try {
    return deserialize(bytes) as Header
  } catch {
    return undefined
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

// Where a catch-up stands: a header as of a log position, tied to the log by the hash of the
// event before it ("" at position 0).
interface At {
  readonly header: Header
  /** The parts read whole, as of the position: each round of a fold starts from a copy. */
  readonly whole: EntityRows.Whole
  readonly position: number
  readonly hash: string
}

// The header of rows built from zero: no entity yet, the parts read whole as an empty log leaves
// them, and empty sums for every (year, grant filter) to keep.
const zero = (sumsKeys: ReadonlyArray<string>): At => {
  const whole = EntityRows.split(ReadModels.projection.initialState()).whole
  const header: Header = {
    whole: serialize(whole),
    tenants: Object.fromEntries(EntityRows.models.map((m) => [m, []])) as unknown as Header["tenants"],
    sums: sumsKeys.map((k) => [k, YearSums.empty()] as const)
  }
  return { header, whole, position: 0, hash: "" }
}

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
    const folded = yield* catchUpFilters(store, checkpoints, rows, groups, options)
    return requests.map((request): CaughtUp | undefined => {
      const result = folded.get(keyOf(PersistedFigures.timeFilterOf(request)).filter)
      if (result === undefined || result === "failed") return undefined
      return {
        ...figureOf(request, sumsIn(result.at.header, sumsKeyOf(request)), result.at.whole),
        position: result.at.position,
        folded: result.folded,
        rows: result.rows
      }
    })
  })

// A time filter to catch up, and the sums (year, grant filter) its rows must hold.
interface Group {
  readonly filter: Projection.TimeFilter
  sums: Array<string>
}

// The rows of each group's time filter caught up to the head (see `catchUpMany`), by the filter's
// key: caught up from the rows kept, new sums added by a scan, or built from zero, all the builds
// in one read.
const catchUpFilters = (
  store: EventStore.EventStoreShape,
  checkpoints: ProjectionCheckpoints.ProjectionCheckpointsShape,
  rows: ProjectionCheckpoints.CheckpointRows,
  groups: ReadonlyMap<string, Group>,
  options: { readonly segment?: number; readonly page?: number }
) =>
  Effect.gen(function* () {
    const segment = Math.max(1, options.segment ?? SEGMENT)
    const page = Math.max(1, options.page ?? SCAN_PAGE)
    const head = yield* store.head
    const folded = new Map<string, Folded | "failed">()
    const building: Array<Target> = []
    for (const [id, group] of groups) {
      const key = keyOf(group.filter)
      const saved = yield* checkpoints.load(key).pipe(Effect.orElseSucceed(() => undefined))
      const header = saved === undefined ? undefined : readHeader(saved.state)
      let sums = group.sums
      if (saved !== undefined && header !== undefined) {
        const missing = sums.filter((k) => !header.sums.some(([kept]) => kept === k))
        // Sums the rows lack are added by scanning the rows once caught up (where the store can).
        const scan = rows.scan
        if ((missing.length === 0 || scan !== undefined) && saved.position <= head.size) {
          const whole = deserialize(header.whole) as EntityRows.Whole
          const at = { header, whole, position: saved.position, hash: saved.hash }
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

// A store's scan of the rows kept under a key (`CheckpointRows.scan`, where offered).
type Scan = NonNullable<ProjectionCheckpoints.CheckpointRows["scan"]>

// Every row kept under `key` after `from` (ids in the store's order; all when `undefined`) while
// `within` holds of the id, a page at a time, given to `visit` parsed: only rows of the position
// and hash the catch-up reached (`at`) are read. The checkpoint is peeked before and after the
// scan, and any other position (a save that failed, another process saving meanwhile) gives
// false, as does a page that cannot be read.
const scanAt = (
  checkpoints: ProjectionCheckpoints.ProjectionCheckpointsShape,
  scan: Scan,
  key: ProjectionCheckpoints.CheckpointKey,
  at: { readonly position: number; readonly hash: string },
  pageSize: number,
  from: string | undefined,
  within: (id: string) => boolean,
  visit: (row: EntityRows.Row, order: number) => void
) =>
  Effect.gen(function* () {
    const peek = checkpoints.peek ?? checkpoints.load
    const same = peek(key).pipe(
      Effect.map((kept) => kept !== undefined && kept.position === at.position && kept.hash === at.hash),
      Effect.orElseSucceed(() => false)
    )
    if (!(yield* same)) return false
    let after = from
    for (;;) {
      const page = yield* scan(key, after, pageSize).pipe(Effect.orElseSucceed(() => undefined))
      if (page === undefined) return false
      for (const [id, bytes] of page) {
        if (!within(id)) return yield* same
        const [model, tenant, entityId] = JSON.parse(id) as [EntityRows.Model, string, string]
        const [record, order] = readRow(bytes)
        visit({ model, tenant, id: entityId, record }, order)
      }
      if (page.length < pageSize) break
      after = (page[page.length - 1] as ProjectionCheckpoints.Row)[0]
    }
    return yield* same
  })

// The sums of `missing` (year, grant filter) added to rows caught up to `folded.at`, by one scan
// of every row (ADR 0050): a sum is the entities' contributions added up, whatever their order of
// folding. "failed" when the scan fails (see `scanAt`). The header with the new sums is saved at
// the same position (failures ignored: rows are a cache).
const withSums = (
  checkpoints: ProjectionCheckpoints.ProjectionCheckpointsShape,
  rows: ProjectionCheckpoints.CheckpointRows,
  scan: Scan,
  key: ProjectionCheckpoints.CheckpointKey,
  folded: Folded,
  missing: ReadonlyArray<string>,
  pageSize: number
) =>
  Effect.gen(function* () {
    const at = folded.at
    const added = missing.map((k) => {
      const { year, grants } = JSON.parse(k) as { year: number; grants?: GrantFilter.GrantFilter }
      return { k, year, grants, sums: YearSums.empty() }
    })
    const scanned = yield* scanAt(
      checkpoints,
      scan,
      key,
      at,
      pageSize,
      undefined,
      () => true,
      (row, order) => {
        const entity = { ...row, model: modelOf[row.model], order } as YearSums.Entity
        for (const a of added) YearSums.move(a.sums, a.year, undefined, entity, a.grants)
      }
    )
    if (!scanned) return "failed" as const
    const header: Header = {
      ...at.header,
      sums: [...at.header.sums, ...added.map((a) => [a.k, a.sums] as const)]
    }
    yield* rows
      .save(key, { position: at.position, hash: at.hash, state: serialize(header) }, [])
      .pipe(Effect.ignore)
    return { ...folded, at: { ...at, header } }
  })

/**
 * Gives `visit` every entity of one read model as of a time filter, from the rows kept for the
 * filter: they are caught up to the head of the log first (built from zero a segment at a time
 * when none are kept), then read a page at a time. What a question about every entity asks (the
 * values a grant filter could match, say) without building the whole read-model state. False
 * when the store keeps no rows or cannot scan them, or the rows could not be caught up or read:
 * answer from the read models then.
 *
 * @category persistence
 * @since 0.3.0
 */
export const forEachRow = (
  store: EventStore.EventStoreShape,
  checkpoints: ProjectionCheckpoints.ProjectionCheckpointsShape,
  filter: Projection.TimeFilter,
  model: EntityRows.Model,
  visit: (row: EntityRows.Row) => void,
  options: { readonly segment?: number; readonly page?: number } = {}
): Effect.Effect<boolean, EventStoreError.EventStoreError | EventCatalog.EventDecodeError> =>
  Effect.gen(function* () {
    const rows = checkpoints.rows
    const scan = rows?.scan
    if (!checkpoints.enabled || rows === undefined || scan === undefined) return false
    const id = keyOf(filter).filter
    const folded = yield* catchUpFilters(
      store,
      checkpoints,
      rows,
      new Map([[id, { filter, sums: [] }]]),
      options
    )
    const result = folded.get(id)
    if (result === undefined || result === "failed") return false
    // A model's rows are contiguous: their ids all begin `["model",` (and that prefix comes first).
    const prefix = `${JSON.stringify([model]).slice(0, -1)},`
    return yield* scanAt(
      checkpoints,
      scan,
      keyOf(filter),
      result.at,
      Math.max(1, options.page ?? SCAN_PAGE),
      prefix,
      (rowId) => rowId.startsWith(prefix),
      (row) => visit(row)
    )
  })

const sumsIn = (header: Header, sumsKey: string): YearSums.Sums =>
  header.sums.find(([k]) => k === sumsKey)?.[1] as YearSums.Sums

// The events a fold of `filters` uses, as a hint to the store (`EventStore.ReadHint`): each part
// only when every filter would give it (the latest clock of all, compared as strings, lets every
// filter's events through).
const hintOf = (filters: ReadonlyArray<Projection.TimeFilter>): EventStore.ReadHint => {
  const tenants = new Set(filters.map((f) => f.tenant))
  const latest = (clocks: ReadonlyArray<string | undefined>) =>
    clocks.some((c) => c === undefined)
      ? undefined
      : (clocks as ReadonlyArray<string>).reduce((a, b) => (a < b ? b : a))
  const asOf = latest(filters.map((f) => f.asOf))
  const knownAt = latest(filters.map((f) => f.knownAt))
  const tenant = tenants.size === 1 ? [...tenants][0] : undefined
  return {
    types: ReadModels.projection.handles,
    ...(tenant === undefined ? {} : { tenant }),
    ...(asOf === undefined ? {} : { asOf }),
    ...(knownAt === undefined ? {} : { knownAt })
  }
}

class Untied extends Data.TaggedError("Untied") {}
class LostEvent extends Data.TaggedError("LostEvent") {}

interface Folding {
  readonly store: EventStore.EventStoreShape
  readonly rows: ProjectionCheckpoints.CheckpointRows
  readonly head: EventStore.LogHead
  readonly segment: number
  /** Building from zero (nothing kept is trusted) rather than catching up rows kept. */
  readonly building: boolean
}

// The rows of one time filter as a fold moves them on.
interface Target {
  readonly key: ProjectionCheckpoints.CheckpointKey
  readonly filter: Projection.TimeFilter
  at: At
  /** The next save first deletes every row kept under the key (rows built from zero). */
  replace: boolean
  pending: Array<readonly [Shared.Event, Envelope.StoredEvent]>
  folded: number
  touched: number
  /** A row could not be read or a segment before the last saved: this filter is given up. */
  failed: boolean
}

const target = (
  key: ProjectionCheckpoints.CheckpointKey,
  filter: Projection.TimeFilter,
  at: At,
  replace = false
): Target => ({
  key,
  filter,
  at,
  replace,
  pending: [],
  folded: 0,
  touched: 0,
  failed: false
})

// What a fold leaves of one time filter's rows: the header as of the head, and how many events
// it folded into how many rows.
interface Folded {
  readonly at: At
  readonly folded: number
  readonly rows: number
}

// Folds the log to the head in one read, each target a segment at a time (see `segment`).
//
// Catching up rows kept (one target) trusts them only against the whole tail: it reads from the
// event before the header's position, which must still carry its hash ("untied" if not: rows of
// another log), and every event after it, each at the next position ("failed" if not: a store
// that lost one).
//
// Building from zero trusts nothing kept, so the log is read as a full replay reads it: only the
// events that count for some target leave the store (ADR 0047), each decoded once for all. Each
// segment's header is tied to the log by the hash of the last event read, or at the end by the
// head's.
//
// A target is "failed" when a row cannot be read or a segment before the last cannot be saved
// (the next would read rows that are not there); the read stops when every target has failed.
const fold = (folding: Folding, targets: ReadonlyArray<Target>) =>
  Effect.gen(function* () {
    const { store, head, segment, building } = folding
    const start = (targets[0] as Target).at
    let next = Math.max(0, start.position - 1)
    let tied = start.position === 0
    const flush = (t: Target, to: number, hash: string, final: boolean) =>
      Effect.gen(function* () {
        const moved = yield* advance(folding, t)
        const saveFailed =
          moved === undefined ||
          (yield* folding.rows
            .save(t.key, { position: to, hash, state: serialize(moved.header) }, moved.changed, {
              replace: t.replace
            })
            .pipe(
              Effect.as(false),
              Effect.orElseSucceed(() => true)
            ))
        // The last segment's figure stands without its save (rows are a cache).
        if (moved === undefined || (saveFailed && !final)) {
          t.failed = true
          t.pending = []
          if (targets.every((other) => other.failed)) return yield* Effect.fail(new RowsUnreadable())
          return
        }
        t.folded += t.pending.length
        t.touched += moved.rows
        t.pending = []
        t.replace = false
        t.at = { header: moved.header, whole: moved.whole, position: to, hash }
      })
    const read = building
      ? store.readAll({
          fromPosition: start.position,
          toPosition: head.size,
          only: hintOf(targets.map((t) => t.filter))
        })
      : store.readAll({ fromPosition: next, toPosition: head.size })
    const result = yield* read.pipe(
      Stream.runForEachArray((chunk) =>
        Effect.gen(function* () {
          for (const event of chunk) {
            if (!building) {
              if (event.position !== next) return yield* Effect.fail(new LostEvent())
              next += 1
              if (event.position === start.position - 1) {
                tied = event.hash === start.hash
                if (!tied) return yield* Effect.fail(new Untied())
                continue
              }
            }
            if (!handled.has(event.type)) continue
            let decoded: Shared.Event | undefined
            for (const t of targets) {
              if (t.failed || !Projection.matches(t.filter, event)) continue
              if (decoded === undefined) {
                const result = Shared.catalog.decode(event)
                if (Result.isFailure(result)) return yield* Effect.fail(result.failure)
                decoded = result.success
              }
              t.pending.push([decoded, event])
              if (t.pending.length >= segment)
                yield* flush(t, event.position + 1, event.hash, event.position + 1 === head.size)
            }
          }
        })
      ),
      Effect.andThen(
        Effect.gen(function* () {
          // The tie event never came (a store that gave nothing from it on): a lost event, not
          // another log, so nothing is built from zero through a read that cannot be counted.
          if (!building && !tied) return yield* Effect.fail(new LostEvent())
          if (!building && next !== head.size) return yield* Effect.fail(new LostEvent())
          for (const t of targets)
            if (!t.failed && head.size > 0 && (t.pending.length > 0 || t.at.position !== head.size))
              yield* flush(t, head.size, head.lastHash, true)
          return targets.map((t): Folded | "failed" =>
            t.failed ? "failed" : { at: t.at, folded: t.folded, rows: t.touched }
          )
        })
      ),
      Effect.catchTag("Untied", () => Effect.succeed("untied" as const)),
      // A store that gives fewer events than its log holds is not trusted with rows at all.
      Effect.catchTag("LostEvent", () => Effect.succeed(targets.map(() => "failed" as const))),
      // Rows are a cache: one that cannot be read sends the report down the full path.
      Effect.catchTag("RowsUnreadable", () => Effect.succeed(targets.map(() => "failed" as const)))
    )
    return result
  })

// One segment: `events` folded into the rows they touch (loaded from the store unless they are
// being built from zero, `replace`), every kept sum moved in place by those rows' contributions
// after minus before. Gives the new header, the changed rows to save (in id order, which the
// durable stores write fastest) and the parts read whole; `undefined` when a row cannot be read.
const advance = (folding: Folding, t: Target) =>
  Effect.gen(function* () {
    const { rows } = folding
    const { at, key, pending: events, replace } = t
    const header = at.header
    const orders = new Map<string, number>()
    // Each fold asks again for every row it knows and the rows before are asked once more after
    // the last fold: the store is asked only for ids it was not asked for yet, and every answer
    // is decoded afresh from the bytes it gave (the folds change the records they are given).
    const fetched = new Map<string, Uint8Array | undefined>()
    const caught = yield* EntityRows.catchUp(
      () => EntityRows.copyWhole(at.whole),
      events,
      (keys) => {
        const ids = keys.map(idOf)
        const missing = replace ? [] : ids.filter((id) => !fetched.has(id))
        return (missing.length === 0 ? Effect.succeed([]) : rows.load(key, missing)).pipe(
          Effect.mapError(() => new RowsUnreadable()),
          Effect.flatMap((found) =>
            Effect.try({
              try: () => {
                for (const id of missing) fetched.set(id, undefined)
                for (const [id, bytes] of found) fetched.set(id, bytes)
                return ids.flatMap((id): Array<EntityRows.Row> => {
                  const bytes = fetched.get(id)
                  if (bytes === undefined) return []
                  const [model, tenant, entityId] = JSON.parse(id) as [EntityRows.Model, string, string]
                  const [record, order] = readRow(bytes)
                  orders.set(id, order)
                  return [{ model, tenant, id: entityId, record }]
                })
              },
              catch: () => new RowsUnreadable()
            })
          )
        )
      }
    ).pipe(Effect.catchTag("RowsUnreadable", () => Effect.succeed(undefined)))
    if (caught === undefined) return undefined

    // The created rows take the next places of their tenant (a new tenant the next tenant place).
    const tenants = Object.fromEntries(
      EntityRows.models.map((m) => [m, header.tenants[m].map(([t, n]) => [t, n] as [string, number])])
    ) as Record<EntityRows.Model, Array<[string, number]>>
    for (const created of caught.created) {
      const list = tenants[created.model]
      let t = list.findIndex(([name]) => name === created.tenant)
      if (t === -1) t = list.push([created.tenant, 0]) - 1
      const slot = list[t] as [string, number]
      orders.set(idOf(created), t * TENANT_STRIDE + slot[1])
      slot[1] += 1
    }

    const entity = (row: EntityRows.Row): YearSums.Entity =>
      ({
        model: modelOf[row.model],
        tenant: row.tenant,
        id: row.id,
        record: row.record,
        order: orders.get(idOf(row)) as number
      }) as YearSums.Entity
    const before = new Map(caught.before.map((row) => [idOf(row), entity(row)]))
    // The header was read from bytes (or made) for this catch-up alone: its sums move in place.
    for (const [k, sums] of header.sums) {
      const { year, grants } = JSON.parse(k) as { year: number; grants?: GrantFilter.GrantFilter }
      for (const row of caught.after) YearSums.move(sums, year, before.get(idOf(row)), entity(row), grants)
    }
    const changed = caught.after
      .map((row) => [idOf(row), row] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return {
      header: { whole: serialize(caught.whole), tenants, sums: header.sums } satisfies Header,
      changed: {
        *[Symbol.iterator]() {
          for (const [id, row] of changed) yield [id, rowBytes(row.record, orders.get(id) as number)] as const
        }
      } satisfies Iterable<ProjectionCheckpoints.Row>,
      whole: caught.whole,
      rows: caught.after.length
    }
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
    ids.push(idOf(row))
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
