// YearReport: the options of a report through the store, on the synthetic events of
// fixtures/handComputed.ts (figures worked out by hand in the comments).
import { EventStore, Events } from "@utblick/core"
import { YearReport } from "@utblick/indicators"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { A, events } from "./fixtures/handComputed.js"
import { absent, get, reportsOf, row } from "./fixtures/reports.js"

describe("YearReport options", () => {
  it("populations: a per-inhabitant row from the year's own figure, none for percentages", async () => {
    const [r, none, missing] = await reportsOf(events, [
      {
        year: 2022,
        tenant: A,
        populations: [
          { year: 2021, inhabitants: 1_000, source: "SCB" },
          { year: 2022, inhabitants: 50_000, source: "SCB" }
        ]
      },
      { year: 2022, tenant: A, populations: [] },
      { year: 2022, tenant: A, populations: [{ year: 2021, inhabitants: 1_000, source: "SCB" }] }
    ])
    // 750 000 kr granted ÷ 50 000 inhabitants = 15 kr = 1 500 öre (2021's figure would give 750 kr).
    expect(row(get(r!, "granted-by-instrument"), "per-inhabitant").value).toBe(1_500)
    expect(get(r!, "approval-rate").breakdown.map((b) => b.key)).toEqual([
      "applications",
      "granted",
      "rejected"
    ])
    // An empty list is no population at all: no such rows.
    expect(get(none!, "granted-by-instrument").breakdown.map((b) => b.key)).toEqual([
      "project-support",
      "business-support",
      "commercial-service"
    ])
    // No figure for 2022: the row says no data.
    expect(row(get(missing!, "granted-by-instrument"), "per-inhabitant").value).toBeNull()
  })

  it("a grant filter: only the funding indicators, over the matching grants", async () => {
    const [business, empty] = await reportsOf(events, [
      { year: 2022, tenant: A, grants: { instrument: "business-support" } },
      { year: 2022, tenant: A, grants: {} }
    ])
    // Business support alone: 200 000 kr, all of it business support; no projects, so no
    // classification and no main purposes; memberships, agreements, trips left out.
    expect(business!.values.map((v) => v.id)).toEqual([
      "approval-rate",
      "granted-by-instrument",
      "leadership-shares",
      "expected-jobs",
      "investment-leverage",
      "eu-co-financing"
    ])
    expect(get(business!, "granted-by-instrument").value).toBe(20_000_000)
    // An empty filter is no filter.
    expect(absent(empty!, "active-memberships")).toBe(false)
    expect(get(empty!, "granted-by-instrument").value).toBe(75_000_000)
  })

  it("asOf: the year as it stood on a date; the report says which", async () => {
    // By 2022-03-02: b1 and b2 granted, b3 and b4 not yet decided; b1–b4 received in January.
    const [r, end] = await reportsOf(events, [
      { year: 2022, tenant: A, asOf: "2022-03-02" },
      { year: 2022, tenant: A }
    ])
    const v = get(r!, "approval-rate")
    expect([v.value, v.numerator, v.denominator, row(v, "applications").value]).toEqual([100, 2, 2, 4])
    expect([r!.asOf, r!.knownAt, r!.tenant, end!.asOf, end!.tenant]).toEqual([
      "2022-03-02",
      null,
      A,
      "2022-12-31",
      A
    ])
  })

  it("knownAt: before anything was recorded nothing is known — no values, not zeros", async () => {
    const [r, all] = await reportsOf(events, [
      { year: 2022, knownAt: "2000-01-01T00:00:00.000Z" },
      { year: 2022 }
    ])
    expect(r!.values).toEqual([])
    expect([r!.knownAt, r!.tenant, all!.tenant]).toEqual(["2000-01-01T00:00:00.000Z", null, null])
  })

  it("forYear: the year's values with the read models they came from; figures: the same values", async () => {
    const [byYear, figures] = await Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      for (const { streamId, ...e } of events) yield* store.append(streamId, [{ ...e, schemaVersion: 1 }])
      return [yield* YearReport.forYear(2022, { tenant: A }), yield* YearReport.figures(2022, { tenant: A })] as const
    }).pipe(Effect.provide(EventStore.layerMemory({ catalog: Events.eventCatalog })), Effect.runPromise)
    // 750 000 kr granted to A in 2022 (b1–b3: 200 000, p1–p4: 550 000).
    expect(byYear.values.find((v) => v.id === "granted-by-instrument")?.value).toBe(75_000_000)
    // b5 was received on 2022-11-20 and never decided: the read models hold it as received.
    expect(byYear.models.portfolio.applications.get(A)?.get("b5")?.status).toBe("received")
    expect([byYear.year, byYear.asOf, byYear.tenant]).toEqual([2022, "2022-12-31", A])
    expect(figures.values).toEqual(byYear.values)
    expect(figures.position).toBe(byYear.position)
  })

  it("compare: two years of a tenant side by side", async () => {
    const table = await Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      for (const { streamId, ...e } of events) {
        yield* store.append(streamId, [
          { ...e, schemaVersion: Events.eventCatalog.definitions.get(e.type)?.version ?? 1 }
        ])
      }
      return yield* YearReport.compare([2021, 2022], { tenant: A })
    }).pipe(Effect.provide(EventStore.layerMemory({ catalog: Events.eventCatalog })), Effect.runPromise)
    // 2021: c1 granted, nothing rejected → 1 / 1 = 100 %; 2022: 75 % → −25 p.e., −25 % relative.
    const headline = table.rows.find((r) => r.indicator === "approval-rate" && r.key === null)
    expect(headline).toMatchObject({ a: 100, b: 75, absoluteChange: -25, relativeChange: -25 })
    expect([table.years, table.reports.map((r) => r.year)]).toEqual([
      [2021, 2022],
      [2021, 2022]
    ])
  })
})
