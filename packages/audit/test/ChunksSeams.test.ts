/**
 * Verification in chunks, in this thread: the chunks of a log are verified "open" and joined in
 * order, as the parallel verifier does in worker threads (whose tests cannot run under Stryker).
 * Every report is compared with the sequential verifier's on the same export (another code path),
 * and each seam that is broken on purpose is named at the position where it was broken.
 */
import { canonicalize, type JsonObject } from "@utblick/core/CanonicalJson"
import { chainHash, GENESIS_HASH } from "@utblick/core/HashChain"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import * as Checkpoint from "../src/Checkpoint.js"
import * as Export from "../src/Export.js"
import { makeJoiner, planChunks, verifyChunk } from "../src/internal/Chunks.js"
import type { RowSource } from "../src/internal/RowSource.js"
import { prepare } from "../src/internal/LogVerifier.js"
import * as MerkleTree from "../src/MerkleTree.js"
import * as Verify from "../src/Verify.js"
import { appendAll, exportLines, logKey, makeStore, ORIGIN, sampleCmds, toText, trust, witnessKey } from "./fixtures.js"

type Body = Record<string, unknown>

const bodiesOf = (lines: ReadonlyArray<string>): Array<Body> =>
  lines.map((l) => JSON.parse((Export.parseLine(l) as Export.ExportRecord).canonical) as Body)

/** A self-consistent log from bodies: positions, stream links and the chain recomputed. */
const forge = (
  bodies: ReadonlyArray<Body>,
  edit: (body: Body, i: number) => Body = (b) => b,
  relinkAt = -1,
  relinkTo = "1".repeat(64)
) => {
  let prev = GENESIS_HASH
  const tips = new Map<string, { v: number; h: string }>()
  return bodies.map((b, i) => {
    // From `relinkAt` on, the chain continues from a hash that is not the one before.
    if (i === relinkAt) prev = relinkTo
    const tip = tips.get(b.streamId as string)
    const body = edit({ ...b, position: i, streamVersion: (tip?.v ?? 0) + 1, streamPrev: tip?.h ?? null }, i)
    const canonical = canonicalize(body as JsonObject)
    const hash = chainHash(prev, canonical)
    tips.set(b.streamId as string, { v: body.streamVersion as number, h: hash })
    const line = Export.formatLine({ canonical, prevHash: prev, hash })
    prev = hash
    return line
  })
}

// How many rows every source handed out: joined chunks read each row once; a seam that does not
// hold sends the rest of the log through the sequential engine, which reads it again.
let rowsRead = 0

const sourceOf = (lines: ReadonlyArray<string>): RowSource => {
  const rows = lines.map((l) => Export.parseLine(l) as Export.ExportRecord)
  return {
    read: (from, to, each) => {
      for (let i = from; i < to && i < rows.length; i++) {
        rowsRead++
        const r = rows[i] as Export.ExportRecord
        if (!each(r.canonical, r.prevHash, r.hash, [])) return
      }
    }
  }
}

/**
 * Chunks verified one after another, joined in order; the first final report wins. `size` is the
 * number of records the log is said to hold (by default, as many as there are lines).
 */
const chunked = (
  lines: ReadonlyArray<string>,
  options: Verify.Options,
  chunkSize: number,
  size = lines.length
): Verify.Report => {
  const context = prepare(options)
  if (Result.isFailure(context)) return context.failure
  const source = sourceOf(lines)
  const joiner = makeJoiner(context.success, source, size, chunkSize)
  for (const task of planChunks(context.success, size, chunkSize)) {
    const report = joiner.join(verifyChunk(source, ORIGIN, task))
    if (report !== undefined) return report
  }
  return joiner.finish()
}

const noteOf = (lines: ReadonlyArray<string>, size: number) => {
  const hashes = lines.slice(0, size).map((l) => (Export.parseLine(l) as Export.ExportRecord).hash)
  const tree = MerkleTree.fromLeafHashes(hashes.map((h) => MerkleTree.hashLeaf(MerkleTree.leafInputFromHex(h))))
  return Checkpoint.cosign(Checkpoint.sign({ origin: ORIGIN, size, root: tree.rootAt(size) }, logKey), witnessKey, 1_790_000_000)
}

const store = makeStore()
appendAll(store, sampleCmds(11))
const honest = exportLines(store)
const bodies = bodiesOf(honest)
// Times one minute apart, so that a time going back is visible.
const timed = bodies.map((b, i) => ({ ...b, recordedAt: `2026-10-01T10:${String(10 + i).padStart(2, "0")}:00.000Z` }))
const log = forge(timed)
const options = (lines: ReadonlyArray<string>): Verify.Options => ({
  trust,
  checkpoint: noteOf(lines, lines.length),
  previous: [1, 4, 7, 8].map((n) => noteOf(lines, n))
})

describe("planChunks", () => {
  it("cuts the log into aligned chunks and keeps a range where a checkpoint ends inside one", () => {
    const context = Result.getOrThrow(prepare(options(log)))
    expect(planChunks(context, 11, 4)).toEqual([
      { index: 0, from: 0, to: 4, snapshotAt: [1] },
      { index: 1, from: 4, to: 8, snapshotAt: [4, 7] },
      { index: 2, from: 8, to: 11, snapshotAt: [8] }
    ])
    expect(planChunks(context, 0, 4)).toEqual([])
    expect(() => makeJoiner(context, sourceOf(log), 11, 3)).toThrow("chunk size 3 is not a power of two")
  })
})

describe("verifyChunk", () => {
  it("summarises what the chunks before must agree with", () => {
    const s = verifyChunk(sourceOf(log), ORIGIN, { index: 1, from: 4, to: 8, snapshotAt: [] })
    const rows = log.map((l) => Export.parseLine(l) as Export.ExportRecord)
    // Positions 4..7 are trip-7, membership-3, grant-2026-0042, trip-7 (streams cycle by i % 3):
    // the first three are each stream's first event in the chunk, versions 2, 2 and 3.
    expect(s).toMatchObject({
      index: 1,
      count: 4,
      failed: false,
      firstPrevHash: rows[3]?.hash,
      firstRecordedAt: "2026-10-01T10:14:00.000Z",
      lastHash: rows[7]?.hash,
      lastRecordedAt: "2026-10-01T10:17:00.000Z",
      firsts: [
        ["trip-7", 2, rows[1]?.hash],
        ["membership-3", 2, rows[2]?.hash],
        ["grant-2026-0042", 3, rows[3]?.hash]
      ],
      snapshots: []
    })
    expect(s.stack).toHaveLength(1)
    expect(new Set(s.lasts.map((l) => l[0]))).toEqual(new Set(["grant-2026-0042", "trip-7", "membership-3"]))
    const bad = verifyChunk(sourceOf(forge(timed, (b, i) => (i === 5 ? { ...b, origin: "x" } : b))), ORIGIN, {
      index: 1,
      from: 4,
      to: 8,
      snapshotAt: []
    })
    expect(bad).toMatchObject({ failed: true, count: 1 })
  })
})

describe("joined chunks give the sequential report", () => {
  it.each([1, 2, 4, 8, 16])("on an honest log with earlier checkpoints, in chunks of %i", (size) => {
    const expected = Verify.verifyExport(toText(log), options(log))
    expect(expected).toMatchObject({ ok: true, records: 11, previousChecked: 4 })
    rowsRead = 0
    expect(chunked(log, options(log), size)).toEqual(expected)
    // Every seam held: each of the 11 rows was read once, none again sequentially.
    expect(rowsRead).toBe(11)
  })

  it("without a checkpoint (the parallel verifier chunks a log only when it knows its origin)", () => {
    expect(chunked(log, { origin: ORIGIN }, 4)).toEqual(Verify.verifyExport(toText(log), { origin: ORIGIN }))
  })

  const broken: ReadonlyArray<readonly [string, ReadonlyArray<string>, string, number]> = [
    ["a chain link at the seam", forge(timed, undefined, 4), "CHAIN", 4],
    ["a chain link inside a chunk", forge(timed, undefined, 6), "CHAIN", 6],
    [
      "the time going back at the seam",
      forge(timed, (b, i) => (i === 4 ? { ...b, recordedAt: "2026-10-01T10:12:30.000Z" } : b)),
      "SEQ",
      4
    ],
    [
      "a stream version skipped at the seam",
      forge(timed, (b, i) => (i === 4 ? { ...b, streamVersion: 3 } : b)),
      "STREAM_LINK",
      4
    ],
    [
      "a stream link that points elsewhere at the seam",
      forge(timed, (b, i) => (i === 5 ? { ...b, streamPrev: "0".repeat(64) } : b)),
      "STREAM_LINK",
      5
    ],
    [
      "a record of another log inside a chunk",
      forge(timed, (b, i) => (i === 6 ? { ...b, origin: "other.example/log" } : b)),
      "ORIGIN",
      6
    ]
  ]

  it.each(broken)("names %s where the sequential verifier does", (_name, lines, cls, position) => {
    const expected = Verify.verifyExport(toText(lines), { origin: ORIGIN })
    expect(expected.failure).toMatchObject({ class: cls, position })
    expect(chunked(lines, { origin: ORIGIN }, 4)).toEqual(expected)
  })

  it("names an earlier checkpoint that ends inside a chunk and no longer matches", () => {
    // Position 5 rewritten and everything after re-chained: the checkpoints at 1 and 4 still
    // match, the one at 7 (inside the second chunk) does not.
    const rewritten = forge(timed, (b, i) => (i === 5 ? { ...b, payload: { amountMinor: 1, note: "changed" } } : b))
    const opts: Verify.Options = {
      trust,
      checkpoint: noteOf(rewritten, 11),
      previous: [noteOf(log, 1), noteOf(log, 4), noteOf(log, 7)]
    }
    const expected = Verify.verifyExport(toText(rewritten), opts)
    expect(expected.failure?.class).toBe("INCONSISTENT_WITH_PREVIOUS")
    expect(chunked(rewritten, opts, 4)).toEqual(expected)
    expect(chunked(rewritten, opts, 2)).toEqual(expected)
  })

  it("names a log shorter than its checkpoint, and one with a forged head", () => {
    const short = log.slice(0, 9)
    const opts: Verify.Options = { trust, checkpoint: noteOf(log, 11) }
    const expected = Verify.verifyExport(toText(short), opts)
    expect(expected.failure).toMatchObject({ class: "SIZE_MISMATCH", position: 9 })
    expect(chunked(short, opts, 4)).toEqual(expected)
    const wrongFirst = forge(timed).map((l, i) => (i === 0 ? l.replace(/"prevHash":"0{64}"/, `"prevHash":"${"1".repeat(64)}"`) : l))
    const e2 = Verify.verifyExport(toText(wrongFirst), { origin: ORIGIN })
    expect(e2.failure?.position).toBe(0)
    expect(chunked(wrongFirst, { origin: ORIGIN }, 4)).toEqual(e2)
  })

  it("verifies sequentially from a chunk that arrives out of order", () => {
    const context = Result.getOrThrow(prepare(options(log)))
    const source = sourceOf(log)
    const joiner = makeJoiner(context, source, 11, 4)
    const tasks = planChunks(context, 11, 4)
    const report = joiner.join(verifyChunk(source, ORIGIN, tasks[1] as (typeof tasks)[number]))
    expect(report).toEqual(Verify.verifyExport(toText(log), options(log)))
  })
})

describe("a chunk verified open", () => {
  it("stops reading at its first failing record", () => {
    // Position 5 belongs to another log: the chunk [4, 8) reads 4 and 5, and nothing after.
    const lines = forge(timed, (b, i) => (i === 5 ? { ...b, origin: "other.example/log" } : b))
    rowsRead = 0
    expect(verifyChunk(sourceOf(lines), ORIGIN, { index: 1, from: 4, to: 8, snapshotAt: [] })).toMatchObject({
      failed: true,
      count: 1
    })
    expect(rowsRead).toBe(2)
  })

  it("holds its records to the log's origin, even when every record of the chunk names the same other one", () => {
    // The last chunk, [8, 11), is wholly of another log: on its own it is consistent, so only the
    // origin the chunk is verified against can refuse it, at its first record.
    const lines = forge(timed, (b, i) => (i >= 8 ? { ...b, origin: "other.example/log" } : b))
    const expected = Verify.verifyExport(toText(lines), { origin: ORIGIN })
    expect(expected.failure).toMatchObject({ class: "ORIGIN", position: 8 })
    expect(chunked(lines, { origin: ORIGIN }, 4)).toEqual(expected)
    expect(verifyChunk(sourceOf(lines), ORIGIN, { index: 2, from: 8, to: 11, snapshotAt: [] })).toMatchObject({
      failed: true,
      count: 0
    })
  })
})

describe("the seams a joiner checks", () => {
  it("joins a chunk that starts at the very time the chunk before ended (times may be equal)", () => {
    // Positions 3 and 4 (the last of the first chunk of 4 and the first of the second) at 10:13.
    const lines = forge(timed.map((b, i) => (i === 4 ? { ...b, recordedAt: "2026-10-01T10:13:00.000Z" } : b)))
    const expected = Verify.verifyExport(toText(lines), options(lines))
    expect(expected).toMatchObject({ ok: true, records: 11 })
    rowsRead = 0
    expect(chunked(lines, options(lines), 4)).toEqual(expected)
    expect(rowsRead).toBe(11)
  })

  it("verifies sequentially when a source hands out fewer records than the log is said to hold", () => {
    // The log is said to hold 11 records, but the source ends after 9: the last chunk, [8, 11),
    // reads one record and is not joined as if it had three.
    const short = log.slice(0, 9)
    const opts: Verify.Options = { trust, checkpoint: noteOf(log, 11) }
    const expected = Verify.verifyExport(toText(short), opts)
    expect(expected.failure).toMatchObject({ class: "SIZE_MISMATCH", position: 9 })
    expect(chunked(short, opts, 4, 11)).toEqual(expected)
  })

  it("names a log shorter than its checkpoint as short, also when it holds an earlier checkpoint", () => {
    // The root taken at the earlier checkpoint (size 4) is not the root at the checkpoint's size.
    const short = log.slice(0, 9)
    const opts: Verify.Options = { trust, checkpoint: noteOf(log, 11), previous: [noteOf(log, 4)] }
    const expected = Verify.verifyExport(toText(short), opts)
    expect(expected.failure).toMatchObject({ class: "SIZE_MISMATCH", position: 9 })
    expect(chunked(short, opts, 4)).toEqual(expected)
    expect(chunked(short, opts, 2)).toEqual(expected)
  })

  it("names a rewritten prefix when the log runs on past its checkpoint, from the root at the checkpoint's size", () => {
    // Position 5 rewritten and re-chained; the checkpoint (size 7, inside the second chunk) is of
    // the honest log: the first 7 events no longer hash to its root.
    const rewritten = forge(timed, (b, i) => (i === 5 ? { ...b, payload: { amountMinor: 1, note: "changed" } } : b))
    const opts: Verify.Options = { trust, checkpoint: noteOf(log, 7) }
    const expected = Verify.verifyExport(toText(rewritten), opts)
    expect(expected.failure).toMatchObject({ class: "ROOT_MISMATCH" })
    expect(expected.failure?.detail).toBe(
      "the first 7 events do not hash to the signed checkpoint root: the log was altered"
    )
    expect(chunked(rewritten, opts, 4)).toEqual(expected)
    // The honest log past the same checkpoint is only too long.
    expect(chunked(log, opts, 4)).toEqual(Verify.verifyExport(toText(log), opts))
    expect(chunked(log, opts, 4).failure).toMatchObject({ class: "SIZE_MISMATCH", position: 11 })
  })

  it("does not join a chunk handed over before its turn, even one whose seams would hold at the log's start", () => {
    // From position 4 on, the log starts afresh: its chain from the genesis hash and new streams,
    // so the chunk [4, 8) alone looks like the start of a log.
    const afresh = forge(
      timed.map((b, i) => (i >= 4 ? { ...b, streamId: `new-${String((b as Body)["streamId"])}` } : b)),
      undefined,
      4,
      GENESIS_HASH
    )
    const expected = Verify.verifyExport(toText(afresh), { origin: ORIGIN })
    expect(expected.failure).toMatchObject({ class: "CHAIN", position: 4 })
    const context = Result.getOrThrow(prepare({ origin: ORIGIN }))
    const source = sourceOf(afresh)
    const tasks = planChunks(context, 11, 4)
    const early = verifyChunk(source, ORIGIN, tasks[1] as (typeof tasks)[number])
    expect(early).toMatchObject({ failed: false, count: 4, firstPrevHash: GENESIS_HASH })
    expect(makeJoiner(context, source, 11, 4).join(early)).toEqual(expected)
  })
})
