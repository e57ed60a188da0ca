/**
 * A ranking view across tenants (what Kolada calls *rangordning*): one indicator for one year,
 * tenants ordered by it, largest first (or smallest with `ascending`), optionally per inhabitant.
 *
 * Ties share a rank and the next rank skips (1, 2, 2, 4: standard competition ranking, as in
 * sports tables and Kolada). A tenant whose figure is missing — the indicator has no value that
 * year, or no population is recorded for a per-inhabitant ranking — is listed after the ranked
 * ones with no rank and "–": no data is never ranked as zero.
 *
 * @since 0.2.0
 */
import { Format as Fig, type Indicator, PerInhabitant, type YearReport } from "@utblick/indicators"
import type { TrendResult } from "../Analysis.js"
import * as Format from "./Format.js"
import { csvDocument, separator } from "./Tabular.js"
import * as Words from "./Words.js"

/**
 * What to rank by.
 *
 * @category models
 * @since 0.2.0
 */
export interface By {
  readonly indicator: string
  /** A breakdown row of the indicator instead of its headline. */
  readonly row?: string | undefined
  /** The indicator's scheme, for indicators given per classification scheme. */
  readonly scheme?: string | undefined
  /** Rank by the per-inhabitant row (kr per invånare, per 1 000 invånare). */
  readonly perInhabitant: boolean
  /** Smallest first (e.g. CO2e); the default is largest first. */
  readonly ascending: boolean
}

/**
 * One line of a ranking.
 *
 * @category models
 * @since 0.2.0
 */
export interface Entry {
  /** `null` when the tenant has no figure (listed last, unranked). */
  readonly rank: number | null
  readonly tenant: string
  /** The figure ranked by, in `unit`. */
  readonly value: number | null
  readonly unit: Indicator.Unit
  /** The indicator's headline that year (the amount behind a per-inhabitant figure). */
  readonly headline: number | null
  readonly headlineUnit: Indicator.Unit | null
  /** Why there is no figure, when there is none. */
  readonly missing: "no-value" | "no-population" | null
}

/**
 * A computed ranking.
 *
 * @category models
 * @since 0.2.0
 */
export interface Ranking {
  readonly year: number
  readonly by: By
  /** The indicator's title, English and Swedish, and the ranked row's key. */
  readonly title: string
  readonly titleSv: string
  readonly rowKey: string | null
  readonly rowLabel: string | null
  readonly entries: ReadonlyArray<Entry>
}

const pick = (r: YearReport.YearFigures, by: By) =>
  r.values.find((v) => v.id === by.indicator && (by.scheme === undefined || v.scheme === by.scheme))

/**
 * Ranks the tenants of a side-by-side result (one report per tenant, same year).
 *
 * @category indicators
 * @since 0.2.0
 */
export const rank = (result: TrendResult, by: By): Ranking => {
  const picked = (result.tenants ?? []).map((tenant, i) => {
    const report = result.reports[i]
    return { tenant, v: report === undefined ? undefined : pick(report, by) }
  })
  const first = picked.find((p) => p.v !== undefined)?.v
  // The row ranked by: the per-inhabitant row of the indicator's unit, a named row, or none (the headline).
  const rowKey = by.perInhabitant
    ? first === undefined
      ? null
      : (PerInhabitant.row(first, 1)?.key ?? null)
    : (by.row ?? null)
  const rowOf = (v: Indicator.IndicatorValue) =>
    rowKey === null ? undefined : v.breakdown.find((b) => b.key === rowKey)
  const labelled = picked.flatMap((p) => (p.v === undefined ? [] : [rowOf(p.v)])).find((r) => r !== undefined)
  const unit: Indicator.Unit =
    first === undefined
      ? "count"
      : rowKey === null
        ? first.unit
        : (labelled?.unit ?? (by.perInhabitant ? (first.unit === "ore" ? "ore" : "ratio") : first.unit))
  const raw = picked.map(({ tenant, v }) => {
    const value = v === undefined ? null : rowKey === null ? v.value : (rowOf(v)?.value ?? null)
    const missing: Entry["missing"] =
      value !== null
        ? null
        : by.perInhabitant && v !== undefined && v.value !== null
          ? "no-population"
          : "no-value"
    return { tenant, value, unit, headline: v?.value ?? null, headlineUnit: v?.unit ?? null, missing }
  })
  const byTenant = (a: { tenant: string }, b: { tenant: string }) => (a.tenant < b.tenant ? -1 : 1)
  const ranked = raw
    .filter((e) => e.value !== null)
    .sort((a, b) => (by.ascending ? 1 : -1) * ((a.value as number) - (b.value as number)) || byTenant(a, b))
  const entries: Array<Entry> = []
  ranked.forEach((e, i) => {
    const previous = entries[i - 1]
    // Standard competition ranking: a tie shares the rank, the next rank skips.
    entries.push({ ...e, rank: previous !== undefined && previous.value === e.value ? previous.rank : i + 1 })
  })
  for (const e of raw.filter((x) => x.value === null).sort(byTenant)) entries.push({ ...e, rank: null })
  return {
    year: result.years[0] ?? 0,
    by,
    title: first?.title ?? by.indicator,
    titleSv: first?.titleSv ?? by.indicator,
    rowKey,
    rowLabel: labelled?.label ?? null,
    entries
  }
}

const words = {
  sv: {
    rank: "Rang",
    tenant: "Huvudman",
    ranking: "Rangordning",
    missingValue: "inget värde",
    missingPopulation: "folkmängd saknas",
    ascending: "minst först",
    descending: "störst först"
  },
  en: {
    rank: "Rank",
    tenant: "Tenant",
    ranking: "Ranking",
    missingValue: "no value",
    missingPopulation: "no population recorded",
    ascending: "smallest first",
    descending: "largest first"
  }
} as const

const rankedLabel = (r: Ranking, locale: Format.Locale): string => {
  const title = locale === "sv" ? r.titleSv : r.title
  if (r.rowKey === null) return title
  return `${title}: ${Words.row(r.by.indicator, r.rowKey, r.rowLabel ?? r.rowKey, locale).toLowerCase()}`
}

/**
 * The ranking as an aligned table for the terminal.
 *
 * @category formatting
 * @since 0.2.0
 */
export const text = (r: Ranking, locale: Format.Locale): ReadonlyArray<string> => {
  const w = words[locale]
  const label = rankedLabel(r, locale)
  const withHeadline = r.rowKey !== null
  const headlineTitle = locale === "sv" ? r.titleSv : r.title
  const header = [w.rank, w.tenant, label, ...(withHeadline ? [headlineTitle] : [])]
  const rows = r.entries.map((e) => [
    e.rank === null ? Fig.NO_DATA : String(e.rank),
    e.tenant,
    e.value === null
      ? `${Fig.NO_DATA} (${e.missing === "no-population" ? w.missingPopulation : w.missingValue})`
      : Fig.value(e.unit, e.value, locale),
    ...(withHeadline
      ? [e.headlineUnit === null ? Fig.NO_DATA : Fig.value(e.headlineUnit, e.headline, locale)]
      : [])
  ])
  return [
    `${w.ranking} ${r.year} — ${label} (${r.by.ascending ? w.ascending : w.descending})`,
    "",
    ...Format.table(header, rows),
    "",
    Words.of(locale).noData
  ]
}

/**
 * The ranking as CSV (sv: `;`, decimal comma and a BOM; en: RFC 4180), money in kronor.
 *
 * @category encoding
 * @since 0.2.0
 */
export const csv = (r: Ranking, locale: Format.Locale): string => {
  const sep = separator(locale)
  const q = (s: string) => (s.includes(sep) || /["\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)
  const unitName = (u: Indicator.Unit | null) => (u === null ? "" : u === "ore" ? "kronor" : u)
  const lines = [
    ["rank", "tenant", "indicator", "key", "value", "unit", "headline", "headline_unit", "missing"].join(sep),
    ...r.entries.map((e) =>
      [
        e.rank === null ? "" : String(e.rank),
        e.tenant,
        r.by.indicator,
        r.rowKey ?? "",
        Fig.csvValue(e.unit, e.value, locale),
        unitName(e.unit),
        e.headlineUnit === null ? "" : Fig.csvValue(e.headlineUnit, e.headline, locale),
        unitName(e.headlineUnit),
        e.missing ?? ""
      ]
        .map(q)
        .join(sep)
    )
  ]
  return csvDocument(lines, locale)
}

/**
 * The ranking as JSON: exact values (money in öre) with each figure as printed.
 *
 * @category encoding
 * @since 0.2.0
 */
export const json = (r: Ranking, locale: Format.Locale, manifest: object): string =>
  `${JSON.stringify(
    {
      kind: "rank",
      year: r.year,
      indicator: r.by.indicator,
      key: r.rowKey,
      perInhabitant: r.by.perInhabitant,
      order: r.by.ascending ? "ascending" : "descending",
      entries: r.entries.map((e) => ({ ...e, formatted: Fig.value(e.unit, e.value, locale) })),
      manifest
    },
    null,
    2
  )}\n`
