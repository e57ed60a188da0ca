/**
 * One phase of the SQLite benchmark, run in its own process by sqlite.bench.ts; prints one JSON
 * line with the result.
 */
import { EventCatalog, Projection } from "@utblick/core"
import type { EventToAppend } from "@utblick/core/Envelope"
import * as Synthetic from "@utblick/core/testing/Synthetic"
import Database from "better-sqlite3"
import { Effect, Layer, Schema } from "effect"
import { SqliteEventStore } from "../src/index.js"

const [, , name, file, countArg] = process.argv
if (name === undefined || file === undefined)
  throw new Error("usage: phases.ts <batched|single|replay|raw> <file> [n]")

const TENANTS = ["lulea-kommun", "region-norrbotten", "pitea-kommun", "kiruna-kommun"] as const

// A synthetic mix: three event types the projection folds and one it skips.
const synthetic = (i: number): EventToAppend => {
  const tenant = TENANTS[i % TENANTS.length] as string
  const base = { schemaVersion: 1, occurredAt: "2022-06-30", tenant, actor: { id: "bench", role: "officer" } }
  switch (i % 4) {
    case 0:
      return {
        ...base,
        type: "PaymentDisbursed",
        payload: { grantId: `grant-${i % 997}`, amount: (i % 5000) + 1 }
      }
    case 1:
      return { ...base, type: "GrantRecovered", payload: { grantId: `grant-${i % 997}`, amount: i % 300 } }
    case 2:
      return {
        ...base,
        type: "TripCompleted",
        payload: { tripId: `trip-${i % 311}`, distanceKm: i % 1200, mode: "train" }
      }
    default:
      return {
        ...base,
        type: "NoteAdded",
        payload: { text: `note ${i} about the regional development project` }
      }
  }
}

const catalog = EventCatalog.make([
  EventCatalog.define(
    Schema.TaggedStruct("PaymentDisbursed", { grantId: Schema.String, amount: Schema.Number }),
    "PaymentDisbursed"
  ),
  EventCatalog.define(
    Schema.TaggedStruct("GrantRecovered", { grantId: Schema.String, amount: Schema.Number }),
    "GrantRecovered"
  ),
  EventCatalog.define(
    Schema.TaggedStruct("TripCompleted", {
      tripId: Schema.String,
      distanceKm: Schema.Number,
      mode: Schema.String
    }),
    "TripCompleted"
  )
])

interface Totals {
  paid: number
  recovered: number
  km: number
  count: number
}

const totals = Projection.make<Totals, typeof catalog extends EventCatalog.EventCatalog<infer E> ? E : never>(
  {
    name: "bench-totals",
    version: 1,
    handles: ["PaymentDisbursed", "GrantRecovered", "TripCompleted"],
    initialState: () => ({ paid: 0, recovered: 0, km: 0, count: 0 }),
    evolve: (state, event) => {
      switch (event._tag) {
        case "PaymentDisbursed":
          state.paid += event.amount
          break
        case "GrantRecovered":
          state.recovered += event.amount
          break
        case "TripCompleted":
          state.km += event.distanceKm
          break
      }
      state.count++
      return state
    }
  }
)

const checksum = (t: Totals) => `[paid ${t.paid}, recovered ${t.recovered}, km ${t.km}, folded ${t.count}]`
// VmHWM, not resourceUsage().maxRSS: a child started by fork + exec would report its parent's peak.
const maxRssMb = () => Synthetic.peakRssBytes() / 1e6
const report = (events: number, millis: number, extra: Record<string, unknown> = {}) =>
  console.log(
    JSON.stringify({
      events,
      seconds: millis / 1000,
      perSecond: (events * 1000) / millis,
      maxRssMb: maxRssMb(),
      ...extra
    })
  )

const withStore = <A, E>(f: (store: SqliteEventStore.SqliteEventStoreShape) => Effect.Effect<A, E>) =>
  Effect.runPromise(
    Effect.scoped(Effect.flatMap(SqliteEventStore.make({ filename: file, origin: "bench.utblick.local" }), f))
  )

switch (name) {
  case "batched": {
    const n = Number(countArg ?? 1_000_000)
    await withStore((store) =>
      Effect.gen(function* () {
        const t0 = performance.now()
        for (let b = 0; b * 1000 < n; b++) {
          const events = new Array<EventToAppend>(1000)
          for (let j = 0; j < 1000; j++) events[j] = synthetic(b * 1000 + j)
          yield* store.appendMany([{ streamId: `import-${b % 500}`, events }])
        }
        report(n, performance.now() - t0)
      })
    )
    break
  }
  case "single": {
    const n = Number(countArg ?? 5_000)
    await withStore((store) =>
      Effect.gen(function* () {
        const t0 = performance.now()
        for (let i = 0; i < n; i++) yield* store.append(`single-${i % 50}`, [synthetic(i)])
        report(n, performance.now() - t0)
      })
    )
    break
  }
  case "replay": {
    const layer = SqliteEventStore.layer({ filename: file })
    const t0 = performance.now()
    const snapshot = await Effect.runPromise(
      Projection.run(totals, catalog).pipe(Effect.provide(Layer.fresh(layer)))
    )
    report(snapshot.position, performance.now() - t0, { checksum: checksum(snapshot.state) })
    break
  }
  case "raw": {
    const t0 = performance.now()
    const db = new Database(file, { readonly: true })
    const state: Totals = { paid: 0, recovered: 0, km: 0, count: 0 }
    let rows = 0
    for (const body of db.prepare("SELECT body FROM events ORDER BY position").pluck().iterate()) {
      const e = JSON.parse(body as string)
      rows++
      switch (e.type) {
        case "PaymentDisbursed":
          state.paid += e.payload.amount
          state.count++
          break
        case "GrantRecovered":
          state.recovered += e.payload.amount
          state.count++
          break
        case "TripCompleted":
          state.km += e.payload.distanceKm
          state.count++
          break
      }
    }
    db.close()
    report(rows, performance.now() - t0, { checksum: checksum(state) })
    break
  }
  default:
    throw new Error(`unknown phase ${name}`)
}
