import { EventStore } from "@utblick/core"
import { EventStoreContract } from "@utblick/core/testing"
import Database from "better-sqlite3"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { SqliteEventStore, SqliteIndexCheck } from "../src/index.js"
import { tempFile } from "./helpers.js"

const sample = EventStoreContract.sampleEvent

// Three events on two streams, written through the store; the test then alters one column at a time.
const logFile = async () => {
  const file = tempFile()
  await Effect.runPromise(
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      yield* store.append("membership-ubc", [sample({ payload: { n: 1 } }), sample({ payload: { n: 2 } })])
      yield* store.append("trip-9", [sample({ payload: { n: 3 } })])
    }).pipe(Effect.provide(SqliteEventStore.layer({ filename: file })))
  )
  return file
}

describe("index columns against the hashed records", () => {
  it("finds nothing in a log written by the store", async () => {
    const db = new Database(await logFile(), { readonly: true })
    expect(SqliteIndexCheck.firstMismatch(db)).toBeUndefined()
  })

  it.each([
    ["stream_id", "'membership-other'", 1, "membership-ubc", "membership-other"],
    ["stream_version", "7", 2, "1", "7"],
    ["type", "'Other'", 0, "ContractEventRecorded", "Other"],
    ["tenant", "'kiruna-kommun'", 2, "contract-tenant", "kiruna-kommun"],
    ["occurred_at", "'2099-01-01'", 1, "2022-06-30", "2099-01-01"],
    ["recorded_at", "'2030-01-01T00:00:00.000Z'", 0, undefined, "2030-01-01T00:00:00.000Z"]
  ] as const)("names the first row whose %s was altered, with both values", async (column, value, position, recorded, altered) => {
    const file = await logFile()
    const writable = new Database(file)
    writable.prepare(`UPDATE events SET ${column} = ${value} WHERE position >= ?`).run(position)
    writable.close()
    const mismatch = SqliteIndexCheck.firstMismatch(new Database(file, { readonly: true }))
    expect(mismatch).toMatchObject({ position, column, columnValue: altered })
    if (recorded !== undefined) expect(mismatch?.recordValue).toBe(recorded)
  })

  it("gives the whole mismatch: position, column, and both values as text", async () => {
    const file = await logFile()
    const writable = new Database(file)
    writable.prepare("UPDATE events SET stream_version = 9 WHERE position = 1").run()
    writable.close()
    expect(SqliteIndexCheck.firstMismatch(new Database(file, { readonly: true }))).toStrictEqual({
      position: 1,
      column: "stream_version",
      columnValue: "9",
      recordValue: "2"
    })
  })

  it("names the first column in index order when a row disagrees in two", async () => {
    const file = await logFile()
    const writable = new Database(file)
    writable.prepare("UPDATE events SET tenant = 'kiruna-kommun', stream_id = 'trip-10' WHERE position = 2").run()
    writable.close()
    expect(SqliteIndexCheck.firstMismatch(new Database(file, { readonly: true }))).toStrictEqual({
      position: 2,
      column: "stream_id",
      columnValue: "trip-10",
      recordValue: "trip-9"
    })
  })

  it("mismatchAt answers undefined for a row that agrees, a position with no row, and a body that is not JSON", async () => {
    const file = await logFile()
    const writable = new Database(file)
    writable.prepare("UPDATE events SET body = 'not json', stream_id = 'other' WHERE position = 0").run()
    writable.prepare("UPDATE events SET type = 'Other' WHERE position = 2").run()
    writable.close()
    const db = new Database(file, { readonly: true })
    expect(SqliteIndexCheck.mismatchAt(db, 1)).toBeUndefined()
    expect(SqliteIndexCheck.mismatchAt(db, 3)).toBeUndefined()
    expect(SqliteIndexCheck.mismatchAt(db, 0)).toBeUndefined()
    // The body that is not JSON is the verifier's to report: the check passes over it to position 2.
    expect(SqliteIndexCheck.firstMismatch(db)).toStrictEqual({
      position: 2,
      column: "type",
      columnValue: "Other",
      recordValue: "ContractEventRecorded"
    })
    expect(SqliteIndexCheck.mismatchAt(db, 2)).toStrictEqual(SqliteIndexCheck.firstMismatch(db))
  })

  it("rangeQuery looks from its first position up to, not including, its second", async () => {
    const file = await logFile()
    const writable = new Database(file)
    writable.prepare("UPDATE events SET tenant = 'kiruna-kommun' WHERE position IN (1, 2)").run()
    writable.close()
    const range = new Database(file, { readonly: true }).prepare(SqliteIndexCheck.rangeQuery).pluck()
    expect(range.get(0, 1)).toBeUndefined()
    expect(range.get(0, 2)).toBe(1)
    expect(range.get(2, 3)).toBe(2)
    expect(range.get(3, 10)).toBeUndefined()
  })
})
