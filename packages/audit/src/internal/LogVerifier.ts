/**
 * The verifier's engine: the checks of one record in log order, the state they carry from one
 * record to the next, and the final comparison with the checkpoints. `Verify` drives it over an
 * export or a store; `ParallelVerify` drives it over chunks of a SQLite log in worker threads and
 * joins the chunks at their seams.
 *
 * A verifier can start from a given state (the seams of the parallel verifier), and can run
 * "open": then the first record's `prevHash` and `recordedAt` and the first event of each stream
 * are accepted as they come and remembered for the seam check, and the Merkle range is local.
 *
 * @since 0.2.0
 */
import { GENESIS_HASH } from "@utblick/core/HashChain"
import { Result } from "effect"
import * as Checkpoint from "../Checkpoint.js"
import { parseLine } from "../Export.js"
import type { Failure, LogVerifier, Options, Report } from "../Verify.js"
import { isCanonicalOf } from "./CanonicalCheck.js"
import { type EnvelopeFields, scanEnvelope } from "./CanonicalScan.js"
import { appendLeaf, type LeafRange, makeLeafRange, makeRecordHasher, rootBytes } from "./LeafHashing.js"
import * as NativeEngine from "./NativeEngine.js"
import { learn, makeTemplates, matchAny } from "./RecordTemplates.js"

/**
 * What the checks are made against: the trusted origin and the verified notes.
 *
 * @since 0.2.0
 */
export interface Context {
  readonly origin: string | undefined
  readonly checkpoint: Checkpoint.VerifiedCheckpoint | undefined
  readonly previous: ReadonlyArray<Checkpoint.VerifiedCheckpoint>
  readonly warnings: Array<string>
}

/**
 * The tip of one stream: its last version and that event's hash.
 *
 * @since 0.2.0
 */
export interface StreamTip {
  version: number
  hash: string
}

/**
 * Everything a verifier carries from one record to the next; after `n` records it describes
 * the prefix `[0, n)` of the log (or, open, of the chunk).
 *
 * @since 0.2.0
 */
export interface State {
  position: number
  /** The previous event's hash (hex), verified. */
  prevHash: string
  lastRecordedAt: string
  readonly streams: Map<string, StreamTip>
  /** Replaced by a native engine's view of the same range while that engine verifies. */
  range: LeafRange
  previousChecked: number
  rootAtCheckpoint: Buffer | undefined
}

/**
 * The state before the first record.
 *
 * @since 0.2.0
 */
export const initialState = (): State => ({
  position: 0,
  prevHash: GENESIS_HASH,
  lastRecordedAt: "",
  streams: new Map(),
  range: makeLeafRange(),
  previousChecked: 0,
  rootAtCheckpoint: undefined
})

/**
 * What an open (chunk) verifier remembers for the seams: the first event of each stream in the
 * chunk, and the local Merkle range at the positions asked for.
 *
 * @since 0.2.0
 */
export interface Open {
  /** Global positions at which to keep the local range (earlier checkpoints' sizes). */
  readonly snapshotAt: ReadonlySet<number>
  readonly firsts: Array<readonly [streamId: string, version: number, streamPrev: string | null]>
  readonly snapshots: Array<readonly [position: number, stack: ReadonlyArray<string>]>
  firstPrevHash: string | undefined
  firstRecordedAt: string | undefined
}

/**
 * A failed report: exit code 2 for malformed input, 1 for any other failure.
 *
 * @since 0.2.0
 */
export const failed = (failure: Failure, partial: Partial<Report> = {}): Report => ({
  records: 0,
  streams: 0,
  previousChecked: 0,
  warnings: [],
  ...partial,
  ok: false,
  exitCode: failure.class === "MALFORMED" ? 2 : 1,
  failure
})

/**
 * Base64 of bytes (roots in reports).
 *
 * @since 0.2.0
 */
export const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64")

/**
 * Verifies the checkpoint notes and compares them with each other before any record is read, so
 * that a fork or rollback is named as such rather than as a root mismatch further on.
 *
 * @since 0.2.0
 */
export const prepare = (options: Options): Result.Result<Context, Report> => {
  const warnings: Array<string> = []
  const origin = options.trust?.origin ?? options.origin
  if (options.checkpoint === undefined) {
    if ((options.previous ?? []).length > 0) {
      return Result.fail(
        failed({
          class: "MALFORMED",
          detail: "earlier checkpoints need a current checkpoint to compare with"
        })
      )
    }
    return Result.succeed({ origin, checkpoint: undefined, previous: [], warnings })
  }
  if (options.trust === undefined) {
    return Result.fail(
      failed({
        class: "MALFORMED",
        detail: "a checkpoint can only be verified with a trust policy (log vkeys and origin)"
      })
    )
  }
  const trust = options.trust
  const current = Checkpoint.verifyNote(options.checkpoint, trust)
  if (Result.isFailure(current)) {
    return Result.fail(
      failed({ class: current.failure.failure, detail: `checkpoint: ${current.failure.detail}` })
    )
  }
  const cp = current.success
  const previous: Array<Checkpoint.VerifiedCheckpoint> = []
  // Earlier checkpoints were accepted when received; a witness quorum is not asked again.
  const previousPolicy: Checkpoint.TrustPolicy = { ...trust, witnessQuorum: 0 }
  for (const [i, note] of (options.previous ?? []).entries()) {
    const p = Checkpoint.verifyNote(note, previousPolicy)
    if (Result.isFailure(p)) {
      return Result.fail(
        failed({ class: p.failure.failure, detail: `earlier checkpoint #${i}: ${p.failure.detail}` })
      )
    }
    const prev = p.success.checkpoint
    if (prev.size > cp.checkpoint.size) {
      return Result.fail(
        failed({
          class: "ROLLBACK",
          detail: `the checkpoint has size ${cp.checkpoint.size}, but earlier checkpoint #${i} already had size ${prev.size}: the log was rolled back or an old checkpoint replayed`,
          evidence: [note, options.checkpoint]
        })
      )
    }
    if (Checkpoint.isFork(prev, cp.checkpoint)) {
      return Result.fail(
        failed({
          class: "FORK",
          detail: `earlier checkpoint #${i} and this one both have size ${prev.size} but different roots: keep both signed notes, together they prove a split view`,
          evidence: [note, options.checkpoint]
        })
      )
    }
    previous.push(p.success)
  }
  if (options.maxCheckpointAgeSeconds !== undefined && options.now !== undefined) {
    const newest = Math.max(-Infinity, ...cp.cosignatures.map((c) => c.time))
    if (!Number.isFinite(newest))
      warnings.push("the checkpoint carries no witness time, so its age is unknown")
    else if (options.now - newest > options.maxCheckpointAgeSeconds) {
      warnings.push(`the checkpoint is stale: its newest cosignature is ${options.now - newest} s old`)
    }
  }
  return Result.succeed({ origin, checkpoint: cp, previous, warnings })
}

const isHex64 = (s: unknown): s is string => typeof s === "string" && /^[0-9a-f]{64}$/.test(s)

/**
 * A {@link LogVerifier} with access to its state (for the parallel verifier's seams).
 *
 * @since 0.2.0
 */
export interface Engine extends LogVerifier {
  readonly pushParts: (canonical: string, prevHash: string, hash: string) => Failure | undefined
  /**
   * The native engine's fields of the last record pushed (its fields' places in the text), when
   * the engine proved it; `undefined` when JavaScript did (ADR 0053).
   */
  readonly provenFields: () => Float64Array | undefined
  readonly state: State
}

/**
 * A verifier over records in log order, from `seed` (default: the empty log).
 *
 * @since 0.2.0
 */
export const makeEngine = (context: Context, seed: State = initialState(), open?: Open): Engine => {
  const state = seed
  // The native engine when this platform has one (ADR 0052): it proves most records canonical,
  // hashes them and keeps the Merkle range; what it cannot prove goes through the checks below.
  const nativeFields = NativeEngine.makeFields()
  const native = NativeEngine.open(nativeFields)
  const nativeRange = native === undefined ? undefined : new NativeEngine.EngineRange(native, state.range)
  if (nativeRange !== undefined) state.range = nativeRange
  const { streams, range } = state
  const checkpointAt = new Map<number, Array<Checkpoint.VerifiedCheckpoint>>()
  for (const p of context.previous) {
    const at = checkpointAt.get(p.checkpoint.size) ?? []
    at.push(p)
    checkpointAt.set(p.checkpoint.size, at)
  }
  let origin = context.origin
  let failure: Failure | undefined
  const start = state.position
  // One fields object for every record: the fast scan fills it, or the exact path copies the
  // parsed record into it, so the checks below always see one shape.
  const fields: EnvelopeFields = {
    v: 0,
    position: 0,
    origin: "",
    recordedAt: "",
    streamId: "",
    streamVersion: 0,
    streamPrev: null
  }
  // The shapes of the records seen so far (see RecordTemplates): most records match one, which
  // proves them canonical more cheaply than the scan.
  const templates = makeTemplates()
  const hasher = makeRecordHasher()
  // The previous hash the hasher's buffer holds. The state's can change between records (the
  // parallel verifier's joiner moves it over a chunk; an open verifier takes it from its first
  // record), so it is compared before each record: the same string object almost always.
  let hasherPrev: string | undefined

  // Whether any position needs a look at the Merkle range (a checkpoint's size, an earlier
  // checkpoint, a chunk's snapshot): most verifications have none, and skip the lookups.
  const watching =
    open !== undefined ? open.snapshotAt.size > 0 : context.checkpoint !== undefined || checkpointAt.size > 0
  const checkPrevious = (): Failure | undefined => {
    const position = state.position
    if (open !== undefined) {
      if (open.snapshotAt.has(position)) open.snapshots.push([position, range.stack.slice()])
      return undefined
    }
    // The root at the checkpoint's size, captured in passing so that a longer export can still
    // be told apart: a forged prefix (ROOT_MISMATCH) or merely events after the checkpoint.
    if (context.checkpoint !== undefined && position === context.checkpoint.checkpoint.size)
      state.rootAtCheckpoint = rootBytes(range)
    const due = checkpointAt.get(position)
    if (due === undefined) return undefined
    const root = rootBytes(range)
    for (const p of due) {
      if (!root.equals(p.checkpoint.root)) {
        return {
          class: "INCONSISTENT_WITH_PREVIOUS",
          position,
          detail: `the first ${position} events no longer hash to the root of an earlier signed checkpoint of that size: history was rewritten`,
          evidence: [p.note]
        }
      }
      state.previousChecked++
    }
    return undefined
  }

  // The exact path: what the fast scan could not prove canonical is parsed and compared with
  // its RFC 8785 form, and every failure is worded from the parsed record.
  const exact = (canonical: string, at: number): Failure | undefined => {
    let parsed: unknown
    try {
      parsed = JSON.parse(canonical)
    } catch {
      return { class: "NOT_CANONICAL", position: at, detail: "the record is not JSON" }
    }
    if (!isCanonicalOf(parsed, canonical)) {
      return {
        class: "NOT_CANONICAL",
        position: at,
        detail: "the record's bytes are not the RFC 8785 form of its content"
      }
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      return { class: "BAD_RECORD", position: at, detail: "the record is not a JSON object" }
    }
    const body = parsed as Record<string, unknown>
    fields.v = body.v
    fields.position = body.position
    fields.origin = body.origin
    fields.recordedAt = body.recordedAt
    fields.streamId = body.streamId
    fields.streamVersion = body.streamVersion
    fields.streamPrev = body.streamPrev
    return undefined
  }

  // Whether the engine proved the last record checked (see `provenFields`).
  let lastProven = false
  const check = (canonical: string, prevHash: string, claimedHash: string): Failure | undefined => {
    const at = state.position
    const proven = native !== undefined && NativeEngine.proves(native, nativeFields, canonical)
    lastProven = proven
    if (proven) NativeEngine.readFields(nativeFields, canonical, fields)
    else if (!matchAny(templates, canonical, fields)) {
      if (scanEnvelope(canonical, fields)) learn(templates, canonical)
      else {
        const problem = exact(canonical, at)
        if (problem !== undefined) return problem
      }
    }
    const body = fields
    if (body.v !== 1)
      return { class: "BAD_RECORD", position: at, detail: `unknown envelope version ${String(body.v)}` }
    if (body.position !== at) {
      return {
        class: "SEQ",
        position: at,
        detail: `found position ${JSON.stringify(body.position)} where ${at} was expected: an event was removed, inserted or moved`
      }
    }
    if (typeof body.origin !== "string")
      return { class: "BAD_RECORD", position: at, detail: "the record has no origin" }
    if (origin === undefined) origin = body.origin
    if (body.origin !== origin) {
      return {
        class: "ORIGIN",
        position: at,
        detail: `the record belongs to log ${JSON.stringify(body.origin)}, not ${JSON.stringify(origin)}`
      }
    }
    if (open !== undefined && at === start) {
      // The seam: the chunk before must end with this hash (checked when the chunks are joined).
      // Its hex is checked before it is decoded; elsewhere prevHash equals a verified hash.
      if (!isHex64(prevHash)) {
        return { class: "CHAIN", position: at, detail: "prevHash is not 64 lowercase hex digits" }
      }
      open.firstPrevHash = prevHash
      state.prevHash = prevHash
    }
    if (prevHash !== state.prevHash) {
      return {
        class: "CHAIN",
        position: at,
        detail: "prevHash does not equal the hash of the previous event"
      }
    }
    // The record's hash; undefined when the engine found it is not the claimed one.
    if (hasherPrev !== state.prevHash) {
      if (native !== undefined) native.start(state.prevHash)
      else hasher.start(state.prevHash)
      hasherPrev = state.prevHash
    }
    let hash: string | undefined
    if (native !== undefined) {
      if (!proven) native.load(canonical)
      // The engine compares its hash with the claimed one, so the claimed string is the hash.
      hash = native.chain(claimedHash) ? claimedHash : undefined
    } else hash = hasher.chain(canonical)
    if (hash === undefined || claimedHash !== hash) {
      return {
        class: "CHAIN",
        position: at,
        detail: "hash is not SHA-256(prevHash ‖ record): the record or its hash was altered"
      }
    }
    const recordedAt = body.recordedAt
    if (typeof recordedAt !== "string")
      return { class: "BAD_RECORD", position: at, detail: "the record has no recordedAt" }
    if (open !== undefined && at === start) open.firstRecordedAt = recordedAt
    if (recordedAt < state.lastRecordedAt) {
      return {
        class: "SEQ",
        position: at,
        detail: `recordedAt ${recordedAt} is earlier than the previous event's ${state.lastRecordedAt}`
      }
    }
    const { streamId, streamVersion, streamPrev } = body
    const tip = typeof streamId === "string" ? streams.get(streamId) : undefined
    // A streamPrev equal to the stream's last (computed) hash is hex already: the regex is
    // only needed for the others (it cost 0.45 µs per record).
    if (
      typeof streamId !== "string" ||
      typeof streamVersion !== "number" ||
      !(streamPrev === null || (tip !== undefined && streamPrev === tip.hash) || isHex64(streamPrev))
    ) {
      return {
        class: "BAD_RECORD",
        position: at,
        detail: "the record lacks streamId, streamVersion or streamPrev"
      }
    }
    if (tip === undefined && open !== undefined) {
      // The stream's event before this chunk (if any) is checked at the seam.
      open.firsts.push([streamId, streamVersion, streamPrev])
    } else {
      if (streamVersion !== (tip?.version ?? 0) + 1) {
        return {
          class: "STREAM_LINK",
          position: at,
          detail: `stream ${streamId} jumps from version ${tip?.version ?? 0} to ${streamVersion}`
        }
      }
      if (streamPrev !== (tip?.hash ?? null)) {
        return {
          class: "STREAM_LINK",
          position: at,
          detail: `streamPrev of stream ${streamId} does not link to its previous event`
        }
      }
    }
    if (tip === undefined) streams.set(streamId, { version: streamVersion, hash })
    else {
      tip.version = streamVersion
      tip.hash = hash
    }
    if (watching) {
      const previousFailure = checkPrevious()
      if (previousFailure !== undefined) return previousFailure
    }
    if (nativeRange !== undefined) nativeRange.accept()
    else appendLeaf(range, hasher.accept(hash))
    hasherPrev = hash
    state.prevHash = hash
    state.lastRecordedAt = recordedAt
    state.position = at + 1
    return undefined
  }

  const pushParts = (canonical: string, prevHash: string, hash: string): Failure | undefined => {
    if (failure !== undefined) return failure
    failure = check(canonical, prevHash, hash)
    return failure
  }

  const partial = (): Partial<Report> => ({
    ...(origin === undefined ? {} : { origin }),
    records: state.position,
    streams: streams.size,
    root: b64(rootBytes(range)),
    previousChecked: state.previousChecked,
    warnings: context.warnings,
    ...(context.checkpoint === undefined
      ? {}
      : {
          checkpoint: {
            size: context.checkpoint.checkpoint.size,
            root: b64(context.checkpoint.checkpoint.root),
            signedBy: context.checkpoint.signedBy,
            cosignatures: context.checkpoint.cosignatures
          }
        })
  })

  const finish = (): Report => {
    if (failure !== undefined) return failed(failure, partial())
    const last = checkPrevious()
    if (last !== undefined) return failed(last, partial())
    const position = state.position
    const cp = context.checkpoint
    if (cp !== undefined) {
      const atCheckpoint = state.rootAtCheckpoint
      if (atCheckpoint !== undefined && !atCheckpoint.equals(cp.checkpoint.root)) {
        return failed(
          {
            class: "ROOT_MISMATCH",
            detail: `the first ${cp.checkpoint.size} events do not hash to the signed checkpoint root: the log was altered`
          },
          partial()
        )
      }
      if (position !== cp.checkpoint.size) {
        return failed(
          {
            class: "SIZE_MISMATCH",
            position,
            detail: `the log holds ${position} events but the checkpoint covers ${cp.checkpoint.size}${position < cp.checkpoint.size ? ": events are missing at the tail" : ""}`
          },
          partial()
        )
      }
      if (!rootBytes(range).equals(cp.checkpoint.root)) {
        return failed(
          {
            class: "ROOT_MISMATCH",
            detail: "the recomputed Merkle root differs from the signed checkpoint root: the log was altered"
          },
          partial()
        )
      }
    }
    return {
      ...partial(),
      records: position,
      streams: streams.size,
      previousChecked: state.previousChecked,
      ok: true,
      exitCode: 0,
      warnings: context.warnings
    }
  }

  const pushLine = (line: string): Failure | undefined => {
    if (failure !== undefined) return failure
    const parsed = parseLine(line)
    if (typeof parsed === "string") {
      failure = {
        class: "MALFORMED",
        position: state.position,
        detail: `line ${state.position + 1}: ${parsed}`
      }
      return failure
    }
    return pushParts(parsed.canonical, parsed.prevHash, parsed.hash)
  }

  return {
    state,
    pushParts,
    provenFields: () => (lastProven ? nativeFields : undefined),
    push: (record) => pushParts(record.canonical, record.prevHash, record.hash),
    pushLine,
    finish,
    fail: (f) => {
      failure ??= f
      return failed(failure, partial())
    }
  }
}
