import { EventStoreContract } from "@utblick/core/testing"
import Database from "better-sqlite3"
import { Effect, Result, Stream } from "effect"
import { describe, expect, it } from "vitest"
import { SqliteEventStore } from "../src/index.js"
import { tempFile } from "./helpers.js"

const sample = EventStoreContract.sampleEvent

// The page size of a file, read back by a connection of its own (ADR 0043: the write-ahead log's
// limit before a checkpoint is 16 MiB whatever the page size).
const pageSizeOf = (file: string): number => {
  const db = new Database(file, { readonly: true })
  try {
    return db.pragma("page_size", { simple: true }) as number
  } finally {
    db.close()
  }
}

describe("SqliteEventStore storage settings", () => {
  it("creates a new file at SQLite's default 4 KiB pages and lets its write-ahead log reach 16 MiB (4,096 pages) before a checkpoint", async () => {
    const file = tempFile("pages")
    const autocheckpoint = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const store = yield* SqliteEventStore.make({ filename: file })
          yield* store.append("trip-1", [sample({ payload: { n: 1 } })])
          return store.database.pragma("wal_autocheckpoint", { simple: true }) as number
        })
      )
    )
    expect(pageSizeOf(file)).toBe(4096)
    // 16 MiB / 4 KiB
    expect(autocheckpoint).toBe(4096)
  })

  it("sizes the log by the page size of a file created with other pages (8 KiB: 2,048 pages), and appends to it", async () => {
    const file = tempFile("other-pages")
    const db = new Database(file)
    db.pragma("page_size = 8192")
    db.pragma("journal_mode = WAL")
    db.exec("CREATE TABLE placeholder (x INTEGER) STRICT; DROP TABLE placeholder;")
    db.close()
    const { autocheckpoint, events, records } = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const store = yield* SqliteEventStore.make({ filename: file })
          yield* store.append("trip-1", [sample({ payload: { n: 1 } }), sample({ payload: { n: 2 } })])
          yield* store.append("trip-1", [sample({ payload: { n: 3 } })], { expectedVersion: 2 })
          return {
            autocheckpoint: store.database.pragma("wal_autocheckpoint", { simple: true }) as number,
            events: yield* Stream.runCollect(store.readAll()),
            records: yield* Stream.runCollect(store.readRecords())
          }
        })
      )
    )
    expect(pageSizeOf(file)).toBe(8192)
    // 16 MiB / 8 KiB
    expect(autocheckpoint).toBe(2048)
    expect(events.map((e) => e.streamVersion)).toEqual([1, 2, 3])
    expect(EventStoreContract.checkChain(events, records)).toBeUndefined()
  })

  it("takes walAutocheckpointPages as given, 0 included", async () => {
    const settingOf = (pages: number) =>
      Effect.runPromise(
        Effect.scoped(
          Effect.map(
            SqliteEventStore.make({ filename: tempFile("wal"), walAutocheckpointPages: pages }),
            (store) => store.database.pragma("wal_autocheckpoint", { simple: true }) as number
          )
        )
      )
    expect(await settingOf(250)).toBe(250)
    expect(await settingOf(0)).toBe(0)
  })

  it("refuses a walAutocheckpointPages that is not a whole number ≥ 0, naming the option and the value", async () => {
    for (const pages of [-1, 2.5, Number.NaN]) {
      const outcome = await Effect.runPromise(
        Effect.result(
          Effect.scoped(SqliteEventStore.make({ filename: tempFile("bad-wal"), walAutocheckpointPages: pages }))
        )
      )
      expect(Result.isFailure(outcome)).toBe(true)
      if (Result.isFailure(outcome)) {
        expect(outcome.failure.reason._tag).toBe("Unavailable")
        expect(outcome.failure.isRetryable).toBe(false)
        expect(outcome.failure.message).toContain(`walAutocheckpointPages must be a whole number of pages ≥ 0, not ${String(pages)}`)
      }
    }
  })

  it("appends to a memory-only database (\":memory:\") as before", async () => {
    const size = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const store = yield* SqliteEventStore.make({ filename: ":memory:" })
          yield* store.append("trip-1", [sample({ payload: { n: 1 } })])
          return (yield* store.head).size
        })
      )
    )
    expect(size).toBe(1)
  })
})
