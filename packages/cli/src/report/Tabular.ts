/**
 * JSON and CSV forms of reports. Both carry the provenance manifest: JSON as a `manifest` field,
 * CSV as leading `#` comment lines (one `# key: value` per manifest field), then a header row.
 *
 * @since 0.1.0
 */
import type { CompareResult, YearResult } from "../Analysis.js"

/**
 * The JSON of a report or comparison (without the read models, which are large and internal).
 *
 * @category constructors
 * @since 0.1.0
 */
export const json = (result: YearResult | CompareResult): string =>
  `${JSON.stringify(
    result.kind === "report"
      ? {
          kind: "report",
          year: result.report.year,
          asOf: result.report.asOf,
          knownAt: result.report.knownAt,
          tenant: result.report.tenant,
          indicators: result.report.values,
          manifest: result.manifest
        }
      : { kind: "compare", ...result.comparison, manifest: result.manifest },
    null,
    2
  )}\n`

const q = (v: unknown): string => {
  const s = v === null || v === undefined ? "" : String(v)
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

const manifestLines = (manifest: object): ReadonlyArray<string> =>
  Object.entries(manifest).map(([k, v]) => `# ${k}: ${JSON.stringify(v)}`)

/**
 * The CSV of a report or comparison.
 *
 * @category constructors
 * @since 0.1.0
 */
export const csv = (result: YearResult | CompareResult): string => {
  const lines = [...manifestLines(result.manifest)]
  if (result.kind === "report") {
    lines.push("indicator,scheme,key,label,unit,year,value,amount")
    for (const v of result.report.values) {
      lines.push([v.id, v.scheme, "", v.title, v.unit, v.year, v.value, ""].map(q).join(","))
      for (const b of v.breakdown) {
        lines.push([v.id, v.scheme, b.key, b.label, v.rowUnit ?? v.unit, v.year, b.value, b.amount].map(q).join(","))
      }
    }
  } else {
    const [a, b] = result.comparison.years
    lines.push(`indicator,key,label,unit,${a},${b},absolute_change,relative_change_percent`)
    for (const r of result.comparison.rows) {
      lines.push([r.indicator, r.key, r.label, r.unit, r.a, r.b, r.absoluteChange, r.relativeChange].map(q).join(","))
    }
  }
  return `${lines.join("\n")}\n`
}
