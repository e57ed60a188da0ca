/**
 * `@utblick/example-orebro-strategy`: the Örebro region's international strategy (2009) as a
 * second tenant with its own classification scheme.
 *
 * @since 0.1.0
 */
export { published } from "./published.js"
export { type SeedSummary, seed, strategyAgreementId, strategySchemeId, tenant } from "./seed.js"
