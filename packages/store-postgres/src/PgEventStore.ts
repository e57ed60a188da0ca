/**
 * The production event store of Utblick on a real PostgreSQL server, through `@effect/sql-pg`.
 *
 * **Details**
 *
 * - One log per PostgreSQL schema (default `public`), in the table `utblick_events`. The
 *   canonical JSON of each event is stored verbatim as `text`; the other columns are copies
 *   for indexes. `position` (the primary key) is the global, gap-free, 0-based position.
 * - Appends are optimistic and take one statement: the instance caches the log head and the
 *   stream tips it has seen committed, plans with core's `AppendPlanner.planAppend` on them, and
 *   inserts every planned row with one auto-committed `INSERT … SELECT … FROM unnest($arrays)`
 *   (with `pg_advisory_xact_lock` and `pg_notify` in the same statement). A stale cache collides
 *   with a committed row on a unique key (position, stream version or event id); the store then
 *   reads the state afresh and plans again. A position can therefore only be written by a writer
 *   that saw the previous one committed, so readers paging by position never skip an event that
 *   commits late (ADR 0010).
 * - Group commit: appends submitted concurrently to one store instance are planned one after
 *   another and written by the same statement. Each keeps its own expected-version check and is
 *   all or nothing on its own: a write that fails planning gets its error, the others commit.
 * - An append made inside a transaction the caller opened with `withTransaction` on the store's
 *   own `SqlClient` (see {@link layerWithClientFromUrl}) joins that transaction as a savepoint:
 *   it takes the log's lock (held until the caller commits or rolls back), plans on the state
 *   read through the transaction and commits or rolls back with it (ADR 0023).
 * - Reads page by primary key (`position >= $from ORDER BY position LIMIT $n`): constant memory,
 *   no OFFSET rescans. `subscribe` wakes on `LISTEN/NOTIFY` (the notification is sent inside
 *   the append transaction, so it is delivered only on commit) and polls as a fallback; the
 *   store listens from its first subscription on.
 *
 * @since 0.1.0
 */
import { PgClient } from "@effect/sql-pg"
import { EMPTY_HEAD, type LogHead } from "@utblick/core/AppendPlanner"
import type { StoredEvent, StoredRecord } from "@utblick/core/Envelope"
import {
  appendViaMany,
  EventStore,
  type EventStoreShape,
  type ReadAllOptions,
  type ReadHint
} from "@utblick/core/EventStore"
import { Corrupt, type EventStoreError, fromReason } from "@utblick/core/EventStoreError"
import { makeAppendSignal, tail } from "@utblick/core/LiveTail"
import * as Holes from "@utblick/core/Holes"
import * as ProjectionCheckpoints from "@utblick/core/ProjectionCheckpoints"
import {
  Config,
  Context,
  Deferred,
  type Duration,
  Effect,
  Layer,
  Option,
  Queue,
  type Redacted,
  Schedule,
  type Scope,
  Stream
} from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import { makeAppends } from "./internal/appends.js"
import { connected, urlClient } from "./internal/connect.js"
import { fromSqlError, unavailable } from "./internal/errors.js"
import { logNames } from "./internal/names.js"
import { decodeRow, READ_COLUMNS, type RowValues } from "./internal/rows.js"
import * as PgCheckpointStore from "./PgCheckpointStore.js"
import * as PgMigrator from "./PgMigrator.js"

/**
 * Options of the PostgreSQL store.
 *
 * @category models
 * @since 0.1.0
 */
export interface Options {
  /**
   * The log's origin, hashed into every record. A new log adopts it (default
   * `utblick.local/postgres`); an existing log keeps the origin it was created with, and opening
   * it with a different one fails rather than mixing two origins in one chain.
   */
  readonly origin?: string
  /** The PostgreSQL schema that holds this log (one log per schema); default `public`. */
  readonly schema?: string
  /** Apply missing migrations on start (default `true`); otherwise require an up-to-date schema. */
  readonly migrate?: boolean
  /**
   * Wake `subscribe` through `LISTEN/NOTIFY` (default `true`); turn off behind poolers that drop it.
   * The listener and its connection start with the first subscription.
   */
  readonly listen?: boolean
  /** How often a waiting subscriber polls when no notification arrives (default 1 second). */
  readonly pollInterval?: Duration.Input
  /** The most appends one statement commits together (default 256). */
  readonly maxGroupSize?: number
}

/**
 * Connection pool settings for {@link layerFromUrl} and {@link layerConfig}.
 *
 * @category models
 * @since 0.1.0
 */
export interface PoolOptions {
  /** Pool size (default 10). The listener, once something subscribes, holds one connection; appends use one at a time. */
  readonly maxConnections?: number
}

const DEFAULT_ORIGIN = "utblick.local/postgres"
const DEFAULT_BATCH = 1000

/**
 * Builds a PostgreSQL event store over the `PgClient` in context. Runs migrations (unless
 * `migrate: false`), pins the origin, starts the group-commit writer and the listener; all stop
 * when the scope closes.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (
  options: Options = {}
): Effect.Effect<EventStoreShape, EventStoreError, PgClient.PgClient | Scope.Scope> =>
  Effect.gen(function* () {
    const pg = yield* PgClient.PgClient
    const sql: SqlClient.SqlClient = pg
    const schema = options.schema ?? "public"
    const s = yield* PgMigrator.quoteSchema(schema)
    const names = logNames(schema)
    const table = `${s}.utblick_events`
    const openError = fromSqlError("open the log")

    if (options.migrate !== false) {
      yield* PgMigrator.run({ schema }).pipe(Effect.provideService(SqlClient.SqlClient, sql))
    } else {
      const version = yield* PgMigrator.currentVersion(schema).pipe(
        Effect.provideService(SqlClient.SqlClient, sql)
      )
      if (version > PgMigrator.latestVersion) return yield* Effect.fail(PgMigrator.tooNew(schema, version))
      if (version < PgMigrator.latestVersion) {
        return yield* Effect.fail(
          unavailable(
            "open the log",
            `schema "${schema}" is at migration ${version}, this version needs ${PgMigrator.latestVersion}; run PgMigrator.run({ schema: "${schema}" }) or pass migrate: true`,
            false
          )
        )
      }
    }

    const origin = yield* Effect.gen(function* () {
      yield* sql.unsafe(`INSERT INTO ${s}.utblick_log (origin) VALUES ($1) ON CONFLICT DO NOTHING`, [
        options.origin ?? DEFAULT_ORIGIN
      ])
      const rows = yield* sql.unsafe<{ readonly origin: string }>(`SELECT origin FROM ${s}.utblick_log`)
      return rows[0]?.origin ?? DEFAULT_ORIGIN
    }).pipe(Effect.catchTag("SqlError", (e: SqlError) => Effect.fail(openError(e))))
    if (options.origin !== undefined && options.origin !== origin) {
      return yield* Effect.fail(
        unavailable(
          "open the log",
          `the log in schema "${schema}" was created with origin "${origin}", not "${options.origin}"; open it with that origin, or use another schema for a new log`,
          false
        )
      )
    }

    const headSql = `SELECT position, hash, canonical::json->>'recordedAt' AS recorded_at FROM ${table} ORDER BY position DESC LIMIT 1`
    const pageSql = `SELECT ${READ_COLUMNS} FROM ${table} WHERE position >= $1 AND position < $2 ORDER BY position LIMIT $3`
    const streamSql = `SELECT ${READ_COLUMNS} FROM ${table} WHERE stream_id = $1 AND stream_version >= $2 ORDER BY stream_version`
    const readHead: Effect.Effect<LogHead, EventStoreError> = sql.unsafe(headSql).values.pipe(
      Effect.map((rows): LogHead => {
        const row = rows[0]
        if (row === undefined) return EMPTY_HEAD
        return { size: Number(row[0]) + 1, lastHash: String(row[1]), lastRecordedAt: String(row[2]) }
      }),
      Effect.catchTag("SqlError", (e: SqlError) => Effect.fail(fromSqlError("read the head of the log")(e)))
    )

    const initialHead = yield* readHead
    let knownSize = initialHead.size
    const pollInterval = options.pollInterval ?? "1 second"
    const signal = makeAppendSignal(() => knownSize, { pollInterval })

    // ---- appends (internal/appends.ts) ----------------------------------------------------

    const appendMany = yield* makeAppends({
      sql,
      table,
      names,
      origin,
      initialHead,
      maxGroupSize: options.maxGroupSize ?? 256,
      committed: (size) => {
        if (size > knownSize) {
          knownSize = size
          signal.notify()
        }
      }
    })

    // ---- reads -------------------------------------------------------------------------------

    const readPage = (from: number, to: number, limit: number) =>
      sql
        .unsafe(pageSql, [from, to, limit])
        .values.pipe(
          Effect.catchTag("SqlError", (e: SqlError) => Effect.fail(fromSqlError("read the log")(e)))
        )

    const decodeAll = (
      rows: ReadonlyArray<RowValues>
    ): Effect.Effect<ReadonlyArray<StoredEvent>, EventStoreError> => {
      const events = new Array<StoredEvent>(rows.length)
      for (let i = 0; i < rows.length; i++) {
        const decoded = decodeRow(rows[i] as RowValues)
        if (decoded instanceof Corrupt) return Effect.fail(fromReason(decoded))
        events[i] = decoded
      }
      return Effect.succeed(events)
    }

    // A read with a hint (`ReadAllOptions.only`, given by the projection runtime and the rows'
    // catch-up) leaves the events of other types and tenants on the server: their records are
    // never sent or parsed. Only equality on text columns is pushed down; the clocks are left to
    // the reader, which compares them as strings (a `date` or `timestamptz` comparison could leave
    // out an event the string comparison lets through). Positions then have gaps by design: a
    // page ends after its last row, and the reader checks each event itself.
    const hintedPages = (
      readOptions: ReadAllOptions,
      hint: ReadHint
    ): Stream.Stream<StoredEvent, EventStoreError> =>
      Stream.unwrap(
        Effect.gen(function* () {
          const from = Math.max(0, readOptions.fromPosition ?? 0)
          const size = (yield* readHead).size
          const to = Math.min(size, readOptions.toPosition ?? size)
          const batch = Math.max(1, readOptions.batchSize ?? DEFAULT_BATCH)
          // No type passes an empty list.
          if (from >= to || hint.types?.length === 0) return Stream.empty
          const where: Array<string> = []
          const params: Array<string> = []
          // $1–$3 are the range and the page size; each value given is a parameter after them.
          const placeholder = (value: string) => `$${params.push(value) + 3}`
          if (hint.types !== undefined) where.push(`type IN (${hint.types.map(placeholder).join(", ")})`)
          if (hint.tenant !== undefined) where.push(`tenant = ${placeholder(hint.tenant)}`)
          const text = `SELECT ${READ_COLUMNS} FROM ${table} WHERE position >= $1 AND position < $2 AND ${where.join(" AND ")} ORDER BY position LIMIT $3`
          return Stream.paginate(from, (start: number) =>
            sql.unsafe(text, [start, to, batch, ...params]).values.pipe(
              Effect.catchTag("SqlError", (e: SqlError) => Effect.fail(fromSqlError("read the log")(e))),
              Effect.flatMap((rows) =>
                Effect.map(decodeAll(rows), (items) => {
                  const last = rows.at(-1)
                  const next = rows.length === batch && last !== undefined ? Number(last[0]) + 1 : to
                  return [items, next < to ? Option.some(next) : Option.none()] as const
                })
              )
            )
          )
        })
      )

    const toRecords = (rows: ReadonlyArray<RowValues>): ReadonlyArray<StoredRecord> =>
      rows.map((row) => ({
        position: Number(row[0]),
        canonical: String(row[2]),
        prevHash: String(row[3]),
        hash: String(row[4])
      }))

    // A page of a replay holds exactly the range it covers, or rows were deleted (core's
    // `Holes`): report that rather than skip it or read a row twice.
    const checkContiguous = (rows: ReadonlyArray<RowValues>, start: number, expected: number) => {
      const missing = Holes.missingPosition(start, expected, rows.length, (i) => Number((rows[i] as RowValues)[0]))
      return missing === undefined ? Effect.void : Effect.fail(fromReason(Holes.missingRow(missing)))
    }

    // Replay refuses a gap (a fold over a log with a hole is wrong); the raw records are handed
    // over as they are, gaps included, because the verifier reports them itself as SEQ failures
    // at their position, the same way on every store.
    const pages = <A>(
      readOptions: ReadAllOptions | undefined,
      convert: (rows: ReadonlyArray<RowValues>) => Effect.Effect<ReadonlyArray<A>, EventStoreError>,
      gaps: "refuse" | "pass" = "refuse"
    ): Stream.Stream<A, EventStoreError> =>
      Stream.unwrap(
        Effect.gen(function* () {
          const from = Math.max(0, readOptions?.fromPosition ?? 0)
          const size = (yield* readHead).size
          const to = Math.min(size, readOptions?.toPosition ?? size)
          const batch = Math.max(1, readOptions?.batchSize ?? DEFAULT_BATCH)
          if (from >= to) return Stream.empty
          return Stream.paginate(from, (start: number) => {
            const expected = Math.min(batch, to - start)
            return readPage(start, to, expected).pipe(
              Effect.tap((rows) =>
                gaps === "refuse" ? checkContiguous(rows, start, expected) : Effect.void
              ),
              Effect.flatMap((rows) =>
                Effect.map(convert(rows), (items) => {
                  // With gaps passed through, the next page starts after the last row read.
                  const last = rows.at(-1)
                  const next =
                    gaps === "refuse" || last === undefined ? start + expected : Number(last[0]) + 1
                  return [items, next < to ? Option.some(next) : Option.none()] as const
                })
              )
            )
          })
        })
      )

    // A stream read refuses a skipped version as a replay refuses a missing position: a decision
    // made on a state without the event would be wrong.
    const readStream: EventStoreShape["readStream"] = (streamId, readOptions) => {
      const from = Math.max(1, readOptions?.fromVersion ?? 1)
      return sql.unsafe(streamSql, [streamId, from]).values.pipe(
        Effect.catchTag("SqlError", (e: SqlError) =>
          Effect.fail(fromSqlError(`read stream "${streamId}"`)(e))
        ),
        Effect.flatMap(decodeAll),
        Effect.flatMap((events) => {
          const hole = Holes.streamHole(streamId, from, events)
          return hole === undefined ? Effect.succeed(events) : Effect.fail(fromReason(hole))
        })
      )
    }

    // ---- live tail -----------------------------------------------------------------------------

    // The listener starts with the store's first subscription, not when it opens: a store that
    // only appends would otherwise open and hold a connection for it, and read back a notification
    // for each of its own commits (ADR 0054). Its own commits wake its own subscribers through
    // `committed` above anyway.
    const listening = Deferred.makeUnsafe<void>()
    const listenOnce = Effect.scoped(
      Effect.gen(function* () {
        const notifications = yield* pg.listen(names.channel)
        Deferred.doneUnsafe(listening, Effect.void)
        // Something may have committed while we were not listening.
        signal.notify()
        return yield* Effect.forever(Effect.andThen(Queue.take(notifications), Effect.sync(signal.notify)))
      })
    )
    const storeScope = yield* Effect.scope
    let started = false
    // A subscription waits for the listener before its first read (at once when it is up; at most
    // one polling interval while it starts, so a server that refuses LISTEN only delays it), so a
    // commit after that read wakes it, as when the listener started at open.
    const listenFromNowOn: Effect.Effect<void> = Effect.suspend(() => {
      if (options.listen === false) return Effect.void
      const start = started
        ? Effect.void
        : // A lost listener only slows subscribers down to the polling interval; keep reconnecting.
          Effect.forkIn(listenOnce.pipe(Effect.retry(Schedule.spaced("1 second")), Effect.ignore), storeScope)
      started = true
      return start.pipe(Effect.andThen(Effect.timeoutOption(Deferred.await(listening), pollInterval)), Effect.asVoid)
    })

    const shape: EventStoreShape = {
      origin,
      append: appendViaMany(appendMany),
      appendMany,
      readStream,
      readAll: (readOptions) =>
        readOptions?.only !== undefined &&
        (readOptions.only.types !== undefined || readOptions.only.tenant !== undefined)
          ? hintedPages(readOptions, readOptions.only)
          : pages(readOptions, decodeAll),
      readRecords: (readOptions) => pages(readOptions, (rows) => Effect.succeed(toRecords(rows)), "pass"),
      subscribe: (subscribeOptions) =>
        Stream.unwrap(
          Effect.as(
            listenFromNowOn,
            tail({
              fromPosition: subscribeOptions?.fromPosition ?? 0,
              signal,
              // Each page of the tail holds the positions from `from` on without a hole (ADR 0055).
              readPage: (from) =>
                readPage(from, Number.MAX_SAFE_INTEGER, DEFAULT_BATCH).pipe(
                  Effect.tap((rows) => checkContiguous(rows, from, rows.length)),
                  Effect.flatMap(decodeAll)
                )
            })
          )
        ),
      head: readHead
    }
    return shape
  })

/**
 * A layer providing the PostgreSQL {@link EventStore} over the `PgClient` in context.
 *
 * @example
 * ```ts
 * import { Effect, Redacted, Layer } from "effect"
 * import { PgClient } from "@effect/sql-pg"
 * import { PgEventStore } from "@utblick/store-postgres"
 *
 * const StoreLive = PgEventStore.layer({ origin: "region-norrbotten.se/utblick", schema: "norrbotten" }).pipe(
 *   Layer.provide(PgClient.layer({ url: Redacted.make(process.env.DATABASE_URL ?? "") }))
 * )
 * ```
 *
 * @category layers
 * @since 0.1.0
 */
export const layer = (options: Options = {}): Layer.Layer<EventStore, EventStoreError, PgClient.PgClient> =>
  // The log's persisted read models come with it (ADR 0035): reports catch up from them.
  Layer.effectContext(
    Effect.gen(function* () {
      const store = yield* make(options)
      const pg = yield* PgClient.PgClient
      const checkpoints = yield* PgCheckpointStore.make(
        options.schema === undefined ? {} : { schema: options.schema }
      ).pipe(Effect.provideService(SqlClient.SqlClient, pg))
      return Context.make(EventStore, EventStore.of(store)).pipe(
        Context.add(ProjectionCheckpoints.ProjectionCheckpoints, checkpoints)
      )
    })
  )

/**
 * A layer providing the PostgreSQL {@link EventStore} with its own connection pool to `url`
 * (e.g. `postgres://user:password@host:5432/db`).
 *
 * @category layers
 * @since 0.1.0
 */
export const layerFromUrl = (
  url: string | Redacted.Redacted,
  options: Options & PoolOptions = {}
): Layer.Layer<EventStore, EventStoreError> =>
  layer(options).pipe(
    Layer.provide(
      urlClient(url, options.maxConnections ?? 10)
    )
  )

/**
 * Like {@link layerFromUrl}, and also provides the store's own `SqlClient`, so that a caller can
 * open a transaction on the connection pool the store uses: appends made inside
 * `sql.withTransaction(...)` then join that transaction (the CLI's import writes a whole file
 * into one transaction this way; ADR 0023).
 *
 * @category layers
 * @since 0.2.0
 */
export const layerWithClientFromUrl = (
  url: string | Redacted.Redacted,
  options: Options & PoolOptions = {}
): Layer.Layer<EventStore | SqlClient.SqlClient, EventStoreError> =>
  layer(options).pipe(
    Layer.provideMerge(
      urlClient(url, options.maxConnections ?? 10)
    )
  )

/**
 * A layer providing the PostgreSQL {@link EventStore}, connecting to the URL in the
 * `DATABASE_URL` config (environment variable by default).
 *
 * @category layers
 * @since 0.1.0
 */
export const layerConfig = (options: Options & PoolOptions = {}): Layer.Layer<EventStore, EventStoreError> =>
  layer(options).pipe(
    Layer.provide(
      connected(
        PgClient.layerConfig({
          url: Config.Redacted("DATABASE_URL"),
          maxConnections: Config.succeed(options.maxConnections ?? 10)
        }).pipe(
          Layer.catchTag("ConfigError", (error) =>
            Layer.effectContext(
              Effect.fail(unavailable("connect to PostgreSQL", `${error.message}; set DATABASE_URL`, false))
            )
          )
        ),
        "DATABASE_URL"
      )
    )
  )
