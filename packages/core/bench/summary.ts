/**
 * The last step of `pnpm bench`: prints the one summary table of every benchmark that ran
 * (`BenchSummary.format`). With `--reset` it empties the summary file instead, as the first step.
 *
 * The file is `UTBLICK_BENCH_SUMMARY` (the root script sets it).
 */
import { rmSync } from "node:fs"
import { loadavg } from "node:os"
import * as BenchSummary from "@utblick/core/testing/BenchSummary"

const file = process.env[BenchSummary.ENV]
if (file === undefined || file === "") throw new Error(`set ${BenchSummary.ENV} to the summary file`)
if (process.argv.includes("--reset")) {
  rmSync(file, { force: true })
} else {
  const rows = BenchSummary.read(file)
  console.log(
    `\n# pnpm bench: summary (node ${process.version}, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")})\n`
  )
  console.log(rows.length === 0 ? "(no benchmark recorded a row)" : BenchSummary.format(rows))
  console.log(
    "\n× peer, × raw: how many times faster Utblick is (above 1: faster), from figures measured in the same run."
  )
}
