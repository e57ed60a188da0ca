/**
 * The SQLite checkpoint store's own edges, each with literal expectations: the defaults it takes,
 * the connection settings it leaves behind, what a load answers for each key it does not hold,
 * where a state's bytes go at the 1 MiB boundary, and the operation each failure names.
 */
import { statSync } from "node:fs"
import type { EventStoreError, ProjectionCheckpoints } from "@utblick/core"
import Database from "better-sqlite3"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { SqliteCheckpointStore, SqliteMigrator } from "../src/index.js"
import { tempFile } from "./helpers.js"

const MiB = 1_048_576

const open = (options: SqliteCheckpointStore.CheckpointOptions = {}) => {
  const file = tempFile("edges")
  const db = new Database(file)
  db.pragma("journal_mode = WAL")
  SqliteMigrator.migrate(db)
  return { file, db, checkpoints: SqliteCheckpointStore.make(db, options) }
}

const run = <A>(effect: Effect.Effect<A, EventStoreError.EventStoreError>): Promise<A> =>
  Effect.runPromise(effect)

const key = (filter = "{}", version = 1, projection = "edges"): ProjectionCheckpoints.CheckpointKey => ({
  projection,
  version,
  filter
})
const cp = (
  position: number,
  state: Uint8Array = Uint8Array.of(position)
): ProjectionCheckpoints.Checkpoint => ({
  position,
  hash: position.toString(16).padStart(64, "0"),
  state
})

const checkpointRows = (db: Database.Database) =>
  db
    .prepare(
      "SELECT projection, version, filter_key, position, head_hash, length(state) AS state FROM projection_checkpoints ORDER BY rowid"
    )
    .all()
const pieceRows = (db: Database.Database) =>
  db.prepare("SELECT n, length(bytes) AS bytes FROM projection_state_chunks ORDER BY checkpoint, n").all()

describe("SqliteCheckpointStore edges", () => {
  it("rewrites a snapshot every 1,000 events and keeps 64 unless told otherwise", async () => {
    expect(open().checkpoints.saveEvery).toBe(1000)
    expect(open({ saveEvery: 7 }).checkpoints.saveEvery).toBe(7)
    const { db, checkpoints } = open()
    for (let i = 1; i <= 65; i++) await run(checkpoints.save(key(`{"tenant":"t${i}"}`), cp(i)))
    expect(await run(checkpoints.count)).toBe(64)
    // The first saved is the least recently saved: the 65th save dropped it and no other.
    expect(await run(checkpoints.load(key('{"tenant":"t1"}')))).toBeUndefined()
    expect(await run(checkpoints.peek?.(key('{"tenant":"t2"}')) ?? Effect.die("no peek"))).toEqual({
      position: 2,
      hash: "0000000000000000000000000000000000000000000000000000000000000002"
    })
    expect(db.prepare("SELECT count(*) FROM projection_checkpoints").pluck().get()).toBe(64)
  })

  it("keeps exactly maxSnapshots: at the bound nothing is dropped, one more drops the oldest", async () => {
    const { db, checkpoints } = open({ maxSnapshots: 3 })
    for (const t of ["a", "b", "c"]) await run(checkpoints.save(key(`{"tenant":"${t}"}`), cp(1)))
    expect((checkpointRows(db) as Array<{ filter_key: string }>).map((r) => r.filter_key)).toEqual([
      '{"tenant":"a"}',
      '{"tenant":"b"}',
      '{"tenant":"c"}'
    ])
    // Saving a held key again refreshes it, so "b" is now the least recently saved. saved_at counts
    // milliseconds and ties go to the later row ("a" is the first): the three saves are dated in the
    // past first, as three saves on different days would be, rather than waiting on the clock.
    db.prepare("UPDATE projection_checkpoints SET saved_at = '2026-01-0' || rowid || 'T00:00:00.000Z'").run()
    await run(checkpoints.save(key('{"tenant":"a"}'), cp(2)))
    await run(checkpoints.save(key('{"tenant":"d"}'), cp(1)))
    expect((checkpointRows(db) as Array<{ filter_key: string }>).map((r) => r.filter_key).sort()).toEqual([
      '{"tenant":"a"}',
      '{"tenant":"c"}',
      '{"tenant":"d"}'
    ])
  })

  it("stores the key, position, hash and state in one row, and gives them back", async () => {
    const { db, checkpoints } = open()
    await run(checkpoints.save(key('{"asOf":"2022-12-31"}', 3, "trips"), cp(41, Uint8Array.of(9, 8, 7))))
    expect(checkpointRows(db)).toEqual([
      {
        projection: "trips",
        version: 3,
        filter_key: '{"asOf":"2022-12-31"}',
        position: 41,
        head_hash: "0000000000000000000000000000000000000000000000000000000000000029",
        state: 3
      }
    ])
    const loaded = await run(checkpoints.load(key('{"asOf":"2022-12-31"}', 3, "trips")))
    expect(loaded?.position).toBe(41)
    expect(loaded?.hash).toBe("0000000000000000000000000000000000000000000000000000000000000029")
    expect([...(loaded?.state ?? [])]).toEqual([9, 8, 7])
  })

  it("answers undefined for a key it does not hold: another projection, version or filter", async () => {
    const { checkpoints } = open()
    await run(checkpoints.save(key("{}", 2, "edges"), cp(5)))
    const peek = checkpoints.peek ?? (() => Effect.die("no peek"))
    for (const other of [
      key("{}", 2, "other"),
      key("{}", 1, "edges"),
      key("{}", 3, "edges"),
      key('{"tenant":"t"}', 2)
    ]) {
      expect(await run(checkpoints.load(other))).toBeUndefined()
      expect(await run(peek(other))).toBeUndefined()
    }
    expect(await run(peek(key("{}", 2)))).toEqual({
      position: 5,
      hash: "0000000000000000000000000000000000000000000000000000000000000005"
    })
  })

  it("keeps a state of exactly 1 MiB in its row, and 1 MiB + 1 byte as the row and one piece of 1 byte", async () => {
    const { db, checkpoints } = open()
    const state = (length: number) => Uint8Array.from({ length }, (_, i) => (i * 7) % 256)
    await run(checkpoints.save(key(), cp(1, state(MiB))))
    expect(pieceRows(db)).toEqual([])
    expect((checkpointRows(db) as Array<{ state: number }>).map((r) => r.state)).toEqual([MiB])
    await run(checkpoints.save(key(), cp(2, state(MiB + 1))))
    expect(pieceRows(db)).toEqual([{ n: 1, bytes: 1 }])
    const loaded = await run(checkpoints.load(key()))
    expect(loaded?.state.byteLength).toBe(MiB + 1)
    // The last byte, in the piece: (1,048,576 × 7) mod 256 = 0; the one before it 249.
    expect(loaded?.state[MiB]).toBe(0)
    expect(loaded?.state[MiB - 1]).toBe(249)
  })

  it("turns on secure_delete, and gives back the busy timeout the connection had after a save", async () => {
    const { db, checkpoints } = open()
    expect(db.pragma("secure_delete", { simple: true })).toBe(1)
    db.pragma("busy_timeout = 4321")
    await run(checkpoints.save(key(), cp(1)))
    expect(db.pragma("busy_timeout", { simple: true })).toBe(4321)
    await run(
      (checkpoints.rows as ProjectionCheckpoints.CheckpointRows).save(key(), cp(2), [["r", Uint8Array.of(1)]])
    )
    expect(db.pragma("busy_timeout", { simple: true })).toBe(4321)
  })

  it("gives back the busy timeout after a save the lock refused, and says the file was busy", async () => {
    const { file, db, checkpoints } = open()
    db.pragma("busy_timeout = 4321")
    const writer = new Database(file)
    writer.exec("BEGIN IMMEDIATE")
    try {
      const error = await Effect.runPromise(Effect.flip(checkpoints.save(key(), cp(1))))
      expect(error.reason).toMatchObject({
        _tag: "Unavailable",
        operation: "save a projection checkpoint",
        retryable: true
      })
    } finally {
      writer.exec("ROLLBACK")
      writer.close()
    }
    expect(db.pragma("busy_timeout", { simple: true })).toBe(4321)
    expect(checkpointRows(db)).toEqual([])
  })

  it("truncates the write-ahead log when it clears", async () => {
    const { file, db, checkpoints } = open()
    await run(checkpoints.save(key(), cp(1)))
    await run(checkpoints.save(key(), cp(2)))
    // The saves and the delete are frames in the WAL until a checkpoint copies them into the file.
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(0)
    await run(checkpoints.clear)
    expect(statSync(`${file}-wal`).size).toBe(0)
    expect(checkpointRows(db)).toEqual([])
  })

  it("names the operation that failed", async () => {
    const { db, checkpoints } = open()
    const rows = checkpoints.rows as ProjectionCheckpoints.CheckpointRows
    db.close()
    const failed = async (effect: Effect.Effect<unknown, EventStoreError.EventStoreError>) =>
      (await Effect.runPromise(Effect.flip(effect))).reason
    expect(await failed(checkpoints.save(key(), cp(1)))).toMatchObject({
      _tag: "Unavailable",
      operation: "save a projection checkpoint"
    })
    expect(await failed(checkpoints.load(key()))).toMatchObject({ operation: "load a projection checkpoint" })
    expect(await failed(checkpoints.peek?.(key()) ?? Effect.die("no peek"))).toMatchObject({
      operation: "look up a projection checkpoint"
    })
    expect(await failed(checkpoints.count)).toMatchObject({ operation: "count the projection checkpoints" })
    expect(await failed(rows.load(key(), ["a"]))).toMatchObject({
      operation: "load rows of a projection checkpoint"
    })
    expect(await failed(rows.save(key(), cp(1), []))).toMatchObject({
      operation: "save rows of a projection checkpoint"
    })
    expect(await failed(checkpoints.clear)).toMatchObject({ operation: "delete the projection checkpoints" })
  })
})
