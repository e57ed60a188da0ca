/**
 * The replay fast path: a stored row already holds the canonical JSON of the event body, so a
 * read is one `JSON.parse` plus the two hashes, with a cheap structural check instead of a full
 * schema decode. Anything that does not look like an envelope is reported as `Corrupt`.
 */
import { envelopeProblem, type StoredEvent } from "@utblick/core/Envelope"
import { Corrupt } from "@utblick/core/EventStoreError"

/** The columns every read selects, in this order. */
export const READ_COLUMNS = "position, stream_id, canonical, prev_hash, hash"

/** One row as `.values` returns it: position (int8 → bigint), stream id, canonical, prevHash, hash. */
export type RowValues = ReadonlyArray<unknown>

/** Decodes one row, or returns the `Corrupt` reason naming its position and stream. */
export const decodeRow = (row: RowValues): StoredEvent | Corrupt => {
  const position = Number(row[0])
  const streamId = String(row[1])
  const canonical = row[2]
  let body: unknown
  try {
    body = JSON.parse(canonical as string)
  } catch (error) {
    return new Corrupt({ position, streamId, detail: `its canonical JSON does not parse (${(error as Error).message})` })
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return new Corrupt({ position, streamId, detail: "its canonical JSON is not an object" })
  }
  const problem = envelopeProblem(body as Record<string, unknown>, position, streamId)
  if (problem !== undefined) return new Corrupt({ position, streamId, detail: problem })
  const event = body as Record<string, unknown>
  event["prevHash"] = row[3]
  event["hash"] = row[4]
  return event as unknown as StoredEvent
}
