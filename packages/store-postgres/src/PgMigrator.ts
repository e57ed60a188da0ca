/**
 * Versioned migrations of the PostgreSQL event store. Each log lives in one PostgreSQL schema;
 * its `utblick_migrations` table records which versions were applied, and {@link run} applies
 * the missing ones in order, in one transaction, under an advisory lock so that several
 * processes starting at once migrate exactly once.
 *
 * @since 0.1.0
 */
import { type EventStoreError, fromReason, Unavailable } from "@utblick/core/EventStoreError"
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import { fromSqlError, unavailable } from "./internal/errors.js"
import { isSchemaName, logNames } from "./internal/names.js"

/**
 * One step of the schema: a version, a name and the statements that bring the previous version
 * to this one.
 *
 * @category models
 * @since 0.1.0
 */
export interface Migration {
  readonly version: number
  readonly name: string
  /** The statements, with the log's schema already quoted. */
  readonly statements: (schema: string) => ReadonlyArray<string>
}

/**
 * Every migration, in version order. Migration 1 is the event table; later ones only add.
 *
 * **Details**
 *
 * - 1 `events`: the log itself. `canonical` holds the exact bytes that were hashed, as `text`
 *   (never `jsonb`, which reorders keys and would break the chain); the other columns are
 *   copies for indexing and filtering.
 * - 2 `log-origin-and-tenant-index`: pins the log's origin (backfilled from the first event),
 *   and indexes `(tenant, position)` for per-tenant reads.
 * - 3 `projection-checkpoints`: persisted read-model snapshots (`PgCheckpointStore`).
 * - 4 `projection-rows`: read-model entities as rows beside their checkpoint (ADR 0046).
 * - 5 `no-unused-tenant-index`: drops the `(tenant, position)` index of migration 2, which no
 *   query reads through (ADR 0041).
 * - 6 `snapshot-state-pieces`: a snapshot state past its first MiB continues in pieces of 1 MiB
 *   (ADR 0035): the driver refuses a server message over 16 MiB, so a larger state could be saved
 *   but never read back.
 *
 * @category verification
 * @since 0.1.0
 */
export const migrations: ReadonlyArray<Migration> = [
  {
    version: 1,
    name: "events",
    statements: (s) => [
      `CREATE TABLE ${s}.utblick_events (
        position bigint NOT NULL CHECK (position >= 0),
        event_id uuid NOT NULL,
        stream_id text NOT NULL,
        stream_version integer NOT NULL CHECK (stream_version >= 1),
        tenant text NOT NULL,
        type text NOT NULL,
        occurred_at date NOT NULL,
        recorded_at timestamptz NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL,
        canonical text NOT NULL,
        CONSTRAINT utblick_events_pkey PRIMARY KEY (position),
        CONSTRAINT utblick_events_stream_version_key UNIQUE (stream_id, stream_version),
        CONSTRAINT utblick_events_event_id_key UNIQUE (event_id)
      )`
    ]
  },
  {
    version: 2,
    name: "log-origin-and-tenant-index",
    statements: (s) => [
      `CREATE TABLE ${s}.utblick_log (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        origin text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
      // A log upgraded from version 1 already has an origin: the one hashed into its events.
      `INSERT INTO ${s}.utblick_log (origin)
        SELECT canonical::json->>'origin' FROM ${s}.utblick_events WHERE position = 0`,
      `CREATE INDEX utblick_events_tenant_position ON ${s}.utblick_events (tenant, position)`
    ]
  },
  {
    version: 3,
    name: "projection-checkpoints",
    // Persisted read models (ADR 0035): one snapshot per projection, version and time filter,
    // tied to this log by the hash of the last event it folded.
    statements: (s) => [
      `CREATE TABLE ${s}.utblick_projection_checkpoints (
        projection text NOT NULL,
        version integer NOT NULL,
        filter_key text NOT NULL,
        position bigint NOT NULL CHECK (position >= 1),
        head_hash text NOT NULL,
        state bytea NOT NULL,
        saved_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (projection, version, filter_key)
      )`
    ]
  },
  {
    version: 4,
    name: "projection-rows",
    // A read model's entities as rows beside its checkpoint, so a catch-up reads and writes only
    // the rows new events touch (ADR 0046). Keyed by the checkpoint's short id
    // (`ProjectionCheckpoints.keyId`), then by the row's id. The id is bytea: text cannot hold
    // every string an event may carry (NUL), and ids are only ever compared for equality.
    statements: (s) => [
      `CREATE TABLE ${s}.utblick_projection_rows (
        checkpoint text NOT NULL,
        id bytea NOT NULL,
        bytes bytea NOT NULL,
        PRIMARY KEY (checkpoint, id)
      )`
    ]
  },
  {
    version: 5,
    name: "no-unused-tenant-index",
    // Reads go by position, stream or event id; a time filter's tenant is applied while folding
    // in position order (ADR 0035), never through this index. It cost every append one more
    // B-tree insert (ADR 0041, as the SQLite file's three such indexes did).
    statements: (s) => [`DROP INDEX IF EXISTS ${s}.utblick_events_tenant_position`]
  },
  {
    version: 6,
    name: "snapshot-state-pieces",
    // The state of a 1,000,000-event log's read models is 42.6 MB: as one bytea value it was
    // written, but reading it back failed (`@effect/sql-pg` refuses a message over 16 MiB) and
    // every report replayed from zero. Pieces of 1 MiB keyed by the checkpoint's short id.
    statements: (s) => [
      `CREATE TABLE ${s}.utblick_projection_state_chunks (
        checkpoint text NOT NULL,
        n integer NOT NULL,
        bytes bytea NOT NULL,
        PRIMARY KEY (checkpoint, n)
      )`
    ]
  }
]

/**
 * The version a fully migrated log is at.
 *
 * @category getters
 * @since 0.1.0
 */
export const latestVersion: number = migrations[migrations.length - 1]?.version ?? 0

/**
 * Options of {@link run}.
 *
 * @category models
 * @since 0.1.0
 */
export interface MigrateOptions {
  /** The PostgreSQL schema holding the log; created when missing. Defaults to `public`. */
  readonly schema?: string
  /** Stop after this version (for staged upgrades and tests); defaults to the latest. */
  readonly upTo?: number
}

/**
 * A migration that was applied by {@link run}.
 *
 * @category models
 * @since 0.1.0
 */
export interface AppliedMigration {
  readonly version: number
  readonly name: string
}

/**
 * Quotes a schema name after checking it is a plain lowercase identifier.
 *
 * @category utils
 * @since 0.1.0
 */
export const quoteSchema = (schema: string): Effect.Effect<string, EventStoreError> =>
  isSchemaName(schema)
    ? Effect.succeed(`"${schema}"`)
    : Effect.fail(
        fromReason(
          new Unavailable({
            operation: "open the log",
            detail: `schema name ${JSON.stringify(schema)} must be 1–63 characters of a–z, 0–9 and _, not starting with a digit`,
            retryable: false
          })
        )
      )

/**
 * The error of a log migrated by a newer version of this package.
 *
 * @category errors
 * @since 0.4.0
 */
export const tooNew = (schema: string, version: number): EventStoreError =>
  unavailable(
    "open the log",
    `schema "${schema}" is at migration ${version}, but this @utblick/store-postgres knows migrations up to ${latestVersion}; upgrade the package`,
    false
  )

const versionsTable = (s: string) =>
  `CREATE TABLE IF NOT EXISTS ${s}.utblick_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`

/**
 * The highest migration version applied to the log in `schema` (0 when none).
 *
 * @category getters
 * @since 0.1.0
 */
export const currentVersion = (
  schema = "public"
): Effect.Effect<number, EventStoreError, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const quoted = yield* quoteSchema(schema)
    const exists = yield* sql<{ readonly present: boolean }>`
      SELECT to_regclass(${`${quoted}.utblick_migrations`}) IS NOT NULL AS present`
    if (exists[0]?.present !== true) return 0
    const rows = yield* sql.unsafe<{ readonly version: number | null }>(
      `SELECT max(version) AS version FROM ${quoted}.utblick_migrations`
    )
    return rows[0]?.version ?? 0
  }).pipe(
    Effect.catchTag("SqlError", (error: SqlError) =>
      Effect.fail(fromSqlError("read the migration version")(error))
    )
  )

/**
 * Applies the missing migrations to the log in `schema`, in order, in one transaction, and
 * returns the ones it applied. Safe to call from several processes at once and on every start.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { PgClient } from "@effect/sql-pg"
 * import { PgMigrator } from "@utblick/store-postgres"
 *
 * const applied = PgMigrator.run({ schema: "lulea" }).pipe(
 *   Effect.provide(PgClient.layer({ url: Redacted.make(process.env.DATABASE_URL ?? "") }))
 * )
 * ```
 *
 * @category folding
 * @since 0.1.0
 */
export const run = (
  options: MigrateOptions = {}
): Effect.Effect<ReadonlyArray<AppliedMigration>, EventStoreError, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const schema = options.schema ?? "public"
    const quoted = yield* quoteSchema(schema)
    const upTo = options.upTo ?? latestVersion
    const names = logNames(schema)
    return yield* sql.withTransaction(
      Effect.gen(function* () {
        yield* sql`SELECT pg_advisory_xact_lock(${names.migrateLockKey}::bigint)`
        yield* sql.unsafe(`CREATE SCHEMA IF NOT EXISTS ${quoted}`)
        yield* sql.unsafe(versionsTable(quoted))
        const rows = yield* sql.unsafe<{ readonly version: number }>(
          `SELECT version FROM ${quoted}.utblick_migrations`
        )
        const done = new Set(rows.map((r) => r.version))
        // A log a newer package has migrated may hold what this one cannot read or would write
        // wrongly: refuse it, as the SQLite store refuses a newer file.
        const newest = Math.max(0, ...done)
        if (newest > latestVersion) return yield* Effect.fail(tooNew(schema, newest))
        const applied: Array<AppliedMigration> = []
        for (const migration of migrations) {
          if (migration.version > upTo || done.has(migration.version)) continue
          for (const statement of migration.statements(quoted)) yield* sql.unsafe(statement)
          yield* sql.unsafe(`INSERT INTO ${quoted}.utblick_migrations (version, name) VALUES ($1, $2)`, [
            migration.version,
            migration.name
          ])
          applied.push({ version: migration.version, name: migration.name })
        }
        return applied as ReadonlyArray<AppliedMigration>
      })
    )
  }).pipe(
    Effect.catchTag("SqlError", (error: SqlError) => Effect.fail(fromSqlError("migrate the log")(error)))
  )
