/**
 * Benchmark of the SQLite event store: batched and single appends, full replay through a core
 * projection, and the raw better-sqlite3 baseline over the same file.
 *
 * Each phase runs in its own process (bench/phases.ts) so that peak RSS belongs to that phase
 * alone. The headline figures also go to `pnpm bench`'s summary table (`BenchSummary`).
 *
 * Usage: `pnpm bench` in this package (or at the root), or
 * `tsx --conditions=@utblick/source bench/sqlite.bench.ts [events] [single appends]`.
 */
import { execFileSync } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import * as BenchSummary from "@utblick/core/testing/BenchSummary"

const here = dirname(fileURLToPath(import.meta.url))
const total = Number(process.argv[2] ?? 1_000_000)
const singles = Number(process.argv[3] ?? 5_000)

interface PhaseResult {
  readonly events: number
  readonly seconds: number
  readonly perSecond: number
  readonly maxRssMb: number
  readonly checksum?: string
}

const phase = (...args: ReadonlyArray<string>): PhaseResult => {
  const out = execFileSync(
    process.execPath,
    ["--conditions=@utblick/source", "--import", "tsx", join(here, "phases.ts"), ...args],
    { cwd: join(here, ".."), encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 20 }
  )
  const last = out.trim().split("\n").pop() ?? ""
  return JSON.parse(last) as PhaseResult
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US")
const dir = mkdtempSync(join(tmpdir(), "utblick-sqlite-bench-"))
try {
  const file = join(dir, "replay.db")
  console.log(`SQLite store benchmark (node ${process.version}, better-sqlite3, WAL, synchronous=NORMAL)`)
  const batched = phase("batched", file, String(total))
  console.log(
    `batched append  ${fmt(batched.events)} events in batches of 1,000 (hashing, one transaction each): ${fmt(batched.perSecond)} ev/s (${batched.seconds.toFixed(2)} s, peak RSS ${fmt(batched.maxRssMb)} MB)`
  )
  const single = phase("single", join(dir, "single.db"), String(singles))
  console.log(
    `single appends  ${fmt(single.events)} appends of 1 event, one transaction each: ${fmt(single.perSecond)} ev/s (${single.seconds.toFixed(2)} s)`
  )
  const replay = phase("replay", file)
  console.log(
    `replay          ${fmt(replay.events)} events via readAll + Projection.run: ${fmt(replay.perSecond)} ev/s (${replay.seconds.toFixed(2)} s, peak RSS ${fmt(replay.maxRssMb)} MB) ${replay.checksum}`
  )
  const raw = phase("raw", file)
  console.log(
    `raw baseline    ${fmt(raw.events)} rows via better-sqlite3 iterate + JSON.parse + switch fold: ${fmt(raw.perSecond)} ev/s (${raw.seconds.toFixed(2)} s, peak RSS ${fmt(raw.maxRssMb)} MB) ${raw.checksum}`
  )
  console.log(`replay / raw    ${(replay.perSecond / raw.perSecond).toFixed(2)}x`)
  const row = { bench: "store-sqlite", unit: "events/s" } as const
  BenchSummary.record({ ...row, phase: "SQLite: batched append (1 000 per transaction)", ours: batched.perSecond, rssMb: batched.maxRssMb })
  BenchSummary.record({ ...row, phase: "SQLite: single appends (one transaction each)", ours: single.perSecond, rssMb: single.maxRssMb })
  BenchSummary.record({
    ...row,
    phase: `SQLite: replay ${replay.events.toLocaleString("sv-SE")} events, one projection`,
    ours: replay.perSecond,
    raw: raw.perSecond,
    rssMb: replay.maxRssMb
  })
  if (replay.checksum !== raw.checksum) {
    console.error("replay and raw folds disagree: the benchmark is invalid")
    process.exitCode = 1
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
