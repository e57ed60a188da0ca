/**
 * How the SQLite store pages the log: each chunk holds `batchSize` events (at least one), and a
 * replay (`readAll`, `readHeads`) and a live tail (`subscribe`) refuse a deleted row wherever the page puts it, naming the first
 * missing position, while `readRecords` and a read with a hint hand the rows over as they are (the
 * verifier reports holes itself; a hint's rows are not contiguous anyway). Until 2026-12-07 this
 * store replayed over a deleted row without a word, where the PostgreSQL store refused it: a
 * report folded a log with an event missing. Every expected chunk and position is worked out by
 * hand from a log of positions 0–6.
 */
import { EventStoreContract } from "@utblick/core/testing"
import type { EventStoreError } from "@utblick/core/EventStoreError"
import { Effect, Stream } from "effect"
import { describe, expect, it } from "vitest"
import { SqliteEventStore } from "../src/index.js"
import { tempFile } from "./helpers.js"

const { sampleEvent } = EventStoreContract

// The positions of each chunk a read hands over, or the reason it failed.
const chunksOf = (read: Stream.Stream<{ readonly position: number }, EventStoreError>) =>
  Effect.gen(function* () {
    const chunks: Array<ReadonlyArray<number>> = []
    const outcome = yield* Effect.result(
      Stream.runForEachArray(read, (chunk) =>
        Effect.sync(() => {
          chunks.push(chunk.map((e) => e.position))
        })
      )
    )
    return outcome._tag === "Success" ? { chunks } : { chunks, failed: outcome.failure.reason }
  })

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

  it("refuses a deleted row in a replay wherever the page puts it, and passes it to the verifier's reads", async () => {
    const read = await withLog([4], (store) =>
      Effect.all({
        // Pages [0, 1, 2] and then [3, 5, 6]: as many rows as asked, the last one too far.
        filledPastIt: chunksOf(store.readAll({ batchSize: 3 })),
        // One page [2, 3, 5] from position 2: the rows before the gap are where they belong.
        fromTwo: chunksOf(store.readAll({ fromPosition: 2, batchSize: 3 })),
        // One page of up to 5 rows before position 5 that holds 4: the gap is its end.
        endingAtIt: chunksOf(store.readAll({ toPosition: 5 })),
        after: chunksOf(store.readAll({ fromPosition: 5 })),
        heads: chunksOf(store.readHeads!({ batchSize: 2 })),
        records: chunksOf(store.readRecords({ batchSize: 3 })),
        // Tenant a's rows are 0, 2 and 6 now.
        hinted: chunksOf(store.readAll({ only: { tenant: "a" } }))
      })
    )
    expect(read.filledPastIt).toEqual({ chunks: [[0, 1, 2]], failed: expect.objectContaining(gap(4)) })
    expect(read.fromTwo).toEqual({ chunks: [], failed: expect.objectContaining(gap(4)) })
    expect(read.endingAtIt).toEqual({ chunks: [], failed: expect.objectContaining(gap(4)) })
    expect(read.after).toEqual({ chunks: [[5, 6]] })
    // Heads in pages of two: [0, 1], [2, 3], then [5, 6] where [4, 5] belonged.
    expect(read.heads).toEqual({
      chunks: [
        [0, 1],
        [2, 3]
      ],
      failed: expect.objectContaining(gap(4))
    })
    // The records' pages go on after the last row read: [0, 1, 2], [3, 5, 6].
    expect(read.records).toEqual({
      chunks: [
        [0, 1, 2],
        [3, 5, 6]
      ]
    })
    expect(read.hinted).toEqual({ chunks: [[0, 2, 6]] })
  })

  it("a live tail stops at a deleted row too, from the start or from the hole itself", async () => {
    const read = await withLog([4], (store) =>
      Effect.all({
        // One page from 0: [0, 1, 2, 3, 5, 6], the hole inside it.
        fromStart: Effect.flip(Stream.runCollect(store.subscribe())),
        // From 4 itself: the page starts at 5.
        fromHole: Effect.flip(Stream.runCollect(store.subscribe({ fromPosition: 4 }))),
        // From 5 on nothing is missing: the tail hands over 5 and 6 and waits.
        after: Stream.runCollect(Stream.take(store.subscribe({ fromPosition: 5 }), 2)).pipe(
          Effect.map((events) => events.map((e) => e.position))
        )
      })
    )
    expect(read.fromStart.reason).toEqual(expect.objectContaining(gap(4)))
    expect(read.fromHole.reason).toEqual(expect.objectContaining(gap(4)))
    expect(read.after).toEqual([5, 6])
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

  it("refuses a stream read that skips a deleted version, naming the event after it", async () => {
    const read = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const store = yield* SqliteEventStore.make({ filename: tempFile("stream-hole") })
          // Versions 1–4 of grant-1 at positions 0, 2, 4 and 6; trip-1 between them.
          for (let i = 0; i < 7; i++)
            yield* store.append(i % 2 === 0 ? "grant-1" : "trip-1", [sampleEvent({ payload: { i } })])
          store.database.prepare("DELETE FROM events WHERE position = 2").run()
          const versions = (from?: number, stream = "grant-1") =>
            Effect.result(
              store.readStream(stream, from === undefined ? undefined : { fromVersion: from })
            ).pipe(
              Effect.map((r) =>
                r._tag === "Success" ? r.success.map((e) => e.streamVersion) : r.failure.reason
              )
            )
          return {
            whole: yield* versions(),
            fromTwo: yield* versions(2),
            fromThree: yield* versions(3),
            other: yield* versions(undefined, "trip-1")
          }
        })
      )
    )
    const hole = {
      _tag: "Corrupt",
      position: 4,
      streamId: "grant-1",
      detail: "the stream's version 2, before this event's 3, is missing: stream versions must be contiguous"
    }
    expect(read.whole).toEqual(expect.objectContaining(hole))
    expect(read.fromTwo).toEqual(expect.objectContaining(hole))
    // From version 3 on nothing is missing.
    expect(read.fromThree).toEqual([3, 4])
    // The other stream has lost nothing: its versions 1–3 at positions 1, 3 and 5.
    expect(read.other).toEqual([1, 2, 3])
  })
})
