/**
 * Indicator tables for the terminal. Every figure is formatted by `@utblick/indicators`' `Format`
 * from the unit its row carries, in the report's locale.
 *
 * @since 0.1.0
 */
import { type Compare, Format as Fig, Indicator, type YearReport } from "@utblick/indicators"
import * as Format from "./Format.js"
import * as Words from "./Words.js"

/**
 * A breakdown row: a share with the amount behind it ("24,0 % (30)"), or a value in its own unit.
 *
 * @category formatting
 * @since 0.1.0
 */
export const rowValue = (
  v: Indicator.IndicatorValue,
  b: Indicator.Row,
  locale: Format.Locale = "sv"
): string =>
  b.amount === undefined
    ? Fig.value(Indicator.unitOf(v, b), b.value, locale)
    : `${Fig.value(Indicator.unitOf(v, b), b.value, locale)} (${Fig.value(Indicator.isPercent(v.unit) ? "count" : v.unit, b.amount, locale)})`

/**
 * An indicator's headline label: its title in the locale, with the scheme when it has one.
 *
 * @category utils
 * @since 0.2.0
 */
export const headlineLabel = (v: Indicator.IndicatorValue, locale: Format.Locale): string =>
  `${Words.title(v, locale)}${v.scheme === undefined ? "" : ` [${v.scheme}]`}`

/**
 * One year's indicators as an aligned table.
 *
 * @category indicators
 * @since 0.1.0
 */
export const report = (r: YearReport.YearFigures, locale: Format.Locale = "sv"): ReadonlyArray<string> => {
  const w = Words.of(locale)
  const rows: Array<Array<string>> = []
  for (const v of r.values) {
    rows.push([clip(headlineLabel(v, locale)), Fig.value(v.unit, v.value, locale)])
    for (const b of v.breakdown)
      rows.push([clip(`  ${Words.row(v.id, b.key, b.label, locale)}`), rowValue(v, b, locale)])
  }
  return [
    `${w.indicators} ${r.year}${r.tenant === null ? "" : ` — ${r.tenant}`} (${w.asOf} ${r.asOf}${r.knownAt === null ? "" : `, ${w.knownAt} ${r.knownAt}`})`,
    "",
    ...Format.table([w.indicator, String(r.year)], rows),
    "",
    w.noData
  ]
}

// Long category names (the national strategy's areas) would push the numbers off the screen.
const clip = (s: string, max = 72): string =>
  [...s].length > max ? `${[...s].slice(0, max - 1).join("")}…` : s

/**
 * The label of a comparison row in the locale.
 *
 * @category indicators
 * @since 0.2.0
 */
export const comparisonLabel = (r: Compare.ComparisonRow, locale: Format.Locale): string =>
  r.key === null
    ? locale === "sv"
      ? r.label.replace(r.title, r.titleSv)
      : r.label
    : Words.row(r.indicator, r.key, r.label, locale)

/**
 * Two years side by side with absolute and relative change.
 *
 * @category indicators
 * @since 0.1.0
 */
export const comparison = (
  c: Compare.Comparison,
  tenant: string | undefined,
  locale: Format.Locale = "sv"
): ReadonlyArray<string> => {
  const w = Words.of(locale)
  const [a, b] = c.years
  const rows = c.rows.map((r) => [
    clip(r.key === null ? comparisonLabel(r, locale) : `  ${comparisonLabel(r, locale)}`),
    Fig.value(r.unit, r.a, locale),
    Fig.value(r.unit, r.b, locale),
    Fig.change(r.unit, r.absoluteChange, locale),
    Fig.relative(r.relativeChange, locale)
  ])
  const lines = [
    `${w.comparison} ${a} → ${b}${tenant === undefined ? "" : ` — ${tenant}`}`,
    "",
    ...Format.table([w.indicator, String(a), String(b), w.change, w.relative], rows)
  ]
  if (c.mappings.length > 0) {
    lines.push("", `${w.mappingsUsed}:`)
    for (const m of c.mappings) {
      lines.push(
        `  ${m.indicator}: ${m.fromScheme} → ${m.toScheme} (${m.mappingId})${m.unmapped.length > 0 ? `, ${w.unmapped}: ${m.unmapped.join(", ")}` : ""}`
      )
    }
  }
  if (c.notComparable.length > 0) {
    lines.push("", `${w.notComparable}:`)
    for (const n of c.notComparable)
      lines.push(`  ${n.indicator}${n.scheme === null ? "" : ` [${n.scheme}]`} ${n.year}: ${n.reason}`)
  }
  lines.push("", w.noData)
  return lines
}
