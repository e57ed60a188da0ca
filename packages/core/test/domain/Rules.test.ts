import { Effect, Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as DomainError from "../../src/domain/DomainError.js"
import * as Agreement from "../../src/domain/Agreement.js"
import * as Application from "../../src/domain/Application.js"
import * as Budget from "../../src/domain/Budget.js"
import * as Grant from "../../src/domain/Grant.js"
import * as Membership from "../../src/domain/Membership.js"
import * as Trip from "../../src/domain/Trip.js"
import * as Decider from "../../src/Decider.js"
import { AgreementEvent } from "../../src/events/Agreement.js"
import { FundingEvent } from "../../src/events/Funding.js"
import { MembershipEvent } from "../../src/events/Membership.js"
import { TravelEvent } from "../../src/events/Travel.js"
import { DeciderSpec } from "../../src/testing/index.js"
import {
  agreement,
  application,
  assess,
  board,
  budget,
  criteria,
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

// Every expected event below is written out by hand from the rules (never produced by the decider
// under test), so a decider that drops, renames or mis-copies a field fails here. Literals go
// through the event schemas only to give them their branded types.
const fundingEvents = Schema.decodeUnknownSync(Schema.Array(FundingEvent))
const membershipEvents = Schema.decodeUnknownSync(Schema.Array(MembershipEvent))
const travelEvents = Schema.decodeUnknownSync(Schema.Array(TravelEvent))

describe("membership", () => {
  const spec = DeciderSpec.forDecider(Membership.aggregate.decider)
  const sign = membership({
    _tag: "SignMembership",
    ...ks,
    actorId: "lulea-kommun",
    organisationId: "ubc",
    kind: "member",
    joinedYear: 2003
  })
  const signed = membershipEvents([
    { _tag: "MembershipSigned", actorId: "lulea-kommun", organisationId: "ubc", kind: "member", joinedYear: 2003 }
  ])
  const ended = membershipEvents([
    { _tag: "MembershipEnded", actorId: "lulea-kommun", organisationId: "ubc", endedOn: "2024-01-01", reason: "resigned" }
  ])

  it("signs a membership", () => {
    spec.given([]).when(sign).then(signed)
  })
  it("refuses to join an organisation twice while the membership is active", () => {
    spec.given(signed).when(sign).thenFails("MembershipAlreadyActive", (e) => {
      expect(e.message).toContain("organisationId")
      expect(e.message).toContain('"ubc"')
    })
  })
  it("ends a membership with its date and reason", () => {
    spec
      .given(signed)
      .when(membership({ _tag: "EndMembership", ...ks, actorId: "lulea-kommun", organisationId: "ubc", endedOn: "2024-01-01", reason: "resigned" }))
      .then(ended)
  })
  it("allows re-joining after the membership ended", () => {
    spec.given([...signed, ...ended]).when(sign).then(signed)
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
    const assigned = membershipEvents([
      {
        _tag: "MembershipRoleAssigned",
        actorId: "lulea-kommun",
        organisationId: "ubc",
        role: "commission-member",
        body: "Sustainable Cities Commission"
      }
    ])
    spec.given(signed).when(assign).then(assigned)
    spec.given([...signed, ...assigned]).when(assign).thenFails("RoleAlreadyAssigned")
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
  const spec = DeciderSpec.forDecider(Agreement.aggregate.decider)
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
    const ended = { _tag: "AgreementEnded", agreementId: "lulea-zenica", endedOn: "2024-01-01", reason: "Upphört" } as const
    spec.given([signed, Schema.decodeUnknownSync(AgreementEvent)(ended)]).when(end).thenFails("AgreementAlreadyEnded")
  })
  it("refuses to sign twice", () => {
    spec.given([signed]).when(sign).thenFails("AgreementAlreadySigned")
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
    const intended = Schema.decodeUnknownSync(AgreementEvent)({
      _tag: "AgreementIntentRecorded",
      agreementId: "lulea-tromso-cooperation",
      kind: "cooperation-agreement",
      title: "Samarbetsavtal Tromsø",
      parties: [{ name: "Luleå kommun" }, { name: "Tromsø", country: "NO" }],
      potentialAreas: [{ label: "Turism och marknadsföring" }],
      ambition: "när det är möjligt"
    })
    spec.given([]).when(intent).then([intended])
    spec
      .given([intended])
      .when(signTromso)
      .then([{ ...signed, agreementId: "lulea-tromso-cooperation", kind: "cooperation-agreement" }])
    spec.given([intended]).when(intent).thenFails("AgreementAlreadySigned")
  })
  it("refuses a status change to the same status", () => {
    spec.given([signed]).when(toActive).thenFails("InvalidAgreementStatusChange")
  })
})

describe("trip", () => {
  const spec = DeciderSpec.forDecider(Trip.aggregate.decider)
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
  const proposed = travelEvents([
    {
      _tag: "TripProposed",
      tripId: "t-2023-17",
      organiserActorId: "lulea-kommun",
      traveller: "subject-7f3a",
      purpose: "UBC General Conference",
      destination: "Gdańsk",
      departOn: "2023-10-10",
      returnOn: "2023-10-13",
      relatedTo: [{ kind: "membership", streamId: "membership-lulea-kommun-ubc" }],
      goalRefs: [{ schemeId: "lulea-goals-2024", code: "8" }]
    }
  ])
  const evaluated = (decision: string, reason?: string) =>
    travelEvents([
      {
        _tag: "TripEvaluated",
        tripId: "t-2023-17",
        checklist: { contributesToDevelopment: true, partOfExternalMonitoring: true, opportunityToInfluence: true },
        physicalMeetingNecessary: false,
        digitalAlternativeSufficient: true,
        mode: "flight",
        distanceKm: 1400,
        estimatedCo2eKg: 250,
        decision,
        ...(reason === undefined ? {} : { reason })
      }
    ])

  it("proposes a trip with what it is for and where it goes", () => {
    spec.given([]).when(propose).then(proposed)
  })

  it("refuses to complete a trip before it is evaluated", () => {
    spec.given(proposed).when(complete).thenFails("TripNotEvaluated")
  })
  it("refuses to approve a flight without a reason when a digital meeting would serve", () => {
    spec.given(proposed).when(trip(evaluation)).thenFails("FlightApprovedWithoutReason", (e) => {
      expect(e.message).toContain('"reason"')
    })
  })
  it("approves the flight with a stated reason, then completes it", () => {
    const reason = "Luleå håller i en workshop på plats"
    const approved = evaluated("approved", reason)
    spec.given(proposed).when(trip({ ...evaluation, reason })).then(approved)
    spec
      .given([...proposed, ...approved])
      .when(complete)
      .then(travelEvents([{ _tag: "TripCompleted", tripId: "t-2023-17", completedOn: "2023-10-13", actualMode: "flight" }]))
  })
  it("refuses a return before departure", () => {
    spec.given([]).when(trip({ ...propose, returnOn: "2023-10-01" })).thenFails("TripDatesInvalid")
  })
  it("refuses a traveller evaluating their own trip", () => {
    spec.given(proposed).when(trip({ ...evaluation, ...traveller, reason: "x" })).thenFails("NotAuthorized")
  })
  it("never completes a declined trip", () => {
    const declined = evaluated("declined")
    spec.given(proposed).when(trip({ ...evaluation, decision: "declined" })).then(declined)
    spec.given([...proposed, ...declined]).when(complete).thenFails("TripStatusConflict")
  })
})

describe("budget", () => {
  const spec = DeciderSpec.forDecider(Budget.aggregate.decider)
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
  const allotted = (amount: number) =>
    fundingEvents([
      {
        _tag: "AppropriationAllotted",
        regionId: "region-norrbotten",
        year: 2022,
        appropriation: "1:1",
        appropriationName: "Regionala utvecklingsåtgärder",
        amount
      }
    ])
  // RUN 00060-2022: 104.4 + 58.7 + 8.0 = 171.1 mkr, and the five priority lines
  // 32.3 + 120.1 + 1.4 + 5.3 + 12.0 = 171.1 mkr (seed-facts, Norrbotten 2022).
  const framed = fundingEvents([
    {
      _tag: "AllocationFramed",
      regionId: "region-norrbotten",
      year: 2022,
      projectSupport: 104_400_000_00,
      businessSupport: 58_700_000_00,
      commercialService: 8_000_000_00,
      byPriority: frame.byPriority,
      decidingBody: "Regionala utvecklingsnämnden"
    }
  ])
  const funded = [...allotted(171_100_000_00), ...framed]

  it("allots the appropriation", () => {
    spec.given([]).when(allot).then(allotted(171_100_000_00))
  })
  it("frames the 2022 allocation: five priority lines adding up to 171.1 mkr", () => {
    spec.given(allotted(171_100_000_00)).when(frame).then(framed)
  })
  it("reserves a grant within the frame, up to the frame's last öre", () => {
    spec
      .given(funded)
      .when(reserve("commercial-service", 8_000_000_00))
      .then(
        fundingEvents([
          {
            _tag: "BudgetReserved",
            regionId: "region-norrbotten",
            year: 2022,
            applicationId: "a-800000000",
            instrument: "commercial-service",
            amount: 8_000_000_00
          }
        ])
      )
  })
  it("refuses a frame above the appropriation", () => {
    spec
      .given(allotted(171_100_000_00))
      .when(budget({ ...frame, projectSupport: 200_000_000_00, byPriority: [] }))
      .thenFails("AppropriationExceeded")
  })
  it("refuses priority lines that do not add up", () => {
    spec
      .given(allotted(171_100_000_00))
      .when(budget({ ...frame, byPriority: frame.byPriority.slice(1) }))
      .thenFails("PriorityLinesMismatch")
  })
  it("refuses a grant that exceeds the instrument's frame", () => {
    spec.given(funded).when(reserve("commercial-service", 8_000_000_01)).thenFails("AllocationFrameExceeded")
  })
  it("refuses a grant that exceeds the appropriation", () => {
    spec.given(allotted(1_000_00)).when(reserve("project-support", 1_000_01)).thenFails("AppropriationExceeded")
  })
  it("refuses a grant before the appropriation", () => {
    spec.given([]).when(reserve("project-support", 1)).thenFails("NoAppropriation")
  })
})

describe("application", () => {
  const spec = DeciderSpec.forDecider(Application.aggregate.decider)
  const arrived = fundingEvents([
    {
      _tag: "ApplicationReceived",
      applicationId: "a1",
      regionId: "region-norrbotten",
      instrument: "business-support",
      applicant: { name: "Exempel AB" },
      title: "Investering",
      amountApplied: 100_000_00,
      receivedOn: "2022-02-01"
    }
  ])
  const assessed = fundingEvents([{ _tag: "ApplicationAssessed", applicationId: "a1", criteria, recommendation: "grant" }])
  const received = [...arrived, ...assessed]
  const grantedEvent = fundingEvents([
    {
      _tag: "BusinessSupportGranted",
      applicationId: "a1",
      year: 2022,
      regionId: "region-norrbotten",
      amount: 500_000_00,
      decidingBody: "Regionala utvecklingsnämnden",
      supportType: "investment",
      sector: "tourism",
      supportArea: "A",
      investment: 1_500_000_00,
      expectedJobsWomen: 1,
      expectedJobsMen: 1,
      leadership: "shared",
      euCoFinancing: { source: "react-eu", ratePercent: 100 }
    }
  ])
  const granted = [...received, ...grantedEvent]
  const paid = (amount: number) =>
    fundingEvents([{ _tag: "PaymentDisbursed", applicationId: "a1", paymentId: `p-${amount}`, amount }])
  const pay = (amount: number, paymentId = `p-${amount}`) =>
    application({ _tag: "DisbursePayment", ...finance, applicationId: "a1", paymentId, amount })
  const recover = (amount: number) =>
    application({ _tag: "RecoverGrant", ...run, applicationId: "a1", amount, reason: "Villkor ej uppfyllda" })

  it("receives an application, then records its assessment", () => {
    spec.given([]).when(receive("a1", "business-support")).then(arrived)
    spec.given(arrived).when(assess("a1")).then(assessed)
  })
  it("grants an assessed application in the region it was made to (the case number stays in the envelope)", () => {
    spec.given(received).when(grantBusiness("a1", 500_000_00)).then(grantedEvent)
  })
  it("refuses to grant an unknown application", () => {
    spec.given([]).when(grantBusiness("a1", 1)).thenFails("ApplicationNotFound")
  })
  it("refuses to grant a rejected application", () => {
    const rejection = fundingEvents([
      { _tag: "ApplicationRejected", applicationId: "a1", reason: "competitive-market", decidingBody: "Regionala utvecklingsnämnden" }
    ])
    spec
      .given(received)
      .when(application({ _tag: "RejectApplication", ...run, applicationId: "a1", reason: "competitive-market" }))
      .then(rejection)
    spec.given([...received, ...rejection]).when(grantBusiness("a1", 1)).thenFails("ApplicationStatusConflict")
  })
  it("refuses to decide before the assessment", () => {
    spec.given(arrived).when(grantBusiness("a1", 1)).thenFails("ApplicationNotAssessed")
  })
  it("refuses a grant under another instrument", () => {
    spec.given(received).when(grantProject("a1", 1)).thenFails("InstrumentMismatch")
  })
  it("refuses a grant by an officer (only the board grants)", () => {
    spec.given(received).when({ ...grantBusiness("a1", 1), actor: officer.actor }).thenFails("NotAuthorized")
  })
  it("refuses a payment above what remains of the grant", () => {
    spec.given(granted).when(pay(400_000_00)).then(paid(400_000_00))
    const afterFirst = [...granted, ...paid(400_000_00)]
    spec.given(afterFirst).when(pay(100_000_01)).thenFails("GrantAmountInvalid", (e) => {
      expect(e.message).toContain("10000000 öre that remain")
    })
    spec.given(afterFirst).when(pay(100_000_00)).then(paid(100_000_00))
  })
  it("refuses a recovery above what was paid", () => {
    const all = [...granted, ...paid(100_000_00)]
    spec.given(all).when(recover(100_000_01)).thenFails("GrantAmountInvalid")
    spec
      .given(all)
      .when(recover(100_000_00))
      .then(
        fundingEvents([
          {
            _tag: "GrantRecovered",
            applicationId: "a1",
            amount: 100_000_00,
            reason: "Villkor ej uppfyllda",
            decidingBody: "Regionala utvecklingsnämnden"
          }
        ])
      )
  })
  it("refuses a payment after closing", () => {
    const closed = fundingEvents([{ _tag: "ProjectClosed", applicationId: "a1", outcome: "completed" }])
    spec
      .given(granted)
      .when(application({ _tag: "CloseProject", ...officer, applicationId: "a1", outcome: "completed" }))
      .then(closed)
    spec.given([...granted, ...closed]).when(pay(1)).thenFails("ApplicationStatusConflict")
  })
  it("refuses a grant without a case number (decode)", () => {
    const { decisionRef: _drop, ...noRef } = grantBusiness("a1", 1)
    expect(() => application(noRef)).toThrow()
  })
})

describe("grant workflow", () => {
  const budgetState = (amount: number) =>
    Decider.fold(
      Budget.aggregate.decider,
      fundingEvents([
        {
          _tag: "AppropriationAllotted",
          regionId: "region-norrbotten",
          year: 2022,
          appropriation: "1:1",
          appropriationName: "Regionala utvecklingsåtgärder",
          amount
        }
      ])
    )
  const app = Decider.fold(
    Application.aggregate.decider,
    fundingEvents([
      {
        _tag: "ApplicationReceived",
        applicationId: "a1",
        regionId: "region-norrbotten",
        instrument: "project-support",
        applicant: { name: "Exempel AB" },
        title: "Investering",
        amountApplied: 100_000_00,
        receivedOn: "2022-02-01"
      },
      { _tag: "ApplicationAssessed", applicationId: "a1", criteria, recommendation: "grant" }
    ])
  )

  it("grants and reserves the same amount in the same decision", () => {
    const decision = Effect.runSync(Grant.decide(grantProject("a1", 1_000_00), app, () => budgetState(5_000_00)))
    expect(decision.application).toEqual(
      fundingEvents([
        {
          _tag: "ProjectGranted",
          applicationId: "a1",
          year: 2022,
          regionId: "region-norrbotten",
          amount: 1_000_00,
          decidingBody: "Regionala utvecklingsnämnden",
          projectName: "Arctic 6G",
          priorityCodes: [{ schemeId: "national-2021-2030", code: "innovation" }],
          smartSpecialisationCodes: [{ schemeId: "s3-norrbotten-2022", code: "smart-samhalle" }],
          mainPurpose: "other",
          euProgramme: { source: "interreg-aurora" },
          plannedOutputs: [{ description: "technical solutions", planned: 6 }]
        }
      ])
    )
    expect(decision.budget).toEqual(
      fundingEvents([
        {
          _tag: "BudgetReserved",
          regionId: "region-norrbotten",
          year: 2022,
          applicationId: "a1",
          instrument: "project-support",
          amount: 1_000_00
        }
      ])
    )
  })
  it("grants up to the appropriation's last öre", () => {
    const decision = Effect.runSync(Grant.decide(grantProject("a1", 5_000_00), app, () => budgetState(5_000_00)))
    expect(decision.budget.map((e) => e._tag === "BudgetReserved" && e.amount)).toEqual([5_000_00])
  })
  it("refuses a grant above the year's appropriation", () => {
    const result = Effect.runSync(Effect.result(Grant.decide(grantProject("a1", 5_000_01), app, () => budgetState(5_000_00))))
    expect(Result.isFailure(result) && DomainError.is(result.failure, "AppropriationExceeded")).toBe(true)
  })
})

function base(role: string) {
  return { ...board, actor: { id: "x", role } }
}
