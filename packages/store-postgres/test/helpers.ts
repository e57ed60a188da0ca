/**
 * Shared set-up of the integration tests: the server URL, a reachability probe that skips (or,
 * in CI, fails) when no server is there, and fresh logs in their own schemas.
 */
import { PgClient } from "@effect/sql-pg"
import { EventStore } from "@utblick/core"
import { EventStoreContract } from "@utblick/core/testing"
import { Effect, Layer, Redacted, type Scope, Stream } from "effect"
import { SqlClient } from "effect/sql"
import { PgEventStore } from "../src/index.js"

export const DATABASE_URL = process.env.DATABASE_URL ?? "postgres://postgres:postgres@127.0.0.1:5432/utblick_test"

const probe = (): Promise<string | undefined> =>
  Effect.runPromise(
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      yield* sql`SELECT 1`
      return undefined
    }).pipe(
      Effect.provide(PgClient.layer({ url: Redacted.make(DATABASE_URL), connectTimeout: "3 seconds", maxConnections: 1 })),
      Effect.timeout("5 seconds"),
      Effect.catchCause((cause) => Effect.succeed(String(cause).split("\n")[0] ?? "unreachable"))
    )
  )

const problem = await probe()
if (problem !== undefined) {
  const message = `PostgreSQL at DATABASE_URL=${DATABASE_URL.replace(/:[^:@/]*@/, ":***@")} is not reachable (${problem})`
  if (process.env.CI === "true") {
    // In CI the server is part of the job (.ci/run starts it): a missing server is a failure.
    throw new Error(`${message}; CI=true, so the PostgreSQL integration tests must run`)
  }
  console.warn(`${message}: skipping the PostgreSQL integration tests. Start a server and set DATABASE_URL to run them.`)
}

/** Whether the integration tests can run. */
export const reachable = problem === undefined

/** A client layer on the test server. */
export const clientLayer = (maxConnections = 4) =>
  PgClient.layer({ url: Redacted.make(DATABASE_URL), maxConnections })

/** Drops the schema (and so the log in it). */
export const dropSchema = (schema: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  })

/** A layer over a new, empty log in `schema` (dropped first), with its own connection pool. */
export const freshStore = (
  schema: string,
  options: PgEventStore.Options = {},
  maxConnections = 4
): Layer.Layer<EventStore.EventStore, unknown> =>
  Layer.effect(
    EventStore.EventStore,
    Effect.andThen(dropSchema(schema), Effect.map(PgEventStore.make({ ...options, schema }), EventStore.EventStore.of))
  ).pipe(Layer.provide(clientLayer(maxConnections)))

/**
 * The small log the index-check tests alter: three events on two streams through the store
 * (positions 0 and 1 on `membership-ubc`, 2 on `trip-9`).
 */
export const appendThreeEvents = Effect.gen(function* () {
  const store = yield* EventStore.EventStore
  const sample = EventStoreContract.sampleEvent
  yield* store.append("membership-ubc", [sample({ payload: { n: 1 } }), sample({ payload: { n: 2 } })])
  yield* store.append("trip-9", [sample({ payload: { n: 3 } })])
})

/** Runs a program in a scope of its own, with `layer` (a program's own scope needs no layer). */
export const runWith = <A, E, R>(
  program: Effect.Effect<A, E, R>,
  layer: Layer.Layer<Exclude<R, Scope.Scope>, unknown>
): Promise<A> => Effect.runPromise(Effect.scoped(Effect.provide(program, layer)) as Effect.Effect<A, unknown, never>)

/** Every event and every stored record of the log, in order. */
export const everything = Effect.gen(function* () {
  const store = yield* EventStore.EventStore
  return {
    events: yield* Stream.runCollect(store.readAll()),
    records: yield* Stream.runCollect(store.readRecords())
  }
})

/**
 * The backends of this database waiting for the advisory lock `key` (a bigint key is its class and
 * object ids), with the statement each waits in: nothing of the other test files that run beside
 * this one, nor of another database's.
 */
export const waitingOn = (key: string) => `
  SELECT l.pid, a.query FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
  WHERE l.locktype = 'advisory' AND NOT l.granted AND a.datname = current_database()
    AND ((l.classid::bigint << 32) | l.objid::bigint) = ${key}`
