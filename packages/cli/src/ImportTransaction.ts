/**
 * The one transaction an import writes in, on the store's own connection (ADR 0023).
 *
 * **Why.** An import is all or nothing per file (or per declared batch), yet a file of a million
 * commands must not be held in memory until its last line has been decided. So the decided events
 * go into the log itself, inside one transaction on the store's own connection, a few thousand at
 * a time; the store's appends join it (SQLite: as savepoints on its one connection; PostgreSQL:
 * as savepoints inside `sql.withTransaction` on the store's own client). The deciders read their
 * streams through the same transaction, so they see what the file has decided so far. The
 * transaction commits only when every line has passed; a refusal, a dry run, Ctrl-C, an error or
 * a crash rolls it back, and the log is exactly as it was. Memory stays constant: the uncommitted
 * events are pages of the SQLite file (its WAL) or rows on the PostgreSQL server, not objects in
 * the heap.
 *
 * **Price.** The transaction holds the log's write lock (SQLite's file lock; PostgreSQL's append
 * lock, from the first write on) while the import runs: other writers wait. `--batch N` commits
 * every N lines and lets them in between.
 *
 * @since 0.2.0
 */
import { EventStoreError } from "@utblick/core"
import { PgMigrator } from "@utblick/store-postgres"
import { SqliteEventStore } from "@utblick/store-sqlite"
import { Effect, Option, type Scope } from "effect"
import type { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"

/**
 * An open write transaction on a log.
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
 * @category utils
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

/**
 * The connection a store lends an import for its transaction: a SQLite log's open database, or
 * a PostgreSQL log's own client and schema.
 *
 * @category models
 * @since 0.2.0
 */
export type Lender =
  | { readonly _tag: "Sqlite"; readonly sqlite: SqliteEventStore.SqliteDatabaseShape }
  | { readonly _tag: "Postgres"; readonly sql: SqlClient.SqlClient; readonly schema: string }

// The body ended without `commit` (a dry run, nothing new): carries its value out of
// `withTransaction`, which rolls back on the way.
class RolledBack<A> {
  readonly value: A
  constructor(value: A) {
    this.value = value
  }
}

const fromSql =
  (operation: string) =>
  (error: SqlError): EventStoreError.EventStoreError =>
    EventStoreError.fromReason(new EventStoreError.Unavailable({ operation, detail: error.message, retryable: false }))

/**
 * Runs `body` inside one PostgreSQL transaction on the store's own client: the store's appends
 * and reads inside it go through that transaction (see `PgEventStore`). Only `commit` makes the
 * rest of the body's writes permanent; a body that ends without it — a dry run — or fails or is
 * interrupted is rolled back. `checkpoint` commits and begins the next transaction on the same
 * connection (`--batch`).
 */
const withPostgres = <A, E, R>(
  sql: SqlClient.SqlClient,
  schema: string,
  body: (tx: ImportTransaction) => Effect.Effect<A, E, R>
): Effect.Effect<A, E | EventStoreError.EventStoreError, R> =>
  Effect.gen(function* () {
    const table = `${yield* PgMigrator.quoteSchema(schema)}.utblick_events`
    let committed = false
    // Transaction control on the transaction's own connection, the way `withTransaction` sends it.
    const control = (statement: string) =>
      Effect.flatMap(Effect.serviceOption(sql.transactionService), (open) =>
        Option.isSome(open)
          ? Effect.asVoid(open.value[0].executeUnprepared(statement, [], undefined))
          : Effect.die(new Error(`${statement} outside the import's transaction`))
      ).pipe(Effect.mapError(fromSql(statement === "COMMIT" ? "commit the import" : "begin the import's next transaction")))
    const checkpoint = Effect.andThen(control("COMMIT"), control("BEGIN"))
    const tx: ImportTransaction = {
      checkpoint,
      // COMMIT, then an empty transaction for `withTransaction` to close.
      commit: Effect.tap(checkpoint, () =>
        Effect.sync(() => {
          committed = true
        })
      ),
      streamsFrom: (position) =>
        sql
          .unsafe<{ readonly streams: string }>(`SELECT count(DISTINCT stream_id) AS streams FROM ${table} WHERE position >= $1`, [position])
          .pipe(
            Effect.map((rows) => Number(rows[0]?.streams ?? 0)),
            Effect.mapError(fromSql("count the streams written"))
          )
    }
    return yield* sql
      .withTransaction(Effect.flatMap(body(tx), (a) => (committed ? Effect.succeed(a) : Effect.fail(new RolledBack(a)))))
      .pipe(
        Effect.catchIf(
          (e): e is RolledBack<A> => e instanceof RolledBack,
          (rolledBack) => Effect.succeed(rolledBack.value)
        ),
        Effect.catchIf(
          (e): e is SqlError => typeof e === "object" && e !== null && (e as { readonly _tag?: unknown })._tag === "SqlError",
          (e) => Effect.fail(fromSql("begin or end the import's transaction")(e))
        )
      ) as Effect.Effect<A, E | EventStoreError.EventStoreError, R>
  })

/**
 * Runs `body` inside the import's transaction on the store's own connection (`lender`), or
 * without one when the store lends none (`undefined`: an in-memory store). Whatever `body`
 * wrote and did not `commit` is rolled back when it ends.
 *
 * @category utils
 * @since 0.2.0
 */
export const within = <A, E, R>(
  lender: Lender | undefined,
  body: (tx: ImportTransaction | undefined) => Effect.Effect<A, E, R>
): Effect.Effect<A, E | EventStoreError.EventStoreError, R | Scope.Scope> =>
  lender === undefined
    ? body(undefined)
    : lender._tag === "Sqlite"
      ? Effect.flatMap(begin(lender.sqlite), body)
      : withPostgres(lender.sql, lender.schema, body)
