/**
 * What every durable `EventStore` does with a row deleted behind its back (ADR 0055): a replay,
 * a stream read and a live tail stop there with `Corrupt`, naming the first missing position or
 * version; `readRecords` and a read with a hint hand the rows over as they are. One log for every
 * case, worked out by hand: seven events, one an append, alternating between stream `grant-1`
 * (versions 1–4 at positions 0, 2, 4, 6; tenant `a`) and `trip-1` (versions 1–3 at 1, 3, 5; tenant
 * `b`), then the row at position 4 (`grant-1`'s version 3) deleted.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { HolesContract } from "@utblick/core/testing"
 * import { SqliteEventStore } from "@utblick/store-sqlite"
 *
 * HolesContract.suite("sqlite", () => SqliteEventStore.layer({ filename: ":memory:" }), (store, position) =>
 *   Effect.sync(() => (store as SqliteEventStore.SqliteEventStoreShape).database.prepare("DELETE FROM events WHERE position = ?").run(position)))
 * ```
 *
 * @since 0.4.0
 */
import { Effect, type Layer, Stream } from "effect"
import { describe, expect, it } from "vitest"
import { EventStore, type EventStoreShape } from "../EventStore.js"
import { MISSING_ROW } from "../Holes.js"
import { chunksOf, sampleEvent } from "./EventStoreContract.js"

const missing = { _tag: "Corrupt", position: 4, streamId: "unknown", detail: MISSING_ROW }

/**
 * Registers the suite. `deleteRow` removes the row at a position from the store's storage, as
 * someone with write access to it would, without going through the store.
 *
 * @category suites
 * @since 0.4.0
 */
export const suite = (
  name: string,
  makeLayer: () => Layer.Layer<EventStore, unknown>,
  deleteRow: (store: EventStoreShape, position: number) => Effect.Effect<void, unknown>
): void => {
  const withHole = <A>(read: (store: EventStoreShape) => Effect.Effect<A, unknown>): Promise<A> =>
    Effect.runPromise(
      Effect.scoped(
        Effect.provide(
          Effect.gen(function* () {
            const store = yield* EventStore
            for (let i = 0; i < 7; i++) {
              const even = i % 2 === 0
              yield* store.append(even ? "grant-1" : "trip-1", [
                sampleEvent({ tenant: even ? "a" : "b", payload: { i } })
              ])
            }
            yield* deleteRow(store, 4)
            return yield* read(store)
          }),
          makeLayer()
        )
      ) as Effect.Effect<A, unknown, never>
    )

  describe(`EventStore holes: ${name}`, () => {
    it("a replay stops at the deleted row wherever a page puts it, and reads on after it", async () => {
      const read = await withHole((store) =>
        Effect.all({
          // Pages [0, 1, 2] and then [3, 5, 6]: as many rows as asked, the last one too far.
          filledPastIt: chunksOf(store.readAll({ batchSize: 3 })),
          // One page [2, 3, 5] from position 2: the rows before the hole are where they belong.
          fromTwo: chunksOf(store.readAll({ fromPosition: 2, batchSize: 3 })),
          // A page of up to 5 rows before position 5 that holds 4: the hole is its end.
          endingAtIt: chunksOf(store.readAll({ toPosition: 5 })),
          after: chunksOf(store.readAll({ fromPosition: 5 })),
          // Heads, where the store offers them, in pages of two: [0, 1], [2, 3], then the hole.
          heads:
            store.readHeads === undefined
              ? Effect.succeed(undefined)
              : chunksOf(store.readHeads({ batchSize: 2 }))
        })
      )
      expect(read.filledPastIt).toEqual({ chunks: [[0, 1, 2]], failed: expect.objectContaining(missing) })
      expect(read.fromTwo).toEqual({ chunks: [], failed: expect.objectContaining(missing) })
      expect(read.endingAtIt).toEqual({ chunks: [], failed: expect.objectContaining(missing) })
      expect(read.after).toEqual({ chunks: [[5, 6]] })
      if (read.heads !== undefined)
        expect(read.heads).toEqual({
          chunks: [
            [0, 1],
            [2, 3]
          ],
          failed: expect.objectContaining(missing)
        })
    })

    it("the verifier's records and a read with a hint pass the hole on", async () => {
      const read = await withHole((store) =>
        Effect.all({
          // The records' pages go on after the last row read: [0, 1, 2], [3, 5, 6].
          records: chunksOf(store.readRecords({ batchSize: 3 })),
          // Tenant a's rows are 0, 2 and 6 now.
          hinted: chunksOf(store.readAll({ only: { tenant: "a" } }))
        })
      )
      expect(read.records).toEqual({
        chunks: [
          [0, 1, 2],
          [3, 5, 6]
        ]
      })
      expect(read.hinted).toEqual({ chunks: [[0, 2, 6]] })
    })

    it("a stream read stops at the skipped version, naming the event after it", async () => {
      const read = await withHole((store) => {
        const versions = (stream: string, fromVersion?: number) =>
          Effect.result(
            store.readStream(stream, fromVersion === undefined ? undefined : { fromVersion })
          ).pipe(
            Effect.map((r) =>
              r._tag === "Success" ? r.success.map((e) => e.streamVersion) : r.failure.reason
            )
          )
        return Effect.all({
          whole: versions("grant-1"),
          fromThree: versions("grant-1", 3),
          fromFour: versions("grant-1", 4),
          other: versions("trip-1")
        })
      })
      const skipped = {
        _tag: "Corrupt",
        position: 6,
        streamId: "grant-1",
        detail:
          "the stream's version 3, before this event's 4, is missing: stream versions must be contiguous"
      }
      expect(read.whole).toEqual(expect.objectContaining(skipped))
      expect(read.fromThree).toEqual(expect.objectContaining(skipped))
      expect(read.fromFour).toEqual([4])
      expect(read.other).toEqual([1, 2, 3])
    })

    it("a live tail stops at the deleted row, from the start or from the hole itself", async () => {
      const read = await withHole((store) =>
        Effect.all({
          fromStart: Effect.flip(Stream.runCollect(store.subscribe())),
          fromHole: Effect.flip(Stream.runCollect(store.subscribe({ fromPosition: 4 }))),
          // From 5 on nothing is missing: the tail hands over 5 and 6 and waits.
          after: Stream.runCollect(Stream.take(store.subscribe({ fromPosition: 5 }), 2)).pipe(
            Effect.map((events) => events.map((e) => e.position))
          )
        })
      )
      expect(read.fromStart.reason).toEqual(expect.objectContaining(missing))
      expect(read.fromHole.reason).toEqual(expect.objectContaining(missing))
      expect(read.after).toEqual([5, 6])
    })
  })
}
