import { Effect, Result } from "effect"
import { expect, it } from "vitest"
import * as Budget from "../../src/domain/Budget.js"
import * as Grant from "../../src/domain/Grant.js"
import { EventStore, layerMemory } from "../../src/EventStore.js"
import { assess, budget, finance, grantProject, receive } from "./helpers.js"

it("Grant.handle writes the grant and the reservation together, and refuses above the appropriation writing nothing", async () => {
  const budgetHandler = Budget.aggregate.handle
  const appHandler = Grant.applications.handle
  const program = Effect.gen(function* () {
    const store = yield* EventStore
    yield* budgetHandler(
      budget({ _tag: "AllotAppropriation", ...finance, regionId: "region-norrbotten", year: 2022, appropriation: "1:1", appropriationName: "Regionala utvecklingsåtgärder", amount: 1_000_00 })
    )
    yield* appHandler(receive("a1", "project-support"))
    yield* appHandler(assess("a1"))
    yield* appHandler(receive("a2", "project-support"))
    yield* appHandler(assess("a2"))
    const ok = yield* Grant.handle(grantProject("a1", 600_00))
    const sizeAfterGrant = (yield* store.head).size
    const refused = yield* Effect.result(Grant.handle(grantProject("a2", 600_00)))
    return { ok, sizeAfterGrant, refused, sizeAfter: (yield* store.head).size, budget: yield* store.readStream("budget-region-norrbotten-2022") }
  })
  const r = await Effect.runPromise(program.pipe(Effect.provide(layerMemory())))
  expect(r.ok.budget.map((e) => e._tag)).toEqual(["BudgetReserved"])
  expect(r.budget.map((e) => e.type)).toEqual(["AppropriationAllotted", "BudgetReserved"])
  expect(r.budget[1]?.decisionRef).toBe("RUN 00060-2022")
  expect(Result.isFailure(r.refused) && r.refused.failure._tag === "DomainError" && r.refused.failure.reason._tag).toBe("AppropriationExceeded")
  expect(r.sizeAfter).toBe(r.sizeAfterGrant)
})
