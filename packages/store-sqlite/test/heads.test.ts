/**
 * `readHeads` (ADR 0038): the envelope fields of a range of events read from the indexed columns,
 * equal to those of the same events parsed from their bodies by `readAll`, for a page boundary
 * inside the range.
 */
import { EventStore } from "@utblick/core"
import { EventStoreContract } from "@utblick/core/testing"
import { Effect, Stream } from "effect"
import { describe, expect, it } from "vitest"
import { SqliteEventStore } from "../src/index.js"
import { tempFile } from "./helpers.js"

const sample = EventStoreContract.sampleEvent

describe("readHeads", () => {
  it("gives each event's position, type, tenant, dates and hash as readAll does, over pages", async () => {
    const { heads, full } = await Effect.runPromise(
      Effect.scoped(
        Effect.provide(
          Effect.gen(function* () {
            const store = yield* EventStore.EventStore
            for (let i = 0; i < 7; i++) {
              yield* store.append(`s-${i % 2}`, [
                sample({ tenant: i % 3 === 0 ? "kommun-a" : "region-b", occurredAt: `202${i}-0${1 + i}-15`, payload: { n: i } })
              ])
            }
            const range = { fromPosition: 2, toPosition: 6, batchSize: 3 }
            const readHeads = store.readHeads
            if (readHeads === undefined) throw new Error("the SQLite store reads heads")
            return {
              heads: yield* Stream.runCollect(readHeads(range)),
              full: yield* Stream.runCollect(store.readAll(range))
            }
          }),
          SqliteEventStore.layer({ filename: tempFile() })
        )
      )
    )
    // Positions 2..5: four events, i = 2..5; tenants by i % 3, dates by i.
    expect(heads.map((h) => [h.position, h.tenant, h.occurredAt])).toEqual([
      [2, "region-b", "2022-03-15"],
      [3, "kommun-a", "2023-04-15"],
      [4, "region-b", "2024-05-15"],
      [5, "region-b", "2025-06-15"]
    ])
    expect(heads).toEqual(
      full.map((e) => ({ position: e.position, type: e.type, tenant: e.tenant, occurredAt: e.occurredAt, recordedAt: e.recordedAt, hash: e.hash }))
    )
  })
})
