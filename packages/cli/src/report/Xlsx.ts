/**
 * The Excel workbook of a report, comparison, trend or tenants side by side (`--format xlsx`):
 * one sheet per indicator — its headline and breakdown rows, a column per year (or tenant), the
 * change from the first to the last column where there is one — and the provenance manifest on
 * a sheet of its own.
 *
 * Figures are numbers with a number format, never text, so Excel can sum and chart them: money in
 * kronor (`# ##0 kr`), percentages as fractions with a percent format (81,7 % is 0.817), ratios
 * with two decimals, counts whole, CO2e in kg. No data is an empty cell, never 0. Excel shows the
 * decimal and thousands separators of the reader's own settings (Swedish: "81,7 %").
 *
 * Written with `exceljs`, loaded only when a workbook is asked for (it is large; every other
 * command starts without it).
 *
 * @since 0.2.0
 */
import { Format as Fig, Indicator } from "@utblick/indicators"
import type { CompareResult, TrendResult, YearResult } from "../Analysis.js"
import type { Locale } from "./Format.js"
import type * as Rank from "./Rank.js"
import * as Trend from "./Trend.js"
import * as Words from "./Words.js"

/** One row of a sheet: a label, its unit and one value per column. */
interface SheetRow {
  readonly key: string | null
  readonly label: string
  readonly unit: Indicator.Unit
  readonly values: ReadonlyArray<number | null>
  readonly change?: { readonly absolute: number | null; readonly relative: number | null }
}

interface Sheet {
  readonly indicator: string
  readonly scheme: string | null
  readonly title: string
  readonly rows: ReadonlyArray<SheetRow>
}

/**
 * The Excel number format of a unit (format codes use `,` for thousands and `.` for decimals;
 * Excel shows them in the reader's locale).
 *
 * @category formatting
 * @since 0.2.0
 */
export const numberFormat = (unit: Indicator.Unit, v: number, locale: Locale): string => {
  switch (unit) {
    case "ore":
      return locale === "sv" ? '#,##0 "kr"' : '"SEK "#,##0'
    case "percent":
      return "0.0%"
    case "whole-percent":
      return "0%"
    case "ratio":
      return "0.00"
    case "kg-co2e":
      return Number.isInteger(v) ? '#,##0 "kg CO2e"' : '#,##0.0 "kg CO2e"'
    case "count":
    case "jobs":
      return Number.isInteger(v) ? "#,##0" : "#,##0.0"
  }
}

/**
 * The number a cell holds for a value in its unit: kronor for öre (exact to the öre), a fraction
 * for a percentage, the value otherwise.
 *
 * @category utils
 * @since 0.2.0
 */
export const cellValue = (unit: Indicator.Unit, v: number): number =>
  unit === "ore" ? v / 100 : Indicator.isPercent(unit) ? Number((v / 100).toPrecision(12)) : v

const rowsOfTrend = (result: TrendResult, withChange: boolean, locale: Locale): ReadonlyArray<Sheet> => {
  const sheets = new Map<
    string,
    { indicator: string; scheme: string | null; title: string; rows: Array<SheetRow> }
  >()
  for (const r of Trend.rows(result.reports)) {
    const id = `${r.indicator}|${r.scheme ?? ""}`
    const label = Trend.labelOf(r, locale)
    let sheet = sheets.get(id)
    if (sheet === undefined) {
      sheet = { indicator: r.indicator, scheme: r.scheme, title: label, rows: [] }
      sheets.set(id, sheet)
    }
    sheet.rows.push({
      key: r.key,
      label,
      unit: r.unit,
      values: r.values,
      ...(withChange ? { change: Trend.firstToLast(r) } : {})
    })
  }
  return [...sheets.values()]
}

const rowsOfComparison = (result: CompareResult, locale: Locale): ReadonlyArray<Sheet> => {
  const sheets = new Map<
    string,
    { indicator: string; scheme: string | null; title: string; rows: Array<SheetRow> }
  >()
  let current: { indicator: string; scheme: string | null; title: string; rows: Array<SheetRow> } | undefined
  for (const r of result.comparison.rows) {
    const label =
      r.key === null
        ? locale === "sv"
          ? r.label.replace(r.title, r.titleSv)
          : r.label
        : Words.row(r.indicator, r.key, r.label, locale)
    if (r.key === null || current === undefined) {
      current = { indicator: r.indicator, scheme: null, title: label, rows: [] }
      sheets.set(`${r.indicator}|${sheets.size}`, current)
    }
    current.rows.push({
      key: r.key,
      label,
      unit: r.unit,
      values: [r.a, r.b],
      change: { absolute: r.absoluteChange, relative: r.relativeChange }
    })
  }
  return [...sheets.values()]
}

// Excel sheet names: at most 31 characters, none of : \ / ? * [ ], unique (case-insensitively).
const sheetName = (wanted: string, taken: Set<string>): string => {
  const clean = wanted.replace(/[:\\/?*[\]]/g, "-")
  for (let i = 1; ; i++) {
    const suffix = i === 1 ? "" : ` (${i})`
    const name = `${clean.slice(0, 31 - suffix.length)}${suffix}`
    if (!taken.has(name.toLowerCase())) {
      taken.add(name.toLowerCase())
      return name
    }
  }
}

const words = {
  sv: {
    manifest: "Ursprung",
    field: "Fält",
    value: "Värde",
    unit: "Enhet",
    key: "Nyckel",
    noData: "Tom cell = uppgift saknas; 0 = noll"
  },
  en: {
    manifest: "Provenance",
    field: "Field",
    value: "Value",
    unit: "Unit",
    key: "Key",
    noData: "Empty cell = no data; 0 = zero"
  }
} as const

/**
 * The workbook of a result, as the bytes of an `.xlsx` file.
 *
 * @category utils
 * @since 0.2.0
 */
export const workbook = async (
  result: YearResult | CompareResult | TrendResult,
  locale: Locale,
  withChange = false
): Promise<Uint8Array> => {
  const { default: ExcelJS } = await import("exceljs")
  const w = Words.of(locale)
  const own = words[locale]
  const columns =
    result.kind === "report"
      ? [String(result.report.year)]
      : result.kind === "compare"
        ? result.comparison.years.map(String)
        : Trend.columnsOf(result)
  const changeColumns = result.kind === "compare" || withChange
  const sheets =
    result.kind === "report"
      ? rowsOfTrend(
          { kind: "trend", years: [result.report.year], reports: [result.report], manifest: result.manifest },
          false,
          locale
        )
      : result.kind === "compare"
        ? rowsOfComparison(result, locale)
        : rowsOfTrend(result, withChange, locale)
  const book = new ExcelJS.Workbook()
  book.creator = "utblick"
  const taken = new Set<string>()
  for (const sheet of sheets) {
    const ws = book.addWorksheet(
      sheetName(sheet.scheme === null ? sheet.indicator : `${sheet.indicator} ${sheet.scheme}`, taken)
    )
    ws.addRow([sheet.title]).font = { bold: true, size: 13 }
    ws.addRow([])
    const header = ws.addRow([
      w.indicator,
      own.key,
      own.unit,
      ...columns,
      ...(changeColumns ? [w.change, w.relative] : [])
    ])
    header.font = { bold: true }
    for (const r of sheet.rows) {
      const row = ws.addRow([
        r.key === null ? r.label : `  ${r.label}`,
        r.key ?? "",
        Fig.unitLabel(r.unit, locale),
        ...r.values.map((v) => (v === null ? null : cellValue(r.unit, v))),
        ...(changeColumns
          ? [
              r.change?.absolute == null
                ? null
                : Indicator.isPercent(r.unit)
                  ? r.change.absolute
                  : cellValue(r.unit, r.change.absolute),
              r.change?.relative == null ? null : Number((r.change.relative / 100).toPrecision(12))
            ]
          : [])
      ])
      if (r.key === null) row.font = { bold: true }
      r.values.forEach((v, i) => {
        if (v !== null) row.getCell(4 + i).numFmt = numberFormat(r.unit, v, locale)
      })
      if (changeColumns) {
        const abs = r.change?.absolute
        // A change of a percentage is in percentage points, not a percentage of it.
        if (abs != null)
          row.getCell(4 + columns.length).numFmt =
            Indicator.isPercent(r.unit)
              ? `+0.0" ${locale === "sv" ? "p.e." : "pp"}";-0.0" ${locale === "sv" ? "p.e." : "pp"}";0.0`
              : `+${numberFormat(r.unit, abs, locale)};-${numberFormat(r.unit, abs, locale)};${numberFormat(r.unit, abs, locale)}`
        if (r.change?.relative != null) row.getCell(5 + columns.length).numFmt = "+0.0%;-0.0%;0.0%"
      }
    }
    ws.addRow([])
    ws.addRow([own.noData]).font = { italic: true }
    ws.getColumn(1).width = Math.min(70, Math.max(20, ...sheet.rows.map((r) => r.label.length + 2)))
    ws.getColumn(2).width = 18
    ws.getColumn(3).width = 10
    for (let i = 0; i < columns.length + (changeColumns ? 2 : 0); i++) ws.getColumn(4 + i).width = 16
    ws.views = [{ state: "frozen", xSplit: 1, ySplit: 3 }]
  }
  const manifest = book.addWorksheet(sheetName(own.manifest, taken))
  manifest.addRow([w.provenance]).font = { bold: true, size: 13 }
  manifest.addRow([w.provenanceText])
  manifest.addRow([])
  manifest.addRow([own.field, own.value]).font = { bold: true }
  for (const [k, v] of Object.entries(result.manifest)) manifest.addRow([k, JSON.stringify(v)])
  manifest.getColumn(1).width = 16
  manifest.getColumn(2).width = 120
  return new Uint8Array(await book.xlsx.writeBuffer())
}

/**
 * The workbook of a ranking: one sheet with rank, tenant, the figure ranked by and the
 * headline (numbers with number formats; no rank and an empty cell where there is no figure),
 * and the manifest on its own sheet.
 *
 * @category indicators
 * @since 0.2.0
 */
export const rankingWorkbook = async (
  r: Rank.Ranking,
  locale: Locale,
  manifest: object
): Promise<Uint8Array> => {
  const { default: ExcelJS } = await import("exceljs")
  const own = words[locale]
  const book = new ExcelJS.Workbook()
  book.creator = "utblick"
  const taken = new Set<string>()
  const ws = book.addWorksheet(sheetName(r.by.indicator, taken))
  const title = locale === "sv" ? r.titleSv : r.title
  const ranked =
    r.rowKey === null
      ? title
      : `${title}: ${Words.row(r.by.indicator, r.rowKey, r.rowLabel ?? r.rowKey, locale)}`
  ws.addRow([`${locale === "sv" ? "Rangordning" : "Ranking"} ${r.year} — ${ranked}`]).font = {
    bold: true,
    size: 13
  }
  ws.addRow([])
  ws.addRow([
    locale === "sv" ? "Rang" : "Rank",
    locale === "sv" ? "Huvudman" : "Tenant",
    ranked,
    title
  ]).font = { bold: true }
  for (const e of r.entries) {
    const row = ws.addRow([
      e.rank,
      e.tenant,
      e.value === null ? null : cellValue(e.unit, e.value),
      e.headline === null || e.headlineUnit === null ? null : cellValue(e.headlineUnit, e.headline)
    ])
    if (e.value !== null) row.getCell(3).numFmt = numberFormat(e.unit, e.value, locale)
    if (e.headline !== null && e.headlineUnit !== null)
      row.getCell(4).numFmt = numberFormat(e.headlineUnit, e.headline, locale)
  }
  ws.addRow([])
  ws.addRow([own.noData]).font = { italic: true }
  ws.getColumn(2).width = 24
  ws.getColumn(3).width = 24
  ws.getColumn(4).width = 24
  const m = book.addWorksheet(sheetName(own.manifest, taken))
  m.addRow([own.field, own.value]).font = { bold: true }
  for (const [k, v] of Object.entries(manifest)) m.addRow([k, JSON.stringify(v)])
  m.getColumn(1).width = 16
  m.getColumn(2).width = 120
  return new Uint8Array(await book.xlsx.writeBuffer())
}
