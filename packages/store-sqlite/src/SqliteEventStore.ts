/**
 * The embedded, durable `EventStore` of Utblick: one SQLite file in WAL mode, shared safely by
 * several processes, through better-sqlite3.
 *
 * **Details**
 *
 * Every append runs in one `BEGIN IMMEDIATE` transaction: it reads the log head and the stream
 * tips under the write lock, lets core's `AppendPlanner` validate, deduplicate and hash, and
 * inserts exactly the planned records. The canonical JSON of each event is stored verbatim, so
 * the hash chain can be re-verified from the file alone. Reads page through the log by position
 * in constant memory.
 *
 * @since 0.1.0
 */
import { EventStore, EventStoreError, Uuid } from "@utblick/core"
import * as AppendPlanner from "@utblick/core/AppendPlanner"
import * as LiveTail from "@utblick/core/LiveTail"
import * as Holes from "@utblick/core/Holes"
import type { StoredRecord } from "@utblick/core/Envelope"
import Database from "better-sqlite3"
import { Clock, Context, Duration, Effect, Layer, Option, Result, type Scope, Stream } from "effect"
import { CorruptRow, ReasonError, sqliteCode } from "./internal/errors.js"
import { decodeRow, decodeRows, type HeadRow, type Row } from "./internal/rows.js"
import { latestVersion, migrate, SchemaTooNewError } from "./SqliteMigrator.js"

/**
 * Options of {@link make} and {@link layer}.
 *
 * @category models
 * @since 0.1.0
 */
export interface Options {
  /** Path of the database file, or `":memory:"` for a private in-memory database. */
  readonly filename: string
  /**
   * The identity of this log, part of every hashed record. Recorded in the file on first open;
   * later opens may omit it, and a different value is refused. Default `utblick.local/sqlite`.
   */
  readonly origin?: string
  /** How long a writer waits for another process's write lock before failing; default 5,000 ms. */
  readonly busyTimeoutMillis?: number
  /** How often `subscribe` looks for events appended by other processes; default 250 ms. */
  readonly pollInterval?: Duration.Input
  /** Events per page of `readAll`, `readRecords` and `subscribe`; default 1,000. */
  readonly batchSize?: number
  /** Open the file read-only: reads work, appends fail with a retryable `Unavailable`. */
  readonly readonly?: boolean
  /**
   * How many pages the write-ahead log may grow to before the appending connection copies it
   * back into the database file; default as many as make 16 MiB (4,096 pages of SQLite's default
   * 4 KiB). SQLite's own default is 1,000 pages.
   * Each copy rewrites every page changed since the last one and syncs twice, so a larger log
   * makes appends cheaper at the price of a larger `-wal` file beside the database. Durability
   * does not depend on it: every commit is in the log before the append returns. `0` leaves the
   * copying to whoever runs `PRAGMA wal_checkpoint` and to closing the file.
   *
   * @since 0.2.0
   */
  readonly walAutocheckpointPages?: number
}

/**
 * The SQLite store: the `EventStore` operations plus the open database, for companions such as
 * {@link SqliteCheckpointStore} and for maintenance.
 *
 * **Gotchas**
 *
 * Writing to the `events` table through `database` bypasses the planner and breaks the chain.
 *
 * @category models
 * @since 0.1.0
 */
export interface SqliteEventStoreShape extends EventStore.EventStoreShape {
  readonly filename: string
  readonly database: Database.Database
}

/**
 * What {@link SqliteDatabase} holds.
 *
 * @category models
 * @since 0.1.0
 */
export interface SqliteDatabaseShape {
  readonly filename: string
  readonly database: Database.Database
}

/**
 * The open database of the SQLite store, provided by {@link layer} next to the `EventStore`.
 *
 * @category services
 * @since 0.1.0
 */
export class SqliteDatabase extends Context.Service<SqliteDatabase, SqliteDatabaseShape>()(
  "~utblick/store-sqlite/SqliteDatabase"
) {}

/**
 * The default origin of a SQLite log.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_ORIGIN = "utblick.local/sqlite"

const DEFAULT_BATCH = 1000
const DEFAULT_BUSY_TIMEOUT = 5000
const WAL_AUTOCHECKPOINT_BYTES = 16 * 1024 * 1024

/**
 * Maps whatever an operation threw to an `EventStoreError` a person can act on.
 *
 * @category errors
 * @since 0.1.0
 */
export const toStoreError = (
  operation: string,
  filename: string,
  cause: unknown
): EventStoreError.EventStoreError => {
  if (cause instanceof EventStoreError.EventStoreError) return cause
  if (cause instanceof ReasonError) return EventStoreError.fromReason(cause.reason)
  if (cause instanceof CorruptRow) {
    return EventStoreError.fromReason(
      new EventStoreError.Corrupt({
        position: cause.position,
        streamId: cause.streamId,
        detail: cause.detail
      })
    )
  }
  const unavailable = (detail: string, retryable: boolean) =>
    EventStoreError.fromReason(new EventStoreError.Unavailable({ operation, detail, retryable, cause }))
  if (cause instanceof SchemaTooNewError) return unavailable(cause.message, false)
  const code = sqliteCode(cause) ?? ""
  const said = cause instanceof Error ? cause.message : String(cause)
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    return unavailable(
      `${filename} stayed locked by another connection longer than the busy timeout (${said}); retry, or raise busyTimeoutMillis`,
      true
    )
  }
  if (code.startsWith("SQLITE_FULL")) {
    return unavailable(`${filename} is full (${said}): free disk space or raise the size limit`, true)
  }
  if (code.startsWith("SQLITE_READONLY")) {
    return unavailable(
      `${filename} is read-only (${said}): open it writable, or fix the permissions of the file and its directory`,
      true
    )
  }
  if (code.startsWith("SQLITE_IOERR")) {
    return unavailable(`the disk failed while accessing ${filename} (${said}); check the device`, true)
  }
  if (code.startsWith("SQLITE_CANTOPEN")) {
    return unavailable(
      `${filename} cannot be opened (${said}); check that its directory exists and is writable`,
      true
    )
  }
  if (code.startsWith("SQLITE_CORRUPT") || code.startsWith("SQLITE_NOTADB")) {
    return unavailable(
      `${filename} is damaged or not a SQLite database (${said}); restore it from a backup`,
      false
    )
  }
  return unavailable(`${said}${code === "" ? "" : ` [${code}]`}`, false)
}

// A checkpoint copies every page changed since the last one and syncs twice: the fewer there are,
// the cheaper each append (ADR 0043). Checked here, as the value goes into a PRAGMA's text.
const walAutocheckpoint = (options: Options, pageSize: number): number => {
  const pages = options.walAutocheckpointPages ?? Math.round(WAL_AUTOCHECKPOINT_BYTES / pageSize)
  if (!Number.isSafeInteger(pages) || pages < 0) {
    throw new ReasonError(
      new EventStoreError.Unavailable({
        operation: "open the log",
        detail: `walAutocheckpointPages must be a whole number of pages ≥ 0, not ${String(pages)}`,
        retryable: false
      })
    )
  }
  return pages
}

const openDatabase = (options: Options): Database.Database => {
  const db = new Database(options.filename, {
    readonly: options.readonly ?? false,
    timeout: options.busyTimeoutMillis ?? DEFAULT_BUSY_TIMEOUT
  })
  try {
    if (options.readonly !== true) {
      // WAL lets readers in other processes go on while one process writes; NORMAL syncs at
      // checkpoints only, which keeps every commit across a process crash (not a power cut).
      db.pragma("journal_mode = WAL")
      db.pragma("synchronous = NORMAL")
      db.pragma(`wal_autocheckpoint = ${walAutocheckpoint(options, db.pragma("page_size", { simple: true }) as number)}`)
    }
    migrate(db)
    return db
  } catch (error) {
    db.close()
    throw error
  }
}

const resolveOrigin = (db: Database.Database, options: Options): string => {
  const read = () =>
    (db.prepare("SELECT value FROM store_meta WHERE key = 'origin'").pluck().get() as string | undefined) ??
    undefined
  let stored = read()
  if (stored === undefined && options.readonly !== true) {
    db.transaction(() => {
      db.prepare("INSERT OR IGNORE INTO store_meta (key, value) VALUES ('origin', ?)").run(
        options.origin ?? DEFAULT_ORIGIN
      )
    }).immediate()
    stored = read()
  }
  const origin = stored ?? options.origin ?? DEFAULT_ORIGIN
  if (options.origin !== undefined && options.origin !== origin) {
    throw new ReasonError(
      new EventStoreError.Unavailable({
        operation: "open the log",
        detail: `${options.filename} holds the log of origin "${origin}", not "${options.origin}"; pass the stored origin or another file`,
        retryable: false
      })
    )
  }
  return origin
}

/**
 * Opens (creating and migrating when needed) a SQLite event store. The database is closed when
 * the scope closes.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { SqliteEventStore } from "@utblick/store-sqlite"
 *
 * const program = Effect.scoped(Effect.gen(function* () {
 *   const store = yield* SqliteEventStore.make({ filename: "utblick.db" })
 *   return (yield* store.head).size
 * }))
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (
  options: Options
): Effect.Effect<SqliteEventStoreShape, EventStoreError.EventStoreError, Scope.Scope> =>
  Effect.gen(function* () {
    const { filename } = options
    const db = yield* Effect.acquireRelease(
      Effect.try({
        try: () => openDatabase(options),
        catch: (cause) => toStoreError("open the log", filename, cause)
      }),
      (db) => Effect.sync(() => db.close())
    )
    const origin = yield* Effect.try({
      try: () => resolveOrigin(db, options),
      catch: (cause) => toStoreError("open the log", filename, cause)
    })
    const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH)

    const headStmt = db
      .prepare("SELECT position, hash, recorded_at FROM events ORDER BY position DESC LIMIT 1")
      .raw(true)
    const sizeStmt = db.prepare("SELECT coalesce(max(position) + 1, 0) FROM events").pluck()
    const tipStmt = db
      .prepare(
        "SELECT stream_version, hash FROM events WHERE stream_id = ? ORDER BY stream_version DESC LIMIT 1"
      )
      .raw(true)
    const byIdStmt = db
      .prepare("SELECT position, stream_id, body, prev_hash, hash FROM events WHERE event_id = ?")
      .raw(true)
    const insertStmt = db.prepare(
      "INSERT INTO events (position, event_id, stream_id, stream_version, type, tenant, occurred_at, recorded_at, body, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    )
    const pageStmt = db
      .prepare(
        "SELECT position, stream_id, body, prev_hash, hash FROM events WHERE position >= ? AND position < ? ORDER BY position LIMIT ?"
      )
      .raw(true)
    // The indexed envelope columns only (written from the body at append; checked by `verify`).
    const headsStmt = db
      .prepare(
        "SELECT position, type, tenant, occurred_at, recorded_at, hash FROM events WHERE position >= ? AND position < ? ORDER BY position LIMIT ?"
      )
      .raw(true)
    const streamStmt = db
      .prepare(
        "SELECT position, stream_id, body, prev_hash, hash FROM events WHERE stream_id = ? AND stream_version >= ? ORDER BY stream_version"
      )
      .raw(true)

    const readHead = (): AppendPlanner.LogHead => {
      const row = headStmt.get() as [number, string, string] | undefined
      return row === undefined
        ? AppendPlanner.EMPTY_HEAD
        : { size: row[0] + 1, lastHash: row[1], lastRecordedAt: row[2] }
    }
    const sizeNow = () => sizeStmt.get() as number

    const view: AppendPlanner.CommittedView = {
      streamTip: (streamId) => {
        const row = tipStmt.get(streamId) as [number, string] | undefined
        return row === undefined ? { version: 0, lastHash: null } : { version: row[0], lastHash: row[1] }
      },
      findEvent: (eventId) => {
        const row = byIdStmt.get(eventId) as Row | undefined
        return row === undefined ? undefined : decodeRow(row[0], row[1], row[2], row[3], row[4])
      }
    }

    const insertRecord = (record: AppendPlanner.PreparedRecord) => {
      const e = record.event
      try {
        insertStmt.run(
          e.position,
          e.eventId,
          e.streamId,
          e.streamVersion,
          e.type,
          e.tenant,
          e.occurredAt,
          e.recordedAt,
          record.canonical,
          e.prevHash,
          e.hash
        )
      } catch (error) {
        const code = sqliteCode(error)
        const message = error instanceof Error ? error.message : ""
        if (code?.startsWith("SQLITE_CONSTRAINT") && message.includes("events.stream_version")) {
          throw new ReasonError(
            new EventStoreError.ConcurrencyConflict({
              streamId: e.streamId,
              expected: String(e.streamVersion - 1),
              actual: view.streamTip(e.streamId).version
            })
          )
        }
        if (code?.startsWith("SQLITE_CONSTRAINT") && message.includes("events.event_id")) {
          const existing = view.findEvent(e.eventId)
          throw new ReasonError(
            new EventStoreError.DuplicateEvent({
              eventId: e.eventId,
              streamId: existing?.streamId ?? e.streamId,
              position: existing?.position ?? -1
            })
          )
        }
        throw error
      }
    }

    // The planner runs inside the write transaction, so the head and tips it sees cannot move
    // before its records are inserted: no other process can fork the chain.
    const appendTx = db.transaction(
      (
        writes: ReadonlyArray<AppendPlanner.StreamWrite>,
        nowMillis: number
      ): Result.Result<AppendPlanner.AppendPlan, EventStoreError.EventStoreError> => {
        const planned = AppendPlanner.planAppend({
          origin,
          head: readHead(),
          view,
          writes,
          nowMillis,
          newEventId: () => Uuid.uuidV7At(nowMillis)
        })
        if (Result.isFailure(planned)) return planned
        const { records } = planned.success
        for (let i = 0; i < records.length; i++) insertRecord(records[i] as AppendPlanner.PreparedRecord)
        return planned
      }
    )

    const signal = LiveTail.makeAppendSignal(
      () => {
        try {
          return sizeNow()
        } catch {
          // Treat a momentary read failure as "nothing new": the poll tries again.
          return 0
        }
      },
      { pollInterval: options.pollInterval ?? Duration.millis(250) }
    )

    const appendMany: EventStore.EventStoreShape["appendMany"] = (writes) =>
      Effect.flatMap(Clock.currentTimeMillis, (nowMillis) =>
        Effect.suspend(() => {
          let planned: Result.Result<AppendPlanner.AppendPlan, EventStoreError.EventStoreError>
          try {
            planned = appendTx.immediate(writes, nowMillis)
          } catch (cause) {
            return Effect.fail(toStoreError("append", filename, cause))
          }
          if (Result.isFailure(planned)) return Effect.fail(planned.failure)
          if (planned.success.records.length > 0) signal.notify()
          return Effect.succeed(planned.success.results)
        })
      )

    const attempt = <A>(operation: string, f: () => A) =>
      Effect.try({ try: f, catch: (cause) => toStoreError(operation, filename, cause) })

    // A replay refuses a hole in the positions (core's `Holes`), as the PostgreSQL store's
    // does: a fold over a log with rows deleted is silently wrong. Raw records pass holes through,
    // for the verifier reports each one itself, and so does a hinted read, whose rows are not
    // contiguous by design.
    const paged = <A, R extends ReadonlyArray<unknown> = Row>(
      readOptions: EventStore.ReadAllOptions | undefined,
      map: (rows: ReadonlyArray<R>) => ReadonlyArray<A>,
      statement: { readonly all: (...params: ReadonlyArray<unknown>) => unknown },
      gaps: "refuse" | "pass"
    ): Stream.Stream<A, EventStoreError.EventStoreError> =>
      Stream.unwrap(
        attempt("read the log", () => {
          const from = Math.max(0, readOptions?.fromPosition ?? 0)
          // Stop at the end as it was when the read started, like the memory store (and never
          // past it, where a replay would count positions no row can hold yet as missing).
          const to = Math.min(sizeNow(), readOptions?.toPosition ?? Number.POSITIVE_INFINITY)
          const limit = Math.max(1, readOptions?.batchSize ?? batchSize)
          return Stream.paginate(from, (cursor: number) =>
            attempt("read the log", () => {
              const rows = statement.all(cursor, to, limit) as Array<R>
              if (gaps === "refuse") {
                const missing = Holes.missingPosition(
                  cursor,
                  Math.max(0, Math.min(limit, to - cursor)),
                  rows.length,
                  (i) => (rows[i] as R)[0] as number
                )
                if (missing !== undefined) throw new CorruptRow(missing, "unknown", Holes.MISSING_ROW)
              }
              const next =
                rows.length === limit ? ((rows[rows.length - 1] as R)[0] as number) + 1 : Number.POSITIVE_INFINITY
              return [map(rows), next < to ? Option.some(next) : Option.none()] as const
            })
          )
        })
      )

    // A read with a hint (`ReadAllOptions.only`, given by the projection runtime) leaves the events
    // it rejects in SQLite: their records never become JavaScript strings. One statement per shape
    // of hint, kept while there are few (a process asks for a handful of time filters).
    const hinted = new Map<string, Database.Statement>()
    const pageFor = (
      hint: EventStore.ReadHint | undefined
    ): { readonly all: (...params: ReadonlyArray<unknown>) => unknown } => {
      if (hint === undefined) return pageStmt
      const where: Array<string> = []
      const params: Array<string> = []
      if (hint.types !== undefined) {
        where.push(`type IN (${hint.types.map(() => "?").join(", ")})`)
        params.push(...hint.types)
      }
      if (hint.tenant !== undefined) {
        where.push("tenant = ?")
        params.push(hint.tenant)
      }
      if (hint.asOf !== undefined) {
        where.push("occurred_at <= ?")
        params.push(hint.asOf)
      }
      if (hint.knownAt !== undefined) {
        where.push("recorded_at <= ?")
        params.push(hint.knownAt)
      }
      if (where.length === 0) return pageStmt
      const sql = `SELECT position, stream_id, body, prev_hash, hash FROM events WHERE position >= ? AND position < ? AND ${where.join(" AND ")} ORDER BY position LIMIT ?`
      let statement = hinted.get(sql)
      if (statement === undefined) {
        if (hinted.size >= 32) hinted.clear()
        statement = db.prepare(sql).raw(true)
        hinted.set(sql, statement)
      }
      const prepared = statement
      return { all: (from, to, limit) => prepared.all(from, to, ...params, limit) }
    }

    const toHeads = (rows: ReadonlyArray<HeadRow>): Array<EventStore.EventHead> =>
      rows.map((row) => ({
        position: row[0],
        type: row[1],
        tenant: row[2] as EventStore.EventHead["tenant"],
        occurredAt: row[3] as EventStore.EventHead["occurredAt"],
        recordedAt: row[4] as EventStore.EventHead["recordedAt"],
        hash: row[5]
      }))

    const toRecords = (rows: ReadonlyArray<Row>): Array<StoredRecord> =>
      rows.map((row) => ({ position: row[0], canonical: row[2], prevHash: row[3], hash: row[4] }))

    const shape: SqliteEventStoreShape = {
      origin,
      filename,
      database: db,
      append: EventStore.appendViaMany(appendMany),
      appendMany,
      readStream: (streamId, readOptions) => {
        const from = Math.max(1, readOptions?.fromVersion ?? 1)
        return attempt("read a stream", () => decodeRows(streamStmt.all(streamId, from) as Array<Row>)).pipe(
          Effect.flatMap((events) => {
            const hole = Holes.streamHole(streamId, from, events)
            return hole === undefined ? Effect.succeed(events) : Effect.fail(EventStoreError.fromReason(hole))
          })
        )
      },
      // Preparing a hint's statement can fail too (a closed or broken file): inside the stream,
      // so the caller gets the store's error rather than a throw from `readAll` itself.
      readAll: (readOptions) =>
        Stream.unwrap(
          attempt("read the log", () => {
            const statement = pageFor(readOptions?.only)
            return paged(readOptions, decodeRows, statement, statement === pageStmt ? "refuse" : "pass")
          })
        ),
      readRecords: (readOptions) => paged(readOptions, toRecords, pageStmt, "pass"),
      readHeads: (readOptions) => paged(readOptions, toHeads, headsStmt, "refuse"),
      subscribe: (subscribeOptions) =>
        LiveTail.tail({
          fromPosition: subscribeOptions?.fromPosition ?? 0,
          signal,
          // Each page of the tail holds the positions from `from` on without a hole (ADR 0055).
          readPage: (from) =>
            attempt("read the log", () => {
              const rows = pageStmt.all(from, Number.MAX_SAFE_INTEGER, batchSize) as Array<Row>
              const missing = Holes.missingPosition(from, rows.length, rows.length, (i) => (rows[i] as Row)[0] as number)
              if (missing !== undefined) throw new CorruptRow(missing, "unknown", Holes.MISSING_ROW)
              return decodeRows(rows)
            })
        }),
      head: attempt("read the head", readHead)
    }
    return shape
  })

/**
 * A layer providing the SQLite `EventStore` (and its {@link SqliteDatabase}); the file is
 * closed when the layer is released.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { EventStore } from "@utblick/core"
 * import { SqliteEventStore } from "@utblick/store-sqlite"
 *
 * const program = Effect.gen(function* () {
 *   const store = yield* EventStore.EventStore
 *   return (yield* store.head).size
 * })
 * Effect.runPromise(program.pipe(Effect.provide(SqliteEventStore.layer({ filename: "utblick.db" }))))
 * ```
 *
 * @category layers
 * @since 0.1.0
 */
export const layer = (
  options: Options
): Layer.Layer<EventStore.EventStore | SqliteDatabase, EventStoreError.EventStoreError> =>
  Layer.effectContext(
    Effect.map(make(options), (store) =>
      Context.make(EventStore.EventStore, EventStore.EventStore.of(store)).pipe(
        Context.add(SqliteDatabase, SqliteDatabase.of({ filename: store.filename, database: store.database }))
      )
    )
  )

/**
 * The schema version this package writes; see `SqliteMigrator`.
 *
 * @category utils
 * @since 0.1.0
 */
export const schemaVersion: number = latestVersion
