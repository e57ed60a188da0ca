/**
 * The index columns of a SQLite log checked against its hashed records: the verifier proves the
 * records, this proves that the columns the store finds them by still agree with them.
 *
 * @since 0.2.0
 */
import { Envelope } from "@utblick/core"
import type Database from "better-sqlite3"

// One pass inside SQLite: a row whose body is not JSON is the verifier's to report, not this check's.
const query = `SELECT position, body FROM events WHERE json_valid(body) AND (${Envelope.indexColumns
  .map(([column, field]) => `${column} IS NOT body->>'$.${field}'`)
  .join(" OR ")}) ORDER BY position LIMIT 1`

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
  const row = database.prepare(query).get() as { readonly position: number; readonly body: string } | undefined
  if (row === undefined) return undefined
  const record = JSON.parse(row.body) as Record<string, unknown>
  const columns = database
    .prepare(`SELECT ${Envelope.indexColumns.map(([column]) => column).join(", ")} FROM events WHERE position = ?`)
    .get(row.position) as Record<string, unknown>
  for (const [column, field] of Envelope.indexColumns) {
    if (columns[column] !== record[field]) {
      return { position: row.position, column, columnValue: String(columns[column]), recordValue: String(record[field]) }
    }
  }
  return undefined
}
