/**
 * Replays 1,000,000 synthetic registry events from the memory store through one projection and
 * compares it with a raw baseline: a hand-written `switch` fold over the same plain objects,
 * measured in the same run. Run with `pnpm --filter @utblick/core bench` (or `pnpm bench`).
 */
import { type Envelope, EventStore, Projection } from "@utblick/core"
import * as Registry from "@utblick/core/events/Registry"
import * as BenchSummary from "@utblick/core/testing/BenchSummary"
import * as Synthetic from "@utblick/core/testing/Synthetic"
import { Effect, Result, Stream } from "effect"

const N = Number(process.env["UTBLICK_BENCH_EVENTS"] ?? 1_000_000)
const BATCH = 1000
// The baseline: the same arithmetic as the projection, by hand over the stored objects.
const baseline = (events: ReadonlyArray<Envelope.StoredEvent>): Synthetic.RegistryCounts => {
  const state = Synthetic.emptyRegistryCounts()
  for (const e of events) Synthetic.countRegistryRaw(state, e.type, e.payload)
  return state
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`
const peakRss = () => Synthetic.peakRssBytes()

const program = Effect.gen(function* () {
  const store = yield* EventStore.EventStore
  let t0 = performance.now()
  for (let i = 0; i < N; i += BATCH) {
    const batch: Array<Envelope.EventToAppend> = []
    for (let j = i; j < Math.min(N, i + BATCH); j++) batch.push(Synthetic.registryEvent(j))
    yield* store.append(`stream-${(i / BATCH) % 500}`, batch)
  }
  const appendMs = performance.now() - t0
  const events = yield* Stream.runCollect(store.readAll())
  const rssAfterLoad = peakRss()

  const best = { raw: Number.POSITIVE_INFINITY, projection: Number.POSITIVE_INFINITY }
  let rawState: Synthetic.RegistryCounts | undefined
  let projected: Synthetic.RegistryCounts | undefined
  for (let round = 0; round < 3; round++) {
    t0 = performance.now()
    rawState = baseline(events)
    best.raw = Math.min(best.raw, performance.now() - t0)
    t0 = performance.now()
    projected = (yield* Projection.run(Synthetic.registryCounts, Registry.registryCatalog)).state
    best.projection = Math.min(best.projection, performance.now() - t0)
  }
  if (JSON.stringify(rawState) !== JSON.stringify(projected)) {
    return yield* Effect.die(new Error(`projection and baseline disagree: ${JSON.stringify([rawState, projected])}`))
  }
  // Decoding is the runtime's main cost over the baseline: show it on its own.
  t0 = performance.now()
  let decoded = 0
  for (const e of events) if (Result.isSuccess(Registry.registryCatalog.decode(e))) decoded++
  const decodeMs = performance.now() - t0

  const rate = (ms: number) => Math.round((N / ms) * 1000).toLocaleString("en-US")
  console.log(`@utblick/core replay benchmark — node ${process.version}, ${N.toLocaleString("en-US")} events, best of 3`)
  console.log(`  append (memory, batches of ${BATCH}, hashing on)   ${rate(appendMs).padStart(12)} events/s`)
  console.log(`  raw baseline (switch fold over plain objects)     ${rate(best.raw).padStart(12)} events/s`)
  console.log(`  Projection.run (decode + evolve, memory store)    ${rate(best.projection).padStart(12)} events/s`)
  console.log(`  catalogue decode alone                            ${rate(decodeMs).padStart(12)} events/s (${decoded} ok)`)
  console.log(`  ratio projection / raw                            ${(best.raw / best.projection).toFixed(3)}`)
  console.log(`  peak RSS after loading the store ${mb(rssAfterLoad)}; after the replays ${mb(peakRss())}`)
  BenchSummary.record({
    bench: "core",
    phase: `memory: replay ${N.toLocaleString("sv-SE")} events, one projection`,
    unit: "events/s",
    ours: (N / best.projection) * 1000,
    raw: (N / best.raw) * 1000,
    rssMb: peakRss() / 1e6
  })
})

Effect.runPromise(program.pipe(Effect.provide(EventStore.layerMemory())))
