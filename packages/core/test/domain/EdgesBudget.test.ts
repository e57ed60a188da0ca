/**
 * The edges of each rule of the budget decider (one region's anslag 1:1 for one year), and the
 * exact words of every refusal: a reservation of exactly what is left next to one öre more, a
 * frame of exactly what is reserved next to one öre less, the optional fields an event copies only
 * when given. Expected events and messages are written out by hand (amounts in öre); see
 * docs/reference/mutation.md for the mutants these were written against.
 */
import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as Budget from "../../src/domain/Budget.js"
import { FundingEvent } from "../../src/events/Funding.js"
import { DeciderSpec } from "../../src/testing/index.js"
import { base, budget, finance, run } from "./helpers.js"

const events = Schema.decodeUnknownSync(Schema.Array(FundingEvent))
const message = (expected: string) => (error: { readonly message: string }) => expect(error.message).toBe(expected)
const spec = DeciderSpec.forDecider(Budget.aggregate.decider)

const key = { regionId: "region-norrbotten", year: 2022 }
const government = base("government", "2022-01-10", "regeringskansliet")
const allotted = (amount: number) =>
  events([{ _tag: "AppropriationAllotted", ...key, appropriation: "UO19 1:1", appropriationName: "Regionala utvecklingsåtgärder", amount }])
const framed = (projectSupport: number, businessSupport: number, commercialService: number, byPriority: ReadonlyArray<unknown> = []) =>
  events([
    {
      _tag: "AllocationFramed",
      ...key,
      projectSupport,
      businessSupport,
      commercialService,
      byPriority,
      decidingBody: "Regionala utvecklingsnämnden"
    }
  ])
const reserved = (applicationId: string, instrument: string, amount: number) =>
  events([{ _tag: "BudgetReserved", ...key, applicationId, instrument, amount }])
const released = (applicationId: string, instrument: string, amount: number) =>
  events([{ _tag: "BudgetReleased", ...key, applicationId, instrument, amount, reason: "Sänkt beviljat belopp" }])

const allot = (amount: number, extra: Record<string, unknown> = {}) =>
  budget({ _tag: "AllotAppropriation", ...government, ...key, appropriation: "UO19 1:1", appropriationName: "Regionala utvecklingsåtgärder", amount, ...extra })
const frame = (projectSupport: number, businessSupport: number, commercialService: number, byPriority: ReadonlyArray<unknown> = []) =>
  budget({ _tag: "FrameAllocation", ...run, ...key, projectSupport, businessSupport, commercialService, byPriority })
const reserve = (applicationId: string, instrument: string, amount: number) =>
  budget({ _tag: "ReserveBudget", ...run, ...key, applicationId, instrument, amount })
const release = (applicationId: string, amount: number) =>
  budget({ _tag: "ReleaseBudget", ...finance, ...key, applicationId, amount, reason: "Sänkt beviljat belopp" })

const line = (code: string, amount: number) => ({ ref: { schemeId: "rus-norrbotten-2022", code }, amount })

describe("the appropriation", () => {
  it("is recorded as allotted, with its source only when given", () => {
    spec.given([]).when(allot(1_000)).then(allotted(1_000))
    spec
      .given([])
      .when(allot(1_000, { source: "Regleringsbrev 2022" }))
      .then(
        events([
          {
            _tag: "AppropriationAllotted",
            ...key,
            appropriation: "UO19 1:1",
            appropriationName: "Regionala utvecklingsåtgärder",
            amount: 1_000,
            source: "Regleringsbrev 2022"
          }
        ])
      )
  })
  it("adds up over top-ups: a frame of the sum fits, one öre more does not", () => {
    const twice = [...allotted(1_000), ...allotted(500)]
    spec.given(twice).when(frame(1_000, 300, 200)).then(framed(1_000, 300, 200))
    spec
      .given(twice)
      .when(frame(1_000, 300, 201))
      .thenFails(
        "AppropriationExceeded",
        message(
          'AppropriationExceeded: field "projectSupport+businessSupport+commercialService" has value 1501, but the board\'s frame cannot exceed the appropriation of 1500 öre (budget region-norrbotten 2022)'
        )
      )
  })
})

describe("the board's frame", () => {
  it("needs the appropriation first", () => {
    spec
      .given([])
      .when(frame(100, 0, 0))
      .thenFails(
        "NoAppropriation",
        message('NoAppropriation: field "year" has value 2022, but a frame needs the year\'s appropriation first (budget region-norrbotten 2022)')
      )
  })
  it("goes down to exactly what each instrument has reserved, not below", () => {
    const state = [...allotted(1_000), ...reserved("a-1", "project-support", 100), ...reserved("a-2", "business-support", 200), ...reserved("a-3", "commercial-service", 300)]
    spec.given(state).when(frame(100, 200, 300)).then(framed(100, 200, 300))
    spec
      .given(state)
      .when(frame(99, 200, 300))
      .thenFails(
        "AllocationFrameExceeded",
        message('AllocationFrameExceeded: field "project-support" has value 99, but a frame cannot fall below the 100 öre already granted as project-support')
      )
    spec
      .given(state)
      .when(frame(100, 199, 300))
      .thenFails(
        "AllocationFrameExceeded",
        message('AllocationFrameExceeded: field "business-support" has value 199, but a frame cannot fall below the 200 öre already granted as business-support')
      )
    spec
      .given(state)
      .when(frame(100, 200, 299))
      .thenFails(
        "AllocationFrameExceeded",
        message('AllocationFrameExceeded: field "commercial-service" has value 299, but a frame cannot fall below the 300 öre already granted as commercial-service')
      )
  })
  it("has priority lines that add up to the frame, or none", () => {
    spec.given(allotted(1_000)).when(frame(600, 300, 100)).then(framed(600, 300, 100))
    const lines = [line("innovation", 700), line("kompetens", 300)]
    spec.given(allotted(1_000)).when(frame(600, 300, 100, lines)).then(framed(600, 300, 100, lines))
    spec
      .given(allotted(1_000))
      .when(frame(600, 300, 100, [line("innovation", 700), line("kompetens", 200)]))
      .thenFails(
        "PriorityLinesMismatch",
        message('PriorityLinesMismatch: field "byPriority" has value 900, but the priority lines must add up to the frame\'s 1000 öre')
      )
  })
  it("replaces the previous frame", () => {
    const state = [...allotted(1_000), ...framed(100, 100, 100), ...framed(500, 300, 200)]
    spec.given(state).when(reserve("a-1", "project-support", 500)).then(reserved("a-1", "project-support", 500))
  })
})

describe("reservations", () => {
  it("need the appropriation first", () => {
    spec
      .given([])
      .when(reserve("a-1", "project-support", 100))
      .thenFails(
        "NoAppropriation",
        message('NoAppropriation: field "year" has value 2022, but nothing can be granted before the year\'s appropriation is allotted (budget region-norrbotten 2022)')
      )
  })
  it("take the year's reservations of all three instruments up to exactly the appropriation, not an öre above", () => {
    const state = [...allotted(1_000), ...reserved("a-1", "project-support", 400), ...reserved("a-2", "business-support", 300), ...reserved("a-3", "commercial-service", 200)]
    spec.given(state).when(reserve("a-4", "project-support", 100)).then(reserved("a-4", "project-support", 100))
    spec
      .given(state)
      .when(reserve("a-4", "project-support", 101))
      .thenFails(
        "AppropriationExceeded",
        message(
          'AppropriationExceeded: field "amount" has value 101, but the year\'s grants would reach 1001 öre, above the appropriation of 1000 öre (budget region-norrbotten 2022)'
        )
      )
  })
  it("take an instrument's reservations up to exactly its frame, not an öre above", () => {
    const state = [...allotted(1_000), ...framed(500, 300, 200), ...reserved("a-1", "business-support", 200)]
    spec.given(state).when(reserve("a-2", "business-support", 100)).then(reserved("a-2", "business-support", 100))
    spec
      .given(state)
      .when(reserve("a-2", "business-support", 101))
      .thenFails(
        "AllocationFrameExceeded",
        message('AllocationFrameExceeded: field "amount" has value 101, but business-support grants would reach 301 öre, above the board\'s frame of 300 öre')
      )
  })
  it("keep an application to one instrument while it holds money, and add up for it", () => {
    const state = [...allotted(1_000), ...reserved("a-1", "project-support", 200)]
    spec
      .given(state)
      .when(reserve("a-1", "business-support", 100))
      .thenFails(
        "AllocationFrameExceeded",
        message('AllocationFrameExceeded: field "instrument" has value "business-support", but application a-1 already holds money as project-support')
      )
    // Everything given back: it holds nothing, so another instrument may be used.
    spec
      .given([...state, ...released("a-1", "project-support", 200)])
      .when(reserve("a-1", "business-support", 100))
      .then(reserved("a-1", "business-support", 100))
    // Two reservations of the same application are held together.
    spec.given([...state, ...reserved("a-1", "project-support", 100)]).when(release("a-1", 300)).then(released("a-1", "project-support", 300))
  })
})

describe("releases", () => {
  it("give back exactly what the application holds, under its instrument, not an öre more", () => {
    const state = [...allotted(1_000), ...reserved("a-1", "commercial-service", 300)]
    spec.given(state).when(release("a-1", 300)).then(released("a-1", "commercial-service", 300))
    spec
      .given(state)
      .when(release("a-1", 301))
      .thenFails(
        "ReleaseExceedsReservation",
        message('ReleaseExceedsReservation: field "amount" has value 301, but application a-1 holds only 300 öre of budget region-norrbotten 2022')
      )
  })
  it("count what was released before", () => {
    const state = [...allotted(1_000), ...reserved("a-1", "project-support", 300), ...released("a-1", "project-support", 100)]
    spec.given(state).when(release("a-1", 200)).then(released("a-1", "project-support", 200))
    spec
      .given(state)
      .when(release("a-1", 201))
      .thenFails(
        "ReleaseExceedsReservation",
        message('ReleaseExceedsReservation: field "amount" has value 201, but application a-1 holds only 200 öre of budget region-norrbotten 2022')
      )
  })
  it("free the money for other grants", () => {
    const state = [...allotted(1_000), ...framed(1_000, 0, 0), ...reserved("a-1", "project-support", 1_000), ...released("a-1", "project-support", 400)]
    spec.given(state).when(reserve("a-2", "project-support", 400)).then(reserved("a-2", "project-support", 400))
    spec
      .given(state)
      .when(reserve("a-2", "project-support", 401))
      .thenFails(
        "AppropriationExceeded",
        message(
          'AppropriationExceeded: field "amount" has value 401, but the year\'s grants would reach 1001 öre, above the appropriation of 1000 öre (budget region-norrbotten 2022)'
        )
      )
  })
  it("of an application that holds nothing, or in a year without money, are refused", () => {
    spec
      .given([])
      .when(release("a-1", 1))
      .thenFails(
        "ReleaseExceedsReservation",
        message('ReleaseExceedsReservation: field "amount" has value 1, but application a-1 holds only 0 öre of budget region-norrbotten 2022')
      )
    spec
      .given([...allotted(1_000), ...reserved("a-2", "project-support", 300)])
      .when(release("a-1", 1))
      .thenFails(
        "ReleaseExceedsReservation",
        message('ReleaseExceedsReservation: field "amount" has value 1, but application a-1 holds only 0 öre of budget region-norrbotten 2022')
      )
  })
})

describe("the rest", () => {
  it("ignores application events in a budget stream", () => {
    const receivedElsewhere = events([
      {
        _tag: "ApplicationReceived",
        applicationId: "a-1",
        regionId: "region-norrbotten",
        instrument: "project-support",
        applicant: { name: "Exempel AB" },
        title: "Investering",
        amountApplied: 100,
        receivedOn: "2022-02-01"
      }
    ])
    spec
      .given([...receivedElsewhere, ...allotted(1_000)])
      .when(reserve("a-1", "project-support", 1_000))
      .then(reserved("a-1", "project-support", 1_000))
  })
  it("totals the reservations of the three instruments", () => {
    const state = Budget.aggregate.initialState()
    expect(Budget.totalReserved(state)).toBe(0)
    expect(
      Budget.totalReserved({
        status: "funded",
        appropriation: 1_000,
        frame: undefined,
        reserved: { "project-support": 400, "business-support": 30, "commercial-service": 2 },
        holdings: {}
      })
    ).toBe(432)
  })
  it("names the stream of a command and itself", () => {
    expect(Budget.aggregate.streamOf(release("a-1", 1))).toBe("budget-region-norrbotten-2022")
    expect(Budget.aggregate.decider.name).toBe("budget")
  })
})
