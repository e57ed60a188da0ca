/**
 * A receipt issued while the log streams past: the leaf ranges an inclusion proof is made of
 * (checked against RFC 9162 §2.1.5's worked example and the recursive reference `PATH`), and
 * `Receipt.make` given the proof instead of a tree.
 */
import { fc, test } from "@fast-check/vitest"
import { describe, expect, it } from "vitest"
import { referencePath, referenceRoot } from "../src/internal/MerkleReference.js"
import * as MerkleTree from "../src/MerkleTree.js"
import * as Receipt from "../src/Receipt.js"

describe("MerkleTree.inclusionProofRanges", () => {
  it("gives RFC 9162 §2.1.5's inclusion proofs in the tree of seven leaves", () => {
    // The RFC's letters: the proof for d1 is [a, h, l], for d3 [c, g, l], for d6 [i, k], where
    // a = d0, c = d2, g = MTH(d0 d1), h = MTH(d2 d3), i = MTH(d4 d5), k = MTH(d0 … d3),
    // l = MTH(d4 d5 d6).
    expect(MerkleTree.inclusionProofRanges(1, 7)).toEqual([
      [0, 1],
      [2, 4],
      [4, 7]
    ])
    expect(MerkleTree.inclusionProofRanges(3, 7)).toEqual([
      [2, 3],
      [0, 2],
      [4, 7]
    ])
    expect(MerkleTree.inclusionProofRanges(6, 7)).toEqual([
      [4, 6],
      [0, 4]
    ])
    expect(MerkleTree.inclusionProofRanges(0, 1)).toEqual([])
  })

  it("refuses an index that is not a leaf, naming it", () => {
    expect(() => MerkleTree.inclusionProofRanges(7, 7)).toThrow("index 7 is not a leaf of a tree of size 7")
    expect(() => MerkleTree.inclusionProofRanges(-1, 7)).toThrow("index -1 is not a leaf of a tree of size 7")
    expect(() => MerkleTree.inclusionProofRanges(0, 0)).toThrow("index 0 is not a leaf of a tree of size 0")
    expect(() => MerkleTree.inclusionProofRanges(1.5, 7)).toThrow(
      "index 1.5 is not a leaf of a tree of size 7"
    )
  })

  test.prop([fc.integer({ min: 1, max: 300 }), fc.nat()])(
    "the roots of its ranges are the reference path, over disjoint ranges covering every other leaf",
    (n, pick) => {
      const m = pick % n
      const leaves = Array.from({ length: n }, (_, i) => Buffer.from([i & 0xff, i >> 8]))
      const ranges = MerkleTree.inclusionProofRanges(m, n)
      expect(ranges.map(([s, e]) => referenceRoot(leaves.slice(s, e)))).toEqual(referencePath(m, leaves))
      const covered = new Set<number>([m])
      for (const [s, e] of ranges)
        for (let i = s; i < e; i++) {
          expect(covered.has(i)).toBe(false)
          covered.add(i)
        }
      expect(covered.size).toBe(n)
    }
  )
})

describe("Receipt.make from an inclusion proof", () => {
  it("writes the receipt a tree over the log gives", () => {
    const hashes = Array.from({ length: 13 }, (_, i) => Buffer.alloc(32, i + 1).toString("hex"))
    const leaves = hashes.map((h) => MerkleTree.hashLeaf(MerkleTree.leafInputFromHex(h)))
    const tree = MerkleTree.fromLeafHashes(leaves)
    const record = { canonical: '{"position":9}', prevHash: hashes[8] as string, position: 9 }
    // Each range's root hashed as a streaming prover does: one compact range per subtree.
    const inclusion = MerkleTree.inclusionProofRanges(9, 11).map(([s, e]) => {
      const range = MerkleTree.makeCompactRange()
      for (let i = s; i < e; i++) range.appendEventHash(hashes[i] as string)
      return range.root()
    })
    const note = "a checkpoint note of 11 leaves\n"
    expect(Receipt.make({ record, inclusion, checkpointNote: note, checkpointSize: 11 })).toEqual(
      Receipt.make({ record, tree, checkpointNote: note, checkpointSize: 11 })
    )
  })
})
