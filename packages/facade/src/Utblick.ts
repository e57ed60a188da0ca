/**
 * `createUtblick`: Utblick as plain async functions, for services that do not use Effect.
 *
 * Every call runs on one `ManagedRuntime` built from the chosen store's layer, so the SQLite file
 * or PostgreSQL pool is opened once and shared; `close()` disposes the runtime, which closes it.
 *
 * @since 0.1.0
 */
import { EventStore } from "@utblick/core"
import type { StoredEvent } from "@utblick/core/Envelope"
import type { Agreements, Memberships, ReadModels } from "@utblick/projections"
import { Effect, Exit, Fiber, ManagedRuntime, Stream } from "effect"
import * as Commands from "./Commands.js"
import * as Queries from "./Queries.js"
import * as Store from "./Store.js"
import { fromCause, UtblickError } from "./UtblickError.js"

/**
 * A live subscription from {@link Utblick.subscribe}.
 *
 * @category models
 * @since 0.2.0
 */
export interface Subscription {
  /** Stops delivery; resolves once no listener call is running. Safe to call twice. */
  readonly close: () => Promise<void>
}

/**
 * Options of {@link Utblick.subscribe}.
 *
 * @category models
 * @since 0.2.0
 */
export interface SubscribeOptions {
  /** The first position to deliver (0, the start of the log, by default). */
  readonly fromPosition?: number
  /**
   * Called once if delivery stops because of an error: the store failed, or the listener threw or
   * rejected (as an `INTERNAL` error whose `cause` is what it threw). Without it the error is lost.
   */
  readonly onError?: (error: UtblickError) => void
}

/**
 * Options of {@link createUtblick}.
 *
 * @category models
 * @since 0.1.0
 */
export interface CreateOptions {
  /** Which store to use; see `Store.StoreOptions`. */
  readonly store: Store.StoreOptions
}

/**
 * A running Utblick: every function returns a Promise and rejects only with an
 * {@link UtblickError}.
 *
 * @category models
 * @since 0.1.0
 */
export interface Utblick {
  /**
   * Decides one domain command and appends its events. The input is typed as the union of every
   * command's encoded shape (a misspelt `_tag` or field is a compile error) and is still decoded at
   * run time, so JSON from an HTTP body or a queue is checked the same way.
   */
  readonly execute: (command: Commands.CommandInput) => Promise<Commands.ExecuteResult>
  /**
   * `execute` for input whose shape is not known at compile time (an HTTP body, a queue message):
   * the same run-time decoding, which rejects a bad shape with `INVALID_INPUT` naming the field.
   */
  readonly executeJson: (input: unknown) => Promise<Commands.ExecuteResult>
  /** Every read model, as of the options, with the log position it covers. */
  readonly readModels: (
    options?: Queries.QueryOptions
  ) => Promise<{ readonly position: number; readonly state: ReadModels.ReadModelsState }>
  /** Memberships with organisation names, sorted by join date. */
  readonly memberships: (
    options?: Queries.QueryOptions & { readonly activeOnly?: boolean; readonly actorId?: string }
  ) => Promise<ReadonlyArray<Memberships.MembershipView>>
  /** Agreements, twin towns and intents, sorted by title. */
  readonly agreements: (
    options?: Queries.QueryOptions & { readonly kind?: string; readonly status?: Agreements.AgreementStatus }
  ) => Promise<ReadonlyArray<Agreements.AgreementRecord>>
  /** A year of the funding portfolio (amounts in öre). */
  readonly portfolio: (year: number, options?: Queries.QueryOptions) => Promise<Queries.PortfolioYear>
  /** A year of trips with totals. */
  readonly trips: (year: number, options?: Queries.QueryOptions) => Promise<Queries.TripsYear>
  /** Every indicator of a year, by default as of 31 December of that year. */
  readonly indicators: (year: number, options?: Queries.IndicatorOptions) => Promise<Queries.YearIndicators>
  /** Two years side by side. */
  readonly compare: (
    years: readonly [number, number],
    options?: Omit<Queries.IndicatorOptions, "asOf">
  ) => Promise<Queries.Comparison>
  /**
   * Delivers every stored event from `fromPosition` on, then each new one as it is appended (by
   * this instance or, for SQLite and PostgreSQL, by another process), one at a time and in log
   * order: the next event waits until the listener's promise settles.
   */
  readonly subscribe: (
    listener: (event: StoredEvent) => void | Promise<void>,
    options?: SubscribeOptions
  ) => Promise<Subscription>
  /** Runs any Effect that needs the store on this instance's runtime (the Effect escape hatch). */
  readonly run: <A, E>(effect: Effect.Effect<A, E, EventStore.EventStore>) => Promise<A>
  /** Releases the store (closes the SQLite file or the PostgreSQL pool). Safe to call twice. */
  readonly close: () => Promise<void>
}

const commandTagOf = (input: unknown): string | undefined =>
  input !== null && typeof input === "object" && typeof (input as { _tag?: unknown })._tag === "string"
    ? (input as { _tag: string })._tag
    : undefined

const closedError = () =>
  new UtblickError("this Utblick instance is closed; create a new one with createUtblick", {
    code: "CLOSED",
    tag: "UtblickClosed",
    retryable: false
  })

/**
 * Opens a store and returns Utblick as plain async functions.
 *
 * **Details**
 *
 * The store is opened before the Promise resolves, so a missing PostgreSQL server or an
 * unwritable SQLite path rejects here with `STORE_UNAVAILABLE` rather than on the first command.
 *
 * @example
 * ```ts
 * import { createUtblick } from "@utblick/facade"
 *
 * const utblick = await createUtblick({ store: { kind: "sqlite", filename: "utblick.db" } })
 * try {
 *   await utblick.execute({ _tag: "SignMembership", ... })
 *   console.log(await utblick.memberships({ tenant: "lulea-kommun" }))
 * } finally {
 *   await utblick.close()
 * }
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const createUtblick = async (options: CreateOptions): Promise<Utblick> => {
  const runtime = ManagedRuntime.make(Store.layer(options.store))
  const opened = await runtime.runPromiseExit(Effect.void)
  if (Exit.isFailure(opened)) {
    await runtime.dispose()
    throw fromCause(opened.cause)
  }
  let closed = false
  const subscriptions = new Set<Fiber.Fiber<void, unknown>>()

  const run = async <A, E>(effect: Effect.Effect<A, E, EventStore.EventStore>, command?: string): Promise<A> => {
    if (closed) throw closedError()
    const exit = await runtime.runPromiseExit(effect)
    if (Exit.isSuccess(exit)) return exit.value
    throw fromCause(exit.cause, command)
  }

  return {
    execute: (command) => run(Commands.execute(command), command._tag),
    executeJson: (input) => run(Commands.execute(input), commandTagOf(input)),
    readModels: (query) =>
      run(Effect.map(Queries.readModels(query), (snapshot) => ({ position: snapshot.position, state: snapshot.state }))),
    memberships: (query) => run(Queries.memberships(query)),
    agreements: (query) => run(Queries.agreements(query)),
    portfolio: (year, query) => run(Queries.portfolio(year, query)),
    trips: (year, query) => run(Queries.trips(year, query)),
    indicators: (year, query) => run(Queries.indicators(year, query)),
    compare: (years, query) => run(Queries.compare(years, query)),
    subscribe: async (listener, subscribeOptions = {}) => {
      if (closed) throw closedError()
      const { fromPosition } = subscribeOptions
      const delivery = Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        yield* store.subscribe(fromPosition === undefined ? {} : { fromPosition }).pipe(
          Stream.runForEach((event) => Effect.tryPromise({ try: async () => listener(event), catch: (cause) => cause }))
        )
      })
      const fiber = runtime.runFork(
        delivery.pipe(
          Effect.catchCause((cause) =>
            Effect.sync(() => {
              subscribeOptions.onError?.(fromCause(cause))
            })
          )
        )
      )
      subscriptions.add(fiber)
      let stopped = false
      return {
        close: async () => {
          if (stopped) return
          stopped = true
          subscriptions.delete(fiber)
          await Effect.runPromise(Fiber.interrupt(fiber))
        }
      }
    },
    run: (effect) => run(effect),
    close: async () => {
      if (closed) return
      closed = true
      for (const fiber of subscriptions) await Effect.runPromise(Fiber.interrupt(fiber))
      subscriptions.clear()
      await runtime.dispose()
    }
  }
}
