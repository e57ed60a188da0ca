/**
 * Rebuilds every read model and every indicator from 1,000,000 synthetic events (a realistic mix
 * of all families) in the memory store, against a raw baseline: a hand-written `switch` fold over
 * the same plain objects computing the same headline figures, measured in the same run.
 *
 * Two stores, one after the other (the first is dropped before the second is loaded):
 * - a plain memory store: the first rebuild decodes and validates every payload ("first"), later
 *   rebuilds read the decoded events the catalogue remembered ("again", best of 3, ADR 0009);
 * - a memory store that validates every payload against the catalogue at append
 *   (`layerMemory({ catalog })`): validation is paid while loading, and the first rebuild already
 *   reads decoded events.
 *
 * Run: `pnpm --filter @utblick/indicators bench` (set UTBLICK_BENCH_EVENTS for another size).
 */
import { EventStore, Events } from "@utblick/core"
import * as BenchSummary from "@utblick/core/testing/BenchSummary"
import * as Synthetic from "@utblick/core/testing/Synthetic"
import { Indicator } from "@utblick/indicators"
import { ReadModels } from "@utblick/projections"
import { Effect, Stream } from "effect"

const N = Number(process.env["UTBLICK_BENCH_EVENTS"] ?? 1_000_000)
const { YEARS, unit, rawFold } = Synthetic

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`
const peakRss = () => Synthetic.peakRssBytes()
const rate = (ms: number) => Math.round((N / ms) * 1000).toLocaleString("en-US")
const line = (label: string, ms: number, rawMs?: number) =>
  console.log(`  ${label.padEnd(62)} ${rate(ms).padStart(10)} events/s${rawMs === undefined ? "" : `   ratio ${(rawMs / ms).toFixed(2)}`}`)

const rebuild = () =>
  Effect.gen(function* () {
    const snapshot = yield* ReadModels.run()
    return YEARS.flatMap((year) => Indicator.computeAll(snapshot.state, { year }))
  })

const timed = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const t0 = performance.now()
    const value = yield* effect
    return { value, ms: performance.now() - t0 }
  })

const load = Effect.gen(function* () {
  const store = yield* EventStore.EventStore
  for (let u = 0; u < N / 100; u++) yield* store.append(`unit-${u % 1000}`, unit(u))
  return Array.from(yield* Stream.runCollect(store.readAll()))
})

// Both sides must have computed the same figures.
const check = (values: ReadonlyArray<Indicator.IndicatorValue>, raw: Synthetic.RawFigures) => {
  for (const year of YEARS) {
    const byInstrument = values.find((v) => v.id === "granted-by-instrument" && v.year === year)
    const expected = ["project-support", "business-support", "commercial-service"].reduce((s, i) => s + (raw.granted[`${year}|${i}`] ?? 0), 0)
    if (byInstrument?.value !== expected) throw new Error(`granted ${year}: indicator ${byInstrument?.value} vs raw ${expected}`)
  }
  const active = Object.values(raw.members).filter(Boolean).length
  const activeIndicator = values.find((v) => v.id === "active-memberships" && v.year === YEARS[1])?.value
  if (activeIndicator !== active) throw new Error(`active memberships: indicator ${activeIndicator} vs raw ${active}`)
}

const plain = Effect.gen(function* () {
  const loaded = yield* timed(load)
  const events = loaded.value
  const rssLoaded = peakRss()
  const first = yield* timed(rebuild())
  let rawMs = Number.POSITIVE_INFINITY
  let againMs = Number.POSITIVE_INFINITY
  let raw: Synthetic.RawFigures | undefined
  let values = first.value
  for (let round = 0; round < 3; round++) {
    const t0 = performance.now()
    raw = rawFold(events)
    rawMs = Math.min(rawMs, performance.now() - t0)
    const again = yield* timed(rebuild())
    againMs = Math.min(againMs, again.ms)
    values = again.value
  }
  check(first.value, raw as Synthetic.RawFigures)
  check(values, raw as Synthetic.RawFigures)
  console.log(`@utblick/indicators rebuild benchmark — node ${process.version}, ${N.toLocaleString("en-US")} events (all five families), ${values.length} indicator values for ${YEARS.length} years`)
  line("raw baseline: switch fold over plain objects (best of 3)", rawMs)
  console.log("  plain memory store")
  line("  load (append, hashing on)", loaded.ms)
  line("  every read model + indicator, first (decodes every payload)", first.ms, rawMs)
  line("  every read model + indicator, again (best of 3)", againMs, rawMs)
  console.log(`    peak RSS: after loading ${mb(rssLoaded)}, after the rebuilds ${mb(peakRss())}`)
  const perSecond = (ms: number) => (N / ms) * 1000
  const common = { bench: "indicators", unit: "events/s", raw: perSecond(rawMs), rssMb: peakRss() / 1e6 } as const
  BenchSummary.record({ ...common, phase: "memory: every read model + indicator, first rebuild", ours: perSecond(first.ms) })
  BenchSummary.record({ ...common, phase: "memory: every read model + indicator, again", ours: perSecond(againMs) })
  return rawMs
})

const validating = (rawMs: number) =>
  Effect.gen(function* () {
    const loaded = yield* timed(load)
    const first = yield* timed(rebuild())
    console.log("  memory store validating at append (layerMemory({ catalog }))")
    line("  load (append, hashing and validation on)", loaded.ms)
    line("  every read model + indicator, first", first.ms, rawMs)
  })

const main = Effect.gen(function* () {
  const rawMs = yield* plain.pipe(Effect.provide(EventStore.layerMemory()))
  yield* validating(rawMs).pipe(Effect.provide(EventStore.layerMemory({ catalog: Events.eventCatalog })))
})

Effect.runPromise(main)
