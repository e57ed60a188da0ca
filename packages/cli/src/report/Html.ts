/**
 * The HTML report: one self-contained file (inline CSS, inline SVG, no scripts, no network) with a
 * chart wherever a person would rather look than read, each beside the table it was drawn from,
 * then every indicator and the provenance manifest.
 *
 * @since 0.1.0
 */
import type { Indicator, YearReport } from "@utblick/indicators"
import type { CompareResult, YearResult } from "../Analysis.js"
import * as Format from "./Format.js"
import * as Svg from "./Svg.js"
import { rowValue } from "./Text.js"

const esc = Svg.esc

type Series = ReadonlyArray<YearReport.YearIndicators>

const find = (r: YearReport.YearIndicators, id: string): Indicator.IndicatorValue | undefined =>
  r.values.find((v) => v.id === id)

const rowAmount = (r: YearReport.YearIndicators, id: string, key: string): number | null => {
  const row = find(r, id)?.breakdown.find((b) => b.key === key)
  return row === undefined ? null : (row.amount ?? row.value)
}

interface Chart {
  readonly svg: string
  readonly table: string
}

const dataTable = (caption: string, input: Svg.ChartInput): string =>
  `<table><caption>${esc(caption)}</caption><thead><tr><th scope="col">Year</th>${input.series.map((s) => `<th scope="col">${esc(s.name)}</th>`).join("")}</tr></thead><tbody>${input.categories
    .map(
      (c, i) =>
        `<tr><th scope="row">${esc(c)}</th>${input.series.map((s) => `<td>${s.values[i] === null || s.values[i] === undefined ? "–" : esc(input.format(s.values[i] as number))}</td>`).join("")}</tr>`
    )
    .join("")}</tbody></table>`

const hasData = (input: Svg.ChartInput) => input.series.some((s) => s.values.some((v) => v !== null && v !== 0))

const chart = (input: Svg.ChartInput, kind: "bars" | "lines"): Chart | undefined =>
  hasData(input)
    ? { svg: kind === "bars" ? Svg.stackedBars(input) : Svg.lines(input), table: dataTable(input.title, input) }
    : undefined

// Breakdown keys of an indicator across the series, in first-seen order, with labels.
const keysOf = (series: Series, id: string) => {
  const keys = new Map<string, string>()
  for (const r of series) for (const b of find(r, id)?.breakdown ?? []) if (!keys.has(b.key)) keys.set(b.key, b.label)
  return [...keys]
}

const breakdownSeries = (series: Series, id: string, exclude: ReadonlyArray<string> = []) =>
  keysOf(series, id)
    .filter(([key]) => !exclude.includes(key))
    .map(([key, label]) => ({ name: label, values: series.map((r) => rowAmount(r, id, key)) }))

/**
 * The charts of a series of years (those with no data are left out).
 *
 * @category constructors
 * @since 0.1.0
 */
export const charts = (series: Series): ReadonlyArray<Chart> => {
  const years = series.map((r) => String(r.year))
  const headline = (id: string) => series.map((r) => find(r, id)?.value ?? null)
  const candidates: Array<Chart | undefined> = [
    chart(
      {
        id: "granted",
        title: "Granted money by instrument per year",
        desc: "Stacked bars: kronor granted per year as project support, business support and commercial service.",
        categories: years,
        series: breakdownSeries(series, "granted-by-instrument"),
        format: Format.mkr
      },
      "bars"
    ),
    chart(
      {
        id: "priority",
        title: "Allocation frame by priority per year",
        desc: "Stacked bars: the board's allocation frame per year, split by strategy priority.",
        categories: years,
        series: breakdownSeries(series, "allocation-by-priority"),
        format: Format.mkr
      },
      "bars"
    ),
    chart(
      {
        id: "approval",
        title: "Approval rate of business-support applications",
        desc: "Line: the share of decided business-support applications that were granted, per year.",
        categories: years,
        series: [{ name: "Approval rate", values: headline("approval-rate") }],
        format: (v) => Format.value("percent", v)
      },
      "lines"
    ),
    chart(
      {
        id: "leadership",
        title: "Leadership of supported firms",
        desc: "Stacked bars: number of firms granted business support, led by a woman, a man, or shared.",
        categories: years,
        series: breakdownSeries(series, "leadership-shares"),
        format: (v) => Format.value("count", v)
      },
      "bars"
    ),
    chart(
      {
        id: "relations",
        title: "Memberships and agreements over time",
        desc: "Lines: active memberships in international organisations and agreements (incl. twin towns) at each year end.",
        categories: years,
        series: [
          { name: "Active memberships", values: headline("active-memberships") },
          { name: "Agreements", values: headline("agreements-by-status") }
        ],
        format: (v) => Format.value("count", v)
      },
      "lines"
    ),
    chart(
      {
        id: "trips",
        title: "Official trips per year",
        desc: "Stacked bars: trips approved, replaced by a digital meeting, or declined, per year.",
        categories: years,
        series: breakdownSeries(series, "trips-replaced-by-digital", ["proposed"]).filter((s) => !/rate|share|%/i.test(s.name)),
        format: (v) => Format.value("count", v)
      },
      "bars"
    ),
    chart(
      {
        id: "co2e",
        title: "Estimated CO2e of official trips (kg)",
        desc: "Bars: estimated kilograms of CO2 equivalent of approved official trips per year.",
        categories: years,
        series: [{ name: "kg CO2e", values: headline("trip-co2e") }],
        format: (v) => Format.value("kg-co2e", v)
      },
      "bars"
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
th,td{border:1px solid #bbb;padding:.25rem .5rem}td{text-align:right;font-variant-numeric:tabular-nums}
th[scope=row]{text-align:left;font-weight:normal}
tr.headline th,tr.headline td{font-weight:600;background:#eef3f8}
details{margin:1rem 0}pre{background:#f5f5f5;padding:1rem;overflow:auto;font-size:.8rem}
`

const page = (title: string, subtitle: string, body: string, manifest: unknown): string =>
  `<!doctype html>
<html lang="en">
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
<h2>Provenance</h2>
<p>Computed from the log below; anyone holding it can recompute these figures with <code>utblick</code> and check the Merkle root against a signed checkpoint.</p>
<details open><summary>Provenance manifest (JSON)</summary><pre id="provenance">${esc(JSON.stringify(manifest, null, 2))}</pre></details>
</main>
</body>
</html>
`

const chartsSection = (series: Series): string => {
  const cs = charts(series)
  if (cs.length === 0) return "<p>No chartable data for these years.</p>"
  return `<h2>Charts</h2>${cs.map((c) => `<figure class="chart">${c.svg}${c.table}</figure>`).join("\n")}`
}

const indicatorTable = (r: YearReport.YearIndicators): string =>
  `<table><caption>All indicators ${r.year} (as of ${esc(r.asOf)})</caption><thead><tr><th scope="col">Indicator</th><th scope="col">${r.year}</th></tr></thead><tbody>${r.values
    .map(
      (v) =>
        `<tr class="headline"><th scope="row">${esc(v.title)}${v.scheme === undefined ? "" : ` <small>[${esc(v.scheme)}]</small>`}</th><td>${esc(Format.value(v.unit, v.value))}</td></tr>${v.breakdown
          .map((b) => `<tr><th scope="row">&nbsp;&nbsp;${esc(b.label)}</th><td>${esc(rowValue(v, b))}</td></tr>`)
          .join("")}`
    )
    .join("")}</tbody></table>`

/**
 * The HTML of a one-year report.
 *
 * @category constructors
 * @since 0.1.0
 */
export const report = (result: YearResult): string => {
  const r = result.report
  const subtitle = `${r.tenant ?? "All tenants"} · as of ${r.asOf}${r.knownAt === null ? "" : ` · as known at ${r.knownAt}`} · log ${result.manifest.log.size} events, head ${result.manifest.log.headHash?.slice(0, 16) ?? "–"}…`
  return page(`Utblick indicators ${r.year}`, subtitle, `${chartsSection(result.series)}<h2>Indicators</h2>${indicatorTable(r)}`, result.manifest)
}

/**
 * The HTML of a two-year comparison.
 *
 * @category constructors
 * @since 0.1.0
 */
export const comparison = (result: CompareResult): string => {
  const [a, b] = result.comparison.years
  const rows = result.comparison.rows
    .map(
      (r) =>
        `<tr${r.key === null ? ' class="headline"' : ""}><th scope="row">${r.key === null ? "" : "&nbsp;&nbsp;"}${esc(r.label)}</th><td>${esc(Format.value(r.unit, r.a))}</td><td>${esc(Format.value(r.unit, r.b))}</td><td>${esc(Format.change(r.unit, r.absoluteChange))}</td><td>${r.relativeChange === null ? "–" : esc(`${r.relativeChange} %`)}</td></tr>`
    )
    .join("")
  const mappings =
    result.comparison.mappings.length === 0
      ? ""
      : `<h3>Classification mappings used</h3><ul>${result.comparison.mappings.map((m) => `<li>${esc(m.indicator)}: ${esc(m.fromScheme)} → ${esc(m.toScheme)} (${esc(m.mappingId)})${m.unmapped.length > 0 ? `; unmapped: ${esc(m.unmapped.join(", "))}` : ""}</li>`).join("")}</ul>`
  const tenant = result.manifest.query.tenant ?? "All tenants"
  const body = `${chartsSection(result.series)}<h2>Comparison ${a} → ${b}</h2><table><caption>Indicators ${a} and ${b} side by side</caption><thead><tr><th scope="col">Indicator</th><th scope="col">${a}</th><th scope="col">${b}</th><th scope="col">Change</th><th scope="col">Relative</th></tr></thead><tbody>${rows}</tbody></table>${mappings}`
  return page(`Utblick comparison ${a} – ${b}`, `${tenant} · log ${result.manifest.log.size} events`, body, result.manifest)
}
