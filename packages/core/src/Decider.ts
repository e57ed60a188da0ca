/**
 * Deciders: the pure heart of every aggregate. `decide(command, state)` returns the events the
 * command causes or a typed domain error; `evolve(state, event)` applies one event; folding
 * `evolve` over a stream's events from `initialState()` rebuilds the state.
 *
 * {@link makeCommandHandler} wires a decider to an {@link EventStore.EventStore}: it loads the
 * stream, decides, appends with the loaded version as the expected version and, when another
 * writer got there first, reloads and decides again a bounded number of times.
 * {@link makeMultiStreamHandler} does the same for a decision that reads and writes several
 * streams (a grant and its year's budget): every stream it read is appended in one
 * all-or-nothing `appendMany` with the version it was read at.
 *
 * @since 0.1.0
 */
import { Effect, Result } from "effect"
import type { AppendResult, StreamWrite } from "./AppendPlanner.js"
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
 * @category folding
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
 * @category deciding
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
        const toAppend = yield* encodeAll(catalog, events, meta)
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

// Every event a command causes carries the command's envelope fields.
const encodeAll = <E extends { readonly _tag: string }>(
  catalog: EventCatalog<E>,
  events: ReadonlyArray<E>,
  meta: CommandMetadata
): Effect.Effect<Array<EventToAppend>, EventEncodeError> => {
  const out: Array<EventToAppend> = []
  for (const event of events) {
    const encoded = catalog.encode(event)
    if (Result.isFailure(encoded)) return Effect.fail(encoded.failure)
    out.push({
      ...encoded.success,
      occurredAt: meta.occurredAt,
      tenant: meta.tenant,
      actor: meta.actor,
      decisionRef: meta.decisionRef ?? null,
      ...(meta.correlationId === undefined ? {} : { correlationId: meta.correlationId }),
      causationId: meta.causationId ?? null
    })
  }
  return Effect.succeed(out)
}

/**
 * How a multi-stream decision reads the streams it needs: each `load` reads one stream, folds it
 * with the given aggregate's `initialState` and `evolve`, and remembers the version it was read
 * at, which becomes that stream's expected version when the decision is appended.
 *
 * @category models
 * @since 0.2.0
 */
export interface StreamReader<E> {
  readonly load: <S>(
    streamId: string,
    aggregate: { readonly initialState: () => S; readonly evolve: (state: S, event: E) => S }
  ) => Effect.Effect<S, EventStoreError | EventDecodeError>
}

/**
 * What a multi-stream decision writes: the events for each stream it read, in append order.
 *
 * @category models
 * @since 0.2.0
 */
export interface MultiStreamDecision<E> {
  readonly writes: ReadonlyArray<{ readonly streamId: string; readonly events: ReadonlyArray<E> }>
}

/**
 * Options of {@link makeMultiStreamHandler}.
 *
 * @category models
 * @since 0.2.0
 */
export interface MultiStreamHandlerOptions<C, E extends { readonly _tag: string }, D extends MultiStreamDecision<E>, Err> {
  readonly catalog: EventCatalog<E>
  readonly metadata: (command: C) => CommandMetadata
  /** Reads what the command needs through `read` (streams may depend on states read before) and decides. */
  readonly decide: (command: C, read: StreamReader<E>) => Effect.Effect<D, Err | EventStoreError | EventDecodeError>
  /** How many times to decide before giving up on a contended stream; default 5. */
  readonly maxAttempts?: number
}

/**
 * A stream was written by a multi-stream decision without being read first, so there is no
 * version to expect: a bug in the decision, not a condition to handle.
 *
 * @category errors
 * @since 0.2.0
 */
export class UnreadStreamWritten extends Error {
  readonly streamId: string
  constructor(streamId: string) {
    super(`a multi-stream decision wrote stream "${streamId}" without reading it first`)
    this.streamId = streamId
  }
}

/**
 * Wires a decision over several streams to the event store.
 *
 * **Details**
 *
 * Each attempt lets `decide` read the streams it needs, then appends every stream's events in
 * one `appendMany`, each with the version at which it was read, so no stream the decision
 * depended on can change underneath it. A `ConcurrencyConflict` on any of them triggers a fresh
 * attempt (everything is read again); after `maxAttempts` the conflict is returned. Domain
 * errors and other store errors are returned at once and nothing is written.
 *
 * @category constructors
 * @since 0.2.0
 */
export const makeMultiStreamHandler = <C, E extends { readonly _tag: string }, D extends MultiStreamDecision<E>, Err>(
  options: MultiStreamHandlerOptions<C, E, D, Err>
) => {
  const { catalog } = options
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5)
  return (
    command: C
  ): Effect.Effect<
    D & { readonly appended: ReadonlyArray<AppendResult>; readonly attempts: number },
    Err | EventStoreError | EventDecodeError | EventEncodeError,
    EventStore
  > =>
    Effect.gen(function* () {
      const store = yield* EventStore
      const meta = options.metadata(command)
      let attempt = 0
      while (true) {
        attempt += 1
        const versions = new Map<string, number>()
        const read: StreamReader<E> = {
          load: (streamId, aggregate) =>
            Effect.flatMap(store.readStream(streamId), (stored) => {
              let state = aggregate.initialState()
              for (const event of stored) {
                const decoded = catalog.decode(event)
                if (Result.isFailure(decoded)) return Effect.fail(decoded.failure)
                state = aggregate.evolve(state, decoded.success)
              }
              versions.set(streamId, stored.length)
              return Effect.succeed(state)
            })
        }
        const decision = yield* options.decide(command, read)
        const writes: Array<StreamWrite> = []
        for (const { streamId, events } of decision.writes) {
          const version = versions.get(streamId)
          if (version === undefined) return yield* Effect.die(new UnreadStreamWritten(streamId))
          writes.push({
            streamId,
            events: yield* encodeAll(catalog, events, meta),
            expectedVersion: version === 0 ? "no-stream" : version
          })
        }
        const appended = yield* store.appendMany(writes).pipe(Effect.result)
        if (Result.isSuccess(appended)) return { ...decision, appended: appended.success, attempts: attempt }
        const error = appended.failure
        if (error.reason._tag !== "ConcurrencyConflict" || attempt >= maxAttempts) return yield* Effect.fail(error)
      }
    })
}
