/**
 * Projection states kept live in a long-running process between runs: a service that answers
 * report after report (the facade, an HTTP service) folds only the events appended since its
 * last run into the state it already holds, instead of reading and deserialising its persisted
 * snapshot each time (ADR 0042).
 *
 * **Details**
 *
 * A live state is only ever lent: `Projection.runManyWith` takes it out of this holder, folds the
 * new events into it, hands it to the caller's synchronous `use`, and puts it back. A state is
 * therefore never shared with a caller that could keep it, and two runs of the same key never
 * fold into one object at once (the second finds the holder empty and resumes from the persisted
 * snapshot, as without this service).
 *
 * A live state is tied to the persisted checkpoint it last agreed with (its `basis`): before it is
 * used, the checkpoint store is asked for that checkpoint's position and hash without its state.
 * A checkpoint deleted by another process (`utblick forget`, `utblick rebuild`) or replaced by a
 * newer one drops the live state, and so does a log whose hash at the state's position changed.
 * So erasure and rebuilds reach a running service at its next run.
 *
 * The default is {@link none}: nothing is kept, every run resumes from its persisted snapshot.
 *
 * @since 0.2.0
 */
import { Context, Layer } from "effect"
import type { CheckpointKey } from "./ProjectionCheckpoints.js"

/**
 * The persisted checkpoint a live state agrees with: its position and hash, and the size of its
 * saved state (what the saving policy weighs a rewrite against).
 *
 * @category models
 * @since 0.2.0
 */
export interface Basis {
  readonly position: number
  readonly hash: string
  readonly bytes: number
}

/**
 * One live state: the fold of every event before `position` (the event at `position - 1` has
 * `hash`), and the persisted checkpoint it was last tied to.
 *
 * @category models
 * @since 0.2.0
 */
export interface LiveState {
  readonly position: number
  readonly hash: string
  readonly state: unknown
  readonly basis: Basis
}

/**
 * What a holder of live states offers.
 *
 * @category models
 * @since 0.2.0
 */
export interface LiveStatesShape {
  /** False for {@link none}: runs neither take nor keep live states. */
  readonly enabled: boolean
  /** Removes and returns the live state of `key`: the caller owns it until it puts it back. */
  readonly take: (key: CheckpointKey) => LiveState | undefined
  /** Keeps `live` as the state of `key`, dropping the least recently kept beyond the bound. */
  readonly put: (key: CheckpointKey, live: LiveState) => void
  /** How many states are held. */
  readonly size: () => number
  /** Drops every live state. */
  readonly clear: () => void
}

/**
 * The default bound on live states: each is a whole read-model state in memory (hundreds of MB
 * for a million events), so a service keeps the few filters its reports ask for.
 *
 * @category constants
 * @since 0.2.0
 */
export const DEFAULT_MAX_STATES = 4

/**
 * Keeps nothing (the default).
 *
 * @category utils
 * @since 0.2.0
 */
export const none: LiveStatesShape = {
  enabled: false,
  take: () => undefined,
  put: () => undefined,
  size: () => 0,
  clear: () => undefined
}

/**
 * The holder the projection runtime uses; {@link none} unless a layer provides one.
 *
 * @category services
 * @since 0.2.0
 */
export const LiveStates = Context.Reference<LiveStatesShape>("~utblick/core/LiveStates", {
  defaultValue: () => none
})

const idOf = (key: CheckpointKey) => `${key.projection}\u0000${key.version}\u0000${key.filter}`

/**
 * A holder of at most `maxStates` live states (default {@link DEFAULT_MAX_STATES}), least
 * recently kept dropped first.
 *
 * @category constructors
 * @since 0.2.0
 */
export const make = (options: { readonly maxStates?: number } = {}): LiveStatesShape => {
  const max = options.maxStates ?? DEFAULT_MAX_STATES
  const held = new Map<string, LiveState>()
  return {
    enabled: max > 0,
    take: (key) => {
      const id = idOf(key)
      const live = held.get(id)
      held.delete(id)
      return live
    },
    put: (key, live) => {
      const id = idOf(key)
      // A Map iterates in insertion order: re-inserting makes this the most recently kept.
      held.delete(id)
      held.set(id, live)
      for (const oldest of held.keys()) {
        if (held.size <= max) break
        held.delete(oldest)
      }
    },
    size: () => held.size,
    clear: () => held.clear()
  }
}

/**
 * A layer holding live states for the life of the process (see {@link make}).
 *
 * @category layers
 * @since 0.2.0
 */
export const layer = (options: { readonly maxStates?: number } = {}) =>
  Layer.sync(LiveStates, () => make(options))
