/**
 * Persisted read models (ADR 0035) on an embedded SQLite store of 1,000,000 events: a year's
 * report (`YearReport.forYear`, what `utblick report --year` computes) answered by a full replay,
 * then cold (replay + saving the snapshot), warm (from the snapshot), and after appending 1,000
 * events (catch-up). Each phase runs in its own process — as each CLI call does — so each time
 * includes opening the file and loading the snapshot, and each peak RSS is the phase's own.
 * Node and TypeScript start-up are not included (the shipped-packages issue measures those).
 *
 * Run from the repository root:
 * `node --conditions=@utblick/source --import tsx packages/cli/bench/readmodels.bench.ts`
 * (UTBLICK_BENCH_EVENTS sets the size; default 1,000,000). Each figure is checked against a full
 * replay of the same log (the granted amount and the position must agree), or the run fails.
 */
import { execFileSync } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type EventStore, ProjectionCheckpoints } from "@utblick/core"
import * as Synthetic from "@utblick/core/testing/Synthetic"
import { YearReport } from "@utblick/indicators"
import { SqliteCheckpointStore, SqliteEventStore } from "@utblick/store-sqlite"
import { Effect, Layer } from "effect"
import { EventStore as Store } from "@utblick/core"

const N = Number(process.env["UTBLICK_BENCH_EVENTS"] ?? 1_000_000)
const YEAR = 2022
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

const report = (filename: string, persisted: boolean) =>
  run(
    filename,
    Effect.gen(function* () {
      const t0 = performance.now()
      const r = yield* YearReport.forYear(YEAR, { tenant: TENANT })
      const ms = performance.now() - t0
      const granted = r.values.find((v) => v.id === "granted-by-instrument")?.value ?? -1
      return { ms, rss: peakRssMb(), granted, position: r.position }
    }),
    persisted
  )

const phases: Record<string, (filename: string) => Promise<Record<string, number | string>>> = {
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
  replay: (filename) => report(filename, false),
  persisted: (filename) => report(filename, true),
  size: (filename) =>
    run(
      filename,
      Effect.gen(function* () {
        const { database } = yield* SqliteEventStore.SqliteDatabase
        const row = database
          .prepare("SELECT count(*) AS n, coalesce(sum(length(state)), 0) AS bytes, max(position) AS position FROM projection_checkpoints")
          .get() as { n: number; bytes: number; position: number }
        return { ms: 0, rss: 0, snapshots: row.n, bytes: row.bytes, position: row.position }
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
    child("load", filename)
    const replays = [child("replay", filename), child("replay", filename)]
    const replay = replays.reduce((a, b) => ((a["ms"] as number) <= (b["ms"] as number) ? a : b))
    const cold = child("persisted", filename)
    const size = child("size", filename)
    const warms = [child("persisted", filename), child("persisted", filename), child("persisted", filename)]
    const warm = warms.reduce((a, b) => ((a["ms"] as number) <= (b["ms"] as number) ? a : b))
    child("more", filename)
    // The first report after the append catches up from the snapshot; whether it also rewrites
    // the snapshot (part of the time then) is the saving policy's call: 1,000 events past a state
    // of tens of MB is below it.
    const caughtUp = child("persisted", filename)
    const after = child("persisted", filename)
    const sizeAfter = child("size", filename)
    child("clear", filename)
    const replayAfter = child("replay", filename)
    for (const [label, r, expected] of [
      ["cold", cold, replay],
      ["warm", warm, replay],
      ["caught up", caughtUp, replayAfter],
      ["after catch-up", after, replayAfter]
    ] as const) {
      if (r["granted"] !== expected["granted"] || r["position"] !== expected["position"]) {
        throw new Error(`${label} disagrees with a full replay: ${JSON.stringify(r)} vs ${JSON.stringify(expected)}`)
      }
    }
    const line = (label: string, r: Record<string, number | string>, extra = "") =>
      console.log(`  ${label.padEnd(52)} ${fmt(r["ms"] as number)}   peak RSS ${String(r["rss"]).padStart(4)} MB${extra}`)
    console.log(
      `@utblick/cli persisted read models — SQLite file, node ${process.version}, ${N.toLocaleString("en-US")} events, report ${YEAR} for ${TENANT} (YearReport.forYear), one process per phase`
    )
    line("full replay (no snapshots; best of 2)", replay)
    line("cold: replay + save the snapshot", cold)
    line("warm: from the snapshot (best of 3)", warm, `   ${((replay["ms"] as number) / (warm["ms"] as number)).toFixed(0)}× faster than replay`)
    line("after appending 1,000 events: catch-up", caughtUp, `   ${((replayAfter["ms"] as number) / (caughtUp["ms"] as number)).toFixed(0)}× faster than replay`)
    line("then warm again", after)
    line("full replay of the grown log", replayAfter)
    console.log(`  snapshot position after the catch-up: ${sizeAfter["position"]} (${sizeAfter["position"] === size["position"] ? "not rewritten: 1,000 events are below the saving policy" : "rewritten by the catch-up"})`)
    console.log(`  snapshots on disk: ${size["snapshots"]} row(s), ${(Number(size["bytes"]) / 1e6).toFixed(2)} MB of state (structured-clone bytes)`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
