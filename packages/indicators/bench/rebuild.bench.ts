/**
 * Rebuilds every read model and every indicator from 1,000,000 synthetic events (a realistic mix
 * of all families) in the memory store, against a raw baseline: a hand-written `switch` fold over
 * the same plain objects computing the same headline figures, measured in the same run.
 *
 * Run: `pnpm --filter @utblick/indicators bench` (set UTBLICK_BENCH_EVENTS for another size).
 */
import { EventStore } from "@utblick/core"
import * as Synthetic from "@utblick/core/testing/Synthetic"
import { Indicator } from "@utblick/indicators"
import { ReadModels } from "@utblick/projections"
import { Effect, Stream } from "effect"

const N = Number(process.env["UTBLICK_BENCH_EVENTS"] ?? 1_000_000)
const { YEARS, unit, rawFold } = Synthetic

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`
const peakRss = () => Synthetic.peakRssBytes()
const rate = (ms: number) => Math.round((N / ms) * 1000).toLocaleString("en-US")

const program = Effect.gen(function* () {
  const store = yield* EventStore.EventStore
  let t0 = performance.now()
  for (let u = 0; u < N / 100; u++) yield* store.append(`unit-${u % 1000}`, unit(u))
  const loadMs = performance.now() - t0
  const events = yield* Stream.runCollect(store.readAll())
  const rssLoaded = peakRss()

  const rebuild = () =>
    Effect.gen(function* () {
      const snapshot = yield* ReadModels.run()
      return YEARS.flatMap((year) => Indicator.computeAll(snapshot.state, { year }))
    })

  // Cold: the first rebuild decodes every payload through its schema.
  t0 = performance.now()
  const cold = yield* rebuild()
  const coldMs = performance.now() - t0
  let warmMs = Number.POSITIVE_INFINITY
  let rawMs = Number.POSITIVE_INFINITY
  let rawResult: Synthetic.RawFigures | undefined
  let values = cold
  for (let round = 0; round < 3; round++) {
    t0 = performance.now()
    rawResult = rawFold(events)
    rawMs = Math.min(rawMs, performance.now() - t0)
    t0 = performance.now()
    values = yield* rebuild()
    warmMs = Math.min(warmMs, performance.now() - t0)
  }
  // Both sides must have computed the same figures.
  for (const year of YEARS) {
    const byInstrument = values.find((v) => v.id === "granted-by-instrument" && v.year === year)
    const expected = ["project-support", "business-support", "commercial-service"].reduce((s, i) => s + (rawResult?.granted[`${year}|${i}`] ?? 0), 0)
    if (byInstrument?.value !== expected) throw new Error(`granted ${year}: indicator ${byInstrument?.value} vs raw ${expected}`)
  }
  const active = Object.values(rawResult?.members ?? {}).filter(Boolean).length
  const activeIndicator = values.find((v) => v.id === "active-memberships" && v.year === YEARS[1])?.value
  if (activeIndicator !== active) throw new Error(`active memberships: indicator ${activeIndicator} vs raw ${active}`)

  console.log(`@utblick/indicators rebuild benchmark — node ${process.version}, ${N.toLocaleString("en-US")} events (all five families), ${values.length} indicator values for ${YEARS.length} years`)
  console.log(`  load the memory store (append, hashing on)         ${rate(loadMs).padStart(10)} events/s`)
  console.log(`  raw baseline: switch fold over plain objects       ${rate(rawMs).padStart(10)} events/s`)
  console.log(`  every read model + indicator, cold (decoding)      ${rate(coldMs).padStart(10)} events/s   ratio ${(rawMs / coldMs).toFixed(2)}`)
  console.log(`  every read model + indicator, warm (best of 3)     ${rate(warmMs).padStart(10)} events/s   ratio ${(rawMs / warmMs).toFixed(2)}`)
  console.log(`  peak RSS: after loading ${mb(rssLoaded)}, after the rebuilds ${mb(peakRss())}`)
})

Effect.runPromise(program.pipe(Effect.provide(EventStore.layerMemory())))
