/**
 * Inline SVG charts, generated as strings: no library at view time, no network. Every chart has a
 * `<title>` and `<desc>`, and its series differ in lightness and in fill pattern or marker shape,
 * so they survive greyscale printing; values are written on the chart as direct labels.
 *
 * @since 0.1.0
 */

/**
 * One series of a chart.
 *
 * @category models
 * @since 0.1.0
 */
export interface Series {
  readonly name: string
  /** One value per category (year); `null` for no data. */
  readonly values: ReadonlyArray<number | null>
}

/**
 * A chart's data and words.
 *
 * @category models
 * @since 0.1.0
 */
export interface ChartInput {
  readonly id: string
  readonly title: string
  readonly desc: string
  readonly categories: ReadonlyArray<string>
  readonly series: ReadonlyArray<Series>
  /** Formats a value for labels and the axis. */
  readonly format: (v: number) => string
  /** Formats the axis ticks when they should be shorter than the labels (the unit in the title). */
  readonly axisFormat?: (v: number) => string
}

/**
 * Escapes text for XML and HTML.
 *
 * @category utils
 * @since 0.1.0
 */
export const esc = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")

// Dark → light, each with its own texture: distinguishable in colour, in greyscale and in print.
const STYLES = [
  { fill: "#173f5f", pattern: "solid" },
  { fill: "#3c7cb0", pattern: "hatch" },
  { fill: "#9cc3e4", pattern: "dots" },
  { fill: "#e0a458", pattern: "cross" },
  { fill: "#6b4e71", pattern: "vertical" },
  { fill: "#d9d9d9", pattern: "hatch-rev" }
] as const

const MARKERS = ["circle", "square", "triangle", "diamond"] as const

const patternDefs = (id: string): string =>
  STYLES.map((s, i) => {
    const pid = `${id}-p${i}`
    const ink = i === 0 || i === 1 || i === 4 ? "#ffffff" : "#1a1a1a"
    const mark =
      s.pattern === "solid"
        ? ""
        : s.pattern === "hatch"
          ? `<path d="M0,6 L6,0" stroke="${ink}" stroke-width="1.2"/>`
          : s.pattern === "hatch-rev"
            ? `<path d="M0,0 L6,6" stroke="${ink}" stroke-width="1.2"/>`
            : s.pattern === "dots"
              ? `<circle cx="3" cy="3" r="1.1" fill="${ink}"/>`
              : s.pattern === "cross"
                ? `<path d="M0,3 L6,3 M3,0 L3,6" stroke="${ink}" stroke-width="1"/>`
                : `<path d="M3,0 L3,6" stroke="${ink}" stroke-width="1.2"/>`
    return `<pattern id="${pid}" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="${s.fill}"/>${mark}</pattern>`
  }).join("")

const W = 760
const H = 300
const M = { top: 36, right: 250, bottom: 40, left: 70 }
// Legend labels are real text (not clipped): long ones wrap onto further lines.
const LEGEND_CHARS = 36
const wrap = (text: string): ReadonlyArray<string> => {
  const lines: Array<string> = []
  let line = ""
  for (const word of text.split(/\s+/)) {
    if (line !== "" && line.length + 1 + word.length > LEGEND_CHARS) {
      lines.push(line)
      line = word
    } else {
      line = line === "" ? word : `${line} ${word}`
    }
  }
  if (line !== "") lines.push(line)
  return lines
}

const niceMax = (max: number): number => {
  if (max <= 0) return 1
  const pow = 10 ** Math.floor(Math.log10(max))
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * pow >= max) return m * pow
  return 10 * pow
}

const axes = (input: ChartInput, max: number, x: (i: number) => number, band: number): string => {
  const plotH = H - M.top - M.bottom
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const y = M.top + plotH * (1 - f)
    return `<line x1="${M.left}" x2="${W - M.right}" y1="${y}" y2="${y}" stroke="#bbb" stroke-width="0.5"/><text x="${M.left - 6}" y="${y + 4}" text-anchor="end" font-size="10">${esc((input.axisFormat ?? input.format)(max * f))}</text>`
  })
  // Every year has its place on the axis; with many years, every other one is labelled.
  const slot = (W - M.left - M.right) / Math.max(input.categories.length, 1)
  const step = slot < 30 ? 2 : 1
  const labels = input.categories.flatMap((c, i) =>
    i % step === 0
      ? [
          `<text class="year-label" x="${x(i) + band / 2}" y="${H - M.bottom + 16}" text-anchor="middle" font-size="11">${esc(c)}</text>`
        ]
      : [
          `<line x1="${x(i) + band / 2}" x2="${x(i) + band / 2}" y1="${H - M.bottom}" y2="${H - M.bottom + 4}" stroke="#555"/>`
        ]
  )
  return [...ticks, ...labels].join("")
}

const legend = (input: ChartInput, kind: "bar" | "line"): string => {
  let y = M.top
  return input.series
    .map((s, i) => {
      const lx = W - M.right + 12
      const lines = wrap(s.name)
      const swatch =
        kind === "bar"
          ? `<rect x="${lx}" y="${y}" width="14" height="14" fill="url(#${input.id}-p${i % STYLES.length})" stroke="#333" stroke-width="0.5"/>`
          : marker(
              MARKERS[i % MARKERS.length] as (typeof MARKERS)[number],
              lx + 7,
              y + 7,
              STYLES[i % STYLES.length]?.fill ?? "#000"
            )
      const text = `<text x="${lx + 20}" y="${y + 11}" font-size="11">${lines
        .map((line, k) => `<tspan x="${lx + 20}" dy="${k === 0 ? 0 : 13}">${esc(line)}</tspan>`)
        .join("")}</text>`
      y += 20 + 13 * (lines.length - 1)
      return swatch + text
    })
    .join("")
}

const frame = (input: ChartInput, body: string): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-labelledby="${input.id}-title ${input.id}-desc" font-family="system-ui, sans-serif"><title id="${input.id}-title">${esc(input.title)}</title><desc id="${input.id}-desc">${esc(input.desc)}</desc><defs>${patternDefs(input.id)}</defs><text x="${M.left}" y="20" font-size="14" font-weight="600">${esc(input.title)}</text>${body}</svg>`

// Roughly how wide a label is at a font size (system-ui digits are about 0.6 em).
const textWidth = (text: string, size: number) => [...text].length * size * 0.6

/**
 * A stacked bar chart: one bar per category (year), one segment per series, the total above the
 * bar and each segment's value inside it where it fits. A category whose values are all `null`
 * (no data) gets no bar and no label — an empty place on the time axis, not a zero.
 *
 * @category utils
 * @since 0.1.0
 */
export const stackedBars = (input: ChartInput): string => {
  const n = input.categories.length
  const plotW = W - M.left - M.right
  const plotH = H - M.top - M.bottom
  const slot = plotW / Math.max(n, 1)
  const band = Math.min(60, slot * 0.7)
  const x = (i: number) => M.left + slot * i + (slot - band) / 2
  const totals = input.categories.map((_, i) =>
    input.series.every((s) => s.values[i] === null || s.values[i] === undefined)
      ? null
      : input.series.reduce((a, s) => a + (s.values[i] ?? 0), 0)
  )
  // Headroom above the tallest bar for its total label.
  const max = niceMax(Math.max(0, ...totals.filter((t): t is number => t !== null)) * 1.08)
  const bars: Array<string> = []
  input.categories.forEach((c, i) => {
    const total = totals[i]
    if (total === null || total === undefined) return
    let base = 0
    input.series.forEach((s, k) => {
      const v = s.values[i] ?? 0
      if (v <= 0) return
      const h = (v / max) * plotH
      const y = M.top + plotH - ((base + v) / max) * plotH
      bars.push(
        `<rect class="bar" x="${x(i)}" y="${y}" width="${band}" height="${h}" fill="url(#${input.id}-p${k % STYLES.length})" stroke="#333" stroke-width="0.5"><title>${esc(`${c}, ${s.name}: ${input.format(v)}`)}</title></rect>`
      )
      // The segment's value, on a white halo, only when it fits inside the segment.
      const label = input.format(v)
      if (input.series.length > 1 && h >= 14 && textWidth(label, 10) <= band - 2) {
        bars.push(
          `<text class="segment-label" x="${x(i) + band / 2}" y="${y + h / 2 + 3.5}" text-anchor="middle" font-size="10" fill="#000" stroke="#fff" stroke-width="3" paint-order="stroke">${esc(label)}</text>`
        )
      }
      base += v
    })
    const totalLabel = input.format(total)
    const size = textWidth(totalLabel, 10) <= slot - 2 ? 10 : 8
    bars.push(
      `<text class="total-label" x="${x(i) + band / 2}" y="${M.top + plotH - (total / max) * plotH - 4}" text-anchor="middle" font-size="${size}">${esc(totalLabel)}</text>`
    )
  })
  return frame(input, axes(input, max, x, band) + bars.join("") + legend(input, "bar"))
}

const marker = (shape: (typeof MARKERS)[number], cx: number, cy: number, fill: string): string => {
  switch (shape) {
    case "circle":
      return `<circle cx="${cx}" cy="${cy}" r="5" fill="${fill}" stroke="#000" stroke-width="0.8"/>`
    case "square":
      return `<rect x="${cx - 5}" y="${cy - 5}" width="10" height="10" fill="${fill}" stroke="#000" stroke-width="0.8"/>`
    case "triangle":
      return `<path d="M${cx},${cy - 6} L${cx + 6},${cy + 5} L${cx - 6},${cy + 5} Z" fill="${fill}" stroke="#000" stroke-width="0.8"/>`
    case "diamond":
      return `<path d="M${cx},${cy - 6} L${cx + 6},${cy} L${cx},${cy + 6} L${cx - 6},${cy} Z" fill="${fill}" stroke="#000" stroke-width="0.8"/>`
  }
}

/**
 * A line chart: one line per series with its own marker shape and dash, values labelled.
 *
 * @category encoding
 * @since 0.1.0
 */
export const lines = (input: ChartInput): string => {
  const n = input.categories.length
  const plotW = W - M.left - M.right
  const plotH = H - M.top - M.bottom
  const slot = plotW / Math.max(n, 1)
  const x = (i: number) => M.left + slot * i + slot / 2
  const all = input.series.flatMap((s) => s.values.filter((v): v is number => v !== null))
  // Headroom above the highest point for its label.
  const max = niceMax(Math.max(0, ...all) * 1.08)
  const y = (v: number) => M.top + plotH - (v / max) * plotH
  const dashes = ["", "6 3", "2 3", "8 3 2 3"]
  const body = input.series
    .map((s, k) => {
      const fill = STYLES[k % STYLES.length]?.fill ?? "#000"
      const pts = s.values.flatMap((v, i) => (v === null ? [] : [[x(i), y(v), v] as const]))
      // One polyline per run of consecutive years with data: a line never bridges a gap.
      const runs: Array<Array<readonly [number, number]>> = []
      let run: Array<readonly [number, number]> = []
      s.values.forEach((v, i) => {
        if (v === null || v === undefined) {
          if (run.length > 0) runs.push(run)
          run = []
        } else run.push([x(i), y(v)])
      })
      if (run.length > 0) runs.push(run)
      const path = runs
        .filter((r) => r.length > 1)
        .map(
          (r) =>
            `<polyline class="line-run" points="${r.map(([px, py]) => `${px},${py}`).join(" ")}" fill="none" stroke="${fill}" stroke-width="2" stroke-dasharray="${dashes[k % dashes.length]}"/>`
        )
        .join("")
      const marks = pts
        .map(
          ([px, py, v]) =>
            `<g class="point">${marker(MARKERS[k % MARKERS.length] as (typeof MARKERS)[number], px, py, fill)}<title>${esc(`${s.name}: ${input.format(v)}`)}</title></g><text class="point-label" x="${px}" y="${k % 2 === 0 ? py - 9 : py + 17}" text-anchor="middle" font-size="10" stroke="#fff" stroke-width="3" paint-order="stroke">${esc(input.format(v))}</text>`
        )
        .join("")
      return path + marks
    })
    .join("")
  return frame(input, axes(input, max, (i) => x(i) - 0, 0) + body + legend(input, "line"))
}
