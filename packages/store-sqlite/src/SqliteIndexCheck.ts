/**
 * The index columns of a SQLite log checked against its hashed records: the verifier proves the
 * records, this proves that the columns the store finds them by still agree with them.
 *
 * @since 0.2.0
 */
import { Envelope } from "@utblick/core"
import type Database from "better-sqlite3"

// One pass inside SQLite: a row whose body is not JSON is the verifier's to report, not this check's.
const mismatching = `json_valid(body) AND (${Envelope.indexColumns
  .map(([column, field]) => `${column} IS NOT body->>'$.${field}'`)
  .join(" OR ")})`

/**
 * The check as one query over a range of positions: its two parameters are the first position and
 * the position after the last, and it gives the first mismatching position, or no row. For a caller
 * that shares the work out (the parallel verifier runs it on each chunk it verified); then
 * {@link mismatchAt} names the column.
 *
 * @category guards
 * @since 0.2.0
 */
export const rangeQuery = `SELECT position FROM events WHERE position >= ? AND position < ? AND ${mismatching} ORDER BY position LIMIT 1`

/**
 * The first row (by position) whose index columns disagree with its record, naming the column and
 * both values, or `undefined` when every row agrees.
 *
 * @example
 * ```ts
 * import Database from "better-sqlite3"
 * import { SqliteIndexCheck } from "@utblick/store-sqlite"
 * const mismatch = SqliteIndexCheck.firstMismatch(new Database("utblick.db", { readonly: true }))
 * ```
 *
 * @category guards
 * @since 0.2.0
 */
export const firstMismatch = (database: Database.Database): Envelope.IndexMismatch | undefined => {
  const at = database.prepare(rangeQuery).pluck().get(0, Number.MAX_SAFE_INTEGER) as number | undefined
  return at === undefined ? undefined : mismatchAt(database, at)
}

/**
 * The mismatch of the row at `position` (its first index column that disagrees with its record,
 * with both values), or `undefined` when the row agrees or is absent.
 *
 * @category guards
 * @since 0.2.0
 */
export const mismatchAt = (
  database: Database.Database,
  position: number
): Envelope.IndexMismatch | undefined => {
  const row = database
    .prepare(
      `SELECT body, ${Envelope.indexColumns.map(([column]) => column).join(", ")} FROM events WHERE position = ?`
    )
    .get(position) as ({ readonly body: string } & Record<string, unknown>) | undefined
  if (row === undefined) return undefined
  let record: Record<string, unknown>
  try {
    record = JSON.parse(row.body) as Record<string, unknown>
  } catch {
    return undefined
  }
  for (const [column, field] of Envelope.indexColumns) {
    if (row[column] !== record[field]) {
      return { position, column, columnValue: String(row[column]), recordValue: String(record[field]) }
    }
  }
  return undefined
}
