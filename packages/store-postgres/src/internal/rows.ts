/**
 * The replay fast path: a stored row already holds the canonical JSON of the event body, so a
 * read is one `JSON.parse` plus the two hashes, with a cheap structural check instead of a full
 * schema decode. Anything that does not look like an envelope is reported as `Corrupt`.
 */
import type { StoredEvent } from "@utblick/core/Envelope"
import { Corrupt } from "@utblick/core/EventStoreError"

/** The columns every read selects, in this order. */
export const READ_COLUMNS = "position, stream_id, canonical, prev_hash, hash"

/** One row as `.values` returns it: position (int8 → bigint), stream id, canonical, prevHash, hash. */
export type RowValues = ReadonlyArray<unknown>

const STRING_FIELDS = ["origin", "eventId", "streamId", "type", "occurredAt", "recordedAt", "tenant", "correlationId"] as const
const NUMBER_FIELDS = ["v", "streamVersion", "schemaVersion"] as const

const check = (body: Record<string, unknown>, position: number, streamId: string): string | undefined => {
  if (body["position"] !== position) return `its canonical JSON says position ${String(body["position"])}`
  if (body["streamId"] !== streamId) return `its canonical JSON names stream ${JSON.stringify(body["streamId"])}`
  for (const field of STRING_FIELDS) if (typeof body[field] !== "string") return `envelope field ${field} is missing or not a string`
  for (const field of NUMBER_FIELDS) if (typeof body[field] !== "number") return `envelope field ${field} is missing or not a number`
  const payload = body["payload"]
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return "envelope field payload is not an object"
  const actor = body["actor"]
  if (typeof actor !== "object" || actor === null) return "envelope field actor is not an object"
  if (!("streamPrev" in body) || !("decisionRef" in body) || !("causationId" in body)) {
    return "envelope fields streamPrev, decisionRef or causationId are missing"
  }
  return undefined
}

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
  const problem = check(body as Record<string, unknown>, position, streamId)
  if (problem !== undefined) return new Corrupt({ position, streamId, detail: problem })
  const event = body as Record<string, unknown>
  event["prevHash"] = row[3]
  event["hash"] = row[4]
  return event as unknown as StoredEvent
}
