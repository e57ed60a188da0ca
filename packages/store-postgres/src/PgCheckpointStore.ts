/**
 * Persisted read models in the log's PostgreSQL schema (table `utblick_projection_checkpoints`):
 * the durable `ProjectionCheckpoints` of core, so `Projection.run`, `Projection.runMany` and every
 * read model built on them fold only the events appended since their last snapshot (ADR 0035).
 *
 * **Details**
 *
 * One row per projection name, version and time filter: the next position, the hash of the last
 * event folded and the state as structured-clone bytes (`bytea`). `clear` deletes the rows;
 * PostgreSQL reclaims the dead tuples at the next vacuum (autovacuum), and a dump taken after the
 * delete holds none of them.
 *
 * @since 0.2.0
 */
import type * as EventStoreError from "@utblick/core/EventStoreError"
import * as ProjectionCheckpoints from "@utblick/core/ProjectionCheckpoints"
import { Effect, Layer } from "effect"
import { SqlClient, type SqlError } from "effect/sql"
import { fromSqlError } from "./internal/errors.js"
import * as PgMigrator from "./PgMigrator.js"

const ROWS_PER_STATEMENT = 5_000

/**
 * Options of {@link make}.
 *
 * @category models
 * @since 0.2.0
 */
export interface CheckpointOptions {
  /** The PostgreSQL schema holding the log (default `public`). */
  readonly schema?: string
  /** Rewrite a snapshot once a run has read this many events past it (default 1,000). */
  readonly saveEvery?: number
  /** Keep at most this many snapshots; a save drops the least recently saved (default 64). */
  readonly maxSnapshots?: number
}

/**
 * Builds the checkpoint store of the log in `options.schema` (migrated by `PgEventStore`).
 *
 * @category constructors
 * @since 0.2.0
 */
export const make = (
  options: CheckpointOptions = {}
): Effect.Effect<
  ProjectionCheckpoints.ProjectionCheckpointsShape,
  EventStoreError.EventStoreError,
  SqlClient.SqlClient
> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const table = `${yield* PgMigrator.quoteSchema(options.schema ?? "public")}.utblick_projection_checkpoints`
    const rowsTable = `${yield* PgMigrator.quoteSchema(options.schema ?? "public")}.utblick_projection_rows`
    const chunksTable = `${yield* PgMigrator.quoteSchema(options.schema ?? "public")}.utblick_projection_state_chunks`
    const max = options.maxSnapshots ?? ProjectionCheckpoints.DEFAULT_MAX_SNAPSHOTS
    // A state past its first MiB continues in pieces (`ProjectionCheckpoints.pieces`): the driver
    // refuses to read a server message over 16 MiB, so a state kept whole could be written but
    // never read back.
    const writePieces = (id: string, rest: ReadonlyArray<Buffer>) =>
      Effect.gen(function* () {
        yield* sql.unsafe(`DELETE FROM ${chunksTable} WHERE checkpoint = $1`, [id])
        for (const [i, piece] of rest.entries()) {
          yield* sql.unsafe(`INSERT INTO ${chunksTable} (checkpoint, n, bytes) VALUES ($1, $2, $3)`, [
            id,
            i + 1,
            piece
          ])
        }
      })
    const upsert = (
      key: ProjectionCheckpoints.CheckpointKey,
      checkpoint: ProjectionCheckpoints.Checkpoint
    ) => {
      const [first, ...rest] = ProjectionCheckpoints.pieces(checkpoint.state)
      return sql
        .unsafe(
          `INSERT INTO ${table} (projection, version, filter_key, position, head_hash, state, saved_at)
           VALUES ($1, $2, $3, $4, $5, $6, now())
           ON CONFLICT (projection, version, filter_key) DO UPDATE SET
             position = excluded.position, head_hash = excluded.head_hash, state = excluded.state,
             saved_at = excluded.saved_at`,
          [key.projection, key.version, key.filter, checkpoint.position, checkpoint.hash, first]
        )
        .pipe(
          Effect.andThen(writePieces(ProjectionCheckpoints.keyId(key), rest)),
          // The least recently saved beyond the bound go, and the rows and pieces kept under them.
          Effect.andThen(
            sql.unsafe<{ projection: string; version: number; filter_key: string }>(
              `DELETE FROM ${table} WHERE (projection, version, filter_key) IN (
                 SELECT projection, version, filter_key FROM ${table} ORDER BY saved_at DESC OFFSET $1)
               RETURNING projection, version, filter_key`,
              [max]
            )
          ),
          Effect.flatMap((gone): Effect.Effect<unknown, SqlError.SqlError> => {
            if (gone.length === 0) return Effect.void
            const ids = gone.map((g) =>
              ProjectionCheckpoints.keyId({
                projection: g.projection,
                version: g.version,
                filter: g.filter_key
              })
            )
            return sql
              .unsafe(`DELETE FROM ${rowsTable} WHERE checkpoint = ANY($1::text[])`, [ids])
              .pipe(
                Effect.andThen(
                  sql.unsafe(`DELETE FROM ${chunksTable} WHERE checkpoint = ANY($1::text[])`, [ids])
                )
              )
          }),
          sql.withTransaction,
          Effect.asVoid
        )
    }
    return {
      enabled: true,
      saveEvery: options.saveEvery ?? ProjectionCheckpoints.DEFAULT_SAVE_EVERY,
      save: (key, checkpoint) =>
        upsert(key, checkpoint).pipe(Effect.mapError(fromSqlError("save a projection checkpoint"))),
      rows: {
        load: (key, ids) =>
          sql
            .unsafe<{ id: Uint8Array; bytes: Uint8Array }>(
              `SELECT id, bytes FROM ${rowsTable} WHERE checkpoint = $1 AND id = ANY($2::bytea[])`,
              [ProjectionCheckpoints.keyId(key), ids.map((id) => Buffer.from(id, "utf8"))]
            )
            .pipe(
              Effect.map((found) =>
                found.map((r): ProjectionCheckpoints.Row => [Buffer.from(r.id).toString("utf8"), r.bytes])
              ),
              Effect.mapError(fromSqlError("load rows of a projection checkpoint"))
            ),
        // Ids are bytea (UTF-8), ordered byte by byte: the primary key's order, no sort.
        scan: (key, after, limit) =>
          sql
            .unsafe<{ id: Uint8Array; bytes: Uint8Array }>(
              `SELECT id, bytes FROM ${rowsTable}
                 WHERE checkpoint = $1 AND ($2::bytea IS NULL OR id > $2::bytea)
                 ORDER BY id LIMIT $3`,
              [
                ProjectionCheckpoints.keyId(key),
                after === undefined ? null : Buffer.from(after, "utf8"),
                Math.max(0, limit)
              ]
            )
            .pipe(
              Effect.map((found) =>
                found.map((r): ProjectionCheckpoints.Row => [Buffer.from(r.id).toString("utf8"), r.bytes])
              ),
              Effect.mapError(fromSqlError("scan rows of a projection checkpoint"))
            ),
        save: (key, checkpoint, rows, saveOptions) =>
          Effect.gen(function* () {
            const id = ProjectionCheckpoints.keyId(key)
            if (saveOptions?.replace === true) {
              yield* sql.unsafe(`DELETE FROM ${rowsTable} WHERE checkpoint = $1`, [id])
            }
            // The rows in pages of one statement each, as the event store writes its rows (column
            // arrays), read from `rows` as they are produced: a page bounds both the text the
            // driver builds and what is held of a state's every row.
            const produced = rows[Symbol.iterator]()
            let done = false
            while (!done) {
              const page: Array<ProjectionCheckpoints.Row> = []
              while (page.length < ROWS_PER_STATEMENT) {
                const next = produced.next()
                if (next.done === true) {
                  done = true
                  break
                }
                page.push(next.value)
              }
              if (page.length === 0) break
              yield* sql.unsafe(
                `INSERT INTO ${rowsTable} (checkpoint, id, bytes)
                 SELECT $1, r.id, r.bytes FROM unnest($2::bytea[], $3::bytea[]) AS r (id, bytes)
                 ON CONFLICT (checkpoint, id) DO UPDATE SET bytes = excluded.bytes`,
                [
                  id,
                  page.map(([rowId]) => Buffer.from(rowId, "utf8")),
                  page.map(([, bytes]) => Buffer.from(bytes))
                ]
              )
            }
            yield* upsert(key, checkpoint)
          }).pipe(sql.withTransaction, Effect.mapError(fromSqlError("save rows of a projection checkpoint")))
      },
      load: (key) =>
        sql
          .unsafe<{ position: string | number | null; head_hash: string | null; state: Uint8Array }>(
            // One statement, so one snapshot of the checkpoint and its pieces: the row first, then
            // each piece in order, each a message of its own.
            `SELECT position, head_hash, state, NULL::integer AS n FROM ${table}
               WHERE projection = $1 AND version = $2 AND filter_key = $3
             UNION ALL
             SELECT NULL, NULL, bytes, n FROM ${chunksTable} WHERE checkpoint = $4
             ORDER BY n NULLS FIRST`,
            [key.projection, key.version, key.filter, ProjectionCheckpoints.keyId(key)]
          )
          .pipe(
            Effect.map((rows) => {
              const row = rows[0]
              if (row === undefined || row.position === null || row.head_hash === null) return undefined
              const state =
                rows.length === 1 ? row.state : Buffer.concat(rows.map((r) => Buffer.from(r.state)))
              return { position: Number(row.position), hash: row.head_hash, state }
            }),
            Effect.mapError(fromSqlError("load a projection checkpoint"))
          ),
      peek: (key) =>
        sql
          .unsafe<{ position: string | number; head_hash: string }>(
            `SELECT position, head_hash FROM ${table} WHERE projection = $1 AND version = $2 AND filter_key = $3`,
            [key.projection, key.version, key.filter]
          )
          .pipe(
            Effect.map((rows) => {
              const row = rows[0]
              return row === undefined ? undefined : { position: Number(row.position), hash: row.head_hash }
            }),
            Effect.mapError(fromSqlError("look up a projection checkpoint"))
          ),
      count: sql.unsafe<{ n: string | number }>(`SELECT count(*) AS n FROM ${table}`).pipe(
        Effect.map((rows) => Number(rows[0]?.n ?? 0)),
        Effect.mapError(fromSqlError("count the projection checkpoints"))
      ),
      clear: sql
        .unsafe(`DELETE FROM ${table}`)
        .pipe(
          Effect.andThen(sql.unsafe(`DELETE FROM ${rowsTable}`)),
          Effect.andThen(sql.unsafe(`DELETE FROM ${chunksTable}`)),
          sql.withTransaction,
          Effect.asVoid,
          Effect.mapError(fromSqlError("delete the projection checkpoints"))
        )
    } satisfies ProjectionCheckpoints.ProjectionCheckpointsShape
  })

/**
 * A layer providing persisted checkpoints over the client of `PgEventStore.layer`.
 *
 * @category layers
 * @since 0.2.0
 */
export const layer = (
  options: CheckpointOptions = {}
): Layer.Layer<never, EventStoreError.EventStoreError, SqlClient.SqlClient> =>
  Layer.effect(ProjectionCheckpoints.ProjectionCheckpoints, make(options))
