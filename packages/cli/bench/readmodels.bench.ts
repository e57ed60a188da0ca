/**
 * Persisted read models (ADR 0035) on an embedded SQLite store of 1,000,000 events: a year's
 * report (`YearReport.forYear`, what `utblick report --year` computes) answered by a full replay,
 * then cold (replay + saving the snapshot), warm (from the snapshot), and after appending 1,000
 * events (catch-up). Each phase runs in its own process — as each CLI call does — so each time
 * includes opening the file and loading the snapshot, and each peak RSS is the phase's own.
 * Node and TypeScript start-up are not included (the shipped-packages issue measures those).
 *
 * The persisted year figures (ADR 0038, `YearReport.figures`, what `utblick report` computes since)
 * are measured the same way: cold, warm (from the figure), after 1,000 appended events that count
 * for the report (catch-up: the read models resume from their snapshot), and after 1,000 that do
 * not (another tenant's: the figure moves to the new head after a scan of the tail).
 *
 * Last, a long-running service (ADR 0042): one process, one runtime with `LiveStates`, that
 * appends 1,000 events that count and reports, ten times in a row. Its first catch-up loads the
 * snapshot as a CLI call does; the next ones fold the new events into the state it kept.
 *
 * Run from the repository root:
 * `node --conditions=@utblick/source --import tsx packages/cli/bench/readmodels.bench.ts`
 * (UTBLICK_BENCH_EVENTS sets the size; default 1,000,000; UTBLICK_BENCH_FILE names a file built
 * by an earlier run's `load` phase for that size, copied instead of building it again:
 * `node … readmodels.bench.ts load FILE`). Each figure is checked against a full replay of the same
 * log (every indicator value with its breakdown, and the position, must agree), or the run fails.
 */
import { execFileSync } from "node:child_process"
import { createHash } from "node:crypto"
import { copyFileSync, mkdtempSync, rmSync } from "node:fs"
import { loadavg, tmpdir } from "node:os"
import { join } from "node:path"
import { type EventStore, LiveStates, ProjectionCheckpoints } from "@utblick/core"
import * as BenchSummary from "@utblick/core/testing/BenchSummary"
import * as Synthetic from "@utblick/core/testing/Synthetic"
import { YearReport } from "@utblick/indicators"
import { SqliteCheckpointStore, SqliteEventStore } from "@utblick/store-sqlite"
import { Effect, Layer, ManagedRuntime } from "effect"
import { EventStore as Store } from "@utblick/core"

const N = Number(process.env["UTBLICK_BENCH_EVENTS"] ?? 1_000_000)
// The synthetic mix dates tenant-0's units in 2021: UTBLICK_BENCH_YEAR=2021 reports a year full of grants and trips.
const YEAR = Number(process.env["UTBLICK_BENCH_YEAR"] ?? 2022)
const TENANT = "tenant-0"
const [phase, file] = process.argv.slice(2)
const peakRssMb = () => Math.round(Synthetic.peakRssBytes() / 1e6)

type Program<A> = Effect.Effect<A, unknown, EventStore.EventStore | SqliteEventStore.SqliteDatabase>
const run = <A>(filename: string, program: Program<A>, persisted: boolean) =>
  Effect.runPromise(
    Effect.scoped(
      Effect.provide(
        program,
        persisted
          ? SqliteCheckpointStore.layer().pipe(Layer.provideMerge(SqliteEventStore.layer({ filename })))
          : SqliteEventStore.layer({ filename })
      )
    ) as Effect.Effect<A>
  )

const append = (units: number, first: number) =>
  Effect.gen(function* () {
    const store = yield* Store.EventStore
    for (let u = first; u < first + units; u += 10) {
      // Ten units (1,000 events) per all-or-nothing append, each unit its own stream.
      yield* store.appendMany(
        Array.from({ length: Math.min(10, first + units - u) }, (_, k) => ({ streamId: `unit-${(u + k) % 1000}`, events: Synthetic.unit(u + k) }))
      )
    }
  })

// Units whose tenant is not TENANT (u % 4 !== 0): 1,000 events that do not count for its report.
const appendOthers = (units: number, first: number) =>
  Effect.gen(function* () {
    const store = yield* Store.EventStore
    const chosen: Array<number> = []
    for (let u = first; chosen.length < units; u++) if (u % 4 !== 0) chosen.push(u)
    yield* store.appendMany(chosen.map((u) => ({ streamId: `unit-${u % 1000}`, events: Synthetic.unit(u) })))
  })

const report = (filename: string, persisted: boolean, figures = false) =>
  run(
    filename,
    Effect.gen(function* () {
      const t0 = performance.now()
      const r = figures ? yield* YearReport.figures(YEAR, { tenant: TENANT }) : yield* YearReport.forYear(YEAR, { tenant: TENANT })
      const ms = performance.now() - t0
      const granted = r.values.find((v) => v.id === "granted-by-instrument")?.value ?? -1
      // Every value with its breakdown: in this synthetic mix tenant-0's units (u % 4 = 0, so even
      // u) all fall in 2021, so its 2022 report has no funding indicator — the granted amount
      // alone would compare "absent" with "absent".
      const values = createHash("sha256").update(JSON.stringify(r.values)).digest("hex")
      return { ms, rss: peakRssMb(), granted, values, count: r.values.length, position: r.position }
    }),
    persisted
  )

// A long-running service (the facade's and the HTTP example's runtime): the store layers and live
// states for the life of the process. It reports, then 1 + LIVE_ROUNDS times appends 1,000 events
// that count and reports again; each report is timed alone (not the append).
const LIVE_ROUNDS = 9
const service = async (filename: string): Promise<Record<string, number | string>> => {
  const runtime = ManagedRuntime.make(
    Layer.mergeAll(
      SqliteCheckpointStore.layer().pipe(Layer.provideMerge(SqliteEventStore.layer({ filename }))),
      LiveStates.layer()
    )
  )
  try {
    const timed = () =>
      runtime.runPromise(
        Effect.gen(function* () {
          const t0 = performance.now()
          const r = yield* YearReport.figures(YEAR, { tenant: TENANT })
          return { ms: performance.now() - t0, r }
        })
      )
    const first = await timed()
    const steps: Array<number> = []
    let last = first
    for (let k = 0; k < 1 + LIVE_ROUNDS; k++) {
      // Past the units `more` and `others` appended.
      await runtime.runPromise(append(10, N / 100 + 40 + 10 * k))
      last = await timed()
      steps.push(last.ms)
    }
    const live = steps.slice(1).sort((a, b) => a - b)
    return {
      ms: live[Math.floor(live.length / 2)] as number,
      max: live[live.length - 1] as number,
      first: first.ms,
      loaded: steps[0] as number,
      live: live.map((ms) => ms.toFixed(1)).join(", "),
      rss: peakRssMb(),
      heapMb: Math.round(process.memoryUsage().heapUsed / 1e6),
      values: createHash("sha256").update(JSON.stringify(last.r.values)).digest("hex"),
      count: last.r.values.length,
      position: last.r.position
    }
  } finally {
    await runtime.dispose()
  }
}

const phases: Record<string, (filename: string) => Promise<Record<string, number | string>>> = {
  service,
  load: (filename) =>
    run(
      filename,
      Effect.gen(function* () {
        const t0 = performance.now()
        yield* append(N / 100, 0)
        return { ms: performance.now() - t0, rss: peakRssMb() }
      }),
      false
    ),
  more: (filename) =>
    run(
      filename,
      Effect.gen(function* () {
        yield* append(10, N / 100)
        return { ms: 0, rss: peakRssMb() }
      }),
      false
    ),
  others: (filename) =>
    run(
      filename,
      Effect.gen(function* () {
        // Past the units `more` appended.
        yield* appendOthers(10, N / 100 + 10)
        return { ms: 0, rss: peakRssMb() }
      }),
      false
    ),
  replay: (filename) => report(filename, false),
  persisted: (filename) => report(filename, true),
  figures: (filename) => report(filename, true, true),
  size: (filename) =>
    run(
      filename,
      Effect.gen(function* () {
        const { database } = yield* SqliteEventStore.SqliteDatabase
        // A state past its first MiB continues in pieces beside its row (SQLite migration 6).
        const pieces = database.prepare("SELECT coalesce(sum(length(bytes)), 0) FROM projection_state_chunks WHERE checkpoint = ?").pluck()
        const of = (projection: string) => {
          const kept = database
            .prepare("SELECT version, filter_key AS filter, length(state) AS bytes, position FROM projection_checkpoints WHERE projection = ?")
            .all(projection) as Array<{ version: number; filter: string; bytes: number; position: number }>
          return {
            n: kept.length,
            bytes: kept.reduce((sum, c) => sum + c.bytes + (pieces.get(ProjectionCheckpoints.keyId({ projection, version: c.version, filter: c.filter })) as number), 0),
            position: Math.max(0, ...kept.map((c) => c.position))
          }
        }
        const row = of("read-models")
        const figures = of("year-figures")
        const header = of("read-model-rows")
        // The entity rows (ADR 0046) kept under their header, and the header itself.
        const rows = database.prepare("SELECT count(*) AS n, coalesce(sum(length(bytes) + length(id)), 0) AS bytes FROM projection_rows").get() as { n: number; bytes: number }
        return { ms: 0, rss: 0, snapshots: row.n, bytes: row.bytes, position: row.position, figures: figures.n, figureBytes: figures.bytes, figurePosition: figures.position, rows: rows.n, rowBytes: rows.bytes + header.bytes, rowsPosition: header.position }
      }),
      false
    ),
  clear: (filename) =>
    run(
      filename,
      Effect.gen(function* () {
        yield* (yield* ProjectionCheckpoints.ProjectionCheckpoints).clear
        return { ms: 0, rss: 0 }
      }),
      true
    )
}

const child = (name: string, filename: string): Record<string, number | string> =>
  JSON.parse(
    execFileSync(process.execPath, ["--conditions=@utblick/source", "--import", "tsx", import.meta.filename, name, filename], {
      encoding: "utf8",
      env: process.env,
      maxBuffer: 1 << 20
    })
  )

if (phase !== undefined && file !== undefined) {
  const go = phases[phase]
  if (go === undefined) throw new Error(`unknown phase ${phase}`)
  console.log(JSON.stringify(await go(file)))
} else {
  const dir = mkdtempSync(join(tmpdir(), "utblick-readmodels-bench-"))
  const filename = join(dir, "bench.db")
  const fmt = (ms: number) => `${ms.toFixed(0).padStart(7)} ms`
  try {
    const prebuilt = process.env["UTBLICK_BENCH_FILE"]
    if (prebuilt === undefined) child("load", filename)
    else copyFileSync(prebuilt, filename)
    const best = (rs: ReadonlyArray<Record<string, number | string>>) =>
      rs.reduce((a, b) => ((a["ms"] as number) <= (b["ms"] as number) ? a : b))
    const replay = best([child("replay", filename), child("replay", filename)])
    const cold = child("persisted", filename)
    const size = child("size", filename)
    const warm = best([child("persisted", filename), child("persisted", filename), child("persisted", filename)])
    const figuresCold = child("figures", filename)
    const figuresWarm = best([child("figures", filename), child("figures", filename), child("figures", filename)])
    const sizeFigures = child("size", filename)
    child("more", filename)
    // The first report after the append catches up from the snapshot; whether it also rewrites
    // the snapshot (part of the time then) is the saving policy's call: 1,000 events past a state
    // of tens of MB is below it. The figures' catch-up runs first (the read models resume from
    // the same snapshot, then every indicator is computed and the figure saved).
    const figuresCaughtUp = child("figures", filename)
    const figuresAfter = best([child("figures", filename), child("figures", filename)])
    const caughtUp = child("persisted", filename)
    const after = child("persisted", filename)
    const sizeAfter = child("size", filename)
    const replayAfter = child("replay", filename)
    // 1,000 events of the other tenants: nothing that counts for the report.
    child("others", filename)
    const figuresMoved = child("figures", filename)
    const sizeMoved = child("size", filename)
    const replayOthers = child("replay", filename)
    const served = child("service", filename)
    const replayServed = child("replay", filename)
    for (const [label, r, expected] of [
      ["cold", cold, replay],
      ["warm", warm, replay],
      ["figures cold", figuresCold, replay],
      ["figures warm", figuresWarm, replay],
      ["caught up", caughtUp, replayAfter],
      ["after catch-up", after, replayAfter],
      ["figures caught up", figuresCaughtUp, replayAfter],
      ["figures after catch-up", figuresAfter, replayAfter],
      ["figures moved", figuresMoved, replayOthers],
      ["service", served, replayServed]
    ] as const) {
      if (r["values"] !== expected["values"] || r["position"] !== expected["position"]) {
        throw new Error(`${label} disagrees with a full replay: ${JSON.stringify(r)} vs ${JSON.stringify(expected)}`)
      }
    }
    const line = (label: string, r: Record<string, number | string>, extra = "") =>
      console.log(`  ${label.padEnd(60)} ${fmt(r["ms"] as number)}   peak RSS ${String(r["rss"]).padStart(4)} MB${extra}`)
    const faster = (base: Record<string, number | string>, r: Record<string, number | string>) =>
      `   ${((base["ms"] as number) / (r["ms"] as number)).toFixed(0)}× faster than replay`
    console.log(
      `@utblick/cli persisted read models — SQLite file, node ${process.version}, ${N.toLocaleString("en-US")} events, report ${YEAR} for ${TENANT}, one process per phase; load average before: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`
    )
    console.log(`  every answer below equals a full replay of the same log: ${replay["count"]} indicator values with their breakdowns, and the position`)
    console.log("  read-model snapshots (YearReport.forYear):")
    line("full replay (no snapshots; best of 2)", replay)
    line("cold: replay + save the snapshot", cold)
    line("warm: from the snapshot (best of 3)", warm, faster(replay, warm))
    line("after appending 1,000 events: catch-up", caughtUp, faster(replayAfter, caughtUp))
    line("then warm again", after)
    line("full replay of the grown log", replayAfter)
    console.log("  year figures (YearReport.figures, what `utblick report` computes):")
    line("cold: from the snapshot + save the figure and the rows", figuresCold)
    line("warm: from the figure (best of 3)", figuresWarm, faster(replay, figuresWarm))
    line("after 1,000 events that count: catch-up (from the rows)", figuresCaughtUp, faster(replayAfter, figuresCaughtUp))
    line("then warm again (best of 2)", figuresAfter, faster(replayAfter, figuresAfter))
    line("after 1,000 events that do not count: figure moved", figuresMoved, faster(replayOthers, figuresMoved))
    line("full replay of that log", replayOthers)
    console.log("  a long-running service with live states (ADR 0042), 1,000 events that count before each report:")
    line("first report of the process (from the figure)", { ms: served["first"] as number, rss: served["rss"] as number })
    line("first catch-up (loads the snapshot)", { ms: served["loaded"] as number, rss: served["rss"] as number })
    line(`next catch-ups, live (median of ${LIVE_ROUNDS})`, served, `   (sorted: ${served["live"]} ms)`)
    line("full replay of that log", replayServed)
    console.log(`  the service's heap after the last report: ${served["heapMb"]} MB (the live state and the runtime)`)
    console.log(`  snapshot position after the catch-up: ${sizeAfter["position"]} (${sizeAfter["position"] === size["position"] ? "not rewritten: 1,000 events are below the saving policy" : "rewritten by the catch-up"})`)
    console.log(`  snapshots on disk: ${size["snapshots"]} row(s), ${(Number(size["bytes"]) / 1e6).toFixed(2)} MB of state (structured-clone bytes)`)
    console.log(`  year figures on disk: ${sizeFigures["figures"]} row(s), ${Number(sizeFigures["figureBytes"]).toLocaleString("en-US")} bytes; after the events that do not count: at position ${sizeMoved["figurePosition"]}`)
    console.log(`  read-model rows on disk (ADR 0046): ${Number(sizeFigures["rows"]).toLocaleString("en-US")} rows and their header, ${(Number(sizeFigures["rowBytes"]) / 1e6).toFixed(2)} MB; after the catch-up at position ${sizeAfter["rowsPosition"]}`)
    // For `pnpm bench`'s table: each report phase against the full replay of the same log as its
    // baseline (the time a report took before anything was persisted).
    const summary = (phase: string, r: Record<string, number | string>, base: Record<string, number | string>) =>
      BenchSummary.record({
        bench: "cli (read models)",
        phase: `SQLite ${N.toLocaleString("sv-SE")} events: ${phase}`,
        unit: "ms",
        ours: r["ms"] as number,
        raw: base["ms"] as number,
        rssMb: r["rss"] as number
      })
    summary("report, warm (year figure)", figuresWarm, replay)
    summary("report after 1 000 events that count", figuresCaughtUp, replayAfter)
    summary("report after 1 000 events that do not count", figuresMoved, replayOthers)
    summary("service: report after 1 000 events that count, live state", served, replayServed)
    summary("report from the read-model snapshot, warm", warm, replay)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
