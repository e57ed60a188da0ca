/**
 * The contract every `EventStore` implementation must pass: ordering, gap-free positions,
 * expected versions, idempotency, atomic batches, I-JSON refusal, the hash chain over canonical
 * bytes, reads, the live tail, and concurrent writers losing and duplicating nothing.
 *
 * @example
 * ```ts
 * import { EventStore } from "@utblick/core"
 * import { EventStoreContract } from "@utblick/core/testing"
 *
 * EventStoreContract.suite("memory", () => EventStore.layerMemory())
 * ```
 *
 * @since 0.1.0
 */
import { fc } from "@fast-check/vitest"
import { Effect, Fiber, type Layer, Result, Stream } from "effect"
import { describe, expect, it } from "vitest"
import { canonicalize, type JsonObject } from "../CanonicalJson.js"
import type { EventToAppend, StoredEvent } from "../Envelope.js"
import { EventStore } from "../EventStore.js"
import type { EventStoreError } from "../EventStoreError.js"
import { chainHash, GENESIS_HASH } from "../HashChain.js"

/**
 * Options of the contract suite.
 *
 * @category models
 * @since 0.1.0
 */
export interface ContractOptions {
  /** Concurrent writers in the contention tests (default 8). */
  readonly writers?: number
  /** Appends per writer in the contention tests (default 10). */
  readonly appendsPerWriter?: number
  /** Runs of each property (default 25; durable stores may want fewer). */
  readonly propertyRuns?: number
}

/**
 * An event to append, with sensible defaults for the contract.
 *
 * @category utils
 * @since 0.1.0
 */
export const sampleEvent = (overrides: Partial<EventToAppend> = {}): EventToAppend => ({
  type: "ContractEventRecorded",
  schemaVersion: 1,
  occurredAt: "2022-06-30",
  tenant: "contract-tenant",
  actor: { id: "tester", role: "officer" },
  payload: { n: 1, note: "ok" },
  ...overrides
})

/**
 * The positions of each chunk a read hands over, in order, and the reason it failed if it did:
 * what a test of a store's paging compares with chunks worked out by hand.
 *
 * @category utils
 * @since 0.4.0
 */
export const chunksOf = (
  read: Stream.Stream<{ readonly position: number }, EventStoreError>
): Effect.Effect<{
  readonly chunks: ReadonlyArray<ReadonlyArray<number>>
  readonly failed?: EventStoreError["reason"]
}> =>
  Effect.gen(function* () {
    const chunks: Array<ReadonlyArray<number>> = []
    const outcome = yield* Effect.result(
      Stream.runForEachArray(read, (chunk) =>
        Effect.sync(() => {
          chunks.push(chunk.map((e) => e.position))
        })
      )
    )
    return outcome._tag === "Success" ? { chunks } : { chunks, failed: outcome.failure.reason }
  })

/**
 * Checks the chain of a prefix of the log: positions contiguous from 0, each `prevHash` the hash
 * before it, each hash over the exact canonical bytes, and stream links. Returns the first
 * problem as text, or `undefined`.
 *
 * @category verification
 * @since 0.1.0
 */
export const checkChain = (
  events: ReadonlyArray<StoredEvent>,
  records: ReadonlyArray<{ readonly canonical: string }>
): string | undefined => {
  let prev = GENESIS_HASH
  const streamTips = new Map<string, { version: number; hash: string }>()
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as StoredEvent
    const record = records[i]
    if (event.position !== i) return `position ${event.position} found where ${i} was expected`
    if (event.prevHash !== prev) return `prevHash of position ${i} does not link to the previous hash`
    const { prevHash: _p, hash: _h, ...body } = event
    const canonical = canonicalize(body as unknown as JsonObject)
    if (record !== undefined && record.canonical !== canonical) return `stored bytes of position ${i} are not canonical`
    if (chainHash(prev, canonical) !== event.hash) return `hash of position ${i} does not match its bytes`
    const tip = streamTips.get(event.streamId)
    if ((tip?.version ?? 0) + 1 !== event.streamVersion) return `stream ${event.streamId} skips a version at ${i}`
    if ((tip?.hash ?? null) !== event.streamPrev) return `streamPrev of position ${i} does not link its stream`
    streamTips.set(event.streamId, { version: event.streamVersion, hash: event.hash })
    prev = event.hash
  }
  return undefined
}

const collect = <A, E>(stream: Stream.Stream<A, E, never>) => Stream.runCollect(stream)

/**
 * Registers the contract suite for one store. `makeLayer` is called once per test and must
 * return a layer over a fresh, empty store.
 *
 * @category utils
 * @since 0.1.0
 */
export const suite = (
  name: string,
  makeLayer: () => Layer.Layer<EventStore, unknown>,
  options: ContractOptions = {}
): void => {
  const writers = options.writers ?? 8
  const perWriter = options.appendsPerWriter ?? 10
  const runs = options.propertyRuns ?? 25

  const run = <A>(program: Effect.Effect<A, unknown, EventStore>): Promise<A> =>
    Effect.runPromise(Effect.scoped(Effect.provide(program, makeLayer())) as Effect.Effect<A, unknown, never>)

  const failureOf = (effect: Effect.Effect<unknown, EventStoreError, EventStore>) =>
    Effect.gen(function* () {
      const result = yield* Effect.result(effect)
      if (Result.isSuccess(result)) throw new Error("expected the operation to fail, but it succeeded")
      return result.failure
    })

  const everything = Effect.gen(function* () {
    const store = yield* EventStore
    const events = yield* collect(store.readAll())
    const records = yield* collect(store.readRecords())
    return { events, records }
  })

  describe(`EventStore contract: ${name}`, () => {
    it("appends in order with gap-free positions and contiguous stream versions", async () => {
      const { events, head, stream } = await run(
        Effect.gen(function* () {
          const store = yield* EventStore
          const a = yield* store.append("stream-a", [sampleEvent(), sampleEvent()], { expectedVersion: "no-stream" })
          expect(a.nextExpectedVersion).toBe(2)
          expect([a.firstPosition, a.lastPosition]).toEqual([0, 1])
          yield* store.append("stream-b", [sampleEvent()], { expectedVersion: "no-stream" })
          yield* store.append("stream-a", [sampleEvent({ payload: { n: 3 } })], { expectedVersion: 2 })
          return {
            events: yield* collect(store.readAll()),
            head: yield* store.head,
            stream: yield* store.readStream("stream-a")
          }
        })
      )
      expect(events.map((e) => e.position)).toEqual([0, 1, 2, 3])
      expect(events.map((e) => e.streamId)).toEqual(["stream-a", "stream-a", "stream-b", "stream-a"])
      expect(stream.map((e) => e.streamVersion)).toEqual([1, 2, 3])
      expect(stream[2]?.payload).toEqual({ n: 3 })
      expect(head.size).toBe(4)
      expect(head.lastHash).toBe(events[3]?.hash)
    })

    it("refuses a wrong expected version with a conflict naming stream, expected and actual", async () => {
      const [exact, noStream, exists] = await run(
        Effect.gen(function* () {
          const store = yield* EventStore
          yield* store.append("stream-a", [sampleEvent()], { expectedVersion: "no-stream" })
          return [
            yield* failureOf(store.append("stream-a", [sampleEvent()], { expectedVersion: 0 })),
            yield* failureOf(store.append("stream-a", [sampleEvent()], { expectedVersion: "no-stream" })),
            yield* failureOf(store.append("stream-z", [sampleEvent()], { expectedVersion: "stream-exists" }))
          ] as const
        })
      )
      expect(exact.reason).toMatchObject({ _tag: "ConcurrencyConflict", streamId: "stream-a", actual: 1 })
      expect(exact.message).toContain("stream-a")
      expect(exact.message).toContain("version 0")
      expect(noStream.reason).toMatchObject({ _tag: "ConcurrencyConflict", expected: "no-stream", actual: 1 })
      expect(exists.reason).toMatchObject({ _tag: "ConcurrencyConflict", streamId: "stream-z", actual: 0 })
    })

    it("is idempotent on event ids: an exact retry stores nothing twice", async () => {
      const ids = [
        "01890a5d-ac96-774b-bcce-b302099a8057",
        "01890a5d-ac96-774b-bcce-b302099a8058"
      ] as const
      const { first, retry, partial, events } = await run(
        Effect.gen(function* () {
          const store = yield* EventStore
          const batch = ids.map((eventId) => sampleEvent({ eventId }))
          const first = yield* store.append("stream-a", batch, { expectedVersion: "no-stream" })
          // A retry after a lost acknowledgement still carries the stale expected version.
          const retry = yield* store.append("stream-a", batch, { expectedVersion: "no-stream" })
          const partial = yield* failureOf(
            store.append("stream-a", [sampleEvent({ eventId: ids[1] }), sampleEvent()], { expectedVersion: 2 })
          )
          return { first, retry, partial, events: yield* collect(store.readAll()) }
        })
      )
      expect(first.deduplicated).toBe(false)
      expect(retry.deduplicated).toBe(true)
      expect(retry.events.map((e) => e.eventId)).toEqual([...ids])
      expect(retry.firstPosition).toBe(first.firstPosition)
      expect(partial.reason._tag).toBe("DuplicateEvent")
      expect(events).toHaveLength(2)
    })

    it("recognises the retry of a batch whose records add up to more than 16 MiB", async () => {
      // 20 events of a 1,000,000-character note: about 20 MB of canonical records, more than the
      // largest message a PostgreSQL driver reads at once (16 MiB), so a store must not read back
      // the events it already holds as one value.
      const note = "x".repeat(1_000_000)
      const batch = Array.from({ length: 20 }, (_, i) =>
        sampleEvent({ eventId: `01890a5d-ac96-774b-bcce-${String(i).padStart(12, "0")}`, payload: { note, i } })
      )
      const { first, retry, size } = await run(
        Effect.gen(function* () {
          const store = yield* EventStore
          const first = yield* store.append("stream-large", batch, { expectedVersion: "no-stream" })
          const retry = yield* store.append("stream-large", batch, { expectedVersion: "no-stream" })
          return { first, retry, size: (yield* store.head).size }
        })
      )
      expect([first.deduplicated, retry.deduplicated]).toEqual([false, true])
      expect([retry.firstPosition, retry.lastPosition]).toEqual([0, 19])
      expect(retry.events.map((e) => e.hash)).toEqual(first.events.map((e) => e.hash))
      expect(size).toBe(20)
    }, 60_000)

    it("writes a batch all or nothing, naming the bad field, value and rule", async () => {
      const { error, events, manyError } = await run(
        Effect.gen(function* () {
          const store = yield* EventStore
          const error = yield* failureOf(
            store.append("stream-a", [sampleEvent(), sampleEvent(), sampleEvent({ occurredAt: "2022-02-30" })])
          )
          yield* store.append("stream-b", [sampleEvent()])
          const manyError = yield* failureOf(
            store
              .appendMany([
                { streamId: "stream-c", events: [sampleEvent()], expectedVersion: "no-stream" },
                { streamId: "stream-b", events: [sampleEvent()], expectedVersion: "no-stream" }
              ])
              .pipe(Effect.asVoid)
          )
          return { error, manyError, events: yield* collect(store.readAll()) }
        })
      )
      expect(error.reason).toMatchObject({ _tag: "InvalidEvent", index: 2, field: "/occurredAt" })
      expect(error.message).toContain('"2022-02-30"')
      expect(error.message).toContain("calendar date")
      expect(manyError.reason._tag).toBe("ConcurrencyConflict")
      expect(events.map((e) => e.streamId)).toEqual(["stream-b"])
    })

    it("refuses input that is not I-JSON and writes nothing", async () => {
      class Money {
        readonly ore: number
        constructor(ore: number) {
          this.ore = ore
        }
      }
      const bad: ReadonlyArray<[unknown, string]> = [
        [Number.NaN, "/payload/x"],
        [2 ** 53 + 2, "/payload/x"],
        ["a\uD800b", "/payload/x"],
        [undefined, "/payload/x"],
        [new Money(5), "/payload/x"],
        [{ deep: [1, Number.POSITIVE_INFINITY] }, "/payload/x/deep/1"]
      ]
      const results = await run(
        Effect.gen(function* () {
          const store = yield* EventStore
          const errors: Array<EventStoreError> = []
          for (const [x] of bad) {
            errors.push(
              yield* failureOf(store.append("stream-a", [sampleEvent({ payload: { x } as unknown as JsonObject })]))
            )
          }
          return { errors, head: yield* store.head }
        })
      )
      results.errors.forEach((error, i) => {
        expect(error.reason).toMatchObject({ _tag: "InvalidEvent", field: bad[i]?.[1] })
      })
      expect(results.head.size).toBe(0)
    })

    it("refuses generated garbage envelopes with a named field and writes nothing", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            type: fc.oneof(fc.string(), fc.constant("Ok")),
            schemaVersion: fc.oneof(fc.integer(), fc.double(), fc.constant(1)),
            occurredAt: fc.oneof(fc.string(), fc.constant("2022-01-01")),
            tenant: fc.oneof(fc.string(), fc.constant("t")),
            actor: fc.oneof(fc.constant({ id: "a", role: "r" }), fc.anything()),
            payload: fc.oneof(fc.anything(), fc.object())
          }),
          async (garbage) => {
            const outcome = await run(
              Effect.gen(function* () {
                const store = yield* EventStore
                const result = yield* Effect.result(
                  store.append("stream-g", [garbage as unknown as EventToAppend])
                )
                return { result, head: yield* store.head }
              })
            )
            if (Result.isFailure(outcome.result)) {
              expect(outcome.result.failure.reason._tag).toBe("InvalidEvent")
              expect(outcome.result.failure.message).toMatch(/field .* = .* is invalid: .+/s)
              expect(outcome.head.size).toBe(0)
            } else {
              expect(outcome.head.size).toBe(1)
            }
          }
        ),
        { numRuns: runs * 4 }
      )
    })

    it("chains every event's hash over its exact canonical bytes", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              stream: fc.constantFrom("grant-1", "trip-7", "membership-3"),
              size: fc.integer({ min: 1, max: 4 }),
              note: fc.string({ unit: "grapheme" }),
              amount: fc.maxSafeNat()
            }),
            { minLength: 1, maxLength: 12 }
          ),
          async (appends) => {
            const { events, records } = await run(
              Effect.gen(function* () {
                const store = yield* EventStore
                for (const a of appends) {
                  yield* store.append(
                    a.stream,
                    Array.from({ length: a.size }, (_, i) =>
                      sampleEvent({ payload: { note: a.note, amount: a.amount, i, nested: { b: 1, a: [true, null] } } })
                    )
                  )
                }
                return yield* everything
              })
            )
            expect(events.length).toBe(appends.reduce((n, a) => n + a.size, 0))
            expect(checkChain(events, records)).toBeUndefined()
            for (const record of records) expect(JSON.parse(record.canonical).position).toBe(record.position)
            for (let i = 1; i < events.length; i++) {
              expect((events[i] as StoredEvent).recordedAt >= (events[i - 1] as StoredEvent).recordedAt).toBe(true)
            }
          }
        ),
        { numRuns: runs }
      )
    })

    it("reads all from a position, up to a position, in chunks of the asked size", async () => {
      const { from, window, chunks, stream } = await run(
        Effect.gen(function* () {
          const store = yield* EventStore
          for (let i = 0; i < 25; i++) yield* store.append(`stream-${i % 3}`, [sampleEvent({ payload: { i } })])
          return {
            from: yield* collect(store.readAll({ fromPosition: 20 })),
            window: yield* collect(store.readAll({ fromPosition: 5, toPosition: 9 })),
            chunks: yield* store
              .readAll({ batchSize: 10 })
              .pipe(Stream.mapArray((chunk) => [chunk.length] as const), Stream.runCollect),
            stream: yield* store.readStream("stream-1", { fromVersion: 3 })
          }
        })
      )
      expect(from.map((e) => e.position)).toEqual([20, 21, 22, 23, 24])
      expect(window.map((e) => e.position)).toEqual([5, 6, 7, 8])
      expect(chunks.reduce((a, b) => a + b, 0)).toBe(25)
      expect(Math.max(...chunks)).toBeLessThanOrEqual(10)
      expect(stream.map((e) => e.payload["i"])).toEqual([7, 10, 13, 16, 19, 22])
    })

    it("reads with a hint: every event that passes it, in order, each as stored", async () => {
      // 24 events over two types, three tenants and three business dates; the hints below are
      // checked against the events read without one, filtered here by hand.
      const types = ["ContractEventRecorded", "ContractOtherRecorded"] as const
      const tenants = ["t-a", "t-b", "t-c"] as const
      const dates = ["2021-12-31", "2022-01-01", "2022-06-30"] as const
      const hints = [
        { types: ["ContractOtherRecorded"] },
        { tenant: "t-b" },
        { tenant: "t-c", asOf: "2022-01-01" },
        { types: ["ContractEventRecorded"], tenant: "t-a", asOf: "2021-12-31" },
        { types: [] },
        { asOf: "2022-06-30" }
      ] as const
      const { all, read, known } = await run(
        Effect.gen(function* () {
          const store = yield* EventStore
          for (let i = 0; i < 24; i++) {
            yield* store.append(`hinted-${i % 5}`, [
              sampleEvent({
                type: types[i % 2] as string,
                tenant: tenants[i % 3] as string,
                occurredAt: dates[Math.floor(i / 2) % 3] as string,
                payload: { i }
              })
            ])
          }
          const all = yield* collect(store.readAll())
          // Recorded at most when event 11 was: the clock may give several events one instant.
          const knownAt = (all[11] as StoredEvent).recordedAt
          const read = yield* Effect.forEach(hints, (only) =>
            collect(store.readAll({ fromPosition: 3, toPosition: 22, batchSize: 4, only }))
          )
          const known = yield* collect(store.readAll({ only: { knownAt } }))
          return { all, read, known: { knownAt, events: known } }
        })
      )
      hints.forEach((hint, h) => {
        const passing = all.filter(
          (e) =>
            e.position >= 3 &&
            e.position < 22 &&
            (!("types" in hint) || (hint.types as ReadonlyArray<string>).includes(e.type)) &&
            (!("tenant" in hint) || e.tenant === hint.tenant) &&
            (!("asOf" in hint) || e.occurredAt <= hint.asOf)
        )
        // A store may return more than the hint lets through, never less, and never out of order.
        const got = read[h] as ReadonlyArray<StoredEvent>
        const positions = got.map((e) => e.position)
        expect(positions).toEqual([...positions].sort((a, b) => a - b))
        expect(got.filter((e) => passing.some((p) => p.position === e.position))).toEqual(passing)
      })
      expect(known.events.filter((e) => e.recordedAt <= known.knownAt)).toEqual(
        all.filter((e) => e.recordedAt <= known.knownAt)
      )
    })

    it(`loses and duplicates nothing under ${writers} concurrent writers`, async () => {
      const { events, records, shared } = await run(
        Effect.gen(function* () {
          const store = yield* EventStore
          // Each writer appends to the shared stream with read-then-append and retries on conflict,
          // and to its own stream without contention.
          const writer = (w: number) =>
            Effect.gen(function* () {
              for (let k = 0; k < perWriter; k++) {
                while (true) {
                  const version = (yield* store.readStream("shared")).length
                  const appended = yield* Effect.result(
                    store.append("shared", [sampleEvent({ payload: { w, k } })], { expectedVersion: version })
                  )
                  if (Result.isSuccess(appended)) break
                  if (appended.failure.reason._tag !== "ConcurrencyConflict") return yield* Effect.fail(appended.failure)
                  yield* Effect.yieldNow
                }
                yield* store.append(`own-${w}`, [sampleEvent({ payload: { w, k } })])
              }
            })
          yield* Effect.all(
            Array.from({ length: writers }, (_, w) => writer(w)),
            { concurrency: "unbounded" }
          )
          const all = yield* everything
          return { ...all, shared: yield* store.readStream("shared") }
        })
      )
      expect(events).toHaveLength(writers * perWriter * 2)
      expect(checkChain(events, records)).toBeUndefined()
      expect(shared.map((e) => e.streamVersion)).toEqual(Array.from({ length: writers * perWriter }, (_, i) => i + 1))
      const keys = shared.map((e) => `${e.payload["w"]}/${e.payload["k"]}`)
      expect(new Set(keys).size).toBe(writers * perWriter)
      for (let w = 0; w < writers; w++) {
        const mine = shared.filter((e) => e.payload["w"] === w).map((e) => e.payload["k"])
        expect(mine).toEqual(Array.from({ length: perWriter }, (_, k) => k))
      }
    })

    it("subscribes: delivers the existing events, then each new one as it is appended", async () => {
      const seen = await run(
        Effect.gen(function* () {
          const store = yield* EventStore
          yield* store.append("stream-a", [sampleEvent({ payload: { i: 0 } }), sampleEvent({ payload: { i: 1 } })])
          const fiber = yield* store.subscribe({ fromPosition: 1 }).pipe(Stream.take(4), Stream.runCollect, Effect.forkChild)
          yield* Effect.sleep("20 millis")
          yield* store.append("stream-b", [sampleEvent({ payload: { i: 2 } })])
          yield* Effect.sleep("20 millis")
          yield* store.append("stream-a", [sampleEvent({ payload: { i: 3 } }), sampleEvent({ payload: { i: 4 } })])
          return yield* Fiber.join(fiber)
        })
      )
      expect(seen.map((e) => e.payload["i"])).toEqual([1, 2, 3, 4])
      expect(seen.map((e) => e.position)).toEqual([1, 2, 3, 4])
    })
  })
}
