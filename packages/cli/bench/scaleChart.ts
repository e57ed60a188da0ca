/**
 * The chart of the scale benchmark (`scale.bench.ts`): time and peak RSS of each phase against
 * the number of events, one line per phase and store, as a self-contained SVG for
 * `docs/reference/performance.md`. Linear axes from zero, so linear growth is a straight line
 * through the origin's neighbourhood and a flat cost is a horizontal one.
 */

/** One measured phase: wall time of the whole command, and its peak RSS. */
export interface Measure {
  readonly ms: number
  readonly rssMb: number
}

/** The measurements of one store at one size (`NaN` where a phase was not run, e.g. a reused file's append). */
export interface Point {
  readonly store: "sqlite" | "postgres"
  readonly events: number
  readonly append: Measure
  readonly replay: Measure
  readonly warm: Measure
  readonly verify: Measure
}

const PHASES = [
  ["append", "append (library, 1 000 per call)", "#1f77b4"],
  ["replay", "report from zero (full replay)", "#d62728"],
  ["warm", "report, warm (persisted)", "#2ca02c"],
  ["verify", "verify, 1 thread", "#9467bd"]
] as const

const W = 460
const H = 300
const M = { left: 58, right: 12, top: 30, bottom: 44 }
const sv = new Intl.NumberFormat("sv-SE", { maximumFractionDigits: 1 })

// A "nice" upper bound for an axis: 1, 2 or 5 times a power of ten.
const niceMax = (value: number): number => {
  const base = 10 ** Math.floor(Math.log10(Math.max(value, 1e-9)))
  for (const step of [1, 2, 5, 10]) if (step * base >= value) return step * base
  return 10 * base
}

const panel = (
  points: ReadonlyArray<Point>,
  x0: number,
  title: string,
  value: (p: Point, m: Measure) => number,
  unit: string,
  limit?: { readonly value: number; readonly label: string }
): string => {
  const maxEvents = niceMax(Math.max(...points.map((p) => p.events)))
  const values = points.flatMap((p) => PHASES.map(([key]) => value(p, p[key]))).filter((v) => Number.isFinite(v))
  const maxValue = niceMax(Math.max(...values, limit?.value ?? 0) * 1.05)
  const px = (events: number) => x0 + M.left + (events / maxEvents) * (W - M.left - M.right)
  const py = (v: number) => M.top + (1 - v / maxValue) * (H - M.top - M.bottom)
  const out: Array<string> = [
    `<text x="${x0 + W / 2}" y="18" text-anchor="middle" font-weight="bold">${title}</text>`
  ]
  for (let i = 0; i <= 5; i++) {
    const v = (maxValue * i) / 5
    const x = (maxEvents * i) / 5
    out.push(
      `<line x1="${x0 + M.left}" x2="${x0 + W - M.right}" y1="${py(v)}" y2="${py(v)}" stroke="#ddd"/>`,
      `<text x="${x0 + M.left - 6}" y="${py(v) + 4}" text-anchor="end">${sv.format(v)}</text>`,
      `<text x="${px(x)}" y="${H - M.bottom + 16}" text-anchor="middle">${sv.format(x / 1e6)}</text>`
    )
  }
  out.push(
    `<text x="${x0 + (W + M.left) / 2}" y="${H - 8}" text-anchor="middle">miljoner händelser (millions of events)</text>`,
    `<text transform="translate(${x0 + 14} ${(H + M.top - M.bottom) / 2}) rotate(-90)" text-anchor="middle">${unit}</text>`
  )
  if (limit !== undefined) {
    out.push(
      `<line x1="${x0 + M.left}" x2="${x0 + W - M.right}" y1="${py(limit.value)}" y2="${py(limit.value)}" stroke="#000" stroke-dasharray="2 3"/>`,
      `<text x="${x0 + W - M.right - 4}" y="${py(limit.value) - 4}" text-anchor="end">${limit.label}</text>`
    )
  }
  for (const store of ["sqlite", "postgres"] as const) {
    const series = points.filter((p) => p.store === store).sort((a, b) => a.events - b.events)
    for (const [key, , colour] of PHASES) {
      const xy = series
        .filter((p) => Number.isFinite(value(p, p[key])))
        .map((p) => [px(p.events), py(value(p, p[key]))] as const)
      if (xy.length === 0) continue
      const dash = store === "postgres" ? ` stroke-dasharray="6 4"` : ""
      out.push(
        `<polyline fill="none" stroke="${colour}" stroke-width="2"${dash} points="${xy.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(" ")}"/>`
      )
      for (const [x, y] of xy)
        out.push(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="3" fill="${colour}"/>`)
    }
  }
  return out.join("\n")
}

/**
 * The SVG: time in seconds (left) and peak RSS in MB with the 300 MB bound (right); colours are
 * phases, solid lines SQLite and dashed lines PostgreSQL.
 */
// The chart's name for screen readers (the panels' headings are drawn text).
const TITLE =
  "Replay, report, verify and append at 100,000, 1,000,000 and 5,000,000 events: time per command, time per event, peak RSS; SQLite and PostgreSQL"

export const chart = (measured: ReadonlyArray<Point>): string => {
  // A phase not run is NaN in memory and null once written as JSON: either way, not drawn.
  const known = (m: Measure): Measure => ({ ms: m.ms ?? Number.NaN, rssMb: m.rssMb ?? Number.NaN })
  const points = measured.map((p) => ({ ...p, append: known(p.append), replay: known(p.replay), warm: known(p.warm), verify: known(p.verify) }))
  const perEvent = (p: Point, m: Measure) => (m === p.warm ? Number.NaN : (m.ms * 1000) / p.events)
  const legendY = H + 14
  const legend = PHASES.map(
    ([, label, colour], i) =>
      `<rect x="${20 + i * 225}" y="${legendY - 9}" width="12" height="12" fill="${colour}"/><text x="${36 + i * 225}" y="${legendY + 1}">${label}</text>`
  ).join("\n")
  const stores = `<text x="20" y="${legendY + 22}">heldragen linje: SQLite (solid: SQLite); streckad: PostgreSQL (dashed: PostgreSQL)</text>`
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${3 * W}" height="${H + 40}" viewBox="0 0 ${3 * W} ${H + 40}" font-family="sans-serif" font-size="11" role="img" aria-labelledby="scale-title">`,
    `<title id="scale-title">${TITLE}</title>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    panel(points, 0, "Tid per kommando (time per command)", (_, m) => m.ms / 1000, "sekunder (seconds)"),
    panel(points, W, "Tid per händelse (time per event; flat = linear)", perEvent, "µs per händelse (µs per event)"),
    panel(points, 2 * W, "Högsta RSS (peak RSS)", (_, m) => m.rssMb, "MB", { value: 300, label: "300 MB" }),
    legend,
    stores,
    "</svg>",
    ""
  ].join("\n")
}
