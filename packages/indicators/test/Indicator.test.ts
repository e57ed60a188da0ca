// Indicator.ts: the catalogue as a whole, on the synthetic events of fixtures/handComputed.ts.
import { Indicator } from "@utblick/indicators"
import { beforeEach, describe, expect, it } from "vitest"
import { A, B } from "./fixtures/handComputed.js"
import { handComputedReports, type Report } from "./fixtures/reports.js"

let a2022: Report
let all2022: Report

// Built before EACH test, not once: Stryker attributes what a hook computes to the test it runs
// for, so each mutant is run against the tests that read it (a once-only hook would make every
// mutant "static" and run the whole suite for it).
beforeEach(async () => {
  ;({ a2022, all2022 } = await handComputedReports())
})

describe("the catalogue", () => {
  it("lists every indicator once, in reporting order (docs/reference/indicators.md)", () => {
    expect(Indicator.definitions.map((d) => d.id)).toEqual([
      "approval-rate",
      "granted-by-instrument",
      "allocation-by-instrument",
      "allocation-by-priority",
      "granted-by-category",
      "leadership-shares",
      "expected-jobs",
      "investment-leverage",
      "eu-co-financing",
      "projects-by-main-purpose",
      "active-memberships",
      "agreements-by-status",
      "trips-replaced-by-digital",
      "trip-co2e",
      "goal-coverage"
    ])
  })

  it("computes only the selected definitions, from one year's view", () => {
    // Tenant A 2022 from the report's own read models: the approval rate is 3 / 4 = 75,0 %.
    const values = Indicator.computeAll(a2022.models, { year: 2022, tenant: A }, [
      Indicator.approvalRate,
      Indicator.tripsReplacedByDigital
    ])
    expect(values.map((v) => [v.id, v.year, v.value])).toEqual([
      ["approval-rate", 2022, 75],
      ["trips-replaced-by-digital", 2022, 20]
    ])
  })

  it("resolves a row's unit: its own, else the indicator's row unit, else its unit", () => {
    const row = { key: "k", label: "k", value: 1 }
    expect(Indicator.unitOf({ unit: "ore", rowUnit: "percent" }, { ...row, unit: "count" })).toBe("count")
    expect(Indicator.unitOf({ unit: "ore", rowUnit: "percent" }, row)).toBe("percent")
    expect(Indicator.unitOf({ unit: "ore" }, row)).toBe("ore")
    expect([
      Indicator.isPercent("percent"),
      Indicator.isPercent("whole-percent"),
      Indicator.isPercent("ratio")
    ]).toEqual([true, true, false])
  })
})

describe("a value carries what it has, and nothing it has not", () => {
  it("the approval rate: its counts and the unit of its rows; granted money: neither", () => {
    const approval = Indicator.computeAll(a2022.models, { year: 2022, tenant: A }, [
      Indicator.approvalRate
    ])[0]
    expect(Object.keys(approval!).sort()).toEqual(
      [
        "breakdown",
        "denominator",
        "id",
        "numerator",
        "rowUnit",
        "title",
        "titleSv",
        "unit",
        "value",
        "year"
      ].sort()
    )
    expect(approval!.rowUnit).toBe("count")
    const granted = Indicator.computeAll(a2022.models, { year: 2022, tenant: A }, [
      Indicator.grantedByInstrument
    ])[0]
    expect(Object.keys(granted!).sort()).toEqual(
      ["breakdown", "id", "rowUnit", "title", "titleSv", "unit", "value", "year"].sort()
    )
    const category = Indicator.computeAll(a2022.models, { year: 2022, tenant: A }, [
      Indicator.grantedByCategory
    ])[0]
    expect(category!.scheme).toBe("test-rus")
    const jobs = Indicator.computeAll(a2022.models, { year: 2022, tenant: A }, [Indicator.expectedJobs])[0]
    expect(Object.keys(jobs!).sort()).toEqual(
      ["breakdown", "id", "title", "titleSv", "unit", "value", "year"].sort()
    )
  })

  it("a tenant's figures from read models of every tenant: B 2022 is 1 granted of 2 decided = 50,0 %", () => {
    // The models of the report without a tenant hold A and B; A alone is 75 %, both 66,7 %.
    const [approval] = Indicator.computeAll(all2022.models, { year: 2022, tenant: B }, [
      Indicator.approvalRate
    ])
    expect([approval!.value, approval!.numerator, approval!.denominator]).toEqual([50, 1, 2])
    const [memberships] = Indicator.computeAll(all2022.models, { year: 2022, tenant: B }, [
      Indicator.activeMemberships
    ])
    expect(memberships).toBeUndefined()
  })

  it("the year view computes each instrument's grants once and shares them", () => {
    const view = Indicator.makeView(a2022.models, { year: 2022, tenant: A })
    const first = view.grants("business-support")
    expect(first.map((g) => g.applicationId)).toEqual(["b1", "b2", "b3"])
    expect(view.grants("business-support")).toBe(first)
  })
})

describe("every row carries its unit", () => {
  it("no row of any indicator lacks one", () => {
    const rows = all2022.values.flatMap((v) => v.breakdown.map((r) => [v.id, r.key, r.unit] as const))
    expect(rows.length).toBeGreaterThan(20)
    expect(rows.filter(([, , unit]) => unit === undefined)).toEqual([])
  })
})
