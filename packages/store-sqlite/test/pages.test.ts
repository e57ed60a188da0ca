/**
 * How the SQLite store pages the log: each chunk holds `batchSize` events (at least one) and a read
 * stops at the log's end; and what it does with rows deleted behind its back: core's
 * `HolesContract` (ADR 0055, the same cases as the PostgreSQL store's), and here a log with
 * several holes. Until 2026-12-07 this store replayed over a deleted row without a word, where the
 * PostgreSQL store refused it: a report folded a log with an event missing. Every expected chunk
 * and position is worked out by hand from a log of positions 0–6.
 */
import { EventStoreContract, HolesContract } from "@utblick/core/testing"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { SqliteEventStore } from "../src/index.js"
import { tempFile } from "./helpers.js"

const { chunksOf, sampleEvent } = EventStoreContract

// Seven events, one per append: tenants a, b, a, b, a, b, a (tenant a at 0, 2, 4 and 6); then
// `deleted` rows removed behind the store's back.
const withLog = <A>(
  deleted: ReadonlyArray<number>,
  read: (store: SqliteEventStore.SqliteEventStoreShape) => Effect.Effect<A, unknown>
) =>
  Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const store = yield* SqliteEventStore.make({ filename: tempFile("pages") })
        for (let i = 0; i < 7; i++)
          yield* store.append(`trip-${i}`, [sampleEvent({ tenant: i % 2 === 0 ? "a" : "b", payload: { i } })])
        for (const position of deleted)
          store.database.prepare("DELETE FROM events WHERE position = ?").run(position)
        return yield* read(store)
      })
    )
  )

const gap = (position: number) => ({
  _tag: "Corrupt",
  position,
  streamId: "unknown",
  detail: "the row is missing: positions must be gap-free"
})

describe("SqliteEventStore's pages", () => {
  it("hands over every read in chunks of batchSize, at least one, and stops at the log's end", async () => {
    const read = await withLog([], (store) =>
      Effect.all({
        byDefault: chunksOf(store.readAll()),
        threes: chunksOf(store.readAll({ batchSize: 3 })),
        zero: chunksOf(store.readAll({ batchSize: 0 })),
        pastTheEnd: chunksOf(store.readAll({ fromPosition: 4, toPosition: 100 })),
        heads: chunksOf(store.readHeads!({ batchSize: 4 })),
        records: chunksOf(store.readRecords({ batchSize: 4 }))
      })
    )
    expect(read.byDefault).toEqual({ chunks: [[0, 1, 2, 3, 4, 5, 6]] })
    expect(read.threes).toEqual({ chunks: [[0, 1, 2], [3, 4, 5], [6]] })
    expect(read.zero).toEqual({ chunks: [[0], [1], [2], [3], [4], [5], [6]] })
    // A range past the end is no hole: positions 7–99 are not written yet.
    expect(read.pastTheEnd).toEqual({ chunks: [[4, 5, 6]] })
    expect(read.heads).toEqual({
      chunks: [
        [0, 1, 2, 3],
        [4, 5, 6]
      ]
    })
    expect(read.records).toEqual({
      chunks: [
        [0, 1, 2, 3],
        [4, 5, 6]
      ]
    })
  })

  it("names the first of several missing rows, and a page that comes back short", async () => {
    const read = await withLog([1, 2, 5], (store) =>
      Effect.all({
        // One page from 0 of up to 1,000 rows: [0, 3, 4, 6], the first hole at 1.
        whole: chunksOf(store.readAll()),
        // From 3, pages of two: [3, 4], then [6] where [5, 6] belonged.
        fromThree: chunksOf(store.readAll({ fromPosition: 3, batchSize: 2 }))
      })
    )
    expect(read.whole).toEqual({ chunks: [], failed: expect.objectContaining(gap(1)) })
    expect(read.fromThree).toEqual({ chunks: [[3, 4]], failed: expect.objectContaining(gap(5)) })
    expect((read.whole.failed as { readonly message: string } | undefined)?.message).toBe(
      'the stored event at position 1 (stream "unknown") is corrupt: the row is missing: positions must be gap-free'
    )
  })
})

HolesContract.suite(
  "sqlite",
  () => SqliteEventStore.layer({ filename: tempFile("holes") }),
  (store, position) =>
    Effect.sync(() => {
      ;(store as SqliteEventStore.SqliteEventStoreShape).database
        .prepare("DELETE FROM events WHERE position = ?")
        .run(position)
    })
)
