/**
 * How the PostgreSQL store pages the log for `readAll`, on a real server (DATABASE_URL): each chunk
 * holds `batchSize` events (1,000 by default, at least one), for hinted reads too; and what it does
 * with rows deleted behind its back: core's `HolesContract` (ADR 0055), the same cases as the
 * SQLite store's. The mutation run of 2026-12-07 (docs/reference/mutation.md) found the chunk size
 * and most of the gap check untested, and a page filled up past a deleted row by its LIMIT was
 * taken for a whole one: the row after it was read twice and the gap never reported. Every
 * expected chunk and position is worked out by hand from a log of positions 0–6.
 */
import { EventStore } from "@utblick/core"
import { EventStoreContract, HolesContract } from "@utblick/core/testing"
import { ConfigProvider, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { describe, expect, it } from "vitest"
import { PgEventStore } from "../src/index.js"
import { clientLayer, DATABASE_URL, dropSchema, freshStore, reachable, runWith } from "./helpers.js"

const { chunksOf, sampleEvent } = EventStoreContract

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

describe.skipIf(!reachable)("PgEventStore's holes", () => {
  HolesContract.suite(
    "postgres",
    () => freshStore("it_pages_holes"),
    (_, position) =>
      Effect.scoped(
        Effect.flatMap(SqlClient.SqlClient, (sql) =>
          sql.unsafe("DELETE FROM it_pages_holes.utblick_events WHERE position = $1", [position])
        ).pipe(Effect.provide(clientLayer(1)))
      )
  )
})
