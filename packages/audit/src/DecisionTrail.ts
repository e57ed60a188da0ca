/**
 * Decision trails: the events of one case (project/application, grant, agreement, trip) in order,
 * and every decision taken by one body or under one case number, each with who decided, in which
 * role, when it happened and when it was recorded, the case number and the recorded basis.
 *
 * Works on core `StoredEvent`s and is generic over payloads: the basis is read from a payload
 * field `basis`, `reason` or `motivation` when one is present.
 *
 * @since 0.1.0
 */
import type { JsonValue } from "@utblick/core/CanonicalJson"
import type { StoredEvent } from "@utblick/core/Envelope"

/**
 * One entry of a decision trail.
 *
 * @category models
 * @since 0.1.0
 */
export interface Entry {
  /** The event id: what `utblick prove` takes. */
  readonly eventId: string
  readonly position: number
  readonly streamId: string
  readonly streamVersion: number
  readonly type: string
  readonly actor: string
  readonly role: string
  readonly occurredAt: string
  readonly recordedAt: string
  /** The case number (diarienummer), when the event was recorded under one. */
  readonly decisionRef: string | null
  /** The recorded basis (`basis`, `reason` or `motivation` of the payload), if any. */
  readonly basis: JsonValue | null
  /** The amount in öre the event records (`amount`, `newAmount` or `amountApplied`), if any. */
  readonly amount: number | null
  /** The event hash: cite it, or ask for a receipt of it. */
  readonly hash: string
}

const AMOUNT_FIELDS = ["amount", "newAmount", "amountApplied"] as const

/**
 * Reads the amount (öre) an event records, if it records one.
 *
 * @category utils
 * @since 0.2.0
 */
export const amountOf = (event: Pick<StoredEvent, "payload">): number | null => {
  for (const field of AMOUNT_FIELDS) {
    const value = event.payload[field]
    if (typeof value === "number") return value
  }
  return null
}

const BASIS_FIELDS = ["basis", "reason", "motivation"] as const

/**
 * Reads the recorded basis of an event from its payload.
 *
 * @category utils
 * @since 0.1.0
 */
export const basisOf = (event: Pick<StoredEvent, "payload">): JsonValue | null => {
  for (const field of BASIS_FIELDS) {
    const value = event.payload[field]
    if (value !== undefined) return value
  }
  return null
}

/**
 * Turns one stored event into a trail entry.
 *
 * @category utils
 * @since 0.1.0
 */
export const entryOf = (event: StoredEvent): Entry => ({
  eventId: event.eventId,
  position: event.position,
  streamId: event.streamId,
  streamVersion: event.streamVersion,
  type: event.type,
  actor: event.actor.id,
  role: event.actor.role,
  occurredAt: event.occurredAt,
  recordedAt: event.recordedAt,
  decisionRef: event.decisionRef,
  basis: basisOf(event),
  amount: amountOf(event),
  hash: event.hash
})

const inOrder = (entries: Array<Entry>) => entries.sort((a, b) => a.position - b.position)

/**
 * Every event of one stream, in version order.
 *
 * @example
 * ```ts
 * import { DecisionTrail } from "@utblick/audit"
 * DecisionTrail.ofStream([], "grant-2026-0042") // []
 * ```
 *
 * @category projections
 * @since 0.1.0
 */
export const ofStream = (events: Iterable<StoredEvent>, streamId: string): ReadonlyArray<Entry> =>
  [...events]
    .filter((e) => e.streamId === streamId)
    .sort((a, b) => a.streamVersion - b.streamVersion)
    .map(entryOf)

/**
 * Every decision taken by one body or person (actor id), in log order. Only events recorded under
 * a case number count as decisions, unless `includeAll` is set.
 *
 * @category projections
 * @since 0.1.0
 */
export const byActor = (
  events: Iterable<StoredEvent>,
  actorId: string,
  options: { readonly includeAll?: boolean } = {}
): ReadonlyArray<Entry> =>
  inOrder(
    [...events]
      .filter((e) => e.actor.id === actorId && (options.includeAll === true || e.decisionRef !== null))
      .map(entryOf)
  )

/**
 * Every event recorded under one case number, across streams, in log order.
 *
 * @category projections
 * @since 0.1.0
 */
export const byDecisionRef = (events: Iterable<StoredEvent>, decisionRef: string): ReadonlyArray<Entry> =>
  inOrder([...events].filter((e) => e.decisionRef === decisionRef).map(entryOf))

/**
 * The trail of one application and only its own events: everything in its stream
 * (`application-<id>`: receipt, assessment, grant, amendments, payments, recoveries, closing) and
 * the budget events that name it (its reservation and release), but none of the other
 * applications' reservations in the same budget stream. `ref` is the application id or its
 * stream id.
 *
 * @category projections
 * @since 0.2.0
 */
export const ofApplication = (events: Iterable<StoredEvent>, ref: string): ReadonlyArray<Entry> => {
  const id = ref.startsWith("application-") ? ref.slice("application-".length) : ref
  const stream = `application-${id}`
  return inOrder([...events].filter((e) => e.streamId === stream || e.payload["applicationId"] === id).map(entryOf))
}

/**
 * Filters of a trail: by actor id and by the date an event happened (`occurredAt`, inclusive).
 *
 * @category models
 * @since 0.2.0
 */
export interface Filter {
  readonly actor?: string
  readonly from?: string
  readonly to?: string
}

/**
 * Keeps the entries that match every given filter.
 *
 * @category projections
 * @since 0.2.0
 */
export const filter = (entries: ReadonlyArray<Entry>, f: Filter): ReadonlyArray<Entry> =>
  entries.filter(
    (e) =>
      (f.actor === undefined || e.actor === f.actor) &&
      (f.from === undefined || e.occurredAt >= f.from) &&
      (f.to === undefined || e.occurredAt <= f.to)
  )
