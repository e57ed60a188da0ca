import { fc, test } from "@fast-check/vitest"
import { Projection } from "@utblick/core"
import { FundingPortfolio, ReadModels, Shared } from "@utblick/projections"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import { fundingHistoryArb, store } from "./support.js"

const fold = <S>(projection: Projection.Projection<S, Shared.Event>, events: Parameters<typeof Projection.foldEvents>[2]) => {
  const result = Projection.foldEvents(projection, Shared.catalog, events)
  if (Result.isFailure(result)) throw result.failure
  return result.success
}

describe("funding portfolio", () => {
  test.prop([fundingHistoryArb], { numRuns: 60 })(
    "allocation totals: categories + unclassified = instrument total, instruments sum to the year total, at every prefix",
    async (steps) => {
      const events = await store(steps)
      for (let n = 0; n <= events.length; n++) {
        const state = fold(FundingPortfolio.projection, events.slice(0, n))
        for (const year of [2017, 2022]) {
          const summary = FundingPortfolio.yearSummary(state, year)
          const byCategory = FundingPortfolio.grantedByCategory(state, year, "s3-2017")
          const categorySum = Object.values(byCategory.categories).reduce((a, b) => a + b, 0)
          expect(categorySum + byCategory.unclassified).toBe(byCategory.total)
          expect(byCategory.total).toBe(summary.byInstrument["project-support"].grantedAmount)
          const instrumentSum = FundingPortfolio.instruments
            .map((i) => summary.byInstrument[i].grantedAmount)
            .reduce((a, b) => a + b, 0)
          expect(instrumentSum).toBe(summary.total.grantedAmount)
          const grants = FundingPortfolio.grantsOfYear(state, year)
          expect(grants.reduce((a, g) => a + g.grant.amount, 0)).toBe(summary.total.grantedAmount)
          expect(summary.total.granted).toBe(grants.length)
        }
      }
    }
  )

  test.prop([fundingHistoryArb, fc.nat()], { numRuns: 40 })(
    "is invariant under the order of independent streams (per-tenant figures)",
    async (steps, seed) => {
      // Interleave tenants differently while keeping each tenant's own order.
      const byTenant = new Map<string, Array<(typeof steps)[number]>>()
      for (const s of steps) byTenant.set(s.tenant ?? "", [...(byTenant.get(s.tenant ?? "") ?? []), s])
      const queues = [...byTenant.values()]
      const shuffled: Array<(typeof steps)[number]> = []
      let k = seed
      while (queues.some((q) => q.length > 0)) {
        const nonEmpty = queues.filter((q) => q.length > 0)
        const q = nonEmpty[k % nonEmpty.length] as Array<(typeof steps)[number]>
        shuffled.push(q.shift() as (typeof steps)[number])
        k = (k * 1103515245 + 12345) % 2 ** 31
      }
      const a = fold(FundingPortfolio.projection, await store(steps))
      const b = fold(FundingPortfolio.projection, await store(shuffled))
      for (const tenant of ["region-norrbotten", "region-orebro"]) {
        for (const year of [2017, 2022]) {
          expect(FundingPortfolio.yearSummary(b, year, { tenant })).toEqual(FundingPortfolio.yearSummary(a, year, { tenant }))
        }
      }
    }
  )

  it("follows one application through grant, amendment, payment, recovery and closure", async () => {
    const events = await store([
      {
        occurredAt: "2022-02-01",
        event: {
          _tag: "ApplicationReceived",
          applicationId: "arctic-6g",
          regionId: "norrbotten",
          instrument: "project-support",
          applicant: { name: "LTU" },
          title: "Arctic 6G",
          amountApplied: 3_000_000_00,
          receivedOn: "2022-02-01"
        }
      },
      {
        occurredAt: "2022-04-20",
        decisionRef: "RUN 00123-2022",
        event: {
          _tag: "ProjectGranted",
          applicationId: "arctic-6g",
          regionId: "norrbotten",
          year: 2022,
          amount: 2_500_000_00,
          decidingBody: "RUN",
          projectName: "Arctic 6G",
          priorityCodes: [{ schemeId: "nationell-2021-2030", code: "innovation" }],
          smartSpecialisationCodes: [],
          mainPurpose: "environment",
          plannedOutputs: [{ description: "solutions adopted", planned: 6 }]
        }
      },
      {
        occurredAt: "2022-09-01",
        event: { _tag: "GrantAmended", applicationId: "arctic-6g", previousAmount: 2_500_000_00, newAmount: 2_000_000_00, reason: "smaller scope", decidingBody: "RUN" }
      },
      { occurredAt: "2022-10-01", event: { _tag: "PaymentDisbursed", applicationId: "arctic-6g", paymentId: "p1", amount: 1_200_000_00 } },
      { occurredAt: "2023-01-15", event: { _tag: "GrantRecovered", applicationId: "arctic-6g", amount: 100_000_00, reason: "unused", decidingBody: "RUN" } },
      { occurredAt: "2023-06-30", event: { _tag: "ProjectClosed", applicationId: "arctic-6g", outcome: "completed" } }
    ])
    const state = fold(FundingPortfolio.projection, events)
    const [record] = FundingPortfolio.applications(state)
    expect(record).toMatchObject({
      status: "closed",
      closedOutcome: "completed",
      paid: 1_200_000_00,
      recovered: 100_000_00,
      grant: { amount: 2_000_000_00, originalAmount: 2_500_000_00, decisionRef: "RUN 00123-2022", mainPurpose: "environment" }
    })
    const summary = FundingPortfolio.yearSummary(state, 2022)
    expect(summary.byInstrument["project-support"]).toMatchObject({ applications: 1, granted: 1, grantedAmount: 2_000_000_00 })
    expect(FundingPortfolio.grantedByCategory(state, 2022, "nationell-2021-2030").categories).toEqual({ innovation: 2_000_000_00 })
    // Everything reads the same through the combined read models.
    expect(fold(ReadModels.projection, events).portfolio).toEqual(state)
  })

  it("keeps a year's appropriation and the board's frame, and the remaining appropriation", async () => {
    const events = await store([
      {
        occurredAt: "2022-01-10",
        event: { _tag: "AppropriationAllotted", regionId: "norrbotten", year: 2022, appropriation: "1:1", appropriationName: "Regionala utvecklingsåtgärder", amount: 171_100_000_00 }
      },
      {
        occurredAt: "2022-02-10",
        event: {
          _tag: "AllocationFramed",
          regionId: "norrbotten",
          year: 2022,
          projectSupport: 104_400_000_00,
          businessSupport: 58_700_000_00,
          commercialService: 8_000_000_00,
          byPriority: [],
          decidingBody: "RUN"
        }
      },
      {
        occurredAt: "2022-03-10",
        event: {
          _tag: "CommercialServiceSupportGranted",
          applicationId: "butik-1",
          regionId: "norrbotten",
          year: 2022,
          amount: 170_000_00,
          decidingBody: "RUN",
          supportType: "special-operating-support",
          establishment: "shop"
        }
      }
    ])
    const summary = FundingPortfolio.yearSummary(fold(FundingPortfolio.projection, events), 2022)
    expect(summary.appropriation).toBe(171_100_000_00)
    expect(summary.frame?.businessSupport).toBe(58_700_000_00)
    expect(summary.remainingAppropriation).toBe(171_100_000_00 - 170_000_00)
    expect(summary.byInstrument["commercial-service"].granted).toBe(1)
  })
})
