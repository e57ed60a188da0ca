/**
 * The HTML report: one self-contained file (inline CSS, inline SVG, no scripts, no network) with a
 * chart wherever a person would rather look than read, each beside the table it was drawn from,
 * then every indicator and the provenance manifest.
 *
 * @since 0.1.0
 */
import { Format as Fig, type Indicator, PerInhabitant, type YearReport } from "@utblick/indicators"
import type { CompareResult, TrendResult, YearResult } from "../Analysis.js"
import type { Locale } from "./Format.js"
import * as Svg from "./Svg.js"
import { comparisonLabel, rowValue } from "./Text.js"
import * as Trend from "./Trend.js"
import * as Words from "./Words.js"

const esc = Svg.esc

type Series = ReadonlyArray<YearReport.YearFigures>

const find = (r: YearReport.YearFigures, id: string): Indicator.IndicatorValue | undefined =>
  r.values.find((v) => v.id === id)

const rowAmount = (r: YearReport.YearFigures, id: string, key: string): number | null => {
  const row = find(r, id)?.breakdown.find((b) => b.key === key)
  return row === undefined ? null : (row.amount ?? row.value)
}

interface Chart {
  readonly svg: string
  readonly table: string
}

const dataTable = (caption: string, input: Svg.ChartInput, locale: Locale): string =>
  `<table><caption>${esc(caption)}</caption><thead><tr><th scope="col">${esc(Words.of(locale).year)}</th>${input.series.map((s) => `<th scope="col">${esc(s.name)}</th>`).join("")}</tr></thead><tbody>${input.categories
    .map(
      (c, i) =>
        `<tr><th scope="row">${esc(c)}</th>${input.series.map((s) => `<td>${s.values[i] === null || s.values[i] === undefined ? Fig.NO_DATA : esc(input.format(s.values[i] as number))}</td>`).join("")}</tr>`
    )
    .join("")}</tbody></table>`

// A chart is drawn when any year has a value (zeros are values; "no data" is not).
const hasData = (input: Svg.ChartInput) => input.series.some((s) => s.values.some((v) => v !== null))

const chart = (input: Svg.ChartInput, kind: "bars" | "lines", locale: Locale): Chart | undefined =>
  hasData(input)
    ? {
        svg: kind === "bars" ? Svg.stackedBars(input) : Svg.lines(input),
        table: dataTable(input.title, input, locale)
      }
    : undefined

const CHART_WORDS = {
  sv: {
    granted: [
      "Beviljade medel per stödform och år",
      "Staplade staplar: beviljade kronor per år som projektstöd, företagsstöd och kommersiell service."
    ],
    priority: [
      "Budgetram per prioritering och år",
      "Staplade staplar: styrelsens budgetram per år, fördelad på strategins prioriteringar."
    ],
    approval: [
      "Andel beviljade ansökningar om företagsstöd",
      "Linje: andelen beslutade ansökningar om företagsstöd som beviljades, per år."
    ],
    approvalSeries: "Andel beviljade",
    leadership: [
      "Ledarskap i stödda företag",
      "Staplade staplar: antal företag som fått företagsstöd, ledda av en kvinna, en man eller delat."
    ],
    relations: [
      "Medlemskap och avtal över tid",
      "Linjer: aktiva medlemskap i internationella organisationer och aktiva avtal (inkl. vänorter) vid varje årsskifte."
    ],
    memberships: "Aktiva medlemskap",
    agreements: "Aktiva avtal",
    trips: [
      "Tjänsteresor per år efter beslut",
      "Staplade staplar: resor som godkändes, ersattes av digitala möten eller avslogs, per år."
    ],
    co2e: [
      "Uppskattad CO2e från tjänsteresor (kg)",
      "Staplar: uppskattade kilo koldioxidekvivalenter från godkända tjänsteresor per år."
    ]
  },
  en: {
    granted: [
      "Granted money by instrument per year",
      "Stacked bars: kronor granted per year as project support, business support and commercial service."
    ],
    priority: [
      "Allocation frame by priority per year",
      "Stacked bars: the board's allocation frame per year, split by strategy priority."
    ],
    approval: [
      "Approval rate of business-support applications",
      "Line: the share of decided business-support applications that were granted, per year."
    ],
    approvalSeries: "Approval rate",
    leadership: [
      "Leadership of supported firms",
      "Stacked bars: number of firms granted business support, led by a woman, a man, or shared."
    ],
    relations: [
      "Memberships and agreements over time",
      "Lines: active memberships in international organisations and active agreements (incl. twin towns) at each year end."
    ],
    memberships: "Active memberships",
    agreements: "Active agreements",
    trips: [
      "Official trips per year by decision",
      "Stacked bars: trips approved, replaced by a digital meeting, or declined, per year."
    ],
    co2e: [
      "Estimated CO2e of official trips (kg)",
      "Bars: estimated kilograms of CO2 equivalent of approved official trips per year."
    ]
  }
} as const

// Active agreements at a year end: the agreements-by-status rows whose status is active.
const activeAgreements = (r: YearReport.YearFigures): number | null => {
  const v = find(r, "agreements-by-status")
  if (v === undefined) return null
  return v.breakdown.filter((b) => b.key.endsWith(":active")).reduce((n, b) => n + (b.value ?? 0), 0)
}

/**
 * The years a series spans, every one of them: the charts' time axis, on which a year without a
 * report is a gap, not a neighbour of the next year with data.
 *
 * @category utils
 * @since 0.2.0
 */
export const timeAxis = (series: Series): ReadonlyArray<number> => {
  if (series.length === 0) return []
  const years = series.map((r) => r.year)
  const lo = Math.min(...years)
  const hi = Math.max(...years)
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i)
}

/**
 * The charts of a series of years (those with no data are left out). The x axis is time: every
 * year from the first to the last has its place; a year with no data is left empty, never drawn
 * as zero, and a line is broken across it.
 *
 * @category utils
 * @since 0.1.0
 */
export const charts = (series: Series, locale: Locale = "sv"): ReadonlyArray<Chart> => {
  const w = CHART_WORDS[locale]
  const axis = timeAxis(series)
  const byYear = new Map(series.map((r) => [r.year, r]))
  const years = axis.map(String)
  const per = (f: (r: YearReport.YearFigures) => number | null) =>
    axis.map((y) => {
      const r = byYear.get(y)
      return r === undefined ? null : f(r)
    })
  const headline = (id: string) => per((r) => find(r, id)?.value ?? null)
  const breakdownSeries = (id: string, include?: ReadonlyArray<string>) => {
    const keys = new Map<string, string>()
    for (const r of series)
      for (const b of find(r, id)?.breakdown ?? [])
        if (!keys.has(b.key)) keys.set(b.key, Words.row(id, b.key, b.label, locale))
    return (
      [...keys]
        // A per-inhabitant row is another unit, not a part of the whole: never a stacked segment.
        .filter(([key]) => key !== PerInhabitant.PER_INHABITANT && key !== PerInhabitant.PER_1000)
        .filter(([key]) => include === undefined || include.includes(key))
        .map(([key, label]) => ({
          name: label,
          values: per((r) => (find(r, id) === undefined ? null : (rowAmount(r, id, key) ?? 0)))
        }))
    )
  }
  const fmt = (unit: Indicator.Unit) => (v: number) => Fig.value(unit, v, locale)
  // mkr or tkr, whichever suits the chart's largest bar.
  const money = (id: string) => {
    const totals = series.map((r) => find(r, id)?.value ?? 0)
    return Fig.moneyScale(Math.max(0, ...totals), locale)
  }
  const candidates: Array<Chart | undefined> = [
    chart(
      {
        id: "granted",
        title: w.granted[0],
        desc: w.granted[1],
        categories: years,
        series: breakdownSeries("granted-by-instrument"),
        format: money("granted-by-instrument")
      },
      "bars",
      locale
    ),
    chart(
      {
        id: "priority",
        title: w.priority[0],
        desc: w.priority[1],
        categories: years,
        series: breakdownSeries("allocation-by-priority"),
        format: money("allocation-by-priority")
      },
      "bars",
      locale
    ),
    chart(
      {
        id: "approval",
        title: w.approval[0],
        desc: w.approval[1],
        categories: years,
        series: [{ name: w.approvalSeries, values: headline("approval-rate") }],
        format: fmt("percent")
      },
      "lines",
      locale
    ),
    chart(
      {
        id: "leadership",
        title: w.leadership[0],
        desc: w.leadership[1],
        categories: years,
        series: breakdownSeries("leadership-shares"),
        format: fmt("count")
      },
      "bars",
      locale
    ),
    chart(
      {
        id: "relations",
        title: w.relations[0],
        desc: w.relations[1],
        categories: years,
        series: [
          { name: w.memberships, values: headline("active-memberships") },
          { name: w.agreements, values: per(activeAgreements) }
        ],
        format: fmt("count")
      },
      "lines",
      locale
    ),
    // Only the decisions, which exclude each other: completed and cancelled trips are approved
    // ones, so stacking them too would count a trip twice.
    chart(
      {
        id: "trips",
        title: w.trips[0],
        desc: w.trips[1],
        categories: years,
        series: breakdownSeries("trips-replaced-by-digital", ["approved", "replaced-by-digital", "declined"]),
        format: fmt("count")
      },
      "bars",
      locale
    ),
    chart(
      {
        id: "co2e",
        title: w.co2e[0],
        desc: w.co2e[1],
        categories: years,
        series: [{ name: "kg CO2e", values: headline("trip-co2e") }],
        format: fmt("kg-co2e"),
        axisFormat: fmt("count")
      },
      "bars",
      locale
    )
  ]
  return candidates.filter((c): c is Chart => c !== undefined)
}

const CSS = `
:root{color-scheme:light}
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1200px;padding:0 1rem;color:#1a1a1a;line-height:1.4}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{margin-top:2rem;border-bottom:2px solid #173f5f}
.meta{color:#444}
figure.chart{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:flex-start;margin:1.5rem 0;page-break-inside:avoid}
figure.chart svg{max-width:100%;height:auto;border:1px solid #ddd;background:#fff}
table{border-collapse:collapse;font-size:.9rem;margin:.5rem 0}
caption{text-align:left;font-weight:600;padding:.2rem 0}
th,td{border:1px solid #bbb;padding:.25rem .5rem}td{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
th[scope=row]{text-align:left;font-weight:normal}th.sub{padding-left:1.5rem}
.legend{color:#444;font-size:.85rem}.wide{overflow-x:auto}
tr.headline th,tr.headline td{font-weight:600;background:#eef3f8}
details{margin:1rem 0}pre{background:#f5f5f5;padding:1rem;overflow:auto;font-size:.8rem}
`

const page = (locale: Locale, title: string, subtitle: string, body: string, manifest: unknown): string => {
  const w = Words.of(locale)
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="utblick">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>${esc(title)}</h1><p class="meta">${esc(subtitle)}</p></header>
<main>
${body}
<p class="legend">${esc(w.noData)}</p>
<h2>${esc(w.provenance)}</h2>
<p>${esc(w.provenanceText)}</p>
<details open><summary>${esc(w.manifest)}</summary><pre id="provenance">${esc(JSON.stringify(manifest, null, 2))}</pre></details>
</main>
</body>
</html>
`
}

const chartsSection = (series: Series, locale: Locale): string => {
  const w = Words.of(locale)
  const cs = charts(series, locale)
  if (cs.length === 0) return `<p>${esc(w.noCharts)}</p>`
  return `<h2>${esc(w.charts)}</h2>${cs.map((c) => `<figure class="chart">${c.svg}<div class="wide">${c.table}</div></figure>`).join("\n")}`
}

const indicatorTable = (r: YearReport.YearFigures, locale: Locale): string => {
  const w = Words.of(locale)
  return `<table><caption>${esc(w.allIndicators)} ${r.year} (${esc(w.asOf)} ${esc(r.asOf)})</caption><thead><tr><th scope="col">${esc(w.indicator)}</th><th scope="col">${r.year}</th></tr></thead><tbody>${r.values
    .map(
      (v) =>
        `<tr class="headline"><th scope="row">${esc(Words.title(v, locale))}${v.scheme === undefined ? "" : ` <small>[${esc(v.scheme)}]</small>`}</th><td>${esc(Fig.value(v.unit, v.value, locale))}</td></tr>${v.breakdown
          .map(
            (b) =>
              `<tr><th scope="row" class="sub">${esc(Words.row(v.id, b.key, b.label, locale))}</th><td>${esc(rowValue(v, b, locale))}</td></tr>`
          )
          .join("")}`
    )
    .join("")}</tbody></table>`
}

const subtitleOf = (
  locale: Locale,
  tenant: string | null | undefined,
  manifest: YearResult["manifest"],
  extra: string
): string => {
  const w = Words.of(locale)
  // A report narrowed to some grants says so where the reader looks first.
  const g = manifest.query.grants
  const filter =
    g === undefined
      ? ""
      : ` · ${locale === "sv" ? "Urval" : "Filter"}: ${Object.entries(g)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => `${k} = ${String(v)}`)
          .join(", ")}`
  return `${tenant ?? w.allTenants}${extra}${filter} · ${w.log} ${Fig.value("count", manifest.log.size, locale)} ${w.events}, ${w.head} ${manifest.log.headHash?.slice(0, 16) ?? Fig.NO_DATA}…`
}

/**
 * The HTML of a one-year report, in Swedish by default.
 *
 * @category indicators
 * @since 0.1.0
 */
export const report = (result: YearResult, locale: Locale = "sv"): string => {
  const w = Words.of(locale)
  const r = result.report
  const extra = ` · ${w.asOf} ${r.asOf}${r.knownAt === null ? "" : ` · ${w.knownAt} ${r.knownAt}`}`
  return page(
    locale,
    `${w.reportTitle} ${r.year}`,
    subtitleOf(locale, r.tenant, result.manifest, extra),
    `${chartsSection(result.series, locale)}<h2>${esc(w.indicators)}</h2>${indicatorTable(r, locale)}`,
    result.manifest
  )
}

const notComparableList = (c: CompareResult["comparison"], locale: Locale): string =>
  c.notComparable.length === 0
    ? ""
    : `<h3>${esc(Words.of(locale).notComparable)}</h3><ul class="not-comparable">${c.notComparable
        .map(
          (n) =>
            `<li>${esc(n.indicator)}${n.scheme === null ? "" : ` [${esc(n.scheme)}]`} ${n.year}: ${esc(n.reason)}</li>`
        )
        .join("")}</ul>`

/**
 * The HTML of a two-year comparison, in Swedish by default.
 *
 * @category indicators
 * @since 0.1.0
 */
export const comparison = (result: CompareResult, locale: Locale = "sv"): string => {
  const w = Words.of(locale)
  const [a, b] = result.comparison.years
  const rows = result.comparison.rows
    .map(
      (r) =>
        `<tr${r.key === null ? ' class="headline"' : ""}><th scope="row"${r.key === null ? "" : ' class="sub"'}>${esc(comparisonLabel(r, locale))}</th><td>${esc(Fig.value(r.unit, r.a, locale))}</td><td>${esc(Fig.value(r.unit, r.b, locale))}</td><td>${esc(Fig.change(r.unit, r.absoluteChange, locale))}</td><td>${esc(Fig.relative(r.relativeChange, locale))}</td></tr>`
    )
    .join("")
  const mappings =
    result.comparison.mappings.length === 0
      ? ""
      : `<h3>${esc(w.mappingsUsed)}</h3><ul>${result.comparison.mappings.map((m) => `<li>${esc(m.indicator)}: ${esc(m.fromScheme)} → ${esc(m.toScheme)} (${esc(m.mappingId)})${m.unmapped.length > 0 ? `; ${esc(w.unmapped)}: ${esc(m.unmapped.join(", "))}` : ""}</li>`).join("")}</ul>`
  const body = `${chartsSection(result.series, locale)}<h2>${esc(w.comparison)} ${a} → ${b}</h2><table><caption>${esc(w.indicators)} ${a} ${locale === "sv" ? "och" : "and"} ${b} ${esc(w.sideBySide)}</caption><thead><tr><th scope="col">${esc(w.indicator)}</th><th scope="col">${a}</th><th scope="col">${b}</th><th scope="col">${esc(w.change)}</th><th scope="col">${esc(w.relative)}</th></tr></thead><tbody>${rows}</tbody></table>${mappings}${notComparableList(result.comparison, locale)}`
  return page(
    locale,
    `${w.comparisonTitle} ${a}–${b}`,
    subtitleOf(locale, result.manifest.query.tenant, result.manifest, ""),
    body,
    result.manifest
  )
}

/**
 * The HTML of a trend over many years (or a comparison of more than two years, `withChange`):
 * the charts on a true time axis, then every indicator per year.
 *
 * @category indicators
 * @since 0.2.0
 */
export const trend = (result: TrendResult, locale: Locale = "sv", withChange = false): string => {
  const w = Words.of(locale)
  const first = result.years[0]
  const last = result.years[result.years.length - 1]
  const head = `<tr><th scope="col">${esc(w.indicator)}</th>${Trend.columnsOf(result)
    .map((y) => `<th scope="col">${esc(y)}</th>`)
    .join(
      ""
    )}${withChange ? `<th scope="col">${esc(w.change)} ${first}–${last}</th><th scope="col">${esc(w.relative)}</th>` : ""}</tr>`
  const body = Trend.rows(result.reports)
    .map((r) => {
      const change = Trend.firstToLast(r)
      return `<tr${r.key === null ? ' class="headline"' : ""}><th scope="row"${r.key === null ? "" : ' class="sub"'}>${esc(Trend.labelOf(r, locale))}</th>${r.values.map((v) => `<td>${esc(Fig.value(r.unit, v, locale))}</td>`).join("")}${withChange ? `<td>${esc(Fig.change(r.unit, change.absolute, locale))}</td><td>${esc(Fig.relative(change.relative, locale))}</td>` : ""}</tr>`
    })
    .join("")
  const title =
    result.tenants !== undefined
      ? `${w.reportTitle} ${first}: ${result.tenants.join(", ")}`
      : `${withChange ? w.comparisonTitle : w.trendTitle} ${withChange ? result.years.join(", ") : `${first}–${last}`}`
  const table = `<div class="wide"><table><caption>${esc(w.indicators)} ${esc(Trend.columnsOf(result).join(", "))}</caption><thead>${head}</thead><tbody>${body}</tbody></table></div>`
  return page(
    locale,
    title,
    subtitleOf(locale, result.manifest.query.tenant, result.manifest, ""),
    `${result.tenants === undefined ? chartsSection(result.reports, locale) : ""}<h2>${esc(w.indicators)}</h2>${table}`,
    result.manifest
  )
}
