/**
 * What decoding a stored payload costs on replay, per event, over the synthetic mix of all
 * families: Effect's general decoder (the path without a fast guard), the catalogue's fast path
 * with generated code and with the closures it falls back to (ADR 0013), and a warm read of an
 * event the memory store keeps (ADR 0009). The spread `{ _tag, ...payload }` is measured as a
 * reference: it is what the closures and the general decoder start from.
 *
 * Run: `tsx --conditions=@utblick/source packages/core/bench/decode.bench.ts` (part of
 * `pnpm --filter @utblick/core bench`); `UTBLICK_BENCH_EVENTS` sets the number of events.
 */
import { type Envelope, EventStore, Events } from "@utblick/core"
import * as Synthetic from "@utblick/core/testing/Synthetic"
import { Effect, Result, Schema, type SchemaAST, Stream } from "effect"
import * as FastGuard from "../src/internal/FastGuard.js"

const N = Number(process.env["UTBLICK_BENCH_EVENTS"] ?? 200_000)
const ROUNDS = 7

// Each round runs every path once, in turn, so that all of them meet the same collector and
// compiler state; min and median over the rounds, in µs per event.
const measureAll = (
  paths: ReadonlyArray<readonly [string, () => void]>
): ReadonlyArray<readonly [string, { readonly min: number; readonly median: number }]> => {
  const times = paths.map((): Array<number> => [])
  for (let r = 0; r < ROUNDS; r++) {
    paths.forEach(([, run], i) => {
      const t0 = performance.now()
      run()
      ;(times[i] as Array<number>).push(((performance.now() - t0) * 1000) / N)
    })
  }
  return paths.map(([label], i) => {
    const sorted = [...(times[i] as Array<number>)].sort((a, b) => a - b)
    return [label, { min: sorted[0] as number, median: sorted[Math.floor(ROUNDS / 2)] as number }] as const
  })
}

const program = Effect.gen(function* () {
  const store = yield* EventStore.EventStore
  for (let u = 0; u < N / 100; u++) yield* store.append(`unit-${u % 1000}`, Synthetic.unit(u))
  const kept = Array.from(yield* Stream.runCollect(store.readAll()))
  // Copies are not kept by a store: the catalogue decodes them every time, as for a durable store.
  const fresh: ReadonlyArray<Envelope.StoredEvent> = kept.map((e) => ({ ...e }))
  const catalog = Events.eventCatalog
  const schemaOf = new Map(
    [...catalog.definitions].map(([tag, d]) => [tag, d.schema as unknown as Schema.Codec<unknown>])
  )
  const astOf = (tag: string) => (schemaOf.get(tag) as unknown as { readonly ast: SchemaAST.AST }).ast
  const general = new Map([...schemaOf].map(([tag, schema]) => [tag, Schema.decodeUnknownResult(schema)]))
  const builders = (codegen: boolean) =>
    new Map(
      [...schemaOf.keys()].map((tag) => [
        tag,
        FastGuard.compileTaggedWith(astOf(tag), tag, { codegen }) as FastGuard.Tagged
      ])
    )
  const generated = builders(true)
  const closures = builders(false)
  let refused = 0
  const rows = measureAll([
    [
      "spread { _tag, ...payload } (reference)",
      () => {
        for (const e of fresh) if ({ _tag: e.type, ...e.payload }._tag === "") refused++
      }
    ],
    [
      "Effect's decoder, no fast path",
      () => {
        for (const e of fresh)
          if (
            Result.isFailure(
              (general.get(e.type) as (u: unknown) => Result.Result<unknown, unknown>)({
                _tag: e.type,
                ...e.payload
              })
            )
          )
            refused++
      }
    ],
    [
      "fast path, closures (fallback)",
      () => {
        for (const e of fresh)
          if ((closures.get(e.type) as FastGuard.Tagged)(e.payload) === undefined) refused++
      }
    ],
    [
      "fast path, generated code",
      () => {
        for (const e of fresh)
          if ((generated.get(e.type) as FastGuard.Tagged)(e.payload) === undefined) refused++
      }
    ],
    [
      "catalogue.decode, event not kept",
      () => {
        for (const e of fresh) if (Result.isFailure(catalog.decode(e))) refused++
      }
    ],
    [
      "catalogue.decode, kept event read again",
      () => {
        for (const e of kept) if (Result.isFailure(catalog.decode(e))) refused++
      }
    ]
  ])
  // Every synthetic event is valid: a refusal would mean a path measured something else.
  if (refused > 0) throw new Error(`${refused} events were refused`)
  const general_ = (rows[1] as (typeof rows)[number])[1].median
  console.log(
    `@utblick/core decode benchmark — node ${process.version}, ${N.toLocaleString("en-US")} events of the synthetic mix, µs per event over ${ROUNDS} interleaved rounds`
  )
  console.log(`  ${"path".padEnd(42)} ${"min".padStart(6)} ${"median".padStart(7)}   vs Effect's decoder`)
  for (const [label, { min, median }] of rows) {
    console.log(
      `  ${label.padEnd(42)} ${min.toFixed(2).padStart(6)} ${median.toFixed(2).padStart(7)}   ${(general_ / median).toFixed(1)}× faster`
    )
  }
})

Effect.runPromise(program.pipe(Effect.provide(EventStore.layerMemory())))
