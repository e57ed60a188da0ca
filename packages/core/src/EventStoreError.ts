/**
 * The one error type of every event store, with a `reason` that says what went wrong.
 *
 * Match a single reason with `Effect.catchReason("EventStoreError", "ConcurrencyConflict", f)`.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * The stream was not at the version the writer expected: someone else appended first.
 * Reload the stream, decide again and retry (the command handler does this for you).
 *
 * @category errors
 * @since 0.1.0
 */
export class ConcurrencyConflict extends Schema.TaggedClass<ConcurrencyConflict>()("ConcurrencyConflict", {
  streamId: Schema.String,
  expected: Schema.String,
  actual: Schema.Number
}) {
  get message(): string {
    return `stream "${this.streamId}" is at version ${this.actual}, but the append expected ${this.expected}; reload the stream and decide again`
  }
  /** A conflict is resolved by reloading and retrying. */
  get isRetryable(): boolean {
    return true
  }
}

/**
 * An event id that is already stored was appended again with different neighbours, so the
 * append is neither new nor an exact retry of an earlier one.
 *
 * @category errors
 * @since 0.1.0
 */
export class DuplicateEvent extends Schema.TaggedClass<DuplicateEvent>()("DuplicateEvent", {
  eventId: Schema.String,
  streamId: Schema.String,
  position: Schema.Number
}) {
  get message(): string {
    return `event ${this.eventId} is already stored at position ${this.position} (stream "${this.streamId}") and this batch is not an exact retry of that append; use fresh event ids for new events`
  }
  get isRetryable(): boolean {
    return false
  }
}

/**
 * An event in the batch is malformed. `index` is its place in the batch, `field` a JSON pointer
 * into the event, `value` what was found and `rule` what is required. Nothing was written.
 *
 * @category errors
 * @since 0.1.0
 */
export class InvalidEvent extends Schema.TaggedClass<InvalidEvent>()("InvalidEvent", {
  streamId: Schema.String,
  index: Schema.Number,
  field: Schema.String,
  value: Schema.String,
  rule: Schema.String
}) {
  get message(): string {
    return `event #${this.index} for stream "${this.streamId}": field ${this.field} = ${this.value} is invalid: ${this.rule}; nothing was written`
  }
  get isRetryable(): boolean {
    return false
  }
}

/**
 * The store cannot be reached or refused the operation for an environmental reason (disk full,
 * read-only file, dropped connection). Nothing was written; `isRetryable` says whether trying
 * again later may succeed.
 *
 * @category errors
 * @since 0.1.0
 */
export class Unavailable extends Schema.TaggedClass<Unavailable>()("Unavailable", {
  operation: Schema.String,
  detail: Schema.String,
  retryable: Schema.Boolean,
  cause: Schema.optionalKey(Schema.Defect())
}) {
  get message(): string {
    return `the store could not ${this.operation}: ${this.detail}${this.retryable ? " (try again once the fault is fixed; nothing was written)" : ""}`
  }
  get isRetryable(): boolean {
    return this.retryable
  }
}

/**
 * A stored row no longer decodes. Reads stop here rather than skip it; the position and stream
 * say where to look.
 *
 * @category errors
 * @since 0.1.0
 */
export class Corrupt extends Schema.TaggedClass<Corrupt>()("Corrupt", {
  position: Schema.Number,
  streamId: Schema.String,
  detail: Schema.String
}) {
  get message(): string {
    return `the stored event at position ${this.position} (stream "${this.streamId}") is corrupt: ${this.detail}`
  }
  get isRetryable(): boolean {
    return false
  }
}

/**
 * Every reason an event store operation can fail.
 *
 * @category errors
 * @since 0.1.0
 */
export const EventStoreErrorReason = Schema.Union([
  ConcurrencyConflict,
  DuplicateEvent,
  InvalidEvent,
  Unavailable,
  Corrupt
])

/**
 * @category errors
 * @since 0.1.0
 */
export type EventStoreErrorReason = typeof EventStoreErrorReason.Type

/**
 * The error of every event store operation; `reason` says which of the failure classes occurred
 * and carries the details a person needs to act on it.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { EventStore } from "@utblick/core"
 *
 * const appendOnce = (store: EventStore.EventStore["Service"]) =>
 *   store.append("trip-1", [], { expectedVersion: "no-stream" }).pipe(
 *     Effect.catchReason("EventStoreError", "ConcurrencyConflict", (conflict) =>
 *       Effect.logWarning(conflict.message)
 *     )
 *   )
 * ```
 *
 * @category errors
 * @since 0.1.0
 */
export class EventStoreError extends Schema.TaggedError<EventStoreError>()("EventStoreError", {
  reason: EventStoreErrorReason
}) {
  override get message(): string {
    return this.reason.message
  }
  /** Whether retrying the same operation later may succeed. */
  get isRetryable(): boolean {
    return this.reason.isRetryable
  }
}

/**
 * Wraps a reason into an {@link EventStoreError}.
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromReason = (reason: EventStoreErrorReason): EventStoreError => new EventStoreError({ reason })
