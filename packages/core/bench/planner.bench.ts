/**
 * Cost of planning an append (validation, canonical bytes, hash chain) per event, with and
 * without the SHA-256 chain, over the same events. Run: `tsx --conditions=@utblick/source bench/planner.bench.ts`.
 */
import { createHash } from "node:crypto"
import { CanonicalJson } from "@utblick/core"
import * as AppendPlanner from "@utblick/core/AppendPlanner"
import { Result } from "effect"

const N = Number(process.env["UTBLICK_BENCH_EVENTS"] ?? 200_000)
const BATCH = 1000
const events = Array.from({ length: BATCH }, (_, i) => ({
  type: "BusinessSupportGranted",
  schemaVersion: 1,
  occurredAt: "2022-06-30",
  tenant: "region-norrbotten",
  actor: { id: "run", role: "regional-development-board" },
  decisionRef: `RUN 00${i}-2022`,
  payload: { applicationId: `app-${i}`, year: 2022, regionId: "norrbotten", amount: 47_000_000 + i, decidingBody: "RUN", supportType: "investment", sector: "tourism", supportArea: "A", investment: 146_000_000, expectedJobsWomen: 1, expectedJobsMen: 1, leadership: "man" }
}))
const view: AppendPlanner.CommittedView = { streamTip: () => ({ version: 0, lastHash: null }), findEvent: () => undefined }
let n = 0
const plan = () => {
  let head = AppendPlanner.EMPTY_HEAD
  for (let done = 0; done < N; done += BATCH) {
    const r = AppendPlanner.planAppend({ origin: "bench", head, view, writes: [{ streamId: `s-${done}`, events }], nowMillis: 1.7e12, newEventId: () => `01890a5d-ac96-774b-bcce-${String(n++).padStart(12, "0")}` })
    if (Result.isFailure(r)) throw r.failure
    head = r.success.head
  }
}
const best = (f: () => void) => { let b = Infinity; for (let i = 0; i < 3; i++) { const t = performance.now(); f(); b = Math.min(b, performance.now() - t) } return b }
const tPlan = best(plan)
// The same canonical bytes hashed on their own, to isolate what the chain costs.
const sample = CanonicalJson.canonicalize({ ...events[0]!, position: 1, recordedAt: "2022-06-30T00:00:00.000Z" } as never)
const tHash = best(() => { let prev = Buffer.alloc(32); for (let i = 0; i < N; i++) prev = createHash("sha256").update(prev).update(sample).digest() })
const tStringify = best(() => { for (let i = 0; i < N; i++) JSON.stringify(events[i % BATCH]) })
const us = (ms: number) => ((ms * 1000) / N).toFixed(2)
console.log(`planAppend: ${us(tPlan)} µs/event (${Math.round(N / tPlan * 1000).toLocaleString("en-US")} events/s); SHA-256 chain alone ${us(tHash)} µs/event (${((tHash / tPlan) * 100).toFixed(0)} % of planning); JSON.stringify of the input ${us(tStringify)} µs/event`)
