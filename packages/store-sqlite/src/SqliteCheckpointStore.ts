/**
 * Persisted projection checkpoints in the same SQLite file as the log, so a projection can
 * catch up from its last snapshot instead of replaying from zero after a restart.
 *
 * **Gotchas**
 *
 * The state is stored as JSON: a state with `Map`s, `Set`s, class instances or bigints does not
 * survive the round trip. Keep checkpointed states plain, or convert them before saving.
 *
 * @since 0.1.0
 */
import { CanonicalJson, EventStoreError, type Projection, SnapshotJson } from "@utblick/core"
import type Database from "better-sqlite3"
import { Context, Effect, Layer } from "effect"
import { SqliteDatabase, toStoreError } from "./SqliteEventStore.js"

/**
 * What the checkpoint store offers.
 *
 * @category models
 * @since 0.1.0
 */
export interface SqliteCheckpointStoreShape {
  /** Saves (replaces) the snapshot of one projection name, version and filter. */
  readonly save: <S>(snapshot: Projection.Snapshot<S>) => Effect.Effect<void, EventStoreError.EventStoreError>
  /** Loads the snapshot saved for this projection name, version and filter, if any. */
  readonly load: <S>(
    projection: { readonly name: string; readonly version: number },
    filter?: Projection.TimeFilter
  ) => Effect.Effect<Projection.Snapshot<S> | undefined, EventStoreError.EventStoreError>
}

/**
 * The checkpoint store service.
 *
 * @category services
 * @since 0.1.0
 */
export class SqliteCheckpointStore extends Context.Service<
  SqliteCheckpointStore,
  SqliteCheckpointStoreShape
>()("~utblick/store-sqlite/SqliteCheckpointStore") {}

// One key per filter, independent of key order and of absent vs. undefined fields.
const filterKey = (filter: Projection.TimeFilter): string =>
  CanonicalJson.canonicalize({
    ...(filter.asOf === undefined ? {} : { asOf: filter.asOf }),
    ...(filter.knownAt === undefined ? {} : { knownAt: filter.knownAt }),
    ...(filter.tenant === undefined ? {} : { tenant: filter.tenant })
  })

/**
 * Builds a checkpoint store over an open database that the SQLite event store has migrated.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (db: Database.Database): SqliteCheckpointStoreShape => {
  const upsert = db.prepare(
    `INSERT INTO projection_checkpoints (projection, version, filter_key, position, snapshot, saved_at)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (projection, version, filter_key) DO UPDATE SET
       position = excluded.position, snapshot = excluded.snapshot, saved_at = excluded.saved_at`
  )
  const select = db
    .prepare(
      "SELECT position, snapshot FROM projection_checkpoints WHERE projection = ? AND version = ? AND filter_key = ?"
    )
    .raw(true)
  const filename = db.name
  return {
    save: (snapshot) =>
      Effect.try({
        try: () => {
          upsert.run(
            snapshot.projection,
            snapshot.version,
            filterKey(snapshot.filter),
            snapshot.position,
            SnapshotJson.stringify(snapshot.state),
            new Date().toISOString()
          )
        },
        catch: (cause) => toStoreError("save a projection checkpoint", filename, cause)
      }),
    load: <S>(
      projection: { readonly name: string; readonly version: number },
      filter: Projection.TimeFilter = {}
    ) =>
      Effect.try({
        try: (): Projection.Snapshot<S> | undefined => {
          const row = select.get(projection.name, projection.version, filterKey(filter)) as
            | [number, string]
            | undefined
          if (row === undefined) return undefined
          let state: S
          try {
            state = SnapshotJson.parse(row[1]) as S
          } catch (error) {
            throw EventStoreError.fromReason(
              new EventStoreError.Unavailable({
                operation: "load a projection checkpoint",
                detail: `the checkpoint of ${projection.name} v${projection.version} does not parse (${(error as Error).message}); delete it to rebuild from zero`,
                retryable: false
              })
            )
          }
          return { projection: projection.name, version: projection.version, position: row[0], filter, state }
        },
        catch: (cause) => toStoreError("load a projection checkpoint", filename, cause)
      })
  }
}

/**
 * A layer providing the checkpoint store over the database of `SqliteEventStore.layer`.
 *
 * @category layers
 * @since 0.1.0
 */
export const layer: Layer.Layer<SqliteCheckpointStore, never, SqliteDatabase> = Layer.effect(
  SqliteCheckpointStore,
  Effect.gen(function* () {
    const { database } = yield* SqliteDatabase
    return SqliteCheckpointStore.of(make(database))
  })
)
