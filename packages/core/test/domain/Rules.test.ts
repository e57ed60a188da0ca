import { Effect, Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as Agreement from "../../src/domain/Agreement.js"
import * as Application from "../../src/domain/Application.js"
import * as Budget from "../../src/domain/Budget.js"
import * as Grant from "../../src/domain/Grant.js"
import * as Membership from "../../src/domain/Membership.js"
import * as Trip from "../../src/domain/Trip.js"
import * as Decider from "../../src/Decider.js"
import { AgreementEvent } from "../../src/events/Agreement.js"
import { DeciderSpec } from "../../src/testing/index.js"
import {
  agreement,
  application,
  assess,
  board,
  budget,
  finance,
  grantBusiness,
  grantProject,
  ks,
  manager,
  membership,
  officer,
  receive,
  run,
  traveller,
  trip
} from "./helpers.js"

const eventsOf = <C, E, S, Err>(decider: Decider.Decider<C, E, S, Err>, commands: ReadonlyArray<C>): Array<E> => {
  const events: Array<E> = []
  for (const command of commands) {
    const result = Decider.decideSync(decider, command, Decider.fold(decider, events))
    if (Result.isFailure(result)) throw new Error(`setup command refused: ${String(result.failure)}`)
    events.push(...result.success)
  }
  return events
}

describe("membership", () => {
  const spec = DeciderSpec.forDecider(Membership.decider)
  const sign = membership({
    _tag: "SignMembership",
    ...ks,
    actorId: "lulea-kommun",
    organisationId: "ubc",
    kind: "member",
    joinedYear: 2003
  })
  const signed = eventsOf(Membership.decider, [sign])

  it("signs a membership", () => {
    spec.given([]).when(sign).then(signed)
  })
  it("refuses to join an organisation twice while the membership is active", () => {
    spec.given(signed).when(sign).thenFails("MembershipAlreadyActive", (e) => {
      expect(e.message).toContain("organisationId")
      expect(e.message).toContain('"ubc"')
    })
  })
  it("allows re-joining after the membership ended", () => {
    const ended = eventsOf(Membership.decider, [
      sign,
      membership({ _tag: "EndMembership", ...ks, actorId: "lulea-kommun", organisationId: "ubc", endedOn: "2024-01-01", reason: "resigned" })
    ])
    spec.given(ended).when(sign).then(signed)
  })
  it("assigns a UBC commission once", () => {
    const assign = membership({
      _tag: "AssignMembershipRole",
      ...ks,
      actorId: "lulea-kommun",
      organisationId: "ubc",
      role: "commission-member",
      body: "Sustainable Cities Commission"
    })
    const withRole = [...signed, ...eventsOf(Membership.decider, [sign, assign]).slice(1)]
    spec.given(withRole).when(assign).thenFails("RoleAlreadyAssigned")
  })
  it("refuses a role without an active membership", () => {
    spec
      .given([])
      .when(
        membership({ _tag: "AssignMembershipRole", ...ks, actorId: "lulea-kommun", organisationId: "barents-road", role: "secretariat-host" })
      )
      .thenFails("MembershipNotActive")
  })
  it("refuses a traveller signing a membership", () => {
    spec.given([]).when({ ...sign, actor: { id: "x", role: "traveller" } }).thenFails("NotAuthorized")
  })
})

describe("agreement", () => {
  const spec = DeciderSpec.forDecider(Agreement.decider)
  const parties = [{ name: "Luleå kommun", actorId: "lulea-kommun" }, { name: "Zenica", country: "BA" }]
  const sign = agreement({
    _tag: "SignAgreement",
    ...ks,
    agreementId: "lulea-zenica",
    kind: "twin-town",
    title: "Vänort Zenica",
    parties,
    priorityAreas: []
  })
  const toDormant = agreement({ _tag: "ChangeAgreementStatus", ...ks, agreementId: "lulea-zenica", to: "dormant" })
  const toActive = agreement({ _tag: "ChangeAgreementStatus", ...ks, agreementId: "lulea-zenica", to: "active" })
  const end = agreement({ _tag: "EndAgreement", ...ks, agreementId: "lulea-zenica", endedOn: "2024-01-01", reason: "Upphört" })

  // The expected events are written out by hand (not produced by the decider under test), so a
  // decider that records the wrong `from`, `to` or status fails here.
  const signed = {
    _tag: "AgreementSigned",
    agreementId: "lulea-zenica",
    kind: "twin-town",
    title: "Vänort Zenica",
    parties,
    priorityAreas: [],
    activity: "active"
  } as const
  const wentDormant = { _tag: "AgreementStatusChanged", agreementId: "lulea-zenica", from: "active", to: "dormant" } as const

  it("signs a twin town as active", () => {
    spec.given([]).when(sign).then([signed])
  })
  it("records a status change with the status it leaves and the one it enters", () => {
    spec.given([signed]).when(toDormant).then([wentDormant])
  })
  it("reactivates a dormant twin town", () => {
    spec
      .given([signed, wentDormant])
      .when(toActive)
      .then([{ _tag: "AgreementStatusChanged", agreementId: "lulea-zenica", from: "dormant", to: "active" }])
  })
  it("ends an agreement with its date and reason", () => {
    spec
      .given([signed, wentDormant])
      .when(end)
      .then([
        Schema.decodeUnknownSync(AgreementEvent)({
          _tag: "AgreementEnded",
          agreementId: "lulea-zenica",
          endedOn: "2024-01-01",
          reason: "Upphört"
        })
      ])
  })
  it("refuses to end an agreement twice", () => {
    spec.given(eventsOf(Agreement.decider, [sign, end])).when(end).thenFails("AgreementAlreadyEnded")
  })
  it("refuses to sign twice", () => {
    spec.given(eventsOf(Agreement.decider, [sign])).when(sign).thenFails("AgreementAlreadySigned")
  })
  it("fulfils a recorded intent (Tromsø)", () => {
    const intent = agreement({
      _tag: "RecordAgreementIntent",
      ...ks,
      agreementId: "lulea-tromso-cooperation",
      kind: "cooperation-agreement",
      title: "Samarbetsavtal Tromsø",
      parties: [{ name: "Luleå kommun" }, { name: "Tromsø", country: "NO" }],
      potentialAreas: [{ label: "Turism och marknadsföring" }],
      ambition: "när det är möjligt"
    })
    const signTromso = agreement({ ...sign, _tag: "SignAgreement", agreementId: "lulea-tromso-cooperation", kind: "cooperation-agreement" })
    const events = eventsOf(Agreement.decider, [intent, signTromso])
    expect(Decider.fold(Agreement.decider, events).status).toBe("active")
  })
  it("refuses a status change to the same status", () => {
    spec.given(eventsOf(Agreement.decider, [sign])).when(toActive).thenFails("InvalidAgreementStatusChange")
  })
})

describe("trip", () => {
  const spec = DeciderSpec.forDecider(Trip.decider)
  const propose = trip({
    _tag: "ProposeTrip",
    ...traveller,
    tripId: "t-2023-17",
    organiserActorId: "lulea-kommun",
    traveller: "subject-7f3a",
    purpose: "UBC General Conference",
    destination: "Gdańsk",
    departOn: "2023-10-10",
    returnOn: "2023-10-13",
    relatedTo: [{ kind: "membership", streamId: "membership-lulea-kommun-ubc" }],
    goalRefs: [{ schemeId: "lulea-goals-2024", code: "8" }]
  })
  const evaluation = {
    _tag: "EvaluateTrip",
    ...manager,
    tripId: "t-2023-17",
    checklist: { contributesToDevelopment: true, partOfExternalMonitoring: true, opportunityToInfluence: true },
    physicalMeetingNecessary: false,
    digitalAlternativeSufficient: true,
    mode: "flight",
    distanceKm: 1400,
    estimatedCo2eKg: 250,
    decision: "approved"
  }
  const complete = trip({ _tag: "CompleteTrip", ...traveller, tripId: "t-2023-17", completedOn: "2023-10-13", actualMode: "flight" })
  const proposed = eventsOf(Trip.decider, [propose])

  it("refuses to complete a trip before it is evaluated", () => {
    spec.given(proposed).when(complete).thenFails("TripNotEvaluated")
  })
  it("refuses to approve a flight without a reason when a digital meeting would serve", () => {
    spec.given(proposed).when(trip(evaluation)).thenFails("FlightApprovedWithoutReason", (e) => {
      expect(e.message).toContain('"reason"')
    })
  })
  it("approves the flight with a stated reason, then completes it", () => {
    const withReason = trip({ ...evaluation, reason: "Luleå håller i en workshop på plats" })
    const events = eventsOf(Trip.decider, [propose, withReason, complete])
    expect(Decider.fold(Trip.decider, events).status).toBe("completed")
  })
  it("refuses a return before departure", () => {
    spec.given([]).when(trip({ ...propose, returnOn: "2023-10-01" })).thenFails("TripDatesInvalid")
  })
  it("refuses a traveller evaluating their own trip", () => {
    spec.given(proposed).when(trip({ ...evaluation, ...traveller, reason: "x" })).thenFails("NotAuthorized")
  })
  it("never completes a declined trip", () => {
    const declined = eventsOf(Trip.decider, [propose, trip({ ...evaluation, decision: "declined" })])
    spec.given(declined).when(complete).thenFails("TripStatusConflict")
  })
})

describe("budget", () => {
  const spec = DeciderSpec.forDecider(Budget.decider)
  const allot = budget({
    _tag: "AllotAppropriation",
    ...base("finance-officer"),
    regionId: "region-norrbotten",
    year: 2022,
    appropriation: "1:1",
    appropriationName: "Regionala utvecklingsåtgärder",
    amount: 171_100_000_00
  })
  const frame = budget({
    _tag: "FrameAllocation",
    ...run,
    regionId: "region-norrbotten",
    year: 2022,
    projectSupport: 104_400_000_00,
    businessSupport: 58_700_000_00,
    commercialService: 8_000_000_00,
    byPriority: [
      { ref: { schemeId: "national-2015-2020", code: "attraktiva-miljoer" }, amount: 32_300_000_00 },
      { ref: { schemeId: "national-2015-2020", code: "innovation" }, amount: 120_100_000_00 },
      { ref: { schemeId: "national-2015-2020", code: "internationellt" }, amount: 1_400_000_00 },
      { ref: { schemeId: "national-2015-2020", code: "kompetens" }, amount: 5_300_000_00 },
      { ref: { schemeId: "national-2015-2020", code: "ovriga" }, amount: 12_000_000_00 }
    ]
  }) as Extract<Budget.Command, { readonly _tag: "FrameAllocation" }>
  const reserve = (instrument: string, amount: number) =>
    budget({ _tag: "ReserveBudget", ...run, regionId: "region-norrbotten", year: 2022, applicationId: `a-${amount}`, instrument, amount })
  const funded = eventsOf(Budget.decider, [allot, frame])

  it("frames the 2022 allocation: five priority lines adding up to 171.1 mkr", () => {
    expect(Decider.fold(Budget.decider, funded).status).toBe("funded")
  })
  it("refuses a frame above the appropriation", () => {
    spec
      .given(eventsOf(Budget.decider, [allot]))
      .when(budget({ ...frame, projectSupport: 200_000_000_00, byPriority: [] }))
      .thenFails("AppropriationExceeded")
  })
  it("refuses priority lines that do not add up", () => {
    spec
      .given(eventsOf(Budget.decider, [allot]))
      .when(budget({ ...frame, byPriority: frame.byPriority.slice(1) }))
      .thenFails("PriorityLinesMismatch")
  })
  it("refuses a grant that exceeds the instrument's frame", () => {
    spec.given(funded).when(reserve("commercial-service", 8_000_000_01)).thenFails("AllocationFrameExceeded")
  })
  it("refuses a grant that exceeds the appropriation", () => {
    const small = eventsOf(Budget.decider, [budget({ ...allot, amount: 1_000_00 })])
    spec.given(small).when(reserve("project-support", 1_000_01)).thenFails("AppropriationExceeded")
  })
  it("refuses a grant before the appropriation", () => {
    spec.given([]).when(reserve("project-support", 1)).thenFails("NoAppropriation")
  })
})

describe("application", () => {
  const spec = DeciderSpec.forDecider(Application.decider)
  const received = eventsOf(Application.decider, [receive("a1", "business-support"), assess("a1")])
  const granted = [...received, ...eventsOf(Application.decider, [receive("a1", "business-support"), assess("a1"), grantBusiness("a1", 500_000_00)]).slice(2)]
  const pay = (amount: number, paymentId = `p-${amount}`) =>
    application({ _tag: "DisbursePayment", ...finance, applicationId: "a1", paymentId, amount })
  const recover = (amount: number) =>
    application({ _tag: "RecoverGrant", ...run, applicationId: "a1", amount, reason: "Villkor ej uppfyllda" })

  it("refuses to grant an unknown application", () => {
    spec.given([]).when(grantBusiness("a1", 1)).thenFails("ApplicationNotFound")
  })
  it("refuses to grant a rejected application", () => {
    const rejected = eventsOf(Application.decider, [
      receive("a1", "business-support"),
      assess("a1"),
      application({ _tag: "RejectApplication", ...run, applicationId: "a1", reason: "competitive-market" })
    ])
    spec.given(rejected).when(grantBusiness("a1", 1)).thenFails("ApplicationStatusConflict")
  })
  it("refuses to decide before the assessment", () => {
    spec.given(eventsOf(Application.decider, [receive("a1", "business-support")])).when(grantBusiness("a1", 1)).thenFails("ApplicationNotAssessed")
  })
  it("refuses a grant under another instrument", () => {
    spec.given(received).when(grantProject("a1", 1)).thenFails("InstrumentMismatch")
  })
  it("refuses a grant by an officer (only the board grants)", () => {
    spec.given(received).when({ ...grantBusiness("a1", 1), actor: officer.actor }).thenFails("NotAuthorized")
  })
  it("refuses a payment above what remains of the grant", () => {
    const paid = [...granted, ...eventsOf(Application.decider, [receive("a1", "business-support"), assess("a1"), grantBusiness("a1", 500_000_00), pay(400_000_00)]).slice(3)]
    spec.given(paid).when(pay(100_000_01)).thenFails("GrantAmountInvalid", (e) => {
      expect(e.message).toContain("10000000 öre that remain")
    })
  })
  it("refuses a recovery above what was paid", () => {
    const all = eventsOf(Application.decider, [receive("a1", "business-support"), assess("a1"), grantBusiness("a1", 500_000_00), pay(100_000_00)])
    spec.given(all).when(recover(100_000_01)).thenFails("GrantAmountInvalid")
    spec.given(all).when(recover(100_000_00)).then(eventsOf(Application.decider, [receive("a1", "business-support"), assess("a1"), grantBusiness("a1", 500_000_00), pay(100_000_00), recover(100_000_00)]).slice(4))
  })
  it("refuses a payment after closing", () => {
    const closed = eventsOf(Application.decider, [
      receive("a1", "business-support"),
      assess("a1"),
      grantBusiness("a1", 500_000_00),
      application({ _tag: "CloseProject", ...officer, applicationId: "a1", outcome: "completed" })
    ])
    spec.given(closed).when(pay(1)).thenFails("ApplicationStatusConflict")
  })
  it("refuses a grant without a case number (decode)", () => {
    const { decisionRef: _drop, ...noRef } = grantBusiness("a1", 1)
    expect(() => application(noRef)).toThrow()
  })
})

describe("grant workflow", () => {
  const budgetState = (amount: number) =>
    Decider.fold(
      Budget.decider,
      eventsOf(Budget.decider, [
        budget({
          _tag: "AllotAppropriation",
          ...base("finance-officer"),
          regionId: "region-norrbotten",
          year: 2022,
          appropriation: "1:1",
          appropriationName: "Regionala utvecklingsåtgärder",
          amount
        })
      ])
    )
  const app = Decider.fold(Application.decider, eventsOf(Application.decider, [receive("a1", "project-support"), assess("a1")]))

  it("grants and reserves in the same decision", () => {
    const decision = Effect.runSync(Grant.decide(grantProject("a1", 1_000_00), app, () => budgetState(5_000_00)))
    expect(decision.application.map((e) => e._tag)).toEqual(["ProjectGranted"])
    expect(decision.budget.map((e) => e._tag)).toEqual(["BudgetReserved"])
  })
  it("refuses a grant above the year's appropriation", () => {
    const result = Effect.runSync(Effect.result(Grant.decide(grantProject("a1", 6_000_00), app, () => budgetState(5_000_00))))
    expect(Result.isFailure(result) && result.failure._tag).toBe("AppropriationExceeded")
  })
})

function base(role: string) {
  return { ...board, actor: { id: "x", role } }
}
