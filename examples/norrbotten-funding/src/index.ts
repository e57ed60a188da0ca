/**
 * `@utblick/example-norrbotten-funding`: Region Norrbotten's anslag 1:1 for 2017 and 2022
 * (appropriations, the board's allocation frame, project support, business support and
 * commercial service, EU co-financing, classification schemes and their mappings) as a
 * replayable event history, with the published figures it must reproduce.
 *
 * @since 0.1.0
 */
export { type ClassificationRow, type LeadershipShares, type PriorityLine, published } from "./published.js"
export { type MappingDefinition, mappings, type SchemeDefinition, schemeIds, schemes } from "./schemes.js"
export {
  appropriation2017Sek,
  businessSupport2017,
  businessSupport2022,
  type FirmGrant,
  frame2022Sek,
  type ProjectGrant,
  projects2017,
  projects2022,
  regionId,
  type SeedSummary,
  seed,
  tenant
} from "./seed.js"
export { splitProportionally } from "./synth.js"
