/**
 * The verifier's string-based hashing against the Buffer-based MerkleTree module and core's
 * chain hash (independent implementations), and the chunk arithmetic of the parallel verifier
 * against hand-computed values.
 */
import { createHash } from "node:crypto"
import { fc, test } from "@fast-check/vitest"
import { chainHash, GENESIS_HASH } from "@utblick/core/HashChain"
import { describe, expect, it } from "vitest"
import {
  appendDigest,
  appendLeaf,
  appendSubtree,
  foldRoot,
  leafOfHex,
  makeLeafRange,
  makeRecordHasher,
  rootBytes
} from "../src/internal/LeafHashing.js"
import * as MerkleTree from "../src/MerkleTree.js"
import { chunkSizeFor } from "../src/ParallelVerify.js"

const KNOWN_EMPTY_OBJECT = "fb1634c4e6cd4b1f1afe3ce2d6ef080f7ac5d1f357d723ad4dfca782733b62db"

const digests = fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { minLength: 0, maxLength: 130 })

const reference = (ds: ReadonlyArray<Uint8Array>) =>
  Buffer.from(MerkleTree.fromLeafHashes(ds.map((d) => MerkleTree.hashLeaf(d))).rootAt())

describe("LeafHashing", () => {
  test.prop([digests], { numRuns: 100 })("the latin1 compact range has MerkleTree's root", (ds) => {
    const range = makeLeafRange()
    for (const d of ds) appendDigest(range, Buffer.from(d).toString("latin1"))
    expect(range.size).toBe(ds.length)
    expect(
      rootBytes(range).equals(ds.length === 0 ? Buffer.from(MerkleTree.EMPTY_ROOT) : reference(ds))
    ).toBe(true)
  })

  test.prop([digests, fc.integer({ min: 0, max: 4 })], { numRuns: 100 })(
    "aligned chunks joined as subtrees (and a partial tail) give the same root",
    (ds, k) => {
      const width = 2 ** k
      const joined = makeLeafRange()
      let i = 0
      for (; i + width <= ds.length; i += width) {
        const chunk = makeLeafRange()
        for (const d of ds.slice(i, i + width)) appendDigest(chunk, Buffer.from(d).toString("latin1"))
        expect(chunk.stack).toHaveLength(1)
        appendSubtree(joined, k, chunk.stack[0] as string)
      }
      const tail = makeLeafRange()
      for (const d of ds.slice(i)) appendDigest(tail, Buffer.from(d).toString("latin1"))
      const root = foldRoot([...joined.stack, ...tail.stack])
      if (ds.length === 0) expect(root).toBeUndefined()
      else expect(Buffer.from(root as string, "latin1").equals(reference(ds))).toBe(true)
    }
  )

  test.prop(
    [
      fc.uint8Array({ minLength: 32, maxLength: 32 }),
      fc.array(fc.string({ unit: "binary", maxLength: 9000 }), { minLength: 1, maxLength: 12 })
    ],
    { numRuns: 150 }
  )(
    "the record hasher chains as core's chain hash, and its leaves give MerkleTree's root",
    (start, records) => {
      // Records of growing and shrinking lengths (past the buffer's first size): a shorter record
      // after a longer one must not hash the longer one's tail.
      const hasher = makeRecordHasher()
      let prev = Buffer.from(start).toString("hex")
      hasher.start(prev)
      const range = makeLeafRange()
      const digests: Array<Uint8Array> = []
      for (const canonical of records) {
        const expected = chainHash(prev, canonical)
        const hex = hasher.chain(canonical)
        expect(hex).toBe(expected)
        appendLeaf(range, hasher.accept(hex))
        digests.push(Buffer.from(hex, "hex"))
        prev = hex
      }
      expect(rootBytes(range).equals(reference(digests))).toBe(true)
    }
  )

  it("the chain hash of a hand-computed case", () => {
    // SHA-256 of 32 zero bytes followed by "{}", computed with `printf` and `sha256sum`.
    const hasher = makeRecordHasher()
    hasher.start(GENESIS_HASH)
    expect(hasher.chain("{}")).toBe(KNOWN_EMPTY_OBJECT)
  })
})

describe("leafOfHex", () => {
  // RFC 9162's leaf of a 32-byte digest, SHA-256(0x00 ‖ digest), by node:crypto from the bytes
  // written out here (no hex decoding), as a latin1 string (Node's "binary" digest encoding).
  const leaf = (digest: ReadonlyArray<number>) =>
    createHash("sha256")
      .update(Uint8Array.from([0x00, ...digest]))
      .digest("binary")

  it("gives the leaf of the 32 bytes that 64 hex digits spell, in either case", () => {
    const counting = Array.from({ length: 32 }, (_, i) => i) // 0x00, 0x01, …, 0x1f
    const ab = Array.from({ length: 32 }, () => 0xab)
    expect(leafOfHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")).toBe(leaf(counting))
    expect(leafOfHex("ab".repeat(32))).toBe(leaf(ab))
    expect(leafOfHex("AB".repeat(32))).toBe(leaf(ab))
  })

  it("gives undefined for text that is not 64 hex digits", () => {
    // 62 and 66 digits, empty, and 64 characters whose last pair is not hex.
    for (const text of ["ab".repeat(31), "ab".repeat(33), "", `${"ab".repeat(31)}zz`])
      expect(leafOfHex(text)).toBeUndefined()
  })
})

describe("chunkSizeFor", () => {
  it("gives about eight chunks per worker, within 64 and 32,768 positions", () => {
    // Hand-computed: the smallest power of two ≥ 64 with chunk · 8 · jobs ≥ size, capped.
    expect(chunkSizeFor(0, 2)).toBe(64)
    expect(chunkSizeFor(601, 2)).toBe(64) // 64 · 16 = 1,024 ≥ 601
    expect(chunkSizeFor(1_025, 2)).toBe(128)
    expect(chunkSizeFor(100_000, 2)).toBe(8_192) // 4,096 · 16 = 65,536 < 100,000 ≤ 131,072
    expect(chunkSizeFor(1_000_000, 2)).toBe(32_768) // 65,536 would be needed: capped
    expect(chunkSizeFor(1_000_000, 8)).toBe(16_384) // 16,384 · 64 = 1,048,576
  })
})
