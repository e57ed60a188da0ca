import { Commands, EventStore } from "@utblick/core"
import { Effect, Result } from "effect"
import { describe, expect, it } from "vitest"
import { signMembership } from "./fixtures.js"

const sign = signMembership

const run = <A, E>(effect: Effect.Effect<A, E, EventStore.EventStore>) =>
  effect.pipe(Effect.provide(EventStore.layerMemory()), Effect.runPromise)

describe("Commands.execute: idempotent by key, strict by shape", () => {
  it("the same command twice records one event; the second reports alreadyRecorded", async () => {
    const [first, second, size] = await run(
      Effect.gen(function* () {
        const a = yield* Commands.execute(sign())
        const b = yield* Commands.execute(sign())
        const store = yield* EventStore.EventStore
        return [a, b, (yield* store.head).size] as const
      })
    )
    expect([first.alreadyRecorded, first.events.length]).toEqual([false, 1])
    expect([second.alreadyRecorded, second.events.length]).toEqual([true, 0])
    // The key is derived from tenant, command, stream and date (no case number given).
    expect(second.idempotencyKey).toBe("lulea-kommun/SignMembership/membership-lulea-kommun-ubc/2003-01-01")
    expect(size).toBe(1)
  })

  it("the same key with other content is an IdempotencyConflict naming the field and both values", async () => {
    const failure = await run(
      Effect.gen(function* () {
        yield* Commands.execute(sign({ joinedYear: 1991 }))
        return yield* Effect.flip(Commands.execute(sign({ joinedYear: 1992 })))
      })
    )
    expect(failure._tag).toBe("IdempotencyConflict")
    expect(failure).toMatchObject({ field: "joinedYear", value: "1991 when recorded, 1992 now" })
  })

  it("checks the role before the key: an actor who may not give the command learns nothing of the record", async () => {
    const failure = await run(
      Effect.gen(function* () {
        yield* Commands.execute(sign({ joinedYear: 1991 }))
        return yield* Effect.flip(Commands.execute(sign({ actor: { id: "anna", role: "traveller" } })))
      })
    )
    expect(failure._tag).toBe("NotAuthorized")
  })

  it("refuses an unknown field (a typo) instead of dropping it, and suggests the field meant", async () => {
    const result = await run(Effect.result(Commands.execute(sign({ decisonRef: "KS 2003/1" }))))
    expect(Result.isFailure(result)).toBe(true)
    const failure = (result as unknown as Result.Failure<never, { _tag: string; field: string; rule: string }>).failure
    expect(failure._tag).toBe("CommandInputError")
    expect(failure.field).toBe("decisonRef")
    expect(failure.rule).toContain('did you mean "decisionRef"?')
  })
})
