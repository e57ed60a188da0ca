/**
 * The `EventStore` service: an append-only, hash-chained log of events, partitioned into
 * streams, with optimistic concurrency per stream and a global, gap-free position.
 *
 * Implementations: {@link layerMemory} here; `@utblick/store-sqlite` and
 * `@utblick/store-postgres` for durable storage. All pass the contract suite in
 * `@utblick/core/testing`.
 *
 * @since 0.1.0
 */
import { Clock, Context, Effect, Layer, Result, Stream } from "effect"
import {
  type AppendPlan,
  type AppendResult,
  type CommittedView,
  EMPTY_HEAD,
  type LogHead,
  planAppend,
  type StreamWrite
} from "./AppendPlanner.js"
import type { EventToAppend, StoredEvent, StoredRecord } from "./Envelope.js"
import { type EventCatalog, markKept } from "./EventCatalog.js"
import { type EventStoreError, fromReason, InvalidEvent } from "./EventStoreError.js"
import type { ExpectedVersion } from "./ExpectedVersion.js"
import { makeAppendSignal, tail } from "./LiveTail.js"
import { uuidV7At } from "./Uuid.js"

export type { AppendResult, LogHead, StreamWrite } from "./AppendPlanner.js"

/**
 * Options of a single-stream append.
 *
 * @category models
 * @since 0.1.0
 */
export interface AppendOptions {
  /** Defaults to `"any"`. */
  readonly expectedVersion?: ExpectedVersion
}

/**
 * Options of a read over the whole log.
 *
 * @category models
 * @since 0.1.0
 */
export interface ReadAllOptions {
  /** First position to read (inclusive); defaults to 0. */
  readonly fromPosition?: number
  /** Position to stop before (exclusive); defaults to the end of the log when the read starts. */
  readonly toPosition?: number
  /** How many events each chunk of the stream holds; defaults to 1,000. */
  readonly batchSize?: number
  /**
   * Optional: the events the reader will use (see {@link ReadHint}). A store may leave out events
   * that do not pass it; every event that passes is still returned, in order. A reader that gives
   * a hint checks each event itself, and neither counts the events nor takes the last one read as
   * the end of the range.
   */
  readonly only?: ReadHint
}

/**
 * Which events a reader will use: of these types, of this tenant, with `occurredAt` at most
 * `asOf`, with `recordedAt` at most `knownAt` (compared as strings, as `Projection.matches`
 * compares them). Each part left out lets every event through.
 *
 * @category models
 * @since 0.3.0
 */
export interface ReadHint {
  readonly types?: ReadonlyArray<string>
  readonly tenant?: string
  readonly asOf?: string
  readonly knownAt?: string
}

/**
 * What every event store offers.
 *
 * @category models
 * @since 0.1.0
 */
export interface EventStoreShape {
  /** The identity of this log; it is part of every hashed record. */
  readonly origin: string
  /** Appends events to one stream, all or nothing. */
  readonly append: (
    streamId: string,
    events: ReadonlyArray<EventToAppend>,
    options?: AppendOptions
  ) => Effect.Effect<AppendResult, EventStoreError>
  /** Appends to several streams in one all-or-nothing unit (imports, sagas). */
  readonly appendMany: (writes: ReadonlyArray<StreamWrite>) => Effect.Effect<ReadonlyArray<AppendResult>, EventStoreError>
  /** The events of one stream in version order, from `fromVersion` (1-based, default 1). */
  readonly readStream: (
    streamId: string,
    options?: { readonly fromVersion?: number }
  ) => Effect.Effect<ReadonlyArray<StoredEvent>, EventStoreError>
  /** Every event in global order, in chunks, in constant memory for durable stores. */
  readonly readAll: (options?: ReadAllOptions) => Stream.Stream<StoredEvent, EventStoreError>
  /**
   * Optional: the envelope fields of every event in global order, without parsing payloads —
   * what a scan needs to decide whether events count for a time filter (ADR 0038). A store with
   * indexed columns reads them directly; callers fall back to `readAll` when it is absent.
   */
  readonly readHeads?: (options?: ReadAllOptions) => Stream.Stream<EventHead, EventStoreError>
  /** The exact stored bytes of every event in global order, for audit and export. */
  readonly readRecords: (options?: ReadAllOptions) => Stream.Stream<StoredRecord, EventStoreError>
  /** Every event from `fromPosition` on, then each new event as it is appended; never ends. */
  readonly subscribe: (options?: { readonly fromPosition?: number }) => Stream.Stream<StoredEvent, EventStoreError>
  /** The current end of the log. */
  readonly head: Effect.Effect<LogHead, EventStoreError>
}

/**
 * The envelope fields of a stored event that decide whether it passes a time filter, with its
 * position and hash (see `EventStoreShape.readHeads`).
 *
 * @category models
 * @since 0.2.0
 */
export type EventHead = Pick<StoredEvent, "position" | "type" | "tenant" | "occurredAt" | "recordedAt" | "hash">

/**
 * Every event's position and chain hash in global order, as stored: read with the heads when the
 * store offers `readHeads` (no record text is read), otherwise with the records. What a Merkle
 * root or an extension proof over the log needs, and nothing more.
 *
 * @category utils
 * @since 0.3.0
 */
export const readHashes = (
  store: EventStoreShape,
  options?: ReadAllOptions
): Stream.Stream<Pick<EventHead, "position" | "hash">, EventStoreError> =>
  store.readHeads?.(options) ?? store.readRecords(options)

/**
 * The event store service.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { EventStore } from "@utblick/core"
 *
 * const program = Effect.gen(function* () {
 *   const store = yield* EventStore.EventStore
 *   yield* store.append("actor-lulea", [{
 *     type: "ActorRegistered", schemaVersion: 1, occurredAt: "2020-01-01", tenant: "lulea-kommun",
 *     actor: { id: "registrar", role: "registrar" },
 *     payload: { actorId: "lulea", name: "Luleå kommun", kind: "municipality" }
 *   }], { expectedVersion: "no-stream" })
 *   return (yield* store.head).size
 * })
 * Effect.runPromise(program.pipe(Effect.provide(EventStore.layerMemory()))) // 1
 * ```
 *
 * @category services
 * @since 0.1.0
 */
export class EventStore extends Context.Service<EventStore, EventStoreShape>()("~utblick/core/EventStore") {}

/**
 * Options of the in-memory store.
 *
 * @category models
 * @since 0.1.0
 */
export interface MemoryOptions {
  /** The log's origin; defaults to `utblick.local/memory`. */
  readonly origin?: string
  /**
   * Validate every payload against this catalogue at append time. A payload it refuses (or a
   * type it does not know) fails the whole append with `InvalidEvent`, and nothing is written.
   * The decoded events are remembered (ADR 0009), so replays with this catalogue read them
   * without decoding, from the first on: the cost of validation moves from the first replay to
   * the append.
   */
  readonly catalog?: Pick<EventCatalog<{ readonly _tag: string }>, "decode">
}

const DEFAULT_BATCH = 1000

// Decodes every planned event with `catalog`, which remembers the decoded values on the (kept)
// events; returns the error for the first event it refuses. The index reported is the event's
// place among this append's events for its stream.
const validate = (
  catalog: Pick<EventCatalog<{ readonly _tag: string }>, "decode">,
  plan: AppendPlan
): EventStoreError | undefined => {
  const seen = new Map<string, number>()
  for (const { event } of plan.records) {
    const index = seen.get(event.streamId) ?? 0
    seen.set(event.streamId, index + 1)
    markKept(event)
    const decoded = catalog.decode(event)
    if (Result.isFailure(decoded)) {
      return fromReason(
        new InvalidEvent({
          streamId: event.streamId,
          index,
          field: "/payload",
          value: event.type,
          rule: decoded.failure.detail
        })
      )
    }
  }
  return undefined
}

/**
 * Builds an in-memory event store. It keeps the same promises as the durable stores (canonical
 * bytes, chain, positions, atomic batches) and is meant for tests and benchmarks.
 *
 * **Gotchas**
 *
 * It keeps the payload objects you append and hands the same objects out on every read: do not
 * change a payload after appending it: the canonical text and hash, which `readRecords`, export
 * and verification use, stay as appended, so replays would fold something other than what the
 * log proves. Copying or deep-freezing every payload at append was measured and not adopted:
 * either made the first rebuild of the indicators benchmark markedly slower (see the performance
 * reference).
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeMemory = (options: MemoryOptions = {}): Effect.Effect<EventStoreShape> =>
  Effect.sync(() => {
    const origin = options.origin ?? "utblick.local/memory"
    const events: Array<StoredEvent> = []
    const canonical: Array<string> = []
    const streams = new Map<string, Array<number>>()
    // Event ids are indexed only when an append carries ids of its own (a retry, or a caller's
    // ids): most appends let the planner draw them and never look one up, so they skip the map.
    const byEventId = new Map<string, number>()
    let indexed = 0
    let head: LogHead = EMPTY_HEAD
    const signal = makeAppendSignal(() => events.length)

    const view: CommittedView = {
      streamTip: (streamId) => {
        const positions = streams.get(streamId)
        if (positions === undefined || positions.length === 0) return { version: 0, lastHash: null }
        const last = events[positions[positions.length - 1] as number] as StoredEvent
        return { version: last.streamVersion, lastHash: last.hash }
      },
      findEvent: (eventId) => {
        for (; indexed < events.length; indexed++) byEventId.set((events[indexed] as StoredEvent).eventId, indexed)
        const position = byEventId.get(eventId)
        return position === undefined ? undefined : events[position]
      }
    }

    const commit = (plan: AppendPlan) => {
      for (const record of plan.records) {
        const { event } = record
        events.push(event)
        markKept(event)
        canonical.push(record.canonical)
        let positions = streams.get(event.streamId)
        if (positions === undefined) {
          positions = []
          streams.set(event.streamId, positions)
        }
        positions.push(event.position)
      }
      head = plan.head
      if (plan.records.length > 0) signal.notify()
    }

    const appendMany = (writes: ReadonlyArray<StreamWrite>) =>
      Effect.flatMap(Clock.currentTimeMillis, (nowMillis) => {
        // Planning and committing happen in one synchronous step, so no other fiber can
        // interleave: that is this store's transaction.
        const planned = planAppend({
          origin,
          head,
          view,
          writes,
          nowMillis,
          newEventId: () => uuidV7At(nowMillis)
        })
        if (Result.isFailure(planned)) return Effect.fail(planned.failure)
        if (options.catalog !== undefined) {
          const refused = validate(options.catalog, planned.success)
          if (refused !== undefined) return Effect.fail(refused)
        }
        commit(planned.success)
        return Effect.succeed(planned.success.results)
      })

    const range = (options: ReadAllOptions | undefined) => {
      const from = Math.max(0, options?.fromPosition ?? 0)
      const to = Math.min(events.length, options?.toPosition ?? events.length)
      return { from, to, batch: Math.max(1, options?.batchSize ?? DEFAULT_BATCH) }
    }

    const pages = <A>(options: ReadAllOptions | undefined, item: (position: number) => A): Stream.Stream<A> =>
      Stream.suspend(() => {
        const { from, to, batch } = range(options)
        const chunks: Array<ReadonlyArray<A>> = []
        for (let start = from; start < to; start += batch) {
          const end = Math.min(to, start + batch)
          const chunk = new Array<A>(end - start)
          for (let p = start; p < end; p++) chunk[p - start] = item(p)
          chunks.push(chunk)
        }
        return Stream.fromArrays(...chunks)
      })

    const shape: EventStoreShape = {
      origin,
      append: appendViaMany(appendMany),
      appendMany,
      readStream: (streamId, readOptions) =>
        Effect.sync(() => {
          const fromVersion = readOptions?.fromVersion ?? 1
          const positions = streams.get(streamId) ?? []
          return positions.slice(Math.max(0, fromVersion - 1)).map((p) => events[p] as StoredEvent)
        }),
      readAll: (readOptions) => pages(readOptions, (p) => events[p] as StoredEvent),
      readRecords: (readOptions) =>
        pages(readOptions, (p) => {
          const event = events[p] as StoredEvent
          return { position: p, canonical: canonical[p] as string, prevHash: event.prevHash, hash: event.hash }
        }),
      subscribe: (subscribeOptions) =>
        tail({
          fromPosition: subscribeOptions?.fromPosition ?? 0,
          signal,
          readPage: (from) => Effect.sync(() => events.slice(from, from + DEFAULT_BATCH))
        }),
      head: Effect.sync(() => head)
    }
    return shape
  })

/**
 * A layer providing an empty in-memory {@link EventStore}.
 *
 * @category layers
 * @since 0.1.0
 */
export const layerMemory = (options: MemoryOptions = {}): Layer.Layer<EventStore> =>
  Layer.effect(EventStore, Effect.map(makeMemory(options), EventStore.of))

/**
 * Builds the single-stream form of an append from `appendMany`; durable stores use it so that
 * both forms share one code path.
 *
 * @category utils
 * @since 0.1.0
 */
export const appendViaMany =
  (appendMany: EventStoreShape["appendMany"]): EventStoreShape["append"] =>
  (streamId, events, options) =>
    Effect.map(
      appendMany([
        options?.expectedVersion === undefined
          ? { streamId, events }
          : { streamId, events, expectedVersion: options.expectedVersion }
      ]),
      (results) => results[0] as AppendResult
    )
