/**
 * Verification in chunks and the seams between them.
 *
 * The log is cut into chunks of `2^k` positions, aligned so that each full chunk is one perfect
 * subtree of the RFC 9162 tree. A chunk is verified "open" (see `LogVerifier`): everything that
 * depends only on its own records is checked, and what depends on the records before it (the
 * first `prevHash` and `recordedAt`, the first event of each stream, the roots of earlier
 * checkpoints that fall inside it) is returned as a summary. Joining the summaries in log order
 * checks those seams against the state the chunks before left.
 *
 * The first failure is always worded by the sequential engine: when a chunk failed on its own
 * or a seam does not hold, the log is verified sequentially from that chunk's start, from the
 * exact state the chunks before left. So a parallel report equals the sequential one.
 *
 * @since 0.2.0
 */

import type * as Checkpoint from "../Checkpoint.js"
import { EMPTY_ROOT } from "../MerkleTree.js"
import type { Report } from "../Verify.js"
import * as IndexColumns from "./IndexColumns.js"
import { appendSubtree, foldRoot, makeLeafRange } from "./LeafHashing.js"
import { type Context, type Engine, makeEngine, type Open, type State } from "./LogVerifier.js"
import type { RowSource } from "./RowSource.js"

/**
 * One chunk to verify: positions `[from, to)`, and the positions inside it where the local
 * Merkle range must be kept (sizes of checkpoints).
 *
 * @since 0.2.0
 */
export interface ChunkTask {
  readonly index: number
  readonly from: number
  readonly to: number
  readonly snapshotAt: ReadonlyArray<number>
}

/**
 * What an open verification of a chunk leaves for the seams (structured-cloneable).
 *
 * @since 0.2.0
 */
export interface ChunkSummary {
  readonly index: number
  /** Records verified before stopping. */
  readonly count: number
  /** Whether a record of the chunk failed on its own. */
  readonly failed: boolean
  readonly firstPrevHash: string | undefined
  readonly firstRecordedAt: string | undefined
  readonly lastHash: string
  readonly lastRecordedAt: string
  readonly firsts: ReadonlyArray<readonly [streamId: string, version: number, streamPrev: string | null]>
  readonly lasts: ReadonlyArray<readonly [streamId: string, version: number, hash: string]>
  /** The chunk's local Merkle range: one root for a full chunk. */
  readonly stack: ReadonlyArray<string>
  readonly snapshots: ReadonlyArray<readonly [position: number, stack: ReadonlyArray<string>]>
}

/**
 * A chunk's summary and, when the row check ran on it, its first failing position (`null`: none
 * failed).
 *
 * @since 0.3.0
 */
export type Checked = ChunkSummary & { readonly rowCheckAt?: number | null }

/**
 * What a worker answers a task with: the checked summary, or the message of what stopped it.
 *
 * @since 0.3.0
 */
export type ChunkReply = Checked | { readonly index: number; readonly error: string }

/**
 * The `each` of a read that pushes every record into `engine` and stops at the first failure;
 * each record that verifies is shown, with its row, to `watch` (ADR 0053).
 *
 * @since 0.4.0
 */
export const pushing =
  (engine: Engine, watch?: IndexColumns.Watch): Parameters<RowSource["read"]>[2] =>
  (canonical, prevHash, hash, row) => {
    if (engine.pushParts(canonical, prevHash, hash) !== undefined) return false
    watch?.see(engine.state.position - 1, row, canonical, engine.provenFields())
    return true
  }

/**
 * How a chunk's rows are checked once its records verify: a check over its positions, the index
 * columns read with the records (`"beside"`, ADR 0053), or not at all.
 *
 * @since 0.4.0
 */
export type RowCheck = IndexColumns.IndexCheck | "beside" | undefined

/**
 * A worker's answer to one task (the body of its message handler, here so that it runs and is
 * tested in this thread too): the chunk verified open, then, unless it failed, `rowCheck` over its
 * positions (the first whose index columns disagree with its record, or `undefined`); with
 * `"beside"`, the index columns the source reads with each record are checked as it is verified
 * (ADR 0053). Anything thrown becomes the task's error.
 *
 * @since 0.3.0
 */
export const answer = (
  source: RowSource,
  origin: string,
  rowCheck: RowCheck,
  task: ChunkTask
): ChunkReply => {
  try {
    return checkChunk(source, origin, rowCheck, task)
  } catch (cause) {
    return { index: task.index, error: cause instanceof Error ? cause.message : String(cause) }
  }
}

/**
 * The chunk verified open and, unless it failed, row-checked: what {@link answer} answers when
 * nothing is thrown.
 *
 * @since 0.4.0
 */
export const checkChunk = (
  source: RowSource,
  origin: string,
  rowCheck: RowCheck,
  task: ChunkTask
): Checked => {
  if (rowCheck === "beside") {
    const watch = IndexColumns.watch()
    const summary = verifyChunk(source, origin, task, watch)
    return summary.failed ? summary : { ...summary, rowCheckAt: watch.first() }
  }
  const summary = verifyChunk(source, origin, task)
  return rowCheck === undefined || summary.failed
    ? summary
    : { ...summary, rowCheckAt: rowCheck(task.from, task.to) ?? null }
}

/**
 * Verifies one chunk open, against the log's origin.
 *
 * @since 0.2.0
 */
export const verifyChunk = (
  source: RowSource,
  origin: string,
  task: ChunkTask,
  watch?: IndexColumns.Watch
): ChunkSummary => {
  const state: State = {
    position: task.from,
    prevHash: "",
    lastRecordedAt: "",
    streams: new Map(),
    range: makeLeafRange(),
    previousChecked: 0,
    rootAtCheckpoint: undefined
  }
  const open: Open = {
    snapshotAt: new Set(task.snapshotAt),
    firsts: [],
    snapshots: [],
    firstPrevHash: undefined,
    firstRecordedAt: undefined
  }
  const engine = makeEngine({ origin, checkpoint: undefined, previous: [], warnings: [] }, state, open)
  let failed = false
  const each = pushing(engine, watch)
  source.read(task.from, task.to, (canonical, prevHash, hash, row) => {
    if (each(canonical, prevHash, hash, row)) return true
    failed = true
    return false
  })
  const lasts: Array<readonly [string, number, string]> = []
  for (const [id, tip] of state.streams) lasts.push([id, tip.version, tip.hash])
  return {
    index: task.index,
    count: state.position - task.from,
    failed,
    firstPrevHash: open.firstPrevHash,
    firstRecordedAt: open.firstRecordedAt,
    lastHash: state.prevHash,
    lastRecordedAt: state.lastRecordedAt,
    firsts: open.firsts,
    lasts,
    stack: state.range.stack,
    snapshots: open.snapshots
  }
}

/**
 * The chunks of a log of `size` events, and the checkpoint sizes each must keep a range at.
 *
 * @since 0.2.0
 */
export const planChunks = (context: Context, size: number, chunkSize: number): Array<ChunkTask> => {
  const sizes = new Set(context.previous.map((p) => p.checkpoint.size))
  if (context.checkpoint !== undefined) sizes.add(context.checkpoint.checkpoint.size)
  const tasks: Array<ChunkTask> = []
  for (let from = 0, index = 0; from < size; from += chunkSize, index++) {
    const to = Math.min(size, from + chunkSize)
    tasks.push({ index, from, to, snapshotAt: [...sizes].filter((s) => s >= from && s < to) })
  }
  return tasks
}

/**
 * Joins chunk summaries in log order (`join` each, then `finish`). After a chunk whose seams do
 * not hold, the rest of the log is verified sequentially from that chunk's start through
 * `source`, and `join` returns the final report: stop sending chunks then.
 *
 * @since 0.2.0
 */
export const makeJoiner = (context: Context, source: RowSource, size: number, chunkSize: number) => {
  const height = Math.log2(chunkSize)
  if (!Number.isInteger(height)) throw new RangeError(`chunk size ${chunkSize} is not a power of two`)
  const engine = makeEngine(context)
  const state = engine.state
  const checkpointAt = new Map<number, Array<Checkpoint.VerifiedCheckpoint>>()
  for (const p of context.previous)
    checkpointAt.set(p.checkpoint.size, [...(checkpointAt.get(p.checkpoint.size) ?? []), p])
  const cpSize = context.checkpoint?.checkpoint.size

  // The rest of the log, sequentially from the current state (the start of the chunk at hand).
  const sequentialRest = (): Report => {
    source.read(state.position, size, pushing(engine))
    return engine.finish()
  }

  const seamsHold = (
    s: ChunkSummary,
    expected: number
  ): { previousChecked: number; rootAtCheckpoint: Buffer | undefined } | undefined => {
    if (s.failed || s.count !== expected) return undefined
    if (s.firstPrevHash !== state.prevHash) return undefined
    if (s.firstRecordedAt === undefined || s.firstRecordedAt < state.lastRecordedAt) return undefined
    for (const [id, version, prev] of s.firsts) {
      const tip = state.streams.get(id)
      if (version !== (tip?.version ?? 0) + 1 || prev !== (tip?.hash ?? null)) return undefined
    }
    let previousChecked = 0
    let rootAtCheckpoint = state.rootAtCheckpoint
    for (const [position, local] of s.snapshots) {
      const folded = foldRoot([...state.range.stack, ...local])
      const root = folded === undefined ? Buffer.from(EMPTY_ROOT) : Buffer.from(folded, "latin1")
      if (position === cpSize) rootAtCheckpoint = root
      for (const p of checkpointAt.get(position) ?? []) {
        if (!root.equals(p.checkpoint.root)) return undefined
        previousChecked++
      }
    }
    return { previousChecked, rootAtCheckpoint }
  }

  const join = (s: ChunkSummary): Report | undefined => {
    const from = s.index * chunkSize
    const expected = Math.min(size, from + chunkSize) - from
    const held = state.position === from ? seamsHold(s, expected) : undefined
    if (held === undefined) return sequentialRest()
    state.previousChecked += held.previousChecked
    state.rootAtCheckpoint = held.rootAtCheckpoint
    state.prevHash = s.lastHash
    state.lastRecordedAt = s.lastRecordedAt
    for (const [id, version, hash] of s.lasts) {
      const tip = state.streams.get(id)
      if (tip === undefined) state.streams.set(id, { version, hash })
      else {
        tip.version = version
        tip.hash = hash
      }
    }
    if (expected === chunkSize) appendSubtree(state.range, height, s.stack[0] as string)
    else {
      // The last, partial chunk: its subtrees are all smaller than the chunks before.
      state.range.stack.push(...s.stack)
      state.range.size += expected
    }
    state.position += expected
    return undefined
  }

  return { join, finish: engine.finish, sequentialRest }
}
