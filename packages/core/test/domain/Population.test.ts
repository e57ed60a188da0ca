// RecordPopulation through the one command entry point, as an import or the facade gives it.
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import * as DomainError from "../../src/domain/DomainError.js"
import * as Commands from "../../src/domain/Commands.js"
import * as EventStore from "../../src/EventStore.js"

const base = {
  _tag: "RecordPopulation",
  actor: { id: "analys", role: "officer" },
  tenant: "exempel-kommun",
  occurredAt: "2023-02-22",
  year: 2022,
  inhabitants: 81_500,
  source: "SCB, folkmängd 31 december 2022 (synthetic figure for the test)"
} as const

const runAll = <A, E>(program: Effect.Effect<A, E, EventStore.EventStore>) =>
  Effect.runPromise(Effect.result(program).pipe(Effect.provide(EventStore.layerMemory())))

describe("RecordPopulation", () => {
  it("records the figure in the tenant's statistics stream", async () => {
    const r = await runAll(
      Effect.gen(function* () {
        const result = yield* Commands.execute(base)
        const stored = yield* (yield* EventStore.EventStore).readStream("statistics-exempel-kommun")
        return { result, stored }
      })
    )
    if (r._tag !== "Success") throw new Error(String(r.failure))
    expect(r.success.result.events.map((e) => e.type)).toEqual(["PopulationRecorded"])
    expect(r.success.stored[0]?.payload).toEqual({ year: 2022, inhabitants: 81_500, source: base.source })
    expect(r.success.stored[0]?.tenant).toBe("exempel-kommun")
  })

  it("refuses a year that has not ended on the business date (a forecast, not a count)", async () => {
    const r = await runAll(Commands.execute({ ...base, occurredAt: "2022-06-30" }))
    expect(r._tag).toBe("Failure")
    if (r._tag === "Failure") {
      expect(DomainError.is(r.failure, "PopulationNotYetCounted")).toBe(true)
      expect(r.failure.message).toContain('field "year"')
      expect(r.failure.message).toContain("cannot be known on 2022-06-30")
    }
  })

  it("accepts the figure from 1 January on, not on 31 December itself", async () => {
    const onTheDay = await runAll(Commands.execute({ ...base, occurredAt: "2022-12-31" }))
    expect(onTheDay._tag === "Failure" && DomainError.is(onTheDay.failure, "PopulationNotYetCounted")).toBe(true)
    const nextDay = await runAll(Commands.execute({ ...base, occurredAt: "2023-01-01" }))
    expect(nextDay._tag).toBe("Success")
  })

  it("refuses zero inhabitants and a role that does not keep the figures", async () => {
    const zero = await runAll(Commands.execute({ ...base, inhabitants: 0 }))
    expect(zero._tag === "Failure" && zero.failure._tag).toBe("CommandInputError")
    const role = await runAll(Commands.execute({ ...base, actor: { id: "resenär", role: "traveller" } }))
    expect(role._tag === "Failure" && role.failure._tag).toBe("NotAuthorized")
  })

  it("is a no-op when given again; another figure for the year needs its own key (a revision)", async () => {
    const r = await runAll(
      Effect.gen(function* () {
        yield* Commands.execute(base)
        const again = yield* Commands.execute(base)
        const conflict = yield* Effect.result(Commands.execute({ ...base, inhabitants: 81_600 }))
        const revised = yield* Commands.execute({
          ...base,
          inhabitants: 81_600,
          idempotencyKey: "scb-2022-revised"
        })
        const stored = yield* (yield* EventStore.EventStore).readStream("statistics-exempel-kommun")
        return { again, conflict, revised, stored }
      })
    )
    if (r._tag !== "Success") throw new Error(String(r.failure))
    expect(r.success.again.alreadyRecorded).toBe(true)
    expect(r.success.conflict._tag === "Failure" && r.success.conflict.failure._tag).toBe(
      "IdempotencyConflict"
    )
    expect(r.success.revised.alreadyRecorded).toBe(false)
    expect(r.success.stored.map((e) => e.payload["inhabitants"])).toEqual([81_500, 81_600])
  })
})
