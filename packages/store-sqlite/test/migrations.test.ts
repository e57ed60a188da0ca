import { EventStore } from "@utblick/core"
import { EventStoreContract } from "@utblick/core/testing"
import Database from "better-sqlite3"
import { Effect, Result, Stream } from "effect"
import { describe, expect, it } from "vitest"
import { SqliteEventStore, SqliteMigrator } from "../src/index.js"
import { tempFile } from "./helpers.js"

const sample = EventStoreContract.sampleEvent

// Builds a file exactly as version 1 of this package left it, holding the log of a memory store.
const makeVersion1File = async (file: string) => {
  const { events, records } = await Effect.runPromise(
    Effect.gen(function* () {
      const store = yield* EventStore.makeMemory({ origin: "utblick.local/sqlite" })
      yield* store.append("membership-ubc", [sample({ payload: { n: 1 } }), sample({ payload: { n: 2 } })])
      yield* store.append("trip-9", [sample({ payload: { n: 3 } })])
      return {
        events: yield* Stream.runCollect(store.readAll()),
        records: yield* Stream.runCollect(store.readRecords())
      }
    })
  )
  const db = new Database(file)
  db.pragma("journal_mode = WAL")
  expect(SqliteMigrator.migrate(db, 1)).toEqual([1])
  db.prepare("INSERT INTO store_meta (key, value) VALUES ('origin', 'utblick.local/sqlite')").run()
  const insert = db.prepare(
    "INSERT INTO events (position, event_id, stream_id, stream_version, type, tenant, occurred_at, recorded_at, body, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
  )
  events.forEach((e, i) => {
    const r = records[i]!
    insert.run(
      e.position,
      e.eventId,
      e.streamId,
      e.streamVersion,
      e.type,
      e.tenant,
      e.occurredAt,
      e.recordedAt,
      r.canonical,
      r.prevHash,
      r.hash
    )
  })
  expect(SqliteMigrator.currentVersion(db)).toBe(1)
  db.close()
  return events
}

describe("SqliteMigrator", () => {
  it("upgrades a file created at version 1 and keeps its log intact", async () => {
    const file = tempFile("v1")
    const original = await makeVersion1File(file)
    const result = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const store = yield* SqliteEventStore.make({ filename: file })
          const events = yield* Stream.runCollect(store.readAll())
          const records = yield* Stream.runCollect(store.readRecords())
          const appended = yield* store.append("trip-9", [sample({ payload: { n: 4 } })], {
            expectedVersion: 1
          })
          const migrations = store.database
            .prepare("SELECT version, name FROM schema_migrations ORDER BY version")
            .all() as Array<{ version: number; name: string }>
          return {
            events,
            records,
            appended,
            migrations,
            version: SqliteMigrator.currentVersion(store.database)
          }
        })
      )
    )
    expect(result.version).toBe(SqliteMigrator.latestVersion)
    expect(SqliteMigrator.latestVersion).toBeGreaterThanOrEqual(2)
    expect(result.migrations.map((m) => m.version)).toEqual(SqliteMigrator.migrations.map((m) => m.version))
    expect(result.events).toEqual(original)
    expect(EventStoreContract.checkChain(result.events, result.records)).toBeUndefined()
    expect(result.appended.firstPosition).toBe(3)
    expect(result.appended.events[0]?.prevHash).toBe(original[2]?.hash)
  })

  it("leaves only the indexes a query of the store uses: position, stream and event id (migration 4)", async () => {
    const file = tempFile("indexes")
    await makeVersion1File(file)
    const indexesOf = (db: Database.Database) =>
      (
        db
          .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' ORDER BY name"
          )
          .all() as Array<{ name: string }>
      ).map((r) => r.name)
    const db = new Database(file)
    // What version 1 created: two unique constraints (SQLite names them itself) and three indexes.
    expect(indexesOf(db)).toEqual([
      "events_recorded_at",
      "events_tenant_occurred",
      "events_type",
      "sqlite_autoindex_events_1",
      "sqlite_autoindex_events_2"
    ])
    SqliteMigrator.migrate(db)
    expect(indexesOf(db)).toEqual(["sqlite_autoindex_events_1", "sqlite_autoindex_events_2"])
    // The two that stay are the unique keys an append relies on.
    expect(() =>
      db
        .prepare(
          "INSERT INTO events SELECT position + 100, event_id, stream_id, stream_version + 100, type, tenant, occurred_at, recorded_at, body, prev_hash, hash FROM events LIMIT 1"
        )
        .run()
    ).toThrow(/UNIQUE constraint failed: events.event_id/)
    expect(() =>
      db
        .prepare(
          "INSERT INTO events SELECT position + 100, 'x', stream_id, stream_version, type, tenant, occurred_at, recorded_at, body, prev_hash, hash FROM events LIMIT 1"
        )
        .run()
    ).toThrow(/UNIQUE constraint failed: events.stream_id, events.stream_version/)
    db.close()
  })

  it("is idempotent: reopening a current file applies nothing", () => {
    const file = tempFile("idem")
    const db = new Database(file)
    expect(SqliteMigrator.migrate(db)).toEqual(SqliteMigrator.migrations.map((m) => m.version))
    expect(SqliteMigrator.migrate(db)).toEqual([])
    db.close()
  })

  it("refuses a file from a newer package with a non-retryable Unavailable", async () => {
    const file = tempFile("future")
    const db = new Database(file)
    db.pragma(`user_version = ${SqliteMigrator.latestVersion + 1}`)
    db.close()
    const outcome = await Effect.runPromise(
      Effect.result(Effect.scoped(SqliteEventStore.make({ filename: file })))
    )
    expect(Result.isFailure(outcome)).toBe(true)
    if (Result.isFailure(outcome)) {
      expect(outcome.failure.reason._tag).toBe("Unavailable")
      expect(outcome.failure.isRetryable).toBe(false)
      expect(outcome.failure.message).toContain("upgrade the package")
    }
    // Called directly, as a tool that migrates files itself would: the tagged error, with both
    // versions, and the file left at the version it was.
    const direct = new Database(file)
    try {
      let thrown: unknown
      try {
        SqliteMigrator.migrate(direct)
      } catch (error) {
        thrown = error
      }
      expect(thrown).toBeInstanceOf(SqliteMigrator.SchemaTooNewError)
      expect(thrown).toMatchObject({
        _tag: "SchemaTooNewError",
        found: SqliteMigrator.latestVersion + 1,
        supported: SqliteMigrator.latestVersion,
        message: `the database file is at schema version ${SqliteMigrator.latestVersion + 1}, but this @utblick/store-sqlite supports up to ${SqliteMigrator.latestVersion}; upgrade the package`
      })
      expect(direct.pragma("user_version", { simple: true })).toBe(SqliteMigrator.latestVersion + 1)
    } finally {
      direct.close()
    }
  })

  it("refuses to open a log under a different origin", async () => {
    const file = tempFile("origin")
    await Effect.runPromise(Effect.scoped(SqliteEventStore.make({ filename: file, origin: "lulea.example" })))
    const outcome = await Effect.runPromise(
      Effect.result(Effect.scoped(SqliteEventStore.make({ filename: file, origin: "kiruna.example" })))
    )
    expect(Result.isFailure(outcome) && outcome.failure.message).toContain('"lulea.example"')
    const reopened = await Effect.runPromise(
      Effect.scoped(Effect.map(SqliteEventStore.make({ filename: file }), (s) => s.origin))
    )
    expect(reopened).toBe("lulea.example")
  })
})
