/**
 * The verifier's hashing, shaped by what Node charges per call: `crypto.hash` with a `"buffer"`
 * result costs several times more than the hash of a small input, while a string result is
 * cheap. So chain hashes are hex strings (compared with the stored hashes natively), Merkle
 * leaves and nodes are 32-character latin1 strings, and inputs are written into reused scratch
 * buffers.
 *
 * The per-call costs behind these choices are measured by `bench/hash.bench.ts` and recorded in
 * ADR 0029 and docs/reference/performance.md.
 *
 * @since 0.2.0
 */
import { hash } from "node:crypto"

const LEAF = Buffer.alloc(33, 0x00)
const NODE = Buffer.alloc(65, 0x01)

/**
 * One verifier's chain and leaf hashing over one buffer laid out as
 * `[0x00][previous event hash, 32 bytes][record, UTF-8]`: bytes `[1, …)` are the chain input
 * `prev ‖ record`, and once the record's hash is accepted it is written over `prev`, so bytes
 * `[0, 33)` are its RFC 9162 leaf input and bytes `[1, 33)` already the next record's `prev`.
 * Each event hash is decoded from hex once (Node's hex decoding costs about as much as a third of
 * a record's hash here), and never written twice.
 *
 * @category models
 * @since 0.2.0
 */
export interface RecordHasher {
  /** Sets the previous event's hash (64 hex digits): at the start and at a chunk's seam. */
  readonly start: (prevHex: string) => void
  /** `SHA-256(prev ‖ UTF-8(canonical))` as 64 lowercase hex digits. */
  readonly chain: (canonical: string) => string
  /**
   * Makes `eventHex` (the hash {@link RecordHasher.chain} just gave) the previous hash, and
   * returns its leaf hash as a latin1 string.
   */
  readonly accept: (eventHex: string) => string
}

/**
 * A {@link RecordHasher} with its own buffer (verifiers in one thread do not share it).
 *
 * @category constructors
 * @since 0.2.0
 */
export const makeRecordHasher = (): RecordHasher => {
  let bytes = Buffer.alloc(16 * 1024)
  let leafInput = bytes.subarray(0, 33)
  // Views by input length: \`subarray\` costs a tenth of the hash it feeds, and the records of a
  // log have few distinct lengths.
  let views: Array<Buffer | undefined> = []
  const start = (prevHex: string): void => {
    bytes.write(prevHex, 1, 32, "hex")
  }
  const chain = (canonical: string): string => {
    const needed = 33 + canonical.length * 3
    if (needed > bytes.length) {
      const grown = Buffer.alloc(Math.max(needed, bytes.length * 2))
      bytes.copy(grown, 0, 0, 33)
      bytes = grown
      leafInput = bytes.subarray(0, 33)
      views = []
    }
    const length = 32 + bytes.write(canonical, 33, "utf8")
    let view = views[length]
    if (view === undefined) {
      view = bytes.subarray(1, 1 + length)
      views[length] = view
    }
    // No encoding argument: hex is the default, and the call skips normalising an encoding.
    return hash("sha256", view)
  }
  const accept = (eventHex: string): string => {
    bytes.write(eventHex, 1, 32, "hex")
    return hash("sha256", leafInput, "binary")
  }
  return { start, chain, accept }
}

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
 * RFC 9162 leaf hash of an event digest given as 64 hex digits (as stores keep it), as a latin1
 * string; `undefined` when the text is not 64 hex digits.
 *
 * @category verification
 * @since 0.3.0
 */
export const leafOfHex = (eventHex: string): string | undefined =>
  // Node's hex decoding stops at the first pair that is not hex: a short write is malformed input.
  eventHex.length === 64 && LEAF.write(eventHex, 1, 32, "hex") === 32
    ? hash("sha256", LEAF, "binary")
    : undefined

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
export const appendDigest = (range: LeafRange, eventDigest: string): void =>
  appendLeaf(range, leafOf(eventDigest))

/**
 * Appends a leaf hash (latin1).
 *
 * @category mutations
 * @since 0.2.0
 */
export const appendLeaf = (range: LeafRange, leaf: string): void => {
  let node = leaf
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
