/**
 * `@utblick/projections`: read models of current state — memberships, agreements and twin
 * towns, the funding portfolio, trips and the registry — each a named, versioned pure fold over
 * the events of `@utblick/core`, with query functions on its state.
 *
 * Run one with `Projection.run(Memberships.projection, catalog, { asOf, knownAt, tenant })`, or
 * all of them in one pass with `ReadModels.run`.
 *
 * @since 0.1.0
 */
export * as Agreements from "./Agreements.js"
export * as EntityRows from "./EntityRows.js"
export * as FundingPortfolio from "./FundingPortfolio.js"
export * as Memberships from "./Memberships.js"
export * as ReadModels from "./ReadModels.js"
export * as RegistryModel from "./RegistryModel.js"
export * as Shared from "./Shared.js"
export * as Trips from "./Trips.js"
