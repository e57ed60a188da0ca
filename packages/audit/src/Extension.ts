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
import * as LeafHashing from "./internal/LeafHashing.js"
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
 * What is checked against: the log's verifier trust, and what the auditor kept.
 *
 * @category models
 * @since 0.3.0
 */
export interface KeptInput {
  readonly trust: Checkpoint.TrustPolicy
  readonly checkpoints: ReadonlyArray<KeptCheckpoint>
  readonly exports?: ReadonlyArray<KeptExport>
}

/**
 * A check in progress over one pass of the log (see {@link begin}).
 *
 * @category models
 * @since 0.3.0
 */
export interface Checking {
  /**
   * The outcome when it is known before any hash (a kept note that does not verify, two kept
   * notes that fork): the pass over the log can be skipped.
   */
  readonly settled: Outcome | undefined
  /** Adds the next record's event hash (hex), in position order, already verified as a chain. */
  readonly add: (eventHash: string) => void
  /** How many hashes were added. */
  readonly added: () => number
  /** The outcome, once exactly `size` hashes were added (a `RangeError` otherwise). */
  readonly finish: () => Outcome
}

// One kept export compared line by line while the log streams past: its own verification is
// done up front, then only a cursor into its text is kept.
interface ExportCursor {
  readonly kept: KeptExport
  readonly size: number
  /** Set when it does not verify on its own, or at the first line that differs from the log. */
  mismatch: Mismatch | undefined
  next: number
}

/**
 * Starts checking a log of `size` events, streamed once, against kept checkpoints and exports.
 * Memory stays O(log n) per kept checkpoint whatever the log's size: the current root comes
 * from a compact range, and each checkpoint's RFC 9162 consistency proof from the few leaf
 * ranges it is made of ({@link MerkleTree.consistencyProofRanges}), hashed as they stream past.
 * The findings are those of {@link check}, which is this over an array.
 *
 * @example
 * ```ts
 * import { Extension } from "@utblick/audit"
 * const checking = Extension.begin(0, { trust: { origin: "x.example/log", logKeys: [] }, checkpoints: [] })
 * checking.finish().ok // true: nothing kept, nothing to contradict
 * ```
 *
 * @category constructors
 * @since 0.3.0
 */
export const begin = (size: number, input: KeptInput): Checking => {
  const n = size
  const consistent: Array<Consistent> = []
  const fail = (failure: Mismatch): Outcome => ({ ok: false, failure, consistent })
  const settle = (outcome: Outcome): Checking => ({
    settled: outcome,
    add: () => {},
    added: () => 0,
    finish: () => outcome
  })

  // Earlier checkpoints were accepted when received; the witness quorum is not asked again.
  const policy: Checkpoint.TrustPolicy = { ...input.trust, witnessQuorum: 0 }
  const verified: Array<{ readonly name: string; readonly cp: Checkpoint.VerifiedCheckpoint }> = []
  for (const kept of input.checkpoints) {
    const v = Checkpoint.verifyNote(kept.note, policy)
    if (Result.isFailure(v)) {
      return settle(
        fail({ name: kept.name, class: v.failure.failure, detail: `${kept.name}: ${v.failure.detail}` })
      )
    }
    verified.push({ name: kept.name, cp: v.success })
  }
  verified.sort((a, b) => a.cp.checkpoint.size - b.cp.checkpoint.size)
  for (let i = 1; i < verified.length; i++) {
    const a = verified[i - 1] as (typeof verified)[number]
    const b = verified[i] as (typeof verified)[number]
    if (Checkpoint.isFork(a.cp.checkpoint, b.cp.checkpoint)) {
      return settle(
        fail({
          name: b.name,
          class: "FORK",
          detail: `${a.name} and ${b.name} both sign size ${b.cp.checkpoint.size} with different roots: keep both notes, together they prove a split view`,
          evidence: [a.cp.note, b.cp.note]
        })
      )
    }
  }

  // The ranges every proof needs, ordered by where they start; each is hashed while the leaves
  // inside it stream past, and its root lands in its proof's slot.
  const proofs = new Map<number, Array<Uint8Array>>()
  const pending: Array<{
    readonly start: number
    readonly end: number
    readonly proof: Array<Uint8Array>
    readonly slot: number
  }> = []
  for (const { cp } of verified) {
    const m = cp.checkpoint.size
    if (m === 0 || m >= n || proofs.has(m)) continue
    const ranges = MerkleTree.consistencyProofRanges(m, n)
    const proof: Array<Uint8Array> = new Array(ranges.length)
    proofs.set(m, proof)
    ranges.forEach(([start, end], slot) => {
      pending.push({ start, end, proof, slot })
    })
  }
  pending.sort((a, b) => a.start - b.start)
  let nextRange = 0
  const open: Array<{
    readonly end: number
    readonly range: LeafHashing.LeafRange
    readonly proof: Array<Uint8Array>
    readonly slot: number
  }> = []
  // Leaves and nodes as latin1 strings, as the verifier hashes them: this pass hashes a leaf and
  // about one node per event of the log, and a hash asked for as a Buffer costs three times more.
  const whole = LeafHashing.makeLeafRange()

  const cursors: Array<ExportCursor> = (input.exports ?? []).map((kept) => ({
    kept,
    size: lineCount(kept.text),
    mismatch: ownFailure(kept, input.trust.origin),
    next: 0
  }))
  const comparing = cursors.filter((c) => c.mismatch === undefined)

  let position = 0
  const add = (eventHash: string): void => {
    if (position >= n) throw new RangeError(`the log was said to hold ${sizeOf(n)}, but more were added`)
    const leaf =
      LeafHashing.leafOfHex(eventHash) ??
      Buffer.from(MerkleTree.hashLeaf(MerkleTree.leafInputFromHex(eventHash))).toString("latin1")
    LeafHashing.appendLeaf(whole, leaf)
    while (
      nextRange < pending.length &&
      (pending[nextRange] as (typeof pending)[number]).start === position
    ) {
      const { end, proof, slot } = pending[nextRange] as (typeof pending)[number]
      open.push({ end, range: LeafHashing.makeLeafRange(), proof, slot })
      nextRange++
    }
    for (let i = open.length - 1; i >= 0; i--) {
      const o = open[i] as (typeof open)[number]
      LeafHashing.appendLeaf(o.range, leaf)
      if (o.end === position + 1) {
        o.proof[o.slot] = LeafHashing.rootBytes(o.range)
        open.splice(i, 1)
      }
    }
    for (const c of comparing) {
      if (c.mismatch !== undefined || position >= c.size) continue
      c.mismatch = compareLine(c, position, eventHash)
    }
    position++
  }

  const finish = (): Outcome => {
    if (position !== n)
      throw new RangeError(`the log was said to hold ${sizeOf(n)}, but ${position} were added`)
    for (const c of comparing) {
      // A kept export longer than the log: its first line beyond the log's end is missing here.
      if (c.mismatch === undefined && c.size > n) {
        c.mismatch = {
          name: c.kept.name,
          class: "ROLLBACK",
          position: n,
          detail: `${c.kept.name} holds an event at position ${n} (line ${n + 1}) but the log ends before it: the log was rolled back or truncated`
        }
      }
    }
    const root = LeafHashing.rootBytes(whole)
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
      else if (m === n) ok = Buffer.from(root).equals(cp.checkpoint.root)
      else {
        const proof = proofs.get(m) as ReadonlyArray<Uint8Array>
        proofLength = proof.length
        ok = MerkleTree.verifyConsistency(m, n, proof, cp.checkpoint.root, root).ok
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
        const exact = cursors
          .map((c) => c.mismatch)
          .find(
            (x) => x?.class === "INCONSISTENT_WITH_PREVIOUS" && x.position !== undefined && x.position < m
          )
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

    for (const c of cursors) {
      if (c.mismatch !== undefined) return fail(c.mismatch)
      consistent.push({ name: c.kept.name, kind: "export", size: c.size, grewBy: n - c.size })
    }

    const newest = consistent.filter((c) => c.kind === "checkpoint").at(-1)
    return { ok: true, size: n, consistent, ...(newest === undefined ? {} : { newest }) }
  }

  return { settled: undefined, add, added: () => position, finish }
}

/**
 * Checks the current log, given as its event hashes (hex, position order, already verified as a
 * chain), against kept checkpoints and exports. Every note must verify under `trust` and carry
 * the log's origin; a note from another log is an `ORIGIN` failure, never skipped, so that a log
 * re-created under a new origin cannot pass by making every kept note look foreign. A log too
 * large to hold its hashes in memory is checked with {@link begin} while it streams.
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
export const check = (input: KeptInput & { readonly hashes: ReadonlyArray<string> }): Outcome => {
  const checking = begin(input.hashes.length, input)
  if (checking.settled !== undefined) return checking.settled
  for (const hash of input.hashes) checking.add(hash)
  return checking.finish()
}

const lineCount = (text: string): number => {
  let count = 0
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) count++
  return count
}

// A kept export first verifies as a chain on its own (else it is not evidence of anything), then
// its hashes are compared with the log's position by position: the first differing hash is the
// first differing event, because every hash covers all events before it.
const ownFailure = (kept: KeptExport, origin: string): Mismatch | undefined => {
  const own = Verify.verifyExport(kept.text, { origin })
  if (own.ok) return undefined
  const f = own.failure as Verify.Failure
  return {
    ...f,
    name: kept.name,
    detail: `${kept.name}${f.position === undefined ? "" : ` line ${f.position + 1}`}: the kept export does not verify on its own: ${f.detail}`
  }
}

// Compares the export's line at `position` (the cursor's next line) with the log's hash there.
const compareLine = (cursor: ExportCursor, position: number, eventHash: string): Mismatch | undefined => {
  const text = cursor.kept.text
  const end = text.indexOf("\n", cursor.next)
  const parsed = parseLine(text.slice(cursor.next, end))
  cursor.next = end + 1
  if (typeof parsed === "string" || parsed.hash === eventHash) return undefined // a string: unreachable, verified above
  return {
    name: cursor.kept.name,
    class: "INCONSISTENT_WITH_PREVIOUS",
    position,
    range: { from: position, to: position },
    detail: `position ${position} differs from line ${position + 1} of ${cursor.kept.name}: the event there was altered, inserted or removed (all earlier positions match)`
  }
}
