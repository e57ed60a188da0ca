/**
 * Test helpers for Utblick and for anyone implementing its interfaces: the event store contract
 * suite, given/when/then specifications for deciders and projections, and fast-check
 * arbitraries.
 *
 * @since 0.1.0
 */
export * as Arbitraries from "./Arbitraries.js"
export * as BenchSummary from "./BenchSummary.js"
export * as CheckpointRowsContract from "./CheckpointRowsContract.js"
export * as DeciderSpec from "./DeciderSpec.js"
export * as EventStoreContract from "./EventStoreContract.js"
export * as HolesContract from "./HolesContract.js"
export * as Synthetic from "./Synthetic.js"
