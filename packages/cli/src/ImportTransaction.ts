/**
 * The one SQLite transaction an import writes in (ADR 0023).
 *
 * **Why.** An import is all or nothing per file (or per declared batch), yet a file of a million
 * commands must not be held in memory until its last line has been decided. So the decided events
 * go into the log file itself, inside one `BEGIN IMMEDIATE` transaction on the store's own
 * connection, a few thousand at a time; the store's appends nest in it as savepoints. The
 * deciders read their streams through the same connection, so they see what the file has decided
 * so far. The transaction commits only when every line has passed; a refusal, a dry run, Ctrl-C,
 * an error or a crash rolls it back, and the log is exactly as it was. Memory stays constant: the
 * uncommitted events are pages of the SQLite file (its WAL), not objects in the heap.
 *
 * **Price.** The transaction holds the file's write lock while the import runs: other writers
 * wait (up to their busy timeout). `--batch N` commits every N lines and lets them in between.
 *
 * @since 0.2.0
 */
import type { EventStoreError } from "@utblick/core"
import { SqliteEventStore } from "@utblick/store-sqlite"
import { Effect, type Scope } from "effect"

/**
 * An open write transaction on a SQLite log.
 *
 * @category models
 * @since 0.2.0
 */
export interface ImportTransaction {
  /** Makes everything written so far permanent and begins the next transaction (`--batch`). */
  readonly checkpoint: Effect.Effect<void, EventStoreError.EventStoreError>
  /** Makes everything written permanent; the transaction is over. */
  readonly commit: Effect.Effect<void, EventStoreError.EventStoreError>
  /** How many distinct streams the events at or after `position` were written to. */
  readonly streamsFrom: (position: number) => Effect.Effect<number, EventStoreError.EventStoreError>
}

/**
 * Begins a write transaction on the store's connection (`BEGIN IMMEDIATE`: it waits for other
 * writers up to the store's busy timeout, then fails with a retryable `Unavailable`). Whatever is
 * not committed when the scope closes — refusal, dry run, cancellation, failure — is rolled back.
 *
 * @category constructors
 * @since 0.2.0
 */
export const begin = (
  sqlite: SqliteEventStore.SqliteDatabaseShape
): Effect.Effect<ImportTransaction, EventStoreError.EventStoreError, Scope.Scope> => {
  const { database, filename } = sqlite
  const run = (operation: string, sql: string) =>
    Effect.try({
      try: () => void database.exec(sql),
      catch: (cause) => SqliteEventStore.toStoreError(operation, filename, cause)
    })
  const open = run("begin the import's transaction", "BEGIN IMMEDIATE")
  const commit = Effect.suspend(() => (database.inTransaction ? run("commit the import", "COMMIT") : Effect.void))
  return Effect.acquireRelease(open, () =>
    // SQLite may already have rolled back on its own (a full disk); then there is nothing to undo.
    Effect.sync(() => {
      if (database.inTransaction) database.exec("ROLLBACK")
    })
  ).pipe(
    Effect.as({
      checkpoint: Effect.andThen(commit, open),
      commit,
      streamsFrom: (position: number) =>
        Effect.try({
          try: () =>
            database.prepare("SELECT count(DISTINCT stream_id) FROM events WHERE position >= ?").pluck().get(position) as number,
          catch: (cause) => SqliteEventStore.toStoreError("count the streams written", filename, cause)
        })
    })
  )
}
