/**
 * The verifier's hashing, shaped by what Node charges per call: `crypto.hash` with a `"buffer"`
 * result costs several times more than the hash of a small input, while a string result is
 * cheap. So digests and Merkle nodes are 32-character latin1 strings, stored hex hashes are
 * compared with them in place, and inputs are written into reused scratch buffers.
 *
 * The per-call costs behind these choices are measured by `bench/hash.bench.ts` and recorded in
 * ADR 0029 and docs/reference/performance.md.
 *
 * @since 0.2.0
 */
import { hash } from "node:crypto"

let scratch = Buffer.allocUnsafe(64 * 1024)
const LEAF = Buffer.alloc(33, 0x00)
const NODE = Buffer.alloc(65, 0x01)

/**
 * `SHA-256(prev ‖ UTF-8(canonical))` as a 32-character latin1 string, where `prev` is the
 * previous event's digest in the same form (not hex: decoding hex into the input costs more than
 * the hash of a small input).
 *
 * @category verification
 * @since 0.2.0
 */
export const chainDigest = (prev: string, canonical: string): string => {
  const needed = 32 + canonical.length * 3
  if (needed > scratch.length) scratch = Buffer.allocUnsafe(Math.max(needed, scratch.length * 2))
  scratch.write(prev, 0, 32, "latin1")
  const written = scratch.write(canonical, 32, "utf8")
  return hash("sha256", scratch.subarray(0, 32 + written), "binary")
}

const HEX_CODES = Array.from("0123456789abcdef", (c) => c.charCodeAt(0))

/**
 * Whether `hex` is exactly the 64 lowercase hex digits of the 32-byte latin1 `digest`, compared
 * in place: a stored hash that matches is then the digest's hex, and no string is built.
 *
 * @category guards
 * @since 0.2.0
 */
export const hexMatches = (hex: string, digest: string): boolean => {
  if (hex.length !== 64 || digest.length !== 32) return false
  for (let i = 0; i < 32; i++) {
    const b = digest.charCodeAt(i)
    if (hex.charCodeAt(2 * i) !== HEX_CODES[b >> 4] || hex.charCodeAt(2 * i + 1) !== HEX_CODES[b & 15])
      return false
  }
  return true
}

/**
 * The latin1 form of a digest given as 64 hex digits (once per chunk seam, not per record).
 *
 * @category utils
 * @since 0.2.0
 */
export const latin1OfHex = (hex: string): string => Buffer.from(hex, "hex").toString("latin1")

/**
 * RFC 9162 leaf hash `SHA-256(0x00 ‖ eventDigest)` of a latin1 event digest, as a latin1 string.
 *
 * @category verification
 * @since 0.2.0
 */
export const leafOf = (eventDigest: string): string => {
  LEAF.write(eventDigest, 1, 32, "latin1")
  return hash("sha256", LEAF, "binary")
}

/**
 * RFC 9162 interior node `SHA-256(0x01 ‖ left ‖ right)` of two latin1-string nodes.
 *
 * @category utils
 * @since 0.2.0
 */
export const nodeOf = (left: string, right: string): string => {
  NODE.write(left, 1, 32, "latin1")
  NODE.write(right, 33, 32, "latin1")
  return hash("sha256", NODE, "binary")
}

/**
 * A compact range (the roots of the perfect subtrees that the binary digits of `size` describe)
 * over latin1-string nodes. It can start from any aligned state, which is how the parallel
 * verifier continues a range from the chunks before.
 *
 * @category models
 * @since 0.2.0
 */
export interface LeafRange {
  size: number
  /** Perfect subtree roots, largest (leftmost) first. */
  readonly stack: Array<string>
}

/**
 * An empty range, or a copy of `from`.
 *
 * @category constructors
 * @since 0.2.0
 */
export const makeLeafRange = (from?: LeafRange): LeafRange =>
  from === undefined ? { size: 0, stack: [] } : { size: from.size, stack: from.stack.slice() }

/**
 * Appends the leaf of an event digest (latin1).
 *
 * @category mutations
 * @since 0.2.0
 */
export const appendDigest = (range: LeafRange, eventDigest: string): void => {
  let node = leafOf(eventDigest)
  let s = range.size
  const stack = range.stack
  while ((s & 1) === 1) {
    node = nodeOf(stack.pop() as string, node)
    s = Math.floor(s / 2)
  }
  stack.push(node)
  range.size++
}

/**
 * Appends a perfect subtree of `2^height` leaves given by its root; `range.size` must be a
 * multiple of `2^height` (true for the parallel verifier's aligned chunks).
 *
 * @category mutations
 * @since 0.2.0
 */
export const appendSubtree = (range: LeafRange, height: number, root: string): void => {
  const width = 2 ** height
  let node = root
  let s = range.size / width
  const stack = range.stack
  while (s % 2 === 1) {
    node = nodeOf(stack.pop() as string, node)
    s = Math.floor(s / 2)
  }
  stack.push(node)
  range.size += width
}

/**
 * The root of the nodes `stack` (largest first), folded from the right; undefined when empty.
 *
 * @category folding
 * @since 0.2.0
 */
export const foldRoot = (stack: ReadonlyArray<string>): string | undefined => {
  if (stack.length === 0) return undefined
  let node = stack[stack.length - 1] as string
  for (let i = stack.length - 2; i >= 0; i--) node = nodeOf(stack[i] as string, node)
  return node
}

/**
 * The RFC 9162 root of the range as bytes (`SHA-256("")` when empty).
 *
 * @category verification
 * @since 0.2.0
 */
export const rootBytes = (range: LeafRange): Buffer => {
  const root = foldRoot(range.stack)
  return root === undefined
    ? (hash("sha256", Buffer.alloc(0), "buffer") as Buffer)
    : Buffer.from(root, "latin1")
}
