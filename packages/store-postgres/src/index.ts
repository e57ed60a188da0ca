/**
 * `@utblick/store-postgres`: the production event store of Utblick on PostgreSQL.
 *
 * @since 0.1.0
 */
export * as PgCheckpointStore from "./PgCheckpointStore.js"
export * as PgEventStore from "./PgEventStore.js"
export * as PgIndexCheck from "./PgIndexCheck.js"
export * as PgMigrator from "./PgMigrator.js"
export * as PgRestore from "./PgRestore.js"
