/**
 * `PgMigrator` on the real server, as a deployment meets it: several service instances starting
 * at once on a new schema, a version read before anything exists, a migration stopped part-way,
 * a schema name that is not one, and a table of its name that is not its own. Versions and index
 * names are read off the migrations' ADRs (0010, 0041) by hand.
 */
import type { EventStoreError } from "@utblick/core"
import { Cause, Effect, Exit } from "effect"
import { SqlClient } from "effect/sql"
import { describe, expect, it } from "vitest"
import { PgMigrator } from "../src/index.js"
import { clientLayer, dropSchema, reachable, runWith } from "./helpers.js"

// The store error a migrator's effect fails with.
const failure = async (
  effect: Effect.Effect<unknown, EventStoreError.EventStoreError, SqlClient.SqlClient>
) => {
  const exit = await runWith(Effect.exit(effect), clientLayer(1))
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  const error = Cause.findErrorOption(exit.cause)
  if (error._tag === "None") throw new Error(`expected a typed failure: ${String(exit.cause)}`)
  return error.value
}

const indexes = (schema: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ readonly indexname: string }>`
      SELECT indexname FROM pg_indexes WHERE schemaname = ${schema} AND tablename = 'utblick_events' ORDER BY indexname`
    return rows.map((r) => r.indexname)
  })

describe.skipIf(!reachable)("PgMigrator on a new schema", () => {
  it("reads version 0 where nothing exists, and applies each migration once when four instances start at once", async () => {
    const schema = "it_migrator_race"
    const result = await runWith(
      Effect.gen(function* () {
        yield* dropSchema(schema)
        const before = yield* PgMigrator.currentVersion(schema)
        // Four at once, each in its own transaction on its own connection of the pool.
        const runs = yield* Effect.all(
          Array.from({ length: 4 }, () => PgMigrator.run({ schema })),
          { concurrency: "unbounded" }
        )
        return {
          before,
          runs: runs.map((r) => r.map((m) => m.version)),
          after: yield* PgMigrator.currentVersion(schema)
        }
      }),
      clientLayer(4)
    )
    expect(result.before).toBe(0)
    // One instance applied all six; the three that waited on the lock found nothing left to do.
    expect([...result.runs].sort((a, b) => b.length - a.length)).toEqual([[1, 2, 3, 4, 5, 6], [], [], []])
    expect(result.after).toBe(6)
  })

  it("stops where it is told: the tenant index of migration 2 exists until migration 5 drops it", async () => {
    const schema = "it_migrator_steps"
    const result = await runWith(
      Effect.gen(function* () {
        yield* dropSchema(schema)
        const toTwo = yield* PgMigrator.run({ schema, upTo: 2 })
        const atTwo = yield* indexes(schema)
        const rest = yield* PgMigrator.run({ schema })
        return {
          toTwo: toTwo.map((m) => m.version),
          atTwo,
          rest: rest.map((m) => m.version),
          atSix: yield* indexes(schema)
        }
      }),
      clientLayer(2)
    )
    expect(result.toTwo).toEqual([1, 2])
    expect(result.atTwo).toEqual([
      "utblick_events_event_id_key",
      "utblick_events_pkey",
      "utblick_events_stream_version_key",
      "utblick_events_tenant_position"
    ])
    expect(result.rest).toEqual([3, 4, 5, 6])
    expect(result.atSix).toEqual([
      "utblick_events_event_id_key",
      "utblick_events_pkey",
      "utblick_events_stream_version_key"
    ])
  })

  it("refuses a schema name it would have to quote, before it touches the server", async () => {
    const error = await failure(PgMigrator.run({ schema: "Lulea-Kommun" }))
    expect([error.reason._tag, error.isRetryable]).toEqual(["Unavailable", false])
    expect(error.reason).toMatchObject({ operation: "open the log" })
    expect(error.message).toContain('schema name "Lulea-Kommun" must be 1–63 characters of a–z, 0–9 and _')
  })

  it("names what it was doing when a table of the same name is not its own", async () => {
    const schema = "it_migrator_foreign"
    await runWith(
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        yield* dropSchema(schema)
        yield* sql.unsafe(`CREATE SCHEMA ${schema}`)
        yield* sql.unsafe(`CREATE TABLE ${schema}.utblick_migrations (id integer)`)
      }),
      clientLayer(1)
    )
    expect((await failure(PgMigrator.currentVersion(schema))).message).toContain("read the migration version")
    expect((await failure(PgMigrator.run({ schema }))).message).toContain("migrate the log")
  })
})
