// The decider runtime against values written out by hand (mutation testing of `Decider.ts`): how
// many times each handler asks a store that always conflicts (as told, at least once, five by
// default), that any other store error is given back at once, the envelope fields every event of
// a command carries (and their defaults), a command on a stream that already has events, a stored
// event that does not decode, and `fold` / `decideSync`.
import { Decider, EventStore } from "@utblick/core"
import { Data, Effect, Result, Stream } from "effect"
import { describe, expect, it } from "vitest"
import { ConcurrencyConflict, DuplicateEvent, fromReason } from "../src/EventStoreError.js"
import { catalog, type RegistryEvent } from "./fixtures.js"

interface Define {
  readonly mappingId: string
  readonly correlationId?: string
  readonly causationId?: string
  readonly decisionRef?: string
}
class Refused extends Data.TaggedError("Refused")<{ readonly reason: string }> {}

const mapping = (mappingId: string, from: string): RegistryEvent => ({
  _tag: "SchemeMappingDefined",
  mappingId,
  fromSchemeId: "a",
  toSchemeId: "b",
  pairs: [{ from, to: "x" }]
})

// A decider that counts the definitions of a mapping and refuses a mapping named "none".
const counter = Decider.make<Define, RegistryEvent, number, Refused>({
  name: "test/counter",
  initialState: () => 0,
  evolve: (n, event) => (event._tag === "SchemeMappingDefined" ? n + 1 : n),
  decide: (command, n) =>
    command.mappingId === "none"
      ? Effect.fail(new Refused({ reason: `${n} definitions` }))
      : Effect.succeed([mapping(command.mappingId, `r${n + 1}`), mapping(command.mappingId, `r${n + 2}`)])
})

const meta = (c: Define): Decider.CommandMetadata => ({
  tenant: "region-norrbotten",
  actor: { id: "anna", role: "registrar" },
  occurredAt: "2021-03-01",
  ...(c.decisionRef === undefined ? {} : { decisionRef: c.decisionRef }),
  ...(c.correlationId === undefined ? {} : { correlationId: c.correlationId }),
  ...(c.causationId === undefined ? {} : { causationId: c.causationId })
})

const single = (maxAttempts?: number) =>
  Decider.makeCommandHandler({
    decider: counter,
    catalog,
    streamId: (c: Define) => `mapping-${c.mappingId}`,
    metadata: meta,
    ...(maxAttempts === undefined ? {} : { maxAttempts })
  })

const multi = (maxAttempts?: number) =>
  Decider.makeMultiStreamHandler({
    catalog,
    metadata: meta,
    ...(maxAttempts === undefined ? {} : { maxAttempts }),
    decide: (c: Define, read: Decider.StreamReader<RegistryEvent>) =>
      Effect.map(read.load(`mapping-${c.mappingId}`, counter), (n) => ({
        writes: [{ streamId: `mapping-${c.mappingId}`, events: [mapping(c.mappingId, `r${n + 1}`)] }]
      }))
  })

const conflict = fromReason(
  new ConcurrencyConflict({ streamId: "mapping-m", expected: "no-stream", actual: 1 })
)
const duplicate = fromReason(new DuplicateEvent({ eventId: "e", streamId: "mapping-m", position: 0 }))

// Runs `program` against a memory store whose writes all fail with `error`; answers how many
// writes were asked for and the tag of the outcome.
const against = <A, E>(error: typeof conflict, program: Effect.Effect<A, E, EventStore.EventStore>) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const memory = yield* EventStore.makeMemory()
      let writes = 0
      const failing: EventStore.EventStore["Service"] = {
        ...memory,
        append: () => {
          writes += 1
          return Effect.fail(error)
        },
        appendMany: () => {
          writes += 1
          return Effect.fail(error)
        }
      }
      const outcome = yield* Effect.result(Effect.provideService(program, EventStore.EventStore, failing))
      return {
        writes,
        outcome: Result.isFailure(outcome) ? (outcome.failure as { _tag: string })._tag : "written"
      }
    })
  )

const inMemory = <A, E>(program: Effect.Effect<A, E, EventStore.EventStore>) =>
  Effect.runPromise(Effect.provide(program, EventStore.layerMemory()))

describe("the handlers' attempts", () => {
  it("the single-stream handler asks a conflicting store as often as told, at least once, five times by default", async () => {
    const asked = async (maxAttempts?: number) =>
      (await against(conflict, single(maxAttempts)({ mappingId: "m" }))).writes
    expect(await asked(3)).toBe(3)
    expect(await asked(1)).toBe(1)
    expect(await asked(0)).toBe(1)
    expect(await asked(-2)).toBe(1)
    expect(await asked(undefined)).toBe(5)
    expect(await against(conflict, single(2)({ mappingId: "m" }))).toEqual({
      writes: 2,
      outcome: "EventStoreError"
    })
  })

  it("the multi-stream handler does the same", async () => {
    const asked = async (maxAttempts?: number) =>
      (await against(conflict, multi(maxAttempts)({ mappingId: "m" }))).writes
    expect(await asked(3)).toBe(3)
    expect(await asked(0)).toBe(1)
    expect(await asked(undefined)).toBe(5)
  })

  it("gives any other store error back at once", async () => {
    expect(await against(duplicate, single(4)({ mappingId: "m" }))).toEqual({
      writes: 1,
      outcome: "EventStoreError"
    })
    expect(await against(duplicate, multi(4)({ mappingId: "m" }))).toEqual({
      writes: 1,
      outcome: "EventStoreError"
    })
  })

  it("gives the decider's refusal back without writing", async () => {
    expect(await against(conflict, single()({ mappingId: "none" }))).toEqual({
      writes: 0,
      outcome: "Refused"
    })
  })
})

describe("the version each handler expects", () => {
  it("expects no stream for a stream without events, and the number read for one with events", async () => {
    const expected = await Effect.runPromise(
      Effect.gen(function* () {
        const memory = yield* EventStore.makeMemory()
        yield* Effect.provideService(single()({ mappingId: "n" }), EventStore.EventStore, memory)
        const seen: Array<unknown> = []
        // Records what each write expects, then lets it through to the memory store.
        const watching: EventStore.EventStore["Service"] = {
          ...memory,
          append: (streamId, events, options) => {
            seen.push(["append", streamId, options?.expectedVersion])
            return memory.append(streamId, events, options)
          },
          appendMany: (writes) => {
            seen.push(["appendMany", ...writes.map((w) => [w.streamId, w.expectedVersion])])
            return memory.appendMany(writes)
          }
        }
        const run = <A, E>(e: Effect.Effect<A, E, EventStore.EventStore>) =>
          Effect.provideService(e, EventStore.EventStore, watching)
        yield* run(single()({ mappingId: "m" }))
        yield* run(single()({ mappingId: "n" }))
        yield* run(multi()({ mappingId: "k" }))
        yield* run(multi()({ mappingId: "n" }))
        return seen
      })
    )
    expect(expected).toEqual([
      ["append", "mapping-m", "no-stream"],
      ["append", "mapping-n", 2],
      ["appendMany", ["mapping-k", "no-stream"]],
      ["appendMany", ["mapping-n", 4]]
    ])
  })
})

describe("what a command writes", () => {
  it("every event carries the command's envelope fields; absent ones default to null or the event id", async () => {
    const stored = await inMemory(
      Effect.gen(function* () {
        yield* single()({ mappingId: "m" })
        yield* single()({
          mappingId: "n",
          decisionRef: "RUN 1",
          correlationId: "corr-1",
          causationId: "cause-1"
        })
        return Array.from(yield* Stream.runCollect((yield* EventStore.EventStore).readAll()))
      })
    )
    expect(
      stored.map((e) => [
        e.streamId,
        e.streamVersion,
        e.tenant,
        e.actor,
        e.occurredAt,
        e.decisionRef,
        e.correlationId === e.eventId ? "own id" : e.correlationId,
        e.causationId
      ])
    ).toEqual([
      [
        "mapping-m",
        1,
        "region-norrbotten",
        { id: "anna", role: "registrar" },
        "2021-03-01",
        null,
        "own id",
        null
      ],
      [
        "mapping-m",
        2,
        "region-norrbotten",
        { id: "anna", role: "registrar" },
        "2021-03-01",
        null,
        "own id",
        null
      ],
      [
        "mapping-n",
        1,
        "region-norrbotten",
        { id: "anna", role: "registrar" },
        "2021-03-01",
        "RUN 1",
        "corr-1",
        "cause-1"
      ],
      [
        "mapping-n",
        2,
        "region-norrbotten",
        { id: "anna", role: "registrar" },
        "2021-03-01",
        "RUN 1",
        "corr-1",
        "cause-1"
      ]
    ])
    // Two events of one command: each has its own correlation id when none is given.
    expect(stored[0]?.correlationId).not.toBe(stored[1]?.correlationId)
  })

  it("a command on a stream with events decides from their fold, and answers the state after its own", async () => {
    const { first, second, pairs } = await inMemory(
      Effect.gen(function* () {
        const first = yield* single()({ mappingId: "m" })
        const second = yield* single()({ mappingId: "m" })
        const stored = yield* (yield* EventStore.EventStore).readStream("mapping-m")
        return {
          first,
          second,
          pairs: stored.map((e) => (e.payload["pairs"] as Array<{ from: string }>)[0]?.from)
        }
      })
    )
    expect([first.state, first.attempts, first.append.nextExpectedVersion, first.streamId]).toEqual([
      2,
      1,
      2,
      "mapping-m"
    ])
    expect([second.state, second.attempts, second.append.nextExpectedVersion, second.events.length]).toEqual([
      4, 1, 4, 2
    ])
    expect(pairs).toEqual(["r1", "r2", "r3", "r4"])
    const multiple = await inMemory(
      Effect.gen(function* () {
        yield* single()({ mappingId: "m" })
        return yield* multi()({ mappingId: "m" })
      })
    )
    expect([multiple.attempts, multiple.appended.map((a) => [a.streamId, a.nextExpectedVersion])]).toEqual([
      1,
      [["mapping-m", 3]]
    ])
  })

  it("names a stored event that does not decode, in either handler, writing nothing", async () => {
    const outcome = (handle: Effect.Effect<unknown, { readonly _tag: string }, EventStore.EventStore>) =>
      inMemory(
        Effect.gen(function* () {
          const store = yield* EventStore.EventStore
          yield* store.append("mapping-m", [
            {
              type: "SchemeMappingDefined",
              schemaVersion: 1,
              occurredAt: "2021-01-01",
              tenant: "t",
              actor: { id: "a", role: "r" },
              payload: { mappingId: 5 }
            }
          ])
          const error = yield* Effect.flip(handle)
          return {
            tag: error._tag,
            position: (error as { position?: number }).position,
            size: (yield* store.head).size
          }
        })
      )
    expect(await outcome(single()({ mappingId: "m" }))).toEqual({
      tag: "EventDecodeError",
      position: 0,
      size: 1
    })
    expect(await outcome(multi()({ mappingId: "m" }))).toEqual({
      tag: "EventDecodeError",
      position: 0,
      size: 1
    })
  })
})

describe("fold and decideSync", () => {
  it("fold starts from the initial state and applies each event in turn", () => {
    expect(Decider.fold(counter, [])).toBe(0)
    expect(Decider.fold(counter, [mapping("m", "a"), mapping("m", "b"), mapping("m", "c")])).toBe(3)
  })

  it("decideSync gives the decided events or the refusal", () => {
    const ok = Decider.decideSync(counter, { mappingId: "m" }, 2)
    expect(Result.isSuccess(ok) && ok.success).toEqual([mapping("m", "r3"), mapping("m", "r4")])
    const no = Decider.decideSync(counter, { mappingId: "none" }, 2)
    expect(Result.isFailure(no) && no.failure).toEqual(new Refused({ reason: "2 definitions" }))
  })
})
