/**
 * The edges of each rule of the application decider, and the exact words of every refusal: the
 * amount that is just allowed (a payment of exactly what remains, an amendment down to exactly
 * what was paid) next to the one that is refused, each status a command meets, the optional
 * fields an event copies only when given, and the message a person reads. Expected events and
 * messages are written out by hand (Region Norrbotten, anslag 1:1; amounts in öre); see
 * docs/reference/mutation.md for the mutants these were written against.
 */
import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as Application from "../../src/domain/Application.js"
import { FundingEvent } from "../../src/events/Funding.js"
import { DeciderSpec } from "../../src/testing/index.js"
import { application, criteria, finance, grantBusiness, grantCommercial, grantProject, officer, receive, run } from "./helpers.js"

const events = Schema.decodeUnknownSync(Schema.Array(FundingEvent))
const message = (expected: string) => (error: { readonly message: string }) => expect(error.message).toBe(expected)
const spec = DeciderSpec.forDecider(Application.aggregate.decider)

const id = "app-1"
const received = (instrument = "project-support", amountApplied = 1_000_00) =>
  events([
    {
      _tag: "ApplicationReceived",
      applicationId: id,
      regionId: "region-norrbotten",
      instrument,
      applicant: { name: "Exempel AB" },
      title: "Investering",
      amountApplied,
      receivedOn: "2022-02-01"
    }
  ])
const assessed = (recommendation = "grant") => events([{ _tag: "ApplicationAssessed", applicationId: id, criteria, recommendation }])
const projectGranted = (amount: number, year = 2022) =>
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
const rejected = events([{ _tag: "ApplicationRejected", applicationId: id, reason: "outside-priorities", decidingBody: "Regionala utvecklingsnämnden" }])
const paid = (paymentId: string, amount: number) => events([{ _tag: "PaymentDisbursed", applicationId: id, paymentId, amount }])
const recovered = (amount: number) =>
  events([{ _tag: "GrantRecovered", applicationId: id, amount, reason: "Felaktigt utbetalt", decidingBody: "Regionala utvecklingsnämnden" }])
const amended = (previousAmount: number, newAmount: number) =>
  events([{ _tag: "GrantAmended", applicationId: id, previousAmount, newAmount, reason: "Utökad budget", decidingBody: "Regionala utvecklingsnämnden" }])
const closed = events([{ _tag: "ProjectClosed", applicationId: id, outcome: "completed" }])
// A project grant of 1,000 öre, open.
const open = [...received(), ...assessed(), ...projectGranted(1_000)]

const assess = (extra: Record<string, unknown> = {}) =>
  application({ _tag: "AssessApplication", ...officer, applicationId: id, criteria, recommendation: "grant", ...extra })
const reject = (extra: Record<string, unknown> = {}) =>
  application({ _tag: "RejectApplication", ...run, applicationId: id, reason: "outside-priorities", ...extra })
const amend = (newAmount: number) =>
  application({ _tag: "AmendGrant", ...run, applicationId: id, newAmount, reason: "Utökad budget" })
const pay = (paymentId: string, amount: number) => application({ _tag: "DisbursePayment", ...finance, applicationId: id, paymentId, amount })
const recover = (amount: number) => application({ _tag: "RecoverGrant", ...run, applicationId: id, amount, reason: "Felaktigt utbetalt" })
const report = (kind: string) =>
  application({
    _tag: "ReportProject",
    ...officer,
    applicationId: id,
    reportId: "r-1",
    kind,
    outputs: [{ description: "technical solutions", planned: 6 }],
    effects: [{ horizon: "short", description: "Nya testbäddar" }]
  })
const close = () => application({ _tag: "CloseProject", ...officer, applicationId: id, outcome: "completed" })

const notFound = (command: string) =>
  message(`ApplicationNotFound: field "applicationId" has value "app-1", but ${command} needs a received application`)
const conflict = (rule: string, status: string) =>
  message(`ApplicationStatusConflict: field "applicationId" has value "app-1", but ${rule} (the application is ${status})`)

describe("receiving and assessing", () => {
  it("records what was received, once", () => {
    spec.given([]).when(receive(id, "business-support", 2_500_00)).then(received("business-support", 2_500_00))
    spec
      .given(received())
      .when(receive(id, "project-support"))
      .thenFails("ApplicationStatusConflict", conflict("an application is received once", "received"))
    spec
      .given(open)
      .when(receive(id, "project-support"))
      .thenFails("ApplicationStatusConflict", conflict("an application is received once", "granted"))
  })
  it("assesses only a received, undecided application, keeping its notes when given", () => {
    spec.given(received()).when(assess()).then(assessed())
    spec
      .given(received())
      .when(assess({ recommendation: "reject", notes: "Ligger utanför prioriteringarna" }))
      .then(events([{ _tag: "ApplicationAssessed", applicationId: id, criteria, recommendation: "reject", notes: "Ligger utanför prioriteringarna" }]))
    spec.given([]).when(assess()).thenFails("ApplicationNotFound", notFound("AssessApplication"))
    spec
      .given([...received(), ...assessed(), ...rejected])
      .when(assess())
      .thenFails("ApplicationStatusConflict", conflict("only an undecided application is assessed", "rejected"))
    spec.given(open).when(assess()).thenFails("ApplicationStatusConflict", conflict("only an undecided application is assessed", "granted"))
  })
})

describe("deciding", () => {
  it("grants each instrument with the application's region, not asking the command for one", () => {
    spec.given([...received(), ...assessed()]).when(grantProject(id, 1_000)).then(projectGranted(1_000))
    spec
      .given([...received("business-support"), ...assessed()])
      .when(grantBusiness(id, 400))
      .then(
        events([
          {
            _tag: "BusinessSupportGranted",
            applicationId: id,
            year: 2022,
            regionId: "region-norrbotten",
            amount: 400,
            decidingBody: "Regionala utvecklingsnämnden",
            supportType: "investment",
            sector: "tourism",
            supportArea: "A",
            investment: 1_200,
            expectedJobsWomen: 1,
            expectedJobsMen: 1,
            leadership: "shared",
            euCoFinancing: { source: "react-eu", ratePercent: 100 }
          }
        ])
      )
    spec
      .given([...received("commercial-service"), ...assessed()])
      .when(grantCommercial(id, 300, 2023))
      .then(
        events([
          {
            _tag: "CommercialServiceSupportGranted",
            applicationId: id,
            year: 2023,
            regionId: "region-norrbotten",
            amount: 300,
            decidingBody: "Regionala utvecklingsnämnden",
            supportType: "special-operating-support",
            establishment: "shop"
          }
        ])
      )
  })
  it("grants 1 öre but not 0", () => {
    spec
      .given([...received(), ...assessed()])
      .when(grantProject(id, 1))
      .then(projectGranted(1))
    spec
      .given([...received(), ...assessed()])
      .when(grantProject(id, 0))
      .thenFails("GrantAmountInvalid", message('GrantAmountInvalid: field "amount" has value 0, but a grant must be more than 0 öre'))
  })
  it("grants only under the instrument applied for", () => {
    spec
      .given([...received("business-support"), ...assessed()])
      .when(grantProject(id, 400))
      .thenFails(
        "InstrumentMismatch",
        message('InstrumentMismatch: field "_tag" has value "GrantProject", but the application asks for business-support, not project-support')
      )
    spec
      .given([...received("commercial-service"), ...assessed()])
      .when(grantBusiness(id, 400))
      .thenFails(
        "InstrumentMismatch",
        message('InstrumentMismatch: field "_tag" has value "GrantBusinessSupport", but the application asks for commercial-service, not business-support')
      )
    spec
      .given([...received("project-support"), ...assessed()])
      .when(grantCommercial(id, 400))
      .thenFails(
        "InstrumentMismatch",
        message('InstrumentMismatch: field "_tag" has value "GrantCommercialService", but the application asks for project-support, not commercial-service')
      )
  })
  it("decides only an assessed application that is not decided yet", () => {
    spec.given([]).when(grantProject(id, 1_000)).thenFails("ApplicationNotFound", notFound("GrantProject"))
    spec.given([]).when(reject()).thenFails("ApplicationNotFound", notFound("RejectApplication"))
    const notAssessed = message(
      'ApplicationNotAssessed: field "applicationId" has value "app-1", but an officer assesses an application before the board decides on it'
    )
    spec.given(received()).when(grantProject(id, 1_000)).thenFails("ApplicationNotAssessed", notAssessed)
    spec.given(received()).when(reject()).thenFails("ApplicationNotAssessed", notAssessed)
    const again = "a rejected or already decided application cannot be decided again"
    spec.given([...received(), ...assessed(), ...rejected]).when(grantProject(id, 1_000)).thenFails("ApplicationStatusConflict", conflict(again, "rejected"))
    spec.given(open).when(grantProject(id, 1_000)).thenFails("ApplicationStatusConflict", conflict(again, "granted"))
    spec.given(open).when(reject()).thenFails("ApplicationStatusConflict", conflict(again, "granted"))
    spec.given([...open, ...closed]).when(reject()).thenFails("ApplicationStatusConflict", conflict(again, "closed"))
  })
  it("rejects with the reason, and the explanation only when given", () => {
    spec.given([...received(), ...assessed("reject")]).when(reject()).then(rejected)
    spec
      .given([...received(), ...assessed("reject")])
      .when(reject({ explanation: "Projektet ryms inte i RUP" }))
      .then(
        events([
          {
            _tag: "ApplicationRejected",
            applicationId: id,
            reason: "outside-priorities",
            explanation: "Projektet ryms inte i RUP",
            decidingBody: "Regionala utvecklingsnämnden"
          }
        ])
      )
  })
})

describe("amending", () => {
  it("records the previous amount; an amendment folds into the next one", () => {
    spec.given(open).when(amend(1_500)).then(amended(1_000, 1_500))
    spec.given([...open, ...amended(1_000, 1_500)]).when(amend(800)).then(amended(1_500, 800))
  })
  it("goes down to exactly what was paid, not below", () => {
    const withPayment = [...open, ...paid("p-1", 300)]
    spec.given(withPayment).when(amend(300)).then(amended(1_000, 300))
    spec
      .given(withPayment)
      .when(amend(299))
      .thenFails("GrantAmountInvalid", message('GrantAmountInvalid: field "newAmount" has value 299, but a grant cannot be amended below the 300 öre already paid'))
  })
  it("must change the amount, and amends only an open grant", () => {
    spec
      .given(open)
      .when(amend(1_000))
      .thenFails("GrantAmountInvalid", message('GrantAmountInvalid: field "newAmount" has value 1000, but an amendment must change the granted amount'))
    spec.given([]).when(amend(1_500)).thenFails("ApplicationNotFound", notFound("AmendGrant"))
    spec.given([...received(), ...assessed()]).when(amend(1_500)).thenFails("ApplicationStatusConflict", conflict("only an open grant is amended", "received"))
    spec.given([...open, ...closed]).when(amend(1_500)).thenFails("ApplicationStatusConflict", conflict("only an open grant is amended", "closed"))
  })
})

describe("paying", () => {
  it("pays exactly what remains of the grant, not an öre more, counting every payment and amendment", () => {
    spec.given(open).when(pay("p-1", 1_000)).then(paid("p-1", 1_000))
    const twice = [...open, ...paid("p-1", 400), ...paid("p-2", 200)]
    spec.given(twice).when(pay("p-3", 400)).then(paid("p-3", 400))
    spec
      .given(twice)
      .when(pay("p-3", 401))
      .thenFails("GrantAmountInvalid", message('GrantAmountInvalid: field "amount" has value 401, but a payment cannot exceed the 400 öre that remain of the grant'))
    spec.given([...twice, ...amended(1_000, 1_200)]).when(pay("p-3", 600)).then(paid("p-3", 600))
  })
  it("pays more than 0 öre, each payment once", () => {
    spec
      .given(open)
      .when(pay("p-1", 0))
      .thenFails("GrantAmountInvalid", message('GrantAmountInvalid: field "amount" has value 0, but a payment must be more than 0 öre'))
    spec.given(open).when(pay("p-1", 1)).then(paid("p-1", 1))
    spec
      .given([...open, ...paid("p-1", 100)])
      .when(pay("p-1", 100))
      .thenFails("ApplicationStatusConflict", conflict("payment p-1 is already recorded", "granted"))
    spec.given([...open, ...paid("p-1", 100), ...paid("p-2", 100)]).when(pay("p-3", 100)).then(paid("p-3", 100))
  })
  it("pays only an open grant", () => {
    const rule = "payments are made only on an open grant"
    spec.given([]).when(pay("p-1", 100)).thenFails("ApplicationNotFound", notFound("DisbursePayment"))
    spec.given([...received(), ...assessed()]).when(pay("p-1", 100)).thenFails("ApplicationStatusConflict", conflict(rule, "received"))
    spec.given([...received(), ...assessed(), ...rejected]).when(pay("p-1", 100)).thenFails("ApplicationStatusConflict", conflict(rule, "rejected"))
    spec.given([...open, ...closed]).when(pay("p-1", 100)).thenFails("ApplicationStatusConflict", conflict(rule, "closed"))
  })
})

describe("recovering", () => {
  it("recovers exactly what was paid and not yet recovered, not an öre more", () => {
    const state = [...open, ...paid("p-1", 500), ...recovered(200)]
    spec.given(state).when(recover(300)).then(recovered(300))
    spec
      .given(state)
      .when(recover(301))
      .thenFails(
        "GrantAmountInvalid",
        message('GrantAmountInvalid: field "amount" has value 301, but a recovery cannot exceed the 300 öre paid and not yet recovered')
      )
  })
  it("recovers from a closed grant too, counting what was recovered after closing", () => {
    const state = [...open, ...paid("p-1", 500), ...closed, ...recovered(200)]
    spec.given(state).when(recover(300)).then(recovered(300))
    spec
      .given(state)
      .when(recover(301))
      .thenFails(
        "GrantAmountInvalid",
        message('GrantAmountInvalid: field "amount" has value 301, but a recovery cannot exceed the 300 öre paid and not yet recovered')
      )
  })
  it("recovers more than 0 öre, and only from a grant", () => {
    spec
      .given([...open, ...paid("p-1", 500)])
      .when(recover(0))
      .thenFails("GrantAmountInvalid", message('GrantAmountInvalid: field "amount" has value 0, but a recovery must be more than 0 öre'))
    spec.given([...open, ...paid("p-1", 500)]).when(recover(1)).then(recovered(1))
    spec.given([]).when(recover(100)).thenFails("ApplicationNotFound", notFound("RecoverGrant"))
    spec.given([...received(), ...assessed()]).when(recover(100)).thenFails("ApplicationStatusConflict", conflict("only a grant can be recovered", "received"))
    spec
      .given([...received(), ...assessed(), ...rejected])
      .when(recover(100))
      .thenFails("ApplicationStatusConflict", conflict("only a grant can be recovered", "rejected"))
  })
})

describe("reporting and closing", () => {
  it("reports on an open grant, interim or final", () => {
    const reported = (kind: string) =>
      events([
        {
          _tag: "ProjectReported",
          applicationId: id,
          reportId: "r-1",
          kind,
          outputs: [{ description: "technical solutions", planned: 6 }],
          effects: [{ horizon: "short", description: "Nya testbäddar" }]
        }
      ])
    spec.given(open).when(report("interim")).then(reported("interim"))
    spec.given(open).when(report("final")).then(reported("final"))
    spec.given([]).when(report("final")).thenFails("ApplicationNotFound", notFound("ReportProject"))
    spec.given([...received(), ...assessed()]).when(report("final")).thenFails("ApplicationStatusConflict", conflict("only an open grant reports", "received"))
    spec.given([...open, ...closed]).when(report("final")).thenFails("ApplicationStatusConflict", conflict("only an open grant reports", "closed"))
    // A report changes nothing of the money: the whole grant can still be paid.
    spec.given([...open, ...reported("interim")]).when(pay("p-1", 1_000)).then(paid("p-1", 1_000))
  })
  it("closes an open grant, once", () => {
    spec.given(open).when(close()).then(closed)
    spec.given([]).when(close()).thenFails("ApplicationNotFound", notFound("CloseProject"))
    spec.given([...received(), ...assessed()]).when(close()).thenFails("ApplicationStatusConflict", conflict("only an open grant is closed", "received"))
    spec.given([...open, ...closed]).when(close()).thenFails("ApplicationStatusConflict", conflict("only an open grant is closed", "closed"))
  })
})

describe("the rest of the fold", () => {
  it("ignores an assessment or a rejection that arrives after the decision", () => {
    // Written by hand into a stream (an import of history), not decided: the grant stays open.
    spec.given([...open, ...assessed("reject"), ...rejected]).when(pay("p-1", 1_000)).then(paid("p-1", 1_000))
  })
  it("ignores amendments and payments on a grant that is not open", () => {
    spec.given([...received(), ...assessed(), ...amended(0, 500), ...paid("p-0", 100)]).when(grantProject(id, 1_000)).then(projectGranted(1_000))
    const closedThenMore = [...open, ...paid("p-1", 400), ...closed, ...paid("p-2", 300), ...amended(1_000, 2_000)]
    // Only the 400 paid before closing can be recovered.
    spec
      .given(closedThenMore)
      .when(recover(401))
      .thenFails(
        "GrantAmountInvalid",
        message('GrantAmountInvalid: field "amount" has value 401, but a recovery cannot exceed the 400 öre paid and not yet recovered')
      )
  })
  it("ignores budget events in an application stream", () => {
    const reserved = events([{ _tag: "BudgetReserved", regionId: "region-norrbotten", year: 2022, applicationId: id, instrument: "project-support", amount: 1_000 }])
    spec.given([...reserved, ...received()]).when(assess()).then(assessed())
  })
})

describe("what the module says about commands", () => {
  it("names the instrument and the stream of each command, and which commands are grants", () => {
    expect(Application.instrumentOfCommand(grantProject(id, 1))).toBe("project-support")
    expect(Application.instrumentOfCommand(grantBusiness(id, 1))).toBe("business-support")
    expect(Application.instrumentOfCommand(grantCommercial(id, 1))).toBe("commercial-service")
    expect([grantProject(id, 1), grantBusiness(id, 1), grantCommercial(id, 1), amend(1), pay("p", 1), receive(id, "project-support")].map(Application.isGrantCommand)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false
    ])
    expect(Application.aggregate.streamOf(pay("p-1", 1))).toBe("application-app-1")
    expect(Application.aggregate.decider.name).toBe("application")
  })
  it("refuses a report kind other than interim or final", () => {
    expect(() => report("monthly")).toThrow()
  })
})
