/**
 * What the SQLite store's operations throw where only a throw gets out (a better-sqlite3
 * transaction, a page read, opening), for `SqliteEventStore.toStoreError` to turn into errors a
 * person can act on.
 */
import type { EventStoreError } from "@utblick/core"
import Database from "better-sqlite3"

/**
 * A stored row that is not an event envelope. Thrown inside a transaction or a page read (where
 * better-sqlite3 needs a throw to roll back) and turned into a `Corrupt` error outside it.
 */
export class CorruptRow extends Error {
  readonly position: number
  readonly streamId: string
  readonly detail: string
  constructor(position: number, streamId: string, detail: string) {
    super(detail)
    this.position = position
    this.streamId = streamId
    this.detail = detail
  }
}
/** An `EventStoreError` reason thrown where only a throw gets out (a transaction, opening). */
export class ReasonError extends Error {
  readonly reason: EventStoreError.EventStoreErrorReason
  constructor(reason: EventStoreError.EventStoreErrorReason) {
    super(reason.message)
    this.reason = reason
  }
}

/** SQLite's result code of what better-sqlite3 threw (`SQLITE_BUSY`, …), if it was SQLite's. */
export const sqliteCode = (cause: unknown): string | undefined =>
  cause instanceof Database.SqliteError ? cause.code : undefined
