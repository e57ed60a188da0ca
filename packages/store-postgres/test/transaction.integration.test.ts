/**
 * Appends inside a transaction the caller opened on the store's own client join it (ADR 0023):
 * they are read back through the transaction, roll back with it, and commit with it. Runs on a
 * real server (DATABASE_URL), each test in its own schema.
 */
import { PgClient } from "@effect/sql-pg"
import { EventStore } from "@utblick/core"
import { EventStoreContract } from "@utblick/core/testing"
import { Context, Effect, Fiber, Layer, Redacted, Result, Schedule, type Scope, Stream } from "effect"
import { SqlClient } from "effect/sql"
import { describe, expect, it } from "vitest"
import { PgEventStore } from "../src/index.js"
import { logNames } from "../src/internal/names.js"
import { DATABASE_URL, dropSchema, reachable } from "./helpers.js"

const { sampleEvent, checkChain } = EventStoreContract

// The store and its own client, as the CLI gets them from `layerWithClientFromUrl`.
const storeWithClient = (schema: string) => PgEventStore.layerWithClientFromUrl(DATABASE_URL, { schema, maxConnections: 3 })

const fresh = (schema: string) =>
  Effect.runPromise(
    dropSchema(schema).pipe(Effect.provide(PgClient.layer({ url: Redacted.make(DATABASE_URL), maxConnections: 1 })))
  )

const run = <A, E>(schema: string, program: Effect.Effect<A, E, EventStore.EventStore | SqlClient.SqlClient | Scope.Scope>): Promise<A> =>
  Effect.runPromise(Effect.scoped(Effect.provide(program, storeWithClient(schema))) as Effect.Effect<A, unknown, never>)

const logOf = (schema: string) =>
  run(
    schema,
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      const events = yield* Stream.runCollect(store.readAll())
      const records = yield* Stream.runCollect(store.readRecords())
      return { events, records, head: yield* store.head }
    })
  )

class Refused {
  readonly _tag = "Refused"
}

describe.skipIf(!reachable)("appends inside the caller's transaction", () => {
  it("are read back through the transaction and vanish when it rolls back; a later append starts at position 0", async () => {
    const schema = "it_tx_rollback"
    await fresh(schema)
    const seen = await run(
      schema,
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const sql = yield* SqlClient.SqlClient
        let inside = { a: -1, b: -1, size: -1 }
        const outcome = yield* Effect.result(
          sql.withTransaction(
            Effect.gen(function* () {
              yield* store.append("trip-a", [sampleEvent({ payload: { n: 1 } }), sampleEvent({ payload: { n: 2 } })])
              yield* store.appendMany([{ streamId: "trip-b", events: [sampleEvent({ payload: { n: 3 } })], expectedVersion: "no-stream" }])
              inside = {
                a: (yield* store.readStream("trip-a")).length,
                b: (yield* store.readStream("trip-b")).length,
                size: (yield* store.head).size
              }
              return yield* Effect.fail(new Refused())
            })
          )
        )
        // The caches must not have kept the rolled-back head: the next append lands at 0.
        const after = yield* store.append("trip-c", [sampleEvent({ payload: { n: 4 } })])
        return { inside, refused: Result.isFailure(outcome), after: after.events.map((e) => e.position) }
      })
    )
    expect(seen).toEqual({ inside: { a: 2, b: 1, size: 3 }, refused: true, after: [0] })
    const log = await logOf(schema)
    expect(log.events.map((e) => [e.position, e.streamId])).toEqual([[0, "trip-c"]])
  })

  it("commit with it, chained after what was there; a refused append inside rolls back only its savepoint", async () => {
    const schema = "it_tx_commit"
    await fresh(schema)
    const result = await run(
      schema,
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const sql = yield* SqlClient.SqlClient
        yield* store.append("before", [sampleEvent({ payload: { n: 0 } })])
        return yield* sql.withTransaction(
          Effect.gen(function* () {
            yield* store.append("grant-1", [sampleEvent({ payload: { n: 1 } })], { expectedVersion: "no-stream" })
            // Stream grant-1 is at version 1 inside the transaction: expecting 0 ("no-stream") conflicts.
            const conflict = yield* Effect.flip(
              store.append("grant-1", [sampleEvent({ payload: { n: 9 } })], { expectedVersion: "no-stream" })
            )
            yield* store.append("grant-1", [sampleEvent({ payload: { n: 2 } })], { expectedVersion: 1 })
            return conflict.reason._tag
          })
        )
      })
    )
    expect(result).toBe("ConcurrencyConflict")
    const log = await logOf(schema)
    expect(log.events.map((e) => [e.position, e.streamId, e.streamVersion, e.payload["n"]])).toEqual([
      [0, "before", 1, 0],
      [1, "grant-1", 1, 1],
      [2, "grant-1", 2, 2]
    ])
    expect(checkChain(log.events, log.records)).toBeUndefined()
    expect(log.head.size).toBe(3)
  })

  it("other instances see nothing of an open transaction, and wait for its lock before appending", async () => {
    const schema = "it_tx_isolation"
    await fresh(schema)
    const order: Array<string> = []
    await run(
      schema,
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const sql = yield* SqlClient.SqlClient
        // A second instance with its own pool: another process, as far as PostgreSQL knows.
        const other = Context.get(
          yield* Layer.build(PgEventStore.layerFromUrl(DATABASE_URL, { schema, maxConnections: 2 })),
          EventStore.EventStore
        )
        yield* sql.withTransaction(
          Effect.gen(function* () {
            yield* store.append("mine", [sampleEvent({ payload: { n: 1 } })])
            order.push(`other sees ${(yield* other.head).size}`)
            // The other instance's append blocks on the log's lock until this transaction ends.
            const waiting = yield* Effect.forkChild(
              Effect.tap(other.append("theirs", [sampleEvent({ payload: { n: 2 } })]), () => Effect.sync(() => order.push("other appended")))
            )
            // Wait until PostgreSQL shows it waiting for the log's lock (not for a fixed time).
            yield* sql
              .unsafe<{ readonly waiting: string }>(
                `SELECT count(*) AS waiting FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
                   AND ((classid::bigint << 32) | objid::bigint) = $1::bigint`,
                [logNames(schema).appendLockKey]
              )
              .pipe(
                Effect.repeat({ until: (rows) => Number(rows[0]?.waiting) > 0, schedule: Schedule.spaced("20 millis") }),
                Effect.timeout("20 seconds")
              )
            order.push(`other done before commit: ${waiting.pollUnsafe() !== undefined}`)
            order.push("commit")
            return waiting
          })
        ).pipe(Effect.flatMap((waiting) => Fiber.join(waiting)))
      })
    )
    expect(order).toEqual(["other sees 0", "other done before commit: false", "commit", "other appended"])
    const log = await logOf(schema)
    expect(log.events.map((e) => [e.position, e.streamId])).toEqual([
      [0, "mine"],
      [1, "theirs"]
    ])
    expect(checkChain(log.events, log.records)).toBeUndefined()
  })
})
