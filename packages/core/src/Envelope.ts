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

// Whether the time of day at `at` (`HH:mm`, then `:ss` when `withSeconds`) is one a clock shows:
// `Date.parse` rolls 24:00 over to the next day, so it cannot be the judge. Every caller has
// matched the digits with its pattern first, so only the upper bounds are left to check.
const realTime = (value: string, at: number, withSeconds: boolean): boolean =>
  digits(value, at, at + 2) < 24 &&
  digits(value, at + 3, at + 5) < 60 &&
  (!withSeconds || digits(value, at + 6, at + 8) < 60)

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

/**
 * Whether `value` is a UTC instant written exactly as `Date.prototype.toISOString` writes it, on a
 * day of the calendar at a time a clock shows. `Date.parse` alone is no check: it reads
 * `2023-02-31T10:00:00.000Z` as 3 March, while the string sorts before 1 March.
 *
 * @category guards
 * @since 0.4.0
 */
export const isRealInstant = (value: string): boolean =>
  INSTANT.test(value) && isRealCalendarDate(value.slice(0, 10)) && realTime(value, 11, true)

// What a person may write for an instant: a date, a time to the minute, second or millisecond, and
// the zone, `Z` or an offset. A time without a zone is refused: it would mean the clock of
// whichever machine reads it.
const WRITTEN_INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})$/

/**
 * Reads an instant as a person writes it (`2023-03-15T09:30Z`, `2023-03-15T10:30:00+01:00`,
 * `2023-03-15T09:30:00.000Z`) into the one form the log stores, or `undefined` when it is not one:
 * a day not in the calendar, a time no clock shows (24:00, 09:60), an offset beyond ±23:59, or no
 * zone at all.
 *
 * @example
 * ```ts
 * parseInstant("2023-03-15T10:30+01:00") // "2023-03-15T09:30:00.000Z"
 * parseInstant("2023-02-30T10:00Z") // undefined
 * ```
 *
 * @category parsing
 * @since 0.4.0
 */
export const parseInstant = (text: string): Instant | undefined => {
  const match = WRITTEN_INSTANT.exec(text)
  if (match === null) return undefined
  const [, date = "", time = "", seconds = "00", fraction = "", zone = "Z"] = match
  if (!isRealCalendarDate(date) || !realTime(`${time}:${seconds}`, 0, true)) return undefined
  let offsetMinutes = 0
  if (zone !== "Z") {
    if (!realTime(zone, 1, false)) return undefined
    offsetMinutes = (zone.startsWith("-") ? -1 : 1) * (digits(zone, 1, 3) * 60 + digits(zone, 4, 6))
  }
  const local = Date.UTC(
    digits(date, 0, 4),
    digits(date, 5, 7) - 1,
    digits(date, 8, 10),
    digits(time, 0, 2),
    digits(time, 3, 5),
    digits(seconds, 0, 2),
    Number(fraction.padEnd(3, "0"))
  )
  // An offset can carry a day at either end of the calendar out of the form (`+010000-…`).
  const instant = instantFromMillis(local - offsetMinutes * 60_000)
  return isRealInstant(instant) ? instant : undefined
}

/**
 * A UTC instant written exactly as `Date.prototype.toISOString` does
 * (`2023-03-15T09:30:00.000Z`), so that instants sort as strings.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Instant = Schema.String.pipe(
  Schema.check(
    predicate(isRealInstant, {
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
