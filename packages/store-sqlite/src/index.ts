/**
 * `@utblick/store-sqlite`: the embedded default event store of Utblick — one SQLite file in WAL
 * mode — with its schema migrator and a persisted projection checkpoint store.
 *
 * @since 0.1.0
 */
export * as SqliteCheckpointStore from "./SqliteCheckpointStore.js"
export * as SqliteEventStore from "./SqliteEventStore.js"
export * as SqliteIndexCheck from "./SqliteIndexCheck.js"
export * as SqliteMigrator from "./SqliteMigrator.js"
