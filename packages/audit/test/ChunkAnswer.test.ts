/**
 * What a verification worker answers a chunk task with (`Chunks.answer`, the body of its message
 * handler), run in this thread: the parallel verifier's workers cannot be measured by Stryker.
 */
import { describe, expect, it } from "vitest"
import * as Export from "../src/Export.js"
import { answer, type ChunkTask, verifyChunk } from "../src/internal/Chunks.js"
import type { RowSource } from "../src/internal/RowSource.js"
import { appendAll, exportLines, makeStore, ORIGIN, sampleCmds } from "./fixtures.js"

const store = makeStore()
appendAll(store, sampleCmds(11))
const lines = exportLines(store)

const sourceOf = (given: ReadonlyArray<string>): RowSource => {
  const rows = given.map((l) => Export.parseLine(l) as Export.ExportRecord)
  return {
    read: (from, to, each) => {
      for (let i = from; i < to && i < rows.length; i++) {
        const r = rows[i] as Export.ExportRecord
        if (!each(r.canonical, r.prevHash, r.hash, [])) return
      }
    }
  }
}

const task: ChunkTask = { index: 1, from: 4, to: 8, snapshotAt: [] }

describe("Chunks.answer", () => {
  it("without a row check, answers the chunk's summary as it is", () => {
    const source = sourceOf(lines)
    const reply = answer(source, ORIGIN, undefined, task)
    expect(reply).toEqual(verifyChunk(source, ORIGIN, task))
    expect(reply).not.toHaveProperty("rowCheckAt")
    expect(reply).toMatchObject({ index: 1, failed: false })
  })

  it("runs the row check over the chunk's positions: its first failing position, or null", () => {
    const source = sourceOf(lines)
    const asked: Array<[number, number]> = []
    const failingAt6 = answer(
      source,
      ORIGIN,
      (from, to) => {
        asked.push([from, to])
        return 6
      },
      task
    )
    const passing = answer(source, ORIGIN, () => undefined, task)
    expect(asked).toEqual([[4, 8]])
    expect(failingAt6).toEqual({ ...verifyChunk(source, ORIGIN, task), rowCheckAt: 6 })
    expect(passing).toEqual({ ...verifyChunk(source, ORIGIN, task), rowCheckAt: null })
  })

  it("does not run the row check on a chunk that failed", () => {
    // Position 5's record with one character changed: its hash no longer matches.
    const tampered = lines.map((l, i) => (i === 5 ? l.replace('"tenant":"', '"tenant":"x') : l))
    expect(tampered[5]).not.toBe(lines[5])
    let calls = 0
    const reply = answer(
      sourceOf(tampered),
      ORIGIN,
      () => {
        calls += 1
        return undefined
      },
      task
    )
    expect(calls).toBe(0)
    expect(reply).toMatchObject({ index: 1, failed: true })
    expect(reply).not.toHaveProperty("rowCheckAt")
  })

  it("answers what threw as the task's error, a message or the thrown value as text", () => {
    const throwing = (thrown: unknown): RowSource => ({
      read: () => {
        throw thrown
      }
    })
    expect(answer(throwing(new Error("disk I/O error")), ORIGIN, undefined, task)).toEqual({
      index: 1,
      error: "disk I/O error"
    })
    expect(answer(throwing("busy"), ORIGIN, undefined, task)).toEqual({ index: 1, error: "busy" })
    // A row check that throws (a database closed under it) is the task's error too.
    expect(
      answer(
        sourceOf(lines),
        ORIGIN,
        () => {
          throw new Error("database is closed")
        },
        task
      )
    ).toEqual({ index: 1, error: "database is closed" })
  })
})
