/**
 * The parallel verifier's main-thread parts against values written out by hand: reading the rows
 * in pages, the choice between this thread and workers, the row check beside the records, and the
 * store errors (what mutation testing of ParallelVerify.ts found unpinned, run hM17 in
 * docs/reference/mutation.md). Every expected position, count and message below is worked out from
 * the log or the query given (or, for an error, from better-sqlite3 or SQLite themselves), not
 * computed by the code under test.
 */

import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import Database from "better-sqlite3"
import { Effect } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import * as Checkpoint from "../src/Checkpoint.js"
import * as MerkleTree from "../src/MerkleTree.js"
import * as ParallelVerify from "../src/ParallelVerify.js"
import { logKey, ORIGIN, trust, witnessKey } from "./fixtures.js"
import { writeGrantLog } from "./sqliteLog.js"

const dir = mkdtempSync(join(tmpdir(), "parallel-verify-edges-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let files = 0

/** A new SQLite log file of `n` events over 7 streams, one append each. */
const makeLog = (n: number): Promise<string> => writeGrantLog(join(dir, `log-${files++}.db`), n)

/** A payload changed at `position`, its hash left as it was: the records fail there (CHAIN). */
const tamper = (filename: string, position: number) => {
  const db = new Database(filename)
  db.prepare('UPDATE events SET body = replace(body, \'"note":"n\', \'"note":"m\') WHERE position = ?').run(
    position
  )
  db.close()
}

/** A row check (first failing position in `[from, to)`, or no row) that fails at the positions given. */
const failingAt = (positions: ReadonlyArray<number>) =>
  `SELECT position FROM events WHERE position >= ? AND position < ? AND position IN (${positions.join(", ")}) ORDER BY position LIMIT 1`

// A worker entry that cannot load: a run that starts workers falls back with one warning.
const noWorker = new URL("file:///nonexistent/VerifyWorker.js")
const FALLBACK = /^parallel verification stopped .*; the rest was verified in one thread$/

describe("ParallelVerify.chunkSizeFor", () => {
  it("keeps a chunk size whose 8 chunks per worker cover the log exactly", () => {
    // 2 workers: 64 · 8 · 2 = 1,024 positions cover a log of 1,024; one more needs 128.
    expect(ParallelVerify.chunkSizeFor(1_024, 2)).toBe(64)
    expect(ParallelVerify.chunkSizeFor(1_025, 2)).toBe(128)
    // 1 worker: 256 · 8 = 2,048.
    expect(ParallelVerify.chunkSizeFor(2_048, 1)).toBe(256)
  })
})

describe("ParallelVerify.sqliteSource", () => {
  // An events table written by hand: position k holds body `b<k>`, prev_hash `p<k>`, hash `h<k>`.
  const table = (positions: ReadonlyArray<number>) => {
    const db = new Database(":memory:")
    db.exec("CREATE TABLE events (position INTEGER PRIMARY KEY, body TEXT, prev_hash TEXT, hash TEXT)")
    const insert = db.prepare("INSERT INTO events VALUES (?, ?, ?, ?)")
    db.transaction(() => {
      for (const k of positions) insert.run(k, `b${k}`, `p${k}`, `h${k}`)
    })()
    return db
  }
  const readAll = (db: Database.Database, from: number, to: number, stopAfter = Number.POSITIVE_INFINITY) => {
    const seen: Array<string> = []
    ParallelVerify.sqliteSource(db).read(from, to, (body, prevHash, hash) => {
      seen.push(`${body} ${prevHash} ${hash}`)
      return seen.length < stopAfter
    })
    return seen
  }
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i)

  it("reads every row of [from, to) in order across pages of 4,096 rows", () => {
    // 4,100 rows: one full page and a page of 4.
    const db = table(range(0, 4_100))
    const seen = readAll(db, 0, 4_100)
    expect(seen).toHaveLength(4_100)
    expect(seen[0]).toBe("b0 p0 h0")
    expect(seen[4_095]).toBe("b4095 p4095 h4095")
    expect(seen[4_096]).toBe("b4096 p4096 h4096")
    expect(seen[4_099]).toBe("b4099 p4099 h4099")
    // Exactly one page: the next read finds nothing.
    expect(readAll(db, 4, 4_100)).toHaveLength(4_096)
    // A range inside: positions 10 to 19.
    expect(readAll(db, 10, 20)).toEqual(range(10, 20).map((k) => `b${k} p${k} h${k}`))
    db.close()
  })

  it("goes on from the position after the last row read, over gaps", () => {
    // Even positions only: 0, 2, …, 8,998 (4,500 rows); the second page starts after 8,190.
    const db = table(range(0, 4_500).map((k) => 2 * k))
    const seen = readAll(db, 0, 9_000)
    expect(seen).toHaveLength(4_500)
    expect(seen[4_096]).toBe("b8192 p8192 h8192")
    expect(new Set(seen).size).toBe(4_500)
    db.close()
  })

  it("stops when the callback says so", () => {
    const db = table(range(0, 10))
    expect(readAll(db, 0, 10, 3)).toEqual(["b0 p0 h0", "b1 p1 h1", "b2 p2 h2"])
    db.close()
  })
})

describe("ParallelVerify: this thread or workers", () => {
  it("verifies in this thread, starting no worker, with one job (or less), below sequentialBelow, or inline", async () => {
    const filename = await makeLog(40)
    const ok = { ok: true, exitCode: 0, records: 40, streams: 7, warnings: [] }
    // A worker that cannot start would leave a warning: none means none was started.
    for (const jobs of [1, 1.5, 0])
      expect(
        await ParallelVerify.verifySqliteFile(filename, {
          jobs,
          chunkSize: 8,
          sequentialBelow: 0,
          workerUrl: noWorker
        })
      ).toMatchObject(ok)
    expect(
      await ParallelVerify.verifySqliteFile(filename, {
        jobs: 2,
        chunkSize: 8,
        sequentialBelow: 41,
        workerUrl: noWorker
      })
    ).toMatchObject(ok)
    // No sequentialBelow: the default, 100,000, is above 40.
    expect(
      await ParallelVerify.verifySqliteFile(filename, { jobs: 2, chunkSize: 8, workerUrl: noWorker })
    ).toMatchObject(ok)
    expect(
      await ParallelVerify.verifySqliteFile(filename, {
        jobs: 2,
        chunkSize: 8,
        sequentialBelow: 0,
        threads: false,
        workerUrl: noWorker
      })
    ).toMatchObject(ok)
  })

  it("starts workers from sequentialBelow on (40 events, sequentialBelow 40)", async () => {
    const filename = await makeLog(40)
    for (const options of [{ jobs: 2, chunkSize: 8, sequentialBelow: 40 }]) {
      const report = await ParallelVerify.verifySqliteFile(filename, { ...options, workerUrl: noWorker })
      expect(report).toMatchObject({ ok: true, records: 40, streams: 7 })
      expect(report.warnings).toHaveLength(1)
      expect(report.warnings[0]).toMatch(FALLBACK)
    }
  })

  it("a worker that exits without answering (an empty entry module) leaves a warning with its exit code, and the log verified in this thread", async () => {
    const filename = await makeLog(40)
    const empty = join(dir, "EmptyWorker.mjs")
    writeFileSync(empty, "")
    const report = await ParallelVerify.verifySqliteFile(filename, {
      jobs: 2,
      chunkSize: 8,
      sequentialBelow: 0,
      workerUrl: pathToFileURL(empty)
    })
    expect(report).toMatchObject({ ok: true, records: 40, streams: 7 })
    expect(report.warnings).toEqual([
      "parallel verification stopped (the worker exited with code 0); the rest was verified in one thread"
    ])
  }, 30_000)

  it("the effect gives the same report", async () => {
    const filename = await makeLog(12)
    tamper(filename, 5)
    const report = await Effect.runPromise(
      ParallelVerify.verifySqlite(filename, { threads: false, chunkSize: 4 })
    )
    expect(report).toMatchObject({
      ok: false,
      exitCode: 1,
      records: 5,
      failure: { class: "CHAIN", position: 5 }
    })
  })
})

describe("ParallelVerify: the row check", () => {
  it("in this thread (inline, one job): the first failing position of the whole log, only when the records verify", async () => {
    const filename = await makeLog(12)
    for (const options of [
      { threads: false, chunkSize: 4 },
      { jobs: 1, sequentialBelow: 0 }
    ]) {
      expect(
        await ParallelVerify.verifySqliteFile(filename, { ...options, rowCheck: failingAt([3, 8]) })
      ).toMatchObject({ ok: true, records: 12, rowCheckFailedAt: 3 })
      // The range asked is the whole log, [0, 12): the last position in it is 11.
      const last =
        "SELECT position FROM events WHERE position >= ? AND position < ? ORDER BY position DESC LIMIT 1"
      expect(await ParallelVerify.verifySqliteFile(filename, { ...options, rowCheck: last })).toMatchObject({
        ok: true,
        rowCheckFailedAt: 11
      })
      const passed = await ParallelVerify.verifySqliteFile(filename, {
        ...options,
        rowCheck: failingAt([99])
      })
      expect(passed.ok).toBe(true)
      expect("rowCheckFailedAt" in passed).toBe(false)
    }
    tamper(filename, 6)
    const failed = await ParallelVerify.verifySqliteFile(filename, {
      threads: false,
      chunkSize: 4,
      rowCheck: failingAt([3])
    })
    expect(failed).toMatchObject({ ok: false, failure: { class: "CHAIN", position: 6 } })
    expect("rowCheckFailedAt" in failed).toBe(false)
  })

  describe("in worker threads", () => {
    // 300 events in chunks of 64: [0, 64), [64, 128), [128, 192), [192, 256), [256, 300).
    const threads = { jobs: 2, chunkSize: 64, sequentialBelow: 0 }

    it("the smallest of the chunks' first failing positions; none when no row fails or the records do not verify", async () => {
      const filename = await makeLog(300)
      // Chunk 1 fails first at 70, chunk 3 at 200, chunk 4 at 260 and 299: the log at 70.
      const report = await ParallelVerify.verifySqliteFile(filename, {
        ...threads,
        rowCheck: failingAt([70, 200, 260, 299])
      })
      expect(report).toMatchObject({ ok: true, records: 300, streams: 7, warnings: [], rowCheckFailedAt: 70 })
      const passed = await ParallelVerify.verifySqliteFile(filename, {
        ...threads,
        rowCheck: failingAt([999])
      })
      expect(passed).toMatchObject({ ok: true, records: 300, warnings: [] })
      expect("rowCheckFailedAt" in passed).toBe(false)
      tamper(filename, 150)
      const failed = await ParallelVerify.verifySqliteFile(filename, {
        ...threads,
        rowCheck: failingAt([70])
      })
      expect(failed).toMatchObject({ ok: false, failure: { class: "CHAIN", position: 150 } })
      expect("rowCheckFailedAt" in failed).toBe(false)
    })

    it("when the workers cannot start, the row check of the whole log in this thread", async () => {
      const filename = await makeLog(300)
      const report = await ParallelVerify.verifySqliteFile(filename, {
        ...threads,
        workerUrl: noWorker,
        rowCheck: failingAt([200, 260])
      })
      expect(report).toMatchObject({ ok: true, records: 300, rowCheckFailedAt: 200 })
      expect(report.warnings).toHaveLength(1)
    })
  })
})

// A worker entry that answers every chunk with a summary that cannot be joined (a count of 0, where
// the chunk holds chunkSize events or the log's tail) and a row check that found nothing (`null`):
// the joiner falls back to this thread at chunk 0, and the rest of the log verifies there.
const unjoinableWorker = (): URL => {
  const entry = join(dir, "UnjoinableWorker.mjs")
  writeFileSync(
    entry,
    [
      'import { parentPort } from "node:worker_threads"',
      'parentPort.on("message", (task) => parentPort.postMessage({ index: task.index, failed: false, count: 0, rowCheckAt: null }))',
      ""
    ].join("\n")
  )
  return pathToFileURL(entry)
}

/** A signed and cosigned checkpoint of the first `size` events of the SQLite log `filename`. */
const checkpointOf = (filename: string, size: number): string => {
  const db = new Database(filename, { readonly: true })
  const hashes = db.prepare("SELECT hash FROM events ORDER BY position").pluck().all() as Array<string>
  db.close()
  const tree = MerkleTree.fromLeafHashes(
    hashes.map((h) => MerkleTree.hashLeaf(MerkleTree.leafInputFromHex(h)))
  )
  return Checkpoint.cosign(
    Checkpoint.sign({ origin: ORIGIN, size, root: tree.rootAt(size) }, logKey),
    witnessKey,
    1_790_000_000
  )
}

describe("ParallelVerify: a chunk that does not join, once the rest verified in this thread", () => {
  // 40 events in chunks of 16: [0, 16), [16, 32), [32, 40); 2 workers, 4 lanes, every chunk sent
  // at once. Chunk 0 does not join, so the rest of the log is verified in this thread and gives
  // the report; the chunks that arrive after it are not joined.
  const threads = { jobs: 2, chunkSize: 16, sequentialBelow: 0 }

  it("counts an earlier checkpoint of the log's whole size once", async () => {
    const filename = await makeLog(40)
    const cp = checkpointOf(filename, 40)
    // One earlier checkpoint, of all 40 events (the current one given again): checked once, at the
    // end of the log.
    const report = await ParallelVerify.verifySqliteFile(filename, {
      ...threads,
      workerUrl: unjoinableWorker(),
      trust,
      checkpoint: cp,
      previous: [cp]
    })
    expect(report).toMatchObject({
      ok: true,
      exitCode: 0,
      records: 40,
      streams: 7,
      previousChecked: 1,
      warnings: []
    })
  }, 30_000)

  it("runs the row check over the whole log in this thread, not trusting the workers' answers", async () => {
    const filename = await makeLog(40)
    // The row check fails at 3 (in chunk 0), which the workers' `null` answers do not say.
    const report = await ParallelVerify.verifySqliteFile(filename, {
      ...threads,
      workerUrl: unjoinableWorker(),
      rowCheck: failingAt([3])
    })
    expect(report).toMatchObject({ ok: true, records: 40, streams: 7, warnings: [], rowCheckFailedAt: 3 })
  }, 30_000)
})

// The descriptors this process holds open on `filename` (Linux: /proc/self/fd), workers' included.
const openOn = (filename: string): number =>
  readdirSync("/proc/self/fd").filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === filename
    } catch {
      return false
    }
  }).length

describe.runIf(existsSync("/proc/self/fd"))("ParallelVerify: what it leaves open", () => {
  it("no descriptor of the file, in this thread or in a worker, once the report is given", async () => {
    const filename = await makeLog(300)
    expect(openOn(filename)).toBe(0)
    expect(await ParallelVerify.verifySqliteFile(filename, { threads: false, chunkSize: 64 })).toMatchObject({
      ok: true,
      records: 300
    })
    expect(openOn(filename)).toBe(0)
    expect(
      await ParallelVerify.verifySqliteFile(filename, { jobs: 2, chunkSize: 64, sequentialBelow: 0 })
    ).toMatchObject({ ok: true, records: 300, warnings: [] })
    expect(openOn(filename)).toBe(0)
  })
})

describe("ParallelVerify: store errors", () => {
  it("a file that cannot be opened: STORE_ERROR with better-sqlite3's message", async () => {
    const missing = join(dir, "missing.db")
    let message = ""
    try {
      new Database(missing, { readonly: true, fileMustExist: true })
    } catch (cause) {
      message = (cause as Error).message
    }
    expect(message).not.toBe("")
    expect(await ParallelVerify.verifySqliteFile(missing, { threads: false })).toEqual({
      ok: false,
      exitCode: 1,
      records: 0,
      streams: 0,
      previousChecked: 0,
      warnings: [],
      failure: { class: "STORE_ERROR", detail: `the store could not be read: ${message}` }
    })
  })

  it("a SQLite file that holds no log: STORE_ERROR with SQLite's message", async () => {
    const filename = join(dir, `other-${files++}.db`)
    const db = new Database(filename)
    db.exec("CREATE TABLE notes (text TEXT)")
    db.close()
    const report = await ParallelVerify.verifySqliteFile(filename, { threads: false })
    expect(report.failure).toEqual({
      class: "STORE_ERROR",
      detail: "the store could not be read: no such table: store_meta"
    })
  })
})
