/**
 * The live tail of a log: read what is there, then wait for appends and read again, forever.
 *
 * Every store builds `subscribe` from the same two parts: a page reader and an
 * {@link AppendSignal} that wakes waiting readers. Stores that other processes also write to
 * (SQLite files, PostgreSQL) add a polling interval as a fallback to the in-process signal.
 *
 * @since 0.1.0
 */
import { Deferred, type Duration, Effect, Option, Stream } from "effect"

/**
 * Wakes readers that wait for the log to grow past what they have seen.
 *
 * @category models
 * @since 0.1.0
 */
export interface AppendSignal {
  /** Tells every waiting reader that the log grew. */
  readonly notify: () => void
  /**
   * Completes once `currentSize()` exceeds `seen`, once `notify` is called, or (with a polling
   * interval) after that interval, whichever comes first.
   */
  readonly waitBeyond: (seen: number) => Effect.Effect<void>
}

/**
 * Creates an {@link AppendSignal} over a function that reports the current size of the log.
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeAppendSignal = (
  currentSize: () => number,
  options: { readonly pollInterval?: Duration.Input } = {}
): AppendSignal => {
  // Made when a subscriber first waits, so an append with nobody waiting allocates nothing.
  let next: Deferred.Deferred<void> | undefined
  const notify = () => {
    const current = next
    if (current === undefined) return
    next = undefined
    Deferred.doneUnsafe(current, Effect.void)
  }
  const waitBeyond = (seen: number): Effect.Effect<void> =>
    Effect.suspend(() => {
      // Take the deferred before looking at the size: an append between the two completes it.
      if (next === undefined) next = Deferred.makeUnsafe<void>()
      const waitFor = next
      if (currentSize() > seen) return Effect.void
      const wait = Deferred.await(waitFor)
      return options.pollInterval === undefined ? wait : Effect.asVoid(Effect.timeoutOption(wait, options.pollInterval))
    })
  return { notify, waitBeyond }
}

/**
 * A never-ending stream of items from `fromPosition` on: pages are read with `readPage`, and
 * when a page comes back empty the stream waits on `signal` before reading again.
 *
 * @category utils
 * @since 0.1.0
 */
export const tail = <A extends { readonly position: number }, E, R>(options: {
  readonly fromPosition: number
  readonly readPage: (fromPosition: number) => Effect.Effect<ReadonlyArray<A>, E, R>
  readonly signal: AppendSignal
}): Stream.Stream<A, E, R> =>
  Stream.paginate(options.fromPosition, (from) =>
    Effect.flatMap(options.readPage(from), (page) => {
      if (page.length > 0) {
        const last = page[page.length - 1] as A
        return Effect.succeed([page, Option.some(last.position + 1)] as const)
      }
      return Effect.as(options.signal.waitBeyond(from), [[] as ReadonlyArray<A>, Option.some(from)] as const)
    })
  )
