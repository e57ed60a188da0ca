/**
 * The one place where a figure becomes text. Every output of a report — the terminal table, CSV,
 * JSON's `formatted` fields and the HTML page — formats a value from its {@link Indicator.Unit}
 * here, so the same figure looks the same everywhere.
 *
 * **Swedish by default (`sv`).** Decimal comma, a no-break space (U+00A0) between groups of
 * thousands so a number never breaks across lines, the minus sign U+2212, "12,5 %" with a
 * no-break space before the percent sign, kronor as "58 700 000 kr", changes of a percentage in
 * procentenheter ("p.e."). **English (`en`)** uses a decimal point, a comma between thousands,
 * "12.5%", "SEK 58,700,000" and "pp".
 *
 * **Rounding.** Figures are rounded half away from zero (1,005 → 1,01; 0,5 → 1) on their decimal
 * value, never on a binary float; see {@link Share.roundQuotient}. Money is kept in öre and shown
 * in whole kronor (rounded the same way), or in mkr on chart labels.
 *
 * **No data is not zero.** `null` (no data, or not computable such as 0 ÷ 0) is shown as an en
 * dash "–"; 0 is shown as "0".
 *
 * @since 0.2.0
 */
import type { Unit } from "./Definition.js"
import * as Share from "./Share.js"

/**
 * The locales a report can be written in.
 *
 * @category models
 * @since 0.2.0
 */
export type Locale = "sv" | "en"

/**
 * The locales, for flag parsing.
 *
 * @category models
 * @since 0.2.0
 */
export const locales: ReadonlyArray<Locale> = ["sv", "en"]

/** The no-break space used between thousands and before units in Swedish. */
const NBSP = "\u00a0"
/** The minus sign (not the hyphen). */
const MINUS = "\u2212"

/**
 * The text shown for "no data" (and for a value that cannot be computed, such as 0 ÷ 0).
 *
 * @category models
 * @since 0.2.0
 */
export const NO_DATA = "–"

/**
 * A number with a fixed number of decimals, grouped by thousands, in the locale's style.
 *
 * @example
 * ```ts
 * import { Format } from "@utblick/indicators"
 * Format.number(-1234567.005, 2, "sv") // "−1 234 567,01" (no-break spaces)
 * Format.number(1234567.5, 1, "en") // "1,234,567.5"
 * ```
 *
 * @category formatting
 * @since 0.2.0
 */
export const number = (v: number, decimals: number, locale: Locale = "sv"): string => {
  const rounded = Share.roundHalfUp(v, decimals)
  const fixed = Math.abs(rounded).toFixed(decimals)
  const [int, frac] = fixed.split(".") as [string, string | undefined]
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, locale === "sv" ? NBSP : ",")
  const sign = rounded < 0 ? MINUS : ""
  return `${sign}${grouped}${frac === undefined ? "" : `${locale === "sv" ? "," : "."}${frac}`}`
}

/**
 * How many decimals a unit is shown with. Counts are whole unless the value is not (e.g. 42,5
 * decision-equivalents); CO2e in kilograms with one decimal when it has one.
 *
 * @category formatting
 * @since 0.2.0
 */
export const decimalsOf = (unit: Unit, v: number): number => {
  switch (unit) {
    case "percent":
      return 1
    case "whole-percent":
      return 0
    case "ratio":
      return 2
    case "ore":
      return 0
    case "kg-co2e":
    case "count":
    case "jobs":
      return Number.isInteger(v) ? 0 : 1
  }
}

const kronor = (ore: number, locale: Locale): string => {
  // Whole kronor, rounded half away from zero exactly from the integer öre.
  const k = Share.roundQuotient(ore, 100, 0) ?? 0
  return locale === "sv" ? `${number(k, 0, locale)}${NBSP}kr` : `SEK${NBSP}${number(k, 0, locale)}`
}

/**
 * A value in its unit, for people: "81,7 %", "3,12", "58 700 000 kr", "1 234 kg CO2e", "46".
 * `null` and `undefined` are "no data" ({@link NO_DATA}).
 *
 * @example
 * ```ts
 * import { Format } from "@utblick/indicators"
 * Format.value("percent", 81.7) // "81,7 %"
 * Format.value("ore", 5_870_000_000) // "58 700 000 kr"
 * Format.value("ratio", 1.01, "en") // "1.01"
 * ```
 *
 * @category formatting
 * @since 0.2.0
 */
export const value = (unit: Unit, v: number | null | undefined, locale: Locale = "sv"): string => {
  if (v === null || v === undefined) return NO_DATA
  switch (unit) {
    case "ore":
      return kronor(v, locale)
    case "percent":
    case "whole-percent": {
      const d = decimalsOf(unit, v)
      return locale === "sv" ? `${number(v, d, locale)}${NBSP}%` : `${number(v, d, locale)}%`
    }
    case "kg-co2e":
      return `${number(v, decimalsOf(unit, v), locale)}${NBSP}kg CO2e`
    case "ratio":
    case "count":
    case "jobs":
      return number(v, decimalsOf(unit, v), locale)
  }
}

const signed = (text: string, v: number): string => (v > 0 ? `+${text}` : text)

/**
 * An absolute change between two values, with a sign: percentage points for percentages
 * ("−5,5 p.e." / "−5.5 pp"), the unit otherwise ("+46", "−26 300 000 kr").
 *
 * @category formatting
 * @since 0.2.0
 */
export const change = (unit: Unit, v: number | null | undefined, locale: Locale = "sv"): string => {
  if (v === null || v === undefined) return NO_DATA
  if (unit === "percent" || unit === "whole-percent") {
    const d = decimalsOf(unit, v)
    return signed(`${number(v, d, locale)}${NBSP}${locale === "sv" ? "p.e." : "pp"}`, Share.roundHalfUp(v, d))
  }
  return signed(value(unit, v, locale), unit === "ore" ? v : Share.roundHalfUp(v, decimalsOf(unit, v)))
}

/**
 * A relative change in percent with one decimal and a sign: "+25,8 %", "−3,0 %".
 *
 * @category formatting
 * @since 0.2.0
 */
export const relative = (v: number | null | undefined, locale: Locale = "sv"): string => {
  if (v === null || v === undefined) return NO_DATA
  return signed(value("percent", v, locale), Share.roundHalfUp(v, 1))
}

/**
 * Million kronor with one decimal, for chart labels and axes: "58,7 mkr" / "SEK 58.7m".
 *
 * @category formatting
 * @since 0.2.0
 */
export const mkr = (ore: number, locale: Locale = "sv"): string => {
  const m = Share.roundQuotient(ore, 100_000_000, 1) ?? 0
  return locale === "sv" ? `${number(m, 1, locale)}${NBSP}mkr` : `SEK${NBSP}${number(m, 1, locale)}m`
}

/**
 * Thousand kronor, whole: "750 tkr" / "SEK 750k".
 *
 * @category formatting
 * @since 0.2.0
 */
export const tkr = (ore: number, locale: Locale = "sv"): string => {
  const t = Share.roundQuotient(ore, 100_000, 0) ?? 0
  return locale === "sv" ? `${number(t, 0, locale)}${NBSP}tkr` : `SEK${NBSP}${number(t, 0, locale)}k`
}

/**
 * The money scale that suits a chart whose largest value is `maxOre`: mkr from one million
 * kronor up, tkr below.
 *
 * @category formatting
 * @since 0.2.0
 */
export const moneyScale = (maxOre: number, locale: Locale = "sv"): ((ore: number) => string) =>
  maxOre >= 100_000_000 ? (v) => mkr(v, locale) : (v) => tkr(v, locale)

/**
 * A value for a CSV cell: no grouping, no unit, the locale's decimal separator (a comma under
 * `sv`, so Excel with Swedish settings reads it as a number), the ASCII minus; money in kronor
 * with two decimals (exact from öre); empty for no data.
 *
 * @category formatting
 * @since 0.2.0
 */
export const csvValue = (unit: Unit, v: number | null | undefined, locale: Locale = "sv"): string => {
  if (v === null || v === undefined) return ""
  const text =
    unit === "ore"
      ? `${v < 0 ? "-" : ""}${Math.floor(Math.abs(v) / 100)}.${String(Math.abs(v) % 100).padStart(2, "0")}`
      : String(v)
  return locale === "sv" ? text.replace(".", ",") : text
}

/**
 * The unit as a short label for column headers: "procent", "kronor", "kg CO2e", "antal" / "count" ….
 *
 * @category formatting
 * @since 0.2.0
 */
export const unitLabel = (unit: Unit, locale: Locale = "sv"): string => {
  const sv: Record<Unit, string> = {
    percent: "procent",
    "whole-percent": "procent",
    ratio: "kvot",
    ore: "kronor",
    "kg-co2e": "kg CO2e",
    count: "antal",
    jobs: "antal jobb"
  }
  const en: Record<Unit, string> = {
    percent: "percent",
    "whole-percent": "percent",
    ratio: "ratio",
    ore: "kronor",
    "kg-co2e": "kg CO2e",
    count: "count",
    jobs: "jobs"
  }
  return (locale === "sv" ? sv : en)[unit]
}
