/**
 * Indicators over many years as one table: a row per indicator headline and breakdown row, a
 * column per year — for the terminal, CSV and JSON (the HTML page is in `Html.ts`).
 *
 * "No data" and zero stay apart: a year in which the indicator has no value is "no data" (–, an
 * empty CSV cell, `null`); a year in which the indicator has a value but the row counted nothing
 * (no agreement in that status, no grant in that category) is 0. A ratio has no such zero.
 *
 * @since 0.2.0
 */
import { Format as Fig, Indicator, PerInhabitant, Share, type YearReport } from "@utblick/indicators"
import type { TrendResult } from "../Analysis.js"
import * as Format from "./Format.js"
import { csvDocument, separator } from "./Tabular.js"
import * as Words from "./Words.js"

/**
 * One row of a trend table.
 *
 * @category models
 * @since 0.2.0
 */
export interface TrendRow {
  readonly indicator: string
  readonly scheme: string | null
  /** `null` for the indicator's headline. */
  readonly key: string | null
  readonly label: string
  readonly labelSv: string
  readonly unit: Indicator.Unit
  /** One value per year of the table, `null` for no data. */
  readonly values: ReadonlyArray<number | null>
}

/**
 * The rows of a series of years, in the order the indicators are defined and rows first appear.
 *
 * @category formatting
 * @since 0.2.0
 */
export const rows = (reports: ReadonlyArray<YearReport.YearFigures>): ReadonlyArray<TrendRow> => {
  type Slot = {
    indicator: string
    scheme: string | null
    key: string | null
    label: string
    labelSv: string
    unit: Indicator.Unit
  }
  const slots = new Map<string, Slot>()
  const order = new Map(Indicator.definitions.map((d, i) => [d.id, i]))
  const id = (indicator: string, scheme: string | null, key: string | null) =>
    `${indicator}|${scheme ?? ""}|${key ?? ""}`
  for (const r of reports) {
    for (const v of r.values) {
      const scheme = v.scheme ?? null
      const head = id(v.id, scheme, null)
      if (!slots.has(head)) {
        const suffix = scheme === null ? "" : ` [${scheme}]`
        slots.set(head, {
          indicator: v.id,
          scheme,
          key: null,
          label: `${v.title}${suffix}`,
          labelSv: `${v.titleSv}${suffix}`,
          unit: v.unit
        })
      }
      for (const b of v.breakdown) {
        const k = id(v.id, scheme, b.key)
        if (!slots.has(k))
          slots.set(k, {
            indicator: v.id,
            scheme,
            key: b.key,
            label: b.label,
            labelSv: Words.row(v.id, b.key, b.label, "sv"),
            unit: Indicator.unitOf(v, b)
          })
      }
    }
  }
  const sorted = [...slots.values()].sort((a, b) => {
    const byIndicator = (order.get(a.indicator) ?? 99) - (order.get(b.indicator) ?? 99)
    if (byIndicator !== 0) return byIndicator
    if (a.scheme !== b.scheme) return (a.scheme ?? "") < (b.scheme ?? "") ? -1 : 1
    return 0
  })
  return sorted.map((slot) => ({
    ...slot,
    values: reports.map((r) => {
      const v = r.values.find((x) => x.id === slot.indicator && (x.scheme ?? null) === slot.scheme)
      if (v === undefined) return null
      if (slot.key === null) return v.value
      const b = v.breakdown.find((x) => x.key === slot.key)
      if (b !== undefined) return b.value
      // A per-inhabitant row is missing for a tenant without population figures: no data.
      return slot.unit === "ratio" || slot.key === PerInhabitant.PER_INHABITANT ? null : 0
    })
  }))
}

/**
 * The change from the first to the last year of a row: absolute and relative.
 *
 * @category utils
 * @since 0.2.0
 */
export const firstToLast = (
  row: TrendRow
): { readonly absolute: number | null; readonly relative: number | null } => {
  const a = row.values[0] ?? null
  const b = row.values[row.values.length - 1] ?? null
  return {
    absolute: a === null || b === null ? null : Share.difference(a, b),
    relative: a === null || b === null ? null : Share.relativeChange(a, b, 1)
  }
}

/**
 * The column heads of a trend: its years, or the tenants when they are side by side.
 *
 * @category utils
 * @since 0.2.0
 */
export const columnsOf = (result: TrendResult): ReadonlyArray<string> =>
  result.tenants ?? result.years.map(String)

const clip = (s: string, max = 60): string =>
  [...s].length > max ? `${[...s].slice(0, max - 1).join("")}…` : s

/**
 * A label of a row in the locale.
 *
 * @category formatting
 * @since 0.2.0
 */
export const labelOf = (row: TrendRow, locale: Format.Locale): string =>
  locale === "sv" ? row.labelSv : row.label

/**
 * The trend as an aligned table; with `withChange`, the change from the first to the last year.
 *
 * @category formatting
 * @since 0.2.0
 */
export const text = (
  result: TrendResult,
  locale: Format.Locale,
  withChange = false
): ReadonlyArray<string> => {
  const w = Words.of(locale)
  const table = rows(result.reports)
  const first = result.years[0]
  const last = result.years[result.years.length - 1]
  const columns = columnsOf(result)
  const header = [
    w.indicator,
    ...columns,
    ...(withChange ? [`${w.change} ${first}–${last}`, w.relative] : [])
  ]
  const body = table.map((r) => {
    const change = firstToLast(r)
    return [
      clip(r.key === null ? labelOf(r, locale) : `  ${labelOf(r, locale)}`),
      ...r.values.map((v) => Fig.value(r.unit, v, locale)),
      ...(withChange
        ? [Fig.change(r.unit, change.absolute, locale), Fig.relative(change.relative, locale)]
        : [])
    ]
  })
  const tenant = result.manifest.query.tenant
  return [
    result.tenants !== undefined
      ? `${w.indicators} ${first}: ${result.tenants.join(", ")}`
      : `${withChange ? w.comparison : "Trend"} ${result.years.length === 2 || withChange ? result.years.join(", ") : `${first}–${last}`}${tenant === null ? "" : ` — ${tenant}`}`,
    "",
    ...Format.table(header, body),
    "",
    w.noData
  ]
}

/**
 * The trend as CSV (Excel-friendly under `sv`: BOM, `;`, decimal comma; money in kronor).
 *
 * @category encoding
 * @since 0.2.0
 */
export const csv = (result: TrendResult, locale: Format.Locale): string => {
  const sep = separator(locale)
  const q = (v: unknown) => {
    const s = v === null || v === undefined ? "" : String(v)
    return s.includes(sep) || /["\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
  }
  const lines = Object.entries(result.manifest).map(([k, v]) => `# ${k}: ${JSON.stringify(v)}`)
  lines.push(["indicator", "scheme", "key", "label", "unit", ...columnsOf(result)].map(q).join(sep))
  for (const r of rows(result.reports)) {
    lines.push(
      [
        r.indicator,
        r.scheme,
        r.key,
        labelOf(r, locale),
        r.unit === "ore" ? "kronor" : r.unit,
        ...r.values.map((v) => Fig.csvValue(r.unit, v, locale))
      ]
        .map(q)
        .join(sep)
    )
  }
  return csvDocument(lines, locale)
}

/**
 * The trend as JSON: exact values (money in öre), each with its unit and printed form.
 *
 * @category encoding
 * @since 0.2.0
 */
export const json = (result: TrendResult, locale: Format.Locale): string =>
  `${JSON.stringify(
    {
      kind: "trend",
      locale,
      years: result.years,
      ...(result.tenants === undefined ? {} : { tenants: result.tenants }),
      tenant: result.manifest.query.tenant,
      rows: rows(result.reports).map((r) => ({
        ...r,
        formatted: r.values.map((v) => Fig.value(r.unit, v, locale))
      })),
      manifest: result.manifest
    },
    null,
    2
  )}\n`
