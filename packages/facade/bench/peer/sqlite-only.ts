// The SQLite side of a batched append alone: rows planned up front by core's planner, then
// written call by call (100 rows, one transaction each) into a file with the store's schema, so
// that pragmas and layouts can be compared without the planner's cost in the figure.
// Run: tsx --conditions=@utblick/source bench/peer/sqlite-only.ts
// Env: N (events, default 40000), V (comma list of variants, each a "+"-joined set of
// psN = page size N, acN = wal_autocheckpoint N, or "base"; default base,ac10k,base,ac10k).
import * as AppendPlanner from "@utblick/core/AppendPlanner"
import { Uuid } from "@utblick/core"
import { SqliteMigrator } from "@utblick/store-sqlite"
import { Result } from "effect"
import { mkdtempSync } from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { toAppend } from "./workload.js"
const Database = createRequire(import.meta.resolve("@utblick/store-sqlite"))("better-sqlite3") as typeof import("better-sqlite3")
const { migrate } = SqliteMigrator
const N = Number(process.env["N"] ?? 40000)
let head = AppendPlanner.EMPTY_HEAD
const calls: Array<ReadonlyArray<AppendPlanner.PreparedRecord>> = []
for (let c = 0; c < N / 100; c++) {
  const now = Date.now()
  const plan = AppendPlanner.planAppend({ origin: "bench.utblick.example/log", head, view: { streamTip: () => ({ version: 0, lastHash: null }), findEvent: () => undefined }, writes: [{ streamId: `grant-0-${c}`, events: Array.from({ length: 100 }, (_, k) => toAppend(c * 100 + k)) }], nowMillis: now, newEventId: () => Uuid.uuidV7At(now) })
  if (Result.isFailure(plan)) throw plan.failure
  calls.push(plan.success.records); head = plan.success.head
}
const dir = mkdtempSync(join(tmpdir(), "hp-sq-"))
for (const variant of (process.env["V"] ?? "base,ac10k,base,ac10k").split(",")) {
  const db = new Database(join(dir, `${variant}-${Math.random()}.db`))
  const parts = variant.split("+")
  for (const part of parts) if (part.startsWith("ps")) db.pragma(`page_size = ${part.slice(2)}`)
  db.pragma("journal_mode = WAL"); db.pragma("synchronous = NORMAL")
  for (const part of parts) if (part.startsWith("ac")) db.pragma(`wal_autocheckpoint = ${part.slice(2)}`)
  migrate(db)
  const tip = db.prepare("SELECT stream_version, hash FROM events WHERE stream_id = ? ORDER BY stream_version DESC LIMIT 1").raw(true)
  const hd = db.prepare("SELECT position, hash, recorded_at FROM events ORDER BY position DESC LIMIT 1").raw(true)
  const ins = db.prepare("INSERT INTO events (position, event_id, stream_id, stream_version, type, tenant, occurred_at, recorded_at, body, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
  const tx = db.transaction((records: ReadonlyArray<AppendPlanner.PreparedRecord>) => {
    hd.get(); tip.get((records[0] as AppendPlanner.PreparedRecord).event.streamId)
    for (const r of records) { const e = r.event; ins.run(e.position, e.eventId, e.streamId, e.streamVersion, e.type, e.tenant, e.occurredAt, e.recordedAt, r.canonical, e.prevHash, e.hash) }
  })
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  for (const records of calls) tx.immediate(records)
  const ms = performance.now() - t0
  db.close()
  const withClose = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  console.log(`${variant}: ${Math.round(N / (ms / 1000))} events/s, ${(ms * 1000 / N).toFixed(1)} us/event; with the closing checkpoint ${(withClose * 1000 / N).toFixed(1)} us/event, CPU ${((cpu.user + cpu.system) / N).toFixed(1)} us/event`)
}
