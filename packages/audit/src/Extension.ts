/**
 * Is the current log a consistent extension of what the auditor kept? Growth against tampering.
 *
 * An auditor keeps signed checkpoints (and, where they can, earlier exports). Later the log has
 * usually grown. This module checks the current log against every kept item and tells the two
 * cases apart:
 *
 * - **growth**: every kept checkpoint of size `m` is the prefix of the current log of size `n`,
 *   proven by an RFC 9162 consistency proof `m → n` built from the current log and checked against
 *   the kept, signed root; the report says by how many events the log grew since the newest one.
 * - **tampering**: a kept checkpoint's root is not a prefix of the current log
 *   (`INCONSISTENT_WITH_PREVIOUS`), a kept checkpoint is larger than the log (`ROLLBACK`), two kept
 *   checkpoints of one size disagree (`FORK`), or a kept export differs from the log.
 *
 * **What can and cannot be told apart**
 *
 * A Merkle root hides which leaf changed: from checkpoints alone the first altered position is
 * known only to lie between the largest kept size that still matches and the smallest that does
 * not, and the report gives that range. A kept export pins it exactly (the first line whose chain
 * hash differs, since each hash covers every earlier event). Events after the newest kept
 * checkpoint are consistent but not attested: an event forged and correctly chained at the tail
 * is indistinguishable from a legitimate one until a checkpoint signed by the log key covers it,
 * so the report names those positions as not yet covered.
 *
 * @since 0.2.0
 */
import { Result } from "effect"
import * as Checkpoint from "./Checkpoint.js"
import { parseLine } from "./Export.js"
import * as MerkleTree from "./MerkleTree.js"
import * as Verify from "./Verify.js"

/**
 * A checkpoint note the auditor kept, with the name they know it by (a file name).
 *
 * @category models
 * @since 0.2.0
 */
export interface KeptCheckpoint {
  readonly name: string
  readonly note: string
}

/**
 * An earlier export the auditor kept, with its name.
 *
 * @category models
 * @since 0.2.0
 */
export interface KeptExport {
  readonly name: string
  readonly text: string
}

/**
 * One kept item found consistent with the current log.
 *
 * @category models
 * @since 0.2.0
 */
export interface Consistent {
  readonly name: string
  readonly kind: "checkpoint" | "export"
  readonly size: number
  /** How many events the log holds beyond this item. */
  readonly grewBy: number
  /** How many hashes the RFC 9162 consistency proof held (checkpoints only). */
  readonly proofLength?: number
}

/**
 * A failure against a kept item: the verify failure plus the item's name.
 *
 * @category models
 * @since 0.2.0
 */
export interface Mismatch extends Verify.Failure {
  readonly name: string
  /** When only the range is known: the first altered position lies in `[from, to]`. */
  readonly range?: { readonly from: number; readonly to: number }
}

/**
 * The outcome of {@link check}.
 *
 * @category models
 * @since 0.2.0
 */
export type Outcome =
  | {
      readonly ok: true
      readonly size: number
      readonly consistent: ReadonlyArray<Consistent>
      /** The largest kept checkpoint, if any; events beyond it are not covered by a signature. */
      readonly newest?: Consistent
    }
  | { readonly ok: false; readonly failure: Mismatch; readonly consistent: ReadonlyArray<Consistent> }

const sizeOf = (n: number) => `${n} event${n === 1 ? "" : "s"}`

/**
 * Checks the current log, given as its event hashes (hex, position order, already verified as a
 * chain), against kept checkpoints and exports. Every note must verify under `trust` and carry
 * the log's origin; a note from another log is an `ORIGIN` failure, never skipped, so that a log
 * re-created under a new origin cannot pass by making every kept note look foreign.
 *
 * @example
 * ```ts
 * import { Extension } from "@utblick/audit"
 * const outcome = Extension.check({ hashes: [], trust: { origin: "x.example/log", logKeys: [] }, checkpoints: [] })
 * outcome.ok // true: nothing kept, nothing to contradict
 * ```
 *
 * @category guards
 * @since 0.2.0
 */
export const check = (input: {
  readonly hashes: ReadonlyArray<string>
  readonly trust: Checkpoint.TrustPolicy
  readonly checkpoints: ReadonlyArray<KeptCheckpoint>
  readonly exports?: ReadonlyArray<KeptExport>
}): Outcome => {
  const n = input.hashes.length
  const consistent: Array<Consistent> = []
  const fail = (failure: Mismatch): Outcome => ({ ok: false, failure, consistent })

  // Earlier checkpoints were accepted when received; the witness quorum is not asked again.
  const policy: Checkpoint.TrustPolicy = { ...input.trust, witnessQuorum: 0 }
  const verified: Array<{ readonly name: string; readonly cp: Checkpoint.VerifiedCheckpoint }> = []
  for (const kept of input.checkpoints) {
    const v = Checkpoint.verifyNote(kept.note, policy)
    if (Result.isFailure(v)) {
      return fail({ name: kept.name, class: v.failure.failure, detail: `${kept.name}: ${v.failure.detail}` })
    }
    verified.push({ name: kept.name, cp: v.success })
  }
  verified.sort((a, b) => a.cp.checkpoint.size - b.cp.checkpoint.size)
  for (let i = 1; i < verified.length; i++) {
    const a = verified[i - 1] as (typeof verified)[number]
    const b = verified[i] as (typeof verified)[number]
    if (Checkpoint.isFork(a.cp.checkpoint, b.cp.checkpoint)) {
      return fail({
        name: b.name,
        class: "FORK",
        detail: `${a.name} and ${b.name} both sign size ${b.cp.checkpoint.size} with different roots: keep both notes, together they prove a split view`,
        evidence: [a.cp.note, b.cp.note]
      })
    }
  }

  const tree = MerkleTree.fromLeafHashes(
    input.hashes.map((h) => MerkleTree.hashLeaf(MerkleTree.leafInputFromHex(h)))
  )
  const root = tree.rootAt(n)
  let matchedUpTo = 0
  for (const { name, cp } of verified) {
    const m = cp.checkpoint.size
    if (m > n) {
      return fail({
        name,
        class: "ROLLBACK",
        position: n,
        detail: `${name} signs ${sizeOf(m)} but the log holds ${sizeOf(n)}: positions ${n} to ${m - 1} are missing (the log was rolled back or truncated)`,
        evidence: [cp.note]
      })
    }
    let proofLength = 0
    let ok: boolean
    if (m === 0) ok = Buffer.from(cp.checkpoint.root).equals(MerkleTree.EMPTY_ROOT)
    else {
      const proof = tree.consistencyProof(m, n)
      proofLength = proof.length
      ok =
        m === n
          ? Buffer.from(root).equals(cp.checkpoint.root)
          : MerkleTree.verifyConsistency(m, n, proof, cp.checkpoint.root, root).ok
    }
    if (!ok && m === 0) {
      // No record is signed: the note is wrong, not the log, and there is no position to name.
      return fail({
        name,
        class: "INCONSISTENT_WITH_PREVIOUS",
        detail: `${name} signs size 0 with a root that is not the empty log's (the SHA-256 of no bytes): it describes no log, so no log extends it`,
        evidence: [cp.note]
      })
    }
    if (!ok) {
      // An export kept from that time names the exact position, where the tree can only bound it.
      const exact = (input.exports ?? [])
        .map((kept) => compareExport(kept, input.hashes, input.trust.origin))
        .find((x) => x?.class === "INCONSISTENT_WITH_PREVIOUS" && x.position !== undefined && x.position < m)
      if (exact !== undefined) {
        return fail({
          ...exact,
          detail: `the log is not an extension of ${name} (size ${m}), and ${exact.detail}`,
          evidence: [cp.note]
        })
      }
      return fail({
        name,
        class: "INCONSISTENT_WITH_PREVIOUS",
        position: matchedUpTo,
        range: { from: matchedUpTo, to: m - 1 },
        detail:
          `the log is not an extension of ${name} (size ${m}): its first ${sizeOf(m)} no longer hash to the signed root. ` +
          (matchedUpTo === 0
            ? `The first altered position lies between 0 and ${m - 1}`
            : `The first ${sizeOf(matchedUpTo)} still match an earlier kept checkpoint, so the first altered position lies between ${matchedUpTo} and ${m - 1}`) +
          "; a kept export of that time names it exactly",
        evidence: [cp.note]
      })
    }
    matchedUpTo = m
    consistent.push({ name, kind: "checkpoint", size: m, grewBy: n - m, proofLength })
  }

  for (const kept of input.exports ?? []) {
    const mismatch = compareExport(kept, input.hashes, input.trust.origin)
    if (mismatch !== undefined) return fail(mismatch)
    const size = lineCount(kept.text)
    consistent.push({ name: kept.name, kind: "export", size, grewBy: n - size })
  }

  const newest = consistent.filter((c) => c.kind === "checkpoint").at(-1)
  return { ok: true, size: n, consistent, ...(newest === undefined ? {} : { newest }) }
}

const lineCount = (text: string): number => {
  let count = 0
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) count++
  return count
}

// A kept export first verifies as a chain on its own (else it is not evidence of anything), then
// its hashes are compared with the log's position by position: the first differing hash is the
// first differing event, because every hash covers all events before it.
const compareExport = (
  kept: KeptExport,
  hashes: ReadonlyArray<string>,
  origin: string
): Mismatch | undefined => {
  const own = Verify.verifyExport(kept.text, { origin })
  if (!own.ok) {
    const f = own.failure as Verify.Failure
    return {
      ...f,
      name: kept.name,
      class: f.class === "MALFORMED" ? "MALFORMED" : f.class,
      detail: `${kept.name}${f.position === undefined ? "" : ` line ${f.position + 1}`}: the kept export does not verify on its own: ${f.detail}`
    }
  }
  let position = 0
  for (let start = 0; start < kept.text.length; position++) {
    const end = kept.text.indexOf("\n", start)
    const parsed = parseLine(kept.text.slice(start, end))
    start = end + 1
    if (typeof parsed === "string") continue // unreachable: verified above
    if (position >= hashes.length) {
      return {
        name: kept.name,
        class: "ROLLBACK",
        position,
        detail: `${kept.name} holds an event at position ${position} (line ${position + 1}) but the log ends before it: the log was rolled back or truncated`
      }
    }
    if (hashes[position] !== parsed.hash) {
      return {
        name: kept.name,
        class: "INCONSISTENT_WITH_PREVIOUS",
        position,
        range: { from: position, to: position },
        detail: `position ${position} differs from line ${position + 1} of ${kept.name}: the event there was altered, inserted or removed (all earlier positions match)`
      }
    }
  }
  return undefined
}
