/**
 * Translation of `SqlError`s into the core `EventStoreError` reasons, so callers of the
 * PostgreSQL store handle the same failure classes as with every other store.
 */
import { ConcurrencyConflict, EventStoreError, fromReason, Unavailable } from "@utblick/core/EventStoreError"
import type { SqlError } from "effect/sql/SqlError"

interface PgErrorFields {
  readonly code?: unknown
  readonly message?: unknown
  readonly detail?: unknown
}

const pgFields = (error: SqlError): PgErrorFields => {
  const cause: unknown = error.reason.cause
  return typeof cause === "object" && cause !== null ? (cause as PgErrorFields) : {}
}

/** The most specific human-readable text PostgreSQL or the driver gave. */
export const describeSqlError = (error: SqlError): string => {
  const fields = pgFields(error)
  const parts: Array<string> = [error.reason._tag]
  if (typeof fields.code === "string") parts.push(fields.code)
  // A reason made without a message has "" as its message: then there is nothing to add.
  const message = typeof fields.message === "string" ? fields.message : error.reason.message
  if (message) parts.push(message)
  if (typeof fields.detail === "string") parts.push(fields.detail)
  return parts.join(": ")
}

// SQLSTATE classes 08 (connection exception), 53 (insufficient resources), 57 (operator
// intervention: admin shutdown, terminated backend, crash recovery) and 40 (transaction rollback)
// are faults of the moment; the same append may succeed once the server is back. (A lost
// connection the driver reports as a `ConnectionError`, which is retryable by its own account.)
const TRANSIENT_SQLSTATE = /^(08|53|57|40)/

const isTransient = (error: SqlError): boolean => {
  const code = pgFields(error).code
  return typeof code === "string" && TRANSIENT_SQLSTATE.test(code)
}

/**
 * Whether the same operation may succeed if tried again: what the driver calls retryable, a fault
 * of the moment by its SQLSTATE, or a collision (another writer took the key first). Never a URL
 * the driver cannot parse, which it reports as a retryable lost connection but which stays wrong.
 */
export const isRetryableSqlError = (error: SqlError): boolean =>
  pgFields(error).code !== "ERR_INVALID_URL" &&
  (error.isRetryable || isTransient(error) || error.reason._tag === "UniqueViolation")

// "Key (stream_id, stream_version)=(grant-1, 3) already exists."
const STREAM_KEY = /\(stream_id, stream_version\)=\((.*), (\d+)\)/

/**
 * Maps a failed SQL operation to an {@link EventStoreError}. Appends re-plan on unique violations
 * themselves, so one that reaches here on a stream version is a conflict that outlived them; it is still
 * reported as the conflict it is.
 */
export const fromSqlError =
  (operation: string) =>
  (error: SqlError): EventStoreError => {
    const reason = error.reason
    if (reason._tag === "UniqueViolation" && reason.constraint.includes("stream_version")) {
      const detail = pgFields(error).detail
      const match = typeof detail === "string" ? STREAM_KEY.exec(detail) : null
      return fromReason(
        new ConcurrencyConflict({
          streamId: match?.[1] ?? "unknown",
          expected: "the version read before the append",
          actual: match?.[2] === undefined ? -1 : Number(match[2])
        })
      )
    }
    return fromReason(
      new Unavailable({
        operation,
        detail: `PostgreSQL: ${describeSqlError(error)}`,
        retryable: isRetryableSqlError(error),
        cause: error
      })
    )
  }

/** Whether the error is one a whole group of appends should be retried one by one after. */
export const isDataError = (error: EventStoreError | SqlError): boolean =>
  error._tag === "SqlError"
    ? error.reason._tag === "UniqueViolation" || error.reason._tag === "ConstraintError"
    : error.reason._tag === "ConcurrencyConflict"

export { EventStoreError }

/** A store failure that is not the database's own error (a refused open, a short insert …). */
export const unavailable = (operation: string, detail: string, retryable: boolean): EventStoreError =>
  fromReason(new Unavailable({ operation, detail, retryable }))
