/**
 * `PgRestore.restore` on a real server (DATABASE_URL): a log written by the store and read back as
 * records is restored into another schema exactly (every column, every byte of every record, the
 * origin), in batches of 1,000 as the records come, in one transaction; it refuses a log that
 * already holds events or has another origin, and a restore that fails part-way leaves nothing.
 * Until 2026-12-07 only the CLI's SQLite → PostgreSQL round trip reached this module. Every
 * expected count and position is the test's own (2,001 events: two whole batches and one).
 */
import type { EventToAppend } from "@utblick/core/Envelope"
import { EventStore } from "@utblick/core"
import { EventStoreContract } from "@utblick/core/testing"
import { Effect, Layer, Stream } from "effect"
import { SqlClient } from "effect/sql"
import { describe, expect, it } from "vitest"
import { PgEventStore, PgRestore } from "../src/index.js"
import { clientLayer, dropSchema, everything, freshStore, reachable, runWith } from "./helpers.js"

const ORIGIN = "restore.test.example/log"
const EVENTS = 2_001

// The restore record of a stored record, its columns taken from the record's own text.
const toRestore = (record: {
  readonly position: number
  readonly canonical: string
  readonly prevHash: string
  readonly hash: string
}): PgRestore.RestoreRecord => {
  const e = JSON.parse(record.canonical) as Omit<
    PgRestore.RestoreRecord,
    "position" | "prevHash" | "hash" | "canonical"
  >
  return {
    position: record.position,
    eventId: e.eventId,
    streamId: e.streamId,
    streamVersion: e.streamVersion,
    tenant: e.tenant,
    type: e.type,
    occurredAt: e.occurredAt,
    recordedAt: e.recordedAt,
    prevHash: record.prevHash,
    hash: record.hash,
    canonical: record.canonical
  }
}

// A source log of EVENTS events in ten streams, written once for every case.
let source: ReadonlyArray<PgRestore.RestoreRecord> = []
const sourceLog = async () => {
  if (source.length > 0) return source
  const records = await runWith(
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      const events: Array<EventToAppend> = Array.from({ length: EVENTS }, (_, i) =>
        EventStoreContract.sampleEvent({ payload: { i } })
      )
      for (let from = 0; from < EVENTS; from += 500)
        yield* store.appendMany(
          Array.from({ length: 10 }, (_, s) => ({
            streamId: `grant-${s}`,
            events: events.slice(from, Math.min(EVENTS, from + 500)).filter((_, i) => (from + i) % 10 === s)
          }))
        )
      return yield* Stream.runCollect(store.readRecords())
    }),
    freshStore("it_restore_source", { origin: ORIGIN })
  )
  source = records.map(toRestore)
  return source
}

// A generator over the records that counts how many the restore has taken.
const counted = (records: ReadonlyArray<PgRestore.RestoreRecord>) => {
  const taken = { n: 0 }
  const iterable: Iterable<PgRestore.RestoreRecord> = {
    *[Symbol.iterator]() {
      for (const record of records) {
        taken.n++
        yield record
      }
    }
  }
  return { taken, iterable }
}

const restoreInto = (schema: string, records: Iterable<PgRestore.RestoreRecord>, origin = ORIGIN) =>
  runWith(
    Effect.gen(function* () {
      yield* dropSchema(schema)
      return yield* Effect.result(PgRestore.restore(records, { origin, schema }))
    }),
    clientLayer(1)
  )

const rowsIn = (schema: string) =>
  runWith(
    Effect.flatMap(SqlClient.SqlClient, (sql) =>
      sql.unsafe<{ readonly n: string }>(`SELECT count(*)::text AS n FROM "${schema}".utblick_events`)
    ).pipe(Effect.map((rows) => Number(rows[0]?.n))),
    clientLayer(1)
  )

describe.skipIf(!reachable)("PgRestore", () => {
  it("restores every record exactly, in batches as the records come, and the store reads them as written", async () => {
    const records = await sourceLog()
    expect(records.map((r) => r.position)).toEqual(Array.from({ length: EVENTS }, (_, i) => i))
    const { iterable } = counted(records)
    const written = await restoreInto("it_restore_exact", iterable)
    expect(written._tag === "Success" ? written.success : written.failure).toBe(EVENTS)
    const back = await runWith(
      everything,
      PgEventStore.layer({ schema: "it_restore_exact", origin: ORIGIN }).pipe(Layer.provide(clientLayer(2)))
    )
    expect(back.records.map(toRestore)).toEqual(records)
    // The restored log goes on: its head is the source's, so an append chains onto it.
    const appended = await runWith(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        yield* store.append("grant-0", [EventStoreContract.sampleEvent()], { expectedVersion: 201 })
        return yield* Stream.runCollect(store.readRecords({ fromPosition: EVENTS }))
      }),
      PgEventStore.layer({ schema: "it_restore_exact" }).pipe(Layer.provide(clientLayer(2)))
    )
    expect(appended.map((r) => [r.position, r.prevHash])).toEqual([[EVENTS, records[EVENTS - 1]?.hash]])
  })

  it("refuses a log that holds events or has another origin, writing nothing", async () => {
    const records = (await sourceLog()).slice(0, 3)
    const schema = "it_restore_refused"
    const first = await restoreInto(schema, records)
    expect(first._tag === "Success" ? first.success : first.failure).toBe(3)
    const again = await runWith(
      Effect.flip(PgRestore.restore(records, { origin: ORIGIN, schema })),
      clientLayer(1)
    )
    expect(again.reason).toMatchObject({
      _tag: "Unavailable",
      operation: "restore the log",
      detail: `the log in schema "${schema}" already holds 3 events; restore only into an empty log`,
      retryable: false
    })
    const other = await runWith(
      Effect.flip(PgRestore.restore([], { origin: "other.example/log", schema })),
      clientLayer(1)
    )
    expect(other.reason).toMatchObject({
      _tag: "Unavailable",
      operation: "restore the log",
      detail: `the log in schema "${schema}" has origin "${ORIGIN}", the export "other.example/log"; restore into an empty schema`,
      retryable: false
    })
    expect(await rowsIn(schema)).toBe(3)
  })

  it("a restore that fails in its second batch leaves nothing, and names the restore", async () => {
    const records = await sourceLog()
    // Position 1,500 written twice: the second batch's insert breaks the key.
    const broken = [
      ...records.slice(0, 1_501),
      records[1_500] as PgRestore.RestoreRecord,
      ...records.slice(1_501)
    ]
    const { taken, iterable } = counted(broken)
    const failed = await restoreInto("it_restore_broken", iterable)
    expect(failed._tag).toBe("Failure")
    if (failed._tag === "Failure") {
      expect(failed.failure.reason).toMatchObject({ _tag: "Unavailable", operation: "restore the log" })
      expect(failed.failure.message).toContain("23505")
    }
    // The second batch is records 1,000–1,999 of the input: the restore stopped after taking it.
    expect(taken.n).toBe(2_000)
    expect(await rowsIn("it_restore_broken")).toBe(0)
  })
})
