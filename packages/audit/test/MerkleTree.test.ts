import { createHash } from "node:crypto"
import { fc, test } from "@fast-check/vitest"
import { describe, expect, it } from "vitest"
import { referenceConsistency, referencePath, referenceRoot } from "../src/internal/MerkleReference.js"
import * as MerkleTree from "../src/MerkleTree.js"

const entry = (i: number) => createHash("sha256").update(`event-${i}`).digest()
const entries = (n: number) => Array.from({ length: n }, (_, i) => entry(i))
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex")

const fastRoot = (d: ReadonlyArray<Uint8Array>) => {
  const range = MerkleTree.makeCompactRange()
  for (const e of d) range.append(e)
  return range.root()
}

describe("MerkleTree", () => {
  it("hashes the empty tree to SHA-256 of nothing (RFC 9162 §2.1.1)", () => {
    expect(hex(MerkleTree.EMPTY_ROOT)).toBe(
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )
    expect(hex(MerkleTree.makeCompactRange().root())).toBe(hex(MerkleTree.EMPTY_ROOT))
  })

  test.prop([fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 })])(
    "a range continued from another's size and nodes has the reference root of the whole log",
    (prefix, more) => {
      const d = entries(prefix + more)
      const first = MerkleTree.makeCompactRange()
      for (const e of d.slice(0, prefix)) first.append(e)
      // One node per one bit of the size: 300 = 0b100101100 holds four perfect subtrees.
      expect(first.nodes()).toHaveLength(prefix.toString(2).replaceAll("0", "").length)
      const continued = MerkleTree.makeCompactRange({ size: first.size(), nodes: first.nodes() })
      for (const e of d.slice(prefix)) continued.append(e)
      expect(continued.size()).toBe(prefix + more)
      expect(hex(continued.root())).toBe(hex(referenceRoot(d)))
    }
  )

  test.prop([fc.integer({ min: 0, max: 300 })])(
    "a range fed stored event hashes (hex) has the reference root of their bytes",
    (n) => {
      const d = entries(n)
      const range = MerkleTree.makeCompactRange()
      for (const e of d) range.appendEventHash(hex(e))
      expect(range.size()).toBe(n)
      expect(hex(range.root())).toBe(hex(referenceRoot(d)))
    }
  )

  it("a stored hash that is not 64 hex digits is a leaf of the bytes Node decodes from it", () => {
    // Node's hex decoding stops at the first pair that is not hex ("ab" then "zz": one byte), and
    // text of another length decodes whole (two bytes, 33 bytes): none is a 32-byte digest.
    const malformed = ["ab" + "zz".repeat(31), "abcd", `${"0".repeat(62)}g0`, "11".repeat(33)]
    const range = MerkleTree.makeCompactRange()
    for (const text of malformed) range.appendEventHash(text)
    const bytes = [Buffer.from([0xab]), Buffer.from([0xab, 0xcd]), Buffer.alloc(31), Buffer.alloc(33, 0x11)]
    expect(hex(range.root())).toBe(hex(referenceRoot(bytes)))
    // Inputs of other lengths than 32 bytes are hashed as given (RFC 9162 leaves of any length).
    const other = MerkleTree.makeCompactRange()
    for (const b of bytes) other.append(b)
    expect(hex(other.root())).toBe(hex(referenceRoot(bytes)))
  })

  it("refuses to continue from nodes that do not match the size", () => {
    const node = new Uint8Array(32)
    // 3 leaves are two perfect subtrees (2 + 1), not one.
    expect(() => MerkleTree.makeCompactRange({ size: 3, nodes: [node] })).toThrow(RangeError)
    expect(() => MerkleTree.makeCompactRange({ size: 2, nodes: [new Uint8Array(31)] })).toThrow(
      /32-byte node/
    )
    expect(() => MerkleTree.makeCompactRange({ size: -1, nodes: [] })).toThrow(RangeError)
    expect(MerkleTree.makeCompactRange({ size: 4, nodes: [node] }).size()).toBe(4)
  })

  // A22: edge sizes 0, 1 and powers of two ± 1.
  const edgeSizes = [
    0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257
  ]
  it("A22: compact range, levelled tree and reference agree on edge sizes, and every proof verifies", () => {
    const all = entries(257)
    const tree = MerkleTree.fromLeafHashes(all.map(MerkleTree.hashLeaf))
    for (const n of edgeSizes) {
      const d = all.slice(0, n)
      const ref = referenceRoot(d)
      expect(hex(fastRoot(d))).toBe(hex(ref))
      expect(hex(tree.rootAt(n))).toBe(hex(ref))
      for (let i = 0; i < n; i++) {
        const proof = tree.inclusionProof(i, n)
        expect(proof.map(hex)).toEqual(referencePath(i, d).map(hex))
        expect(MerkleTree.verifyInclusion(i, n, MerkleTree.hashLeaf(d[i] as Uint8Array), proof, ref).ok).toBe(
          true
        )
      }
      for (let m = 1; m <= n; m++) {
        const proof = tree.consistencyProof(m, n)
        expect(proof.map(hex)).toEqual(referenceConsistency(m, d).map(hex))
        expect(MerkleTree.verifyConsistency(m, n, proof, tree.rootAt(m), ref).ok).toBe(true)
      }
    }
  })

  it("A13: an interior node cannot pass as a leaf, and [a,b,c] differs from [a,b,c,c]", () => {
    const [a, b, c] = entries(3) as [Buffer, Buffer, Buffer]
    expect(hex(referenceRoot([a, b, c]))).not.toBe(hex(referenceRoot([a, b, c, c])))
    const tree4 = MerkleTree.fromLeafHashes([a, b, c, c].map(MerkleTree.hashLeaf))
    const tree3 = MerkleTree.fromLeafHashes([a, b, c].map(MerkleTree.hashLeaf))
    // The node over (a, b), or its children's concatenation, offered as leaf *input*: verifiers
    // hash leaf inputs with 0x00 themselves, so the claim needs a SHA-256 preimage.
    const ab = MerkleTree.hashChildren(MerkleTree.hashLeaf(a), MerkleTree.hashLeaf(b))
    const abConcat = Buffer.concat([MerkleTree.hashLeaf(a), MerkleTree.hashLeaf(b)])
    for (const forged of [ab, abConcat]) {
      expect(MerkleTree.verifyInclusion(0, 1, MerkleTree.hashLeaf(forged), [], tree4.rootAt(2)).ok).toBe(
        false
      )
      expect(
        MerkleTree.verifyInclusion(
          0,
          2,
          MerkleTree.hashLeaf(forged),
          tree4.inclusionProof(0, 2),
          tree4.rootAt(2)
        ).ok
      ).toBe(false)
    }
    // A proof for the duplicated leaf of the padded tree does not verify against the real one.
    expect(
      MerkleTree.verifyInclusion(3, 4, MerkleTree.hashLeaf(c), tree4.inclusionProof(3), tree3.rootAt()).ok
    ).toBe(false)
    // Leaf input is hashed with 0x00, nodes with 0x01: the same bytes never collide.
    expect(hex(MerkleTree.hashLeaf(Buffer.concat([a, b])))).not.toBe(hex(MerkleTree.hashChildren(a, b)))
  })

  it("A21: a proof with 10^6 elements and size 2^64 − 1 is rejected at once, before hashing", () => {
    // "At once" is checked by what is touched, not by a stopwatch: reading any proof element
    // (which hashing it would need) throws.
    const huge = new Proxy(new Array<Uint8Array>(1_000_000).fill(Buffer.alloc(32)), {
      get: (target, key, receiver) => {
        if (typeof key === "string" && /^\d+$/.test(key)) throw new Error(`proof element ${key} was read`)
        return Reflect.get(target, key, receiver)
      }
    })
    const inc = MerkleTree.verifyInclusion(0n, MerkleTree.MAX_SIZE, Buffer.alloc(32), huge, Buffer.alloc(32))
    const con = MerkleTree.verifyConsistency(
      1n,
      MerkleTree.MAX_SIZE,
      huge,
      Buffer.alloc(32),
      Buffer.alloc(32)
    )
    expect(inc).toMatchObject({ ok: false, failure: "BAD_LENGTH" })
    expect(con).toMatchObject({ ok: false, failure: "BAD_LENGTH" })
    expect(
      MerkleTree.verifyInclusion(0n, MerkleTree.MAX_SIZE + 1n, Buffer.alloc(32), [], Buffer.alloc(32))
    ).toMatchObject({
      ok: false,
      failure: "BAD_ARGUMENT"
    })
    // A well-formed 64-element proof at the largest size is hashed and simply does not match.
    const max = MerkleTree.verifyInclusion(
      MerkleTree.MAX_SIZE - 1n,
      MerkleTree.MAX_SIZE,
      Buffer.alloc(32),
      [],
      Buffer.alloc(32)
    )
    expect(max.ok).toBe(false)
  })

  it("rejects proofs whose elements are not 32 bytes", () => {
    const d = entries(5)
    const tree = MerkleTree.fromLeafHashes(d.map(MerkleTree.hashLeaf))
    const proof = [...tree.inclusionProof(1)]
    proof[0] = Buffer.concat([proof[0] as Uint8Array, Buffer.alloc(1)])
    expect(MerkleTree.verifyInclusion(1, 5, tree.leafHash(1), proof, tree.rootAt())).toMatchObject({
      failure: "BAD_ELEMENT"
    })
  })

  it("refuses to produce a consistency proof from size 0 (the documented policy)", () => {
    const tree = MerkleTree.fromLeafHashes(entries(3).map(MerkleTree.hashLeaf))
    expect(() => tree.consistencyProof(0, 3)).toThrow(MerkleTree.ProofRequestError)
    expect(MerkleTree.verifyConsistency(0, 0, [], MerkleTree.EMPTY_ROOT, MerkleTree.EMPTY_ROOT).ok).toBe(
      false
    )
  })
})

// A22 differential property: fast root == reference root, proofs verify, for random sizes.
test.prop(
  [
    fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { minLength: 1, maxLength: 300 }),
    fc.nat(),
    fc.nat()
  ],
  { numRuns: 150 }
)("A22 differential: fast root == reference root and proofs verify", (raw, a, b) => {
  const d = raw.map((r) => Buffer.from(r))
  const n = d.length
  const i = a % n
  const m = 1 + (b % n)
  const ref = referenceRoot(d)
  const tree = MerkleTree.fromLeafHashes(d.map(MerkleTree.hashLeaf))
  expect(hex(fastRoot(d))).toBe(hex(ref))
  expect(hex(tree.rootAt())).toBe(hex(ref))
  expect(
    MerkleTree.verifyInclusion(i, n, MerkleTree.hashLeaf(d[i] as Buffer), tree.inclusionProof(i), ref).ok
  ).toBe(true)
  expect(
    MerkleTree.verifyConsistency(m, n, tree.consistencyProof(m), referenceRoot(d.slice(0, m)), ref).ok
  ).toBe(true)
})
