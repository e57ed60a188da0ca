/**
 * Figures per inhabitant (*per invånare*), what lets municipalities and regions of different
 * size be compared (as Kolada does): money in kronor per inhabitant, counts (memberships,
 * agreements, jobs, kg CO2e …) per 1 000 inhabitants. Only indicators whose headline is an
 * amount get one; a percentage or a ratio is already size-free.
 *
 * The population of a year is the one on 31 December of that year (`PopulationRecorded`).
 * A year whose population is not recorded has no per-inhabitant figure: it is no data (`null`,
 * shown as "–"), never zero, and never borrowed from another year.
 *
 * @since 0.2.0
 */
import type { IndicatorValue, Row, Unit } from "./Definition.js"
import * as Share from "./Share.js"

/**
 * A population figure as recorded: inhabitants on 31 December of `year`, with its source.
 *
 * @category models
 * @since 0.2.0
 */
export interface Population {
  readonly year: number
  readonly inhabitants: number
  readonly source: string
}

/**
 * The breakdown key of the per-inhabitant row of money indicators (kronor per inhabitant).
 *
 * @category models
 * @since 0.2.0
 */
export const PER_INHABITANT = "per-inhabitant"

/**
 * The breakdown key of the per-inhabitant row of count indicators (per 1 000 inhabitants).
 *
 * @category models
 * @since 0.2.0
 */
export const PER_1000 = "per-1000-inhabitants"

/**
 * Whether an indicator's headline grows with the size of the area (an amount), so that a
 * per-inhabitant figure means something.
 *
 * @category guards
 * @since 0.2.0
 */
export const isAmount = (unit: Unit): boolean =>
  unit === "ore" || unit === "count" || unit === "jobs" || unit === "kg-co2e"

/**
 * The per-inhabitant row of one indicator value, or `undefined` when its headline is not an
 * amount. Money: öre per inhabitant, rounded half away from zero to whole öre (unit `ore`,
 * shown in whole kronor); other amounts: per 1 000 inhabitants with two decimals (unit `ratio`).
 * `null` when the population or the headline is missing.
 *
 * @example
 * ```ts
 * import { PerInhabitant } from "@utblick/indicators"
 * // 117 000 000 kr granted, 250 000 inhabitants: 468 kr per inhabitant
 * PerInhabitant.row({ unit: "ore", value: 11_700_000_000 }, 250_000)?.value // 46800 (öre)
 * ```
 *
 * @category formatting
 * @since 0.2.0
 */
export const row = (
  v: Pick<IndicatorValue, "unit" | "value">,
  inhabitants: number | undefined
): Row | undefined => {
  if (!isAmount(v.unit)) return undefined
  // No figure without a headline or a population above zero (`roundQuotient` itself gives `null`
  // for 0; a negative population is no population).
  const per = (scale: number, decimals: number): number | null =>
    v.value !== null && inhabitants !== undefined && inhabitants > 0
      ? Share.roundQuotient(v.value * scale, inhabitants, decimals)
      : null
  if (v.unit === "ore") return { key: PER_INHABITANT, label: "Per inhabitant", value: per(1, 0), unit: "ore" }
  return { key: PER_1000, label: "Per 1 000 inhabitants", value: per(1000, 2), unit: "ratio" }
}

/**
 * Adds the per-inhabitant row to every amount indicator of a year (after its own rows). Call it
 * only for a tenant with population figures: with `population` undefined the rows say "no data".
 *
 * @category combinators
 * @since 0.2.0
 */
export const add = (
  values: ReadonlyArray<IndicatorValue>,
  population: Population | undefined
): ReadonlyArray<IndicatorValue> =>
  values.map((v) => {
    const extra = row(v, population?.inhabitants)
    return extra === undefined ? v : { ...v, breakdown: [...v.breakdown, extra] }
  })
