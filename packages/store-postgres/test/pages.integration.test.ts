/**
 * How the PostgreSQL store pages the log for `readAll`, on a real server (DATABASE_URL): each chunk
 * holds `batchSize` events (1,000 by default, at least one), and a replay refuses a deleted row
 * wherever the page puts it, naming the first missing position, while `readRecords` hands the
 * rows over as they are for the verifier to report. The mutation run of 2026-12-07
 * (docs/reference/mutation.md) found the chunk size and most of the gap check untested, and a page
 * filled up past a deleted row by its LIMIT was taken for a whole one: the row after it was read
 * twice and the gap never reported. Every expected chunk and position is worked out by hand from
 * a log of positions 0–6. A stream read refuses a deleted version the same way.
 */
import { EventStore } from "@utblick/core"
import type { EventStoreError } from "@utblick/core/EventStoreError"
import { EventStoreContract } from "@utblick/core/testing"
import { ConfigProvider, Effect, Layer, Stream } from "effect"
import { SqlClient } from "effect/sql"
import { describe, expect, it } from "vitest"
import { PgEventStore } from "../src/index.js"
import { clientLayer, DATABASE_URL, dropSchema, freshStore, reachable, runWith } from "./helpers.js"

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

describe.skipIf(!reachable)("PgEventStore's pages", () => {
  it("hands over readAll in chunks of batchSize: 1,000 by default, at least one", async () => {
    const schema = "it_pages_chunks"
    const read = await runWith(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        for (let i = 0; i < 7; i++) yield* store.append(`trip-${i % 2}`, [sampleEvent({ payload: { i } })])
        return {
          byDefault: yield* chunksOf(store.readAll()),
          threes: yield* chunksOf(store.readAll({ batchSize: 3 })),
          zero: yield* chunksOf(store.readAll({ batchSize: 0 })),
          records: yield* chunksOf(store.readRecords({ batchSize: 4 }))
        }
      }),
      freshStore(schema)
    )
    expect(read.byDefault).toEqual({ chunks: [[0, 1, 2, 3, 4, 5, 6]] })
    expect(read.threes).toEqual({ chunks: [[0, 1, 2], [3, 4, 5], [6]] })
    expect(read.zero).toEqual({ chunks: [[0], [1], [2], [3], [4], [5], [6]] })
    expect(read.records).toEqual({
      chunks: [
        [0, 1, 2, 3],
        [4, 5, 6]
      ]
    })
  })

  it("refuses a deleted row in a replay wherever the page puts it, and passes it to the verifier's reads", async () => {
    const schema = "it_pages_gaps"
    const read = await runWith(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const admin = yield* SqlClient.SqlClient
        for (let i = 0; i < 7; i++) yield* store.append(`trip-${i % 2}`, [sampleEvent({ payload: { i } })])
        yield* admin.unsafe(`DELETE FROM ${schema}.utblick_events WHERE position = 4`)
        return {
          // Pages [0, 1, 2] and then [3, 5, 6]: as many rows as asked, the last one too far.
          filledPastIt: yield* chunksOf(store.readAll({ batchSize: 3 })),
          // One page [2, 3, 5] from position 2: the rows before the gap are where they belong.
          fromTwo: yield* chunksOf(store.readAll({ fromPosition: 2, batchSize: 3 })),
          // One page of up to 5 rows before position 5 that holds 4: the gap is its end.
          endingAtIt: yield* chunksOf(store.readAll({ toPosition: 5 })),
          after: yield* chunksOf(store.readAll({ fromPosition: 5 })),
          // A live tail from 0 and from the hole itself; from 5 on it hands over 5 and 6.
          tail: yield* Effect.flip(Stream.runCollect(store.subscribe())),
          tailFromHole: yield* Effect.flip(Stream.runCollect(store.subscribe({ fromPosition: 4 }))),
          tailAfter: (yield* Stream.runCollect(Stream.take(store.subscribe({ fromPosition: 5 }), 2))).map(
            (e) => e.position
          ),
          records: yield* chunksOf(store.readRecords({ batchSize: 3 }))
        }
      }),
      Layer.merge(freshStore(schema), clientLayer(1))
    )
    const gap = {
      _tag: "Corrupt",
      position: 4,
      streamId: "unknown",
      detail: "the row is missing: positions must be gap-free"
    }
    expect(read.filledPastIt).toEqual({ chunks: [[0, 1, 2]], failed: expect.objectContaining(gap) })
    expect(read.fromTwo).toEqual({ chunks: [], failed: expect.objectContaining(gap) })
    expect(read.endingAtIt).toEqual({ chunks: [], failed: expect.objectContaining(gap) })
    expect(read.after).toEqual({ chunks: [[5, 6]] })
    expect(read.tail.reason).toEqual(expect.objectContaining(gap))
    expect(read.tailFromHole.reason).toEqual(expect.objectContaining(gap))
    expect(read.tailAfter).toEqual([5, 6])
    // The records' pages go on after the last row read: [0, 1, 2], [3, 5, 6].
    expect(read.records).toEqual({
      chunks: [
        [0, 1, 2],
        [3, 5, 6]
      ]
    })
  })

  it("refuses a stream read that skips a deleted version, naming the event after it", async () => {
    const schema = "it_pages_stream_hole"
    const read = await runWith(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const admin = yield* SqlClient.SqlClient
        // Versions 1–4 of grant-1 at positions 0, 2, 4 and 6; trip-1 between them.
        for (let i = 0; i < 7; i++)
          yield* store.append(i % 2 === 0 ? "grant-1" : "trip-1", [sampleEvent({ payload: { i } })])
        yield* admin.unsafe(`DELETE FROM ${schema}.utblick_events WHERE position = 2`)
        const versions = (stream: string, fromVersion?: number) =>
          Effect.result(
            store.readStream(stream, fromVersion === undefined ? undefined : { fromVersion })
          ).pipe(
            Effect.map((r) =>
              r._tag === "Success" ? r.success.map((e) => e.streamVersion) : r.failure.reason
            )
          )
        return {
          whole: yield* versions("grant-1"),
          fromTwo: yield* versions("grant-1", 2),
          fromThree: yield* versions("grant-1", 3),
          other: yield* versions("trip-1")
        }
      }),
      Layer.merge(freshStore(schema), clientLayer(1))
    )
    const hole = {
      _tag: "Corrupt",
      position: 4,
      streamId: "grant-1",
      detail: "the stream's version 2, before this event's 3, is missing: stream versions must be contiguous"
    }
    expect(read.whole).toEqual(expect.objectContaining(hole))
    expect(read.fromTwo).toEqual(expect.objectContaining(hole))
    expect(read.fromThree).toEqual([3, 4])
    expect(read.other).toEqual([1, 2, 3])
  })

  it("pages a read with a hint the same way: chunks of batchSize, nothing for a hint nothing passes", async () => {
    const schema = "it_pages_hinted"
    const read = await runWith(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        // Tenants a, b, a, b, a, b, a: tenant a at positions 0, 2, 4 and 6.
        for (let i = 0; i < 7; i++)
          yield* store.append(`trip-${i}`, [sampleEvent({ tenant: i % 2 === 0 ? "a" : "b" })])
        return {
          byDefault: yield* chunksOf(store.readAll({ only: { tenant: "a" } })),
          twos: yield* chunksOf(store.readAll({ only: { tenant: "a" }, batchSize: 2 })),
          zero: yield* chunksOf(store.readAll({ only: { tenant: "a" }, batchSize: 0 })),
          nobody: yield* chunksOf(store.readAll({ only: { tenant: "nobody" } })),
          noType: yield* chunksOf(store.readAll({ only: { types: [] } }))
        }
      }),
      freshStore(schema)
    )
    expect(read.byDefault).toEqual({ chunks: [[0, 2, 4, 6]] })
    expect(read.twos).toEqual({
      chunks: [
        [0, 2],
        [4, 6]
      ]
    })
    expect(read.zero).toEqual({ chunks: [[0], [2], [4], [6]] })
    expect(read.nobody.failed).toBeUndefined()
    expect(read.nobody.chunks.flat()).toEqual([])
    expect(read.noType).toEqual({ chunks: [] })
  })

  it("opens from the DATABASE_URL config, and names the connection when it cannot make one", async () => {
    const schema = "it_pages_config"
    await Effect.runPromise(dropSchema(schema).pipe(Effect.provide(clientLayer(1))))
    const appended = await runWith(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        return yield* store.append("trip-1", [sampleEvent()])
      }),
      PgEventStore.layerConfig({ schema }).pipe(
        Layer.provide(ConfigProvider.layer(ConfigProvider.fromEnvRecord({ DATABASE_URL })))
      )
    )
    expect(appended.firstPosition).toBe(0)
    // Nothing listens on port 1; a URL that does not parse; a refused login. Each is named as the
    // connection, whatever the store would have done first; only the server being down may pass.
    const failures = await Effect.runPromise(
      Effect.forEach(
        [
          "postgres://postgres:postgres@127.0.0.1:1/none",
          "not a url",
          DATABASE_URL.replace(/:\/\/([^:@/]+):[^@]*@/, "://$1:not-the-password@")
        ],
        (url) => Effect.flip(Effect.scoped(Layer.build(PgEventStore.layerFromUrl(url, { schema }))))
      )
    )
    expect(
      failures.map((e) => [e.reason._tag, (e.reason as { operation?: string }).operation, e.isRetryable])
    ).toEqual([
      ["Unavailable", "connect to PostgreSQL", true],
      ["Unavailable", "connect to PostgreSQL", false],
      ["Unavailable", "connect to PostgreSQL", false]
    ])
    expect(failures[0]?.message).toContain("ECONNREFUSED")
    expect(failures[1]?.message).toContain("Invalid URL")
    expect(failures[2]?.message).toContain("28P01: password authentication failed")
    for (const failure of failures)
      expect(failure.message).toContain("; check the URL and that the server is running")
    // Without DATABASE_URL in the config there is nothing to connect to.
    const unset = await Effect.runPromise(
      Effect.flip(
        Effect.scoped(
          Layer.build(
            PgEventStore.layerConfig({ schema }).pipe(
              Layer.provide(ConfigProvider.layer(ConfigProvider.fromEnvRecord({})))
            )
          )
        )
      )
    )
    expect(unset.reason).toMatchObject({
      _tag: "Unavailable",
      operation: "connect to PostgreSQL",
      retryable: false
    })
    expect(unset.message).toContain("; set DATABASE_URL")
  })
})
