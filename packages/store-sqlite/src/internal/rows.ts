/**
 * The read fast path: a stored row already holds the canonical JSON of the event body, so a read
 * is one `JSON.parse` plus the two hashes, with a cheap structural check instead of a full schema
 * decode. Anything that does not look like an envelope throws a `CorruptRow` naming the position.
 */
import type { StoredEvent } from "@utblick/core/Envelope"
import { CorruptRow } from "./errors.js"

/** One row as the reads select it. */
export type Row = [position: number, streamId: string, body: string, prevHash: string, hash: string]
/** One row of the heads' read (no record text). */
export type HeadRow = [position: number, type: string, tenant: string, occurredAt: string, recordedAt: string, hash: string]

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

// Checks only what readers rely on; the full proof is the hash chain, which audit re-verifies.
const envelopeProblem = (value: unknown, position: number, streamId: string): string | undefined => {
  if (!isObject(value)) return "its text is not a JSON object"
  if (value.position !== position) return `its body says position ${String(value.position)}`
  if (value.streamId !== streamId) return `its body says stream ${JSON.stringify(value.streamId)}`
  if (typeof value.eventId !== "string") return "it has no eventId"
  if (typeof value.type !== "string") return "it has no type"
  if (typeof value.streamVersion !== "number") return "it has no streamVersion"
  if (typeof value.schemaVersion !== "number") return "it has no schemaVersion"
  if (typeof value.occurredAt !== "string") return "it has no occurredAt"
  if (typeof value.recordedAt !== "string") return "it has no recordedAt"
  if (typeof value.tenant !== "string") return "it has no tenant"
  if (!isObject(value.actor)) return "it has no actor"
  if (!isObject(value.payload)) return "it has no payload object"
  return undefined
}

/**
 * Turns one stored row into a `StoredEvent`: the canonical text is parsed and the chain hashes
 * are attached to the parsed object itself, which keeps replay close to a bare `JSON.parse`.
 * Throws a corrupt-row error naming the position and stream when the text does not parse or
 * lacks an envelope field.
 */
export const decodeRow = (
  position: number,
  streamId: string,
  body: string,
  prevHash: string,
  hash: string
): StoredEvent => {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch (error) {
    throw new CorruptRow(position, streamId, `its text is not JSON (${(error as Error).message})`)
  }
  const problem = envelopeProblem(parsed, position, streamId)
  if (problem !== undefined) throw new CorruptRow(position, streamId, problem)
  const event = parsed as Record<string, unknown>
  event.prevHash = prevHash
  event.hash = hash
  return event as unknown as StoredEvent
}

/** Decodes a page of rows (see {@link decodeRow}). */
export const decodeRows = (rows: ReadonlyArray<Row>): Array<StoredEvent> => {
  const out = new Array<StoredEvent>(rows.length)
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as Row
    out[i] = decodeRow(row[0], row[1], row[2], row[3], row[4])
  }
  return out
}
