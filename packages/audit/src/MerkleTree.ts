/**
 * RFC 9162 (Certificate Transparency 2.0) Merkle tree over the event log: leaf and node hashing,
 * an incremental compact-range builder, inclusion and consistency proofs and their verifiers.
 *
 * The leaf input of event `i` is its 32-byte chain hash, so a leaf hash is
 * `SHA-256(0x00 ‖ eventHash_i)` and an interior node `SHA-256(0x01 ‖ left ‖ right)`.
 *
 * The verifiers follow RFC 9162 §2.1.3.2 and §2.1.4.2 in the shape used by
 * `transparency-dev/merkle`: the exact proof length is computed from index and sizes before any
 * hashing, sizes are handled as unsigned 64-bit integers (BigInt), and every element must be 32
 * bytes. A hostile proof (a million elements, size 2^64 − 1) is therefore rejected in constant
 * time.
 *
 * **Size-0 policy:** a consistency proof *from* a tree of size 0 is always an error, even towards
 * another empty tree; this follows the published vectors (`sizes-are-equal-zero-and-proof-is-empty`
 * expects an error). Proving that an empty tree is a prefix of anything says nothing, and an
 * auditor who kept an empty checkpoint should compare roots instead.
 *
 * @since 0.1.0
 */
import { createHash, hash as oneShotHash } from "node:crypto"
import * as LeafHashing from "./internal/LeafHashing.js"

/**
 * The length of every hash in the tree, in bytes.
 *
 * @category constants
 * @since 0.1.0
 */
export const HASH_SIZE = 32

/**
 * The largest tree size or index a proof may name: 2^64 − 1, as in RFC 9162.
 *
 * @category constants
 * @since 0.1.0
 */
export const MAX_SIZE = (1n << 64n) - 1n

const LEAF_PREFIX = Buffer.from([0x00])
const NODE_PREFIX = Buffer.from([0x01])
// Scratch buffers for the fixed-size inputs; hashing is synchronous, so reuse is safe.
const LEAF_BUFFER = Buffer.alloc(1 + HASH_SIZE, 0x00)
const NODE_BUFFER = Buffer.alloc(1 + 2 * HASH_SIZE, 0x01)

/**
 * The root of the empty tree: `SHA-256("")`.
 *
 * @category constants
 * @since 0.1.0
 */
export const EMPTY_ROOT: Uint8Array = oneShotHash("sha256", Buffer.alloc(0), "buffer")

/**
 * RFC 9162 leaf hash: `SHA-256(0x00 ‖ data)`. For Utblick, `data` is the event's chain hash.
 *
 * @category verification
 * @since 0.1.0
 */
export const hashLeaf = (data: Uint8Array): Uint8Array => {
  // The one-shot hash is about twice as fast as a Hash object for 33/65-byte inputs, and the
  // verifier computes one leaf and about one node per event.
  if (data.length === HASH_SIZE) {
    LEAF_BUFFER.set(data, 1)
    return oneShotHash("sha256", LEAF_BUFFER, "buffer")
  }
  return createHash("sha256").update(LEAF_PREFIX).update(data).digest()
}

/**
 * RFC 9162 interior node hash: `SHA-256(0x01 ‖ left ‖ right)`.
 *
 * @category verification
 * @since 0.1.0
 */
export const hashChildren = (left: Uint8Array, right: Uint8Array): Uint8Array => {
  if (left.length === HASH_SIZE && right.length === HASH_SIZE) {
    NODE_BUFFER.set(left, 1)
    NODE_BUFFER.set(right, 1 + HASH_SIZE)
    return oneShotHash("sha256", NODE_BUFFER, "buffer")
  }
  return createHash("sha256").update(NODE_PREFIX).update(left).update(right).digest()
}

/**
 * Converts an event's chain hash (64 lowercase hex digits, as core stores it) to the leaf input.
 *
 * @category verification
 * @since 0.1.0
 */
export const leafInputFromHex = (eventHash: string): Uint8Array => Buffer.from(eventHash, "hex")

/**
 * An incremental Merkle tree in O(log n) memory: the "compact range" `[0, size)`, i.e. the roots
 * of the perfect subtrees that the binary digits of `size` describe.
 *
 * @category models
 * @since 0.1.0
 */
export interface CompactRange {
  /** How many leaves were appended. */
  readonly size: () => number
  /** Appends a leaf given its input (the event hash); the leaf hash is computed here. */
  readonly append: (data: Uint8Array) => void
  /**
   * Appends the leaf of an event given its chain hash as stored (64 hex digits): the same leaf as
   * `append(leafInputFromHex(eventHash))`, without the intermediate buffer.
   */
  readonly appendEventHash: (eventHash: string) => void
  /** Appends an already computed leaf hash. */
  readonly appendLeafHash: (leafHash: Uint8Array) => void
  /** The root of the tree of the leaves appended so far (`EMPTY_ROOT` when none). */
  readonly root: () => Uint8Array
  /**
   * The roots of the perfect subtrees the range holds, largest first: with {@link size}, all a
   * later {@link makeCompactRange} needs to continue where this one stopped.
   */
  readonly nodes: () => ReadonlyArray<Uint8Array>
}

/**
 * Creates an empty {@link CompactRange}: the production way to compute the root of a log while
 * streaming it once. Given `from` (another range's `size()` and `nodes()`), it continues that
 * range: the root of a grown log then costs only the new leaves.
 *
 * @example
 * ```ts
 * import { MerkleTree } from "@utblick/audit"
 * const tree = MerkleTree.makeCompactRange()
 * tree.append(Buffer.alloc(32))
 * tree.root() // equals MerkleTree.hashLeaf(Buffer.alloc(32))
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeCompactRange = (from?: {
  readonly size: number
  readonly nodes: ReadonlyArray<Uint8Array>
}): CompactRange => {
  const size = from?.size ?? 0
  // One subtree per one bit of the size (its binary digits are the subtree heights).
  if (
    from !== undefined &&
    (!Number.isSafeInteger(size) ||
      size < 0 ||
      popCount(BigInt(size)) !== from.nodes.length ||
      from.nodes.some((n) => n.length !== HASH_SIZE))
  ) {
    throw new RangeError(
      `a compact range of ${size} leaves holds one ${HASH_SIZE}-byte node per one bit of its size; got ${from.nodes.length}`
    )
  }
  // Nodes are kept as 32-character latin1 strings, as the verifier keeps them: a hash asked for
  // as a string costs a third of one asked for as a Buffer (ADR 0029), and a report's first
  // manifest hashes a leaf and about one node per event of the log.
  const range = LeafHashing.makeLeafRange({ size, stack: (from?.nodes ?? []).map(latin1Of) })
  const append = (data: Uint8Array): void =>
    data.length === HASH_SIZE
      ? LeafHashing.appendDigest(range, latin1Of(data))
      : LeafHashing.appendLeaf(range, createHash("sha256").update(LEAF_PREFIX).update(data).digest("binary"))
  return {
    size: () => range.size,
    append,
    appendEventHash: (eventHash) => {
      const leaf = LeafHashing.leafOfHex(eventHash)
      if (leaf === undefined) append(leafInputFromHex(eventHash))
      else LeafHashing.appendLeaf(range, leaf)
    },
    appendLeafHash: (leafHash) => LeafHashing.appendLeaf(range, latin1Of(leafHash)),
    root: () => LeafHashing.rootBytes(range),
    nodes: () => range.stack.map((node) => Uint8Array.from(Buffer.from(node, "latin1")))
  }
}

const latin1Of = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1")

/**
 * The largest power of two strictly smaller than `n` (for `n ≥ 2`): RFC 9162's split point `k`.
 *
 * @category utils
 * @since 0.1.0
 */
export const splitPoint = (n: number): number => {
  let k = 1
  while (k * 2 < n) k *= 2
  return k
}

/**
 * A Merkle tree held in memory with every level of complete subtrees, so that roots of any
 * prefix and proofs cost O(log n) hashes. Use it to issue proofs; use {@link makeCompactRange}
 * to merely recompute a root.
 *
 * @category models
 * @since 0.1.0
 */
export interface Tree {
  readonly size: number
  /** The root of the prefix of `size` leaves (default: the whole tree). */
  readonly rootAt: (size?: number) => Uint8Array
  readonly leafHash: (index: number) => Uint8Array
  /** RFC 9162 §2.1.3.1 inclusion proof of leaf `index` in the prefix of `size` leaves. */
  readonly inclusionProof: (index: number, size?: number) => ReadonlyArray<Uint8Array>
  /** RFC 9162 §2.1.4.1 consistency proof from the prefix of `size1` to the prefix of `size2`. */
  readonly consistencyProof: (size1: number, size2?: number) => ReadonlyArray<Uint8Array>
}

/**
 * Raised when a proof is asked for arguments the tree cannot answer (index beyond size, sizes
 * out of order, a consistency proof from size 0). The message names the values.
 *
 * @category errors
 * @since 0.1.0
 */
export class ProofRequestError extends Error {
  readonly _tag = "ProofRequestError"
}

/**
 * Builds a {@link Tree} from leaf hashes (use {@link hashLeaf} on each event hash first).
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromLeafHashes = (leafHashes: ReadonlyArray<Uint8Array>): Tree => {
  const levels: Array<Array<Uint8Array>> = [leafHashes.slice()]
  for (;;) {
    const below = levels[levels.length - 1] as Array<Uint8Array>
    if (below.length < 2) break
    const above: Array<Uint8Array> = new Array(Math.floor(below.length / 2))
    for (let i = 0; i < above.length; i++) {
      above[i] = hashChildren(below[2 * i] as Uint8Array, below[2 * i + 1] as Uint8Array)
    }
    levels.push(above)
  }
  const size = leafHashes.length

  // Root of leaves [start, end): aligned perfect subtrees come from the levels, the ragged
  // right edge is folded from them.
  const node = (start: number, end: number): Uint8Array => {
    const n = end - start
    if ((n & (n - 1)) === 0 && start % n === 0) {
      const level = Math.log2(n)
      return (levels[level] as Array<Uint8Array>)[start / n] as Uint8Array
    }
    const k = splitPoint(n)
    return hashChildren(node(start, start + k), node(start + k, end))
  }

  const checkSize = (s: number): void => {
    if (!Number.isSafeInteger(s) || s < 0 || s > size) {
      throw new ProofRequestError(`size ${s} is outside the tree, which holds ${size} leaves`)
    }
  }

  const path = (m: number, start: number, end: number, out: Array<Uint8Array>): void => {
    const n = end - start
    if (n <= 1) return
    const k = splitPoint(n)
    if (m < k) {
      path(m, start, start + k, out)
      out.push(node(start + k, end))
    } else {
      path(m - k, start + k, end, out)
      out.push(node(start, start + k))
    }
  }

  return {
    size,
    rootAt: (s = size) => {
      checkSize(s)
      return s === 0 ? EMPTY_ROOT : node(0, s)
    },
    leafHash: (index) => {
      if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
        throw new ProofRequestError(`leaf ${index} is outside the tree, which holds ${size} leaves`)
      }
      return (levels[0] as Array<Uint8Array>)[index] as Uint8Array
    },
    inclusionProof: (index, s = size) => {
      checkSize(s)
      if (!Number.isSafeInteger(index) || index < 0 || index >= s) {
        throw new ProofRequestError(`leaf ${index} is not in a tree of size ${s}`)
      }
      const out: Array<Uint8Array> = []
      path(index, 0, s, out)
      return out
    },
    consistencyProof: (size1, size2 = size) => {
      checkSize(size1)
      checkSize(size2)
      return consistencyProofRanges(size1, size2).map(([start, end]) => node(start, end))
    }
  }
}

/**
 * The leaf ranges `[start, end)` whose subtree roots make up RFC 9162's consistency proof
 * (§2.1.4.1) from the prefix of `size1` leaves to the prefix of `size2`, in proof order. The proof
 * depends only on the two sizes, so a verifier that streams the log once can hash exactly these
 * ranges (each with a {@link makeCompactRange}) instead of holding the tree. The ranges are
 * disjoint; none when the sizes are equal.
 *
 * @example
 * ```ts
 * import { MerkleTree } from "@utblick/audit"
 * MerkleTree.consistencyProofRanges(3, 7) // [[2, 3], [3, 4], [0, 2], [4, 7]]: RFC 9162 §2.1.5's c, d, g, l
 * ```
 *
 * @category utils
 * @since 0.3.0
 */
export const consistencyProofRanges = (
  size1: number,
  size2: number
): ReadonlyArray<readonly [start: number, end: number]> => {
  if (!Number.isSafeInteger(size1) || !Number.isSafeInteger(size2) || size1 < 0) {
    throw new ProofRequestError(`sizes ${size1} and ${size2} are not sizes of a tree`)
  }
  if (size1 === 0) throw new ProofRequestError("a consistency proof from an empty tree proves nothing")
  if (size1 > size2) throw new ProofRequestError(`size1 ${size1} is larger than size2 ${size2}`)
  const out: Array<readonly [number, number]> = []
  // RFC 9162's SUBPROOF(m, D[start:end], whole): `whole` is true while the old tree is the left
  // edge of the range, whose root the verifier already holds (it is the old root).
  const subproof = (m: number, start: number, end: number, whole: boolean): void => {
    const n = end - start
    if (m === n) {
      if (!whole) out.push([start, end])
      return
    }
    const k = splitPoint(n)
    if (m <= k) {
      subproof(m, start, start + k, whole)
      out.push([start + k, end])
    } else {
      subproof(m - k, start + k, end, false)
      out.push([start, start + k])
    }
  }
  if (size1 < size2) subproof(size1, 0, size2, true)
  return out
}

/**
 * The leaf ranges `[start, end)` whose subtree roots make up RFC 9162's inclusion proof
 * (§2.1.3.1, `PATH(m, D[n])`) of leaf `index` in the prefix of `size` leaves, in proof order (from
 * the leaf's sibling up). The proof depends only on the index and the size, so a prover that
 * streams the log once can hash exactly these ranges (each with a {@link makeCompactRange})
 * instead of holding the tree. The ranges are disjoint and cover every leaf but `index`.
 *
 * @example
 * ```ts
 * import { MerkleTree } from "@utblick/audit"
 * MerkleTree.inclusionProofRanges(3, 7) // [[2, 3], [0, 2], [4, 7]]: RFC 9162 §2.1.5's c, g, l
 * ```
 *
 * @category utils
 * @since 0.3.0
 */
export const inclusionProofRanges = (
  index: number,
  size: number
): ReadonlyArray<readonly [start: number, end: number]> => {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) {
    throw new ProofRequestError(`index ${index} is not a leaf of a tree of size ${size}`)
  }
  const out: Array<readonly [number, number]> = []
  // PATH(m, D[start:end]): the path within the left or right part, then the other part's root.
  const path = (m: number, start: number, end: number): void => {
    const n = end - start
    if (n === 1) return
    const k = splitPoint(n)
    if (m < k) {
      path(m, start, start + k)
      out.push([start + k, end])
    } else {
      path(m - k, start + k, end)
      out.push([start, start + k])
    }
  }
  path(index, 0, size)
  return out
}

// ---------------------------------------------------------------------------------------------
// Verification (RFC 9162 §2.1.3.2, §2.1.4.2), with uint64 sizes.
// ---------------------------------------------------------------------------------------------

/**
 * Why a proof was rejected.
 *
 * @category models
 * @since 0.1.0
 */
export type ProofFailure =
  | "BAD_ARGUMENT"
  | "BAD_LENGTH"
  | "BAD_ELEMENT"
  | "ROOT_MISMATCH"
  | "ROOT1_MISMATCH"
  | "ROOT2_MISMATCH"

/**
 * The outcome of a proof verification: `ok`, or the failure class and a sentence explaining it.
 *
 * @category models
 * @since 0.1.0
 */
export type ProofResult = { readonly ok: true } | ProofRejection

/**
 * A rejected proof: the failure class and a sentence explaining it.
 *
 * @category models
 * @since 0.1.0
 */
export interface ProofRejection {
  readonly ok: false
  readonly failure: ProofFailure
  readonly detail: string
}

const OK: ProofResult = { ok: true }
const fail = (failure: ProofFailure, detail: string): ProofRejection => ({ ok: false, failure, detail })

const toU64 = (value: number | bigint): bigint | undefined => {
  if (typeof value === "bigint") return value >= 0n && value <= MAX_SIZE ? value : undefined
  return Number.isSafeInteger(value) && value >= 0 ? BigInt(value) : undefined
}

const bitLength = (x: bigint): number => x.toString(2).length - (x === 0n ? 1 : 0)

const popCount = (x: bigint): number => {
  let count = 0
  for (let v = x; v > 0n; v >>= 1n) if ((v & 1n) === 1n) count++
  return count
}

const trailingZeros = (x: bigint): number => {
  let count = 0
  for (let v = x; v > 0n && (v & 1n) === 0n; v >>= 1n) count++
  return count
}

/**
 * How many elements an inclusion proof for `index` in a tree of `size` must have, split into the
 * inner part (below the point where the leaf's path leaves the right border) and the border part.
 *
 * @category utils
 * @since 0.1.0
 */
export const inclusionProofShape = (
  index: bigint,
  size: bigint
): { readonly inner: number; readonly border: number } => {
  const inner = bitLength(index ^ (size - 1n))
  const border = popCount(index >> BigInt(inner))
  return { inner, border }
}

const bytesEqual = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(b)

const badElement = (proof: ReadonlyArray<Uint8Array>): number =>
  proof.findIndex((element) => element.length !== HASH_SIZE)

const chainInner = (seed: Uint8Array, proof: ReadonlyArray<Uint8Array>, index: bigint): Uint8Array => {
  let node = seed
  for (let i = 0; i < proof.length; i++) {
    const sibling = proof[i] as Uint8Array
    node = ((index >> BigInt(i)) & 1n) === 0n ? hashChildren(node, sibling) : hashChildren(sibling, node)
  }
  return node
}

const chainInnerRight = (seed: Uint8Array, proof: ReadonlyArray<Uint8Array>, index: bigint): Uint8Array => {
  let node = seed
  for (let i = 0; i < proof.length; i++) {
    if (((index >> BigInt(i)) & 1n) === 1n) node = hashChildren(proof[i] as Uint8Array, node)
  }
  return node
}

const chainBorderRight = (seed: Uint8Array, proof: ReadonlyArray<Uint8Array>): Uint8Array => {
  let node = seed
  for (const sibling of proof) node = hashChildren(sibling, node)
  return node
}

/**
 * Recomputes the root from an inclusion proof, or explains why the proof has the wrong shape.
 *
 * @category verification
 * @since 0.1.0
 */
export const rootFromInclusionProof = (
  index: number | bigint,
  size: number | bigint,
  leafHash: Uint8Array,
  proof: ReadonlyArray<Uint8Array>
): { readonly ok: true; readonly root: Uint8Array } | ProofRejection => {
  const i = toU64(index)
  const n = toU64(size)
  if (i === undefined || n === undefined) {
    return fail("BAD_ARGUMENT", "index and size must be integers in [0, 2^64 − 1]")
  }
  if (i >= n) return fail("BAD_ARGUMENT", `index ${i} is not below size ${n}`)
  if (leafHash.length !== HASH_SIZE) {
    return fail("BAD_ELEMENT", `the leaf hash has ${leafHash.length} bytes, not ${HASH_SIZE}`)
  }
  // The length check comes before any hashing, so an oversized proof costs nothing.
  const { inner, border } = inclusionProofShape(i, n)
  if (proof.length !== inner + border) {
    return fail(
      "BAD_LENGTH",
      `an inclusion proof for index ${i} in size ${n} has ${inner + border} elements, this one has ${proof.length}`
    )
  }
  const bad = badElement(proof)
  if (bad !== -1) {
    return fail("BAD_ELEMENT", `proof element ${bad} is not ${HASH_SIZE} bytes`)
  }
  const root = chainBorderRight(chainInner(leafHash, proof.slice(0, inner), i), proof.slice(inner))
  return { ok: true, root }
}

/**
 * Verifies an RFC 9162 inclusion proof of `leafHash` at `index` in the tree of `size` with `root`.
 *
 * @category guards
 * @since 0.1.0
 */
export const verifyInclusion = (
  index: number | bigint,
  size: number | bigint,
  leafHash: Uint8Array,
  proof: ReadonlyArray<Uint8Array>,
  root: Uint8Array
): ProofResult => {
  const computed = rootFromInclusionProof(index, size, leafHash, proof)
  if (!computed.ok) return computed
  return bytesEqual(computed.root, root)
    ? OK
    : fail("ROOT_MISMATCH", "the proof leads to a different root than the one given")
}

/**
 * Verifies an RFC 9162 consistency proof that the tree of `size1` with `root1` is a prefix of the
 * tree of `size2` with `root2`. A proof from size 0 is rejected (see the module notes).
 *
 * @category guards
 * @since 0.1.0
 */
export const verifyConsistency = (
  size1: number | bigint,
  size2: number | bigint,
  proof: ReadonlyArray<Uint8Array>,
  root1: Uint8Array,
  root2: Uint8Array
): ProofResult => {
  const m = toU64(size1)
  const n = toU64(size2)
  if (m === undefined || n === undefined) {
    return fail("BAD_ARGUMENT", "sizes must be integers in [0, 2^64 − 1]")
  }
  if (n < m) return fail("BAD_ARGUMENT", `size2 ${n} is smaller than size1 ${m}: the log shrank`)
  if (m === 0n) return fail("BAD_ARGUMENT", "a consistency proof from an empty tree proves nothing")
  if (m === n) {
    if (proof.length > 0) return fail("BAD_LENGTH", "sizes are equal, so the proof must be empty")
    return bytesEqual(root1, root2) ? OK : fail("ROOT_MISMATCH", "equal sizes but different roots: a fork")
  }
  if (proof.length === 0) return fail("BAD_LENGTH", "sizes differ, so the proof must not be empty")

  const shape = inclusionProofShape(m - 1n, n)
  const shift = trailingZeros(m)
  const inner = shape.inner - shift
  // When size1 is itself a power of two its root is the seed; otherwise the proof carries it.
  const seedIsRoot1 = m === 1n << BigInt(shift)
  const start = seedIsRoot1 ? 0 : 1
  const expected = start + inner + shape.border
  if (proof.length !== expected) {
    return fail(
      "BAD_LENGTH",
      `a consistency proof from ${m} to ${n} has ${expected} elements, this one has ${proof.length}`
    )
  }
  const bad = badElement(proof)
  if (bad !== -1) return fail("BAD_ELEMENT", `proof element ${bad} is not ${HASH_SIZE} bytes`)
  const seed = seedIsRoot1 ? root1 : (proof[0] as Uint8Array)
  const rest = proof.slice(start)
  const mask = (m - 1n) >> BigInt(shift)
  const hash1 = chainBorderRight(chainInnerRight(seed, rest.slice(0, inner), mask), rest.slice(inner))
  if (!bytesEqual(hash1, root1)) return fail("ROOT1_MISMATCH", "the proof does not lead to the earlier root")
  const hash2 = chainBorderRight(chainInner(seed, rest.slice(0, inner), mask), rest.slice(inner))
  if (!bytesEqual(hash2, root2)) return fail("ROOT2_MISMATCH", "the proof does not lead to the later root")
  return OK
}
