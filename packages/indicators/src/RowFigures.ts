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
 * one transaction, and finishes the figure from the sums (`YearSums.finish`). Rows are built from
 * a read-model state when a report computes it in full (see {@link plan}).
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
 * The longest tail a catch-up reads by default: it holds the tail's events that count in memory
 * (about 1 KiB an event), while the full path streams the log from the read models' snapshots.
 *
 * @category constants
 * @since 0.3.0
 */
export const MAX_TAIL = 100_000

/**
 * The figure of `request` caught up from the rows of its time filter to the head of the log,
 * saving the rows and sums it moved; `undefined` when no rows are kept for the filter, they are
 * of another log, they hold no sums for the request's year and grant filter, or the tail is
 * longer than `maxTail` events (default {@link MAX_TAIL}): compute the figure in full, then keep
 * it with {@link plan} and {@link write}.
 *
 * @category persistence
 * @since 0.3.0
 */
export const catchUp = (
  store: EventStore.EventStoreShape,
  checkpoints: ProjectionCheckpoints.ProjectionCheckpointsShape,
  request: PersistedFigures.FigureRequest,
  options: { readonly maxTail?: number } = {}
): Effect.Effect<CaughtUp | undefined, EventStoreError.EventStoreError | EventCatalog.EventDecodeError> =>
  Effect.gen(function* () {
    const rows = checkpoints.rows
    if (!checkpoints.enabled || rows === undefined) return undefined
    const filter = PersistedFigures.timeFilterOf(request)
    const key = keyOf(filter)
    const saved = yield* checkpoints.load(key).pipe(Effect.orElseSucceed(() => undefined))
    if (saved === undefined) return undefined
    const header = readHeader(saved.state)
    const sumsKey = sumsKeyOf(request)
    if (header === undefined || !header.sums.some(([k]) => k === sumsKey)) return undefined
    const head = yield* store.head
    if (saved.position > head.size || head.size - saved.position > (options.maxTail ?? MAX_TAIL))
      return undefined
    // The tail, read from the event before the header's position, which must still carry its hash
    // (same log; at the head, that event alone). Every event read is counted, to find a store
    // that lost one; only those that count are decoded and kept, for the fold.
    let tied = false
    let read = 0
    const tail: Array<readonly [Shared.Event, Envelope.StoredEvent]> = []
    yield* store.readAll({ fromPosition: saved.position - 1, toPosition: head.size }).pipe(
      Stream.runForEachArray((chunk) => {
        read += chunk.length
        for (const event of chunk) {
          if (event.position === saved.position - 1) {
            tied = event.hash === saved.hash
            continue
          }
          if (!handled.has(event.type)) continue
          if (!Projection.matches(filter, event)) continue
          const decoded = Shared.catalog.decode(event)
          if (Result.isFailure(decoded)) return Effect.fail(decoded.failure)
          tail.push([decoded.success, event])
        }
        return Effect.void
      })
    )
    if (!tied || read !== head.size - saved.position + 1) return undefined

    const orders = new Map<string, number>()
    // Each fold asks again for every row it knows and the rows before are asked once more after
    // the last fold: the store is asked only for ids it was not asked for yet, and every answer
    // is decoded afresh from the bytes it gave (the folds change the records they are given).
    const fetched = new Map<string, Uint8Array | undefined>()
    const caught = yield* EntityRows.catchUp(
      () => deserialize(header.whole) as EntityRows.Whole,
      tail,
      (keys) => {
        const ids = keys.map(idOf)
        const missing = ids.filter((id) => !fetched.has(id))
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
    ).pipe(
      // Rows are a cache: one that cannot be read sends the report down the full path.
      Effect.catchTag("RowsUnreadable", () => Effect.succeed(undefined))
    )
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
    const sums = header.sums.map(([k, s]) => {
      const moved = YearSums.copy(s)
      const { year, grants } = JSON.parse(k) as { year: number; grants?: GrantFilter.GrantFilter }
      for (const row of caught.after) YearSums.move(moved, year, before.get(idOf(row)), entity(row), grants)
      return [k, moved] as const
    })
    const next: Header = { whole: serialize(caught.whole), tenants, sums }
    yield* rows
      .save(
        key,
        { position: head.size, hash: head.lastHash, state: serialize(next) },
        caught.after.map((row) => [idOf(row), rowBytes(row.record, orders.get(idOf(row)) as number)] as const)
      )
      .pipe(Effect.ignore)
    const own = sums.find(([k]) => k === sumsKey)?.[1] as YearSums.Sums
    return {
      ...figureOf(request, own, caught.whole),
      position: head.size,
      folded: tail.length,
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
