// The index columns checked in JavaScript (ADR 0053) against the check they replace: the SQL of
// @utblick/store-sqlite's SqliteIndexCheck, which SQLite answers with its own JSON functions. The
// expected positions come from that query, never from the code under test. The file runs in the
// `audit` project (the native engine's scan) and in `audit-js` (UTBLICK_NATIVE=0: every record
// parsed), so both ways are held to the query.
import { copyFileSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fc, test } from "@fast-check/vitest"
import { indexColumns } from "@utblick/core/Envelope"
import * as SqliteIndexCheck from "@utblick/store-sqlite/SqliteIndexCheck"
import Database from "better-sqlite3"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as IndexColumns from "../src/internal/IndexColumns.js"
import * as ParallelVerify from "../src/ParallelVerify.js"
import { writeSqliteLog } from "./sqliteLog.js"

const dir = mkdtempSync(join(tmpdir(), "index-columns-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const SIZE = 40
let base = ""
let files = 0

// Every fifth note holds a line break, a quote and a control character: records the engine's
// scan refuses (it proves only texts without escapes), so they take the parsing way.
beforeAll(async () => {
  base = await writeSqliteLog(
    join(dir, "base.db"),
    Array.from({ length: SIZE }, (_, k) => ({
      stream: `grant-${k % 7}`,
      type: "GrantDecisionTaken" as const,
      decider: "board",
      amountMinor: k,
      note: k % 5 === 0 ? `rad ${k}\n"citat"\u0001` : `n${k}`
    }))
  )
}, 60_000)

const copyFile = (): string => {
  const file = join(dir, `copy-${files++}.db`)
  copyFileSync(base, file)
  return file
}
const copy = (): Database.Database => new Database(copyFile())

// The check as the product builds it: over the verifier's SQLite source with the index columns.
const checkOf = (db: Database.Database): IndexColumns.IndexCheck =>
  IndexColumns.make(ParallelVerify.sqliteSource(db, { indexColumns: true }))

// The query's answer over [from, to): the oracle.
const bySql = (db: Database.Database, from: number, to: number): number | undefined =>
  db.prepare(SqliteIndexCheck.rangeQuery).pluck().get(from, to) as number | undefined

const columnValue = (db: Database.Database, column: string, position: number): unknown =>
  db.prepare(`SELECT ${column} FROM events WHERE position = ?`).pluck().get(position)

describe("IndexColumns", () => {
  it("finds nothing in an honest log, either way a record is read", () => {
    const db = copy()
    expect(bySql(db, 0, SIZE)).toBeUndefined()
    expect(checkOf(db)(0, SIZE)).toBeUndefined()
    db.close()
  })

  it("names the first position whose column disagrees, for each index column, in records of both kinds", () => {
    for (const [column] of indexColumns) {
      // Position 10 has escapes (parsed), 13 has none (scanned).
      for (const position of [10, 13]) {
        const db = copy()
        const original = columnValue(db, column, position)
        const altered = typeof original === "number" ? original + 100 : `${String(original)}x`
        db.prepare(`UPDATE events SET ${column} = ? WHERE position = ?`).run(altered, position)
        expect(bySql(db, 0, SIZE)).toBe(position)
        const check = checkOf(db)
        expect(check(0, SIZE)).toBe(position)
        expect(check(position, position + 1)).toBe(position)
        expect(check(0, position)).toBeUndefined()
        expect(check(position + 1, SIZE)).toBeUndefined()
        db.close()
      }
    }
  })

  it("tells a prefix or an extension of the right value from the value", () => {
    const db = copy()
    const id = columnValue(db, "stream_id", 13) as string
    db.prepare("UPDATE events SET stream_id = ? WHERE position = 13").run(id.slice(0, -1))
    db.prepare("UPDATE events SET tenant = ? WHERE position = 21").run("lulea-kommun-")
    expect(checkOf(db)(0, SIZE)).toBe(13)
    expect(checkOf(db)(14, SIZE)).toBe(21)
    expect(bySql(db, 14, SIZE)).toBe(21)
    db.close()
  })

  it("skips a body that is not JSON, as the query does, and reads a record whose fields are not text", () => {
    const db = copy()
    db.prepare("UPDATE events SET body = 'not json', tenant = 'x' WHERE position = 3").run()
    // An envelope whose eventId is a number: the scan cannot place it, the parse disagrees.
    db.prepare(
      `UPDATE events SET body = replace(body, '"eventId":"', '"eventId":7,"x":"') WHERE position = 8`
    ).run()
    // A JSON scalar: no fields at all.
    db.prepare("UPDATE events SET body = '5' WHERE position = 30").run()
    expect(bySql(db, 0, SIZE)).toBe(8)
    expect(checkOf(db)(0, SIZE)).toBe(8)
    expect(bySql(db, 9, SIZE)).toBe(30)
    expect(checkOf(db)(9, SIZE)).toBe(30)
    // JSON null: no fields either.
    db.prepare("UPDATE events SET body = 'null' WHERE position = 33").run()
    expect(bySql(db, 31, SIZE)).toBe(33)
    expect(checkOf(db)(31, SIZE)).toBe(33)
    // An empty column against a field the scan cannot place (a number, in a record that is still
    // canonical): they disagree.
    db.prepare(
      `UPDATE events SET event_id = '', body = replace(body, '"eventId":"' || event_id || '"', '"eventId":7') WHERE position = 36`
    ).run()
    expect(bySql(db, 34, SIZE)).toBe(36)
    expect(checkOf(db)(34, SIZE)).toBe(36)
    db.close()
  })

  test.prop(
    [
      fc.array(
        fc.record({
          position: fc.nat({ max: SIZE - 1 }),
          column: fc.constantFrom(...indexColumns.map(([column]) => column)),
          text: fc.string({ maxLength: 12 }),
          number: fc.integer({ min: -5, max: 60 })
        }),
        { minLength: 1, maxLength: 3 }
      ),
      fc.nat({ max: SIZE }),
      fc.nat({ max: SIZE })
    ],
    { numRuns: 40 }
  )("agrees with the query for any altered columns and any range", (changes, a, b) => {
    const db = copy()
    for (const { position, column, text, number } of changes) {
      const value = column === "stream_version" ? number : text
      try {
        db.prepare(`UPDATE events SET ${column} = ? WHERE position = ?`).run(value, position)
      } catch {
        // A unique key refused the value: the row keeps its own.
      }
    }
    const [from, to] = a <= b ? [a, b] : [b, a]
    expect(checkOf(db)(from, to)).toBe(bySql(db, from, to))
    db.close()
  })
})

describe("the index columns checked beside the records (ParallelVerify, indexColumns)", () => {
  // One thread from the first record; chunks in this thread; chunks in two workers.
  const ways = [
    { jobs: 1, sequentialBelow: 0 },
    { threads: false, chunkSize: 8 },
    { jobs: 2, sequentialBelow: 0, chunkSize: 8 }
  ] as const

  it("name the position the query names, in records of both kinds, whichever chunk it is in", async () => {
    for (const [column, position, later] of [
      ["tenant", 13, 35],
      ["occurred_at", 10, 11],
      ["stream_version", 25, 39],
      ["event_id", 0, 1]
    ] as const) {
      const file = copyFile()
      const db = new Database(file)
      for (const p of [position, later]) {
        const original = columnValue(db, column, p)
        db.prepare(`UPDATE events SET ${column} = ? WHERE position = ?`).run(
          typeof original === "number" ? original + 100 : `${String(original)}x`,
          p
        )
      }
      expect(bySql(db, 0, SIZE)).toBe(position)
      db.close()
      for (const options of ways) {
        const report = await ParallelVerify.verifySqliteFile(file, { ...options, indexColumns: true })
        expect(report).toMatchObject({ ok: true, records: SIZE, rowCheckFailedAt: position })
      }
    }
  }, 120_000)

  it("say nothing of an honest log, and leave a failed verification's report as it was", async () => {
    const honest = copyFile()
    for (const options of ways) {
      const report = await ParallelVerify.verifySqliteFile(honest, { ...options, indexColumns: true })
      expect(report.ok).toBe(true)
      expect(report).not.toHaveProperty("rowCheckFailedAt")
    }
    const broken = copyFile()
    const db = new Database(broken)
    db.prepare("UPDATE events SET tenant = 'x' WHERE position = 4").run()
    db.prepare("UPDATE events SET body = replace(body, 'n17', 'n71') WHERE position = 17").run()
    db.close()
    for (const options of ways) {
      const report = await ParallelVerify.verifySqliteFile(broken, { ...options, indexColumns: true })
      expect(report).toMatchObject({ ok: false, failure: { class: "CHAIN", position: 17 } })
      expect(report).not.toHaveProperty("rowCheckFailedAt")
    }
  }, 120_000)
})

describe("IndexColumns over more than one page of rows", () => {
  it("reads on from where a page ended", async () => {
    const file = await writeSqliteLog(
      join(dir, "long.db"),
      Array.from({ length: 4_200 }, (_, k) => ({
        stream: `grant-${k % 11}`,
        type: "GrantDecisionTaken" as const,
        decider: "board",
        amountMinor: k,
        note: `n${k}`
      }))
    )
    const db = new Database(file)
    expect(checkOf(db)(0, 4_200)).toBeUndefined()
    // 4,096 rows make a page: the first row of the second page, and one further on.
    db.prepare("UPDATE events SET type = 'Other' WHERE position IN (4096, 4150)").run()
    expect(checkOf(db)(0, 4_200)).toBe(4096)
    expect(checkOf(db)(4097, 4_200)).toBe(4150)
    expect(bySql(db, 4097, 4_200)).toBe(4150)
    db.close()
  }, 120_000)
})
