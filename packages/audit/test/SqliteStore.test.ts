/**
 * Verification over the durable SQLite store (`@utblick/store-sqlite`), including tampering done
 * directly in the database file, which bypasses the planner as an attacker with file access would.
 */
import { EventStore } from "@utblick/core/EventStore"
import { SqliteDatabase, layer as sqliteLayer } from "@utblick/store-sqlite/SqliteEventStore"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import * as Verify from "../src/Verify.js"
import { event, ORIGIN, sampleCmds } from "./fixtures.js"

const run = <A, E>(program: Effect.Effect<A, E, EventStore | SqliteDatabase>) =>
  Effect.runPromise(
    Effect.scoped(Effect.provide(program, sqliteLayer({ filename: ":memory:", origin: ORIGIN })))
  )

const populate = Effect.gen(function* () {
  const store = yield* EventStore
  for (const cmd of sampleCmds(20)) yield* store.append(cmd.stream, [event(cmd)])
})

describe("Verify over SqliteEventStore", () => {
  it("passes an honest SQLite log", async () => {
    const report = await run(Effect.andThen(populate, Verify.verifyStore()))
    expect(report).toMatchObject({ ok: true, records: 20, streams: 3, origin: ORIGIN })
  })

  it("finds a row edited in the database file (A1) at its position", async () => {
    const report = await run(
      Effect.gen(function* () {
        yield* populate
        const { database } = yield* SqliteDatabase
        database
          .prepare(
            "UPDATE events SET body = replace(body, '\"amountMinor\":7000', '\"amountMinor\":9000') WHERE position = 7"
          )
          .run()
        return yield* Verify.verifyStore()
      })
    )
    expect(report.failure).toMatchObject({ class: "CHAIN", position: 7 })
  })

  it("finds a row deleted from the database file (A4)", async () => {
    const report = await run(
      Effect.gen(function* () {
        yield* populate
        const { database } = yield* SqliteDatabase
        database.prepare("DELETE FROM events WHERE position = 11").run()
        return yield* Verify.verifyStore()
      })
    )
    expect(report.ok).toBe(false)
    expect(["SEQ", "CHAIN", "STORE_ERROR"]).toContain(report.failure?.class)
  })
})
