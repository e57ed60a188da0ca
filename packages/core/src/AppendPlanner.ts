/**
 * The part of an append that every store shares and none may get wrong: validating each event,
 * checking expected versions, recognising retries by event id, assigning positions, stream
 * versions and `recordedAt`, serialising each event once to canonical JSON and chaining its hash.
 *
 * A store calls {@link planAppend} inside its own transaction, with a view of its committed
 * state, and persists exactly the records it returns. Because positions and hashes are computed
 * from the head the store read inside that transaction, two writers can never fork the chain:
 * the store's serialisation (a lock, a unique position) turns the loser into a retry.
 *
 * @since 0.1.0
 */
import { Result } from "effect"
import { canonicalizeChecked, type JsonObject } from "./CanonicalJson.js"
import { ENVELOPE_VERSION, type EventToAppend, type RecordBody, type StoredEvent } from "./Envelope.js"
import {
  ConcurrencyConflict,
  DuplicateEvent,
  type EventStoreError,
  fromReason,
  InvalidEvent
} from "./EventStoreError.js"
import * as ExpectedVersion from "./ExpectedVersion.js"
import { chainHash, GENESIS_HASH } from "./HashChain.js"
import { isUuidV7 } from "./Uuid.js"

/**
 * One stream's part of an append: its events, all-or-nothing, and the version the writer expects.
 *
 * @category models
 * @since 0.1.0
 */
export interface StreamWrite {
  readonly streamId: string
  readonly events: ReadonlyArray<EventToAppend>
  readonly expectedVersion?: ExpectedVersion.ExpectedVersion
}

/**
 * The end of the log: how many events it holds, the hash of the last one and when it was recorded.
 *
 * @category models
 * @since 0.1.0
 */
export interface LogHead {
  readonly size: number
  readonly lastHash: string
  readonly lastRecordedAt: string | null
}

/**
 * The head of an empty log.
 *
 * @category constants
 * @since 0.1.0
 */
export const EMPTY_HEAD: LogHead = { size: 0, lastHash: GENESIS_HASH, lastRecordedAt: null }

/**
 * The end of one stream: its version (0 when empty) and the hash of its last event.
 *
 * @category models
 * @since 0.1.0
 */
export interface StreamTip {
  readonly version: number
  readonly lastHash: string | null
}

/**
 * What the planner needs to see of the store's committed state, read inside the store's
 * transaction.
 *
 * @category models
 * @since 0.1.0
 */
export interface CommittedView {
  readonly streamTip: (streamId: string) => StreamTip
  readonly findEvent: (eventId: string) => StoredEvent | undefined
}

/**
 * What one stream write produced.
 *
 * @category models
 * @since 0.1.0
 */
export interface AppendResult {
  readonly streamId: string
  /** The stream's version after the append: pass it as the next expected version. */
  readonly nextExpectedVersion: number
  /** Positions of the appended events (of the original events when deduplicated). */
  readonly firstPosition: number
  readonly lastPosition: number
  /** True when every event id was already stored by an earlier, identical append. */
  readonly deduplicated: boolean
  readonly events: ReadonlyArray<StoredEvent>
}

/**
 * One event as it must be persisted: the exact canonical bytes and the parsed form.
 *
 * @category models
 * @since 0.1.0
 */
export interface PreparedRecord {
  readonly event: StoredEvent
  readonly canonical: string
}

/**
 * The outcome of planning: per-write results, the records to persist in position order, and the
 * log head after them.
 *
 * @category models
 * @since 0.1.0
 */
export interface AppendPlan {
  readonly results: ReadonlyArray<AppendResult>
  readonly records: ReadonlyArray<PreparedRecord>
  readonly head: LogHead
}

const STREAM_ID = /^[a-z0-9][a-z0-9._:-]{0,199}$/
const TENANT = /^[a-z0-9][a-z0-9-]{0,62}$/
const EVENT_TYPE = /^[A-Za-z][A-Za-z0-9.]{0,199}$/
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

// Business dates repeat across a batch; remember the ones already checked.
const knownDates = new Set<string>()
const isCalendarDate = (value: unknown): boolean => {
  if (typeof value !== "string") return false
  if (knownDates.has(value)) return true
  const m = DATE.exec(value)
  if (m === null) return false
  const y = Number(m[1])
  const mo = Number(m[2])
  const d = Number(m[3])
  const date = new Date(Date.UTC(y, mo - 1, d))
  const ok = date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d
  if (ok && knownDates.size < 100_000) knownDates.add(value)
  return ok
}

const show = (value: unknown): string => {
  if (value === undefined) return "undefined"
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

/**
 * The largest canonical payload the writer accepts: 16 MiB (the longest line the exporter writes
 * and the verifier reads) less 64 KiB for the envelope and hashes around it, so that nothing is
 * stored that the audit tools would refuse.
 *
 * @category models
 * @since 0.2.0
 */
export const MAX_PAYLOAD_BYTES = 16 * 1024 * 1024 - 64 * 1024

const isNonEmptyString = (value: unknown): value is string => typeof value === "string" && value.length > 0

const isWellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed()
const isText = (value: unknown): value is string => isNonEmptyString(value) && isWellFormed(value)

/**
 * Checks one event against the envelope rules and returns the first problem, naming the field,
 * the value and the rule.
 *
 * @category guards
 * @since 0.1.0
 */
export const validateEvent = (streamId: string, index: number, event: EventToAppend): InvalidEvent | undefined => {
  const checked = checkEvent(streamId, index, event)
  return typeof checked === "string" ? undefined : checked
}

// Validates the envelope fields and canonicalises the payload in the same pass: the payload's
// canonical text is returned for reuse in the record, so it is walked once.
const checkEvent = (streamId: string, index: number, event: EventToAppend): InvalidEvent | string => {
  // Built only on the failure path; a closure here would be allocated for every event.
  function bad(field: string, value: unknown, rule: string): InvalidEvent {
    return new InvalidEvent({ streamId, index, field, value: show(value), rule })
  }
  if (typeof event !== "object" || event === null) return bad("", event, "an event must be an object")
  if (event.eventId !== undefined && !(typeof event.eventId === "string" && isUuidV7(event.eventId))) {
    return bad("/eventId", event.eventId, "an event id must be a lowercase UUIDv7")
  }
  if (!(typeof event.type === "string" && EVENT_TYPE.test(event.type))) {
    return bad("/type", event.type, "a type must be a name of letters, digits and dots, starting with a letter")
  }
  if (!(Number.isSafeInteger(event.schemaVersion) && event.schemaVersion >= 1)) {
    return bad("/schemaVersion", event.schemaVersion, "a schema version must be an integer ≥ 1")
  }
  if (!isCalendarDate(event.occurredAt)) {
    return bad("/occurredAt", event.occurredAt, "business time must be a calendar date YYYY-MM-DD")
  }
  if (!(typeof event.tenant === "string" && TENANT.test(event.tenant))) {
    return bad("/tenant", event.tenant, "a tenant id must be 1–63 characters of a–z, 0–9 and -")
  }
  if (typeof event.actor !== "object" || event.actor === null) {
    return bad("/actor", event.actor, "an actor must be an object { id, role }")
  }
  const wellFormed = "must be non-empty text without lone surrogates"
  if (!isText(event.actor.id)) return bad("/actor/id", event.actor.id, `an actor id ${wellFormed}`)
  if (!isText(event.actor.role)) return bad("/actor/role", event.actor.role, `an actor role ${wellFormed}`)
  if (event.decisionRef !== undefined && event.decisionRef !== null && !isText(event.decisionRef)) {
    return bad("/decisionRef", event.decisionRef, `a decision reference ${wellFormed}, or null`)
  }
  if (event.correlationId !== undefined && !isText(event.correlationId)) {
    return bad("/correlationId", event.correlationId, `a correlation id ${wellFormed}`)
  }
  if (event.causationId !== undefined && event.causationId !== null && !isText(event.causationId)) {
    return bad("/causationId", event.causationId, `a causation id ${wellFormed}, or null`)
  }
  const payload: unknown = event.payload
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    return bad("/payload", payload, "a payload must be a JSON object")
  }
  const canonical = canonicalizeChecked(payload, "/payload")
  if (typeof canonical !== "string") {
    // The guard already rendered the value for people; do not quote it twice.
    return new InvalidEvent({ streamId, index, field: canonical.path, value: canonical.value, rule: canonical.rule })
  }
  // Bytes are counted only when the text could exceed the limit (a UTF-16 unit is ≤ 3 UTF-8 bytes).
  if (canonical.length > MAX_PAYLOAD_BYTES / 3) {
    const bytes = Buffer.byteLength(canonical, "utf8")
    if (bytes > MAX_PAYLOAD_BYTES) {
      return bad("/payload", `(${bytes} bytes)`, `a payload is at most ${MAX_PAYLOAD_BYTES} bytes, so that the event's export line stays within the verifier's 16 MiB`)
    }
  }
  return canonical
}

const q = JSON.stringify
// Fields validated against ASCII patterns without quotes or backslashes (ids, dates, types,
// stream and tenant ids) need no escaping: quoting them directly skips JSON.stringify.
const qa = (s: string): string => `"${s}"`

// The record's canonical bytes, written field by field in RFC 8785 key order (UTF-16 order of
// the envelope's keys). Equal to `canonicalize(body)` — the contract suite recomputes it for
// every stored event — but without sorting keys or walking the payload a second time.
const canonicalRecord = (body: RecordBody, payloadCanonical: string, originQuoted: string, recordedAtQuoted: string): string =>
  `{"actor":{"id":${q(body.actor.id)},"role":${q(body.actor.role)}},"causationId":${body.causationId === null ? "null" : q(body.causationId)},"correlationId":${q(body.correlationId)},"decisionRef":${body.decisionRef === null ? "null" : q(body.decisionRef)},"eventId":${qa(body.eventId)},"occurredAt":${qa(body.occurredAt)},"origin":${originQuoted},"payload":${payloadCanonical},"position":${body.position},"recordedAt":${recordedAtQuoted},"schemaVersion":${body.schemaVersion},"streamId":${qa(body.streamId)},"streamPrev":${body.streamPrev === null ? "null" : qa(body.streamPrev)},"streamVersion":${body.streamVersion},"tenant":${qa(body.tenant)},"type":${qa(body.type)},"v":${body.v}}`

/**
 * Plans an append of one or more stream writes as a single all-or-nothing unit.
 *
 * @category utils
 * @since 0.1.0
 */
export const planAppend = (options: {
  readonly origin: string
  readonly head: LogHead
  readonly view: CommittedView
  readonly writes: ReadonlyArray<StreamWrite>
  readonly nowMillis: number
  readonly newEventId: () => string
}): Result.Result<AppendPlan, EventStoreError> => {
  const { origin, view, writes } = options
  const nowIso = isoOf(options.nowMillis)
  // recordedAt never goes backwards along the log, so "known at t" is always a prefix.
  const recordedAt =
    options.head.lastRecordedAt !== null && options.head.lastRecordedAt > nowIso ? options.head.lastRecordedAt : nowIso
  const pendingTips = new Map<string, StreamTip>()
  const seenIds = new Set<string>()
  const results: Array<AppendResult> = []
  const records: Array<PreparedRecord> = []
  let size = options.head.size
  let lastHash = options.head.lastHash
  const originQuoted = q(origin)
  const recordedAtQuoted = q(recordedAt)

  for (const write of writes) {
    const { streamId, events } = write
    if (!(typeof streamId === "string" && STREAM_ID.test(streamId))) {
      return Result.fail(
        fromReason(
          new InvalidEvent({
            streamId: String(streamId),
            index: 0,
            field: "/streamId",
            value: show(streamId),
            rule: "a stream id must be 1–200 characters of a–z, 0–9 and . _ : -, starting with a letter or digit"
          })
        )
      )
    }
    const payloads: Array<string> = []
    for (let i = 0; i < events.length; i++) {
      const checked = checkEvent(streamId, i, events[i] as EventToAppend)
      if (typeof checked !== "string") return Result.fail(fromReason(checked))
      payloads.push(checked)
      const id = (events[i] as EventToAppend).eventId
      if (id !== undefined) {
        if (seenIds.has(id)) {
          return Result.fail(
            fromReason(
              new InvalidEvent({
                streamId,
                index: i,
                field: "/eventId",
                value: show(id),
                rule: "an event id may appear only once in an append"
              })
            )
          )
        }
        seenIds.add(id)
      }
    }

    const tip = pendingTips.get(streamId) ?? view.streamTip(streamId)
    const duplicate = findRetry(view, streamId, events)
    if (duplicate !== undefined) {
      if (Result.isFailure(duplicate)) return Result.fail(duplicate.failure)
      results.push(duplicate.success)
      continue
    }
    const expected = write.expectedVersion ?? ExpectedVersion.Any
    if (!ExpectedVersion.isSatisfiedBy(expected, tip.version)) {
      return Result.fail(
        fromReason(
          new ConcurrencyConflict({ streamId, expected: ExpectedVersion.describe(expected), actual: tip.version })
        )
      )
    }
    const stored: Array<StoredEvent> = []
    let version = tip.version
    let streamPrev = tip.lastHash
    for (let i = 0; i < events.length; i++) {
      const input = events[i] as EventToAppend
      const eventId = input.eventId ?? options.newEventId()
      version += 1
      // One object per event: it is both the hashed body and, with the two hashes, the stored event.
      const event = {
        v: ENVELOPE_VERSION,
        origin,
        position: size,
        eventId,
        streamId,
        streamVersion: version,
        streamPrev,
        type: input.type,
        schemaVersion: input.schemaVersion,
        occurredAt: input.occurredAt,
        recordedAt,
        tenant: input.tenant,
        actor: { id: input.actor.id, role: input.actor.role },
        decisionRef: input.decisionRef ?? null,
        correlationId: input.correlationId ?? eventId,
        causationId: input.causationId ?? null,
        payload: input.payload as JsonObject,
        prevHash: lastHash,
        hash: ""
      } as { -readonly [K in keyof StoredEvent]: StoredEvent[K] }
      const canonical = canonicalRecord(event, payloads[i] as string, originQuoted, recordedAtQuoted)
      // Hex in and out: `crypto.hash` returns hex several times cheaper than a Buffer.
      const hash = chainHash(lastHash, canonical)
      event.hash = hash
      records.push({ event, canonical })
      stored.push(event)
      lastHash = hash
      streamPrev = hash
      size += 1
    }
    pendingTips.set(streamId, { version, lastHash: streamPrev })
    results.push({
      streamId,
      nextExpectedVersion: version,
      firstPosition: stored[0]?.position ?? size,
      lastPosition: stored[stored.length - 1]?.position ?? size - 1,
      deduplicated: false,
      events: stored
    })
  }
  return Result.succeed({
    results,
    records,
    head: { size, lastHash, lastRecordedAt: records.length > 0 ? recordedAt : options.head.lastRecordedAt }
  })
}

// Appends within one millisecond share their recorded-at text.
let isoMillis = Number.NaN
let isoText = ""
const isoOf = (millis: number): string => {
  if (millis !== isoMillis) {
    isoMillis = millis
    isoText = new Date(millis).toISOString()
  }
  return isoText
}

// A retry of an acknowledged append carries the same event ids, in the same order, in the same
// stream. Recognising it makes appends idempotent; anything else that reuses an id is refused.
const findRetry = (
  view: CommittedView,
  streamId: string,
  events: ReadonlyArray<EventToAppend>
): Result.Result<AppendResult, EventStoreError> | undefined => {
  // Most appends carry no event ids of their own: nothing to look up.
  if (!events.some((e) => e.eventId !== undefined)) return undefined
  const found = events.map((e) => (e.eventId === undefined ? undefined : view.findEvent(e.eventId)))
  const firstFound = found.findIndex((e) => e !== undefined)
  if (firstFound === -1) return undefined
  const first = found[0]
  const exact =
    first !== undefined &&
    first.streamId === streamId &&
    found.every(
      (e, i) => e !== undefined && e.streamId === streamId && e.streamVersion === first.streamVersion + i
    )
  if (!exact) {
    const clash = found[firstFound] as StoredEvent
    return Result.fail(
      fromReason(new DuplicateEvent({ eventId: clash.eventId, streamId: clash.streamId, position: clash.position }))
    )
  }
  const stored = found as ReadonlyArray<StoredEvent>
  const last = stored[stored.length - 1] as StoredEvent
  return Result.succeed({
    streamId,
    nextExpectedVersion: view.streamTip(streamId).version,
    firstPosition: first.position,
    lastPosition: last.position,
    deduplicated: true,
    events: stored
  })
}
