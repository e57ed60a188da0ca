/**
 * Where the log lives: the `--store` flag (`sqlite:PATH`, a plain path, or `postgres://…`) turned
 * into an `EventStore` layer. The embedded SQLite file `./utblick.db` is the default.
 *
 * @since 0.1.0
 */
import { createHash, randomUUID } from "node:crypto"
import { existsSync } from "node:fs"
import { join, resolve } from "node:path"
import { Sealing } from "@utblick/audit"
import { type Envelope, EventStore, EventStoreError, ProjectionCheckpoints } from "@utblick/core"
import { Store as FacadeStore } from "@utblick/facade"
import { PgEventStore, PgIndexCheck } from "@utblick/store-postgres"
import { SqliteCheckpointStore, SqliteEventStore, SqliteIndexCheck } from "@utblick/store-sqlite"
import { Cause, Context, Effect, Layer, Option } from "effect"
import { SqlClient } from "effect/sql"
import { UsageFailure } from "./CliFailure.js"

/**
 * What to check when a PostgreSQL store cannot be reached or refuses the login.
 *
 * @category errors
 * @since 0.4.0
 */
export const POSTGRES_HINT = "check the URL, that the server is running and that the user may connect"

/**
 * Whether `error` is a PostgreSQL store's failure to connect (not a refusal of the log it reached).
 *
 * @category errors
 * @since 0.4.0
 */
export const isConnectFailure = (error: unknown): boolean =>
  error instanceof EventStoreError.EventStoreError &&
  error.reason._tag === "Unavailable" &&
  error.reason.operation === "connect to PostgreSQL"

/**
 * The default store: the embedded SQLite file in the working directory.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_STORE = "sqlite:./utblick.db"

/**
 * A parsed `--store` value.
 *
 * @category models
 * @since 0.1.0
 */
export type StoreSpec =
  | { readonly kind: "sqlite"; readonly filename: string }
  | { readonly kind: "postgres"; readonly url: string; readonly schema?: string }

/**
 * Parses a `--store` value. `sqlite:PATH`, `PATH` (ending in `.db` or `.sqlite`, or anything
 * without a scheme) and `postgres://` / `postgresql://` URLs are accepted.
 *
 * @category encoding
 * @since 0.1.0
 */
export const parse = (value: string): StoreSpec | UsageFailure => {
  if (value.startsWith("postgres://") || value.startsWith("postgresql://")) {
    // One reading of a PostgreSQL URL for the CLI and the facade (`?schema=NAME` included).
    const parsed = FacadeStore.parse(value)
    if (parsed?.kind === "postgres") {
      return {
        kind: "postgres",
        url: parsed.url,
        ...(parsed.schema === undefined ? {} : { schema: parsed.schema })
      }
    }
  }
  const path = value.startsWith("sqlite:") ? value.slice("sqlite:".length) : value
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path) || path.length === 0) {
    return new UsageFailure({
      problem: `--store ${JSON.stringify(value)} is neither a SQLite file nor a PostgreSQL URL`,
      hint: "use --store sqlite:./utblick.db or --store postgres://user:pass@host:5432/db"
    })
  }
  return { kind: "sqlite", filename: resolve(path) }
}

/**
 * A description of the store for people and manifests (never the password of a URL).
 *
 * @category formatting
 * @since 0.1.0
 */
export const describe = (spec: StoreSpec): string =>
  spec.kind === "sqlite"
    ? `sqlite:${spec.filename}`
    : `${spec.url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@")}${spec.schema === undefined ? "" : ` (schema ${spec.schema})`}`

const failing = (failure: UsageFailure): Layer.Layer<EventStore.EventStore, UsageFailure> =>
  Layer.effect(EventStore.EventStore, Effect.fail(failure))

/**
 * A new, unique origin for a log created without `--origin`: a random UUID under
 * `utblick.local/`, so that no two logs share the identity their checkpoints name.
 *
 * @category constructors
 * @since 0.2.0
 */
export const generateOrigin = (): string => `utblick.local/${randomUUID()}`

/**
 * Checks an `--origin` value: the first line of every checkpoint, so printable ASCII without
 * spaces (C2SP recommends a schema-less URL such as `audit.lulea.example/utblick`), at most 255.
 *
 * @category utils
 * @since 0.2.0
 */
export const validateOrigin = (origin: string): UsageFailure | undefined =>
  /^[\x21-\x7e]{1,255}$/.test(origin)
    ? undefined
    : new UsageFailure({
        problem: `--origin ${JSON.stringify(origin)} is not a log origin: it must be 1 to 255 printable ASCII characters without spaces`,
        hint: "use a schema-less URL that names this log, e.g. --origin audit.lulea.example/utblick"
      })

/**
 * Options of {@link layer}.
 *
 * @category models
 * @since 0.2.0
 */
export interface LayerOptions {
  /** Refuse a SQLite file that is not there yet. */
  readonly mustExist?: boolean
  /**
   * The origin of a log created by this open (`init`, `restore`). A new SQLite file without one
   * gets a generated origin; an existing log with another origin is refused.
   */
  readonly origin?: string
  /** How long a SQLite writer waits for another writer's lock before giving up (ms). */
  readonly busyTimeoutMillis?: number
}

/**
 * The layer of a store. `mustExist` refuses a SQLite file that is not there yet, so that a typo
 * in `--store` does not silently create an empty log (only `init` and `import` create one). A new
 * SQLite file gets `origin`, or a generated unique one; a PostgreSQL log gets its origin at
 * `init` (other commands open it with the origin it already has).
 *
 * @category layers
 * @since 0.1.0
 */
export const layer = (
  value: string,
  options: LayerOptions = {}
): Layer.Layer<EventStore.EventStore, UsageFailure> => {
  const spec = parse(value)
  if (spec instanceof UsageFailure) return failing(spec)
  const isNewFile = spec.kind === "sqlite" && !existsSync(spec.filename)
  const origin = options.origin ?? (isNewFile ? generateOrigin() : undefined)
  const base: Layer.Layer<EventStore.EventStore, unknown> =
    spec.kind === "sqlite"
      ? options.mustExist === true && isNewFile
        ? failing(
            new UsageFailure({
              problem: `there is no Utblick database at ${spec.filename}`,
              hint: `run \`utblick init --store sqlite:${spec.filename}\` first, or point --store at an existing file`
            })
          )
        : SqliteEventStore.layer({
            filename: spec.filename,
            ...(origin === undefined ? {} : { origin }),
            ...(options.busyTimeoutMillis === undefined
              ? {}
              : { busyTimeoutMillis: options.busyTimeoutMillis })
          })
      : PgEventStore.layerWithClientFromUrl(spec.url, {
          ...(origin === undefined ? {} : { origin }),
          ...(spec.schema === undefined ? {} : { schema: spec.schema })
        })
  // Every append through the CLI passes the sealing boundary: personal fields are sealed with the
  // subject's key (in the key store beside the log) before they are hashed.
  // A SQLite log's open database, or a PostgreSQL log's own client, stays in the context too: an
  // import writes in one transaction on it (see ImportTransaction); the events still go through
  // the sealed store's appends, which join that transaction.
  const sealed = Layer.effectContext(
    Effect.gen(function* () {
      const inner = yield* EventStore.EventStore
      const database = yield* Effect.serviceOption(SqliteEventStore.SqliteDatabase)
      const client = yield* Effect.serviceOption(SqlClient.SqlClient)
      // Read models persist their snapshots in the log's store and catch up from them (ADR 0035):
      // in the SQLite file, or the PostgreSQL store's own (PgEventStore.layer provides it).
      const checkpoints = Option.isSome(database)
        ? SqliteCheckpointStore.make(database.value.database)
        : yield* ProjectionCheckpoints.ProjectionCheckpoints
      const context = Context.make(EventStore.EventStore, Sealing.wrap(inner, withKeys(keyStoreFile(value, inner.origin)))).pipe(
        Context.add(ProjectionCheckpoints.ProjectionCheckpoints, checkpoints)
      )
      if (Option.isSome(database)) return Context.add(context, SqliteEventStore.SqliteDatabase, database.value)
      // The PostgreSQL store's own client, so that an import's transaction is the store's (ADR 0023).
      return Option.isSome(client) ? Context.add(context, SqlClient.SqlClient, client.value) : context
    })
  ).pipe(Layer.provide(base))
  return sealed.pipe(
    Layer.catchCause((cause) => {
      const error = Cause.squash(cause)
      return failing(
        error instanceof UsageFailure
          ? error
          : new UsageFailure({
              problem: `cannot open the store ${describe(spec)}: ${error instanceof Error ? error.message : String(error)}`,
              // The connection's hint only when the connection failed: a log the server holds but
              // this version cannot open (a newer schema, another origin) is no matter of the URL.
              hint:
                spec.kind === "sqlite"
                  ? "check the path and that the file is a Utblick database (utblick init creates one); a file a newer utblick wrote needs that version"
                  : isConnectFailure(error)
                    ? POSTGRES_HINT
                    : "check the schema in --store; a log a newer utblick migrated needs that version"
            })
      )
    })
  )
}

/**
 * The SQLite file of a store, when it is one (close-year keeps its seals next to it).
 *
 * @category utils
 * @since 0.1.0
 */
export const sqliteFile = (value: string): string | undefined => {
  const spec = parse(value)
  return spec instanceof UsageFailure || spec.kind !== "sqlite" ? undefined : spec.filename
}

/**
 * The first row of the log named by `value` whose index columns disagree with its hashed record
 * (see `Envelope.indexColumns`), or `undefined`. Run after the records verified.
 *
 * @category utils
 * @since 0.2.0
 */
export const indexMismatch = (
  value: string
): Effect.Effect<Envelope.IndexMismatch | undefined, UsageFailure | EventStoreError.EventStoreError> => {
  const spec = parse(value)
  if (spec instanceof UsageFailure) return Effect.fail(spec)
  return spec.kind === "sqlite"
    ? Effect.map(SqliteEventStore.SqliteDatabase, ({ database }) => SqliteIndexCheck.firstMismatch(database)).pipe(
        Effect.provide(SqliteEventStore.layer({ filename: spec.filename }))
      )
    : PgIndexCheck.firstMismatchAt(spec.url, spec.schema ?? "public")
}

/**
 * The index mismatch of the row at `position` of a SQLite log (the column and both values), once
 * the parallel verifier's row check named that position.
 *
 * @category utils
 * @since 0.2.0
 */
export const indexMismatchAt = (
  filename: string,
  position: number
): Effect.Effect<Envelope.IndexMismatch | undefined, EventStoreError.EventStoreError> =>
  Effect.map(SqliteEventStore.SqliteDatabase, ({ database }) => SqliteIndexCheck.mismatchAt(database, position)).pipe(
    Effect.provide(SqliteEventStore.layer({ filename }))
  )

/**
 * Runs an effect against the store named by `value`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const withStore =
  (value: string, options: LayerOptions = {}) =>
  <A, E, R>(
    effect: Effect.Effect<A, E, R>
  ): Effect.Effect<A, E | UsageFailure, Exclude<R, EventStore.EventStore>> =>
    Effect.provide(effect, layer(value, options))

/**
 * The folder name of an origin: its safe characters plus 8 hex digits of its SHA-256, so that
 * origins differing only in unsafe characters never collide.
 *
 * @category getters
 * @since 0.2.0
 */
export const originFolder = (origin: string): string =>
  `${origin.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 80)}-${createHash("sha256").update(origin).digest("hex").slice(0, 8)}`

/**
 * The key store file of a log: `<file>.utblick/keys.db` beside a SQLite file, or
 * `./.utblick/<origin>/keys.db` for PostgreSQL. Keep it out of the log's backups.
 *
 * @category getters
 * @since 0.2.0
 */
export const keyStoreFile = (value: string, origin: string): string => {
  const file = sqliteFile(value)
  return file === undefined
    ? join(process.cwd(), ".utblick", originFolder(origin), "keys.db")
    : Sealing.keyStoreBeside(file)
}

/**
 * Provides the SQLite key store at `file` to one effect (opened only when personal data is written).
 *
 * @category constructors
 * @since 0.2.0
 */
export const withKeys: (file: string) => Sealing.WithKeys = Sealing.withKeyFile
