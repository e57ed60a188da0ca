/**
 * Full replay of an embedded SQLite store through EVERY read model and indicator, against a raw
 * baseline read from the same file: better-sqlite3 iterating the rows in position order,
 * `JSON.parse` and a hand-written `switch` fold computing the same headline figures.
 *
 * Each phase runs in its own process, so each peak RSS is the phase's own.
 * Run: `pnpm --filter @utblick/cli bench` (UTBLICK_BENCH_EVENTS sets the size; default 1,000,000).
 */
import { execFileSync } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { EventStore } from "@utblick/core"
import * as BenchSummary from "@utblick/core/testing/BenchSummary"
import * as Synthetic from "@utblick/core/testing/Synthetic"
import { Indicator } from "@utblick/indicators"
import { ReadModels } from "@utblick/projections"
import { SqliteEventStore } from "@utblick/store-sqlite"
import { Effect } from "effect"

const N = Number(process.env["UTBLICK_BENCH_EVENTS"] ?? 1_000_000)
const [phase, file] = process.argv.slice(2)
const peakRssMb = () => Math.round(Synthetic.peakRssBytes() / 1e6)

const withStore = <A>(filename: string, program: Effect.Effect<A, unknown, EventStore.EventStore | SqliteEventStore.SqliteDatabase>) =>
  Effect.runPromise(Effect.scoped(Effect.provide(program, SqliteEventStore.layer({ filename }))) as Effect.Effect<A>)

const phases: Record<string, (filename: string) => Promise<Record<string, number | string>>> = {
  load: (filename) =>
    withStore(
      filename,
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const t0 = performance.now()
        for (let u = 0; u < N / 100; u += 10) {
          // Ten units (1,000 events) per all-or-nothing append, each unit its own stream.
          yield* store.appendMany(
            Array.from({ length: Math.min(10, N / 100 - u) }, (_, k) => ({ streamId: `unit-${(u + k) % 1000}`, events: Synthetic.unit(u + k) }))
          )
        }
        return { ms: performance.now() - t0, rss: peakRssMb() }
      })
    ),
  raw: (filename) =>
    withStore(
      filename,
      Effect.gen(function* () {
        const { database } = yield* SqliteEventStore.SqliteDatabase
        const t0 = performance.now()
        const figures = Synthetic.rawFold(
          (function* () {
            for (const row of database.prepare("SELECT body FROM events ORDER BY position").raw(true).iterate()) {
              yield JSON.parse((row as [string])[0])
            }
          })()
        )
        const ms = performance.now() - t0
        return { ms, rss: peakRssMb(), granted2022: Object.entries(figures.granted).filter(([k]) => k.startsWith("2022")).reduce((s, [, v]) => s + v, 0) }
      })
    ),
  models: (filename) =>
    withStore(
      filename,
      Effect.gen(function* () {
        const t0 = performance.now()
        const snapshot = yield* ReadModels.run()
        const values = Synthetic.YEARS.flatMap((year) => Indicator.computeAll(snapshot.state, { year }))
        const ms = performance.now() - t0
        const granted2022 = values.find((v) => v.id === "granted-by-instrument" && v.year === 2022)?.value ?? -1
        return { ms, rss: peakRssMb(), granted2022, values: values.length, position: snapshot.position }
      })
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
  const run = phases[phase]
  if (run === undefined) throw new Error(`unknown phase ${phase}`)
  console.log(JSON.stringify(await run(file)))
} else {
  const dir = mkdtempSync(join(tmpdir(), "utblick-replay-bench-"))
  const filename = join(dir, "bench.db")
  try {
    const load = child("load", filename)
    const raws = [child("raw", filename), child("raw", filename)]
    const models = [child("models", filename), child("models", filename)]
    const best = <T extends Record<string, number | string>>(runs: ReadonlyArray<T>) =>
      runs.reduce((a, b) => ((a["ms"] as number) <= (b["ms"] as number) ? a : b))
    const raw = best(raws)
    const ours = best(models)
    if (raw["granted2022"] !== ours["granted2022"]) {
      throw new Error(`raw and read models disagree on 2022 grants: ${raw["granted2022"]} vs ${ours["granted2022"]}`)
    }
    const rate = (ms: number) => Math.round((N / ms) * 1000).toLocaleString("en-US")
    console.log(`@utblick/cli replay benchmark — SQLite file, node ${process.version}, ${N.toLocaleString("en-US")} events of all five families (best of 2)`)
    console.log(`  append (1,000 per appendMany, hashing on)        ${rate(load["ms"] as number).padStart(10)} events/s   peak RSS ${load["rss"]} MB`)
    console.log(`  raw: better-sqlite3 + JSON.parse + switch fold   ${rate(raw["ms"] as number).padStart(10)} events/s   peak RSS ${raw["rss"]} MB`)
    console.log(`  every read model + ${ours["values"]} indicator values       ${rate(ours["ms"] as number).padStart(10)} events/s   peak RSS ${ours["rss"]} MB   ratio ${((raw["ms"] as number) / (ours["ms"] as number)).toFixed(2)}`)
    const perSecond = (ms: number) => (N / ms) * 1000
    BenchSummary.record({
      bench: "cli",
      phase: `SQLite: replay ${N.toLocaleString("sv-SE")} events, every read model + indicator`,
      unit: "events/s",
      ours: perSecond(ours["ms"] as number),
      raw: perSecond(raw["ms"] as number),
      rssMb: ours["rss"] as number
    })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
