/**
 * `@utblick/example-lulea-international`: Luleå kommun's international work (memberships,
 * roles, agreements, twin towns, the Tromsø intent, the nine goals and a year of evaluated
 * trips) as a replayable event history, with the published figures it must reproduce.
 *
 * @since 0.1.0
 */
export { type PublishedMembership, type PublishedTwinTown, published } from "./published.js"
export { goalSchemeId, type SeedSummary, seed, tenant } from "./seed.js"
export { co2eFactorKg, estimatedCo2eKg, type TripPlan, trips2024 } from "./trips.js"
