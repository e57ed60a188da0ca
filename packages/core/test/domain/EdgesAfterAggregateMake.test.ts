/**
 * What the 2026-12-06 mutation runs of the five aggregates (as declared through `Aggregate.make`)
 * found no test for. Expected states and events are written out by hand (Region Norrbotten,
 * anslag 1:1; amounts in öre); see docs/reference/mutation.md, "Totals per package", for the
 * mutants these were written against.
 */
import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as Application from "../../src/domain/Application.js"
import { FundingEvent } from "../../src/events/Funding.js"
import { criteria } from "./helpers.js"

const events = Schema.decodeUnknownSync(Schema.Array(FundingEvent))
const id = "app-1"

const application = Application.aggregate.decider
const fold = (history: ReadonlyArray<FundingEvent>): Application.State =>
  history.reduce((state, event) => application.evolve(state, event), application.initialState())

const granted = events([
  {
    _tag: "ApplicationReceived",
    applicationId: id,
    regionId: "region-norrbotten",
    instrument: "commercial-service",
    applicant: { name: "Exempel AB" },
    title: "Lanthandel i Kåbdalis",
    amountApplied: 50_000,
    receivedOn: "2022-02-01"
  },
  { _tag: "ApplicationAssessed", applicationId: id, criteria, recommendation: "grant" },
  {
    _tag: "CommercialServiceSupportGranted",
    applicationId: id,
    year: 2022,
    regionId: "region-norrbotten",
    amount: 40_000,
    decidingBody: "Regionala utvecklingsnämnden",
    supportType: "special-operating-support",
    establishment: "shop"
  }
])

describe("the application's fold", () => {
  it("holds a new grant's money with nothing paid, recovered or recorded as a payment", () => {
    expect(fold(granted)).toStrictEqual({
      status: "granted",
      instrument: "commercial-service",
      regionId: "region-norrbotten",
      year: 2022,
      granted: 40_000,
      paid: 0,
      recovered: 0,
      paymentIds: []
    })
  })
  it("records each payment's id after the grant's, in the order paid", () => {
    const paidTwice = [
      ...granted,
      ...events([
        { _tag: "PaymentDisbursed", applicationId: id, paymentId: "utb-1", amount: 15_000 },
        { _tag: "PaymentDisbursed", applicationId: id, paymentId: "utb-2", amount: 5_000 }
      ])
    ]
    expect(fold(paidTwice)).toStrictEqual({
      status: "granted",
      instrument: "commercial-service",
      regionId: "region-norrbotten",
      year: 2022,
      granted: 40_000,
      paid: 20_000,
      recovered: 0,
      paymentIds: ["utb-1", "utb-2"]
    })
  })
})
