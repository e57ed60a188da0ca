// The funding portfolio against records and year figures worked out by hand (mutation testing found
// these unpinned). Amounts are öre; every expected figure is summed by hand from the history below.
import { Projection } from "@utblick/core"
import { FundingPortfolio, Shared } from "@utblick/projections"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import { type Step, store } from "./support.js"

const fold = (events: Parameters<typeof Projection.foldEvents>[2]) => {
  const result = Projection.foldEvents(FundingPortfolio.projection, Shared.catalog, events)
  if (Result.isFailure(result)) throw result.failure
  return result.success
}

const R = "region-norrbotten"
const O = "region-orebro"
const criteria = { sustainability: "meets", genderEquality: "partly-meets", environment: "meets", territorial: "not-applicable" } as const

// Norrbotten (R):
// - budget 2022: 1 000,00 kr allotted, topped up by 200,00 (renamed); framed twice (the second
//   frame replaces the first). Budget 2023: 10,00 kr, no frame.
// - a1 project support, received 2021-11-15 (300,00 applied), assessed, granted on 2022 (250,00,
//   priority "nat/innovation", S3 codes s3-1 then s3-2, ERUF), amended to 200,00, paid 80,00 and
//   40,00, 10,00 recovered, reported twice, closed as completed.
// - a2 business support granted on 2022 without an application event (100,00, EU 40 %).
// - a3 commercial service, received 2022-02-02 (50,00), granted on 2022 (30,00), assessed after.
// - a4 business support, received 2022-05-05 (70,00), rejected 2023-01-10.
// - a5 project support, received 2022-06-06 (40,00), assessed: undecided.
// - a6 project support, received 2022-07-07 (20,00), granted on 2022 (15,00) with no codes.
// - a8 rejected 2022-12-12 without an application event.
// Örebro (O): budget 2022 500,00 kr; a1 project support received 2022-03-03 (500,00), granted on
// 2023 (400,00) with priority code s3-2 and S3 code s3-1 of the same scheme.
// Events about applications never recorded change nothing; amending an undecided one neither.
const history: ReadonlyArray<Step> = [
  { tenant: R, occurredAt: "2022-01-10", event: { _tag: "AppropriationAllotted", regionId: "norrbotten", year: 2022, appropriation: "1:1", appropriationName: "Regionala utvecklingsåtgärder", amount: 1_000_00 } },
  { tenant: R, occurredAt: "2022-06-10", event: { _tag: "AppropriationAllotted", regionId: "norrbotten", year: 2022, appropriation: "1:1", appropriationName: "Tillskott", amount: 200_00 } },
  { tenant: R, occurredAt: "2022-02-01", event: { _tag: "AllocationFramed", regionId: "norrbotten", year: 2022, projectSupport: 600_00, businessSupport: 500_00, commercialService: 100_00, byPriority: [], decidingBody: "RUN" } },
  {
    tenant: R,
    occurredAt: "2022-07-01",
    event: {
      _tag: "AllocationFramed",
      regionId: "norrbotten",
      year: 2022,
      projectSupport: 700_00,
      businessSupport: 400_00,
      commercialService: 100_00,
      byPriority: [{ ref: { schemeId: "nat", code: "innovation" }, amount: 700_00 }],
      decidingBody: "RUN"
    }
  },
  { tenant: R, occurredAt: "2023-01-10", event: { _tag: "AppropriationAllotted", regionId: "norrbotten", year: 2023, appropriation: "1:1", appropriationName: "Regionala utvecklingsåtgärder", amount: 10_00 } },
  { tenant: O, occurredAt: "2022-01-15", event: { _tag: "AppropriationAllotted", regionId: "orebro", year: 2022, appropriation: "1:1", appropriationName: "Regionala utvecklingsåtgärder", amount: 500_00 } },
  {
    tenant: R,
    occurredAt: "2021-11-15",
    event: { _tag: "ApplicationReceived", applicationId: "a1", regionId: "norrbotten", instrument: "project-support", applicant: { name: "LTU", municipality: "Luleå" }, title: "Arktisk 6G", amountApplied: 300_00, receivedOn: "2021-11-15" }
  },
  { tenant: R, occurredAt: "2022-01-20", event: { _tag: "ApplicationAssessed", applicationId: "a1", criteria, recommendation: "grant" } },
  {
    tenant: R,
    occurredAt: "2022-03-01",
    decisionRef: "RUN 1-2022",
    event: {
      _tag: "ProjectGranted",
      applicationId: "a1",
      regionId: "norrbotten",
      year: 2022,
      amount: 250_00,
      decidingBody: "RUN",
      projectName: "Arctic 6G",
      priorityCodes: [{ schemeId: "nat", code: "innovation" }],
      smartSpecialisationCodes: [
        { schemeId: "s3-2017", code: "s3-1" },
        { schemeId: "s3-2017", code: "s3-2" }
      ],
      mainPurpose: "environment",
      euProgramme: { source: "eruf" },
      plannedOutputs: []
    }
  },
  { tenant: R, occurredAt: "2022-04-01", event: { _tag: "GrantAmended", applicationId: "a1", previousAmount: 250_00, newAmount: 200_00, reason: "smaller", decidingBody: "RUN" } },
  { tenant: R, occurredAt: "2022-05-01", event: { _tag: "PaymentDisbursed", applicationId: "a1", paymentId: "p1", amount: 80_00 } },
  { tenant: R, occurredAt: "2022-09-01", event: { _tag: "PaymentDisbursed", applicationId: "a1", paymentId: "p2", amount: 40_00 } },
  { tenant: R, occurredAt: "2023-02-01", event: { _tag: "GrantRecovered", applicationId: "a1", amount: 10_00, reason: "unused", decidingBody: "RUN" } },
  { tenant: R, occurredAt: "2022-10-01", event: { _tag: "ProjectReported", applicationId: "a1", reportId: "r1", kind: "interim", outputs: [], effects: [] } },
  { tenant: R, occurredAt: "2023-03-01", event: { _tag: "ProjectReported", applicationId: "a1", reportId: "r2", kind: "final", outputs: [], effects: [] } },
  { tenant: R, occurredAt: "2023-04-01", event: { _tag: "ProjectClosed", applicationId: "a1", outcome: "completed" } },
  {
    tenant: R,
    occurredAt: "2022-04-01",
    event: {
      _tag: "BusinessSupportGranted",
      applicationId: "a2",
      regionId: "norrbotten",
      year: 2022,
      amount: 100_00,
      decidingBody: "RUN",
      supportType: "investment",
      sector: "tourism",
      supportArea: "A",
      investment: 400_00,
      expectedJobsWomen: 2,
      expectedJobsMen: 3,
      leadership: "woman",
      euCoFinancing: { source: "eruf", ratePercent: 40 }
    }
  },
  {
    tenant: R,
    occurredAt: "2022-02-02",
    event: { _tag: "ApplicationReceived", applicationId: "a3", regionId: "norrbotten", instrument: "commercial-service", applicant: { name: "Byhandeln" }, title: "Lanthandel", amountApplied: 50_00, receivedOn: "2022-02-02" }
  },
  {
    tenant: R,
    occurredAt: "2022-03-03",
    event: { _tag: "CommercialServiceSupportGranted", applicationId: "a3", regionId: "norrbotten", year: 2022, amount: 30_00, decidingBody: "RUN", supportType: "service-grant", establishment: "shop" }
  },
  { tenant: R, occurredAt: "2022-03-04", event: { _tag: "ApplicationAssessed", applicationId: "a3", criteria, recommendation: "grant" } },
  {
    tenant: R,
    occurredAt: "2022-05-05",
    event: { _tag: "ApplicationReceived", applicationId: "a4", regionId: "norrbotten", instrument: "business-support", applicant: { name: "Firma AB" }, title: "Maskiner", amountApplied: 70_00, receivedOn: "2022-05-05" }
  },
  { tenant: R, occurredAt: "2023-01-10", event: { _tag: "ApplicationRejected", applicationId: "a4", reason: "competitive-market", decidingBody: "RUN" } },
  {
    tenant: R,
    occurredAt: "2022-06-06",
    event: { _tag: "ApplicationReceived", applicationId: "a5", regionId: "norrbotten", instrument: "project-support", applicant: { name: "Kommunen" }, title: "Förstudie", amountApplied: 40_00, receivedOn: "2022-06-06" }
  },
  { tenant: R, occurredAt: "2022-06-20", event: { _tag: "ApplicationAssessed", applicationId: "a5", criteria, recommendation: "reject" } },
  { tenant: R, occurredAt: "2022-06-21", event: { _tag: "GrantAmended", applicationId: "a5", previousAmount: 0, newAmount: 5_00, reason: "none", decidingBody: "RUN" } },
  {
    tenant: R,
    occurredAt: "2022-07-07",
    event: { _tag: "ApplicationReceived", applicationId: "a6", regionId: "norrbotten", instrument: "project-support", applicant: { name: "Förening" }, title: "Liten", amountApplied: 20_00, receivedOn: "2022-07-07" }
  },
  {
    tenant: R,
    occurredAt: "2022-08-08",
    event: { _tag: "ProjectGranted", applicationId: "a6", regionId: "norrbotten", year: 2022, amount: 15_00, decidingBody: "RUN", projectName: "Liten", priorityCodes: [], smartSpecialisationCodes: [], mainPurpose: "other", plannedOutputs: [] }
  },
  { tenant: R, occurredAt: "2022-12-12", event: { _tag: "ApplicationRejected", applicationId: "a8", reason: "other", decidingBody: "RUN" } },
  { tenant: R, occurredAt: "2022-12-13", event: { _tag: "ApplicationAssessed", applicationId: "ghost", criteria, recommendation: "grant" } },
  { tenant: R, occurredAt: "2022-12-13", event: { _tag: "GrantAmended", applicationId: "ghost", previousAmount: 1, newAmount: 2, reason: "x", decidingBody: "RUN" } },
  { tenant: R, occurredAt: "2022-12-13", event: { _tag: "PaymentDisbursed", applicationId: "ghost", paymentId: "p9", amount: 1 } },
  { tenant: R, occurredAt: "2022-12-13", event: { _tag: "GrantRecovered", applicationId: "ghost", amount: 1, reason: "x", decidingBody: "RUN" } },
  { tenant: R, occurredAt: "2022-12-13", event: { _tag: "ProjectReported", applicationId: "ghost", reportId: "r9", kind: "final", outputs: [], effects: [] } },
  { tenant: R, occurredAt: "2022-12-13", event: { _tag: "ProjectClosed", applicationId: "ghost", outcome: "withdrawn" } },
  {
    tenant: O,
    occurredAt: "2022-03-03",
    event: { _tag: "ApplicationReceived", applicationId: "a1", regionId: "orebro", instrument: "project-support", applicant: { name: "ÖU" }, title: "Örebro", amountApplied: 500_00, receivedOn: "2022-03-03" }
  },
  {
    tenant: O,
    occurredAt: "2023-02-02",
    event: {
      _tag: "ProjectGranted",
      applicationId: "a1",
      regionId: "orebro",
      year: 2023,
      amount: 400_00,
      decidingBody: "RUN Örebro",
      projectName: "Örebro-projektet",
      priorityCodes: [{ schemeId: "s3-2017", code: "s3-2" }],
      smartSpecialisationCodes: [{ schemeId: "s3-2017", code: "s3-1" }],
      mainPurpose: "gender-equality",
      plannedOutputs: []
    }
  }
]

const totals = (t: Partial<FundingPortfolio.InstrumentTotals>): FundingPortfolio.InstrumentTotals => ({
  applications: 0,
  applied: 0,
  granted: 0,
  rejected: 0,
  grantedAmount: 0,
  paid: 0,
  recovered: 0,
  ...t
})

const noGrantDetails = {
  priorityCodes: [],
  smartSpecialisationCodes: [],
  mainPurpose: null,
  euSource: null,
  euRatePercent: null,
  leadership: null,
  sector: null,
  supportArea: null,
  supportType: null,
  establishment: null,
  investment: 0,
  expectedJobsWomen: 0,
  expectedJobsMen: 0
}

describe("funding portfolio, by hand", () => {
  it("keeps an application's whole life: assessment, grant, amendment, payments, recovery, reports, closure", async () => {
    const state = fold(await store(history))
    const a1 = FundingPortfolio.applications(state, { tenant: R }).find((a) => a.applicationId === "a1")
    expect(a1).toEqual({
      tenant: R,
      applicationId: "a1",
      regionId: "norrbotten",
      instrument: "project-support",
      applicantName: "LTU",
      applicantMunicipality: "Luleå",
      title: "Arctic 6G",
      amountApplied: 300_00,
      receivedOn: "2021-11-15",
      status: "closed",
      assessment: { recommendation: "grant", criteria },
      grant: {
        ...noGrantDetails,
        year: 2022,
        regionId: "norrbotten",
        amount: 200_00,
        originalAmount: 250_00,
        decidedOn: "2022-03-01",
        decidingBody: "RUN",
        decisionRef: "RUN 1-2022",
        priorityCodes: [{ schemeId: "nat", code: "innovation" }],
        smartSpecialisationCodes: [
          { schemeId: "s3-2017", code: "s3-1" },
          { schemeId: "s3-2017", code: "s3-2" }
        ],
        mainPurpose: "environment",
        euSource: "eruf"
      },
      rejection: null,
      paid: 120_00,
      recovered: 10_00,
      payments: 2,
      reports: 2,
      closedOutcome: "completed"
    })
  })

  it("keeps the details of business and commercial-service grants, and grants or rejections with no application event", async () => {
    const state = fold(await store(history))
    const of = (id: string) => FundingPortfolio.applications(state, { tenant: R }).find((a) => a.applicationId === id)
    expect(of("a2")).toEqual({
      tenant: R,
      applicationId: "a2",
      regionId: "norrbotten",
      instrument: "business-support",
      applicantName: "",
      applicantMunicipality: null,
      title: "",
      amountApplied: 0,
      receivedOn: null,
      status: "granted",
      assessment: null,
      grant: {
        ...noGrantDetails,
        year: 2022,
        regionId: "norrbotten",
        amount: 100_00,
        originalAmount: 100_00,
        decidedOn: "2022-04-01",
        decidingBody: "RUN",
        decisionRef: null,
        euSource: "eruf",
        euRatePercent: 40,
        leadership: "woman",
        sector: "tourism",
        supportArea: "A",
        supportType: "investment",
        investment: 400_00,
        expectedJobsWomen: 2,
        expectedJobsMen: 3
      },
      rejection: null,
      paid: 0,
      recovered: 0,
      payments: 0,
      reports: 0,
      closedOutcome: null
    })
    // Assessed after the grant: the assessment is kept, the status stays granted.
    expect(of("a3")).toMatchObject({
      instrument: "commercial-service",
      applicantName: "Byhandeln",
      applicantMunicipality: null,
      title: "Lanthandel",
      status: "granted",
      assessment: { recommendation: "grant" },
      grant: { ...noGrantDetails, amount: 30_00, supportType: "service-grant", establishment: "shop" }
    })
    expect(of("a6")?.grant).toMatchObject({ ...noGrantDetails, mainPurpose: "other", amount: 15_00 })
    expect(of("a4")).toMatchObject({
      status: "rejected",
      grant: null,
      rejection: { reason: "competitive-market", decidedOn: "2023-01-10", decidingBody: "RUN" }
    })
    // Amending an undecided application leaves it without a grant.
    expect(of("a5")).toMatchObject({ status: "assessed", grant: null, assessment: { recommendation: "reject" } })
    expect(of("a8")).toMatchObject({ regionId: "", instrument: "project-support", receivedOn: null, status: "rejected", rejection: { decidedOn: "2022-12-12" } })
    expect(FundingPortfolio.applications(state).map((a) => `${a.tenant}/${a.applicationId}`)).toEqual([
      "region-norrbotten/a1",
      "region-norrbotten/a2",
      "region-norrbotten/a3",
      "region-norrbotten/a4",
      "region-norrbotten/a5",
      "region-norrbotten/a6",
      "region-norrbotten/a8",
      "region-orebro/a1"
    ])
  })

  it("sums a region's year per instrument: received in the year, granted on it, rejected in it", async () => {
    const state = fold(await store(history))
    const y2022 = FundingPortfolio.yearSummary(state, 2022, { tenant: R })
    expect(y2022.byInstrument).toEqual({
      // a5 + a6 received; a1 (200,00 after amendment) + a6 granted; a8 rejected in 2022.
      "project-support": totals({ applications: 2, applied: 60_00, granted: 2, rejected: 1, grantedAmount: 215_00, paid: 120_00, recovered: 10_00 }),
      // a4 received (rejected only in 2023); a2 granted.
      "business-support": totals({ applications: 1, applied: 70_00, granted: 1, grantedAmount: 100_00 }),
      "commercial-service": totals({ applications: 1, applied: 50_00, granted: 1, grantedAmount: 30_00 })
    })
    expect(y2022.total).toEqual(totals({ applications: 4, applied: 180_00, granted: 4, rejected: 1, grantedAmount: 345_00, paid: 120_00, recovered: 10_00 }))
    expect([y2022.year, y2022.appropriation, y2022.remainingAppropriation]).toEqual([2022, 1_200_00, 855_00])
    expect(y2022.frame).toEqual({
      projectSupport: 700_00,
      businessSupport: 400_00,
      commercialService: 100_00,
      byPriority: [{ ref: { schemeId: "nat", code: "innovation" }, amount: 700_00 }],
      decidingBody: "RUN"
    })
    const y2023 = FundingPortfolio.yearSummary(state, 2023, { tenant: R })
    expect(y2023.total).toEqual(totals({ rejected: 1 }))
    expect(y2023.byInstrument["business-support"].rejected).toBe(1)
    expect([y2023.appropriation, y2023.frame, y2023.remainingAppropriation]).toEqual([10_00, null, 10_00])
    expect(FundingPortfolio.yearSummary(state, 2021, { tenant: R }).total).toEqual(totals({ applications: 1, applied: 300_00 }))
  })

  it("sums every tenant when none is given, keeping a frame a later budget lacks", async () => {
    const state = fold(await store(history))
    const y2022 = FundingPortfolio.yearSummary(state, 2022)
    expect(y2022.byInstrument["project-support"]).toEqual(
      totals({ applications: 3, applied: 560_00, granted: 2, rejected: 1, grantedAmount: 215_00, paid: 120_00, recovered: 10_00 })
    )
    expect([y2022.appropriation, y2022.remainingAppropriation, y2022.frame?.projectSupport]).toEqual([1_700_00, 1_355_00, 700_00])
    // Örebro's grant on 2023 overspends that year's 10,00 kr (Norrbotten's).
    const y2023 = FundingPortfolio.yearSummary(state, 2023)
    expect([y2023.total.grantedAmount, y2023.appropriation, y2023.remainingAppropriation]).toEqual([400_00, 10_00, -390_00])
    const orebro = FundingPortfolio.yearSummary(state, 2022, { tenant: O })
    expect([orebro.appropriation, orebro.frame, orebro.total]).toEqual([500_00, null, totals({ applications: 1, applied: 500_00 })])
  })

  it("gives a year's grants in the portfolio's order, by instrument and tenant", async () => {
    const state = fold(await store(history))
    expect(FundingPortfolio.yearOverview(state, 2022, { tenant: R }).grants.map((a) => a.applicationId)).toEqual(["a1", "a2", "a3", "a6"])
    expect(FundingPortfolio.grantsOfYear(state, 2022, { tenant: R, instrument: "commercial-service" }).map((a) => a.applicationId)).toEqual(["a3"])
    expect(FundingPortfolio.grantsOfYear(state, 2023).map((a) => `${a.tenant}/${a.applicationId}`)).toEqual(["region-orebro/a1"])
    expect(FundingPortfolio.applications(state, { tenant: R, instrument: "business-support" }).map((a) => a.applicationId)).toEqual(["a2", "a4"])
    expect(FundingPortfolio.applications(state, { grantYear: 2023 }).map((a) => a.tenant)).toEqual([O])
    expect(FundingPortfolio.applications(state, { tenant: "nobody" })).toEqual([])
  })

  it("counts each grant under its first code of the scheme, priority codes before S3 codes", async () => {
    const state = fold(await store(history))
    expect(FundingPortfolio.grantedByCategory(state, 2022, "s3-2017", { tenant: R })).toEqual({ categories: { "s3-1": 200_00 }, unclassified: 15_00, total: 215_00 })
    expect(FundingPortfolio.grantedByCategory(state, 2022, "nat", { tenant: R })).toEqual({ categories: { innovation: 200_00 }, unclassified: 15_00, total: 215_00 })
    expect(FundingPortfolio.grantedByCategory(state, 2022, "s3-2017", { tenant: R, instrument: "business-support" })).toEqual({ categories: {}, unclassified: 100_00, total: 100_00 })
    expect(FundingPortfolio.grantedByCategory(state, 2023, "s3-2017")).toEqual({ categories: { "s3-2": 400_00 }, unclassified: 0, total: 400_00 })
    // A scheme no grant is tagged in: everything is unclassified (a1's S3 codes are of another scheme).
    expect(FundingPortfolio.grantedByCategory(state, 2022, "eu-2021", { tenant: R })).toEqual({ categories: {}, unclassified: 215_00, total: 215_00 })
    // Two grants under one code add up.
    const twice = FundingPortfolio.categoryTotals([...FundingPortfolio.grantsOfYear(state, 2022, { tenant: R }), ...FundingPortfolio.grantsOfYear(state, 2022, { tenant: R })], "nat")
    expect(twice).toEqual({ categories: { innovation: 400_00 }, unclassified: 290_00, total: 690_00 })
  })

  it("lists the years with any budget, application or decision, ascending", async () => {
    const state = fold(await store(history))
    expect(FundingPortfolio.years(state, { tenant: R })).toEqual([2021, 2022, 2023])
    expect(FundingPortfolio.years(state, { tenant: O })).toEqual([2022, 2023])
    expect(FundingPortfolio.years(state, { tenant: "nobody" })).toEqual([])
    // Per application, from the history above: a1 received 2021-11-15 and granted for 2022; a4
    // received 2022-05-05 and rejected 2023-01-10; a5 received 2022-06-06, undecided; a8 rejected
    // 2022-12-12, never received.
    const yearsOf = (id: string) =>
      FundingPortfolio.applicationYears(
        FundingPortfolio.applications(state, { tenant: R }).find((a) => a.applicationId === id) as FundingPortfolio.ApplicationRecord
      )
    expect(["a1", "a4", "a5", "a8"].map(yearsOf)).toEqual([[2021, 2022], [2022, 2023], [2022], [2022]])
    // A budget alone makes its year one.
    expect(FundingPortfolio.years(fold(await store(history.slice(0, 1))))).toEqual([2022])
    expect(FundingPortfolio.instruments).toEqual(["project-support", "business-support", "commercial-service"])
  })
})
