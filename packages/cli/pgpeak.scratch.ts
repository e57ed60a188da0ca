import { readFileSync, writeFileSync } from "node:fs"
import { PgCheckpointStore, PgEventStore } from "@utblick/store-postgres"
import { Effect, Layer } from "effect"
import { ProjectionCheckpoints } from "@utblick/core"
import Database from "better-sqlite3"
const hwm = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))?.[1]) / 1024
const src = new Database(process.argv[2] as string, { readonly: true })
const row = src.prepare("SELECT state FROM projection_checkpoints WHERE projection = 'read-models' ORDER BY length(state) DESC LIMIT 1").get() as { state: Buffer } | undefined
src.close()
const state = row === undefined ? Buffer.alloc(0) : Buffer.from(row.state)
const layer = PgCheckpointStore.layer({ schema: "peak" }).pipe(Layer.provideMerge(PgEventStore.layerWithClientFromUrl(process.env["DATABASE_URL"] as string, { schema: "peak" })))
await Effect.runPromise(Effect.scoped(Effect.gen(function* () {
  const c = yield* ProjectionCheckpoints.ProjectionCheckpoints
  const key = { projection: "peak", version: 1, filter: "{}" }
  ;(globalThis as { gc?: () => void }).gc?.()
  writeFileSync("/proc/self/clear_refs", "5")
  const b0 = hwm()
  yield* c.save(key, { position: 1, hash: "h", state })
  const b1 = hwm()
  ;(globalThis as { gc?: () => void }).gc?.()
  writeFileSync("/proc/self/clear_refs", "5")
  const b2 = hwm()
  const found = yield* c.load(key)
  console.log(`${(state.length / 1e6).toFixed(1)} MB: save +${(b1 - b0).toFixed(0)} MB, load +${(hwm() - b2).toFixed(0)} MB (${((found?.state.byteLength ?? 0) / 1e6).toFixed(1)} MB back)`)
}).pipe(Effect.provide(layer))))
