/**
 * The read fast path: a stored row already holds the canonical JSON of the event body, so a read
 * is one `JSON.parse` plus the two hashes, with a cheap structural check instead of a full schema
 * decode. Anything that does not look like an envelope throws a `CorruptRow` naming the position.
 */
import { envelopeProblem, type StoredEvent } from "@utblick/core/Envelope"
import { CorruptRow } from "./errors.js"

/** One row as the reads select it. */
export type Row = [position: number, streamId: string, body: string, prevHash: string, hash: string]
/** One row of the heads' read (no record text). */
export type HeadRow = [position: number, type: string, tenant: string, occurredAt: string, recordedAt: string, hash: string]

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
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new CorruptRow(position, streamId, "its text is not a JSON object")
  }
  const event = parsed as Record<string, unknown>
  const problem = envelopeProblem(event, position, streamId)
  if (problem !== undefined) throw new CorruptRow(position, streamId, problem)
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
