/**
 * Verification of a whole log, from a store or from an export, against a signed checkpoint and
 * every earlier checkpoint the auditor kept.
 *
 * One pass over the records checks, per record: the framing, that the bytes are their own RFC 8785
 * form, the global position, the origin, the chain link and hash, the stream version and
 * `streamPrev` link, and that `recordedAt` never goes back. Along the way it recomputes the RFC 9162
 * root at the size of every earlier checkpoint and, at the end, at the checkpoint's size. It stops
 * at the **first** failure and reports its class and position in a machine-readable object.
 *
 * Memory is O(number of streams + log n); time is linear in the input and each line is bounded.
 *
 * @since 0.1.0
 */
import { EventStore } from "@utblick/core/EventStore"
import { Effect, Result, Stream } from "effect"
import * as Checkpoint from "./Checkpoint.js"
import { type Context, makeEngine, prepare } from "./internal/LogVerifier.js"
import * as MerkleTree from "./MerkleTree.js"

/**
 * Every class of verification failure.
 *
 * - `MALFORMED`: the input is not an export or a checkpoint note at all (exit code 2).
 * - `NOT_CANONICAL`: a record's bytes differ from RFC 8785 of its own parse (A2).
 * - `BAD_RECORD`: a canonical record that is not an event envelope.
 * - `SEQ`: positions not contiguous from 0, or `recordedAt` going back (A3, A4).
 * - `CHAIN`: `prevHash` does not link, or `hash` is not SHA-256(prevHash ‖ bytes) (A1).
 * - `STREAM_LINK`: a stream version gap or duplicate, or a wrong `streamPrev` (A14).
 * - `ORIGIN`: a record or checkpoint belongs to another log (A11).
 * - `SIZE_MISMATCH`: the log holds a different number of events than the checkpoint (A5).
 * - `ROOT_MISMATCH`: the recomputed root is not the checkpoint's (A1, A6).
 * - `ROLLBACK`: the checkpoint is smaller than one the auditor already holds (A5, A9).
 * - `INCONSISTENT_WITH_PREVIOUS`: the log does not extend an earlier checkpoint (A7).
 * - `FORK`: two checkpoints of one size with different roots (A8).
 * - `CHECKPOINT_SIGNATURE`, `WITNESS`: no trusted signature, or a quorum not met (A10).
 * - `STORE_ERROR`: the store could not be read.
 * - `INDEX`: a store's index column (stream, version, type, tenant, dates, id) no longer says what
 *   the hashed record says, so reads by that column miss or misplace the event (found by the
 *   stores' index checks after the records verified).
 *
 * @category models
 * @since 0.1.0
 */
export type FailureClass =
  | "MALFORMED"
  | "NOT_CANONICAL"
  | "BAD_RECORD"
  | "SEQ"
  | "CHAIN"
  | "STREAM_LINK"
  | "ORIGIN"
  | "SIZE_MISMATCH"
  | "ROOT_MISMATCH"
  | "ROLLBACK"
  | "INCONSISTENT_WITH_PREVIOUS"
  | "FORK"
  | "CHECKPOINT_SIGNATURE"
  | "WITNESS"
  | "STORE_ERROR"
  | "INDEX"

/**
 * The first failure found: its class, the 0-based position (line) where it was found if it
 * concerns a record, a sentence for the working papers, and evidence (e.g. both notes of a fork).
 *
 * @category models
 * @since 0.1.0
 */
export interface Failure {
  readonly class: FailureClass
  readonly position?: number
  readonly detail: string
  readonly evidence?: ReadonlyArray<string>
}

/**
 * The machine-readable result of a verification.
 *
 * @category models
 * @since 0.1.0
 */
export interface Report {
  readonly ok: boolean
  /** 0 pass, 1 verification failure, 2 bad input (as the `verify` command exits). */
  readonly exitCode: 0 | 1 | 2
  readonly failure?: Failure
  readonly origin?: string
  /** How many records were read and checked before stopping. */
  readonly records: number
  readonly streams: number
  /** The recomputed root over all records read, base64. */
  readonly root?: string
  readonly checkpoint?: {
    readonly size: number
    readonly root: string
    readonly signedBy: ReadonlyArray<string>
    readonly cosignatures: ReadonlyArray<Checkpoint.Cosignature>
  }
  /** How many earlier checkpoints were found consistent with this log. */
  readonly previousChecked: number
  readonly warnings: ReadonlyArray<string>
}

/**
 * What to verify against. Without `checkpoint` only the records themselves are checked (chain,
 * canonical bytes, streams), which proves nothing about truncation or rewrites.
 *
 * @category models
 * @since 0.1.0
 */
export interface Options {
  /** The keys and origin the auditor trusts, obtained out of band. Required with a checkpoint. */
  readonly trust?: Checkpoint.TrustPolicy
  /** The signed checkpoint note to verify the log against. */
  readonly checkpoint?: string
  /** Every checkpoint note the auditor held before (archive, witness, minutes). */
  readonly previous?: ReadonlyArray<string>
  /** The expected origin when no trust policy is given. */
  readonly origin?: string
  /** Warn when the newest cosignature is older than this many seconds (needs `now`). */
  readonly maxCheckpointAgeSeconds?: number
  /** The current time in unix seconds, for the staleness warning. */
  readonly now?: number
}

/**
 * One record as read from a store or an export line.
 *
 * @category models
 * @since 0.1.0
 */
export interface InputRecord {
  readonly canonical: string
  readonly prevHash: string
  readonly hash: string
}

/**
 * An incremental verifier over records in log order: `push` each record, then `finish`.
 * `push` returns a {@link Failure} at the first bad record; once failed, the verifier stays failed.
 *
 * @category models
 * @since 0.1.0
 */
export interface LogVerifier {
  readonly push: (record: InputRecord) => Failure | undefined
  readonly pushLine: (line: string) => Failure | undefined
  readonly finish: () => Report
  readonly fail: (failure: Failure) => Report
}

const makeLogVerifier = (context: Context): LogVerifier => makeEngine(context)

const lineOf = (text: string, index: number): number => {
  let line = 1
  for (let i = text.indexOf("\n"); i !== -1 && i < index; i = text.indexOf("\n", i + 1)) line++
  return line
}

const inputProblem = (text: string): string | undefined => {
  if (text.startsWith("\uFEFF"))
    return "line 1: the export starts with a byte order mark; exports are UTF-8 without BOM"
  const cr = text.indexOf("\r")
  if (cr !== -1) return `line ${lineOf(text, cr)}: the export contains CR characters; exports use LF line endings only`
  if (text.length > 0 && !text.endsWith("\n"))
    return `line ${lineOf(text, text.length)}: the export does not end with a newline (truncated or trailing garbage)`
  return undefined
}

// ignoreBOM keeps a byte order mark in the text: by default TextDecoder drops one at the start of
// every decode, so bytes with a BOM passed where the same text as a string is refused, and a
// streamed line starting with one lost it silently (VerifyEdges.test.ts).
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true })

const decodeStrict = (bytes: Uint8Array): string | undefined => {
  try {
    return decoder.decode(bytes)
  } catch {
    return undefined
  }
}

/**
 * Verifies an export held in memory (a string, or bytes that must be valid UTF-8).
 *
 * @example
 * ```ts
 * import { Verify } from "@utblick/audit"
 * const report = Verify.verifyExport("", { origin: "utblick.local/memory" })
 * report.ok // true: an empty log is a valid log of size 0
 * ```
 *
 * @category verification
 * @since 0.1.0
 */
export const verifyExport = (input: string | Uint8Array, options: Options = {}): Report => {
  const context = prepare(options)
  if (Result.isFailure(context)) return context.failure
  const verifier = makeLogVerifier(context.success)
  const text = typeof input === "string" ? input : decodeStrict(input)
  if (text === undefined)
    return verifier.fail({ class: "MALFORMED", detail: "the export is not valid UTF-8" })
  const problem = inputProblem(text)
  if (problem !== undefined) return verifier.fail({ class: "MALFORMED", detail: problem })
  let start = 0
  while (start < text.length) {
    const end = text.indexOf("\n", start)
    if (verifier.pushLine(text.slice(start, end)) !== undefined) break
    start = end + 1
  }
  return verifier.finish()
}

/**
 * Verifies an export read as a stream of byte chunks (e.g. `fs.createReadStream(path)`), in
 * memory bounded by the longest line.
 *
 * @category verification
 * @since 0.1.0
 */
export const verifyExportStream = async (
  chunks: AsyncIterable<Uint8Array | string>,
  options: Options = {}
): Promise<Report> => {
  const context = prepare(options)
  if (Result.isFailure(context)) return context.failure
  const verifier = makeLogVerifier(context.success)
  let pending: Array<Buffer> = []
  let pendingLength = 0
  let first = true
  const line = (bytes: Buffer): boolean => {
    const text = decodeStrict(bytes)
    if (text === undefined) {
      verifier.fail({ class: "MALFORMED", detail: "a line is not valid UTF-8" })
      return false
    }
    if (text.includes("\r")) {
      verifier.fail({
        class: "MALFORMED",
        detail: "the export contains CR characters; exports use LF line endings only"
      })
      return false
    }
    return verifier.pushLine(text) === undefined
  }
  outer: for await (const chunk of chunks) {
    let buf = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk)
    if (first && buf.length > 0) {
      first = false
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
        return verifier.fail({
          class: "MALFORMED",
          detail: "the export starts with a byte order mark; exports are UTF-8 without BOM"
        })
      }
    }
    for (;;) {
      const nl = buf.indexOf(0x0a)
      if (nl === -1) break
      const head = buf.subarray(0, nl)
      const whole = pending.length === 0 ? head : Buffer.concat([...pending, head])
      pending = []
      pendingLength = 0
      if (!line(whole)) break outer
      buf = buf.subarray(nl + 1)
    }
    if (buf.length > 0) {
      pending.push(buf)
      pendingLength += buf.length
      if (pendingLength > 4 * 16 * 1024 * 1024) {
        return verifier.fail({ class: "MALFORMED", detail: "a line exceeds the maximum length" })
      }
    }
  }
  if (pendingLength > 0) {
    return verifier.fail({
      class: "MALFORMED",
      detail: "the export does not end with a newline (truncated or trailing garbage)"
    })
  }
  return verifier.finish()
}

/**
 * Verifies the log of the current {@link EventStore} (its exact stored bytes, via
 * `readRecords`) in one streaming pass. Store errors become a `STORE_ERROR` report.
 *
 * @category verification
 * @since 0.1.0
 */
export const verifyStore = (options: Options = {}): Effect.Effect<Report, never, EventStore> =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const context = prepare({ ...options, origin: options.trust?.origin ?? options.origin ?? store.origin })
    if (Result.isFailure(context)) return context.failure
    const verifier = makeLogVerifier(context.success)
    let stopped = false
    const failedYet = () => stopped
    // Pages of 1,024 records: on 1,000,000 PostgreSQL events, pages of 4,096 peaked at 361 MB RSS
    // (a page outlives a scavenge and its garbage is promoted), 1,024 at 216 MB and no slower,
    // 256 at 202 MB and slower.
    const outcome = yield* store.readRecords({ batchSize: 1024 }).pipe(
      // Whole chunks per step: per-record effects cost more than the checks themselves. After a
      // failure the verifier ignores the rest of the chunk, and takeWhile ends the read.
      Stream.takeWhile(() => !failedYet()),
      Stream.runForEachArray((chunk) =>
        Effect.sync(() => {
          for (const record of chunk) {
            if (verifier.push(record) !== undefined) {
              stopped = true
              break
            }
          }
        })
      ),
      Effect.result
    )
    if (Result.isFailure(outcome)) {
      return verifier.fail({
        class: "STORE_ERROR",
        detail: `the store could not be read: ${outcome.failure.message}`
      })
    }
    return verifier.finish()
  })

/**
 * Checks an RFC 9162 consistency proof between two verified checkpoints, without the log: what a
 * witness does before cosigning, and what an auditor does with a proof served by the log.
 *
 * @category guards
 * @since 0.1.0
 */
export const checkpointsConsistent = (
  earlier: Checkpoint.Checkpoint,
  later: Checkpoint.Checkpoint,
  proof: ReadonlyArray<Uint8Array>
): Failure | undefined => {
  if (earlier.origin !== later.origin)
    return { class: "ORIGIN", detail: "the checkpoints belong to different logs" }
  if (earlier.size > later.size)
    return { class: "ROLLBACK", detail: `size went from ${earlier.size} back to ${later.size}` }
  if (Checkpoint.isFork(earlier, later))
    return { class: "FORK", detail: `two roots for size ${earlier.size}` }
  if (earlier.size === 0) return undefined
  const result = MerkleTree.verifyConsistency(earlier.size, later.size, proof, earlier.root, later.root)
  return result.ok
    ? undefined
    : {
        class: "INCONSISTENT_WITH_PREVIOUS",
        detail: `consistency proof ${earlier.size} → ${later.size} rejected: ${result.detail}`
      }
}
