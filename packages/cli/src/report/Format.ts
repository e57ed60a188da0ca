/**
 * Numbers as people read them: kronor from öre, percent with a comma, thin grouping.
 *
 * @since 0.1.0
 */
import { Money } from "@utblick/core"
import type { Indicator } from "@utblick/indicators"

const group = (n: number, decimals = 0): string => {
  const fixed = Math.abs(n).toFixed(decimals)
  const [int, frac] = fixed.split(".") as [string, string | undefined]
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, " ")
  return `${n < 0 ? "−" : ""}${grouped}${frac === undefined ? "" : `,${frac}`}`
}

/**
 * Formats a value in its unit; `null` is shown as an en dash (not computable, e.g. 0 ÷ 0).
 *
 * @category constructors
 * @since 0.1.0
 */
export const value = (unit: Indicator.Unit, v: number | null | undefined): string => {
  if (v === null || v === undefined) return "–"
  switch (unit) {
    case "ore":
      return Money.formatSek(Math.round(v)).replaceAll("\u00a0", " ")
    case "percent":
      return `${group(v, 1)} %`
    case "ratio":
      return group(v, 2)
    case "kg-co2e":
      return `${group(v, Number.isInteger(v) ? 0 : 1)} kg`
    case "count":
    case "jobs":
      return group(v, Number.isInteger(v) ? 0 : 1)
  }
}

/**
 * Formats a change: percentage points for percent, the unit otherwise, with a sign.
 *
 * @category constructors
 * @since 0.1.0
 */
export const change = (unit: Indicator.Unit, v: number | null): string => {
  if (v === null) return "–"
  const sign = v > 0 ? "+" : ""
  return unit === "percent" ? `${sign}${group(v, 1)} pp` : `${sign}${value(unit, v)}`
}

/**
 * Million kronor with one decimal, for chart labels.
 *
 * @category constructors
 * @since 0.1.0
 */
export const mkr = (ore: number): string => `${group(ore / 100_000_000, 1)} mkr`

/**
 * Lays out rows as an aligned text table (first column left, the rest right-aligned).
 *
 * @category constructors
 * @since 0.1.0
 */
export const table = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): ReadonlyArray<string> => {
  const all = [header, ...rows]
  const widths = header.map((_, i) => Math.max(...all.map((r) => [...(r[i] ?? "")].length)))
  const pad = (cell: string, i: number) => {
    const w = widths[i] ?? 0
    const n = [...cell].length
    return i === 0 ? cell + " ".repeat(w - n) : " ".repeat(w - n) + cell
  }
  const line = (r: ReadonlyArray<string>) =>
    r
      .map((c, i) => pad(c, i))
      .join("  ")
      .trimEnd()
  return [line(header), widths.map((w) => "─".repeat(w)).join("  "), ...rows.map(line)]
}
