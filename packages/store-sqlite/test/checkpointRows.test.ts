/**
 * Rows kept under checkpoints (ADR 0046) in the SQLite file (table `projection_rows`, migration 5):
 * the shared contract on a real file, rows surviving a reopen, and `clear` (what `utblick forget`
 * and `rebuild` run) leaving no byte of a row in the file or its write-ahead log.
 */
import { existsSync, readFileSync } from "node:fs"
import type { ProjectionCheckpoints } from "@utblick/core"
import { CheckpointRowsContract } from "@utblick/core/testing"
import Database from "better-sqlite3"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { SqliteCheckpointStore, SqliteMigrator } from "../src/index.js"
import { tempFile } from "./helpers.js"

const open = (filename: string, maxSnapshots = 64) => {
  const db = new Database(filename)
  db.pragma("journal_mode = WAL")
  SqliteMigrator.migrate(db)
  return { db, checkpoints: SqliteCheckpointStore.make(db, { maxSnapshots }) }
}

CheckpointRowsContract.suite("SQLite", async (maxSnapshots) => {
  const { db, checkpoints } = open(tempFile("rows"), maxSnapshots)
  return {
    checkpoints,
    close: () => {
      db.close()
    }
  }
})

const key: ProjectionCheckpoints.CheckpointKey = { projection: "read-models", version: 1, filter: "{}" }
const cp = (position: number): ProjectionCheckpoints.Checkpoint => ({
  position,
  hash: "ab".repeat(32),
  state: Uint8Array.of(position)
})

describe("SQLite rows", () => {
  it("are in the file: another connection reads them after a reopen", async () => {
    const file = tempFile("reopen")
    const first = open(file)
    await Effect.runPromise(
      (first.checkpoints.rows as ProjectionCheckpoints.CheckpointRows).save(key, cp(4), [
        ["a", Uint8Array.of(1, 2, 3)]
      ])
    )
    first.db.close()
    const second = open(file)
    const found = await Effect.runPromise(
      (second.checkpoints.rows as ProjectionCheckpoints.CheckpointRows).load(key, ["a"])
    )
    second.db.close()
    expect(found.map(([id, bytes]) => [id, [...bytes]])).toEqual([["a", [1, 2, 3]]])
  })

  it("clear leaves no byte of a row in the file or its write-ahead log", async () => {
    const file = tempFile("erase-rows")
    const NAME = "Åsa Nordström"
    const { db, checkpoints } = open(file)
    const rows = checkpoints.rows as ProjectionCheckpoints.CheckpointRows
    // Several rewrites, so older copies of the row sat in pages that were freed.
    for (let p = 1; p <= 3; p++) {
      await Effect.runPromise(rows.save(key, cp(p), [[`person-${p}`, Buffer.from(`${NAME} ${p}`, "utf8")]]))
    }
    db.pragma("wal_checkpoint(TRUNCATE)")
    const bytes = Buffer.from(NAME, "utf8")
    const holding = () =>
      [file, `${file}-wal`].filter((f) => existsSync(f) && readFileSync(f).includes(bytes))
    expect(holding()).toEqual([file])
    await Effect.runPromise(checkpoints.clear)
    expect(db.prepare("SELECT count(*) FROM projection_rows").pluck().get()).toBe(0)
    db.close()
    expect(holding()).toEqual([])
  })
})
