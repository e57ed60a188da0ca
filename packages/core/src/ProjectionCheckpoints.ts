/**
 * Persisted read models: where `Projection.run` and `Projection.runMany` keep a snapshot of each
 * (projection name, projection version, time filter), so the next run folds only the events
 * appended since, instead of the whole log (ADR 0035).
 *
 * **Details**
 *
 * A run folds events in log-position order and skips those its filter rejects, so the state
 * after position P plus a fold of P..head under the same filter equals a full replay. A checkpoint
 * therefore needs only its position, the state, and the hash of the last event it folded: a
 * checkpoint whose hash is not the log's hash at that position (a restored, replaced or truncated
 * log) is discarded, and so is one of another projection version (automatic rebuild).
 *
 * The default is {@link none}: nothing is persisted and every run replays from zero. Store layers
 * provide a durable one (`SqliteCheckpointStore.layer`, `PgCheckpointStore.layer`), and
 * {@link layerMemory} keeps them for the life of a process.
 *
 * Checkpoints are a cache: a checkpoint that cannot be read is treated as absent, and a save that
 * fails (a read-only file, a busy writer) is skipped — the answer never depends on them.
 *
 * @since 0.2.0
 */
import { hash as hashOnce } from "node:crypto"
import { Context, Effect, Layer } from "effect"
import * as CanonicalJson from "./CanonicalJson.js"
import type { EventStoreError } from "./EventStoreError.js"

/**
 * Which checkpoint: a projection's name and version, and its time filter as a canonical key.
 *
 * @category models
 * @since 0.2.0
 */
export interface CheckpointKey {
  readonly projection: string
  readonly version: number
  /** {@link filterKey} of the run's time filter. */
  readonly filter: string
}

/**
 * One persisted snapshot: the state after folding every event before `position`.
 *
 * @category models
 * @since 0.2.0
 */
export interface Checkpoint {
  /** The next position to read; at least 1 (an empty fold is never saved). */
  readonly position: number
  /** The hash of the event at `position - 1`: what ties the checkpoint to this very log. */
  readonly hash: string
  /**
   * The state as structured-clone bytes (`node:v8` `serialize`): `Map`s, `Set`s, `undefined` and
   * dates survive, and reading them back is native (about 8× faster than `SnapshotJson.parse`).
   */
  readonly state: Uint8Array
}

/**
 * One row kept under a checkpoint: its id and its bytes.
 *
 * @category models
 * @since 0.3.0
 */
export type Row = readonly [id: string, bytes: Uint8Array]

/**
 * Rows kept under a checkpoint, read and written by id (ADR 0046): a state too large to load
 * whole for a short catch-up keeps its entities as rows, so the catch-up reads and writes only
 * the rows the new events touch. The checkpoint itself then holds the small rest of the state.
 *
 * @category models
 * @since 0.3.0
 */
export interface CheckpointRows {
  /** The rows of `ids` kept under `key`, those that exist, in any order. */
  readonly load: (
    key: CheckpointKey,
    ids: ReadonlyArray<string>
  ) => Effect.Effect<ReadonlyArray<Row>, EventStoreError>
  /**
   * A page of the rows kept under `key`: those whose id comes after `after` (from the first when
   * `undefined`), in the store's own order of ids, at most `limit` of them. Paging on the last id
   * of each page reads every row once. Optional: without it, a reader that needs every row (new
   * sums over rows kept, ADR 0050) builds them again instead.
   */
  readonly scan?: (
    key: CheckpointKey,
    after: string | undefined,
    limit: number
  ) => Effect.Effect<ReadonlyArray<Row>, EventStoreError>
  /**
   * In one transaction: saves (replaces) the checkpoint of `key` and writes `rows` under it,
   * replacing rows of the same id; with `replace`, first deletes every row kept under `key` (a
   * state built again from zero). The rows of a checkpoint go when it goes (evicted, cleared).
   *
   * `rows` is read once, in order, inside the transaction: a caller may produce them lazily (a
   * generator over a lent state), so that no store needs the whole set in memory at once. If
   * reading it fails, nothing is saved. Rows in ascending id order (code units) are written
   * fastest by the durable stores (each insert lands at the end of the index).
   */
  readonly save: (
    key: CheckpointKey,
    checkpoint: Checkpoint,
    rows: Iterable<Row>,
    options?: { readonly replace?: boolean }
  ) => Effect.Effect<void, EventStoreError>
}

/**
 * What a checkpoint store offers.
 *
 * @category models
 * @since 0.2.0
 */
export interface ProjectionCheckpointsShape {
  /** False for {@link none}: runs skip every checkpoint step. */
  readonly enabled: boolean
  /**
   * Saving policy: a run saves when it read at least this many events past the checkpoint it
   * started from, and at least one per KiB of that checkpoint's state, so a large state is not
   * rewritten for a short tail (a run that started from zero always saves).
   */
  readonly saveEvery: number
  readonly load: (key: CheckpointKey) => Effect.Effect<Checkpoint | undefined, EventStoreError>
  /**
   * The position and hash of the checkpoint of `key`, without reading its state: what a live
   * state held in memory is checked against before each run (see `LiveStates`). Optional: without
   * it, no live state is kept.
   */
  readonly peek?: (
    key: CheckpointKey
  ) => Effect.Effect<Omit<Checkpoint, "state"> | undefined, EventStoreError>
  /** Saves (replaces) the checkpoint of `key`. */
  readonly save: (key: CheckpointKey, checkpoint: Checkpoint) => Effect.Effect<void, EventStoreError>
  /** How many checkpoints are held. */
  readonly count: Effect.Effect<number, EventStoreError>
  /** Rows kept under checkpoints (optional: a store without them keeps whole states only). */
  readonly rows?: CheckpointRows
  /**
   * Deletes every checkpoint so that no byte of any state is left (erasure, `utblick rebuild`);
   * the next runs replay from zero.
   */
  readonly clear: Effect.Effect<void, EventStoreError>
}

/**
 * The default saving policy: rewrite a checkpoint once a run has read 1,000 events past it.
 * Below that, catching up costs less than writing the state again.
 *
 * @category constants
 * @since 0.2.0
 */
export const DEFAULT_SAVE_EVERY = 1000

/**
 * The default bound on the snapshots a store keeps: saving one more drops the least recently
 * saved. Every distinct time filter (each `knownAt` instant an HTTP client sends) makes a
 * snapshot, so without a bound the table would grow with the queries, not with the log.
 *
 * @category constants
 * @since 0.2.0
 */
export const DEFAULT_MAX_SNAPSHOTS = 64

/**
 * No persistence: every run replays from zero (the default).
 *
 * @category utils
 * @since 0.2.0
 */
export const none: ProjectionCheckpointsShape = {
  enabled: false,
  saveEvery: Number.POSITIVE_INFINITY,
  load: () => Effect.succeed(undefined),
  save: () => Effect.void,
  count: Effect.succeed(0),
  clear: Effect.void
}

/**
 * The checkpoint store the projection runtime uses; {@link none} unless a layer provides one.
 *
 * @category services
 * @since 0.2.0
 */
export const ProjectionCheckpoints = Context.Reference<ProjectionCheckpointsShape>(
  "~utblick/core/ProjectionCheckpoints",
  { defaultValue: () => none }
)

/**
 * One key per time filter, independent of key order and of absent vs. undefined fields.
 *
 * @category utils
 * @since 0.2.0
 */
export const filterKey = (filter: {
  readonly asOf?: string | undefined
  readonly knownAt?: string | undefined
  readonly tenant?: string | undefined
}): string =>
  CanonicalJson.canonicalize({
    ...(filter.asOf === undefined ? {} : { asOf: filter.asOf }),
    ...(filter.knownAt === undefined ? {} : { knownAt: filter.knownAt }),
    ...(filter.tenant === undefined ? {} : { tenant: filter.tenant })
  })

/**
 * A short, fixed-length id of a checkpoint key (the first 128 bits of the SHA-256 of its parts, in
 * hex), under which durable stores keep the checkpoint's rows: every row repeats it in the rows
 * table's key, which a time filter's canonical text (often over 100 bytes) would make several
 * times larger and slower to write.
 *
 * @category utils
 * @since 0.3.0
 */
export const keyId = (key: CheckpointKey): string =>
  hashOnce("sha256", `${key.projection}\u0000${key.version}\u0000${key.filter}`, "hex").slice(0, 32)

/**
 * The size of the pieces a durable store keeps a large state in: the most it binds or reads as
 * one value (SQLite copies a bound value twice while writing it; PostgreSQL's driver refuses a
 * message over 16 MiB).
 *
 * @category constants
 * @since 0.3.0
 */
export const PIECE_BYTES = 1024 * 1024

/**
 * A state cut into pieces of {@link PIECE_BYTES} (the last shorter), as views of its bytes, not
 * copies: the first goes in the checkpoint's own row, the rest in order beside it. An empty state
 * is one empty piece.
 *
 * @category utils
 * @since 0.3.0
 */
export const pieces = (state: Uint8Array): ReadonlyArray<Buffer> => {
  const cut: Array<Buffer> = []
  for (let from = 0; from === 0 || from < state.byteLength; from += PIECE_BYTES) {
    cut.push(
      Buffer.from(state.buffer, state.byteOffset + from, Math.min(PIECE_BYTES, state.byteLength - from))
    )
  }
  return cut
}

/**
 * Checkpoints held in this process's memory, as bytes (so no run can alter a saved state through a
 * reference it still holds). For the in-memory store, and for long-lived services.
 *
 * @category constructors
 * @since 0.2.0
 */
export const makeMemory = (
  options: { readonly saveEvery?: number; readonly maxSnapshots?: number } = {}
): ProjectionCheckpointsShape => {
  const saved = new Map<string, Checkpoint>()
  const rowsOf = new Map<string, Map<string, Uint8Array>>()
  // Each key's row ids in order, for scans: made on the first page, dropped when the rows change.
  const sortedOf = new WeakMap<Map<string, Uint8Array>, Array<string>>()
  const max = options.maxSnapshots ?? DEFAULT_MAX_SNAPSHOTS
  const id = (key: CheckpointKey) => `${key.projection}\u0000${key.version}\u0000${key.filter}`
  const save = (key: CheckpointKey, checkpoint: Checkpoint) => {
    // A Map iterates in insertion order: re-inserting makes this the most recently saved.
    saved.delete(id(key))
    saved.set(id(key), checkpoint)
    for (const oldest of saved.keys()) {
      if (saved.size <= max) break
      saved.delete(oldest)
      rowsOf.delete(oldest)
    }
  }
  // Copies in and out, as the checkpoints are bytes: no caller can alter what another reads.
  const copy = (bytes: Uint8Array) => Uint8Array.from(bytes)
  return {
    enabled: true,
    saveEvery: options.saveEvery ?? DEFAULT_SAVE_EVERY,
    load: (key) => Effect.sync(() => saved.get(id(key))),
    peek: (key) =>
      Effect.sync(() => {
        const found = saved.get(id(key))
        return found === undefined ? undefined : { position: found.position, hash: found.hash }
      }),
    save: (key, checkpoint) => Effect.sync(() => save(key, checkpoint)),
    count: Effect.sync(() => saved.size),
    clear: Effect.sync(() => {
      saved.clear()
      rowsOf.clear()
    }),
    rows: {
      load: (key, ids) =>
        Effect.sync(() => {
          const kept = rowsOf.get(id(key))
          if (kept === undefined) return []
          const found: Array<Row> = []
          for (const rowId of ids) {
            const bytes = kept.get(rowId)
            if (bytes !== undefined) found.push([rowId, copy(bytes)])
          }
          return found
        }),
      scan: (key, after, limit) =>
        Effect.sync(() => {
          const kept = rowsOf.get(id(key))
          if (kept === undefined) return []
          // Code-unit order, as `<` compares strings; sorted once for a whole scan (until a save).
          let ids = sortedOf.get(kept)
          if (ids === undefined) {
            ids = [...kept.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
            sortedOf.set(kept, ids)
          }
          // The first id after `after`.
          let lo = 0
          let hi = ids.length
          while (after !== undefined && lo < hi) {
            const mid = (lo + hi) >>> 1
            if ((ids[mid] as string) > after) hi = mid
            else lo = mid + 1
          }
          return ids
            .slice(lo, lo + Math.max(0, limit))
            .map((rowId): Row => [rowId, copy(kept.get(rowId) as Uint8Array)])
        }),
      save: (key, checkpoint, rows, saveOptions) =>
        Effect.sync(() => {
          // Read whole before anything changes: a producer that fails midway leaves all as it was.
          const given = Array.from(rows, ([rowId, bytes]) => [rowId, copy(bytes)] as const)
          let kept = rowsOf.get(id(key))
          if (kept === undefined || saveOptions?.replace === true) kept = new Map()
          for (const [rowId, bytes] of given) kept.set(rowId, bytes)
          sortedOf.delete(kept)
          save(key, checkpoint)
          rowsOf.set(id(key), kept)
        })
    }
  }
}

/**
 * A layer of in-memory checkpoints (see {@link makeMemory}).
 *
 * @category layers
 * @since 0.2.0
 */
export const layerMemory = (options: { readonly saveEvery?: number; readonly maxSnapshots?: number } = {}) =>
  Layer.sync(ProjectionCheckpoints, () => makeMemory(options))
