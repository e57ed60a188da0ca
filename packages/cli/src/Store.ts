/**
 * Where the log lives: the `--store` flag (`sqlite:PATH`, a plain path, or `postgres://…`) turned
 * into an `EventStore` layer. The embedded SQLite file `./utblick.db` is the default.
 *
 * @since 0.1.0
 */
import { existsSync } from "node:fs"
import { resolve } from "node:path"
import { EventStore } from "@utblick/core"
import { PgEventStore } from "@utblick/store-postgres"
import { SqliteEventStore } from "@utblick/store-sqlite"
import { Cause, Effect, Layer } from "effect"
import { UsageFailure } from "./CliFailure.js"

/**
 * The default store: the embedded SQLite file in the working directory.
 *
 * @category constructors
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
  | { readonly kind: "postgres"; readonly url: string }

/**
 * Parses a `--store` value. `sqlite:PATH`, `PATH` (ending in `.db` or `.sqlite`, or anything
 * without a scheme) and `postgres://` / `postgresql://` URLs are accepted.
 *
 * @category constructors
 * @since 0.1.0
 */
export const parse = (value: string): StoreSpec | UsageFailure => {
  if (value.startsWith("postgres://") || value.startsWith("postgresql://")) return { kind: "postgres", url: value }
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
 * @category constructors
 * @since 0.1.0
 */
export const describe = (spec: StoreSpec): string =>
  spec.kind === "sqlite" ? `sqlite:${spec.filename}` : spec.url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@")

const failing = (failure: UsageFailure): Layer.Layer<EventStore.EventStore, UsageFailure> =>
  Layer.effect(EventStore.EventStore, Effect.fail(failure))

/**
 * The layer of a store. `mustExist` refuses a SQLite file that is not there yet, so that a typo
 * in `--store` does not silently create an empty log (only `init` and `import` create one).
 *
 * @category layers
 * @since 0.1.0
 */
export const layer = (
  value: string,
  options: { readonly mustExist?: boolean; readonly busyTimeoutMillis?: number } = {}
): Layer.Layer<EventStore.EventStore, UsageFailure> => {
  const spec = parse(value)
  if (spec instanceof UsageFailure) return failing(spec)
  const base: Layer.Layer<EventStore.EventStore, unknown> =
    spec.kind === "sqlite"
      ? options.mustExist === true && !existsSync(spec.filename)
        ? failing(
            new UsageFailure({
              problem: `there is no Utblick database at ${spec.filename}`,
              hint: `run \`utblick init --store sqlite:${spec.filename}\` first, or point --store at an existing file`
            })
          )
        : SqliteEventStore.layer({
            filename: spec.filename,
            ...(options.busyTimeoutMillis === undefined ? {} : { busyTimeoutMillis: options.busyTimeoutMillis })
          })
      : PgEventStore.layerFromUrl(spec.url)
  return base.pipe(
    Layer.catchCause((cause) => {
      const error = Cause.squash(cause)
      return failing(
        error instanceof UsageFailure
          ? error
          : new UsageFailure({
              problem: `cannot open the store ${describe(spec)}: ${error instanceof Error ? error.message : String(error)}`,
              hint:
                spec.kind === "sqlite"
                  ? "check the path and that the file is a Utblick database (utblick init creates one)"
                  : "check the URL, that the server is running and that the user may connect"
            })
      )
    })
  )
}

/**
 * The SQLite file of a store, when it is one (close-year keeps its seals next to it).
 *
 * @category constructors
 * @since 0.1.0
 */
export const sqliteFile = (value: string): string | undefined => {
  const spec = parse(value)
  return spec instanceof UsageFailure || spec.kind !== "sqlite" ? undefined : spec.filename
}

/**
 * Runs an effect against the store named by `value`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const withStore =
  (value: string, options: { readonly mustExist?: boolean; readonly busyTimeoutMillis?: number } = {}) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | UsageFailure, Exclude<R, EventStore.EventStore>> =>
    Effect.provide(effect, layer(value, options))
