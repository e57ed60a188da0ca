/**
 * The edges of each rule of the membership, agreement and trip deciders, and the exact words of
 * every refusal: a boundary that is allowed (returning on the day of departure), the case next to
 * it that is refused, the optional fields that an event copies only when given, and the message a
 * person reads. Written to kill the mutants that survived the rule specifications (see
 * docs/reference/mutation.md); expected events and messages are written out by hand.
 */
import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as Agreement from "../../src/domain/Agreement.js"
import * as Membership from "../../src/domain/Membership.js"
import * as Trip from "../../src/domain/Trip.js"
import * as Decider from "../../src/Decider.js"
import { AgreementEvent } from "../../src/events/Agreement.js"
import { MembershipEvent } from "../../src/events/Membership.js"
import { TravelEvent } from "../../src/events/Travel.js"
import { DeciderSpec } from "../../src/testing/index.js"
import { agreement, ks, manager, membership, traveller, trip } from "./helpers.js"

const agreementEvents = Schema.decodeUnknownSync(Schema.Array(AgreementEvent))
const membershipEvents = Schema.decodeUnknownSync(Schema.Array(MembershipEvent))
const travelEvents = Schema.decodeUnknownSync(Schema.Array(TravelEvent))
const message = (expected: string) => (error: { readonly message: string }) => expect(error.message).toBe(expected)

describe("agreement edges", () => {
  const spec = DeciderSpec.forDecider(Agreement.aggregate.decider)
  const parties = [{ name: "Luleå kommun", actorId: "lulea-kommun" }, { name: "Novéant-sur-Moselle", country: "FR" }]
  const sign = {
    _tag: "SignAgreement",
    ...ks,
    agreementId: "lulea-noveant",
    kind: "twin-town",
    title: "Vänort Novéant",
    parties,
    priorityAreas: []
  }
  const signed = agreementEvents([
    { _tag: "AgreementSigned", agreementId: "lulea-noveant", kind: "twin-town", title: "Vänort Novéant", parties, priorityAreas: [], activity: "active" }
  ])
  const status = (from: string, to: string) => agreementEvents([{ _tag: "AgreementStatusChanged", agreementId: "lulea-noveant", from, to }])
  const ended = (endedOn: string) => agreementEvents([{ _tag: "AgreementEnded", agreementId: "lulea-noveant", endedOn, reason: "Upphört" }])
  const change = (to: string, extra: Record<string, unknown> = {}) =>
    agreement({ _tag: "ChangeAgreementStatus", ...ks, agreementId: "lulea-noveant", to, ...extra })
  const end = (extra: Record<string, unknown> = {}) =>
    agreement({ _tag: "EndAgreement", ...ks, agreementId: "lulea-noveant", endedOn: "2025-06-30", reason: "Upphört", ...extra })

  it("copies the signing date, year and deciding body when given (Novéant, KS 2023-08-01)", () => {
    spec
      .given([])
      .when(agreement({ ...sign, signedOn: "2023-08-01", signedYear: 2023, decidingBody: "Kommunstyrelsen" }))
      .then(
        agreementEvents([
          {
            _tag: "AgreementSigned",
            agreementId: "lulea-noveant",
            kind: "twin-town",
            title: "Vänort Novéant",
            parties,
            priorityAreas: [],
            signedOn: "2023-08-01",
            signedYear: 2023,
            decidingBody: "Kommunstyrelsen",
            activity: "active"
          }
        ])
      )
  })
  it("a status change back from dormant and down again folds both ways", () => {
    spec.given([...signed, ...status("active", "dormant"), ...status("dormant", "active")]).when(change("dormant")).then(status("active", "dormant"))
  })
  it("a status change keeps its reason", () => {
    spec
      .given(signed)
      .when(change("dormant", { reason: "Inga aktiviteter sedan 2019" }))
      .then(agreementEvents([{ _tag: "AgreementStatusChanged", agreementId: "lulea-noveant", from: "active", to: "dormant", reason: "Inga aktiviteter sedan 2019" }]))
  })
  it("an ended agreement keeps the date it first ended on, whatever follows", () => {
    spec
      .given([...signed, ...ended("2024-01-01"), ...ended("2025-01-01")])
      .when(end())
      .thenFails(
        "AgreementAlreadyEnded",
        message('AgreementAlreadyEnded: field "agreementId" has value "lulea-noveant", but an agreement cannot be ended twice (it ended on 2024-01-01)')
      )
  })
  it("an end keeps its deciding body", () => {
    spec
      .given(signed)
      .when(end({ decidingBody: "Kommunfullmäktige" }))
      .then(agreementEvents([{ _tag: "AgreementEnded", agreementId: "lulea-noveant", endedOn: "2025-06-30", reason: "Upphört", decidingBody: "Kommunfullmäktige" }]))
  })
  it("says why each refusal happened", () => {
    spec
      .given([])
      .when(change("dormant"))
      .thenFails("AgreementNotFound", message('AgreementNotFound: field "agreementId" has value "lulea-noveant", but no such agreement'))
    spec
      .given([])
      .when(end())
      .thenFails("AgreementNotFound", message('AgreementNotFound: field "agreementId" has value "lulea-noveant", but no such agreement'))
    spec
      .given([...signed, ...ended("2024-01-01")])
      .when(change("active"))
      .thenFails(
        "InvalidAgreementStatusChange",
        message('InvalidAgreementStatusChange: field "to" has value "active", but only a signed, not ended agreement can be active or dormant (this one is ended)')
      )
    spec
      .given(signed)
      .when(change("active"))
      .thenFails("InvalidAgreementStatusChange", message('InvalidAgreementStatusChange: field "to" has value "active", but the agreement is already active'))
    spec
      .given(signed)
      .when(agreement(sign))
      .thenFails(
        "AgreementAlreadySigned",
        message('AgreementAlreadySigned: field "agreementId" has value "lulea-noveant", but an agreement is signed once (this one is active)')
      )
    spec
      .given(signed)
      .when(
        agreement({
          _tag: "RecordAgreementIntent",
          ...ks,
          agreementId: "lulea-noveant",
          kind: "twin-town",
          title: "Vänort Novéant",
          parties,
          potentialAreas: [],
          ambition: "när det är möjligt"
        })
      )
      .thenFails(
        "AgreementAlreadySigned",
        message('AgreementAlreadySigned: field "agreementId" has value "lulea-noveant", but an intent is recorded only for a new agreement (this one is active)')
      )
  })
  it("is named for its stream family", () => {
    expect(Agreement.aggregate.decider.name).toBe("agreement")
  })
})

describe("membership edges", () => {
  const spec = DeciderSpec.forDecider(Membership.aggregate.decider)
  const key = { ...ks, actorId: "lulea-kommun", organisationId: "ubc" }
  const sign = membership({ _tag: "SignMembership", ...key, kind: "member", joinedOn: "1991-09-20", purpose: "Östersjösamarbete" })
  const signed = membershipEvents([
    { _tag: "MembershipSigned", actorId: "lulea-kommun", organisationId: "ubc", kind: "member", joinedOn: "1991-09-20", purpose: "Östersjösamarbete" }
  ])
  const assign = (role: string, body?: string) =>
    membership({ _tag: "AssignMembershipRole", ...key, role, ...(body === undefined ? {} : { body }) })
  const assigned = (role: string, body?: string) =>
    membershipEvents([{ _tag: "MembershipRoleAssigned", actorId: "lulea-kommun", organisationId: "ubc", role, ...(body === undefined ? {} : { body }) }])
  const ended = membershipEvents([
    { _tag: "MembershipEnded", actorId: "lulea-kommun", organisationId: "ubc", endedOn: "2024-01-01", reason: "other", explanation: "Ersatt av BSSSC" }
  ])

  it("copies the join date and purpose when given", () => {
    spec.given([]).when(sign).then(signed)
  })
  it("copies a role's body and term when given", () => {
    spec
      .given(signed)
      .when(membership({ _tag: "AssignMembershipRole", ...key, role: "chair", from: "2023-01-01", to: "2024-12-31" }))
      .then(membershipEvents([{ _tag: "MembershipRoleAssigned", actorId: "lulea-kommun", organisationId: "ubc", role: "chair", from: "2023-01-01", to: "2024-12-31" }]))
    spec.given(signed).when(assign("commission-member")).then(assigned("commission-member"))
  })
  it("a role is the same role only with the same body: another body or another role is a new role", () => {
    const held = [...signed, ...assigned("commission-member", "Sustainable Cities Commission")]
    spec.given(held).when(assign("commission-member", "Youth Commission")).then(assigned("commission-member", "Youth Commission"))
    spec.given(held).when(assign("board-member", "Sustainable Cities Commission")).then(assigned("board-member", "Sustainable Cities Commission"))
    spec.given(held).when(assign("commission-member")).then(assigned("commission-member"))
    spec
      .given(held)
      .when(assign("commission-member", "Sustainable Cities Commission"))
      .thenFails(
        "RoleAlreadyAssigned",
        message('RoleAlreadyAssigned: field "role" has value "commission-member", but the role is already held in Sustainable Cities Commission')
      )
    spec
      .given([...signed, ...assigned("chair")])
      .when(assign("chair"))
      .thenFails("RoleAlreadyAssigned", message('RoleAlreadyAssigned: field "role" has value "chair", but the role is already held'))
  })
  it("an end keeps its explanation, and a re-joined membership counts its terms", () => {
    spec
      .given(signed)
      .when(membership({ _tag: "EndMembership", ...key, endedOn: "2024-01-01", reason: "other", explanation: "Ersatt av BSSSC" }))
      .then(ended)
    const state = Decider.fold(Membership.aggregate.decider, [...signed, ...ended, ...signed])
    expect(state).toMatchObject({ status: "active", terms: 2 })
    expect(Decider.fold(Membership.aggregate.decider, signed)).toMatchObject({ terms: 1 })
  })
  it("says why each refusal happened", () => {
    spec
      .given(signed)
      .when(sign)
      .thenFails(
        "MembershipAlreadyActive",
        message(
          'MembershipAlreadyActive: field "organisationId" has value "ubc", but an organisation cannot be joined twice while a membership is active (lulea-kommun is already a member)'
        )
      )
    spec
      .given([...signed, ...ended])
      .when(membership({ _tag: "EndMembership", ...key, endedOn: "2025-01-01", reason: "resigned" }))
      .thenFails(
        "MembershipNotActive",
        message('MembershipNotActive: field "organisationId" has value "ubc", but EndMembership needs an active membership of ubc by lulea-kommun (it is ended)')
      )
    spec
      .given([...signed, ...ended])
      .when(assign("chair"))
      .thenFails(
        "MembershipNotActive",
        message('MembershipNotActive: field "organisationId" has value "ubc", but AssignMembershipRole needs an active membership of ubc by lulea-kommun (it is ended)')
      )
  })
})

describe("trip edges", () => {
  const spec = DeciderSpec.forDecider(Trip.aggregate.decider)
  const propose = {
    _tag: "ProposeTrip",
    ...traveller,
    tripId: "t-2024-03",
    organiserActorId: "lulea-kommun",
    traveller: "subject-7f3a",
    purpose: "Barents Road",
    destination: "Kirkenes",
    departOn: "2024-05-06",
    returnOn: "2024-05-08",
    relatedTo: [],
    goalRefs: []
  }
  const proposedOn = (departOn: string, returnOn: string) =>
    travelEvents([
      {
        _tag: "TripProposed",
        tripId: "t-2024-03",
        organiserActorId: "lulea-kommun",
        traveller: "subject-7f3a",
        purpose: "Barents Road",
        destination: "Kirkenes",
        departOn,
        returnOn,
        relatedTo: [],
        goalRefs: []
      }
    ])
  const proposed = proposedOn("2024-05-06", "2024-05-08")
  const evaluate = (fields: Record<string, unknown>) =>
    trip({
      _tag: "EvaluateTrip",
      ...manager,
      tripId: "t-2024-03",
      checklist: { contributesToDevelopment: true, partOfExternalMonitoring: false, opportunityToInfluence: true },
      physicalMeetingNecessary: true,
      digitalAlternativeSufficient: true,
      mode: "mixed",
      distanceKm: 900,
      estimatedCo2eKg: 120,
      decision: "approved",
      ...fields
    })
  const evaluated = (fields: Record<string, unknown>) =>
    travelEvents([
      {
        _tag: "TripEvaluated",
        tripId: "t-2024-03",
        checklist: { contributesToDevelopment: true, partOfExternalMonitoring: false, opportunityToInfluence: true },
        physicalMeetingNecessary: true,
        digitalAlternativeSufficient: true,
        mode: "mixed",
        distanceKm: 900,
        estimatedCo2eKg: 120,
        decision: "approved",
        ...fields
      }
    ])
  const approved = evaluated({ mode: "train", digitalAlternativeSufficient: false })
  const complete = (completedOn: string) => trip({ _tag: "CompleteTrip", ...traveller, tripId: "t-2024-03", completedOn, actualMode: "train" })
  const completed = (completedOn: string) => travelEvents([{ _tag: "TripCompleted", tripId: "t-2024-03", completedOn, actualMode: "train" }])
  const cancel = trip({ _tag: "CancelTrip", ...traveller, tripId: "t-2024-03", reason: "Mötet blev digitalt" })
  const cancelled = travelEvents([{ _tag: "TripCancelled", tripId: "t-2024-03", reason: "Mötet blev digitalt" }])
  const conflict = (rule: string) => message(`TripStatusConflict: field "tripId" has value "t-2024-03", but ${rule}`)

  it("a day trip returns on the day it departs; a return the day before is refused", () => {
    spec.given([]).when(trip({ ...propose, returnOn: "2024-05-06" })).then(proposedOn("2024-05-06", "2024-05-06"))
    spec
      .given([])
      .when(trip({ ...propose, returnOn: "2024-05-05" }))
      .thenFails("TripDatesInvalid", message('TripDatesInvalid: field "returnOn" has value "2024-05-05", but a trip cannot return before it departs (2024-05-06)'))
  })
  it("a trip is proposed once and evaluated once", () => {
    spec.given(proposed).when(trip(propose)).thenFails("TripStatusConflict", conflict("a trip is proposed once (it is proposed)"))
    spec
      .given([...proposed, ...approved])
      .when(evaluate({ mode: "train" }))
      .thenFails("TripStatusConflict", conflict("only a proposed, not yet evaluated trip is evaluated (it is evaluated)"))
  })
  it("digital first: a mixed journey with flights needs a reason as a flight does, and a blank reason is none", () => {
    const refusal = message(
      'FlightApprovedWithoutReason: field "reason" has value (missing), but when a digital meeting would serve, approving a flight needs a stated reason (digital first, 000:31)'
    )
    spec.given(proposed).when(evaluate({})).thenFails("FlightApprovedWithoutReason", refusal)
    spec
      .given(proposed)
      .when(evaluate({ reason: "   " }))
      .thenFails("FlightApprovedWithoutReason", (e) => expect(e.message).toContain('has value "   ", but when a digital meeting'))
    spec.given(proposed).when(evaluate({ reason: "Workshop på plats" })).then(evaluated({ reason: "Workshop på plats" }))
  })
  it("no reason is needed by train, when no digital meeting would serve, or when the trip is not approved", () => {
    spec.given(proposed).when(evaluate({ mode: "train" })).then(evaluated({ mode: "train" }))
    spec.given(proposed).when(evaluate({ mode: "flight", digitalAlternativeSufficient: false })).then(evaluated({ mode: "flight", digitalAlternativeSufficient: false }))
    spec.given(proposed).when(evaluate({ mode: "flight", decision: "replaced-by-digital" })).then(evaluated({ mode: "flight", decision: "replaced-by-digital" }))
  })
  it("completes on the day of departure at the earliest", () => {
    spec.given([...proposed, ...approved]).when(complete("2024-05-06")).then(completed("2024-05-06"))
    spec
      .given([...proposed, ...approved])
      .when(complete("2024-05-05"))
      .thenFails("TripDatesInvalid", message('TripDatesInvalid: field "completedOn" has value "2024-05-05", but a trip cannot be completed before it departs (2024-05-06)'))
  })
  it("says why a completion is refused", () => {
    spec
      .given([])
      .when(complete("2024-05-08"))
      .thenFails("TripNotEvaluated", message('TripNotEvaluated: field "tripId" has value "t-2024-03", but a trip cannot be completed before it is evaluated (it is none)'))
    spec
      .given(proposed)
      .when(complete("2024-05-08"))
      .thenFails("TripNotEvaluated", message('TripNotEvaluated: field "tripId" has value "t-2024-03", but a trip cannot be completed before it is evaluated (it is proposed)'))
    spec
      .given([...proposed, ...evaluated({ mode: "train", decision: "declined" })])
      .when(complete("2024-05-08"))
      .thenFails("TripStatusConflict", conflict("a declined trip cannot be completed (it is evaluated)"))
    spec
      .given([...proposed, ...approved, ...completed("2024-05-08")])
      .when(complete("2024-05-08"))
      .thenFails("TripStatusConflict", conflict("a completed or cancelled trip is final (it is completed)"))
  })
  it("cancels a proposed or evaluated trip, never a completed or cancelled one", () => {
    spec.given(proposed).when(cancel).then(cancelled)
    spec.given([...proposed, ...approved]).when(cancel).then(cancelled)
    spec
      .given([...proposed, ...approved, ...completed("2024-05-08")])
      .when(cancel)
      .thenFails("TripStatusConflict", conflict("only a proposed or evaluated trip can be cancelled (it is completed)"))
    spec
      .given([...proposed, ...cancelled])
      .when(cancel)
      .thenFails("TripStatusConflict", conflict("only a proposed or evaluated trip can be cancelled (it is cancelled)"))
    spec.given([]).when(cancel).thenFails("TripStatusConflict", conflict("only a proposed or evaluated trip can be cancelled (it is none)"))
  })
})
