// The live tail every store's `subscribe` is built from (mutation testing's targets): when a
// waiting reader is woken, when it is not, the polling fallback, and the pages the tail reads.
// No wall-clock waits: waiters are forked to run at once until they suspend (`startImmediately`),
// so `pollUnsafe()` tells whether each one is still waiting, and the polling interval is passed on
// the `TestClock`.
import * as LiveTail from "@utblick/core/LiveTail"
import { Deferred, Effect, Fiber, Stream } from "effect"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "vitest"

const runTest = <A>(effect: Effect.Effect<A>) => Effect.runPromise(Effect.provide(effect, TestClock.layer()))

// A waiter forked so that it runs until it suspends, before the next line of the test.
const waiter = (signal: LiveTail.AppendSignal, seen: number) =>
  Effect.forkChild(signal.waitBeyond(seen), { startImmediately: true })

const waiting = (fiber: Fiber.Fiber<void>) => fiber.pollUnsafe() === undefined

describe("AppendSignal", () => {
  it("returns at once when the log is already past what the reader saw, and waits when it is not", async () => {
    const outcome = await runTest(
      Effect.gen(function* () {
        const signal = LiveTail.makeAppendSignal(() => 3)
        const past = yield* waiter(signal, 2) // 3 > 2: done
        const atEnd = yield* waiter(signal, 3) // 3 > 3 is false: waits
        const beyond = yield* waiter(signal, 4)
        const before = [waiting(past), waiting(atEnd), waiting(beyond)]
        signal.notify()
        yield* Fiber.join(atEnd)
        yield* Fiber.join(beyond)
        return before
      })
    )
    expect(outcome).toEqual([false, true, true])
  })

  it("wakes every reader waiting on one append, and only those: a later reader waits anew", async () => {
    const outcome = await runTest(
      Effect.gen(function* () {
        const signal = LiveTail.makeAppendSignal(() => 0)
        // Nobody waits yet: a notify is a no-op (and must not fail).
        signal.notify()
        const first = yield* waiter(signal, 0)
        const second = yield* waiter(signal, 0)
        const bothWaited = [waiting(first), waiting(second)]
        signal.notify()
        yield* Fiber.join(first)
        yield* Fiber.join(second)
        // The append that woke them is spent: the next reader waits for the next one.
        const third = yield* waiter(signal, 0)
        const thirdWaited = waiting(third)
        signal.notify()
        yield* Fiber.join(third)
        return { bothWaited, thirdWaited }
      })
    )
    expect(outcome).toEqual({ bothWaited: [true, true], thirdWaited: true })
  })

  it("with a polling interval, a reader looks again after that interval even with no notify", async () => {
    const outcome = await runTest(
      Effect.gen(function* () {
        const polling = LiveTail.makeAppendSignal(() => 0, { pollInterval: "1 second" })
        const plain = LiveTail.makeAppendSignal(() => 0)
        const polled = yield* waiter(polling, 0)
        const unpolled = yield* waiter(plain, 0)
        yield* TestClock.adjust("999 millis")
        const justBefore = [waiting(polled), waiting(unpolled)]
        yield* TestClock.adjust("1 millis")
        yield* Fiber.join(polled)
        const after = waiting(unpolled)
        plain.notify()
        yield* Fiber.join(unpolled)
        return { justBefore, after }
      })
    )
    // Only the polling reader is released at exactly one second; the other waits for a notify.
    expect(outcome).toEqual({ justBefore: [true, true], after: true })
  })
})

describe("tail", () => {
  it("reads page after page from the position it is given, then waits for an append", async () => {
    const outcome = await runTest(
      Effect.gen(function* () {
        const items: Array<{ position: number }> = [0, 1, 2, 3, 4].map((position) => ({ position }))
        const signal = LiveTail.makeAppendSignal(() => items.length)
        const reads: Array<number> = []
        const emptyRead = yield* Deferred.make<void>()
        const stream = LiveTail.tail({
          fromPosition: 1,
          signal,
          readPage: (from) =>
            Effect.sync(() => {
              reads.push(from)
              const page = items.slice(from, from + 2)
              if (page.length === 0) Deferred.doneUnsafe(emptyRead, Effect.void)
              return page
            })
        })
        const fiber = yield* Effect.forkChild(Stream.runCollect(Stream.take(stream, 5)), { startImmediately: true })
        // The tail has read 1–2, 3–4 and found nothing at 5: only now is position 5 appended.
        yield* Deferred.await(emptyRead)
        items.push({ position: 5 })
        signal.notify()
        const taken = yield* Fiber.join(fiber)
        return { positions: taken.map((item) => item.position), reads }
      })
    )
    expect(outcome).toEqual({ positions: [1, 2, 3, 4, 5], reads: [1, 3, 5, 5] })
  })
})
