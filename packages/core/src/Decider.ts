/**
 * Deciders: the pure heart of every aggregate. `decide(command, state)` returns the events the
 * command causes or a typed domain error; `evolve(state, event)` applies one event; folding
 * `evolve` over a stream's events from `initialState()` rebuilds the state.
 *
 * {@link makeCommandHandler} wires a decider to an {@link EventStore.EventStore}: it loads the
 * stream, decides, appends with the loaded version as the expected version and, when another
 * writer got there first, reloads and decides again a bounded number of times.
 *
 * @since 0.1.0
 */
import { Effect, Result } from "effect"
import type { AppendResult } from "./AppendPlanner.js"
import type { Actor, EventToAppend } from "./Envelope.js"
import type { EventCatalog, EventDecodeError, EventEncodeError } from "./EventCatalog.js"
import { EventStore } from "./EventStore.js"
import type { EventStoreError } from "./EventStoreError.js"

/**
 * A decider over commands `C`, events `E`, state `S` and domain errors `Err`.
 *
 * @category models
 * @since 0.1.0
 */
export interface Decider<C, E, S, Err> {
  readonly name: string
  readonly initialState: () => S
  readonly evolve: (state: S, event: E) => S
  readonly decide: (command: C, state: S) => Effect.Effect<ReadonlyArray<E>, Err>
}

/**
 * Builds a decider; the identity function that gives the four parts their types.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = <C, E, S, Err>(decider: Decider<C, E, S, Err>): Decider<C, E, S, Err> => decider

/**
 * Folds `evolve` over events from the initial state.
 *
 * @category constructors
 * @since 0.1.0
 */
export const fold = <C, E, S, Err>(decider: Decider<C, E, S, Err>, events: Iterable<E>): S => {
  let state = decider.initialState()
  for (const event of events) state = decider.evolve(state, event)
  return state
}

/**
 * Decides synchronously (deciders are pure, so their effects are synchronous): the events or the
 * domain error, as a `Result`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const decideSync = <C, E, S, Err>(
  decider: Decider<C, E, S, Err>,
  command: C,
  state: S
): Result.Result<ReadonlyArray<E>, Err> => Effect.runSync(Effect.result(decider.decide(command, state)))

/**
 * Who, when, why and for whom a command was given; copied into the envelope of every event it
 * causes.
 *
 * @category models
 * @since 0.1.0
 */
export interface CommandMetadata {
  readonly tenant: string
  readonly actor: Actor
  /** Business time: the date of the decision, signature or trip. */
  readonly occurredAt: string
  /** The case number (diarienummer), when the command is a formal decision. */
  readonly decisionRef?: string | null
  readonly correlationId?: string
  readonly causationId?: string | null
}

/**
 * What handling one command produced.
 *
 * @category models
 * @since 0.1.0
 */
export interface HandleResult<E, S> {
  readonly streamId: string
  readonly events: ReadonlyArray<E>
  readonly state: S
  readonly append: AppendResult
  /** How many times the command was decided (1 unless another writer raced it). */
  readonly attempts: number
}

/**
 * Options of {@link makeCommandHandler}.
 *
 * @category models
 * @since 0.1.0
 */
export interface CommandHandlerOptions<C, E extends { readonly _tag: string }, S, Err> {
  readonly decider: Decider<C, E, S, Err>
  readonly catalog: EventCatalog<E>
  readonly streamId: (command: C) => string
  readonly metadata: (command: C) => CommandMetadata
  /** How many times to decide before giving up on a contended stream; default 5. */
  readonly maxAttempts?: number
}

/**
 * Wires a decider to the event store.
 *
 * **Details**
 *
 * Each attempt reads the stream, folds it, decides, and appends with the stream's version as
 * the expected version. A `ConcurrencyConflict` triggers a fresh attempt; after `maxAttempts`
 * the conflict is returned. Domain errors and other store errors are returned at once and
 * nothing is written.
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeCommandHandler = <C, E extends { readonly _tag: string }, S, Err>(
  options: CommandHandlerOptions<C, E, S, Err>
) => {
  const { decider, catalog } = options
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5)
  return (
    command: C
  ): Effect.Effect<HandleResult<E, S>, Err | EventStoreError | EventDecodeError | EventEncodeError, EventStore> =>
    Effect.gen(function* () {
      const store = yield* EventStore
      const streamId = options.streamId(command)
      const meta = options.metadata(command)
      let attempt = 0
      while (true) {
        attempt += 1
        const stored = yield* store.readStream(streamId)
        let state = decider.initialState()
        for (const event of stored) {
          const decoded = catalog.decode(event)
          if (Result.isFailure(decoded)) return yield* Effect.fail(decoded.failure)
          state = decider.evolve(state, decoded.success)
        }
        const events = yield* decider.decide(command, state)
        const toAppend: Array<EventToAppend> = []
        for (const event of events) {
          const encoded = catalog.encode(event)
          if (Result.isFailure(encoded)) return yield* Effect.fail(encoded.failure)
          toAppend.push({
            ...encoded.success,
            occurredAt: meta.occurredAt,
            tenant: meta.tenant,
            actor: meta.actor,
            decisionRef: meta.decisionRef ?? null,
            ...(meta.correlationId === undefined ? {} : { correlationId: meta.correlationId }),
            causationId: meta.causationId ?? null
          })
        }
        const appended = yield* store
          .append(streamId, toAppend, { expectedVersion: stored.length === 0 ? "no-stream" : stored.length })
          .pipe(Effect.result)
        if (Result.isSuccess(appended)) {
          let next = state
          for (const event of events) next = decider.evolve(next, event)
          return { streamId, events, state: next, append: appended.success, attempts: attempt }
        }
        const error = appended.failure
        if (error.reason._tag !== "ConcurrencyConflict" || attempt >= maxAttempts) return yield* Effect.fail(error)
      }
    })
}
