/**
 * The index columns of a Utblick SQLite log checked against the records they index, in this
 * process (ADR 0053). The columns a store finds events by are not hashed: the verifier proves the
 * records, and this proves that each row's columns still say what its record says.
 *
 * The same question as `SqliteIndexCheck.rangeQuery` in `@utblick/store-sqlite`, answered without
 * parsing every record as JSON inside SQLite: the columns are read with the records the verifier
 * reads ({@link watch}), and compared with the places the native engine's scan found for the
 * fields in the text. A record the engine did not prove (escapes, an envelope field that is not a
 * string) is parsed with `JSON.parse` and compared as `SqliteIndexCheck.mismatchAt` compares: with
 * `!==`, so a value of another type disagrees. Without the engine every record is parsed.
 * {@link make} answers the same for a range on its own, reading the rows again.
 */
import { indexColumns } from "@utblick/core/Envelope"
import type BetterSqlite3 from "better-sqlite3"
import * as NativeEngine from "./NativeEngine.js"

type Field = (typeof indexColumns)[number][1]

/**
 * The index columns, comma-separated, in `indexColumns` order: a source that reads them beside the
 * records selects them after its own columns.
 */
export const columnList = indexColumns.map(([column]) => column).join(", ")

const PAGE = 4096
// A row of the standalone check: position, body, then the index columns in `indexColumns` order.
const query = `SELECT position, body, ${columnList} FROM events WHERE position >= ? AND position < ? ORDER BY position LIMIT ?`

// Where the engine's scan leaves each text field's [start, end); streamVersion is a number slot.
const spanOf: Record<Exclude<Field, "streamVersion">, number> = {
  eventId: NativeEngine.Field.EVENT_ID_START,
  streamId: NativeEngine.Field.STREAM_ID_START,
  type: NativeEngine.Field.TYPE_START,
  tenant: NativeEngine.Field.TENANT_START,
  occurredAt: NativeEngine.Field.OCCURRED_START,
  recordedAt: NativeEngine.Field.RECORDED_START
}

const AGREES = 1
const DISAGREES = 0
const UNKNOWN = -1

// AGREES or DISAGREES from the places an accepted scan left in `fields`; UNKNOWN when a field
// has no place (absent, or not a string).
const byPlaces = (row: ReadonlyArray<unknown>, first: number, text: string, fields: Float64Array): number => {
  for (let i = 0; i < indexColumns.length; i++) {
    const field = (indexColumns[i] as (typeof indexColumns)[number])[1]
    const value = row[first + i]
    if (field === "streamVersion") {
      if (value !== fields[NativeEngine.Field.STREAM_VERSION]) return DISAGREES
      continue
    }
    const slot = spanOf[field]
    const start = fields[slot] as number
    if (start < 0) return UNKNOWN
    const length = (fields[slot + 1] as number) - start
    if (typeof value !== "string" || value.length !== length || !text.startsWith(value, start))
      return DISAGREES
  }
  return AGREES
}

const byParsing = (row: ReadonlyArray<unknown>, first: number, text: string): boolean => {
  let record: unknown
  try {
    record = JSON.parse(text)
  } catch {
    return true
  }
  const members = typeof record === "object" && record !== null ? (record as Record<string, unknown>) : {}
  for (let i = 0; i < indexColumns.length; i++) {
    const field = (indexColumns[i] as (typeof indexColumns)[number])[1]
    if (row[first + i] !== members[field]) return false
  }
  return true
}

/**
 * Whether the index columns `row[first…]` (in `indexColumns` order) say what the record `text`
 * says. `fields` are the native engine's, when its scan accepted `text`: then the columns are
 * compared with the fields' places in the text; otherwise the text is parsed. A text that is not
 * JSON agrees: it is the verifier's to report.
 */
export const agrees = (
  row: ReadonlyArray<unknown>,
  first: number,
  text: string,
  fields: Float64Array | undefined
): boolean => {
  const placed = fields === undefined ? UNKNOWN : byPlaces(row, first, text, fields)
  return placed === AGREES || (placed === UNKNOWN && byParsing(row, first, text))
}

/**
 * The check over positions `[from, to)` of the log in `db`: the first position whose row's index
 * columns disagree with its record, or `undefined`.
 */
export type IndexCheck = (from: number, to: number) => number | undefined

/**
 * An index check reading `db` (an open Utblick SQLite log) on its own: each row read again with
 * its columns, for a verification that did not read them beside its records.
 */
export const make = (db: BetterSqlite3.Database): IndexCheck => {
  const page = db.prepare(query).raw(true)
  const fields = NativeEngine.makeFields()
  const engine = NativeEngine.open(fields)
  return (from, to) => {
    let cursor = from
    for (;;) {
      const rows = page.all(cursor, to, PAGE) as Array<Array<unknown>>
      for (const row of rows) {
        const text = row[1]
        if (typeof text !== "string") continue
        const scanned = engine?.scan(text) ? fields : undefined
        if (!agrees(row, 2, text, scanned)) return row[0] as number
      }
      if (rows.length < PAGE) return undefined
      cursor = ((rows[rows.length - 1] as Array<unknown>)[0] as number) + 1
    }
  }
}

/**
 * The first position a verification found disagreeing, as it reads each record with its row
 * (`see`, after the record verified), or `null` while none has.
 */
export interface Watch {
  readonly first: () => number | null
  readonly see: (
    position: number,
    row: ReadonlyArray<unknown>,
    first: number,
    text: string,
    fields: Float64Array | undefined
  ) => void
}

/**
 * A new {@link Watch}.
 */
export const watch = (): Watch => {
  let found: number | null = null
  return {
    first: () => found,
    see: (position, row, first, text, fields) => {
      if (found === null && !agrees(row, first, text, fields)) found = position
    }
  }
}
