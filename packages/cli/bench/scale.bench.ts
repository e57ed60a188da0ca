/**
 * How the costs users wait for grow with the log: append, a year's report from zero (full replay),
 * the same report warm (from the persisted read models) and verification, at 100,000, 1,000,000
 * and 5,000,000 events, on SQLite and (with DATABASE_URL) PostgreSQL.
 *
 * The log is written through the built library in a plain Node process (`scaleAppend.mjs`: batches
 * of 1,000 events, all five families of the synthetic mix, `Synthetic.unit`), as a service that
 * embeds Utblick writes it; every other phase runs the built `utblick` CLI as a child process, as a
 * user runs it, so each time includes Node's start-up and each peak RSS is that command's own
 * (`VmHWM`, written by a preloaded hook when the process exits).
 *
 * Run from the repository root after `pnpm --filter "@utblick/cli..." run build` (the CLI and the
 * packages it uses):
 * `node --conditions=@utblick/source --import tsx packages/cli/bench/scale.bench.ts`
 * Env: UTBLICK_SCALE_SIZES (default 100000,1000000,5000000), UTBLICK_SCALE_STORES (sqlite,postgres;
 * postgres needs DATABASE_URL), UTBLICK_SCALE_DIR (keeps the SQLite files between runs: a file
 * that already holds N events is reused, and so is a PostgreSQL schema `utblick_scale_N`; without
 * it both are removed at the end), UTBLICK_SCALE_SVG (writes the chart there),
 * UTBLICK_SCALE_JSON (writes the measurements there).
 */
import { execFileSync, spawnSync } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { loadavg, tmpdir } from "node:os"
import { join } from "node:path"
import * as BenchSummary from "@utblick/core/testing/BenchSummary"
import { SqliteEventStore } from "@utblick/store-sqlite"
import { Effect } from "effect"
import { chart, type Measure, type Point } from "./scaleChart.js"

const YEAR = "2022"
const TENANT = "tenant-0"
// The executable users run (it loads dist/utblick.js, and starts Node again with the young
// generation bounded for data commands, ADR 0048).
const cli = join(import.meta.dirname, "..", "bin", "utblick.js")
const bundle = join(import.meta.dirname, "..", "dist", "utblick.js")
const DATABASE_URL = process.env["DATABASE_URL"]

const [mode, ...args] = process.argv.slice(2)
if (mode === "chart") {
  // Redraw the chart from a JSON file of an earlier run: `… scale.bench.ts chart in.json out.svg`.
  const [from, to] = args as [string, string]
  writeFileSync(to, chart(JSON.parse(readFileSync(from, "utf8"))))
  process.exit(0)
}

// ---------------------------------------------------------------------------------------------
// Parent.

// The append phase runs the built packages in a plain Node process (scaleAppend.mjs), as a service
// that embeds Utblick runs them; its last line of output is the measurement.
const appendChild = (store: string, target: string, events: number): Measure =>
  JSON.parse(
    execFileSync(
      process.execPath,
      [join(import.meta.dirname, "scaleAppend.mjs"), store, target, String(events)],
      {
        encoding: "utf8",
        env: process.env,
        maxBuffer: 1 << 20,
        stdio: ["ignore", "pipe", "inherit"]
      }
    )
      .trim()
      .split("\n")
      .pop() as string
  )

// Preloaded into each CLI run: writes the process's peak RSS (VmHWM, kB) to UTBLICK_RSS_FILE on exit.
const hook = `data:text/javascript,${encodeURIComponent(
  `import{readFileSync,writeFileSync}from"node:fs";process.on("exit",()=>{const m=/VmHWM:\\s+(\\d+) kB/.exec(readFileSync("/proc/self/status","utf8"));writeFileSync(process.env.UTBLICK_RSS_FILE,m?m[1]:"0")})`
)}`
const scratch = mkdtempSync(join(tmpdir(), "utblick-scale-"))
const rssFile = join(scratch, "rss")

const utblick = (storeFlag: string, ...argv: ReadonlyArray<string>): Measure => {
  const t0 = performance.now()
  const result = spawnSync(process.execPath, ["--import", hook, cli, "--store", storeFlag, ...argv], {
    env: { ...process.env, UTBLICK_RSS_FILE: rssFile },
    stdio: ["ignore", "ignore", "pipe"],
    maxBuffer: 1 << 24
  })
  const ms = performance.now() - t0
  if (result.status !== 0)
    throw new Error(`utblick ${argv.join(" ")} exited ${result.status}: ${result.stderr}`)
  return { ms, rssMb: (Number(readFileSync(rssFile, "utf8")) * 1024) / 1e6 }
}
// How many events a kept SQLite file holds (its last position), without reading them.
const eventsIn = (file: string): Promise<number> =>
  Effect.runPromise(
    Effect.scoped(
      Effect.provide(
        Effect.map(
          SqliteEventStore.SqliteDatabase,
          ({ database }) => (database.prepare("SELECT count(*) AS n FROM events").get() as { n: number }).n
        ),
        // Writable: a file from an older version of the store is migrated on open.
        SqliteEventStore.layer({ filename: file })
      )
    )
  )
// The same for a PostgreSQL schema kept from an earlier run (0 when it does not exist).
const eventsInSchema = (schema: string): number => {
  const r = spawnSync("psql", [DATABASE_URL as string, "-Atqc", `SELECT count(*) FROM ${schema}.utblick_events`], { encoding: "utf8" })
  return r.status === 0 ? Number(r.stdout.trim()) : 0
}
const best = (...runs: ReadonlyArray<Measure>): Measure => runs.reduce((a, b) => (a.ms <= b.ms ? a : b))

const sizes = (process.env["UTBLICK_SCALE_SIZES"] ?? "100000,1000000,5000000").split(",").map(Number)
const stores = (
  process.env["UTBLICK_SCALE_STORES"] ?? `sqlite${DATABASE_URL === undefined ? "" : ",postgres"}`
)
  .split(",")
  .filter(
    (s): s is "sqlite" | "postgres" => s === "sqlite" || (s === "postgres" && DATABASE_URL !== undefined)
  )
const keep = process.env["UTBLICK_SCALE_DIR"]
const dir = keep ?? scratch
mkdirSync(dir, { recursive: true })
// The append child imports the built packages; the other phases run the built CLI.
const packages = ["core", "store-sqlite", "store-postgres"]
for (const built of [
  bundle,
  ...packages.map((p) => join(import.meta.dirname, "..", "..", p, "dist", "index.js"))
]) {
  if (!existsSync(built))
    throw new Error(
      `build the packages first (${built} is missing): pnpm --filter "@utblick/cli..." run build`
    )
}

const points: Array<Point> = []
const load1 = () => loadavg()[0]?.toFixed(1)
console.log(
  `@utblick/cli scale — node ${process.version}, stores ${stores.join(", ")}, sizes ${sizes.join(", ")}, load ${load1()}`
)
try {
  for (const store of stores) {
    for (const events of sizes) {
      const target = store === "sqlite" ? join(dir, `scale-${events}.db`) : `utblick_scale_${events}`
      const flag =
        store === "sqlite"
          ? `sqlite:${target}`
          : `${DATABASE_URL}${DATABASE_URL?.includes("?") ? "&" : "?"}schema=${target}`
      let append: Measure
      const existing = store === "sqlite" ? (existsSync(target) ? await eventsIn(target) : 0) : eventsInSchema(target)
      if (existing === events) {
        append = { ms: Number.NaN, rssMb: Number.NaN }
        console.log(`  ${store} ${events}: reusing ${target}`)
      } else {
        if (store === "sqlite") rmSync(target, { force: true })
        else execFileSync("psql", [DATABASE_URL as string, "-qc", `DROP SCHEMA IF EXISTS ${target} CASCADE`])
        append = appendChild(store, target, events)
      }
      utblick(flag, "rebuild")
      const replay = utblick(flag, "report", "--year", YEAR, "--tenant", TENANT)
      const warm = best(
        utblick(flag, "report", "--year", YEAR, "--tenant", TENANT),
        utblick(flag, "report", "--year", YEAR, "--tenant", TENANT)
      )
      const verify = utblick(flag, "verify", "--jobs", "1")
      const point: Point = { store, events, append, replay, warm, verify }
      points.push(point)
      const s = (m: Measure) => `${(m.ms / 1000).toFixed(2)} s (${m.rssMb.toFixed(0)} MB)`
      console.log(
        `  ${store.padEnd(8)} ${events.toLocaleString("sv-SE").padStart(10)}  append ${s(append)}  report from zero ${s(replay)}  warm ${s(warm)}  verify ${s(verify)}  load ${load1()}`
      )
      for (const [phase, m] of [
        ["append", append],
        ["report from zero", replay],
        ["warm report", warm],
        ["verify, 1 thread", verify]
      ] as const) {
        if (!Number.isNaN(m.ms)) {
          BenchSummary.record({
            bench: "scale",
            phase: `${store}, ${events.toLocaleString("sv-SE")} events: ${phase}`,
            unit: "ms",
            ours: m.ms,
            rssMb: m.rssMb
          })
        }
      }
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true })
  // Without UTBLICK_SCALE_DIR nothing is kept: the PostgreSQL schemas go with the SQLite files.
  if (keep === undefined && stores.includes("postgres")) {
    for (const events of sizes) spawnSync("psql", [DATABASE_URL as string, "-qc", `DROP SCHEMA IF EXISTS utblick_scale_${events} CASCADE`])
  }
}

const json = process.env["UTBLICK_SCALE_JSON"]
if (json !== undefined) writeFileSync(json, `${JSON.stringify(points, null, 2)}\n`)
const svg = process.env["UTBLICK_SCALE_SVG"]
if (svg !== undefined) writeFileSync(svg, chart(points))
