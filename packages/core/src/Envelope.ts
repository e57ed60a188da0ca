/**
 * The envelope every stored event travels in: identity, position, the two clocks, who decided,
 * under which case number, for which tenant, and the links of the hash chain.
 *
 * Business time (`occurredAt`) is a calendar date, transaction time (`recordedAt`) a UTC instant
 * in one fixed ISO form, so both compare correctly as strings (see ADR 0003).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import type { JsonObject } from "./CanonicalJson.js"
import { isHash } from "./HashChain.js"
import { predicate } from "./internal/FastGuard.js"
import { isUuidV7 } from "./Uuid.js"

// The digits of `value` from `start` to `end` (exclusive) as a number, or -1 if any is not 0–9.
const digits = (value: string, start: number, end: number): number => {
  let n = 0
  for (let i = start; i < end; i++) {
    const d = value.charCodeAt(i) - 48
    if (d < 0 || d > 9) return -1
    n = n * 10 + d
  }
  return n
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const

/**
 * Whether `value` is `YYYY-MM-DD` and a day of the (proleptic Gregorian) calendar. Years before
 * 100 are refused, as they always were here (the first implementation went through `Date.UTC`,
 * which reads years 0–99 as 1900–1999). Parsed by hand: every date field of every event is
 * checked on replay, and a regular expression plus a `Date` cost several times more; a property
 * test holds this to the `Date`-based definition.
 *
 * @category guards
 * @since 0.1.0
 */
export const isRealCalendarDate = (value: string): boolean => {
  if (value.length !== 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return false
  const year = digits(value, 0, 4)
  const month = digits(value, 5, 7)
  const day = digits(value, 8, 10)
  if (year < 100 || month < 1 || month > 12 || day < 1) return false
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  return day <= (month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number))
}

/**
 * A calendar date `YYYY-MM-DD` (no time, no zone): the date of a decision, a signature or a trip.
 *
 * @category schemas
 * @since 0.1.0
 */
export const CalendarDate = Schema.String.pipe(
  Schema.check(
    predicate(isRealCalendarDate, {
      title: "CalendarDate",
      message: "a calendar date must be written YYYY-MM-DD and exist in the calendar"
    })
  ),
  Schema.brand("CalendarDate")
)

/**
 * @category models
 * @since 0.1.0
 */
export type CalendarDate = typeof CalendarDate.Type

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

/**
 * A UTC instant written exactly as `Date.prototype.toISOString` does
 * (`2023-03-15T09:30:00.000Z`), so that instants sort as strings.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Instant = Schema.String.pipe(
  Schema.check(
    predicate((s: string) => INSTANT.test(s) && !Number.isNaN(Date.parse(s)), {
      title: "Instant",
      message: "an instant must be a UTC time written YYYY-MM-DDTHH:mm:ss.sssZ"
    })
  ),
  Schema.brand("Instant")
)

/**
 * @category models
 * @since 0.1.0
 */
export type Instant = typeof Instant.Type

/**
 * Converts epoch milliseconds to an {@link Instant}.
 *
 * @category utils
 * @since 0.1.0
 */
export const instantFromMillis = (millis: number): Instant => new Date(millis).toISOString() as Instant

/**
 * The identifier of a stream: one membership, agreement, application, grant, trip, …
 * Lowercase letters, digits and `-_.:` only, 1–200 characters.
 *
 * @category schemas
 * @since 0.1.0
 */
export const StreamId = Schema.String.pipe(
  Schema.check(
    Schema.isPattern(/^[a-z0-9][a-z0-9._:-]{0,199}$/, {
      message: "a stream id must be 1–200 characters of a–z, 0–9 and . _ : -, starting with a letter or digit"
    })
  ),
  Schema.brand("StreamId")
)

/**
 * @category models
 * @since 0.1.0
 */
export type StreamId = typeof StreamId.Type

/**
 * Whose record an event belongs to: a municipality or region, e.g. `lulea-kommun`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const TenantId = Schema.String.pipe(
  Schema.check(
    Schema.isPattern(/^[a-z0-9][a-z0-9-]{0,62}$/, {
      message: "a tenant id must be 1–63 characters of a–z, 0–9 and -, starting with a letter or digit"
    })
  ),
  Schema.brand("TenantId")
)

/**
 * @category models
 * @since 0.1.0
 */
export type TenantId = typeof TenantId.Type

/**
 * A UUIDv7 event identifier.
 *
 * @category schemas
 * @since 0.1.0
 */
export const EventId = Schema.String.pipe(
  Schema.check(predicate(isUuidV7, { title: "EventId", message: "an event id must be a lowercase UUIDv7" }))
)

/**
 * A SHA-256 hash as 64 lowercase hex digits.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Hash = Schema.String.pipe(
  Schema.check(predicate(isHash, { title: "Hash", message: "a hash must be 64 lowercase hex digits" }))
)

/**
 * Who gave a command: a person or body (`id`) acting in a `role`, e.g.
 * `{ id: "rur-norrbotten", role: "regional-development-board" }`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Actor = Schema.Struct({
  id: Schema.NonEmptyString,
  role: Schema.NonEmptyString
})

/**
 * @category models
 * @since 0.1.0
 */
export type Actor = typeof Actor.Type

/**
 * An arbitrary JSON object (the encoded payload of an event).
 *
 * @category schemas
 * @since 0.1.0
 */
export const JsonObjectSchema: Schema.Codec<JsonObject> = Schema.Record(Schema.String, Schema.Json) as Schema.Codec<
  JsonObject,
  JsonObject
>

const NonNegativeInt = Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0)))
const PositiveInt = Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(1)))

/**
 * The version of the envelope layout itself; it is part of every hashed record.
 *
 * @category constants
 * @since 0.1.0
 */
export const ENVELOPE_VERSION = 1

/**
 * The fields of a stored event that its canonical bytes cover: everything but `prevHash` and
 * `hash`, which the chain concatenates and produces.
 *
 * @category schemas
 * @since 0.1.0
 */
export const RecordBody = Schema.Struct({
  v: Schema.Literal(ENVELOPE_VERSION),
  origin: Schema.NonEmptyString,
  position: NonNegativeInt,
  eventId: EventId,
  streamId: StreamId,
  streamVersion: PositiveInt,
  streamPrev: Schema.NullOr(Hash),
  type: Schema.NonEmptyString,
  schemaVersion: PositiveInt,
  occurredAt: CalendarDate,
  recordedAt: Instant,
  tenant: TenantId,
  actor: Actor,
  decisionRef: Schema.NullOr(Schema.NonEmptyString),
  correlationId: Schema.NonEmptyString,
  causationId: Schema.NullOr(Schema.NonEmptyString),
  payload: JsonObjectSchema
})

/**
 * @category models
 * @since 0.1.0
 */
export type RecordBody = typeof RecordBody.Type

/**
 * A stored event as every store returns it: the hashed body plus the two chain hashes.
 *
 * `streamPrev` links to the hash of the previous event of the same stream (`null` for version 1),
 * so an auditor holding one stream can check it is contiguous without the rest of the log.
 *
 * @category schemas
 * @since 0.1.0
 */
export const StoredEvent = Schema.Struct({
  ...RecordBody.fields,
  prevHash: Hash,
  hash: Hash
})

/**
 * @category models
 * @since 0.1.0
 */
export type StoredEvent = typeof StoredEvent.Type

/**
 * The exact bytes a store keeps for one event, for audit and export: the canonical JSON of the
 * {@link RecordBody} and the two chain hashes.
 *
 * @category models
 * @since 0.1.0
 */
export interface StoredRecord {
  readonly position: number
  readonly canonical: string
  readonly prevHash: string
  readonly hash: string
}

/**
 * The columns a store keeps beside each record so it can find events without parsing them, and the
 * field of the hashed record each one copies. They are not hashed themselves, so a verifier checks
 * that every column still says what its record says: a row whose `stream_id` was altered would
 * vanish from its stream's reads while the chain still verifies.
 *
 * @category models
 * @since 0.2.0
 */
export const indexColumns = [
  ["event_id", "eventId"],
  ["stream_id", "streamId"],
  ["stream_version", "streamVersion"],
  ["type", "type"],
  ["tenant", "tenant"],
  ["occurred_at", "occurredAt"],
  ["recorded_at", "recordedAt"]
] as const

/**
 * A stored row whose index column disagrees with its hashed record.
 *
 * @category models
 * @since 0.2.0
 */
export interface IndexMismatch {
  readonly position: number
  readonly column: (typeof indexColumns)[number][0]
  /** What the column says. */
  readonly columnValue: string
  /** What the hashed record says. */
  readonly recordValue: string
}

/**
 * An event ready to be appended: what the caller decides. The store assigns the position, the
 * stream version, `recordedAt` and the hashes; an `eventId` is generated when absent, and a
 * retry that reuses the same `eventId` is recognised and not stored twice.
 *
 * @category models
 * @since 0.1.0
 */
export interface EventToAppend {
  readonly eventId?: string
  readonly type: string
  readonly schemaVersion: number
  readonly occurredAt: string
  readonly tenant: string
  readonly actor: Actor
  readonly decisionRef?: string | null
  readonly correlationId?: string
  readonly causationId?: string | null
  readonly payload: JsonObject
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/**
 * What is wrong with the parsed record of a stored row read at `position` of stream `streamId`,
 * or `undefined` when it has every envelope field a reader relies on, of the right kind. The one
 * check the durable stores make when they turn a stored text into an event: a cheap structural
 * look, not a proof (the hash chain is that, and `@utblick/audit` re-verifies it).
 *
 * @category guards
 * @since 0.4.0
 */
export const envelopeProblem = (
  body: Record<string, unknown>,
  position: number,
  streamId: string
): string | undefined => {
  // Straight-line checks: every read of a durable store runs them, once per event.
  if (body.position !== position) return `its body says position ${String(body.position)}`
  if (body.streamId !== streamId) return `its body says stream ${JSON.stringify(body.streamId)}`
  if (typeof body.eventId !== "string") return "envelope field eventId is missing or not a string"
  if (typeof body.type !== "string") return "envelope field type is missing or not a string"
  if (typeof body.streamVersion !== "number") return "envelope field streamVersion is missing or not a number"
  if (typeof body.schemaVersion !== "number") return "envelope field schemaVersion is missing or not a number"
  if (typeof body.occurredAt !== "string") return "envelope field occurredAt is missing or not a string"
  if (typeof body.recordedAt !== "string") return "envelope field recordedAt is missing or not a string"
  if (typeof body.tenant !== "string") return "envelope field tenant is missing or not a string"
  if (typeof body.origin !== "string") return "envelope field origin is missing or not a string"
  if (typeof body.correlationId !== "string") return "envelope field correlationId is missing or not a string"
  if (typeof body.v !== "number") return "envelope field v is missing or not a number"
  if (!isObject(body.actor)) return "envelope field actor is missing or not an object"
  if (!isObject(body.payload)) return "envelope field payload is missing or not an object"
  if (!("streamPrev" in body)) return "envelope field streamPrev is missing"
  if (!("decisionRef" in body)) return "envelope field decisionRef is missing"
  if (!("causationId" in body)) return "envelope field causationId is missing"
  return undefined
}
