/**
 * Indicator tables for the terminal.
 *
 * @since 0.1.0
 */
import type { Compare, Indicator, YearReport } from "@utblick/indicators"
import * as Format from "./Format.js"

/**
 * A breakdown row: a share with the amount behind it, or a plain value in the row unit.
 *
 * @category constructors
 * @since 0.1.0
 */
export const rowValue = (v: Indicator.IndicatorValue, b: Indicator.Row): string =>
  b.amount === undefined
    ? Format.value(v.rowUnit ?? v.unit, b.value)
    : `${Format.value("percent", b.value)} (${Format.value(v.unit === "percent" ? "count" : v.unit, b.amount)})`

/**
 * One year's indicators as an aligned table.
 *
 * @category constructors
 * @since 0.1.0
 */
export const report = (r: YearReport.YearIndicators): ReadonlyArray<string> => {
  const rows: Array<Array<string>> = []
  for (const v of r.values) {
    rows.push([clip(`${v.title}${v.scheme === undefined ? "" : ` [${v.scheme}]`}`), Format.value(v.unit, v.value)])
    for (const b of v.breakdown) rows.push([clip(`  ${b.label}`), rowValue(v, b)])
  }
  return [
    `Indicators ${r.year}${r.tenant === null ? "" : ` — ${r.tenant}`} (as of ${r.asOf}${r.knownAt === null ? "" : `, known at ${r.knownAt}`})`,
    "",
    ...Format.table(["Indicator", String(r.year)], rows)
  ]
}

// Long category names (the national strategy's areas) would push the numbers off the screen.
const clip = (s: string, max = 72): string => ([...s].length > max ? `${[...s].slice(0, max - 1).join("")}…` : s)

/**
 * Two years side by side with absolute and relative change.
 *
 * @category constructors
 * @since 0.1.0
 */
export const comparison = (c: Compare.Comparison, tenant: string | undefined): ReadonlyArray<string> => {
  const [a, b] = c.years
  const rows = c.rows.map((r) => [
    clip(r.key === null ? r.label : `  ${r.label}`),
    Format.value(r.unit, r.a),
    Format.value(r.unit, r.b),
    Format.change(r.unit, r.absoluteChange),
    r.relativeChange === null ? "–" : `${r.relativeChange > 0 ? "+" : r.relativeChange < 0 ? "−" : ""}${String(Math.abs(r.relativeChange)).replace(".", ",")} %`
  ])
  const lines = [
    `Comparison ${a} → ${b}${tenant === undefined ? "" : ` — ${tenant}`}`,
    "",
    ...Format.table(["Indicator", String(a), String(b), "Change", "Relative"], rows)
  ]
  if (c.mappings.length > 0) {
    lines.push("", "Scheme mappings used:")
    for (const m of c.mappings) {
      lines.push(
        `  ${m.indicator}: ${m.fromScheme} → ${m.toScheme} (${m.mappingId})${m.unmapped.length > 0 ? `, unmapped: ${m.unmapped.join(", ")}` : ""}`
      )
    }
  }
  if (c.notComparable.length > 0) {
    lines.push("", "Not comparable:")
    for (const n of c.notComparable) lines.push(`  ${n.indicator}${n.scheme === null ? "" : ` [${n.scheme}]`} ${n.year}: ${n.reason}`)
  }
  return lines
}
