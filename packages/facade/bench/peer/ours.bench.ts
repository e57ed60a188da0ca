// Utblick's appends alone, for profiling (`node --cpu-prof`) and A/B timing of one phase:
// the same workload as peer.bench.ts (a 200-character note, 1,000 streams for single appends,
// 100 events per call to a new stream for batched ones), without the peer.
//
// Run: tsx --conditions=@utblick/source bench/peer/ours.bench.ts
// Env: PHASE (memory-single | memory-batched | sqlite-single | sqlite-batched | postgres-single |
// postgres-batched; default sqlite-batched), N (default 20000), RUNS (default 1), DATABASE_URL,
// WAL_PAGES (the SQLite store's walAutocheckpointPages).
import { EventStore } from "@utblick/core"
import { PgEventStore } from "@utblick/store-postgres"
import { SqliteEventStore } from "@utblick/store-sqlite"
import { Effect, type Layer } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { toAppend } from "./workload.js"

const N = Number(process.env["N"] ?? 20_000)
const RUNS = Number(process.env["RUNS"] ?? 1)
const PHASE = process.env["PHASE"] ?? "sqlite-batched"
const BATCH = 100
const STREAMS = 1_000


// Timed from opening the store to closing it, so that SQLite's last checkpoint counts.
const run = async (layer: Layer.Layer<EventStore.EventStore, unknown>, batched: boolean, tag: number) => {
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  await Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    if (batched) {
      for (let c = 0; c < N / BATCH; c++) {
        const events = Array.from({ length: BATCH }, (_, k) => toAppend(c * BATCH + k))
        yield* store.append(`grant-${tag}-${c}`, events)
      }
    } else {
      for (let i = 0; i < N; i++) {
        const version = Math.floor(i / STREAMS)
        yield* store.append(`grant-${tag}-${i % STREAMS}`, [toAppend(i)], { expectedVersion: version === 0 ? "no-stream" : version })
      }
    }
  }).pipe(Effect.scoped, Effect.provide(layer), Effect.runPromise)
  const cpu = process.cpuUsage(cpu0)
  return { rate: N / ((performance.now() - t0) / 1000), cpuMicrosPerEvent: (cpu.user + cpu.system) / N }
}

const dir = mkdtempSync(join(tmpdir(), "utblick-ours-"))
const batched = PHASE.endsWith("batched")
for (let r = 0; r < RUNS; r++) {
  const layer = PHASE.startsWith("memory")
    ? EventStore.layerMemory()
    : PHASE.startsWith("sqlite")
      ? SqliteEventStore.layer({
          filename: join(dir, `ours-${r}.db`),
          origin: "bench.utblick.example/log",
          ...(process.env["WAL_PAGES"] === undefined ? {} : { walAutocheckpointPages: Number(process.env["WAL_PAGES"]) })
        })
      : PgEventStore.layerFromUrl(process.env["DATABASE_URL"] as string, { schema: `ours_${process.pid}_${r}`, origin: "bench.utblick.example/log" })
  const { rate, cpuMicrosPerEvent } = await run(layer, batched, r)
  console.log(`${PHASE} run ${r + 1}: ${Math.round(rate)} events/s, ${cpuMicrosPerEvent.toFixed(1)} µs of CPU per event`)
}
rmSync(dir, { recursive: true, force: true })
