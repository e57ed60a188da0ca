/**
 * One summary table for every benchmark of `pnpm bench`. Each package's benchmark prints its own
 * detailed figures and also hands its headline phases to {@link record}; the root script prints
 * them together with {@link format} once every benchmark has run.
 *
 * The rows travel through a JSON-lines file named by `UTBLICK_BENCH_SUMMARY`, because the
 * benchmarks run as separate processes (one per package, often one per phase). Without the
 * variable, {@link record} does nothing, so a package's benchmark run on its own is unchanged.
 *
 * @since 0.2.0
 */
import { appendFileSync, existsSync, readFileSync } from "node:fs"

/**
 * What a figure measures: a rate (higher is better) or a duration (lower is better).
 *
 * @category models
 * @since 0.2.0
 */
export type Unit = "events/s" | "ms"

/**
 * One phase of one benchmark: Utblick's figure, and where the benchmark measures them in the
 * same run, the peer's (Emmett 0.42) and the raw baseline's, all in the same {@link Unit}.
 *
 * @category models
 * @since 0.2.0
 */
export interface Row {
  readonly bench: string
  readonly phase: string
  readonly unit: Unit
  readonly ours: number
  readonly peer?: number | undefined
  readonly raw?: number | undefined
  /** Peak resident set of the process that ran the phase, in MB. */
  readonly rssMb?: number | undefined
}

/**
 * The environment variable naming the file that collects the rows.
 *
 * @category constants
 * @since 0.2.0
 */
export const ENV = "UTBLICK_BENCH_SUMMARY"

/**
 * Adds a row to the summary file named by `UTBLICK_BENCH_SUMMARY`; does nothing when it is unset.
 *
 * @category utils
 * @since 0.2.0
 */
export const record = (row: Row, env: NodeJS.ProcessEnv = process.env): void => {
  const file = env[ENV]
  if (file === undefined || file === "") return
  appendFileSync(file, `${JSON.stringify(row)}\n`)
}

/**
 * The rows recorded in a summary file, in the order the benchmarks ran (none if it does not exist).
 *
 * @category utils
 * @since 0.2.0
 */
export const read = (file: string): ReadonlyArray<Row> =>
  existsSync(file)
    ? readFileSync(file, "utf8")
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => JSON.parse(line) as Row)
    : []

/**
 * How many times faster Utblick is than a reference figure in the same unit: above 1 when ours is
 * faster, whichever way the unit points (a rate divides ours by the reference, a duration the
 * reference by ours).
 *
 * @category utils
 * @since 0.2.0
 */
export const speedup = (unit: Unit, ours: number, reference: number): number =>
  unit === "events/s" ? ours / reference : reference / ours

const integer = new Intl.NumberFormat("sv-SE", { maximumFractionDigits: 0 })
const ratio = new Intl.NumberFormat("sv-SE", { minimumFractionDigits: 2, maximumFractionDigits: 2 })

/**
 * The summary as a Markdown table: phase, ours, peer, raw baseline, both ratios (× faster than
 * the peer and than the raw baseline, see {@link speedup}) and peak RSS; numbers in Swedish
 * format, `–` where a benchmark has no such figure.
 *
 * @category formatting
 * @since 0.2.0
 */
export const format = (rows: ReadonlyArray<Row>): string => {
  const figure = (n: number | undefined) => (n === undefined ? "–" : integer.format(n))
  const versus = (row: Row, reference: number | undefined) =>
    reference === undefined ? "–" : `${ratio.format(speedup(row.unit, row.ours, reference))}×`
  const lines = [
    "| benchmark | phase | unit | Utblick | peer (Emmett 0.42) | raw baseline | × peer | × raw | peak RSS (MB) |",
    "|---|---|---|---:|---:|---:|---:|---:|---:|",
    ...rows.map(
      (row) =>
        `| ${row.bench} | ${row.phase} | ${row.unit} | ${figure(row.ours)} | ${figure(row.peer)} | ${figure(row.raw)} | ${versus(row, row.peer)} | ${versus(row, row.raw)} | ${figure(row.rssMb)} |`
    )
  ]
  return lines.join("\n")
}
