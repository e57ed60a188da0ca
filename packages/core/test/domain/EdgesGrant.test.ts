/**
 * The grant workflow's own rules, apart from the two deciders it combines: a grant reserves its
 * amount in the budget of the year it names, under the application's region; an amendment
 * reserves the difference upwards or releases it downwards, in the year the grant was charged to;
 * the role policy given is the one both deciders use; the handlers write both streams or none and
 * try again on a conflict as often as told. Expected decisions are written out by hand (Region
 * Norrbotten, amounts in öre); see docs/reference/mutation.md.
 */
import { Effect, Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as Application from "../../src/domain/Application.js"
import * as Budget from "../../src/domain/Budget.js"
import * as Commands from "../../src/domain/Commands.js"
import * as DomainError from "../../src/domain/DomainError.js"
import * as Grant from "../../src/domain/Grant.js"
import type * as RolePolicy from "../../src/domain/RolePolicy.js"
import * as Decider from "../../src/Decider.js"
import { EventStore, layerMemory, makeMemory } from "../../src/EventStore.js"
import { ConcurrencyConflict, fromReason } from "../../src/EventStoreError.js"
import { FundingEvent } from "../../src/events/Funding.js"
import { application, assess, base, budget, criteria, finance, grantBusiness, grantProject, officer, receive, run } from "./helpers.js"

const events = Schema.decodeUnknownSync(Schema.Array(FundingEvent))
const id = "app-1"
const key = { regionId: "region-norrbotten", year: 2022 }

const receivedAndAssessed = (instrument = "project-support") =>
  events([
    {
      _tag: "ApplicationReceived",
      applicationId: id,
      regionId: "region-norrbotten",
      instrument,
      applicant: { name: "Exempel AB" },
      title: "Investering",
      amountApplied: 1_000_00,
      receivedOn: "2022-02-01"
    },
    { _tag: "ApplicationAssessed", applicationId: id, criteria, recommendation: "grant" }
  ])
const projectGranted = (amount: number, year: number) =>
  events([
    {
      _tag: "ProjectGranted",
      applicationId: id,
      year,
      regionId: "region-norrbotten",
      amount,
      decidingBody: "Regionala utvecklingsnämnden",
      projectName: "Arctic 6G",
      priorityCodes: [{ schemeId: "national-2021-2030", code: "innovation" }],
      smartSpecialisationCodes: [{ schemeId: "s3-norrbotten-2022", code: "smart-samhalle" }],
      mainPurpose: "other",
      euProgramme: { source: "interreg-aurora" },
      plannedOutputs: [{ description: "technical solutions", planned: 6 }]
    }
  ])
const allotted = (year: number, amount: number) =>
  events([{ _tag: "AppropriationAllotted", regionId: "region-norrbotten", year, appropriation: "UO19 1:1", appropriationName: "Regionala utvecklingsåtgärder", amount }])
const reserved = (year: number, amount: number) =>
  events([{ _tag: "BudgetReserved", regionId: "region-norrbotten", year, applicationId: id, instrument: "project-support", amount }])

const applicationState = (history: ReadonlyArray<FundingEvent>) => Decider.fold(Application.aggregate.decider, history)
const budgetState = (history: ReadonlyArray<FundingEvent>) => Decider.fold(Budget.aggregate.decider, history)
const amend = (newAmount: number) => application({ _tag: "AmendGrant", ...run, applicationId: id, newAmount, reason: "Ändrad omfattning" })
if (amend(1)._tag !== "AmendGrant") throw new Error("not an amendment")
const amendGrant = (newAmount: number) => amend(newAmount) as Grant.BudgetedCommand

// Decides purely, recording which budget years the workflow asked for.
const decide = (
  command: Grant.BudgetedCommand,
  application: ReadonlyArray<FundingEvent>,
  budgetHistory: ReadonlyArray<FundingEvent>,
  policy: RolePolicy.RolePolicy = Commands.policy
) => {
  const asked: Array<string> = []
  const result = Effect.runSync(
    Effect.result(
      Grant.decideWith(policy)(command, applicationState(application), (regionId, year) => {
        asked.push(`${regionId} ${year}`)
        return budgetState(budgetHistory)
      })
    )
  )
  return { result, asked }
}
const success = <A, E>(result: Result.Result<A, E>): A => {
  if (Result.isFailure(result)) throw new Error(`refused: ${String((result.failure as { message?: unknown }).message)}`)
  return result.success
}
const failure = <A, E>(result: Result.Result<A, E>): E => {
  if (Result.isSuccess(result)) throw new Error(`expected a refusal, got ${JSON.stringify(result.success)}`)
  return result.failure
}

// What refused: a domain rule's reason, or another error's tag.
const reasonOf = (error: { readonly _tag: string }): string =>
  DomainError.is(error) ? error.reason._tag : error._tag

describe("a grant", () => {
  it("reserves its amount in the budget of the year it names, in the application's region", () => {
    const { result, asked } = decide(grantProject(id, 600, 2023), receivedAndAssessed(), allotted(2023, 1_000))
    expect(asked).toEqual(["region-norrbotten 2023"])
    expect(success(result)).toStrictEqual({
      application: projectGranted(600, 2023),
      budget: events([{ _tag: "BudgetReserved", regionId: "region-norrbotten", year: 2023, applicationId: id, instrument: "project-support", amount: 600 }]),
      budgetRegionId: "region-norrbotten",
      budgetYear: 2023
    })
  })
  it("reserves under the instrument of the grant", () => {
    const { result } = decide(grantBusiness(id, 400), receivedAndAssessed("business-support"), allotted(2022, 1_000))
    expect(success(result).budget).toStrictEqual(
      events([{ _tag: "BudgetReserved", ...key, applicationId: id, instrument: "business-support", amount: 400 }])
    )
  })
  it("is refused by the budget when the year's money does not reach, with the budget's words", () => {
    const { result } = decide(grantProject(id, 1_001), receivedAndAssessed(), allotted(2022, 1_000))
    const error = failure(result)
    expect(reasonOf(error)).toBe("AppropriationExceeded")
    expect(error.message).toBe(
      'AppropriationExceeded: field "amount" has value 1001, but the year\'s grants would reach 1001 öre, above the appropriation of 1000 öre (budget region-norrbotten 2022)'
    )
  })
  it("is refused by the application's rules before the budget is consulted", () => {
    const { result } = decide(grantProject(id, 600), receivedAndAssessed().slice(0, 1), allotted(2022, 1_000))
    expect(reasonOf(failure(result))).toBe("ApplicationNotAssessed")
  })
})

describe("an amendment", () => {
  const granted = [...receivedAndAssessed(), ...projectGranted(1_000, 2022)]
  it("upwards reserves the difference in the year the grant was charged to", () => {
    const { result, asked } = decide(amendGrant(1_500), granted, [...allotted(2022, 2_000), ...reserved(2022, 1_000)])
    expect(asked).toEqual(["region-norrbotten 2022"])
    expect(success(result)).toStrictEqual({
      application: events([
        { _tag: "GrantAmended", applicationId: id, previousAmount: 1_000, newAmount: 1_500, reason: "Ändrad omfattning", decidingBody: "Regionala utvecklingsnämnden" }
      ]),
      budget: events([{ _tag: "BudgetReserved", ...key, applicationId: id, instrument: "project-support", amount: 500 }]),
      budgetRegionId: "region-norrbotten",
      budgetYear: 2022
    })
  })
  it("downwards releases the difference, giving the amendment's reason", () => {
    const { result } = decide(amendGrant(800), granted, [...allotted(2022, 2_000), ...reserved(2022, 1_000)])
    expect(success(result).budget).toStrictEqual(
      events([{ _tag: "BudgetReleased", ...key, applicationId: id, instrument: "project-support", amount: 200, reason: "Ändrad omfattning" }])
    )
  })
  it("upwards by exactly what is left of the appropriation fits, one öre more does not", () => {
    const budgetHistory = [...allotted(2022, 1_500), ...reserved(2022, 1_000)]
    expect(success(decide(amendGrant(1_500), granted, budgetHistory).result).budget).toStrictEqual(
      events([{ _tag: "BudgetReserved", ...key, applicationId: id, instrument: "project-support", amount: 500 }])
    )
    expect(reasonOf(failure(decide(amendGrant(1_501), granted, budgetHistory).result))).toBe("AppropriationExceeded")
  })
  it("downwards cannot release more than the budget holds for the grant", () => {
    const { result } = decide(amendGrant(500), granted, [...allotted(2022, 2_000), ...reserved(2022, 400)])
    const error = failure(result)
    expect(error.message).toBe(
      'ReleaseExceedsReservation: field "amount" has value 500, but application app-1 holds only 400 öre of budget region-norrbotten 2022'
    )
  })
  it("of an application that was never granted is refused by the application's rules", () => {
    const { result, asked } = decide(amendGrant(500), receivedAndAssessed(), allotted(2022, 2_000))
    expect(reasonOf(failure(result))).toBe("ApplicationStatusConflict")
    expect(asked).toEqual([])
  })
})

describe("the role policy", () => {
  it("is the one given, for the application and the budget alike", () => {
    // An officer may grant under this policy, but not reserve budget money: the budget refuses.
    const grantOnly: RolePolicy.RolePolicy = { ...Commands.policy, GrantProject: ["officer"] }
    const byOfficer = Grant.decideWith(grantOnly)
    const command = { ...grantProject(id, 600), actor: officer.actor } as Grant.BudgetedCommand
    const refused = Effect.runSync(Effect.result(byOfficer(command, applicationState(receivedAndAssessed()), () => budgetState(allotted(2022, 1_000)))))
    const error = failure(refused)
    expect(error.message).toBe('field "actor.role" has value "officer" (actor "handlaggare-1"), but ReserveBudget may only be given by: regional-development-board')
    // Allowed both: the officer's grant goes through.
    const both: RolePolicy.RolePolicy = { ...grantOnly, ReserveBudget: ["officer"] }
    const granted = Effect.runSync(Effect.result(Grant.decideWith(both)(command, applicationState(receivedAndAssessed()), () => budgetState(allotted(2022, 1_000)))))
    expect(success(granted).budget).toHaveLength(1)
    // The default policy refuses the officer at the application already.
    expect(failure(decide(command, receivedAndAssessed(), allotted(2022, 1_000)).result).message).toBe(
      'field "actor.role" has value "officer" (actor "handlaggare-1"), but GrantProject may only be given by: regional-development-board'
    )
  })
})

describe("the handlers", () => {
  const allot = budget({
    _tag: "AllotAppropriation",
    ...finance,
    ...key,
    appropriation: "UO19 1:1",
    appropriationName: "Regionala utvecklingsåtgärder",
    amount: 1_000
  })
  it("write a grant to the application and the budget, and every other command to the application alone", async () => {
    const r = await Effect.runPromise(
      Effect.gen(function* () {
        yield* Budget.aggregate.handle(allot)
        const received = yield* Grant.applications.handle(receive(id, "project-support"))
        yield* Grant.applications.handle(assess(id))
        const granted = yield* Grant.applications.handle(grantProject(id, 600))
        const amended = yield* Grant.applications.handle(amendGrant(700))
        const store = yield* EventStore
        return {
          received: received.map((a) => [a.streamId, a.events.map((e) => e.type)]),
          granted: granted.map((a) => [a.streamId, a.events.map((e) => e.type)]),
          amended: amended.map((a) => [a.streamId, a.events.map((e) => e.type)]),
          budget: (yield* store.readStream("budget-region-norrbotten-2022")).map((e) => [e.type, e.payload["amount"]])
        }
      }).pipe(Effect.provide(layerMemory()))
    )
    expect(r).toEqual({
      received: [["application-app-1", ["ApplicationReceived"]]],
      granted: [
        ["application-app-1", ["ProjectGranted"]],
        ["budget-region-norrbotten-2022", ["BudgetReserved"]]
      ],
      amended: [
        ["application-app-1", ["GrantAmended"]],
        ["budget-region-norrbotten-2022", ["BudgetReserved"]]
      ],
      budget: [
        ["AppropriationAllotted", 1_000],
        ["BudgetReserved", 600],
        ["BudgetReserved", 100]
      ]
    })
  })
  it("try a conflicting write as many times as told (five by default), then give the conflict back", async () => {
    const attempts = (maxAttempts: number | undefined) =>
      Effect.runPromise(
        Effect.gen(function* () {
          const memory = yield* makeMemory()
          let appends = 0
          // A store where another writer always got there first.
          const contested: EventStore["Service"] = {
            ...memory,
            appendMany: () => {
              appends += 1
              return Effect.fail(fromReason(new ConcurrencyConflict({ streamId: "application-app-1", expected: "1", actual: 2 })))
            }
          }
          const seed = (command: Application.Command | Budget.Command) =>
            "applicationId" in command && command._tag !== "ReserveBudget" && command._tag !== "ReleaseBudget"
              ? Grant.applications.handle(command as Application.Command)
              : Budget.aggregate.handle(command as Budget.Command)
          yield* Effect.provideService(Effect.all([seed(allot), seed(receive(id, "project-support")), seed(assess(id))]), EventStore, memory)
          const outcome = yield* Effect.result(
            Effect.provideService(Grant.handle(grantProject(id, 600), maxAttempts === undefined ? {} : { maxAttempts }), EventStore, contested)
          )
          return { appends, refused: Result.isFailure(outcome) ? outcome.failure._tag : "written" }
        })
      )
    expect(await attempts(2)).toEqual({ appends: 2, refused: "EventStoreError" })
    expect(await attempts(undefined)).toEqual({ appends: 5, refused: "EventStoreError" })
  })
  it("refuse an unauthorised grant under a policy given to the handler", async () => {
    const r = await Effect.runPromise(
      Effect.gen(function* () {
        yield* Budget.aggregate.handle(allot)
        yield* Grant.applications.handle(receive(id, "project-support"))
        yield* Grant.applications.handle(assess(id))
        const command = { ...grantProject(id, 600), actor: base("officer").actor } as Grant.BudgetedCommand
        const byDefault = yield* Effect.result(Grant.handle(command))
        const allowed = yield* Grant.handle(command, { policy: { ...Commands.policy, GrantProject: ["officer"], ReserveBudget: ["officer"] } })
        return { byDefault: Result.isFailure(byDefault) ? byDefault.failure._tag : "written", allowed: allowed.appended.length }
      }).pipe(Effect.provide(layerMemory()))
    )
    expect(r).toEqual({ byDefault: "NotAuthorized", allowed: 2 })
  })
})
