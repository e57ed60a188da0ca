/**
 * `verify --previous` in one pass and O(log n) memory: the leaf ranges a consistency proof is made
 * of (checked against RFC 9162 §2.1.5's worked example and the recursive reference), and
 * `Extension.begin` fed one hash at a time, whose findings are derived here from the kept sizes
 * and the altered position alone, never from running the code under test.
 */
import { fc, test } from "@fast-check/vitest"
import { describe, expect, it } from "vitest"
import * as Checkpoint from "../src/Checkpoint.js"
import * as Extension from "../src/Extension.js"
import { referenceConsistency, referenceRoot } from "../src/internal/MerkleReference.js"
import * as MerkleTree from "../src/MerkleTree.js"
import {
  appendAll,
  exportLines,
  logKey,
  makeStore,
  ORIGIN,
  records,
  sampleCmds,
  toText,
  trust
} from "./fixtures.js"

describe("MerkleTree.consistencyProofRanges", () => {
  it("gives RFC 9162 §2.1.5's proofs for the tree of seven leaves", () => {
    // The RFC's letters: c = d2, d = d3, g = MTH(d0 d1), l = MTH(d4 d5 d6); i = MTH(d4 d5),
    // j = d6, k = MTH(d0 … d3).
    expect(MerkleTree.consistencyProofRanges(3, 7)).toEqual([
      [2, 3],
      [3, 4],
      [0, 2],
      [4, 7]
    ])
    expect(MerkleTree.consistencyProofRanges(4, 7)).toEqual([[4, 7]])
    expect(MerkleTree.consistencyProofRanges(6, 7)).toEqual([
      [4, 6],
      [6, 7],
      [0, 4]
    ])
    expect(MerkleTree.consistencyProofRanges(7, 7)).toEqual([])
  })

  it("refuses sizes that describe no proof, naming them", () => {
    expect(() => MerkleTree.consistencyProofRanges(0, 5)).toThrow(
      "a consistency proof from an empty tree proves nothing"
    )
    expect(() => MerkleTree.consistencyProofRanges(5, 3)).toThrow("size1 5 is larger than size2 3")
    expect(() => MerkleTree.consistencyProofRanges(1.5, 3)).toThrow("sizes 1.5 and 3 are not sizes of a tree")
    expect(() => MerkleTree.consistencyProofRanges(2, Number.NaN)).toThrow(
      "sizes 2 and NaN are not sizes of a tree"
    )
    expect(() => MerkleTree.consistencyProofRanges(-1, 3)).toThrow("sizes -1 and 3 are not sizes of a tree")
  })

  test.prop([fc.integer({ min: 1, max: 160 }), fc.integer({ min: 0, max: 160 })])(
    "the roots of its ranges are the reference proof, over disjoint ranges inside the new tree",
    (m, extra) => {
      const n = m + extra
      const leaves = Array.from({ length: n }, (_, i) => Buffer.from([i & 0xff, i >> 8]))
      const ranges = MerkleTree.consistencyProofRanges(m, n)
      expect(ranges.map(([s, e]) => referenceRoot(leaves.slice(s, e)))).toEqual(
        referenceConsistency(m, leaves)
      )
      const covered = new Set<number>()
      for (const [s, e] of ranges) {
        expect(0 <= s && s < e && e <= n).toBe(true)
        for (let i = s; i < e; i++) {
          expect(covered.has(i)).toBe(false)
          covered.add(i)
        }
      }
    }
  )
})

// A real log of 60 events, so that kept exports verify on their own; the current log is a prefix
// of it, with the event at the altered position (and so every later hash) rewritten.
const store = makeStore()
appendAll(store, sampleCmds(60))
const original = records(store).map((r) => r.hash)
const lines = exportLines(store)
const flip = (h: string) => `${h.slice(0, 63)}${h[63] === "0" ? "1" : "0"}`
const rootOf = (hashes: ReadonlyArray<string>) => referenceRoot(hashes.map((h) => Buffer.from(h, "hex")))
const noteOf = (size: number) =>
  Checkpoint.sign({ origin: ORIGIN, size, root: rootOf(original.slice(0, size)) }, logKey)

const streamed = (size: number, hashes: ReadonlyArray<string>, input: Extension.KeptInput) => {
  const checking = Extension.begin(size, input)
  expect(checking.settled).toBeUndefined()
  for (const h of hashes) checking.add(h)
  expect(checking.added()).toBe(hashes.length)
  return checking.finish()
}

describe("Extension.begin", () => {
  const arb = fc.integer({ min: 1, max: 60 }).chain((n) =>
    fc.record({
      n: fc.constant(n),
      sizes: fc.uniqueArray(fc.integer({ min: 0, max: n }), { minLength: 0, maxLength: 6 }),
      altered: fc.option(fc.integer({ min: 0, max: n - 1 }), { nil: undefined }),
      // Up to the whole original log: an export longer than the current log is a rollback.
      exportSize: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined })
    })
  )

  test.prop([arb])(
    "one pass gives the findings the kept sizes, the export's size and the altered position imply",
    ({ n, sizes, altered, exportSize }) => {
      const current = original
        .slice(0, n)
        .map((h, i) => (altered !== undefined && i >= altered ? flip(h) : h))
      const checkpoints = sizes.map((s) => ({ name: `cp${s}`, note: noteOf(s) }))
      const exports =
        exportSize === undefined ? [] : [{ name: "kept.jsonl", text: toText(lines.slice(0, exportSize)) }]
      const outcome = streamed(n, current, { trust, checkpoints, exports })
      const sorted = [...sizes].sort((a, b) => a - b)
      // The first checkpoint whose prefix holds the altered event, and the largest one before it.
      const broken = altered === undefined ? undefined : sorted.find((s) => s > altered)
      const matchedUpTo = altered === undefined ? 0 : (sorted.filter((s) => s <= altered).at(-1) ?? 0)
      // The export differs at the altered position if it reaches it, else it is longer than the log.
      const exportDiffers = altered !== undefined && exportSize !== undefined && altered < exportSize
      const exportTooLong = !exportDiffers && exportSize !== undefined && exportSize > n
      if (broken !== undefined) {
        expect(outcome).toMatchObject({
          ok: false,
          failure: exportDiffers
            ? { name: "kept.jsonl", class: "INCONSISTENT_WITH_PREVIOUS", position: altered }
            : {
                name: `cp${broken}`,
                class: "INCONSISTENT_WITH_PREVIOUS",
                position: matchedUpTo,
                range: { from: matchedUpTo, to: broken - 1 }
              }
        })
        expect(outcome.consistent.map((c) => c.size)).toEqual(sorted.filter((s) => s < broken))
      } else if (exportDiffers || exportTooLong) {
        expect(outcome).toMatchObject({
          ok: false,
          failure: exportDiffers
            ? { name: "kept.jsonl", class: "INCONSISTENT_WITH_PREVIOUS", position: altered }
            : { name: "kept.jsonl", class: "ROLLBACK", position: n }
        })
        expect(outcome.consistent.map((c) => c.size)).toEqual(sorted)
      } else {
        expect(outcome).toEqual({
          ok: true,
          size: n,
          consistent: [
            ...sorted.map((s) => ({
              name: `cp${s}`,
              kind: "checkpoint",
              size: s,
              grewBy: n - s,
              proofLength:
                s === 0
                  ? 0
                  : referenceConsistency(
                      s,
                      current.slice(0, n).map((h) => Buffer.from(h, "hex"))
                    ).length
            })),
            ...(exportSize === undefined
              ? []
              : [{ name: "kept.jsonl", kind: "export", size: exportSize, grewBy: n - exportSize }])
          ],
          ...(sorted.length === 0 ? {} : { newest: expect.objectContaining({ size: sorted.at(-1) }) })
        })
      }
    }
  )

  it("names an exact position from a kept export only below the failing checkpoint's size", () => {
    // The log was first rewritten at position 1 (the checkpoint of 4 events no longer matches); an
    // export kept after that rewrite matches the log up to position 4, where it was rewritten
    // again. That export names position 4, which the checkpoint of 4 events does not cover: it
    // cannot say where the checkpoint's prefix was altered, so the range the sizes bound is given.
    const rewritten = makeStore()
    appendAll(
      rewritten,
      sampleCmds(7).map((cmd, i) => (i === 1 ? { ...cmd, note: `${cmd.note} (rewritten)` } : cmd))
    )
    const current = records(rewritten).map((r, i) => (i >= 4 ? flip(r.hash) : r.hash))
    const outcome = streamed(7, current, {
      trust,
      checkpoints: [{ name: "cp4", note: noteOf(4) }],
      exports: [{ name: "after.jsonl", text: toText(exportLines(rewritten)) }]
    })
    expect(outcome).toMatchObject({
      ok: false,
      failure: { name: "cp4", class: "INCONSISTENT_WITH_PREVIOUS", position: 0, range: { from: 0, to: 3 } }
    })
  })

  it("an export kept from another log does not verify as this log's, whatever its hashes", () => {
    const elsewhere = makeStore("elsewhere.example/log")
    appendAll(elsewhere, sampleCmds(3))
    const outcome = streamed(3, original.slice(0, 3), {
      trust,
      checkpoints: [],
      exports: [{ name: "foreign.jsonl", text: toText(exportLines(elsewhere)) }]
    })
    expect(outcome).toMatchObject({ ok: false, failure: { name: "foreign.jsonl", class: "ORIGIN" } })
    expect(outcome.ok === false && outcome.failure.detail).toMatch(
      /^foreign\.jsonl line 1: the kept export does not verify on its own: /
    )
  })

  it("hashes only what it was told: adding more than the size, or finishing early, is refused", () => {
    const checking = Extension.begin(2, { trust, checkpoints: [{ name: "two", note: noteOf(2) }] })
    checking.add(original[0] as string)
    expect(() => checking.finish()).toThrow("the log was said to hold 2 events, but 1 were added")
    checking.add(original[1] as string)
    expect(() => checking.add(original[2] as string)).toThrow(
      "the log was said to hold 2 events, but more were added"
    )
    expect(checking.finish()).toMatchObject({ ok: true, newest: { name: "two", grewBy: 0, proofLength: 0 } })
  })

  it("settles before the pass when a kept note does not verify, and ignores the hashes then", () => {
    const foreign = Checkpoint.sign(
      { origin: "elsewhere.example/log", size: 1, root: rootOf(original.slice(0, 1)) },
      logKey
    )
    const checking = Extension.begin(1, { trust, checkpoints: [{ name: "foreign", note: foreign }] })
    expect(checking.settled).toMatchObject({ ok: false, failure: { name: "foreign", class: "ORIGIN" } })
    checking.add(original[0] as string)
    expect(checking.added()).toBe(0)
    expect(checking.finish()).toBe(checking.settled)
  })
})
