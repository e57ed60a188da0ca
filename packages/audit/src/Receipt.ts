/**
 * Decision receipts: one event's exact bytes plus a C2SP `tlog-proof@v1` block, verifiable
 * offline without the rest of the log; what gets attached to a decision letter or working paper.
 *
 * The proof block is:
 * ```
 * c2sp.org/tlog-proof@v1
 * extra <base64 of the 32-byte prevHash>
 * index <N>
 * <base64 inclusion hash>…
 *
 * <the signed checkpoint note, with its cosignatures>
 * ```
 * The leaf is recomputed from the receipt itself: `eventHash = SHA-256(prevHash ‖ record)`, leaf
 * `SHA-256(0x00 ‖ eventHash)`, so nothing the receipt claims is taken on trust.
 *
 * @since 0.1.0
 */
import { canonicalize, type JsonValue } from "@utblick/core/CanonicalJson"
import { createHash } from "node:crypto"
import { Result } from "effect"
import * as Checkpoint from "./Checkpoint.js"
import * as MerkleTree from "./MerkleTree.js"

const HEADER = "c2sp.org/tlog-proof@v1"
const MAX_PROOF_LINES = 64

/**
 * A decision receipt.
 *
 * @category models
 * @since 0.1.0
 */
export interface Receipt {
  /** The event's canonical bytes (RFC 8785), exactly as stored. */
  readonly record: string
  /** The `c2sp.org/tlog-proof@v1` text. */
  readonly proof: string
}

/**
 * Builds the proof block for the event at `index`, given its previous hash (hex), the inclusion
 * path and the signed (and ideally cosigned) checkpoint note it is proven under.
 *
 * @category formatting
 * @since 0.1.0
 */
export const formatProof = (options: {
  readonly index: number
  readonly prevHash: string
  readonly inclusion: ReadonlyArray<Uint8Array>
  readonly checkpointNote: string
}): string =>
  [
    HEADER,
    `extra ${Buffer.from(options.prevHash, "hex").toString("base64")}`,
    `index ${options.index}`,
    ...options.inclusion.map((h) => Buffer.from(h).toString("base64")),
    "",
    options.checkpointNote
  ].join("\n")

/**
 * Issues a receipt for one stored event and a checkpoint note of `checkpointSize` leaves, from a
 * {@link MerkleTree.Tree} over the log, or from the inclusion proof itself (the roots of
 * {@link MerkleTree.inclusionProofRanges}, hashed while the log streams past: no tree is held).
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (
  options: {
    readonly record: { readonly canonical: string; readonly prevHash: string; readonly position: number }
    readonly checkpointNote: string
    readonly checkpointSize: number
  } & ({ readonly tree: MerkleTree.Tree } | { readonly inclusion: ReadonlyArray<Uint8Array> })
): Receipt => ({
  record: options.record.canonical,
  proof: formatProof({
    index: options.record.position,
    prevHash: options.record.prevHash,
    inclusion:
      "tree" in options
        ? options.tree.inclusionProof(options.record.position, options.checkpointSize)
        : options.inclusion,
    checkpointNote: options.checkpointNote
  })
})

/**
 * Why a receipt did not verify.
 *
 * @category models
 * @since 0.1.0
 */
export interface ReceiptFailure {
  readonly class: "MALFORMED" | "NOT_CANONICAL" | "INDEX" | "INCLUSION" | Checkpoint.CheckpointFailure
  readonly detail: string
}

/**
 * What a verified receipt establishes.
 *
 * @category models
 * @since 0.1.0
 */
export interface VerifiedReceipt {
  readonly index: number
  readonly eventHash: string
  readonly event: Readonly<Record<string, unknown>>
  readonly checkpoint: Checkpoint.VerifiedCheckpoint
}

const b64Strict = (text: string): Buffer | undefined => {
  const bytes = Buffer.from(text, "base64")
  return bytes.length === 32 && bytes.toString("base64") === text ? bytes : undefined
}

/**
 * Verifies a receipt offline against the trusted keys: the record is canonical, sits at the
 * claimed position, its leaf is included under the checkpoint, and the checkpoint is signed (and
 * cosigned to the policy's quorum).
 *
 * @category guards
 * @since 0.1.0
 */
export const verify = (
  receipt: Receipt,
  trust: Checkpoint.TrustPolicy
): Result.Result<VerifiedReceipt, ReceiptFailure> => {
  const bad = (cls: ReceiptFailure["class"], detail: string) => Result.fail({ class: cls, detail })
  const text = receipt.proof
  if (text.length > 256 * 1024 || text.includes("\r"))
    return bad("MALFORMED", "the proof is too long or has CR line endings")
  const blank = text.indexOf("\n\n")
  if (blank === -1) return bad("MALFORMED", "no blank line before the checkpoint")
  const head = text.slice(0, blank).split("\n")
  const note = text.slice(blank + 2)
  if (head[0] !== HEADER) return bad("MALFORMED", `line 1: the proof must start with ${HEADER}`)
  const extra = /^extra (\S+)$/.exec(head[1] ?? "")
  const indexLine = /^index (0|[1-9][0-9]{0,15})$/.exec(head[2] ?? "")
  if (extra === null || indexLine === null)
    return bad("MALFORMED", "lines 2 and 3: expected `extra <base64 prevHash>` and `index <N>`")
  const prev = b64Strict(extra[1] as string)
  if (prev === undefined) return bad("MALFORMED", "line 2: extra must be the 32-byte previous hash in base64")
  const index = Number(indexLine[1])
  const hashLines = head.slice(3)
  if (hashLines.length > MAX_PROOF_LINES) return bad("INCLUSION", `more than ${MAX_PROOF_LINES} proof hashes`)
  const inclusion: Array<Buffer> = []
  for (const [i, line] of hashLines.entries()) {
    const h = b64Strict(line)
    if (h === undefined) return bad("MALFORMED", `line ${i + 4}: every proof hash must be 32 bytes of base64`)
    inclusion.push(h)
  }
  const cp = Checkpoint.verifyNote(note, trust)
  if (Result.isFailure(cp)) return bad(cp.failure.failure, `the checkpoint (from line ${head.length + 2}): ${cp.failure.detail}`)

  let event: unknown
  try {
    event = JSON.parse(receipt.record)
  } catch {
    return bad("NOT_CANONICAL", "the record is not JSON")
  }
  if (canonicalize(event as JsonValue) !== receipt.record)
    return bad("NOT_CANONICAL", "the record is not in RFC 8785 form")
  const body = event as Record<string, unknown>
  if (
    typeof event !== "object" ||
    event === null ||
    body.position !== index ||
    body.origin !== trust.origin
  ) {
    return bad("INDEX", "the record's position or origin does not match the receipt")
  }
  const eventHash = createHash("sha256").update(prev).update(receipt.record, "utf8").digest()
  const included = MerkleTree.verifyInclusion(
    index,
    cp.success.checkpoint.size,
    MerkleTree.hashLeaf(eventHash),
    inclusion,
    cp.success.checkpoint.root
  )
  if (!included.ok) return bad("INCLUSION", included.detail)
  return Result.succeed({ index, eventHash: eventHash.toString("hex"), event: body, checkpoint: cp.success })
}
