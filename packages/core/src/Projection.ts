/**
 * Projections: named, versioned folds from events to a read model, and the runtime that runs
 * them over a store — from zero, from a snapshot, live, and on either clock:
 *
 * - **as of** a business date: only events whose `occurredAt` is on or before the date
 *   ("what had happened by 31 Dec 2022");
 * - **known at** an instant: only events whose `recordedAt` is on or before the instant
 *   ("what did we know on 15 Mar 2023").
 *
 * With a `ProjectionCheckpoints` store provided (the SQLite and PostgreSQL store layers do), runs
 * resume from a persisted snapshot and fold only the events after it (ADR 0035).
 *
 * @since 0.1.0
 */
import { Effect, Result, Stream } from "effect"
import { isRealCalendarDate, parseInstant, type StoredEvent } from "./Envelope.js"
import type { EventCatalog, EventDecodeError } from "./EventCatalog.js"
import { type EventHead, EventStore, type ReadHint } from "./EventStore.js"
import type { EventStoreError } from "./EventStoreError.js"
import { type Basis, LiveStates, type LiveStatesShape, none as noLiveStates } from "./LiveStates.js"
import { keyOf, persist, type Resumed, resume, takeLive } from "./internal/Resume.js"
import { type CheckpointKey, ProjectionCheckpoints } from "./ProjectionCheckpoints.js"

/**
 * A projection over events `E` to state `S`.
 *
 * **Details**
 *
 * `evolve` receives the decoded event and its envelope (for dates, actor, case number). The
 * runtime owns the state it passes in: `evolve` may return an updated copy or update the state
 * in place and return it, but must not keep references to it elsewhere. `handles` lists the
 * event types the projection reads; the runtime skips (and does not decode) the others.
 *
 * **Gotchas**
 *
 * Bump `version` whenever `evolve` changes meaning: snapshots of another version are discarded
 * and the projection is rebuilt from zero.
 *
 * @category models
 * @since 0.1.0
 */
export interface Projection<S, E extends { readonly _tag: string }> {
  readonly name: string
  readonly version: number
  readonly handles: ReadonlyArray<E["_tag"]>
  readonly initialState: () => S
  readonly evolve: (state: S, event: E, envelope: StoredEvent) => S
}

/**
 * Builds a projection; the identity function that gives it its types.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = <S, E extends { readonly _tag: string }>(projection: Projection<S, E>): Projection<S, E> =>
  projection

/**
 * Which events count: business time, transaction time and tenant.
 *
 * @category models
 * @since 0.1.0
 */
export interface TimeFilter {
  /** Include only events with `occurredAt` ≤ this calendar date. */
  readonly asOf?: string
  /** Include only events with `recordedAt` ≤ this instant (ISO, UTC). */
  readonly knownAt?: string
  /** Include only events of this tenant. */
  readonly tenant?: string
}

/**
 * The `knownAt` of a {@link TimeFilter} from what a person wrote: an instant with its zone (see
 * `Envelope.parseInstant`), or a date, meaning the end of that day in UTC (everything recorded on
 * it counts). `undefined` when it is neither. The CLI's `--known-at` and the facade's `knownAt`
 * both read it here, so the two accept the same text and mean the same instant by it.
 *
 * @example
 * ```ts
 * knownAtOf("2023-03-15") // "2023-03-15T23:59:59.999Z"
 * knownAtOf("2023-03-15T10:30+01:00") // "2023-03-15T09:30:00.000Z"
 * ```
 *
 * @category parsing
 * @since 0.4.0
 */
export const knownAtOf = (text: string): string | undefined =>
  isRealCalendarDate(text) ? `${text}T23:59:59.999Z` : parseInstant(text)

/**
 * Whether an event passes a {@link TimeFilter}.
 *
 * @category guards
 * @since 0.1.0
 */
export const matches = (
  filter: TimeFilter,
  event: Pick<StoredEvent, "occurredAt" | "recordedAt" | "tenant">
): boolean =>
  (filter.asOf === undefined || event.occurredAt <= filter.asOf) &&
  (filter.knownAt === undefined || event.recordedAt <= filter.knownAt) &&
  (filter.tenant === undefined || event.tenant === filter.tenant)

/**
 * The state of a projection after reading the log up to (not including) `position`.
 *
 * @category models
 * @since 0.1.0
 */
export interface Snapshot<S> {
  readonly projection: string
  readonly version: number
  /** The next position to read. */
  readonly position: number
  readonly filter: TimeFilter
  readonly state: S
}

const sameFilter = (a: TimeFilter, b: TimeFilter) =>
  a.asOf === b.asOf && a.knownAt === b.knownAt && a.tenant === b.tenant

/**
 * A fold step over a chunk of stored events: filters, skips types the projection does not
 * handle, decodes the rest and evolves. Returns the decode error of the first bad event.
 *
 * @category folding
 * @since 0.1.0
 */
export const foldChunk = <S, E extends { readonly _tag: string }>(
  projection: Projection<S, E>,
  catalog: EventCatalog<E>,
  filter: TimeFilter,
  state: S,
  chunk: ReadonlyArray<StoredEvent>
): Result.Result<S, EventDecodeError> => {
  const handles = handledTypes(projection)
  const unfiltered = filter.asOf === undefined && filter.knownAt === undefined && filter.tenant === undefined
  let current = state
  for (let i = 0; i < chunk.length; i++) {
    const stored = chunk[i] as StoredEvent
    if (!handles.has(stored.type)) continue
    if (!unfiltered && !matches(filter, stored)) continue
    const decoded = catalog.decode(stored)
    if (Result.isFailure(decoded)) return Result.fail(decoded.failure)
    current = projection.evolve(current, decoded.success, stored)
  }
  return Result.succeed(current)
}

const handledCache = new WeakMap<object, ReadonlySet<string>>()
const handledTypes = (projection: { readonly handles: ReadonlyArray<string> }): ReadonlySet<string> => {
  let set = handledCache.get(projection)
  if (set === undefined) {
    set = new Set(projection.handles)
    handledCache.set(projection, set)
  }
  return set
}

/**
 * Folds a projection over an in-memory sequence of stored events (pure; for tests and small
 * logs).
 *
 * @category folding
 * @since 0.1.0
 */
export const foldEvents = <S, E extends { readonly _tag: string }>(
  projection: Projection<S, E>,
  catalog: EventCatalog<E>,
  events: ReadonlyArray<StoredEvent>,
  filter: TimeFilter = {}
): Result.Result<S, EventDecodeError> => foldChunk(projection, catalog, filter, projection.initialState(), events)

/**
 * Options of {@link run}.
 *
 * @category models
 * @since 0.1.0
 */
export interface RunOptions<S> extends TimeFilter {
  /**
   * Continue from this snapshot instead of from zero (ignored if its version or filter differ).
   * A run given `from` or `toPosition` neither reads nor writes persisted checkpoints.
   */
  readonly from?: Snapshot<S>
  /** Stop before this position (default: the end of the log when the run starts). */
  readonly toPosition?: number
}

const normalFilter = (filter: TimeFilter): TimeFilter => ({
  ...(filter.asOf === undefined ? {} : { asOf: filter.asOf }),
  ...(filter.knownAt === undefined ? {} : { knownAt: filter.knownAt }),
  ...(filter.tenant === undefined ? {} : { tenant: filter.tenant })
})

/**
 * Runs a projection over the store and returns its snapshot at the end of the log. With `from`,
 * only the events after the snapshot are read (catch-up).
 *
 * **Details**
 *
 * When a checkpoint store is provided (`ProjectionCheckpoints`, e.g. by the SQLite store's
 * `SqliteCheckpointStore.layer`), the run starts from the persisted snapshot of this projection
 * version and filter, folds only the events after it, and saves the new state (ADR 0035). The
 * answer equals a full replay either way.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Projection } from "@utblick/core"
 *
 * // "2022 as we reported it in March 2023":
 * // Projection.run(portfolio, catalog, { asOf: "2022-12-31", knownAt: "2023-03-15T23:59:59.999Z" })
 * ```
 *
 * @category folding
 * @since 0.1.0
 */
export const run = <S, E extends { readonly _tag: string }>(
  projection: Projection<S, E>,
  catalog: EventCatalog<E>,
  options: RunOptions<S> = {}
): Effect.Effect<Snapshot<S>, EventStoreError | EventDecodeError, EventStore> =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const filter = normalFilter(options)
    const checkpoints = yield* ProjectionCheckpoints
    const persistent = checkpoints.enabled && options.from === undefined && options.toPosition === undefined
    const key = keyOf(projection, filter)
    const resumed = persistent ? yield* resume<S>(store, checkpoints, key) : undefined
    const usable =
      options.from !== undefined &&
      options.from.projection === projection.name &&
      options.from.version === projection.version &&
      sameFilter(options.from.filter, filter)
    let state = resumed?.state ?? (usable ? (options.from as Snapshot<S>).state : projection.initialState())
    let position = resumed?.position ?? (usable ? (options.from as Snapshot<S>).position : 0)
    let hash: string | undefined
    // Reading to the head as it is now, a store may leave out the events the filter rejects
    // (SQLite filters them in SQL): the head then says where the read ended and with what hash.
    const end = options.toPosition === undefined ? yield* store.head : undefined
    const readOptions =
      end === undefined
        ? { fromPosition: position, toPosition: options.toPosition as number }
        : { fromPosition: position, toPosition: end.size, only: hintOf(projection, [filter]) }
    yield* store.readAll(readOptions).pipe(
      Stream.runForEachArray((chunk) => {
        const next = foldChunk(projection, catalog, filter, state, chunk)
        if (Result.isFailure(next)) return Effect.fail(next.failure)
        state = next.success
        const last = chunk[chunk.length - 1] as StoredEvent
        position = last.position + 1
        hash = last.hash
        return Effect.void
      })
    )
    if (end !== undefined && position < end.size) {
      position = end.size
      hash = end.lastHash ?? undefined
    }
    if (persistent) yield* persist(checkpoints, key, resumed, position, hash, state)
    return { projection: projection.name, version: projection.version, position, filter, state }
  })

/**
 * A projection that reads only each event's head (`EventStore.EventHead`: position, type, tenant,
 * business and recording time, hash), never its payload: what the log holds, per tenant or year.
 *
 * @category models
 * @since 0.3.0
 */
export interface HeadProjection<S> {
  readonly name: string
  readonly version: number
  readonly handles: ReadonlyArray<string>
  readonly initialState: () => S
  readonly evolve: (state: S, head: EventHead) => S
}

/**
 * Runs a {@link HeadProjection} over the store, as {@link run} runs a projection: from its persisted
 * snapshot when a checkpoint store is provided, saved again by the same policy.
 *
 * **Details**
 *
 * A store that reads heads (`EventStore.readHeads`, the SQLite store) leaves every record's text on
 * disk; any other store's events are read whole and used as heads. Nothing is decoded, so an event
 * whose payload no longer decodes still counts. A snapshot kept by {@link run} for a projection
 * of the same name, version and state resumes here, and the other way round.
 *
 * @category folding
 * @since 0.3.0
 */
export const runHeads = <S>(
  projection: HeadProjection<S>,
  options: TimeFilter = {}
): Effect.Effect<Snapshot<S>, EventStoreError, EventStore> =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const filter = normalFilter(options)
    const checkpoints = yield* ProjectionCheckpoints
    const key = keyOf(projection, filter)
    const resumed = checkpoints.enabled ? yield* resume<S>(store, checkpoints, key) : undefined
    let state = resumed?.state ?? projection.initialState()
    let position = resumed?.position ?? 0
    let hash: string | undefined
    const handles = handledTypes(projection)
    const unfiltered =
      filter.asOf === undefined && filter.knownAt === undefined && filter.tenant === undefined
    const range = { fromPosition: position }
    const heads: Stream.Stream<EventHead, EventStoreError> = store.readHeads?.(range) ?? store.readAll(range)
    yield* heads.pipe(
      Stream.runForEachArray((chunk) =>
        Effect.sync(() => {
          for (const head of chunk) {
            if (handles.has(head.type) && (unfiltered || matches(filter, head)))
              state = projection.evolve(state, head)
          }
          const last = chunk[chunk.length - 1] as EventHead
          position = last.position + 1
          hash = last.hash
        })
      )
    )
    if (checkpoints.enabled) yield* persist(checkpoints, key, resumed, position, hash, state)
    return { projection: projection.name, version: projection.version, position, filter, state }
  })

/**
 * Runs a projection under several time filters in ONE pass over the log: each stored event is read
 * and decoded once, then folded into every state whose filter it passes. Equal to one `run` per
 * filter (tested), at the cost of one — what year comparisons and reports need.
 *
 * With a checkpoint store, each filter resumes from its own persisted snapshot; the pass starts at
 * the smallest of their positions, and each state takes only the events past its own.
 *
 * @category folding
 * @since 0.1.0
 */
export const runMany = <S, E extends { readonly _tag: string }>(
  projection: Projection<S, E>,
  catalog: EventCatalog<E>,
  filters: ReadonlyArray<TimeFilter>
): Effect.Effect<ReadonlyArray<Snapshot<S>>, EventStoreError | EventDecodeError, EventStore> =>
  Effect.map(runShared(projection, catalog, filters, noLiveStates), (pass) => pass.snapshots)

/**
 * {@link runMany}, lending the snapshots to `use` instead of returning them: what a caller that
 * only reads the states (to compute a report from them) calls, so that a long-running process
 * can keep them live between runs (`LiveStates`, ADR 0042) and fold only the new events into them
 * next time, without reading their persisted snapshots again.
 *
 * **Gotchas**
 *
 * `use` is synchronous and must not keep a reference to any state: once it returns, the states
 * go back to the `LiveStates` holder and the next run updates them in place. Without a holder
 * (the default) this is `runMany` followed by `use`.
 *
 * @category folding
 * @since 0.2.0
 */
export const runManyWith = <S, E extends { readonly _tag: string }, A>(
  projection: Projection<S, E>,
  catalog: EventCatalog<E>,
  filters: ReadonlyArray<TimeFilter>,
  use: (snapshots: ReadonlyArray<Snapshot<S>>) => A
): Effect.Effect<A, EventStoreError | EventDecodeError, EventStore> =>
  runManyWithEffect(projection, catalog, filters, (snapshots) => Effect.sync(() => use(snapshots)))

/**
 * {@link runManyWith} for a `use` that is an effect: what a caller calls that writes what it
 * derives from the states as it goes (rows of a read model, page by page), so that no copy of
 * the whole derived data is held at once.
 *
 * **Gotchas**
 *
 * The states stay lent until `use`'s effect ends: no other run takes them meanwhile (it resumes
 * from the persisted snapshot instead). They go back to the `LiveStates` holder only when `use`
 * succeeds; after a failure or an interruption they are dropped, as if never kept. `use` must
 * not change them or keep a reference to them.
 *
 * @category folding
 * @since 0.3.0
 */
export const runManyWithEffect = <S, E extends { readonly _tag: string }, A, E2, R2>(
  projection: Projection<S, E>,
  catalog: EventCatalog<E>,
  filters: ReadonlyArray<TimeFilter>,
  use: (snapshots: ReadonlyArray<Snapshot<S>>) => Effect.Effect<A, E2, R2>
): Effect.Effect<A, EventStoreError | EventDecodeError | E2, EventStore | R2> =>
  Effect.gen(function* () {
    const live = yield* LiveStates
    const pass = yield* runShared(projection, catalog, filters, live)
    const answer = yield* use(pass.snapshots)
    pass.keep()
    return answer
  })

// What a pass folds, as a hint to the store (`EventStore.ReadHint`): the projection's types, and
// each clock or tenant only when every filter bounds it (the largest bound lets through every event
// any filter passes, strings compared as `matches` compares them; a store comparing UTF-8 bytes
// ranks the envelope's ASCII dates against any bound as JavaScript does).
const hintOf = (
  projection: { readonly handles: ReadonlyArray<string> },
  filters: ReadonlyArray<TimeFilter>
): ReadHint => {
  const largest = (values: ReadonlyArray<string | undefined>): string | undefined => {
    let top: string | undefined
    for (const value of values) {
      if (value === undefined) return undefined
      if (top === undefined || value > top) top = value
    }
    return top
  }
  const tenant =
    filters.length > 0 && filters.every((f) => f.tenant !== undefined && f.tenant === filters[0]?.tenant)
  const asOf = largest(filters.map((f) => f.asOf))
  const knownAt = largest(filters.map((f) => f.knownAt))
  return {
    types: projection.handles,
    ...(tenant ? { tenant: filters[0]?.tenant as string } : {}),
    ...(asOf === undefined ? {} : { asOf }),
    ...(knownAt === undefined ? {} : { knownAt })
  }
}

// The pass of runMany and runManyWith: the snapshots, and `keep` to hand their states to the live
// holder once the caller is done with them.
const runShared = <S, E extends { readonly _tag: string }>(
  projection: Projection<S, E>,
  catalog: EventCatalog<E>,
  filters: ReadonlyArray<TimeFilter>,
  live: LiveStatesShape
): Effect.Effect<
  { readonly snapshots: ReadonlyArray<Snapshot<S>>; readonly keep: () => void },
  EventStoreError | EventDecodeError,
  EventStore
> =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const handles = handledTypes(projection)
    const checkpoints = yield* ProjectionCheckpoints
    // A live state is checked against its checkpoint before each use: without `peek` it never
    // could be, so none is kept.
    const keeping = live.enabled && checkpoints.enabled && checkpoints.peek !== undefined
    const keys = filters.map((filter) => keyOf(projection, normalFilter(filter)))
    const resumed: Array<Resumed<S> | undefined> = []
    // The persisted checkpoint each state agrees with: what the saving policy counts from, and
    // what a kept live state is checked against next time.
    const bases: Array<Basis | undefined> = []
    for (const key of keys) {
      const taken = keeping ? yield* takeLive<S>(store, checkpoints, live, key) : undefined
      const found = taken ?? (checkpoints.enabled ? yield* resume<S>(store, checkpoints, key) : undefined)
      resumed.push(found)
      bases.push(taken?.basis ?? (found === undefined ? undefined : { position: found.position, hash: found.hash, bytes: found.bytes }))
    }
    const states = resumed.map((r) => r?.state ?? projection.initialState())
    const starts = resumed.map((r) => r?.position ?? 0)
    const from = starts.length === 0 ? 0 : Math.min(...starts)
    let position = from
    let hash: string | undefined
    const end = yield* store.head
    const range = { fromPosition: from, toPosition: end.size, only: hintOf(projection, filters) }
    yield* store.readAll(range).pipe(
      Stream.runForEachArray((chunk) => {
        for (const stored of chunk) {
          if (!handles.has(stored.type)) continue
          let event: E | undefined
          for (let i = 0; i < filters.length; i++) {
            if (stored.position < (starts[i] as number)) continue
            if (!matches(filters[i] as TimeFilter, stored)) continue
            if (event === undefined) {
              const decoded = catalog.decode(stored)
              if (Result.isFailure(decoded)) return Effect.fail(decoded.failure)
              event = decoded.success
            }
            states[i] = projection.evolve(states[i] as S, event, stored)
          }
        }
        const last = chunk[chunk.length - 1] as StoredEvent
        position = last.position + 1
        hash = last.hash
        return Effect.void
      })
    )
    // Events the store left out (see `hintOf`) still moved the read to the head.
    if (position < end.size) {
      position = end.size
      hash = end.lastHash ?? undefined
    }
    // A filter whose checkpoint was already at the end of the log read nothing: keep its position.
    const ends = starts.map((start) => Math.max(start, position))
    if (checkpoints.enabled) {
      for (let i = 0; i < filters.length; i++) {
        if (hash === undefined || (ends[i] as number) === (starts[i] as number)) continue
        const saved = yield* persist(checkpoints, keys[i] as CheckpointKey, bases[i], ends[i] as number, hash, states[i])
        if (saved !== undefined) bases[i] = saved
      }
    }
    const snapshots = filters.map((filter, i) => ({
      projection: projection.name,
      version: projection.version,
      position: ends[i] as number,
      filter,
      state: states[i] as S
    }))
    const keep = () => {
      if (!keeping) return
      for (let i = 0; i < filters.length; i++) {
        const basis = bases[i]
        const end = ends[i] as number
        // The hash of the event before this state's position: the pass's last, or its own start's.
        const last = end === (starts[i] as number) ? resumed[i]?.hash : hash
        if (basis === undefined || last === undefined || end < 1) continue
        live.put(keys[i] as CheckpointKey, { position: end, hash: last, state: states[i], basis })
      }
    }
    return { snapshots, keep }
  })

/**
 * Runs a projection live: catches up, then emits a fresh snapshot after every chunk of new
 * events, forever. Interrupt the stream to stop.
 *
 * @category folding
 * @since 0.1.0
 */
export const live = <S, E extends { readonly _tag: string }>(
  projection: Projection<S, E>,
  catalog: EventCatalog<E>,
  options: { readonly from?: Snapshot<S>; readonly tenant?: string } = {}
): Stream.Stream<Snapshot<S>, EventStoreError | EventDecodeError, EventStore> =>
  Stream.unwrap(
    Effect.gen(function* () {
      const store = yield* EventStore
      const filter: TimeFilter = options.tenant === undefined ? {} : { tenant: options.tenant }
      const usable =
        options.from !== undefined &&
        options.from.projection === projection.name &&
        options.from.version === projection.version &&
        sameFilter(options.from.filter, filter)
      let state = usable ? (options.from as Snapshot<S>).state : projection.initialState()
      let position = usable ? (options.from as Snapshot<S>).position : 0
      return store.subscribe({ fromPosition: position }).pipe(
        Stream.mapArray((chunk) => [chunk] as const),
        Stream.mapEffect((chunk) => {
          const next = foldChunk(projection, catalog, filter, state, chunk)
          if (Result.isFailure(next)) return Effect.fail(next.failure)
          state = next.success
          position = (chunk[chunk.length - 1] as StoredEvent).position + 1
          const snapshot: Snapshot<S> = {
            projection: projection.name,
            version: projection.version,
            position,
            filter,
            state
          }
          return Effect.succeed(snapshot)
        })
      )
    })
  )
