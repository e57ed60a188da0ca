/**
 * The versioned schema of a Utblick SQLite file and the migrator that brings any older file up
 * to date. The store runs it every time it opens a file, so users never run it by hand.
 *
 * **Details**
 *
 * Pending migrations run in one `BEGIN IMMEDIATE` transaction together with the rows that
 * record them in `schema_migrations` and the bump of `PRAGMA user_version`, so a crash leaves
 * the file at the version it had, never half-migrated. Two processes opening an old file at the
 * same time serialise on the write lock; the second sees the new version and does nothing.
 *
 * @since 0.1.0
 */
import type Database from "better-sqlite3"

/**
 * One step of the schema.
 *
 * @category models
 * @since 0.1.0
 */
export interface Migration {
  /** 1-based, contiguous. */
  readonly version: number
  readonly name: string
  readonly sql: string
}

/**
 * Every migration of the schema, in order. Never edit a released migration: add a new one.
 *
 * @category verification
 * @since 0.1.0
 */
export const migrations: ReadonlyArray<Migration> = [
  {
    version: 1,
    name: "initial schema",
    sql: `
      CREATE TABLE store_meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
      CREATE TABLE events (
        position       INTEGER PRIMARY KEY,
        event_id       TEXT    NOT NULL UNIQUE,
        stream_id      TEXT    NOT NULL,
        stream_version INTEGER NOT NULL,
        type           TEXT    NOT NULL,
        tenant         TEXT    NOT NULL,
        occurred_at    TEXT    NOT NULL,
        recorded_at    TEXT    NOT NULL,
        body           TEXT    NOT NULL,
        prev_hash      TEXT    NOT NULL,
        hash           TEXT    NOT NULL,
        UNIQUE (stream_id, stream_version)
      ) STRICT;
      CREATE INDEX events_type ON events (type, position);
      CREATE INDEX events_tenant_occurred ON events (tenant, occurred_at);
      CREATE INDEX events_recorded_at ON events (recorded_at);
    `
  },
  {
    version: 2,
    name: "projection checkpoints",
    sql: `
      CREATE TABLE projection_checkpoints (
        projection TEXT    NOT NULL,
        version    INTEGER NOT NULL,
        filter_key TEXT    NOT NULL,
        position   INTEGER NOT NULL,
        snapshot   TEXT    NOT NULL,
        saved_at   TEXT    NOT NULL,
        PRIMARY KEY (projection, version, filter_key)
      ) STRICT;
    `
  },
  {
    version: 3,
    name: "persisted read models",
    // Nothing wrote the table of migration 2. A checkpoint is now tied to this very log by the
    // hash of the last event it folded, and holds its state as structured-clone bytes (ADR 0035).
    sql: `
      DROP TABLE projection_checkpoints;
      CREATE TABLE projection_checkpoints (
        projection TEXT    NOT NULL,
        version    INTEGER NOT NULL,
        filter_key TEXT    NOT NULL,
        position   INTEGER NOT NULL,
        head_hash  TEXT    NOT NULL,
        state      BLOB    NOT NULL,
        saved_at   TEXT    NOT NULL,
        PRIMARY KEY (projection, version, filter_key)
      ) STRICT;
    `
  },
  {
    version: 4,
    name: "no unused secondary indexes",
    // No query of the store reads events by type, by (tenant, occurred_at) or by recorded_at: reads
    // go by position, stream or event id. The three indexes cost every append three more B-tree
    // inserts (about 7 % of a batched append's CPU) and disk; a reader who wants them can create
    // them on a copy (ADR 0041).
    sql: `
      DROP INDEX IF EXISTS events_type;
      DROP INDEX IF EXISTS events_tenant_occurred;
      DROP INDEX IF EXISTS events_recorded_at;
    `
  },
  {
    version: 5,
    name: "rows kept under projection checkpoints",
    // A read model's entities as rows beside its checkpoint, so a catch-up reads and writes only
    // the rows new events touch (ADR 0046). Keyed by the checkpoint's short id
    // (`ProjectionCheckpoints.keyId`: the filter's text repeated in every row made building the
    // rows of a large state several times slower), then by the row's id; no rowid: the primary key
    // is how every query reaches a row.
    sql: `
      CREATE TABLE projection_rows (
        checkpoint TEXT NOT NULL,
        id         TEXT NOT NULL,
        bytes      BLOB NOT NULL,
        PRIMARY KEY (checkpoint, id)
      ) STRICT, WITHOUT ROWID;
    `
  },
  {
    version: 6,
    name: "snapshot states in chunks",
    // A snapshot's state past its first MiB, in further pieces of 1 MiB keyed by the checkpoint's
    // short id: binding a 42.6 MB state as one value made SQLite copy it twice while writing it
    // (+97 MB of peak memory on the 1,000,000-event benchmark); a piece at a time copies 1 MiB.
    sql: `
      CREATE TABLE projection_state_chunks (
        checkpoint TEXT    NOT NULL,
        n          INTEGER NOT NULL,
        bytes      BLOB    NOT NULL,
        PRIMARY KEY (checkpoint, n)
      ) STRICT;
    `
  }
]

/**
 * The schema version this build of the package writes.
 *
 * @category getters
 * @since 0.1.0
 */
export const latestVersion: number = migrations[migrations.length - 1]?.version ?? 0

/**
 * The file was written by a newer version of the package; opening it with this one could
 * misread it.
 *
 * @category errors
 * @since 0.1.0
 */
export class SchemaTooNewError extends Error {
  readonly _tag = "SchemaTooNewError"
  readonly found: number
  readonly supported: number
  constructor(found: number, supported: number) {
    super(
      `the database file is at schema version ${found}, but this @utblick/store-sqlite supports up to ${supported}; upgrade the package`
    )
    this.found = found
    this.supported = supported
  }
}

/**
 * Reads the schema version of an open database (`PRAGMA user_version`; 0 for a new file).
 *
 * @category getters
 * @since 0.1.0
 */
export const currentVersion = (db: Database.Database): number =>
  db.pragma("user_version", { simple: true }) as number

/**
 * Applies every pending migration up to `target` (default: the latest). Returns the versions
 * applied. Throws {@link SchemaTooNewError} for a file from a newer package, and whatever
 * SQLite throws (busy, read-only, full) otherwise; the caller maps those.
 *
 * @category verification
 * @since 0.1.0
 */
export const migrate = (db: Database.Database, target: number = latestVersion): ReadonlyArray<number> => {
  const found = currentVersion(db)
  if (found > latestVersion) throw new SchemaTooNewError(found, latestVersion)
  // Up to date: do not take the write lock, so read-only connections open fine.
  if (found >= target) return []
  const applied: Array<number> = []
  const step = db.transaction(() => {
    // Read again under the lock: another process may have migrated meanwhile.
    const now = currentVersion(db)
    if (now === 0) {
      db.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT"
      )
    }
    const insert = db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)")
    for (const migration of migrations) {
      if (migration.version <= now || migration.version > target) continue
      db.exec(migration.sql)
      insert.run(migration.version, migration.name, new Date().toISOString())
      db.pragma(`user_version = ${migration.version}`)
      applied.push(migration.version)
    }
  })
  step.immediate()
  return applied
}
