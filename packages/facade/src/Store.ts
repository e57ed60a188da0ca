/**
 * Choosing a store by value: in memory for tests, an SQLite file by default, PostgreSQL in
 * production, or any `EventStore` layer an Effect user already has.
 *
 * @since 0.1.0
 */
import { CryptoShredding, Sealing } from "@utblick/audit"
import { EventStore, EventStoreError, Events, LiveStates, ProjectionCheckpoints } from "@utblick/core"
import { Context, Effect, Layer } from "effect"

/**
 * Which store to use.
 *
 * @category models
 * @since 0.1.0
 */
export type StoreOptions = (
  | { readonly kind: "memory" }
  | { readonly kind: "sqlite"; readonly filename: string }
  | {
      readonly kind: "postgres"
      readonly url: string
      /** The PostgreSQL schema holding the log (one log per schema); default `public`. */
      readonly schema?: string
    }
  | {
      readonly kind: "layer"
      readonly layer: Layer.Layer<EventStore.EventStore, EventStoreError.EventStoreError>
    }
) & {
  /**
   * The SQLite file holding the per-person keys that seal personal fields (a trip's
   * `travellerName`). Default: in memory for the memory store, `<filename>.utblick/keys.db` beside
   * an SQLite log (where `utblick forget` finds it); PostgreSQL and custom layers have no default,
   * so personal data is refused there until one is given. Keep it out of the log's backups.
   */
  readonly keyStore?: string
  /**
   * How many read-model states the process keeps in memory between reports (ADR 0042): the next
   * report of the same year, tenant and clocks then folds only the events appended since, without
   * reading its persisted snapshot again. Each is a whole state (about 150 MB per million events
   * of the synthetic benchmark). Default 4 (`LiveStates.DEFAULT_MAX_STATES`); 0 keeps none.
   */
  readonly liveStates?: number
}

// Loads an optional store package; a missing one is an environmental fault the operator fixes by
// installing it, so it surfaces as `Unavailable` (STORE_UNAVAILABLE in the facade), not a defect.
const load = <M>(
  packages: string,
  importer: () => Promise<M>
): Effect.Effect<M, EventStoreError.EventStoreError> =>
  Effect.tryPromise({
    try: importer,
    catch: (cause) =>
      EventStoreError.fromReason(
        new EventStoreError.Unavailable({
          operation: "open",
          detail: `the store package could not be loaded (${cause instanceof Error ? cause.message : String(cause)}); install ${packages} beside @utblick/facade`,
          retryable: false,
          cause
        })
      )
  })

/**
 * The `EventStore` layer of a store choice.
 *
 * **Gotchas**
 *
 * The SQLite layer also provides `SqliteDatabase`; it is dropped here so every choice has the same
 * type.
 *
 * The store packages are optional peer dependencies, loaded only when chosen: a memory-only or
 * PostgreSQL-only service installs (and compiles) no SQLite. A missing package fails the layer with
 * `EventStoreError/Unavailable` naming the package to install.
 *
 * @category layers
 * @since 0.1.0
 */
export const layer = (
  options: StoreOptions
): Layer.Layer<EventStore.EventStore, EventStoreError.EventStoreError> => {
  const withKeys = keysFor(options)
  // Every append passes the sealing boundary: personal fields are sealed with the subject's key
  // before the store canonicalises and hashes the event, so no plaintext name reaches the log.
  // The store's persisted read models (ADR 0035) pass through, so queries catch up from them, and
  // the runtime keeps the latest states live between reports (ADR 0042).
  return Layer.effectContext(
    Effect.gen(function* () {
      const inner = yield* EventStore.EventStore
      const checkpoints = yield* ProjectionCheckpoints.ProjectionCheckpoints
      const live = LiveStates.make(options.liveStates === undefined ? {} : { maxStates: options.liveStates })
      return Context.make(EventStore.EventStore, Sealing.wrap(inner, withKeys)).pipe(
        Context.add(ProjectionCheckpoints.ProjectionCheckpoints, checkpoints),
        Context.add(LiveStates.LiveStates, live)
      )
    })
  ).pipe(Layer.provide(unsealed(options)))
}

const keysFor = (options: StoreOptions): Sealing.WithKeys => {
  const file =
    options.keyStore ?? (options.kind === "sqlite" ? Sealing.keyStoreBeside(options.filename) : undefined)
  if (file !== undefined) return Sealing.withKeyFile(file)
  if (options.kind === "memory") {
    const keys = CryptoShredding.makeMemory()
    return (effect) => Effect.provideService(effect, CryptoShredding.KeyStore, keys)
  }
  return () =>
    Effect.fail(
      new CryptoShredding.KeyStoreError({
        reason: "Unavailable",
        kid: "",
        detail:
          "no key store is configured for personal data; pass keyStore (a file path) in the store options"
      })
    )
}

const unsealed = (
  options: StoreOptions
): Layer.Layer<EventStore.EventStore, EventStoreError.EventStoreError> => {
  switch (options.kind) {
    case "memory":
      // Every query replays the log; validating at append lets the first replay read decoded
      // events too (ADR 0009). It costs about a tenth of an append (loading 1M events: 25,900
      // against 28,600 events/s in the rebuild benchmark).
      return Layer.merge(EventStore.layerMemory({ catalog: Events.eventCatalog }), ProjectionCheckpoints.layerMemory())
    case "sqlite": {
      const { filename } = options
      return Layer.unwrap(
        Effect.map(
          load("@utblick/store-sqlite and better-sqlite3", () => import("@utblick/store-sqlite")),
          (module) =>
            module.SqliteCheckpointStore.layer().pipe(Layer.provideMerge(module.SqliteEventStore.layer({ filename })))
        )
      )
    }
    case "postgres": {
      const { url, schema } = options
      return Layer.unwrap(
        Effect.map(
          load("@utblick/store-postgres and @effect/sql-pg", () => import("@utblick/store-postgres")),
          (module) => module.PgEventStore.layerFromUrl(url, schema === undefined ? {} : { schema })
        )
      )
    }
    case "layer":
      return options.layer
  }
}

/**
 * Parses a store specification string: `memory`, `sqlite:PATH` (or a path ending in `.db`), or a
 * `postgres://` / `postgresql://` URL, optionally with `?schema=NAME`. Returns `undefined` for
 * anything else.
 *
 * @example
 * ```ts
 * parse("sqlite:./utblick.db") // { kind: "sqlite", filename: "./utblick.db" }
 * ```
 *
 * @category encoding
 * @since 0.1.0
 */
export const parse = (spec: string): StoreOptions | undefined => {
  const text = spec.trim()
  if (text === "memory") return { kind: "memory" }
  if (text.startsWith("sqlite:") && text.length > "sqlite:".length)
    return { kind: "sqlite", filename: text.slice(7) }
  if (/^postgres(ql)?:\/\//.test(text)) {
    // `?schema=NAME` picks the PostgreSQL schema of the log (one log per schema), as in the CLI;
    // the driver never sees it.
    const match = /[?&]schema=([^&]*)/.exec(text)
    if (match === null) return { kind: "postgres", url: text }
    const url = text.replace(/([?&])schema=[^&]*&?/, "$1").replace(/[?&]$/, "")
    return { kind: "postgres", url, schema: decodeURIComponent(match[1] ?? "") }
  }
  if (text.endsWith(".db")) return { kind: "sqlite", filename: text }
  return undefined
}

/**
 * Describes a store choice for logs, without the password of a PostgreSQL URL.
 *
 * @category formatting
 * @since 0.1.0
 */
export const describe = (options: StoreOptions): string => {
  switch (options.kind) {
    case "memory":
      return "memory"
    case "sqlite":
      return `sqlite:${options.filename}`
    case "postgres":
      return (
        options.url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@") +
        (options.schema === undefined ? "" : ` (schema ${options.schema})`)
      )
    case "layer":
      return "custom layer"
  }
}

/**
 * The layer type every store choice comes down to.
 *
 * @category models
 * @since 0.1.0
 */
export type StoreLayer = Layer.Layer<EventStore.EventStore, EventStoreError.EventStoreError>
