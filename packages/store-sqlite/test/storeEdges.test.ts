/**
 * What the SQLite event store says when SQLite refuses, and how it opens: the first mutation run
 * of `SqliteEventStore.ts` (2026-12-07, docs/reference/mutation.md) found every mapping of a
 * SQLite error to a message untested, the constraint failures of an insert never reached, the
 * read-only option only tested in a file the mutation runs leave out, and a hint of no fields or
 * of types alone never read. Each expected detail below is the sentence a person is meant to act
 * on, written out here, and each failure is made by SQLite itself where a test can make it (a
 * lock held by another connection, a file that is not a database, a directory, a page limit, a
 * read-only connection, an insert a trigger collides with).
 */
import { readdirSync, readlinkSync, writeFileSync } from "node:fs"
import { EventStoreContract } from "@utblick/core/testing"
import Database from "better-sqlite3"
import { Effect, Fiber, Stream } from "effect"
import { describe, expect, it } from "vitest"
import { SqliteEventStore } from "../src/index.js"
import { tempDir, tempFile } from "./helpers.js"

const { sampleEvent } = EventStoreContract

const unavailable = (error: ReturnType<typeof SqliteEventStore.toStoreError>) =>
  error.reason._tag === "Unavailable"
    ? { operation: error.reason.operation, detail: error.reason.detail, retryable: error.isRetryable }
    : error.reason

const run = <A, E>(effect: Effect.Effect<A, E, import("effect").Scope.Scope>) =>
  Effect.runPromise(Effect.scoped(effect))

// The failure of an effect, or a test failure when it succeeds.
const failure = <A, E>(effect: Effect.Effect<A, E>) => Effect.flip(effect)

describe("SqliteEventStore.toStoreError", () => {
  const error = (code: string, message: string) => new Database.SqliteError(message, code)
  const cases: ReadonlyArray<readonly [string, unknown, string, boolean]> = [
    [
      "SQLITE_BUSY",
      error("SQLITE_BUSY", "database is locked"),
      "log.db stayed locked by another connection longer than the busy timeout (database is locked); retry, or raise busyTimeoutMillis",
      true
    ],
    [
      "an extended busy code",
      error("SQLITE_BUSY_SNAPSHOT", "snap"),
      "log.db stayed locked by another connection longer than the busy timeout (snap); retry, or raise busyTimeoutMillis",
      true
    ],
    [
      "SQLITE_LOCKED_SHAREDCACHE",
      error("SQLITE_LOCKED_SHAREDCACHE", "table locked"),
      "log.db stayed locked by another connection longer than the busy timeout (table locked); retry, or raise busyTimeoutMillis",
      true
    ],
    [
      "SQLITE_FULL",
      error("SQLITE_FULL", "database or disk is full"),
      "log.db is full (database or disk is full): free disk space or raise the size limit",
      true
    ],
    [
      "SQLITE_READONLY_DBMOVED",
      error("SQLITE_READONLY_DBMOVED", "moved"),
      "log.db is read-only (moved): open it writable, or fix the permissions of the file and its directory",
      true
    ],
    [
      "SQLITE_IOERR_WRITE",
      error("SQLITE_IOERR_WRITE", "disk I/O error"),
      "the disk failed while accessing log.db (disk I/O error); check the device",
      true
    ],
    [
      "SQLITE_CANTOPEN",
      error("SQLITE_CANTOPEN", "unable to open database file"),
      "log.db cannot be opened (unable to open database file); check that its directory exists and is writable",
      true
    ],
    [
      "SQLITE_CANTOPEN_ISDIR",
      error("SQLITE_CANTOPEN_ISDIR", "is a directory"),
      "log.db cannot be opened (is a directory); check that its directory exists and is writable",
      true
    ],
    [
      "SQLITE_CORRUPT_INDEX",
      error("SQLITE_CORRUPT_INDEX", "malformed"),
      "log.db is damaged or not a SQLite database (malformed); restore it from a backup",
      false
    ],
    [
      "SQLITE_NOTADB",
      error("SQLITE_NOTADB", "file is not a database"),
      "log.db is damaged or not a SQLite database (file is not a database); restore it from a backup",
      false
    ],
    [
      "another SQLite code",
      error("SQLITE_MISMATCH", "datatype mismatch"),
      "datatype mismatch [SQLITE_MISMATCH]",
      false
    ],
    ["a code that only ends like a known one", error("XSQLITE_BUSY", "odd"), "odd [XSQLITE_BUSY]", false],
    [
      "an error that is not SQLite's",
      new TypeError("The database connection is not open"),
      "The database connection is not open",
      false
    ],
    ["a thrown string", "gone", "gone", false]
  ]
  it.each(cases)("%s: names the file, what SQLite said and what to do", (_, cause, detail, retryable) => {
    expect(unavailable(SqliteEventStore.toStoreError("append", "log.db", cause))).toEqual({
      operation: "append",
      detail,
      retryable
    })
  })
})

describe("SqliteEventStore: SQLite refusing", () => {
  it("an append that waits longer than busyTimeoutMillis for another connection's lock fails, retryable, and writes nothing", async () => {
    const filename = tempFile("busy")
    const outcome = await run(
      Effect.gen(function* () {
        const store = yield* SqliteEventStore.make({ filename, busyTimeoutMillis: 20 })
        yield* store.append("grant-1", [sampleEvent()])
        const other = new Database(filename)
        other.exec("BEGIN IMMEDIATE")
        const failed = yield* failure(store.append("grant-1", [sampleEvent()]))
        other.exec("ROLLBACK")
        other.close()
        return { failed: unavailable(failed), size: (yield* store.head).size }
      })
    )
    expect(outcome.failed).toEqual({
      operation: "append",
      detail: `${filename} stayed locked by another connection longer than the busy timeout (database is locked); retry, or raise busyTimeoutMillis`,
      retryable: true
    })
    expect(outcome.size).toBe(1)
  })

  it("an append past the file's page limit fails as full, retryable, and writes nothing", async () => {
    const outcome = await run(
      Effect.gen(function* () {
        const filename = tempFile("full")
        const store = yield* SqliteEventStore.make({ filename })
        yield* store.append("grant-1", [sampleEvent()])
        const pages = store.database.pragma("page_count", { simple: true }) as number
        store.database.pragma(`max_page_count = ${pages}`)
        const big = Array.from({ length: 20 }, (_, i) =>
          sampleEvent({ payload: { i, note: "x".repeat(4_000) } })
        )
        const failed = yield* failure(store.append("grant-2", big))
        return { filename, failed: unavailable(failed), size: (yield* store.head).size }
      })
    )
    expect(outcome.failed).toMatchObject({ operation: "append", retryable: true })
    expect((outcome.failed as { detail: string }).detail).toBe(
      `${outcome.filename} is full (database or disk is full): free disk space or raise the size limit`
    )
    expect(outcome.size).toBe(1)
  })

  it("a file that is not a database, or a directory, fails to open and says why", async () => {
    const garbage = tempFile("garbage")
    writeFileSync(garbage, "not a database, only text long enough to hold a header: ".repeat(20))
    const directory = tempDir()
    const opened = await Effect.runPromise(
      Effect.forEach([garbage, directory], (filename) =>
        Effect.flip(Effect.scoped(SqliteEventStore.make({ filename }))).pipe(Effect.map(unavailable))
      )
    )
    expect(opened).toEqual([
      {
        operation: "open the log",
        detail: `${garbage} is damaged or not a SQLite database (file is not a database); restore it from a backup`,
        retryable: false
      },
      {
        operation: "open the log",
        detail: `${directory} cannot be opened (unable to open database file); check that its directory exists and is writable`,
        retryable: true
      }
    ])
  })

  it("reads of a closed database fail naming the read", async () => {
    const failures = await run(
      Effect.gen(function* () {
        const store = yield* SqliteEventStore.make({ filename: tempFile("closed") })
        yield* store.append("grant-1", [sampleEvent()])
        store.database.close()
        return yield* Effect.all([
          failure(Stream.runCollect(store.readAll())),
          failure(Stream.runCollect(store.readRecords())),
          failure(Stream.runCollect(store.readAll({ only: { tenant: "a" } }))),
          failure(store.readStream("grant-1")),
          failure(store.head),
          failure(Stream.runCollect(store.subscribe()))
        ])
      })
    )
    expect(failures.map((f) => unavailable(f))).toEqual(
      ["read the log", "read the log", "read the log", "read a stream", "read the head", "read the log"].map(
        (operation) => ({
          operation,
          detail: "The database connection is not open",
          retryable: false
        })
      )
    )
  })
})

describe("SqliteEventStore: an insert that collides after planning", () => {
  // A trigger writes the row the store is about to write, as a writer that went round the
  // store's lock would: the insert then breaks a unique key the planner had checked.
  const collide = (filename: string, columns: string) => {
    const db = new Database(filename)
    db.exec(`CREATE TRIGGER collide BEFORE INSERT ON events WHEN NEW.stream_id = 'grant-9' AND NEW.position < 1000 BEGIN
      INSERT INTO events VALUES (${columns});
    END`)
    db.close()
  }
  const rest = "NEW.type, NEW.tenant, NEW.occurred_at, NEW.recorded_at, NEW.body, NEW.prev_hash, NEW.hash"

  it("on the stream's version: a ConcurrencyConflict from the version before it, and nothing written", async () => {
    const filename = tempFile("collide-version")
    const outcome = await run(
      Effect.gen(function* () {
        const store = yield* SqliteEventStore.make({ filename })
        yield* store.append("grant-1", [sampleEvent()])
        collide(filename, `NEW.position + 1000, 'ghost', NEW.stream_id, NEW.stream_version, ${rest}`)
        const failed = yield* failure(store.append("grant-9", [sampleEvent(), sampleEvent()]))
        return { reason: failed.reason, size: (yield* store.head).size }
      })
    )
    // The trigger's row went with the failed statement, so the tip is still nothing (0).
    expect(outcome.reason).toMatchObject({
      _tag: "ConcurrencyConflict",
      streamId: "grant-9",
      expected: "0",
      actual: 0
    })
    expect(outcome.size).toBe(1)
  })

  it("on the event id: a DuplicateEvent of the appended stream, at no position, and nothing written", async () => {
    const filename = tempFile("collide-id")
    const eventId = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"
    const outcome = await run(
      Effect.gen(function* () {
        const store = yield* SqliteEventStore.make({ filename })
        yield* store.append("grant-1", [sampleEvent()])
        collide(filename, `NEW.position + 1000, NEW.event_id, 'elsewhere', 1, ${rest}`)
        const failed = yield* failure(store.append("grant-9", [sampleEvent({ eventId })]))
        return { reason: failed.reason, size: (yield* store.head).size }
      })
    )
    expect(outcome.reason).toMatchObject({
      _tag: "DuplicateEvent",
      eventId,
      streamId: "grant-9",
      position: -1
    })
    expect(outcome.size).toBe(1)
  })
})

describe("SqliteEventStore: opening", () => {
  it("read-only: reads work, an append fails as read-only and retryable, nothing is written, another origin is refused", async () => {
    const filename = tempFile("readonly")
    await run(
      Effect.gen(function* () {
        const store = yield* SqliteEventStore.make({ filename, origin: "lulea.example/log" })
        yield* store.append("grant-1", [sampleEvent()])
      })
    )
    const outcome = await run(
      Effect.gen(function* () {
        const store = yield* SqliteEventStore.make({ filename, readonly: true })
        const failed = yield* failure(store.append("grant-1", [sampleEvent()]))
        const read = yield* Stream.runCollect(store.readAll())
        const wrongOrigin = yield* Effect.flip(
          Effect.scoped(SqliteEventStore.make({ filename, readonly: true, origin: "other.example/log" }))
        )
        return {
          failed: unavailable(failed),
          read: read.map((e) => [e.position, e.origin]),
          wrongOrigin: unavailable(wrongOrigin)
        }
      })
    )
    expect(outcome.failed).toEqual({
      operation: "append",
      detail: `${filename} is read-only (attempt to write a readonly database): open it writable, or fix the permissions of the file and its directory`,
      retryable: true
    })
    expect(outcome.read).toEqual([[0, "lulea.example/log"]])
    expect(outcome.wrongOrigin).toEqual({
      operation: "open the log",
      detail: `${filename} holds the log of origin "lulea.example/log", not "other.example/log"; pass the stored origin or another file`,
      retryable: false
    })
  })

  it("a store-wide batchSize of 0 reads one event a page, and a hint of no fields or of two types alone reads as asked", async () => {
    const read = await run(
      Effect.gen(function* () {
        const store = yield* SqliteEventStore.make({ filename: tempFile("batch"), batchSize: 0 })
        for (let i = 0; i < 3; i++)
          yield* store.append(`s-${i}`, [sampleEvent({ type: i === 1 ? "Other" : "Sample" })])
        const chunks: Array<ReadonlyArray<number>> = []
        yield* Stream.runForEachArray(store.readAll(), (chunk) =>
          Effect.sync(() => {
            chunks.push(chunk.map((e) => e.position))
          })
        )
        const positions = (only: object) =>
          Stream.runCollect(store.readAll({ only })).pipe(
            Effect.map((events) => events.map((e) => e.position))
          )
        return {
          chunks,
          none: yield* positions({}),
          types: yield* positions({ types: ["Other", "Nothing"] })
        }
      })
    )
    expect(read.chunks).toEqual([[0], [1], [2]])
    expect(read.none).toEqual([0, 1, 2])
    expect(read.types).toEqual([1])
  })
})

// The descriptors this process holds on `filename` (Linux: /proc/self/fd).
const openOn = (filename: string) =>
  readdirSync("/proc/self/fd").filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === filename
    } catch {
      return false
    }
  }).length

describe("SqliteEventStore: the file's life", () => {
  it("closes the file when its scope closes, and when opening fails part-way", async () => {
    const filename = tempFile("closing")
    const whileOpen = await run(
      Effect.gen(function* () {
        yield* SqliteEventStore.make({ filename })
        return openOn(filename)
      })
    )
    expect(whileOpen).toBeGreaterThan(0)
    expect(openOn(filename)).toBe(0)
    // A setting refused after the file was opened: the open fails, and the file is closed again.
    const refused = await Effect.runPromise(
      Effect.flip(Effect.scoped(SqliteEventStore.make({ filename, walAutocheckpointPages: -1 })))
    )
    expect(unavailable(refused)).toEqual({
      operation: "open the log",
      detail: "walAutocheckpointPages must be a whole number of pages ≥ 0, not -1",
      retryable: false
    })
    expect(openOn(filename)).toBe(0)
  })

  it("is a write-ahead log when readonly is false, and opens read-only without the origin row it cannot write", async () => {
    const filename = tempFile("modes")
    const mode = await run(
      Effect.gen(function* () {
        const store = yield* SqliteEventStore.make({ filename, readonly: false })
        yield* store.append("grant-1", [sampleEvent()])
        return store.database.pragma("journal_mode", { simple: true })
      })
    )
    expect(mode).toBe("wal")
    // Someone removes the pinned origin; a read-only open reads the log with the default one.
    const db = new Database(filename)
    db.prepare("DELETE FROM store_meta WHERE key = 'origin'").run()
    db.close()
    const read = await run(
      Effect.gen(function* () {
        const store = yield* SqliteEventStore.make({ filename, readonly: true })
        return (yield* Stream.runCollect(store.readAll())).map((e) => e.position)
      })
    )
    expect(read).toEqual([0])
  })

  it("a trigger that refuses a row fails the append in the trigger's words, not as a duplicate", async () => {
    const filename = tempFile("refusing")
    const outcome = await run(
      Effect.gen(function* () {
        const store = yield* SqliteEventStore.make({ filename })
        store.database.exec(
          "CREATE TRIGGER refuse BEFORE INSERT ON events WHEN NEW.stream_id = 'closed-1' BEGIN SELECT RAISE(ABORT, 'stream closed-1 is closed'); END"
        )
        const failed = yield* failure(store.append("closed-1", [sampleEvent()]))
        return { failed: unavailable(failed), size: (yield* store.head).size }
      })
    )
    expect(outcome.failed).toEqual({
      operation: "append",
      detail: "stream closed-1 is closed [SQLITE_CONSTRAINT_TRIGGER]",
      retryable: false
    })
    expect(outcome.size).toBe(0)
  })

  it("hands its own appends to its subscribers at once, and another connection's by polling", async () => {
    const filename = tempFile("waking")
    const seen = await run(
      Effect.gen(function* () {
        // Polling hourly: only the store's own wake-up can deliver within the test's time.
        const own = yield* SqliteEventStore.make({ filename, pollInterval: "1 hour" })
        const ownTail = yield* Effect.forkChild(Stream.runCollect(Stream.take(own.subscribe(), 1)))
        yield* Effect.sleep("50 millis")
        yield* own.append("grant-1", [sampleEvent()])
        const first = yield* Effect.timeout(Fiber.join(ownTail), "5 seconds")
        // Another store on the file, a connection of its own, sees that append by polling (250 ms
        // by default): the appending store's wake-up reaches only its own subscribers.
        const watching = yield* SqliteEventStore.make({ filename })
        const otherTail = yield* Effect.forkChild(
          Stream.runCollect(Stream.take(watching.subscribe({ fromPosition: 1 }), 1))
        )
        yield* Effect.sleep("50 millis")
        yield* own.append("grant-1", [sampleEvent()])
        const second = yield* Effect.timeout(Fiber.join(otherTail), "5 seconds")
        return [...first, ...second].map((e) => e.position)
      })
    )
    expect(seen).toEqual([0, 1])
  })
})
