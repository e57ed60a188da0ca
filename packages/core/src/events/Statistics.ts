/**
 * The statistics family: facts about a tenant's area that indicators are divided by, recorded
 * with the year they describe and their source. Today one: the population (*folkmängd*) on
 * 31 December of a year, as SCB publishes it, so that figures can be given per inhabitant
 * (*per invånare*) and compared across municipalities of different size.
 *
 * @since 0.2.0
 */
import { Schema } from "effect"
import * as EventCatalog from "../EventCatalog.js"
import { Label, Year } from "./Common.js"

/**
 * A number of inhabitants: a positive integer (an area with nobody in it has no per-inhabitant
 * figure, so zero is refused rather than divided by).
 *
 * @category schemas
 * @since 0.2.0
 */
export const Inhabitants = Schema.Int.pipe(
  Schema.check(Schema.isGreaterThanOrEqualTo(1, { message: "inhabitants must be a positive integer" }))
)

/**
 * The fields of each statistics event.
 *
 * @category schemas
 * @since 0.2.0
 */
export const statisticsFields = {
  /**
   * The tenant's population on 31 December of `year` (*folkmängd*), e.g. Luleå kommun 2023:
   * 79 920 (SCB). A later event for the same year supersedes an earlier one (a revised figure).
   */
  PopulationRecorded: {
    year: Year,
    inhabitants: Inhabitants,
    /** Where the figure comes from, e.g. "SCB, Folkmängd 31 december 2023 (BE0101)". */
    source: Label
  }
}

/**
 * The statistics family as a tagged union of its events.
 *
 * @category events
 * @since 0.2.0
 */
export const StatisticsEvent = Schema.TaggedUnion(statisticsFields)

/**
 * @category events
 * @since 0.2.0
 */
export type StatisticsEvent = typeof StatisticsEvent.Type

/**
 * The stream of a tenant's statistics (one per tenant: its population figures over the years).
 *
 * @category utils
 * @since 0.2.0
 */
export const statisticsStreamId = (tenant: string): string => `statistics-${tenant}`

/**
 * The statistics family's catalogue entries.
 *
 * @category events
 * @since 0.2.0
 */
export const statisticsCatalog = EventCatalog.make([
  EventCatalog.define(StatisticsEvent.cases.PopulationRecorded, "PopulationRecorded")
])
