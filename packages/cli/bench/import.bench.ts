/**
 * `utblick import` at scale, each phase in its own process so that each peak RSS is its own:
 *
 * - `rows`: a JSON Lines file of N trip proposals (one command, one event, one stream each) into
 *   an empty SQLite store, all or nothing (no flags; `UTBLICK_BENCH_BATCH=10000` adds `--batch`);
 *   reports time, rows/s and peak RSS. The goal for N = 1,000,000 is a peak RSS of at most 250 MB.
 * - `commands`: 1,000 commands into stores that already hold 10,000 and 1,000,000 synthetic
 *   events: the cost must follow the file, not the log (the import reads only the streams the
 *   commands address).
 *
 * Run (from packages/cli): `npx tsx --conditions=@utblick/source bench/import.bench.ts`. When the
 * CLI is built (`pnpm build`), the imports run the `utblick` executable (`bin/utblick.js`, which
 * loads `dist/utblick.js`) as a child process and its own peak RSS is reported; otherwise the import runs in this process under the TypeScript loader, whose
 * own ~200 MB are then included.
 * (UTBLICK_BENCH_ROWS sets N, default 1,000,000; UTBLICK_BENCH_STORES the store sizes,
 * default 10000,1000000; UTBLICK_BENCH_POSTGRES=postgres://… runs the `rows` phase into a new
 * schema on that server instead of SQLite, and `UTBLICK_BENCH_STORES=` with nothing skips the
 * `commands` phases).
 */
import { execFileSync, spawnSync } from "node:child_process"
import { createWriteStream, existsSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { NodeServices } from "@effect/platform-node"
import { EventStore } from "@utblick/core"
import * as Synthetic from "@utblick/core/testing/Synthetic"
import { SqliteEventStore } from "@utblick/store-sqlite"
import { Effect } from "effect"
import { main } from "../src/Cli.js"

const ROWS = Number(process.env["UTBLICK_BENCH_ROWS"] ?? 1_000_000)
const STORES = (process.env["UTBLICK_BENCH_STORES"] ?? "10000,1000000").split(",").filter((s) => s !== "").map(Number)
const POSTGRES = process.env["UTBLICK_BENCH_POSTGRES"]
const BATCH = process.env["UTBLICK_BENCH_BATCH"]
const peakRssMb = () => Math.round(Synthetic.peakRssBytes() / 1e6)

const register = (tenant: string) => ({
  _tag: "Register",
  actor: { id: "kansliet", role: "registrar" },
  tenant,
  occurredAt: "2022-01-01",
  events: [{ _tag: "ActorRegistered", actorId: tenant, name: "Bench kommun", kind: "municipality" }]
})

const trip = (i: number, tenant: string) => ({
  _tag: "ProposeTrip",
  actor: { id: `t-${i % 1000}`, role: "traveller" },
  tenant,
  occurredAt: "2022-03-01",
  tripId: `trip-${i}`,
  organiserActorId: tenant,
  traveller: `subject-${i % 5000}`,
  purpose: "UBC General Conference",
  destination: "Gdynia",
  departOn: "2022-04-01",
  returnOn: "2022-04-03",
  relatedTo: [],
  goalRefs: []
})

const writeFile = (path: string, n: number, tenant: string) =>
  new Promise<void>((resolve, reject) => {
    const out = createWriteStream(path)
    out.on("error", reject)
    let i = 0
    const pump = () => {
      if (i === 0) out.write(`${JSON.stringify(register(tenant))}\n`)
      while (i < n) {
        const ok = out.write(`${JSON.stringify(trip(i, tenant))}\n`)
        i++
        if (!ok) return void out.once("drain", pump)
      }
      out.end(resolve)
    }
    pump()
  })

const cli = (args: ReadonlyArray<string>) => Effect.runPromise(main(args).pipe(Effect.provide(NodeServices.layer)))

// The built CLI (bin/utblick.js loading dist/utblick.js, after `pnpm build`) as a child process
// under /usr/bin/time, so that its peak RSS is the import's alone — without the TypeScript loader
// this script runs under.
const BUILT = join(import.meta.dirname, "../bin/utblick.js")
// The child runs in `cwd`: a PostgreSQL log keeps its key store under the working directory.
const built = (args: ReadonlyArray<string>, cwd?: string): { readonly code: number; readonly peakRssMb: number } => {
  const r = spawnSync("/usr/bin/time", ["-f", "peak-rss-kb %M", process.execPath, BUILT, ...args], {
    ...(cwd === undefined ? {} : { cwd }),
    encoding: "utf8",
    env: { ...process.env, CI: "true" },
    maxBuffer: 1 << 26
  })
  const kb = Number(/peak-rss-kb (\d+)/.exec(r.stderr)?.[1] ?? Number.NaN)
  if (r.status !== 0) process.stderr.write(r.stderr.slice(-2000))
  return { code: r.status ?? -1, peakRssMb: Math.round((kb * 1024) / 1e6) }
}
const useBuilt = existsSync(join(import.meta.dirname, "../dist/utblick.js")) && existsSync("/usr/bin/time")

const phases: Record<string, (args: ReadonlyArray<string>) => Promise<Record<string, number | string>>> = {
  // Writes the file, then imports it; the RSS is the import's (writing streams in constant memory).
  rows: async ([dir]) => {
    const file = join(dir as string, "rows.jsonl")
    await writeFile(file, ROWS, "bench-kommun")
    const store =
      POSTGRES === undefined
        ? `sqlite:${join(dir as string, "rows.db")}`
        : `${POSTGRES}${POSTGRES.includes("?") ? "&" : "?"}schema=bench_rows_${process.pid}`
    const args = ["--store", store, "import", file, ...(BATCH === undefined ? [] : ["--batch", BATCH])]
    const t0 = performance.now()
    const r = useBuilt ? built(args, dir) : { code: await cli(args), peakRssMb: peakRssMb() }
    const ms = performance.now() - t0
    return { ...r, cli: useBuilt ? "dist" : "tsx (in-process)", store: POSTGRES === undefined ? "sqlite" : "postgres", rows: ROWS, batch: BATCH ?? "none", seconds: Math.round(ms / 100) / 10, rowsPerSecond: Math.round(ROWS / (ms / 1000)) }
  },
  seed: async ([dir, size]) => {
    const n = Number(size)
    const filename = join(dir as string, `store-${n}.db`)
    await Effect.runPromise(
      Effect.scoped(
        Effect.provide(
          Effect.gen(function* () {
            const store = yield* EventStore.EventStore
            for (let u = 0; u < n / 100; u += 10) {
              yield* store.appendMany(
                Array.from({ length: Math.min(10, n / 100 - u) }, (_, k) => ({ streamId: `unit-${u + k}`, events: Synthetic.unit(u + k) }))
              )
            }
          }),
          SqliteEventStore.layer({ filename })
        )
      ) as Effect.Effect<void>
    )
    return { events: n }
  },
  commands: async ([dir, size]) => {
    const file = join(dir as string, `commands-${size}.jsonl`)
    await writeFile(file, 999, "bench-kommun") // the Register line + 999 trips = 1,000 commands
    const args = ["--store", `sqlite:${join(dir as string, `store-${size}.db`)}`, "import", file, "--new-tenant", "bench-kommun"]
    const t0 = performance.now()
    const r = useBuilt ? built(args) : { code: await cli(args), peakRssMb: peakRssMb() }
    const ms = performance.now() - t0
    return { ...r, cli: useBuilt ? "dist" : "tsx (in-process)", storeEvents: Number(size), commands: 1000, ms: Math.round(ms) }
  }
}

const [phase, ...rest] = process.argv.slice(2)
if (phase !== undefined) {
  const result = await phases[phase]!(rest)
  process.stdout.write(`${JSON.stringify(result)}\n`)
} else {
  const dir = mkdtempSync(join(tmpdir(), "utblick-import-bench-"))
  const self = [process.execArgv, import.meta.filename].flat()
  const run = (...args: ReadonlyArray<string>) =>
    JSON.parse(execFileSync(process.execPath, [...self, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 24 }).trim().split("\n").pop() as string)
  try {
    console.log("rows", run("rows", dir))
    for (const size of STORES) {
      run("seed", dir, String(size))
      console.log("commands", run("commands", dir, String(size)))
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
