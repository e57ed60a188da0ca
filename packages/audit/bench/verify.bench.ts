/**
 * Verification throughput and the cost of the chain hash on batched appends.
 *
 * Run: `npx -y pnpm@10 --filter @utblick/audit bench` (or `tsx bench/verify.bench.ts [events] [sqlite|memory]`).
 * Default: `@utblick/store-sqlite` on a temporary file (WAL), so the verify figure includes reading
 * the rows back; `memory` uses core's memory EventStore and measures the verifier alone.
 */
import { planAppend, EMPTY_HEAD, type CommittedView } from "@utblick/core/AppendPlanner"
import type { EventToAppend } from "@utblick/core/Envelope"
import * as EventStore from "@utblick/core/EventStore"
import { chainHash, GENESIS_HASH } from "@utblick/core/HashChain"
import { uuidV7FromParts } from "@utblick/core/Uuid"
import { Effect, Result, Stream } from "effect"
import { createHash, randomBytes } from "node:crypto"
import { layer as sqliteLayer } from "@utblick/store-sqlite/SqliteEventStore"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Verify from "../src/Verify.js"

const N = Number(process.argv[2] ?? 1_000_000)
const STORE = process.argv[3] === "memory" ? "memory" : "sqlite"
const BATCH = 1000
const ORIGIN = "bench.utblick.example/lulea-kommun"

const eventAt = (i: number): EventToAppend => ({
  eventId: uuidV7FromParts(1_790_000_000_000 + i, randomBytes(10)),
  type: "GrantDecisionTaken",
  schemaVersion: 1,
  occurredAt: "2026-09-30",
  tenant: "lulea-kommun",
  actor: { id: i % 2 === 0 ? "official:17" : "board:regional-council", role: "head-of-unit" },
  decisionRef: `2026/${i % 997}`,
  payload: { amountMinor: i * 100, currency: "SEK", note: `decision ${i}` }
})

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6

const main = Effect.gen(function* () {
  const store = yield* EventStore.EventStore
  console.log(
    `# @utblick/audit bench — ${N.toLocaleString("en")} events, ${STORE} EventStore, node ${process.version}`
  )
  let t = process.hrtime.bigint()
  for (let i = 0; i < N; i += BATCH) {
    const events: Array<EventToAppend> = []
    for (let j = i; j < Math.min(N, i + BATCH); j++) events.push(eventAt(j))
    yield* store.appendMany([{ streamId: `grant-${(i / BATCH) % 500}`, events }])
  }
  console.log(`populate       ${ms(t).toFixed(0)} ms`)

  t = process.hrtime.bigint()
  const report = yield* Verify.verifyStore({ origin: ORIGIN })
  const verifyMs = ms(t)
  if (!report.ok) throw new Error(`verify failed: ${JSON.stringify(report.failure)}`)
  const rate = N / (verifyMs / 1000)
  console.log(
    `verify         ${verifyMs.toFixed(0)} ms  ${Math.round(rate).toLocaleString("en")} events/s  (goal ≥ 300,000)`
  )

  // A machine-independent yardstick: the same records through JSON.parse alone and through one
  // SHA-256 each. On a loaded or slow machine read verify as a multiple of these.
  const canon: Array<string> = []
  yield* Stream.runForEachArray(store.readRecords({ batchSize: 4096 }), (chunk) =>
    Effect.sync(() => {
      for (const r of chunk) canon.push(r.canonical)
    })
  )
  t = process.hrtime.bigint()
  for (const c of canon) JSON.parse(c)
  const parseMs = ms(t)
  t = process.hrtime.bigint()
  for (const c of canon) createHash("sha256").update(c).digest()
  const shaMs = ms(t)
  console.log(
    `yardstick      JSON.parse alone ${parseMs.toFixed(0)} ms, one SHA-256 per record ${shaMs.toFixed(0)} ms; verify = ${(verifyMs / parseMs).toFixed(1)}× parse`
  )

  // Hashing cost: plan the same batches (validation, canonical JSON, chain hash) and time the
  // SHA-256 chain alone over the same canonical bytes; the ratio is what hashing adds.
  const batches: Array<Array<EventToAppend>> = []
  for (let i = 0; i < N; i += BATCH) {
    const events: Array<EventToAppend> = []
    for (let j = i; j < Math.min(N, i + BATCH); j++)
      events.push({ ...eventAt(j), eventId: undefined as never })
    batches.push(events.map(({ eventId: _e, ...rest }) => rest))
  }
  const view: CommittedView = {
    streamTip: () => ({ version: 0, lastHash: null }),
    findEvent: () => undefined
  }
  // Three rounds each, alternating, keeping the fastest: the machine may be shared.
  let planMs = Number.POSITIVE_INFINITY
  let hashMs = Number.POSITIVE_INFINITY
  for (let round = 0; round < 3; round++) {
    const canonicals: Array<string> = []
    let head = EMPTY_HEAD
    let n = 0
    t = process.hrtime.bigint()
    for (const events of batches) {
      const plan = planAppend({
        origin: ORIGIN,
        head,
        view,
        writes: [{ streamId: `grant-${n++}`, events }],
        nowMillis: 1_790_000_000_000,
        newEventId: () => "0192f000-0000-7000-8000-000000000000"
      })
      if (Result.isFailure(plan)) throw plan.failure
      head = plan.success.head
      for (const r of plan.success.records) canonicals.push(r.canonical)
    }
    planMs = Math.min(planMs, ms(t))
    t = process.hrtime.bigint()
    let prev = GENESIS_HASH
    for (const c of canonicals) prev = chainHash(prev, c)
    hashMs = Math.min(hashMs, ms(t))
  }
  const share = hashMs / (planMs - hashMs)
  console.log(`plan (w/ hash) ${planMs.toFixed(0)} ms;  chain SHA-256 alone ${hashMs.toFixed(0)} ms`)
  console.log(`hashing adds   ${(share * 100).toFixed(1)} % to batched append planning (goal ≤ 30 %)`)
})

const dir = mkdtempSync(join(tmpdir(), "audit-bench-"))
const layer =
  STORE === "memory"
    ? EventStore.layerMemory({ origin: ORIGIN })
    : sqliteLayer({ filename: join(dir, "bench.db"), origin: ORIGIN })
Effect.runPromise(Effect.scoped(Effect.provide(main, layer)))
  .catch((e) => {
    console.error(e)
    process.exitCode = 1
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }))
