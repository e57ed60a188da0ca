/**
 * The recursive definitions of RFC 9162 §2.1.1, §2.1.3.1 and §2.1.4.1, written as literally as
 * possible. They are the reference the fast implementation in `MerkleTree` is tested against;
 * they are slow (O(n) hashes per call) and not part of the public API.
 *
 * @since 0.1.0
 */
import { EMPTY_ROOT, hashChildren, hashLeaf, splitPoint } from "../MerkleTree.js"

/**
 * MTH(D[n]) over leaf *inputs* (not leaf hashes).
 *
 * @category utils
 * @since 0.1.0
 */
export const referenceRoot = (entries: ReadonlyArray<Uint8Array>): Uint8Array => {
  if (entries.length === 0) return EMPTY_ROOT
  if (entries.length === 1) return hashLeaf(entries[0] as Uint8Array)
  const k = splitPoint(entries.length)
  return hashChildren(referenceRoot(entries.slice(0, k)), referenceRoot(entries.slice(k)))
}

/**
 * PATH(m, D[n]).
 *
 * @category utils
 * @since 0.1.0
 */
export const referencePath = (m: number, entries: ReadonlyArray<Uint8Array>): Array<Uint8Array> => {
  const n = entries.length
  if (n <= 1) return []
  const k = splitPoint(n)
  return m < k
    ? [...referencePath(m, entries.slice(0, k)), referenceRoot(entries.slice(k))]
    : [...referencePath(m - k, entries.slice(k)), referenceRoot(entries.slice(0, k))]
}

const subproof = (m: number, entries: ReadonlyArray<Uint8Array>, whole: boolean): Array<Uint8Array> => {
  const n = entries.length
  if (m === n) return whole ? [] : [referenceRoot(entries)]
  const k = splitPoint(n)
  return m <= k
    ? [...subproof(m, entries.slice(0, k), whole), referenceRoot(entries.slice(k))]
    : [...subproof(m - k, entries.slice(k), false), referenceRoot(entries.slice(0, k))]
}

/**
 * PROOF(m, D[n]) for 0 < m ≤ n.
 *
 * @category utils
 * @since 0.1.0
 */
export const referenceConsistency = (m: number, entries: ReadonlyArray<Uint8Array>): Array<Uint8Array> =>
  m === entries.length ? [] : subproof(m, entries, true)
