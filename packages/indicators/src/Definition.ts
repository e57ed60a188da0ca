/**
 * What an indicator is: its definition (id, version, titles, unit, formula in words, the events
 * that feed it and a pure `compute`), the value it yields for one year, and the context it is
 * computed for. The definitions themselves live with their event family (`family/*.ts`); the
 * catalogue that lists them in reporting order is {@link Indicator}.
 *
 * @since 0.2.0
 */
import type { YearView } from "./YearView.js"

// The context lives with the year view it selects; re-exported here, where indicators are defined.
export type { Context } from "./YearView.js"

/**
 * The unit of an indicator's value. `whole-percent` is a percentage published and apportioned in
 * whole percent (leadership shares, the board's split by instrument): it is shown without a
 * decimal, so 1 of 3 firms reads "34 %", not a precise-looking "34,0 %".
 *
 * @category models
 * @since 0.1.0
 */
export type Unit = "percent" | "whole-percent" | "count" | "ore" | "ratio" | "kg-co2e" | "jobs"

/**
 * Whether a unit is a percentage (changes in it are percentage points).
 *
 * @category guards
 * @since 0.2.0
 */
export const isPercent = (unit: Unit): unit is "percent" | "whole-percent" =>
  unit === "percent" || unit === "whole-percent"

/**
 * One line of an indicator's breakdown (a category, an instrument, a focus area …).
 *
 * @category models
 * @since 0.1.0
 */
export interface Row {
  readonly key: string
  readonly label: string
  /** The row's value in the indicator's unit (for shares: the apportioned percent). */
  readonly value: number | null
  /** The integer amount behind a share (öre or a count), when the row is a share. */
  readonly amount?: number
  /** The row's own unit, when a breakdown mixes units (otherwise `rowUnit`, then `unit`). */
  readonly unit?: Unit
}

/**
 * The value of one indicator for one year.
 *
 * @category models
 * @since 0.1.0
 */
export interface IndicatorValue {
  readonly id: string
  readonly title: string
  /** The title in Swedish (the report's default language). */
  readonly titleSv: string
  readonly unit: Unit
  readonly year: number
  readonly value: number | null
  /** The classification scheme the breakdown is expressed in, when it is one. */
  readonly scheme?: string
  /** The unit of the breakdown rows when it differs from the headline's. */
  readonly rowUnit?: Unit
  /** The breakdown; every row carries its own `unit` (resolved from `rowUnit`, then `unit`). */
  readonly breakdown: ReadonlyArray<Row>
  /** The integers the headline value was computed from. */
  readonly numerator?: number
  readonly denominator?: number
}

/**
 * An indicator definition.
 *
 * @category models
 * @since 0.1.0
 */
export interface Definition {
  readonly id: string
  readonly version: number
  readonly title: string
  /** The title in Swedish. */
  readonly titleSv: string
  readonly unit: Unit
  /** The formula in words, as in the reference. */
  readonly formula: string
  /** The event types that feed it. */
  readonly feeds: ReadonlyArray<string>
  readonly compute: (view: YearView) => ReadonlyArray<IndicatorValue>
}

/**
 * The unit of one breakdown row: its own, else the indicator's `rowUnit`, else its `unit`.
 *
 * @category getters
 * @since 0.2.0
 */
export const unitOf = (indicator: Pick<IndicatorValue, "unit" | "rowUnit">, row: Row): Unit =>
  row.unit ?? indicator.rowUnit ?? indicator.unit
