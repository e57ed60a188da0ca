/**
 * The edges of the RFC 9162 tree that the vectors and the differential properties do not reach:
 * inputs of other lengths than 32 bytes, each argument check with the words of its refusal, the
 * failure class of each rejected proof, and the split point. Hashes were computed with Python's
 * hashlib (e.g. `sha256(b"\x00").hexdigest()`), never with this module.
 */
import { createHash } from "node:crypto"
import { describe, expect, it } from "vitest"
import * as MerkleTree from "../src/MerkleTree.js"

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex")
const z32 = Buffer.alloc(32, 0)
const o32 = Buffer.alloc(32, 1)
const entry = (i: number) => createHash("sha256").update(`event-${i}`).digest()
const treeOf = (n: number) => MerkleTree.fromLeafHashes(Array.from({ length: n }, (_, i) => MerkleTree.hashLeaf(entry(i))))

describe("leaf and node hashing", () => {
  it("hashes leaf inputs of any length as SHA-256(0x00 ‖ data) (hashlib)", () => {
    // RFC 6962's hash of the empty leaf.
    expect(hex(MerkleTree.hashLeaf(new Uint8Array(0)))).toBe(
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
    )
    expect(hex(MerkleTree.hashLeaf(Buffer.from("abc")))).toBe(
      "609f6e36d2405585188d5cfd761f407c7cc46a7d3f314c88270469dde315fcd1"
    )
    expect(hex(MerkleTree.hashLeaf(z32))).toBe("7f9c9e31ac8256ca2f258583df262dbc7d6f68f2a03043d5c99a4ae5a7396ce9")
  })

  it("hashes children of any length as SHA-256(0x01 ‖ left ‖ right) (hashlib)", () => {
    expect(hex(MerkleTree.hashChildren(Buffer.from("a"), Buffer.from("bc")))).toBe(
      "1e18834c426d00e57788444cb3ccd62c771b420c095bb0c4e040a8c122c4570d"
    )
    expect(hex(MerkleTree.hashChildren(z32, o32))).toBe(
      "2ad82c3a51e8ed6418cb5bf267c5f9e521b99f7ab4fce657f460a8f1a3e87b2e"
    )
    // A 31-byte left child with a 32-byte right one takes the general path.
    expect(hex(MerkleTree.hashChildren(z32.subarray(0, 31), o32))).toBe(
      "243c601f11ad57c616958ae8c89305e4af021f755ea7f3c6713f20768651b570"
    )
    // So does a 32-byte left child with a right one of 31 or 33 bytes (hashlib:
    // sha256(b"\x01" + bytes(32) + b"\x01" * 31) and sha256(b"\x01" + bytes(32) + b"\x01" * 33)).
    expect(hex(MerkleTree.hashChildren(z32, o32.subarray(0, 31)))).toBe(
      "bc67af5b952d690f907265d928f8dc0bbf00eb9a85131a791fa1db802c04017f"
    )
    expect(hex(MerkleTree.hashChildren(z32, Buffer.alloc(33, 1)))).toBe(
      "2422a9b83ee4832595206221648f9f5b169f85f692751e9a9af14f5c71c563a1"
    )
  })

  it("reads a chain hash as its 32 bytes", () => {
    expect(hex(MerkleTree.leafInputFromHex("ab".repeat(32)))).toBe("ab".repeat(32))
    expect(MerkleTree.MAX_SIZE).toBe(18_446_744_073_709_551_615n)
    expect(MerkleTree.HASH_SIZE).toBe(32)
  })
})

describe("compact range", () => {
  it("names the size and the number of nodes when it cannot continue a range", () => {
    expect(() => MerkleTree.makeCompactRange({ size: 3, nodes: [z32] })).toThrow(
      "a compact range of 3 leaves holds one 32-byte node per one bit of its size; got 1"
    )
    expect(() => MerkleTree.makeCompactRange({ size: 1.5, nodes: [z32] })).toThrow(
      "a compact range of 1.5 leaves holds one 32-byte node per one bit of its size; got 1"
    )
    expect(() => MerkleTree.makeCompactRange({ size: 2 ** 53, nodes: [z32] })).toThrow(RangeError)
    expect(() => MerkleTree.makeCompactRange({ size: -1, nodes: [] })).toThrow(
      "a compact range of -1 leaves holds one 32-byte node per one bit of its size; got 0"
    )
    expect(() => MerkleTree.makeCompactRange({ size: 3, nodes: [z32, o32.subarray(0, 31)] })).toThrow(
      "a compact range of 3 leaves holds one 32-byte node per one bit of its size; got 2"
    )
    // Size 0 with no nodes is a valid (empty) range.
    expect(hex(MerkleTree.makeCompactRange({ size: 0, nodes: [] }).root())).toBe(hex(MerkleTree.EMPTY_ROOT))
  })

  it("continues from two nodes: the root of size 3 is node(node(l0, l1), l2)", () => {
    const l = [0, 1, 2].map((i) => MerkleTree.hashLeaf(entry(i)))
    const left = MerkleTree.hashChildren(l[0] as Uint8Array, l[1] as Uint8Array)
    const range = MerkleTree.makeCompactRange({ size: 3, nodes: [left, l[2] as Uint8Array] })
    expect(hex(range.root())).toBe(hex(MerkleTree.hashChildren(left, l[2] as Uint8Array)))
    expect(range.size()).toBe(3)
  })

  it("copies the nodes it is given and the nodes it hands out", () => {
    const given = Buffer.from(z32)
    const range = MerkleTree.makeCompactRange({ size: 1, nodes: [given] })
    given.fill(9)
    expect(hex(range.root())).toBe(hex(z32))
    const out = range.nodes()
    ;(out[0] as Uint8Array).fill(7)
    expect(hex(range.root())).toBe(hex(z32))
  })

  it("appends a leaf hash as given, without hashing it again", () => {
    const range = MerkleTree.makeCompactRange()
    range.appendLeafHash(z32)
    expect(hex(range.root())).toBe(hex(z32))
    range.appendLeafHash(o32)
    expect(hex(range.root())).toBe("2ad82c3a51e8ed6418cb5bf267c5f9e521b99f7ab4fce657f460a8f1a3e87b2e")
    expect(range.nodes().map(hex)).toEqual(["2ad82c3a51e8ed6418cb5bf267c5f9e521b99f7ab4fce657f460a8f1a3e87b2e"])
  })
})

describe("split point (RFC 9162 §2.1.1: the largest power of two below n)", () => {
  it.each([
    [2, 1],
    [3, 2],
    [4, 2],
    [5, 4],
    [8, 4],
    [9, 8],
    [1000, 512]
  ])("k(%i) = %i", (n, k) => {
    expect(MerkleTree.splitPoint(n)).toBe(k)
  })
})

describe("the levelled tree refuses what it cannot answer, naming the values", () => {
  const tree = treeOf(5)
  it("sizes outside the tree", () => {
    expect(() => tree.rootAt(6)).toThrow("size 6 is outside the tree, which holds 5 leaves")
    expect(() => tree.rootAt(-1)).toThrow("size -1 is outside the tree, which holds 5 leaves")
    expect(() => tree.rootAt(2.5)).toThrow(MerkleTree.ProofRequestError)
    let refused: unknown
    try {
      tree.rootAt(-1)
    } catch (error) {
      refused = error
    }
    expect(refused).toBeInstanceOf(MerkleTree.ProofRequestError)
    expect((refused as MerkleTree.ProofRequestError)._tag).toBe("ProofRequestError")
    expect(hex(tree.rootAt(5))).toBe(hex(tree.rootAt()))
    expect(hex(tree.rootAt(0))).toBe(hex(MerkleTree.EMPTY_ROOT))
    expect(tree.size).toBe(5)
  })
  it("leaves outside the tree", () => {
    expect(() => tree.leafHash(5)).toThrow("leaf 5 is outside the tree, which holds 5 leaves")
    expect(() => tree.leafHash(-1)).toThrow("leaf -1 is outside the tree, which holds 5 leaves")
    expect(() => tree.leafHash(0.5)).toThrow(MerkleTree.ProofRequestError)
    expect(hex(tree.leafHash(4))).toBe(hex(MerkleTree.hashLeaf(entry(4))))
    expect(hex(tree.leafHash(0))).toBe(hex(MerkleTree.hashLeaf(entry(0))))
  })
  it("inclusion proofs for leaves not in the prefix", () => {
    expect(() => tree.inclusionProof(3, 3)).toThrow("leaf 3 is not in a tree of size 3")
    expect(() => tree.inclusionProof(-1, 3)).toThrow("leaf -1 is not in a tree of size 3")
    expect(() => tree.inclusionProof(1.5, 3)).toThrow(MerkleTree.ProofRequestError)
    expect(() => tree.inclusionProof(0, 6)).toThrow("size 6 is outside the tree, which holds 5 leaves")
    // PATH(1, D[0:5]) = [D0, MTH(D[2:4]), D4] (RFC 9162 §2.1.3.1 by hand).
    const l = [0, 1, 2, 3, 4].map((i) => MerkleTree.hashLeaf(entry(i)))
    expect(tree.inclusionProof(1).map(hex)).toEqual(
      [l[0], MerkleTree.hashChildren(l[2] as Uint8Array, l[3] as Uint8Array), l[4]].map((x) => hex(x as Uint8Array))
    )
  })
  it("consistency proofs with sizes out of order, and between equal sizes", () => {
    expect(() => tree.consistencyProof(4, 3)).toThrow("size1 4 is larger than size2 3")
    expect(() => tree.consistencyProof(0, 3)).toThrow("a consistency proof from an empty tree proves nothing")
    expect(() => tree.consistencyProof(1, 6)).toThrow("size 6 is outside the tree, which holds 5 leaves")
    expect(() => tree.consistencyProof(6)).toThrow("size 6 is outside the tree, which holds 5 leaves")
    expect(tree.consistencyProof(3, 3)).toEqual([])
    expect(tree.consistencyProof(5)).toEqual([])
  })
})

describe("inclusion proof shape (by hand: inner = bitLength(index ^ (size − 1)), border = popCount(index >> inner))", () => {
  it.each([
    [0n, 1n, 0, 0],
    [1n, 5n, 3, 0],
    [4n, 7n, 2, 1],
    [6n, 7n, 0, 2],
    [0n, 8n, 3, 0],
    [5n, 6n, 0, 2],
    [4n, 6n, 1, 1]
  ])("index %s in size %s: %i inner, %i border", (index, size, inner, border) => {
    expect(MerkleTree.inclusionProofShape(index, size)).toEqual({ inner, border })
  })
})

describe("rejected inclusion proofs say why", () => {
  const tree = treeOf(5)
  const leaf = tree.leafHash(1)
  const proof = tree.inclusionProof(1)
  const root = tree.rootAt()
  it("arguments outside [0, 2^64 − 1] or an index not below the size", () => {
    const arg = { ok: false, failure: "BAD_ARGUMENT", detail: "index and size must be integers in [0, 2^64 − 1]" }
    expect(MerkleTree.verifyInclusion(-1, 5, leaf, proof, root)).toEqual(arg)
    expect(MerkleTree.verifyInclusion(1.5, 5, leaf, proof, root)).toEqual(arg)
    expect(MerkleTree.verifyInclusion(2 ** 53, 2 ** 53 + 2, leaf, proof, root)).toEqual(arg)
    expect(MerkleTree.verifyInclusion(-1n, 5n, leaf, proof, root)).toEqual(arg)
    expect(MerkleTree.verifyInclusion(1, MerkleTree.MAX_SIZE + 1n, leaf, proof, root)).toEqual(arg)
    expect(MerkleTree.verifyInclusion(5, 5, leaf, proof, root)).toEqual({
      ok: false,
      failure: "BAD_ARGUMENT",
      detail: "index 5 is not below size 5"
    })
    // The largest size is an argument, not an error: the proof then has the wrong length.
    expect(MerkleTree.verifyInclusion(1, MerkleTree.MAX_SIZE, leaf, proof, root)).toMatchObject({
      failure: "BAD_LENGTH"
    })
  })
  it("a leaf hash or an element of the wrong length, or a proof of the wrong length", () => {
    expect(MerkleTree.verifyInclusion(1, 5, leaf.subarray(0, 31), proof, root)).toEqual({
      ok: false,
      failure: "BAD_ELEMENT",
      detail: "the leaf hash has 31 bytes, not 32"
    })
    expect(MerkleTree.verifyInclusion(1, 5, leaf, proof.slice(0, 2), root)).toEqual({
      ok: false,
      failure: "BAD_LENGTH",
      detail: "an inclusion proof for index 1 in size 5 has 3 elements, this one has 2"
    })
    // Index 4 in size 7: 2 inner and 1 border element (shape table above), so 3 in all.
    const t7 = treeOf(7)
    expect(MerkleTree.verifyInclusion(4, 7, t7.leafHash(4), t7.inclusionProof(4).slice(0, 2), t7.rootAt())).toEqual({
      ok: false,
      failure: "BAD_LENGTH",
      detail: "an inclusion proof for index 4 in size 7 has 3 elements, this one has 2"
    })
    expect(MerkleTree.verifyInclusion(1, 5, leaf, [proof[0], proof[1], z32.subarray(1)] as Array<Uint8Array>, root)).toEqual({
      ok: false,
      failure: "BAD_ELEMENT",
      detail: "proof element 2 is not 32 bytes"
    })
  })
  it("a proof that leads elsewhere, and a root of another length", () => {
    const mismatch = {
      ok: false,
      failure: "ROOT_MISMATCH",
      detail: "the proof leads to a different root than the one given"
    }
    expect(MerkleTree.verifyInclusion(1, 5, leaf, proof, z32)).toEqual(mismatch)
    expect(MerkleTree.verifyInclusion(1, 5, leaf, proof, root.subarray(0, 31))).toEqual(mismatch)
    expect(MerkleTree.verifyInclusion(1, 5, leaf, proof, root)).toEqual({ ok: true })
    expect(MerkleTree.verifyInclusion(1n, 5n, leaf, proof, root)).toEqual({ ok: true })
    // 0 as a bigint is an index like any other.
    expect(MerkleTree.verifyInclusion(0n, 1n, z32, [], z32)).toEqual({ ok: true })
  })
  it("recomputes the root from a proof, or explains why not", () => {
    const r = MerkleTree.rootFromInclusionProof(1, 5, leaf, proof)
    expect(r.ok && hex(r.root)).toBe(hex(root))
    // A single leaf is its own root: the proof is empty.
    const one = MerkleTree.rootFromInclusionProof(0, 1, z32, [])
    expect(one.ok && hex(one.root)).toBe(hex(z32))
  })
})

describe("rejected consistency proofs say why", () => {
  const tree = treeOf(7)
  const r3 = tree.rootAt(3)
  const r4 = tree.rootAt(4)
  const r7 = tree.rootAt(7)
  const p37 = tree.consistencyProof(3, 7)
  it("sizes", () => {
    const arg = { ok: false, failure: "BAD_ARGUMENT", detail: "sizes must be integers in [0, 2^64 − 1]" }
    expect(MerkleTree.verifyConsistency(-1, 7, p37, r3, r7)).toEqual(arg)
    expect(MerkleTree.verifyConsistency(3, 7.5, p37, r3, r7)).toEqual(arg)
    expect(MerkleTree.verifyConsistency(3n, MerkleTree.MAX_SIZE + 1n, p37, r3, r7)).toEqual(arg)
    expect(MerkleTree.verifyConsistency(7, 3, p37, r7, r3)).toEqual({
      ok: false,
      failure: "BAD_ARGUMENT",
      detail: "size2 3 is smaller than size1 7: the log shrank"
    })
    expect(MerkleTree.verifyConsistency(0, 7, [], MerkleTree.EMPTY_ROOT, r7)).toEqual({
      ok: false,
      failure: "BAD_ARGUMENT",
      detail: "a consistency proof from an empty tree proves nothing"
    })
  })
  it("equal sizes: an empty proof and the same root, else a fork", () => {
    expect(MerkleTree.verifyConsistency(7, 7, [], r7, r7)).toEqual({ ok: true })
    expect(MerkleTree.verifyConsistency(7, 7, [z32], r7, r7)).toEqual({
      ok: false,
      failure: "BAD_LENGTH",
      detail: "sizes are equal, so the proof must be empty"
    })
    expect(MerkleTree.verifyConsistency(7, 7, [], r7, r3)).toEqual({
      ok: false,
      failure: "ROOT_MISMATCH",
      detail: "equal sizes but different roots: a fork"
    })
  })
  it("the proof's length: SUBPROOF(3, D[0:7]) = [D2, D3, MTH(D[0:2]), MTH(D[4:7])] by hand", () => {
    expect(p37).toHaveLength(4)
    expect(MerkleTree.verifyConsistency(3, 7, [], r3, r7)).toEqual({
      ok: false,
      failure: "BAD_LENGTH",
      detail: "sizes differ, so the proof must not be empty"
    })
    expect(MerkleTree.verifyConsistency(3, 7, p37.slice(0, 3), r3, r7)).toEqual({
      ok: false,
      failure: "BAD_LENGTH",
      detail: "a consistency proof from 3 to 7 has 4 elements, this one has 3"
    })
    expect(MerkleTree.verifyConsistency(3, 7, [...p37, z32], r3, r7)).toMatchObject({ failure: "BAD_LENGTH" })
    // From 4 (a power of two, whose root is the seed): one element, MTH(D[4:7]).
    expect(tree.consistencyProof(4, 7)).toHaveLength(1)
    expect(MerkleTree.verifyConsistency(4, 7, [z32, z32], r4, r7)).toEqual({
      ok: false,
      failure: "BAD_LENGTH",
      detail: "a consistency proof from 4 to 7 has 1 elements, this one has 2"
    })
    expect(MerkleTree.verifyConsistency(3, 7, [p37[0], p37[1], p37[2], z32.subarray(1)] as Array<Uint8Array>, r3, r7)).toEqual({
      ok: false,
      failure: "BAD_ELEMENT",
      detail: "proof element 3 is not 32 bytes"
    })
  })
  it("a proof that does not lead to the earlier root, or to the later one", () => {
    expect(MerkleTree.verifyConsistency(3, 7, p37, r3, r7)).toEqual({ ok: true })
    expect(MerkleTree.verifyConsistency(4, 7, tree.consistencyProof(4, 7), r4, r7)).toEqual({ ok: true })
    expect(MerkleTree.verifyConsistency(3n, 7n, p37, r3, r7)).toEqual({ ok: true })
    expect(MerkleTree.verifyConsistency(3, 7, p37, z32, r7)).toEqual({
      ok: false,
      failure: "ROOT1_MISMATCH",
      detail: "the proof does not lead to the earlier root"
    })
    expect(MerkleTree.verifyConsistency(3, 7, p37, r3, z32)).toEqual({
      ok: false,
      failure: "ROOT2_MISMATCH",
      detail: "the proof does not lead to the later root"
    })
    // From a power of two the earlier root is the seed itself, so a wrong one shows at the later root.
    expect(MerkleTree.verifyConsistency(4, 7, tree.consistencyProof(4, 7), z32, r7)).toMatchObject({
      failure: "ROOT2_MISMATCH"
    })
    // The last element changes the later root only: D[4:7] is not part of the first 3 leaves.
    expect(MerkleTree.verifyConsistency(3, 7, [p37[0], p37[1], p37[2], z32] as Array<Uint8Array>, r3, r7)).toMatchObject({
      failure: "ROOT2_MISMATCH"
    })
  })
})
