/**
 * Where a projection run starts and what it leaves behind: the persisted checkpoint when it still
 * belongs to this log, the live state when it still holds, and the policy of when a run saves its
 * state (ADR 0035, ADR 0042). `Projection`'s runs share it.
 */
import { deserialize, serialize } from "node:v8"
import { Effect, Stream } from "effect"
import type { EventStoreShape } from "../EventStore.js"
import type { EventStoreError } from "../EventStoreError.js"
import type { Basis, LiveStatesShape } from "../LiveStates.js"
import { type CheckpointKey, filterKey, type ProjectionCheckpointsShape } from "../ProjectionCheckpoints.js"

/** The checkpoint key of a projection version under a (normalised) time filter. */
export const keyOf = (
  projection: { readonly name: string; readonly version: number },
  filter: Parameters<typeof filterKey>[0]
): CheckpointKey => ({
  projection: projection.name,
  version: projection.version,
  filter: filterKey(filter)
})

// Whether a checkpoint belongs to this very log: the event before its position must still be
// there with the hash it had. A restored, replaced or truncated log fails this and is replayed.
const belongsToLog = (store: EventStoreShape, position: number, hash: string) =>
  Effect.gen(function* () {
    const head = yield* store.head
    if (position > head.size) return false
    if (position === head.size) return head.lastHash === hash
    let found: string | undefined
    yield* store.readAll({ fromPosition: position - 1, toPosition: position }).pipe(
      Stream.runForEachArray((chunk) => {
        const event = chunk[0]
        if (found === undefined && event !== undefined && event.position === position - 1) found = event.hash
        return Effect.void
      })
    )
    return found === hash
  })

/** A run's starting point taken from a checkpoint or a live state. */
export interface Resumed<S> {
  readonly position: number
  readonly hash: string
  readonly state: S
  /** The size of the saved state: what rewriting it costs (see `persist`). */
  readonly bytes: number
}

/**
 * The persisted state of `key`, when there is one that belongs to this log and parses; anything
 * else (absent, unreadable, of another log) means replaying from zero.
 */
export const resume = <S>(
  store: EventStoreShape,
  checkpoints: ProjectionCheckpointsShape,
  key: CheckpointKey
): Effect.Effect<Resumed<S> | undefined, EventStoreError> =>
  Effect.gen(function* () {
    const found = yield* checkpoints.load(key).pipe(Effect.orElseSucceed(() => undefined))
    if (found === undefined || found.position < 1) return undefined
    if (!(yield* belongsToLog(store, found.position, found.hash))) return undefined
    try {
      return {
        position: found.position,
        hash: found.hash,
        state: deserialize(found.state) as S,
        bytes: found.state.byteLength
      }
    } catch {
      return undefined
    }
  })

/**
 * Saves after a run when the policy says so: always after a run from zero; after a catch-up once
 * the tail it read reaches `saveEvery` events AND one event per KiB of the saved state. Measured on
 * the 1M-event benchmark, rewriting a state costs about as much as folding one event per ~125 bytes
 * of it (42.6 MB took seconds to write; a replay folds ~70k events/s), so the tail that every run
 * folds again stays below ~1/8 of a rewrite. A state that cannot be serialised (a function, a class
 * with private fields) and a failed save are skipped: checkpoints are a cache. Gives the saved
 * checkpoint's basis, or `undefined` when nothing was saved.
 */
export const persist = (
  checkpoints: ProjectionCheckpointsShape,
  key: CheckpointKey,
  resumed: Omit<Basis, "hash"> | undefined,
  position: number,
  hash: string | undefined,
  state: unknown
): Effect.Effect<Basis | undefined> =>
  hash === undefined ||
  position < 1 ||
  (resumed !== undefined && position - resumed.position < Math.max(checkpoints.saveEvery, Math.ceil(resumed.bytes / 1024)))
    ? Effect.succeed(undefined)
    : Effect.try({ try: () => serialize(state), catch: (cause) => cause }).pipe(
        Effect.flatMap((bytes) =>
          Effect.as(checkpoints.save(key, { position, hash, state: bytes }), { position, hash, bytes: bytes.byteLength })
        ),
        Effect.orElseSucceed(() => undefined)
      )

/**
 * The live state of `key` when it still holds: its persisted checkpoint is the one it was tied to
 * (not deleted by a forget or rebuild, not replaced by another process's run) and the log still
 * has its last event's hash. Anything else drops it.
 */
export const takeLive = <S>(
  store: EventStoreShape,
  checkpoints: ProjectionCheckpointsShape,
  live: LiveStatesShape,
  key: CheckpointKey
): Effect.Effect<(Resumed<S> & { readonly basis: Basis }) | undefined, EventStoreError> =>
  Effect.gen(function* () {
    const taken = live.take(key)
    if (taken === undefined || checkpoints.peek === undefined) return undefined
    const current = yield* checkpoints.peek(key).pipe(Effect.orElseSucceed(() => undefined))
    if (current === undefined || current.position !== taken.basis.position || current.hash !== taken.basis.hash)
      return undefined
    if (!(yield* belongsToLog(store, taken.position, taken.hash))) return undefined
    return { position: taken.position, hash: taken.hash, state: taken.state as S, bytes: taken.basis.bytes, basis: taken.basis }
  })
