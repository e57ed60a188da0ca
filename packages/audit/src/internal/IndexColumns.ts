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
import type { RowSource } from "./RowSource.js"
import * as NativeEngine from "./NativeEngine.js"

type Field = (typeof indexColumns)[number][1]

/**
 * Where a source that reads the index columns beside the records puts them in the row it hands
 * `each`: after position, body, previous hash and hash.
 */
export const ROW_INDEX_COLUMNS = 4

/**
 * The index columns, comma-separated, in `indexColumns` order: a source that reads them beside the
 * records selects them after its own columns.
 */
export const columnList = indexColumns.map(([column]) => column).join(", ")

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
const byPlaces = (row: ReadonlyArray<unknown>, text: string, fields: Float64Array): number => {
  for (let i = 0; i < indexColumns.length; i++) {
    const field = (indexColumns[i] as (typeof indexColumns)[number])[1]
    const value = row[ROW_INDEX_COLUMNS + i]
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

const byParsing = (row: ReadonlyArray<unknown>, text: string): boolean => {
  let record: unknown
  try {
    record = JSON.parse(text)
  } catch {
    return true
  }
  const members = typeof record === "object" && record !== null ? (record as Record<string, unknown>) : {}
  for (let i = 0; i < indexColumns.length; i++) {
    const field = (indexColumns[i] as (typeof indexColumns)[number])[1]
    if (row[ROW_INDEX_COLUMNS + i] !== members[field]) return false
  }
  return true
}

/**
 * Whether the index columns of `row` (from {@link ROW_INDEX_COLUMNS} on) say what the record `text`
 * says. `fields` are the native engine's, when its scan accepted `text`: then the columns are
 * compared with the fields' places in the text; otherwise the text is parsed. A text that is not
 * JSON agrees: it is the verifier's to report.
 */
export const agrees = (
  row: ReadonlyArray<unknown>,
  text: string,
  fields: Float64Array | undefined
): boolean => {
  const placed = fields === undefined ? UNKNOWN : byPlaces(row, text, fields)
  return placed === AGREES || (placed === UNKNOWN && byParsing(row, text))
}

/**
 * The check over positions `[from, to)` of the log in `db`: the first position whose row's index
 * columns disagree with its record, or `undefined`.
 */
export type IndexCheck = (from: number, to: number) => number | undefined

/**
 * An index check that reads `[from, to)` again from `source` (rows with the index columns, as the
 * verifier's SQLite source reads them with `indexColumns`), for a verification that did not check
 * them beside its records.
 */
export const make = (source: RowSource): IndexCheck => {
  const fields = NativeEngine.makeFields()
  const engine = NativeEngine.open(fields)
  return (from, to) => {
    let found: number | undefined
    source.read(from, to, (text, _prevHash, _hash, row) => {
      if (agrees(row, text, engine?.scan(text) ? fields : undefined)) return true
      found = row[0] as number
      return false
    })
    return found
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
    see: (position, row, text, fields) => {
      if (found === null && !agrees(row, text, fields)) found = position
    }
  }
}
