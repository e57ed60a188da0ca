import { EventStore } from "@utblick/core"
import { EventStoreContract } from "@utblick/core/testing"
import { Context, Effect, Fiber, Layer, Result, Stream } from "effect"
import { SqlClient } from "effect/sql"
import { describe, expect, it } from "vitest"
import { PgEventStore, PgMigrator } from "../src/index.js"
import { logNames } from "../src/internal/names.js"
import { clientLayer, DATABASE_URL, dropSchema, everything, freshStore, reachable, runWith, waitingOn } from "./helpers.js"

const { sampleEvent, checkChain } = EventStoreContract

describe.skipIf(!reachable)("PgMigrator", () => {
  const schema = "it_migrations"

  it("upgrades a version-1 log to the latest version, keeping its origin and chain", async () => {
    // A version-1 log written by an earlier release: built here from the memory store's exact records.
    const origin = "test.utblick/upgrade"
    const old = await Effect.runPromise(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        yield* store.append("grant-1", [sampleEvent(), sampleEvent({ payload: { n: 2 } })])
        yield* store.append("trip-1", [sampleEvent({ tenant: "lulea-kommun" })])
        return yield* everything
      }).pipe(Effect.provide(EventStore.layerMemory({ origin })))
    )
    const result = await runWith(
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        yield* dropSchema(schema)
        const first = yield* PgMigrator.run({ schema, upTo: 1 })
        const v1 = yield* PgMigrator.currentVersion(schema)
        for (const [i, e] of old.events.entries()) {
          yield* sql.unsafe(
            `INSERT INTO ${schema}.utblick_events (position, event_id, stream_id, stream_version, tenant, type, occurred_at, recorded_at, prev_hash, hash, canonical)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
            [e.position, e.eventId, e.streamId, e.streamVersion, e.tenant, e.type, e.occurredAt, e.recordedAt, e.prevHash, e.hash, old.records[i]?.canonical]
          )
        }
        const second = yield* PgMigrator.run({ schema })
        const again = yield* PgMigrator.run({ schema })
        const indexes = yield* sql<{ readonly indexname: string }>`
          SELECT indexname FROM pg_indexes WHERE schemaname = ${schema} AND tablename = 'utblick_events'
          ORDER BY indexname`
        return {
          first,
          v1,
          second,
          again,
          latest: yield* PgMigrator.currentVersion(schema),
          indexes: indexes.map((i) => i.indexname)
        }
      }),
      clientLayer(2)
    )
    expect(result.first.map((m) => m.version)).toEqual([1])
    expect(result.v1).toBe(1)
    expect(result.second.map((m) => m.version)).toEqual([2, 3, 4, 5, 6])
    // Only the keys an append relies on (ADR 0041): the (tenant, position) index of migration 2
    // is gone again after migration 5.
    expect(result.indexes).toEqual([
      "utblick_events_event_id_key",
      "utblick_events_pkey",
      "utblick_events_stream_version_key"
    ])
    expect(result.again).toEqual([])
    expect(result.latest).toBe(PgMigrator.latestVersion)

    const upgraded = await runWith(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        yield* store.append("grant-1", [sampleEvent({ payload: { n: 3 } })], { expectedVersion: 2 })
        return { origin: store.origin, ...(yield* everything) }
      }),
      PgEventStore.layer({ schema, migrate: false }).pipe(Layer.provide(clientLayer()))
    )
    expect(upgraded.origin).toBe(origin)
    expect(upgraded.events.slice(0, 3)).toEqual([...old.events])
    expect(upgraded.records.slice(0, 3)).toEqual([...old.records])
    expect(upgraded.events).toHaveLength(4)
    expect(checkChain(upgraded.events, upgraded.records)).toBeUndefined()

    const wrongOrigin = await Effect.runPromise(
      Effect.flip(
        Effect.scoped(Layer.build(PgEventStore.layerFromUrl(DATABASE_URL, { schema, origin: "someone.else/log" })))
      )
    )
    expect(wrongOrigin.reason).toMatchObject({ _tag: "Unavailable", operation: "open the log", retryable: false })
    expect(wrongOrigin.message).toBe(
      `the store could not open the log: the log in schema "${schema}" was created with origin "${origin}", not "someone.else/log"; open it with that origin, or use another schema for a new log`
    )
    // Its own origin, given, opens it.
    const reopened = await Effect.runPromise(
      Effect.scoped(
        Effect.map(Layer.build(PgEventStore.layerFromUrl(DATABASE_URL, { schema, origin })), (context) =>
          Context.get(context, EventStore.EventStore).origin
        )
      )
    )
    expect(reopened).toBe(origin)
  })

  it("refuses to open an outdated schema when migrations are off", async () => {
    const error = await runWith(
      Effect.gen(function* () {
        yield* dropSchema(schema)
        yield* PgMigrator.run({ schema, upTo: 1 })
        return yield* Effect.flip(Effect.scoped(Layer.build(PgEventStore.layer({ schema, migrate: false }))))
      }),
      clientLayer(2)
    )
    expect(error.reason).toMatchObject({ _tag: "Unavailable", operation: "open the log", retryable: false })
    expect(error.message).toContain(`schema "${schema}" is at migration 1, this version needs ${PgMigrator.latestVersion}`)
    expect(error.message).toContain("PgMigrator.run")
  })

  it("refuses a log a newer package has migrated, whether it migrates or not, and changes nothing", async () => {
    // This package knows migrations 1–6; a newer one recorded a 7th.
    expect(PgMigrator.latestVersion).toBe(6)
    const outcome = await runWith(
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        yield* dropSchema(schema)
        yield* PgMigrator.run({ schema })
        yield* sql.unsafe(`INSERT INTO ${schema}.utblick_migrations (version, name) VALUES (7, 'from a newer package')`)
        const migrating = yield* Effect.flip(PgMigrator.run({ schema }))
        const opening = yield* Effect.flip(Effect.scoped(Layer.build(PgEventStore.layer({ schema }))))
        const notMigrating = yield* Effect.flip(
          Effect.scoped(Layer.build(PgEventStore.layer({ schema, migrate: false })))
        )
        const versions = yield* sql.unsafe<{ readonly version: number }>(
          `SELECT version FROM ${schema}.utblick_migrations ORDER BY version`
        )
        return { failures: [migrating, opening, notMigrating], versions: versions.map((r) => r.version) }
      }),
      clientLayer(2)
    )
    for (const failure of outcome.failures) {
      expect(failure.reason).toMatchObject({ _tag: "Unavailable", operation: "open the log", retryable: false })
      expect(failure.message).toContain(
        `schema "${schema}" is at migration 7, but this @utblick/store-postgres knows migrations up to 6; upgrade the package`
      )
    }
    expect(outcome.versions).toEqual([1, 2, 3, 4, 5, 6, 7])
  })
})

describe.skipIf(!reachable)("PgEventStore on a real server", () => {
  it("keeps 8 writers on separate connections exact, gap-free and chained", async () => {
    const schema = "it_concurrency"
    const writers = 8
    const perWriter = 15
    await runWith(Effect.void, freshStore(schema))
    const writer = (w: number) =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        for (let k = 0; k < perWriter; k++) {
          while (true) {
            const version = (yield* store.readStream("shared")).length
            const appended = yield* Effect.result(
              store.append("shared", [sampleEvent({ payload: { w, k } })], { expectedVersion: version })
            )
            if (Result.isSuccess(appended)) break
            if (appended.failure.reason._tag !== "ConcurrencyConflict") return yield* Effect.fail(appended.failure)
          }
          yield* store.append(`own-${w}`, [sampleEvent({ payload: { w, k } }), sampleEvent({ payload: { w, k, second: true } })])
        }
      }).pipe(
        // Each writer is its own store instance with its own pool: only PostgreSQL orders them.
        Effect.provide(PgEventStore.layer({ schema }).pipe(Layer.provide(clientLayer(2)))),
        Effect.scoped
      )
    await Effect.runPromise(Effect.all(Array.from({ length: writers }, (_, w) => writer(w)), { concurrency: "unbounded" }))
    const { events, records, shared } = await runWith(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        return { ...(yield* everything), shared: yield* store.readStream("shared") }
      }),
      PgEventStore.layer({ schema }).pipe(Layer.provide(clientLayer()))
    )
    expect(events).toHaveLength(writers * perWriter * 3)
    expect(events.map((e) => e.position)).toEqual(Array.from({ length: events.length }, (_, i) => i))
    expect(checkChain(events, records)).toBeUndefined()
    expect(shared.map((e) => e.streamVersion)).toEqual(Array.from({ length: writers * perWriter }, (_, i) => i + 1))
    for (let w = 0; w < writers; w++) {
      expect(shared.filter((e) => e.payload["w"] === w).map((e) => e.payload["k"])).toEqual(
        Array.from({ length: perWriter }, (_, k) => k)
      )
      expect(events.filter((e) => e.streamId === `own-${w}`)).toHaveLength(perWriter * 2)
    }
  })

  it("re-plans on a stale cache: another instance's writes collide, are refreshed, and the log stays gap-free and chained", async () => {
    const schema = "it_stale_cache"
    await runWith(Effect.void, freshStore(schema))
    const outcome = await Effect.runPromise(
      Effect.gen(function* () {
        // Two instances with their own pools; each caches the head and the stream tips it saw.
        const storeIn = Effect.map(
          Layer.build(PgEventStore.layer({ schema }).pipe(Layer.provide(clientLayer(2)))),
          (context) => Context.get(context, EventStore.EventStore)
        )
        const a = yield* storeIn
        const b = yield* storeIn
        const first = yield* a.append("shared", [sampleEvent({ payload: { n: 1 } })], { expectedVersion: 0 })
        // b has never seen "shared" and its head is stale: its plan collides, is refreshed, commits.
        const second = yield* b.append("shared", [sampleEvent({ payload: { n: 2 } })], { expectedVersion: 1 })
        // a's cache says "shared" is at version 1 and the log at size 1: both stale.
        const third = yield* a.append("shared", [sampleEvent({ payload: { n: 3 } })], { expectedVersion: 2 })
        const elsewhere = yield* b.append("other", [sampleEvent({ payload: { n: 4 } })])
        // A conflict seen in a stale cache is re-checked; a real one is still reported.
        const stale = yield* Effect.flip(b.append("shared", [sampleEvent({ payload: { n: 5 } })], { expectedVersion: 2 }))
        // A retry through the other instance of an acknowledged append is recognised, not rewritten.
        const retried = yield* b.append("shared", [...third.events.map((e) => ({ ...sampleEvent({ payload: { n: 3 } }), eventId: e.eventId }))], {
          expectedVersion: 2
        })
        const clash = yield* Effect.flip(b.append("other", [{ ...sampleEvent(), eventId: first.events[0]?.eventId as string }]))
        // Concurrent appends through both instances at once, on one stream and on their own.
        yield* Effect.all(
          Array.from({ length: 40 }, (_, k) => (k % 2 === 0 ? a : b).append(k % 4 < 2 ? "hot" : `cold-${k}`, [sampleEvent({ payload: { k } })])),
          { concurrency: "unbounded" }
        )
        const { events, records } = yield* Effect.all({
          events: Stream.runCollect(a.readAll()),
          records: Stream.runCollect(b.readRecords())
        })
        return { first, second, third, elsewhere, stale, retried, clash, events, records, hot: yield* b.readStream("hot") }
      }).pipe(Effect.scoped)
    )
    expect([outcome.first, outcome.second, outcome.third, outcome.elsewhere].map((r) => r.firstPosition)).toEqual([0, 1, 2, 3])
    expect([outcome.first, outcome.second, outcome.third].map((r) => r.nextExpectedVersion)).toEqual([1, 2, 3])
    expect(outcome.stale.reason).toMatchObject({ _tag: "ConcurrencyConflict", streamId: "shared", actual: 3 })
    expect(outcome.retried.deduplicated).toBe(true)
    expect(outcome.retried.firstPosition).toBe(2)
    expect(outcome.clash.reason._tag).toBe("DuplicateEvent")
    expect(outcome.events).toHaveLength(4 + 40)
    expect(outcome.events.map((e) => e.position)).toEqual(Array.from({ length: 44 }, (_, i) => i))
    expect(checkChain(outcome.events, outcome.records)).toBeUndefined()
    expect(outcome.hot.map((e) => e.streamVersion)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
  })

  it("fails with a retryable Unavailable when the writer's connection drops mid-append, and writes nothing", async () => {
    const schema = "it_dropped"
    const key = logNames(schema).appendLockKey
    const outcome = await runWith(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const admin = yield* SqlClient.SqlClient
        yield* store.append("grant-1", [sampleEvent()])
        // Hold the log's lock so the append stops inside its transaction, then kill its backend.
        yield* admin.unsafe(`SELECT pg_advisory_lock(${key})`)
        const fiber = yield* Effect.forkChild(store.append("grant-1", [sampleEvent({ payload: { n: 2 } })]))
        let victim: number | undefined
        while (victim === undefined) {
          const rows = yield* admin.unsafe<{ readonly pid: number }>(
            // Only a backend of this database waiting for this log's lock: other test files run beside this one.
            waitingOn(key)
          )
          victim = rows[0]?.pid
          if (victim === undefined) yield* Effect.sleep("10 millis")
        }
        yield* admin.unsafe(`SELECT pg_terminate_backend(${victim})`)
        yield* admin.unsafe(`SELECT pg_advisory_unlock(${key})`)
        const failed = yield* Effect.flip(Fiber.join(fiber))
        const headAfterFailure = yield* store.head
        const next = yield* store.append("grant-1", [sampleEvent({ payload: { n: 3 } })], { expectedVersion: 1 })
        return { failed, headAfterFailure, next, ...(yield* everything) }
      }),
      Layer.merge(freshStore(schema), clientLayer(1))
    )
    expect(outcome.failed.reason._tag).toBe("Unavailable")
    expect(outcome.failed.isRetryable).toBe(true)
    expect(outcome.failed.message).toContain("PostgreSQL")
    expect(outcome.headAfterFailure.size).toBe(1)
    expect(outcome.next.firstPosition).toBe(1)
    expect(outcome.events.map((e) => e.payload["n"])).toEqual([1, 3])
    expect(checkChain(outcome.events, outcome.records)).toBeUndefined()
  })

  it("reports a corrupt or missing row as Corrupt, naming position and stream", async () => {
    const schema = "it_corrupt"
    const result = await runWith(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const admin = yield* SqlClient.SqlClient
        yield* store.append("grant-1", [sampleEvent(), sampleEvent(), sampleEvent()])
        yield* admin.unsafe(`UPDATE ${schema}.utblick_events SET canonical = '{"broken' WHERE position = 1`)
        const unparsable = yield* Effect.flip(Stream.runCollect(store.readAll()))
        const inStream = yield* Effect.flip(store.readStream("grant-1"))
        yield* admin.unsafe(`UPDATE ${schema}.utblick_events SET canonical = '{"position":1,"streamId":"grant-1"}' WHERE position = 1`)
        const partial = yield* Effect.flip(Stream.runCollect(store.readAll()))
        yield* admin.unsafe(`DELETE FROM ${schema}.utblick_events WHERE position = 1`)
        const missing = yield* Effect.flip(Stream.runCollect(store.readAll()))
        return { unparsable, inStream, partial, missing }
      }),
      Layer.merge(freshStore(schema), clientLayer(1))
    )
    expect(result.unparsable.reason).toMatchObject({ _tag: "Corrupt", position: 1, streamId: "grant-1" })
    expect(result.unparsable.message).toContain("does not parse")
    expect(result.inStream.reason).toMatchObject({ _tag: "Corrupt", position: 1 })
    expect(result.partial.reason).toMatchObject({ _tag: "Corrupt", position: 1, streamId: "grant-1" })
    expect(result.partial.message).toContain("missing")
    expect(result.missing.reason).toMatchObject({ _tag: "Corrupt", position: 1 })
  })

  it("wakes a subscriber in another store instance through LISTEN/NOTIFY, and by polling without it", async () => {
    const schema = "it_subscribe"
    await runWith(Effect.void, freshStore(schema))
    for (const listen of [true, false]) {
      const seen = await Effect.runPromise(
        Effect.gen(function* () {
          // Both instances stay open for the whole test: building them in this scope keeps them alive.
          const storeIn = (options: PgEventStore.Options) =>
            Effect.map(
              Layer.build(PgEventStore.layer({ schema, ...options }).pipe(Layer.provide(clientLayer()))),
              (context) => Context.get(context, EventStore.EventStore)
            )
          const reader = yield* storeIn({ listen, pollInterval: "50 millis" })
          const writer = yield* storeIn({})
          const head = (yield* reader.head).size
          const fiber = yield* reader.subscribe({ fromPosition: head }).pipe(Stream.take(2), Stream.runCollect, Effect.forkChild)
          yield* writer.append("trip-1", [sampleEvent({ payload: { listen } })])
          yield* writer.append("trip-2", [sampleEvent({ payload: { listen } })])
          return yield* Fiber.join(fiber)
        }).pipe(Effect.scoped)
      )
      expect(seen.map((e) => e.streamId)).toEqual(["trip-1", "trip-2"])
    }
  })

  it("listens from the first subscription on, and then wakes it through NOTIFY alone", async () => {
    const schema = "it_listen_lazily"
    await runWith(Effect.void, freshStore(schema))
    const { channel } = logNames(schema)
    const result = await Effect.runPromise(
      Effect.gen(function* () {
        // The server's own view: backends of this database whose last statement listened on the log's channel.
        const admin = yield* SqlClient.SqlClient
        const listeners = Effect.map(
          admin<{ readonly n: number }>`
            SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND query ILIKE 'LISTEN%' AND position(${channel} IN query) > 0`,
          (rows) => rows[0]?.n ?? -1
        )
        const storeIn = (options: PgEventStore.Options) =>
          Effect.map(
            Layer.build(PgEventStore.layer({ schema, ...options }).pipe(Layer.provide(clientLayer()))),
            (context) => Context.get(context, EventStore.EventStore)
          )
        // Polling once an hour: only a notification can wake this subscriber within the test.
        const reader = yield* storeIn({ pollInterval: "1 hour" })
        const writer = yield* storeIn({})
        yield* reader.append("trip-1", [sampleEvent()])
        yield* writer.append("trip-2", [sampleEvent()])
        const beforeSubscribing = yield* listeners
        const head = (yield* reader.head).size
        const next = () => reader.subscribe({ fromPosition: head }).pipe(Stream.take(1), Stream.runCollect, Effect.forkChild)
        const first = yield* next()
        let afterSubscribing = yield* listeners
        for (let i = 0; i < 100 && afterSubscribing < 1; i++) {
          yield* Effect.sleep("20 millis")
          afterSubscribing = yield* listeners
        }
        // A second subscription of the same store shares its listener; a store told not to listen starts none.
        const second = yield* next()
        const quiet = yield* storeIn({ listen: false, pollInterval: "50 millis" })
        const third = yield* quiet.subscribe({ fromPosition: head }).pipe(Stream.take(1), Stream.runCollect, Effect.forkChild)
        yield* Effect.sleep("200 millis")
        const afterMore = yield* listeners
        yield* writer.append("trip-3", [sampleEvent()])
        const seen = yield* Effect.all([Fiber.join(first), Fiber.join(second), Fiber.join(third)]).pipe(
          Effect.timeout("10 seconds")
        )
        return { beforeSubscribing, afterSubscribing, afterMore, seen: seen.map((s) => s.map((e) => e.streamId)) }
      }).pipe(Effect.scoped, Effect.provide(clientLayer(1)))
    )
    expect(result.beforeSubscribing).toBe(0)
    expect(result.afterSubscribing).toBe(1)
    expect(result.afterMore).toBe(1)
    expect(result.seen).toEqual([["trip-3"], ["trip-3"], ["trip-3"]])
  })
})
