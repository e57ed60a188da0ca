/**
 * The segment fold of `RowFigures` (ADR 0049): the log read once to its head, each time filter's
 * rows moved on a segment at a time, every kept sum moved by the touched rows' contributions after
 * minus before, and each segment saved with its header as of its last event.
 *
 * @since 0.3.0
 */
import { serialize } from "node:v8"
import { type Envelope, type EventStore, Projection, type ProjectionCheckpoints } from "@utblick/core"
import { EntityRows, ReadModels, Shared } from "@utblick/projections"
import { Data, Effect, Result, Stream } from "effect"
import * as YearSums from "../YearSums.js"
import {
  type At,
  entityOf,
  type Header,
  keyOfId,
  readRow,
  rowBytes,
  rowId,
  sumsAsked,
  TENANT_STRIDE
} from "./rows.js"

// The event types the read models fold: the rest of the tail is skipped undecoded.
const handled: ReadonlySet<string> = new Set(ReadModels.projection.handles)

class RowsUnreadable extends Data.TaggedError("RowsUnreadable") {}
class Untied extends Data.TaggedError("Untied") {}
class LostEvent extends Data.TaggedError("LostEvent") {}

/**
 * The events a fold of `filters` uses, as a hint to the store (`EventStore.ReadHint`): each part
 * only when every filter would give it (the latest clock of all, compared as strings, lets every
 * filter's events through).
 */
export const hintOf = (filters: ReadonlyArray<Projection.TimeFilter>): EventStore.ReadHint => {
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

/** What a fold reads from and writes to. */
export interface Folding {
  readonly store: EventStore.EventStoreShape
  readonly rows: ProjectionCheckpoints.CheckpointRows
  readonly head: EventStore.LogHead
  readonly segment: number
  /** Building from zero (nothing kept is trusted) rather than catching up rows kept. */
  readonly building: boolean
}

/** The rows of one time filter as a fold moves them on. */
export interface Target {
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

/** A time filter's rows to fold from `at` (`replace`: built from zero, every kept row deleted first). */
export const target = (
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

/**
 * What a fold leaves of one time filter's rows: the header as of the head, and how many events it
 * folded into how many rows.
 */
export interface Folded {
  readonly at: At
  readonly folded: number
  readonly rows: number
}

/**
 * Folds the log to the head in one read, each target a segment at a time (see `segment`).
 *
 * Catching up rows kept (one target) trusts them only against the whole tail: it reads from the
 * event before the header's position, which must still carry its hash ("untied" if not: rows of
 * another log), and every event after it, each at the next position ("failed" if not: a store
 * that lost one).
 *
 * Building from zero trusts nothing kept, so the log is read as a full replay reads it: only the
 * events that count for some target leave the store (ADR 0047), each decoded once for all. Each
 * segment's header is tied to the log by the hash of the last event read, or at the end by the
 * head's.
 *
 * A target is "failed" when a row cannot be read or a segment before the last cannot be saved
 * (the next would read rows that are not there); the read stops when every target has failed.
 */
export const fold = (folding: Folding, targets: ReadonlyArray<Target>) =>
  Effect.gen(function* () {
    const { store, head, segment, building } = folding
    const start = (targets[0] as Target).at
    let next = Math.max(0, start.position - 1)
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
                if (event.hash !== start.hash) return yield* Effect.fail(new Untied())
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
          // Every position read, each at the next: a catch-up starts at most at the head (its
          // caller checks), so this also proves that the tie event came and was compared. A tie
          // event that never came (a store that gave nothing from it on) is a lost event, not
          // another log, so nothing is built from zero through a read that cannot be counted.
          if (!building && next !== head.size) return yield* Effect.fail(new LostEvent())
          // Pending events lie after the target's position, so a target with any stands below
          // the head; on an empty log every target stands at 0, the head.
          for (const t of targets)
            if (!t.failed && t.at.position !== head.size) yield* flush(t, head.size, head.lastHash, true)
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

// One segment: its `pending` events folded into the rows they touch (loaded from the store unless they are
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
        const ids = keys.map(rowId)
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
                  const [record, order] = readRow(bytes)
                  orders.set(id, order)
                  return [{ ...keyOfId(id), record }]
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
      orders.set(rowId(created), t * TENANT_STRIDE + slot[1])
      slot[1] += 1
    }

    const entity = (row: EntityRows.Row) => entityOf(row, orders.get(rowId(row)) as number)
    const before = new Map(caught.before.map((row) => [rowId(row), entity(row)]))
    // The header was read from bytes (or made) for this catch-up alone: its sums move in place.
    for (const [k, sums] of header.sums) {
      const { year, grants } = sumsAsked(k)
      for (const row of caught.after) YearSums.move(sums, year, before.get(rowId(row)), entity(row), grants)
    }
    // The default sort orders strings as `<` does (by UTF-16 code units); the ids are distinct.
    const after = new Map(caught.after.map((row) => [rowId(row), row]))
    const changed = [...after.keys()].sort()
    return {
      header: { whole: serialize(caught.whole), tenants, sums: header.sums } satisfies Header,
      changed: {
        *[Symbol.iterator]() {
          for (const id of changed)
            yield [id, rowBytes((after.get(id) as EntityRows.Row).record, orders.get(id) as number)] as const
        }
      } satisfies Iterable<ProjectionCheckpoints.Row>,
      whole: caught.whole,
      rows: caught.after.length
    }
  })
