/**
 * Where the parallel verifier does its work, and what it leaves of the file: cases for mutants of
 * ParallelVerify.ts that change no report of an honest row check or worker, only which thread does
 * the work, how much, or what the file looks like afterwards (run hM23 in
 * docs/reference/mutation.md). Each case makes the work visible with a probe: a "row check" that
 * names the range it was asked about, or a worker entry that writes down the tasks it got or says
 * how it was started. Every expected value is worked out by hand from the log and the chunks
 * given, as each comment says.
 */

import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import Database from "better-sqlite3"
import { afterAll, describe, expect, it } from "vitest"
import * as ParallelVerify from "../src/ParallelVerify.js"
import { writeGrantLog } from "./sqliteLog.js"

const dir = mkdtempSync(join(tmpdir(), "parallel-verify-work-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let files = 0

/** A new SQLite log file of `n` events over 7 streams, one append each. */
const makeLog = (n: number): Promise<string> => writeGrantLog(join(dir, `log-${files++}.db`), n)

/** A worker entry module of the lines given, in the test's directory. */
const workerEntry = (name: string, lines: ReadonlyArray<string>): URL => {
  const entry = join(dir, name)
  writeFileSync(entry, [...lines, ""].join("\n"))
  return pathToFileURL(entry)
}

describe("ParallelVerify: the row check shares the workers' threads", () => {
  // Not a real check but a probe: it "fails" at the last position of the range it is asked about,
  // so the report says which range that was.
  const lastOfRange = "SELECT max(position) FROM events WHERE position >= ? AND position < ?"

  it("each worker checks the chunks it verified; this thread does not check the whole log again", async () => {
    const filename = await makeLog(40)
    // Chunks of 16: [0, 16), [16, 32), [32, 40); the workers answer 15, 31 and 39, and the first
    // chunk's 15 is the log's. Checked here over [0, 40) it would be 39.
    const report = await ParallelVerify.verifySqliteFile(filename, {
      jobs: 2,
      chunkSize: 16,
      sequentialBelow: 0,
      rowCheck: lastOfRange
    })
    expect(report).toMatchObject({ ok: true, records: 40, streams: 7, warnings: [], rowCheckFailedAt: 15 })
    // Without threads no chunk is checked beside its records: the check runs here, over [0, 40).
    const inline = await ParallelVerify.verifySqliteFile(filename, {
      threads: false,
      chunkSize: 16,
      rowCheck: lastOfRange
    })
    expect(inline).toMatchObject({ ok: true, records: 40, warnings: [], rowCheckFailedAt: 39 })
  }, 30_000)
})

describe("ParallelVerify: no chunk is sent once the report is final", () => {
  it("sends only the chunks already on their way when a chunk does not join", async () => {
    const filename = await makeLog(64)
    const tasks = `${filename}.tasks`
    // Each task is written down as it arrives. Chunk 0 is answered at once with a summary that
    // cannot join (a count of 0 where it holds 8 events), so this thread verifies the whole log and
    // the report is final. Every other chunk is answered only after chunk 0's answer was sent (a
    // file and a message on a broadcast channel from the worker that sent it, the file for a
    // worker whose channel opened after the message; no clock): its answer then comes after chunk
    // 0's, and this thread never joins it before the report is final.
    const entry = workerEntry("RecordingWorker.mjs", [
      'import { appendFileSync, existsSync, writeFileSync } from "node:fs"',
      'import { BroadcastChannel, parentPort, workerData } from "node:worker_threads"',
      'const sent = workerData.filename + ".first-answered"',
      'const channel = new BroadcastChannel("utblick-recording-worker")',
      "let answeredFirst = false",
      "const held = []",
      "const release = () => { answeredFirst = true; for (const r of held.splice(0)) parentPort.postMessage(r); channel.close() }",
      "channel.onmessage = release",
      'parentPort.on("message", (task) => {',
      '  appendFileSync(workerData.filename + ".tasks", task.index + "\\n")',
      "  const reply = { index: task.index, failed: false, count: 0, rowCheckAt: null }",
      '  if (task.index === 0) { parentPort.postMessage(reply); writeFileSync(sent, ""); channel.postMessage("answered"); release() }',
      "  else if (answeredFirst || existsSync(sent)) parentPort.postMessage(reply)",
      "  else held.push(reply)",
      "})"
    ])
    // 64 events in chunks of 8: chunks 0 to 7. Two workers with two lanes each take chunks 0 to 3
    // at the start; once chunk 0's answer ends the run, no lane takes another (4 to 7 never sent).
    const report = await ParallelVerify.verifySqliteFile(filename, {
      jobs: 2,
      chunkSize: 8,
      sequentialBelow: 0,
      workerUrl: entry
    })
    expect(report).toMatchObject({ ok: true, exitCode: 0, records: 64, streams: 7, warnings: [] })
    const sent = readFileSync(tasks, "utf8").trim().split("\n").map(Number)
    expect(sent.sort((a, b) => a - b)).toEqual([0, 1, 2, 3])
  }, 30_000)
})

describe("ParallelVerify: how the workers are started", () => {
  it("with a young generation of 16 MB", async () => {
    const filename = await makeLog(40)
    // The worker answers its first task with an error naming its young generation's limit, which
    // the fall-back warning quotes (a worker started without a limit says 192 on Node 24, V8's
    // default for this heap).
    const entry = workerEntry("LimitsWorker.mjs", [
      'import { parentPort, resourceLimits } from "node:worker_threads"',
      'parentPort.on("message", (task) =>',
      '  parentPort.postMessage({ index: task.index, error: "young generation " + resourceLimits.maxYoungGenerationSizeMb + " MB" })',
      ")"
    ])
    const report = await ParallelVerify.verifySqliteFile(filename, {
      jobs: 2,
      chunkSize: 16,
      sequentialBelow: 0,
      workerUrl: entry
    })
    expect(report).toMatchObject({ ok: true, records: 40, streams: 7 })
    expect(report.warnings).toEqual([
      "parallel verification stopped (young generation 16 MB); the rest was verified in one thread"
    ])
  }, 30_000)
})

describe("ParallelVerify: the file is only read", () => {
  it("a log with changes still in its write-ahead log keeps every byte of both files", async () => {
    const filename = await makeLog(20)
    // A write left in the WAL: a writer that does not checkpoint, copied (file, WAL and index)
    // while it is open, as a copy of a running store's files would be.
    const writer = new Database(filename)
    writer.pragma("journal_mode = WAL")
    writer.pragma("wal_autocheckpoint = 0")
    writer.prepare("UPDATE store_meta SET value = value WHERE key = 'origin'").run()
    const copy = join(dir, "copied.db")
    for (const suffix of ["", "-wal", "-shm"]) copyFileSync(filename + suffix, copy + suffix)
    writer.close()
    const files = () =>
      readdirSync(dir)
        .filter((f) => f.startsWith("copied.db"))
        .sort()
    const before = [readFileSync(copy), readFileSync(`${copy}-wal`)]
    expect(files()).toEqual(["copied.db", "copied.db-shm", "copied.db-wal"])
    const report = await ParallelVerify.verifySqliteFile(copy, { threads: false, chunkSize: 8 })
    expect(report).toMatchObject({ ok: true, records: 20, streams: 7, warnings: [] })
    // A connection that may write would fold the WAL into the file when it closes, and delete it.
    expect(files()).toEqual(["copied.db", "copied.db-shm", "copied.db-wal"])
    expect([readFileSync(copy), readFileSync(`${copy}-wal`)]).toEqual(before)
  })
})
