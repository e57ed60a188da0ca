/**
 * Year figures from sums (ADR 0046 step 2) against today's `Indicator.computeAll`, over the
 * read models of N synthetic events (`Synthetic.unit`, a realistic mix of all families, 4
 * tenants, years 2021 and 2022), in memory:
 *
 * - computeAll over the state for one year (no tenant: every tenant), best of 5;
 * - the sums of that year built from every entity once (what a rebuild pays), best of 3;
 * - finish of those sums (what a report pays once the sums are kept), best of 5;
 * - 1,000 further events (10 units): moving the sums by the entities they name, then finish;
 * - moving the sums by 1,000 existing applications (before = after: two contributions each).
 *
 * Every answer from sums is checked deep-equal to computeAll before its time is printed.
 *
 * Run: `npx tsx --conditions=@utblick/source packages/indicators/bench/yearSums.bench.ts`
 * (UTBLICK_BENCH_EVENTS for another size; default 1,000,000).
 */
import { isDeepStrictEqual } from "node:util"
import { EventStore, Events } from "@utblick/core"
import * as Synthetic from "@utblick/core/testing/Synthetic"
import { Indicator, YearSums } from "@utblick/indicators"
import { ReadModels } from "@utblick/projections"
import { Effect, Stream } from "effect"

const N = Number(process.env["UTBLICK_BENCH_EVENTS"] ?? 1_000_000)
const YEAR = Synthetic.YEARS[1]
const context = { year: YEAR }

const best = <A>(times: number, f: () => A): { value: A; ms: number } => {
  let ms = Number.POSITIVE_INFINITY
  let value: A | undefined
  for (let i = 0; i < times; i++) {
    const t0 = performance.now()
    value = f()
    ms = Math.min(ms, performance.now() - t0)
  }
  return { value: value as A, ms }
}

const line = (label: string, ms: number) =>
  console.log(`  ${label.padEnd(64)} ${ms.toFixed(2).padStart(10)} ms`)

const check = (label: string, a: unknown, b: unknown) => {
  if (!isDeepStrictEqual(a, b)) throw new Error(`${label}: the figures from sums differ from computeAll`)
}

// Entities by (model, tenant, id), with their order: what rows of a store would hold.
const index = (state: ReadModels.ReadModelsState) => {
  const out = new Map<string, YearSums.Entity>()
  for (const e of YearSums.entities(state)) out.set(`${e.model}|${e.tenant}|${e.id}`, e)
  return out
}

const program = Effect.gen(function* () {
  const store = yield* EventStore.EventStore
  const units = N / 100
  for (let u = 0; u < units; u++) yield* store.append(`unit-${u % 1000}`, Synthetic.unit(u))
  const before = (yield* ReadModels.run()).state
  // 10 more units: 1,000 events after the state above.
  for (let u = units; u < units + 10; u++) yield* store.append(`unit-${u % 1000}`, Synthetic.unit(u))
  const after = (yield* ReadModels.run()).state
  const tail = Array.from(yield* Stream.runCollect(store.readAll({ fromPosition: N })))
  return { before, after, tail }
})

const main = async () => {
  console.log(`YearSums over ${N.toLocaleString("en-US")} synthetic events, year ${YEAR}, every tenant`)
  const t0 = performance.now()
  const { before, after, tail } = await Effect.runPromise(
    program.pipe(Effect.provide(EventStore.layerMemory({ catalog: Events.eventCatalog })))
  )
  line("load and fold (not compared)", performance.now() - t0)
  let entities = 0
  for (const _ of YearSums.entities(before)) entities += 1
  console.log(`  entities: ${entities.toLocaleString("en-US")}; events after the state: ${tail.length}`)

  const computed = best(5, () => Indicator.computeAll(before, context))
  line("computeAll over the state", computed.ms)
  const built = best(3, () => YearSums.sumsOf(before, context))
  line("sums built from every entity (a rebuild)", built.ms)
  console.log(
    `  sums: ${YearSums.entries(built.value).length.toLocaleString("en-US")} keys in ${built.value.size} namespaces`
  )
  const whole = YearSums.wholeOf(before)
  const finished = best(5, () => YearSums.finish(built.value, whole, context))
  check("finish", finished.value, computed.value)
  line("finish of the sums", finished.ms)

  // The entities the 1,000 new events name, before and after (read from rows in a store).
  const rowsBefore = index(before)
  const rowsAfter = index(after)
  const named = new Set<string>()
  for (const e of tail) {
    const n = YearSums.entityNamed(e.type, e.payload as Readonly<Record<string, unknown>>, e.tenant)
    if (n !== undefined) named.add(`${n.model}|${n.tenant}|${n.id}`)
  }
  const moved = best(5, () => {
    const sums = YearSums.copy(built.value)
    const t = performance.now()
    for (const key of named) YearSums.move(sums, YEAR, rowsBefore.get(key), rowsAfter.get(key))
    return { sums, ms: performance.now() - t }
  })
  const afterComputed = Indicator.computeAll(after, context)
  const afterFinished = YearSums.finish(moved.value.sums, YearSums.wholeOf(after), context)
  check("after 1,000 events", afterFinished, afterComputed)
  line(`move by the ${named.size} entities 1,000 events name`, moved.value.ms)
  line(
    "finish after them",
    best(5, () => YearSums.finish(moved.value.sums, YearSums.wholeOf(after), context)).ms
  )
  line("computeAll after them (for comparison)", best(5, () => Indicator.computeAll(after, context)).ms)

  const existing = [...rowsBefore.values()].filter((e) => e.model === "application").slice(0, 1000)
  const same = best(5, () => {
    const sums = YearSums.copy(built.value)
    const t = performance.now()
    for (const e of existing) YearSums.move(sums, YEAR, e, e)
    return { sums, ms: performance.now() - t }
  })
  check("1,000 unchanged applications", YearSums.entries(same.value.sums), YearSums.entries(built.value))
  line("move by 1,000 existing applications (before = after)", same.value.ms)
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
