/**
 * JSON and CSV forms of reports. Both carry the provenance manifest: JSON as a `manifest` field,
 * CSV as leading `#` comment lines (one `# key: value` per manifest field), then a header row.
 *
 * Every figure carries its unit. JSON keeps the exact values (money in integer öre, unit `ore`)
 * and adds each figure as the report prints it (`formatted`, in the locale). CSV is for
 * spreadsheets: under `sv` it is what Excel with Swedish settings opens directly — a byte-order
 * mark, `;` between fields, a decimal comma — and under `en` plain RFC 4180 with `,` and a point;
 * money is in kronor with two decimals (unit `kronor`), no data is an empty cell.
 *
 * @since 0.1.0
 */
import { Format as Fig, Indicator } from "@utblick/indicators"
import type { CompareResult, YearResult } from "../Analysis.js"
import type { Locale } from "./Format.js"
import * as Words from "./Words.js"

const withFormatted = (v: Indicator.IndicatorValue, locale: Locale) => ({
  ...v,
  formatted: Fig.value(v.unit, v.value, locale),
  breakdown: v.breakdown.map((b) => ({
    ...b,
    unit: Indicator.unitOf(v, b),
    formatted: Fig.value(Indicator.unitOf(v, b), b.value, locale)
  }))
})

/**
 * The JSON of a report or comparison (without the read models, which are large and internal).
 *
 * @category encoding
 * @since 0.1.0
 */
export const json = (result: YearResult | CompareResult, locale: Locale = "sv"): string =>
  `${JSON.stringify(
    result.kind === "report"
      ? {
          kind: "report",
          locale,
          year: result.report.year,
          asOf: result.report.asOf,
          knownAt: result.report.knownAt,
          tenant: result.report.tenant,
          indicators: result.report.values.map((v) => withFormatted(v, locale)),
          manifest: result.manifest
        }
      : {
          kind: "compare",
          locale,
          ...result.comparison,
          rows: result.comparison.rows.map((r) => ({
            ...r,
            formatted: {
              a: Fig.value(r.unit, r.a, locale),
              b: Fig.value(r.unit, r.b, locale),
              absoluteChange: Fig.change(r.unit, r.absoluteChange, locale),
              relativeChange: Fig.relative(r.relativeChange, locale)
            }
          })),
          manifest: result.manifest
        },
    null,
    2
  )}\n`

/**
 * The field separator of a locale's CSV.
 *
 * @category utils
 * @since 0.2.0
 */
export const separator = (locale: Locale): string => (locale === "sv" ? ";" : ",")

const quoter = (locale: Locale) => {
  const sep = separator(locale)
  return (v: unknown): string => {
    const s = v === null || v === undefined ? "" : String(v)
    return s.includes(sep) || /["\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
  }
}

const manifestLines = (manifest: object): ReadonlyArray<string> =>
  Object.entries(manifest).map(([k, v]) => `# ${k}: ${JSON.stringify(v)}`)

/** The unit as CSV states it: money is written in kronor there. */
const csvUnit = (unit: Indicator.Unit): string => (unit === "ore" ? "kronor" : unit)

/**
 * What a CSV document starts with in the locale: a byte-order mark under `sv` (Excel then reads
 * UTF-8), nothing under `en`.
 *
 * @category encoding
 * @since 0.3.0
 */
export const csvMark = (locale: Locale): string => (locale === "sv" ? "\ufeff" : "")

/**
 * Wraps CSV lines for the locale: a byte-order mark under `sv` (Excel then reads UTF-8).
 *
 * @category encoding
 * @since 0.2.0
 */
export const csvDocument = (lines: ReadonlyArray<string>, locale: Locale): string =>
  `${csvMark(locale)}${lines.join("\n")}\n`

/**
 * The CSV of a report or comparison.
 *
 * @category encoding
 * @since 0.1.0
 */
export const csv = (result: YearResult | CompareResult, locale: Locale = "sv"): string => {
  const q = quoter(locale)
  const sep = separator(locale)
  const row = (cells: ReadonlyArray<unknown>) => cells.map(q).join(sep)
  const n = (unit: Indicator.Unit, v: number | null | undefined) => Fig.csvValue(unit, v, locale)
  const lines = [...manifestLines(result.manifest)]
  if (result.kind === "report") {
    lines.push(row(["indicator", "scheme", "key", "label", "unit", "year", "value", "amount", "amount_unit"]))
    for (const v of result.report.values) {
      lines.push(
        row([
          v.id,
          v.scheme,
          "",
          locale === "sv" ? v.titleSv : v.title,
          csvUnit(v.unit),
          v.year,
          n(v.unit, v.value),
          "",
          ""
        ])
      )
      for (const b of v.breakdown) {
        const unit = Indicator.unitOf(v, b)
        const amountUnit: Indicator.Unit = Indicator.isPercent(v.unit) ? "count" : v.unit
        lines.push(
          row([
            v.id,
            v.scheme,
            b.key,
            Words.row(v.id, b.key, b.label, locale),
            csvUnit(unit),
            v.year,
            n(unit, b.value),
            b.amount === undefined ? "" : n(amountUnit, b.amount),
            b.amount === undefined ? "" : csvUnit(amountUnit)
          ])
        )
      }
    }
  } else {
    const [a, b] = result.comparison.years
    lines.push(
      row([
        "indicator",
        "key",
        "label",
        "unit",
        String(a),
        String(b),
        "absolute_change",
        "relative_change_percent"
      ])
    )
    for (const r of result.comparison.rows) {
      lines.push(
        row([
          r.indicator,
          r.key,
          r.key === null
            ? locale === "sv"
              ? r.label.replace(r.title, r.titleSv)
              : r.label
            : Words.row(r.indicator, r.key, r.label, locale),
          csvUnit(r.unit),
          n(r.unit, r.a),
          n(r.unit, r.b),
          n(r.unit, r.absoluteChange),
          n("percent", r.relativeChange)
        ])
      )
    }
  }
  return csvDocument(lines, locale)
}
