/**
 * `ParallelVerify.serveWorker`, the body of a verification worker, run in this thread with
 * `node:worker_threads` replaced by a stand-in port and worker data: in a real worker no mutant is
 * active, so Stryker saw this code without coverage (run hM23 in docs/reference/mutation.md). Each
 * case loads the module afresh (`serveWorker` serves once per module). The expected summaries are
 * worked out by hand from the log written (40 events over 7 streams, one append each).
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest"
import type { ChunkTask } from "../src/internal/Chunks.js"
import { ORIGIN } from "./fixtures.js"
import { writeGrantLog } from "./sqliteLog.js"

const dir = mkdtempSync(join(tmpdir(), "parallel-verify-serve-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let filename = ""
beforeAll(async () => {
  filename = await writeGrantLog(join(dir, "log.db"), 40)
})

/** A stand-in for a worker's `parentPort`: the handlers registered and the messages posted. */
const makePort = () => {
  const handlers: Array<[string, (task: ChunkTask) => void]> = []
  const posted: Array<unknown> = []
  return {
    handlers,
    posted,
    on: (event: string, handler: (task: ChunkTask) => void) => {
      handlers.push([event, handler])
    },
    postMessage: (message: unknown) => {
      posted.push(message)
    }
  }
}

/** `serveWorker` of a fresh copy of the module, as if in a worker with this port and data. */
const serveIn = async (port: ReturnType<typeof makePort> | null, workerData: unknown) => {
  vi.resetModules()
  vi.doMock("node:worker_threads", async (importOriginal) => ({
    ...(await importOriginal<typeof import("node:worker_threads")>()),
    parentPort: port,
    workerData
  }))
  const { serveWorker } = await import("../src/ParallelVerify.js")
  return serveWorker
}
afterEach(() => {
  vi.doUnmock("node:worker_threads")
})

// Chunk 1 of chunks of 16: positions [16, 32).
const task: ChunkTask = { index: 1, from: 16, to: 32, snapshotAt: [] }
const failingAt20 =
  "SELECT position FROM events WHERE position >= ? AND position < ? AND position IN (20, 35) ORDER BY position LIMIT 1"

describe("ParallelVerify.serveWorker", () => {
  it("answers each task with the chunk's summary and its row check's first failing position", async () => {
    const port = makePort()
    const serveWorker = await serveIn(port, {
      utblickVerifyWorker: 1,
      filename,
      origin: ORIGIN,
      rowCheck: failingAt20
    })
    serveWorker()
    // Once per worker: a second call registers nothing more.
    serveWorker()
    expect(port.handlers.map(([event]) => event)).toEqual(["message"])
    port.handlers[0]?.[1](task)
    // 16 records verified; the row check fails at 20 (35 is in chunk 2).
    expect(port.posted).toHaveLength(1)
    expect(port.posted[0]).toMatchObject({ index: 1, count: 16, failed: false, rowCheckAt: 20 })
    port.handlers[0]?.[1]({ index: 2, from: 32, to: 40, snapshotAt: [] })
    expect(port.posted[1]).toMatchObject({ index: 2, count: 8, failed: false, rowCheckAt: 35 })
  })

  it("without a row check, the summary alone; against another origin, a chunk that failed", async () => {
    const port = makePort()
    ;(await serveIn(port, { utblickVerifyWorker: 1, filename, origin: ORIGIN }))()
    port.handlers[0]?.[1](task)
    expect(port.posted[0]).toMatchObject({ index: 1, count: 16, failed: false })
    expect(port.posted[0]).not.toHaveProperty("rowCheckAt")
    const other = makePort()
    ;(await serveIn(other, { utblickVerifyWorker: 1, filename, origin: "another.example/log" }))()
    other.handlers[0]?.[1](task)
    // The first record names another origin: it fails, none verified.
    expect(other.posted[0]).toMatchObject({ index: 1, count: 0, failed: true })
  })

  it("is a no-op outside a worker started by verifySqliteFile", async () => {
    const input = { utblickVerifyWorker: 1, filename, origin: ORIGIN }
    // No parent port (this thread is not a worker).
    expect((await serveIn(null, input))()).toBeUndefined()
    // A worker without the marker, or without data.
    for (const data of [{ ...input, utblickVerifyWorker: 2 }, undefined]) {
      const port = makePort()
      ;(await serveIn(port, data))()
      expect(port.handlers).toEqual([])
    }
  })
})
