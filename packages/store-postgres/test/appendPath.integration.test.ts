/**
 * The append path at its edges, on a real server (DATABASE_URL): appends queued behind a busy
 * writer go out in one statement, a row the table refuses fails only its own append, an insert
 * the server stores only in part is refused, an instance that collided takes the log's lock first
 * for its next 16 groups (ADR 0010), a store wakes its own subscribers, and a commit that writes
 * nothing notifies no one. The mutation run of 2026-12-07 (docs/reference/mutation.md) found each
 * of these untested. Every expected position, statement, message and notification is worked out
 * from those designs, by hand: a notification's payload is the log's size after the commit.
 */
import { PgClient } from "@effect/sql-pg"
import { EventStore } from "@utblick/core"
import type { EventStoreError } from "@utblick/core/EventStoreError"
import { EventStoreContract } from "@utblick/core/testing"
import { Context, Effect, Fiber, Layer, Queue, type Result, Stream } from "effect"
import { SqlClient } from "effect/sql"
import { describe, expect, it } from "vitest"
import { PgEventStore } from "../src/index.js"
import { logNames } from "../src/internal/names.js"
import {
  clientLayer,
  DATABASE_URL,
  dropSchema,
  everything,
  freshStore,
  reachable,
  runWith,
  waitingOn
} from "./helpers.js"

const { sampleEvent, checkChain } = EventStoreContract

// One more instance of the store on the log, with a pool of its own, open for the scope.
const storeIn = (schema: string, options: PgEventStore.Options = {}) =>
  Effect.map(
    Layer.build(PgEventStore.layer({ schema, ...options }).pipe(Layer.provide(clientLayer(2)))),
    (context) => Context.get(context, EventStore.EventStore)
  )

// The payloads of the notifications on a log's channel from now on, through a client of its own
// (`listen` returns once the server confirmed LISTEN).
const listenTo = (schema: string) =>
  Effect.gen(function* () {
    const pg = Context.get(yield* Layer.build(clientLayer(1)), PgClient.PgClient)
    const queue = yield* pg.listen(logNames(schema).channel)
    const heard: Array<string> = []
    yield* Effect.forkScoped(
      Effect.forever(
        Effect.map(Queue.take(queue), (notification) => {
          heard.push(notification.payload)
        })
      )
    )
    // Everything heard once `count` notifications came and a further 300 ms brought no more.
    return (count: number) =>
      Effect.gen(function* () {
        for (let i = 0; i < 500 && heard.length < count; i++) yield* Effect.sleep("10 millis")
        yield* Effect.sleep("300 millis")
        return [...heard]
      })
  })

// The log's append lock held by `admin` (one connection, so one session), as an operator holds it
// to quiesce writers, and the statement an append then waits in.
const lockOf = (admin: SqlClient.SqlClient, schema: string) => {
  const key = logNames(schema).appendLockKey
  return {
    hold: admin.unsafe(`SELECT pg_advisory_lock(${key})`),
    release: admin.unsafe(`SELECT pg_advisory_unlock(${key})`),
    waiting: Effect.gen(function* () {
      for (;;) {
        const rows = yield* admin.unsafe<{ readonly query: string }>(waitingOn(key))
        if (rows[0] !== undefined) return rows[0].query
        yield* Effect.sleep("10 millis")
      }
    }).pipe(Effect.timeout("10 seconds"))
  }
}

// How the statements an append may wait in begin: the insert (which takes the lock before its
// first row), and the lock taken alone before the state is read under it.
const INSERT_STATEMENT = "WITH lock AS (SELECT pg_advisory_xact_lock($1::bigint))"
const LOCK_STATEMENT = "SELECT pg_advisory_xact_lock($1::bigint)"

type Append = Effect.Effect<EventStore.AppendResult, EventStoreError>

// The first append starts and waits for the lock inside its statement; the others are made while
// it waits, so they queue behind it; then the lock is released. The statement the first waited in,
// and each append's outcome, in order.
const queuedBehindOne = (admin: SqlClient.SqlClient, schema: string, appends: ReadonlyArray<Append>) =>
  Effect.gen(function* () {
    const lock = lockOf(admin, schema)
    yield* lock.hold
    const first = yield* Effect.forkChild(Effect.result(appends[0] as Append))
    const statement = yield* lock.waiting
    const rest = yield* Effect.forEach(appends.slice(1), (append) => Effect.forkChild(Effect.result(append)))
    yield* Effect.sleep("100 millis")
    yield* lock.release
    return { statement, outcomes: yield* Effect.forEach([first, ...rest], (fiber) => Fiber.join(fiber)) }
  })

const positionOf = (outcome: Result.Result<EventStore.AppendResult, EventStoreError> | undefined) =>
  outcome?._tag === "Success"
    ? outcome.success.firstPosition
    : `failed: ${outcome?._tag === "Failure" ? outcome.failure.message : "missing"}`

describe.skipIf(!reachable)("PgEventStore's append path", () => {
  it("sends appends queued behind a busy writer in one statement, and fails only the append whose row the table refuses", async () => {
    const schema = "it_group_commit"
    const outcome = await runWith(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const admin = yield* SqlClient.SqlClient
        // A constraint of the operator's own: rows of the tenant "blocked" are refused (SQLSTATE 23514).
        yield* admin.unsafe(
          `ALTER TABLE ${schema}.utblick_events ADD CONSTRAINT no_blocked CHECK (tenant <> 'blocked')`
        )
        const heard = yield* listenTo(schema)
        const append = (streamId: string, tenant = "contract-tenant") =>
          store.append(streamId, [sampleEvent({ tenant })])
        const first = yield* queuedBehindOne(admin, schema, [
          append("a"),
          append("b"),
          append("c", "blocked"),
          append("d")
        ])
        const second = yield* queuedBehindOne(admin, schema, [append("e"), append("f"), append("g")])
        return { first, second, notified: yield* heard(5), ...(yield* everything) }
      }),
      Layer.merge(freshStore(schema), clientLayer(1))
    )
    // a alone; b, c and d in one statement, which the table refuses, so each is retried alone:
    // b and d are written, c fails with the table's own words and is not worth retrying.
    const positions = outcome.first.outcomes.map(positionOf)
    expect([positions[0], positions[1], positions[3]]).toEqual([0, 1, 2])
    const refused = outcome.first.outcomes[2]
    expect(refused?._tag).toBe("Failure")
    if (refused?._tag === "Failure") {
      expect(refused.failure.reason).toMatchObject({
        _tag: "Unavailable",
        operation: "append",
        retryable: false
      })
      expect(refused.failure.message).toContain(
        '23514: new row for relation "utblick_events" violates check constraint "no_blocked"'
      )
    }
    // e alone; f and g together. A refused row is no collision: e still plans on the cache and
    // waits for the lock inside its insert statement, not in a statement of its own (ADR 0010).
    expect(outcome.second.outcomes.map(positionOf)).toEqual([3, 4, 5])
    expect(outcome.second.statement.startsWith(INSERT_STATEMENT)).toBe(true)
    // One notification per commit, with the log's size after it: a (1), b (2), d (3), e (4), f and g (6).
    expect(outcome.notified).toEqual(["1", "2", "3", "4", "6"])
    expect(outcome.events.map((e) => e.streamId)).toEqual(["a", "b", "d", "e", "f", "g"])
    expect(checkChain(outcome.events, outcome.records)).toBeUndefined()
  })

  it("refuses, as not worth retrying, an insert the server stored only in part", async () => {
    const schema = "it_swallowed_row"
    const outcome = await runWith(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const admin = yield* SqlClient.SqlClient
        // A trigger of the operator's own that silently drops the rows of one tenant.
        yield* admin.unsafe(
          `CREATE FUNCTION ${schema}.swallow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.tenant = 'swallowed' THEN RETURN NULL; END IF; RETURN NEW; END $$`
        )
        yield* admin.unsafe(
          `CREATE TRIGGER swallow BEFORE INSERT ON ${schema}.utblick_events FOR EACH ROW EXECUTE FUNCTION ${schema}.swallow()`
        )
        const refused = yield* Effect.flip(store.append("trip-1", [sampleEvent({ tenant: "swallowed" })]))
        const next = yield* store.append("trip-1", [sampleEvent()], { expectedVersion: "no-stream" })
        return { refused, next, ...(yield* everything) }
      }),
      Layer.merge(freshStore(schema), clientLayer(1))
    )
    expect(outcome.refused.reason).toMatchObject({
      _tag: "Unavailable",
      operation: "append",
      retryable: false
    })
    expect(outcome.refused.message).toBe("the store could not append: the insert reported 0 rows, not 1")
    expect(outcome.next.firstPosition).toBe(0)
    expect(outcome.events.map((e) => e.streamId)).toEqual(["trip-1"])
    expect(checkChain(outcome.events, outcome.records)).toBeUndefined()
  })

  it("takes the log's lock first for the 16 groups after a collision, and then plans on its cache again", async () => {
    const schema = "it_contended"
    await runWith(Effect.void, freshStore(schema))
    const outcome = await runWith(
      Effect.gen(function* () {
        const admin = yield* SqlClient.SqlClient
        const lock = lockOf(admin, schema)
        // Both open on the empty log, so both cache its head as empty.
        const a = yield* storeIn(schema)
        const b = yield* storeIn(schema)
        const heard = yield* listenTo(schema)
        const waitedIn = (append: Append) =>
          Effect.gen(function* () {
            yield* lock.hold
            const fiber = yield* Effect.forkChild(append)
            const statement = yield* lock.waiting
            yield* lock.release
            return { statement, result: yield* Fiber.join(fiber) }
          })
        // An instance that has not collided waits for the lock inside its insert statement.
        const first = yield* waitedIn(a.append("shared", [sampleEvent()]))
        // b's cache still says the log is empty: its plan collides at position 0 and is written again under the lock.
        const collided = yield* b.append("other", [sampleEvent()])
        // The next groups of b take the lock in a statement of their own first: this one, ...
        const locked = yield* waitedIn(b.append("other", [sampleEvent()]))
        // ... a retry of a's append, recognised under the lock, which writes nothing, ...
        const retried = yield* b.append("shared", [
          { ...sampleEvent(), eventId: first.result.events[0]?.eventId as string }
        ])
        // ... and 14 more, 16 in all.
        for (let i = 0; i < 14; i++) yield* b.append("other", [sampleEvent()])
        const again = yield* waitedIn(b.append("other", [sampleEvent()]))
        const after = yield* waitedIn(b.append("other", [sampleEvent()]))
        // b learnt "shared" when it recognised the retry under the lock, so it plans this one on the
        // cache without a collision, and the next append still plans on the cache.
        const shared = yield* waitedIn(b.append("shared", [sampleEvent()]))
        const last = yield* waitedIn(b.append("other", [sampleEvent()]))
        return { first, collided, locked, retried, again, after, shared, last, notified: yield* heard(21) }
      }),
      clientLayer(1)
    )
    expect(outcome.first.statement.startsWith(INSERT_STATEMENT)).toBe(true)
    expect(outcome.first.result.firstPosition).toBe(0)
    expect(outcome.collided.firstPosition).toBe(1)
    expect(outcome.locked.statement).toBe(LOCK_STATEMENT)
    expect(outcome.locked.result.firstPosition).toBe(2)
    expect(outcome.retried).toMatchObject({ deduplicated: true, firstPosition: 0 })
    expect(outcome.again.statement.startsWith(INSERT_STATEMENT)).toBe(true)
    expect(outcome.again.result.firstPosition).toBe(17)
    // The groups under the lock left the cache knowing the stream's version, so that plan did not
    // collide, and the next one plans on the cache too.
    expect(outcome.after.statement.startsWith(INSERT_STATEMENT)).toBe(true)
    expect(outcome.after.result.firstPosition).toBe(18)
    // A collision would have sent the appends after it through the lock: none did.
    expect([outcome.shared, outcome.last].map((w) => w.statement.startsWith(INSERT_STATEMENT))).toEqual([
      true,
      true
    ])
    expect([outcome.shared, outcome.last].map((w) => w.result.firstPosition)).toEqual([19, 20])
    expect(outcome.shared.result.nextExpectedVersion).toBe(2)
    // One notification per commit that wrote: positions 0 to 20, none for the retry.
    expect(outcome.notified).toEqual(Array.from({ length: 21 }, (_, i) => String(i + 1)))
  })

  it("wakes its own subscribers when it commits, with no listener and polling once an hour", async () => {
    const schema = "it_own_subscriber"
    await runWith(Effect.void, freshStore(schema))
    const seen = await runWith(
      Effect.gen(function* () {
        const store = yield* storeIn(schema, { listen: false, pollInterval: "1 hour" })
        const fiber = yield* store
          .subscribe({ fromPosition: 0 })
          .pipe(Stream.take(2), Stream.runCollect, Effect.forkChild)
        yield* store.append("trip-1", [sampleEvent()])
        // Long after the subscription's first read: only the store's own signal can bring this one.
        yield* Effect.sleep("300 millis")
        yield* store.append("trip-2", [sampleEvent()])
        return yield* Fiber.join(fiber).pipe(Effect.timeout("10 seconds"))
      }),
      Layer.empty
    )
    expect(seen.map((e) => [e.position, e.streamId])).toEqual([
      [0, "trip-1"],
      [1, "trip-2"]
    ])
  })

  it("notifies no one of a retried append inside the caller's transaction, which writes nothing, and words a refused row there as the store's", async () => {
    const schema = "it_joined_retry"
    await Effect.runPromise(dropSchema(schema).pipe(Effect.provide(clientLayer(1))))
    const outcome = await runWith(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const sql = yield* SqlClient.SqlClient
        const heard = yield* listenTo(schema)
        const first = yield* store.append("trip-1", [sampleEvent()])
        const again = { ...sampleEvent(), eventId: first.events[0]?.eventId as string }
        const retried = yield* sql.withTransaction(store.append("trip-1", [again]))
        const next = yield* sql.withTransaction(store.append("trip-2", [sampleEvent()]))
        const notified = yield* heard(2)
        // A row the table refuses inside the caller's transaction fails that append, in the store's words.
        yield* sql.unsafe(
          `ALTER TABLE ${schema}.utblick_events ADD CONSTRAINT no_blocked CHECK (tenant <> 'blocked')`
        )
        const refused = yield* Effect.flip(
          sql.withTransaction(store.append("trip-3", [sampleEvent({ tenant: "blocked" })]))
        )
        return { retried, next, notified, refused }
      }),
      PgEventStore.layerWithClientFromUrl(DATABASE_URL, { schema, maxConnections: 3 })
    )
    expect(outcome.retried).toMatchObject({ deduplicated: true, firstPosition: 0 })
    expect(outcome.next.firstPosition).toBe(1)
    expect(outcome.notified).toEqual(["1", "2"])
    expect(outcome.refused).toMatchObject({ _tag: "EventStoreError" })
    expect((outcome.refused as EventStoreError).reason).toMatchObject({
      _tag: "Unavailable",
      operation: "append",
      retryable: false
    })
    expect((outcome.refused as EventStoreError).message).toContain('violates check constraint "no_blocked"')
  })
})
