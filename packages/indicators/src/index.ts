/**
 * `@utblick/indicators`: indicators per year over the read models of `@utblick/projections`,
 * exact shares, classification-scheme mappings and year comparison.
 *
 * @since 0.1.0
 */
export * as Compare from "./Compare.js"
export * as Format from "./Format.js"
export * as GrantFilter from "./GrantFilter.js"
export * as Indicator from "./Indicator.js"
export * as PerInhabitant from "./PerInhabitant.js"
export * as PersistedFigures from "./PersistedFigures.js"
export * as RowFigures from "./RowFigures.js"
export * as SchemeMapping from "./SchemeMapping.js"
export * as Share from "./Share.js"
export * as YearReport from "./YearReport.js"
export * as YearSums from "./YearSums.js"
