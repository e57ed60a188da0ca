// family/BusinessSupport.ts: approval rate, leadership, expected jobs, investment leverage, EU
// co-financing — against figures worked out BY HAND from the synthetic events in
// fixtures/handComputed.ts and fixtures/allocationGoals.ts (the working is in the comments).
import { beforeEach, describe, expect, it } from "vitest"
import { C, events as tenantC } from "./fixtures/allocationGoals.js"
import { absent, get, handComputedReports, type Report, reportsOf, row } from "./fixtures/reports.js"

let a2022: Report
let a2021: Report
let a2020: Report
let b2022: Report
let all2022: Report

// Built before EACH test, not once: Stryker attributes what a hook computes to the test it runs
// for, so each mutant is run against the tests that read it (a once-only hook would make every
// mutant "static" and run the whole suite for it).
beforeEach(async () => {
  ;({ a2022, a2021, a2020, b2022, all2022 } = await handComputedReports())
})

describe("approval-rate (÷ decided, not ÷ received)", () => {
  it("tenant A 2022: 3 granted, 1 rejected, 1 undecided → 3 / 4 = 75,0 %", () => {
    // Received in 2022: b1 b2 b3 b4 b5 = 5. Granted: b1 b2 b3 = 3. Rejected: b4 = 1. b5 undecided.
    // Right: 3 / (3 + 1) = 75.0 %. Wrong denominator (received): 3 / 5 = 60.0 %.
    const v = get(a2022, "approval-rate")
    expect(v.value).toBe(75)
    expect([v.numerator, v.denominator]).toEqual([3, 4])
    expect(v.breakdown.map((r) => [r.key, r.value, r.unit])).toEqual([
      ["applications", 5, "count"],
      ["granted", 3, "count"],
      ["rejected", 1, "count"]
    ])
  })

  it("keeps tenants apart and adds them up when no tenant is given", () => {
    // B: 1 granted, 1 rejected → 50.0 %. Both: (3 + 1) / (4 + 2) = 4 / 6 = 66.67 → 66.7 %.
    expect(get(b2022, "approval-rate").value).toBe(50)
    expect(get(all2022, "approval-rate").value).toBe(66.7)
  })

  it("is absent (no data), not 0 %, for a year without business support", () => {
    expect(a2020.values.find((v) => v.id === "approval-rate")).toBeUndefined()
  })
})

describe("leadership-shares", () => {
  it("one firm each → 33 / 34 / 33 % (the leftover point to the first key in code order: man)", () => {
    const v = get(a2022, "leadership-shares")
    expect(v.value).toBe(3)
    expect(v.breakdown.map((r) => [r.key, r.value, r.amount])).toEqual([
      ["woman", 33, 1],
      ["man", 34, 1],
      ["shared", 33, 1]
    ])
  })
})

describe("expected-jobs", () => {
  it("2 women + 3 men = 5 jobs, 40,0 % women, 5 ÷ 0,2 mkr = 25,00 per mkr", () => {
    // b1 1+1, b2 0+2, b3 1+0. Granted 200 000 kr = 0.2 mkr.
    const v = get(a2022, "expected-jobs")
    expect(v.value).toBe(5)
    expect(row(v, "women").value).toBe(2)
    expect(row(v, "men").value).toBe(3)
    expect([row(v, "women-share").value, row(v, "women-share").unit]).toEqual([40, "percent"])
    expect([row(v, "per-mkr").value, row(v, "per-mkr").unit]).toEqual([25, "ratio"])
  })
})

describe("investment-leverage (exact half rounds up)", () => {
  it("201 000 ÷ 200 000 = 1,005 → 1,01; average grant 66 666,67 kr → 6 666 667 öre", () => {
    // Investment 150 000 + 30 000 + 21 000 = 201 000 kr; granted 200 000 kr.
    // A float computation (1.005 × 100 = 100.49999…) or banker's rounding would give 1.00.
    const v = get(a2022, "investment-leverage")
    expect(v.value).toBe(1.01)
    expect([v.numerator, v.denominator]).toEqual([20_100_000, 20_000_000])
    expect(row(v, "granted")).toMatchObject({ label: "Granted", value: 20_000_000, unit: "ore" })
    expect(row(v, "investment")).toMatchObject({ label: "Investment", value: 20_100_000, unit: "ore" })
    // 20 000 000 öre / 3 = 6 666 666.67 öre → 6 666 667 öre.
    expect(row(v, "average-grant").value).toBe(6_666_667)
  })
})

describe("eu-co-financing", () => {
  it("2 of 3 decisions (66,7 %), 1,5 decision-equivalents, 65,0 % of the money, 2,86 per own krona", () => {
    // b1 react-eu 100 %, b2 covid-framework 50 %, b3 none. Equivalents (100 + 50) / 100 = 1.5.
    // EU money 100 000 × 1 + 60 000 × 0.5 = 130 000 of 200 000 kr = 65.0 %.
    // Own money 70 000 → 200 000 / 70 000 = 2.857 → 2.86.
    const v = get(a2022, "eu-co-financing")
    expect(v.value).toBe(66.7)
    expect([v.numerator, v.denominator]).toEqual([2, 3])
    expect(v.breakdown.map((r) => [r.key, r.value, r.unit])).toEqual([
      ["decisions", 2, "count"],
      ["equivalents", 1.5, "count"],
      ["eu-share-of-money", 65, "percent"],
      ["leverage", 2.86, "ratio"],
      ["source:covid-framework", 1, "count"],
      ["source:react-eu", 1, "count"]
    ])
  })

  it("is no data — not 0 % — in a year whose grants record no EU co-financing (2021)", () => {
    expect(get(a2021, "investment-leverage").value).toBe(3)
    expect(a2021.values.find((v) => v.id === "eu-co-financing")).toBeUndefined()
  })
})

describe("business support at the edges of no data", () => {
  it("one application rejected, none granted (C 2025): 0,0 % approved, a true zero", async () => {
    // Decided 0 granted + 1 rejected = 1: 0 / 1 = 0.0 %.
    const [c2025] = await reportsOf(tenantC, [{ year: 2025, tenant: C }])
    const v = get(c2025!, "approval-rate")
    expect(v.value).toBe(0)
    expect([v.numerator, v.denominator]).toEqual([0, 1])
    expect(v.breakdown.map((r) => [r.key, r.value])).toEqual([
      ["applications", 1],
      ["granted", 0],
      ["rejected", 1]
    ])
    // No grant: nothing to say about the firms granted support.
    expect(
      ["leadership-shares", "expected-jobs", "investment-leverage", "eu-co-financing"].map((id) =>
        absent(c2025!, id)
      )
    ).toEqual([true, true, true, true])
  })

  it("applications received, none decided yet (C 2026): shown, with no rate (0 ÷ 0)", async () => {
    // e2 (February) and e3 (December) received in 2026; e3 is rejected only in January 2027.
    const [c2026] = await reportsOf(tenantC, [{ year: 2026, tenant: C }])
    const v = get(c2026!, "approval-rate")
    expect(v.value).toBeNull()
    expect([v.numerator, v.denominator]).toEqual([0, 0])
    expect(row(v, "applications").value).toBe(2)
  })

  it("a decision on the year before's application (C 2027): a rate with no application received", async () => {
    // 2027: no application received; e3 rejected → 0 granted of 1 decided = 0.0 %.
    const [c2027] = await reportsOf(tenantC, [{ year: 2027, tenant: C }])
    const v = get(c2027!, "approval-rate")
    expect([v.value, v.numerator, v.denominator]).toEqual([0, 0, 1])
    expect(v.breakdown.map((r) => [r.key, r.label, r.value])).toEqual([
      ["applications", "Applications received", 0],
      ["granted", "Granted (bifallna)", 0],
      ["rejected", "Rejected (avslagna)", 1]
    ])
  })

  it("a year without business support at all (A 2020) has none of its indicators", () => {
    expect(
      ["leadership-shares", "expected-jobs", "investment-leverage", "eu-co-financing"].map((id) =>
        absent(a2020, id)
      )
    ).toEqual([true, true, true, true])
  })
})

describe("business support: labels and categories with nothing in them", () => {
  it("A 2021: one firm led by a man → 0 / 100 / 0 %, every leadership shown", () => {
    const v = get(a2021, "leadership-shares")
    expect(v.breakdown.map((r) => [r.key, r.label, r.value])).toEqual([
      ["woman", "Led by a woman", 0],
      ["man", "Led by a man", 100],
      ["shared", "Shared leadership", 0]
    ])
  })

  it("A 2022: the rows of jobs, leverage and EU co-financing are named", () => {
    expect(get(a2022, "expected-jobs").breakdown.map((r) => r.label)).toEqual([
      "Jobs for women",
      "Jobs for men",
      "Women's share",
      "Jobs per mkr granted"
    ])
    expect(row(get(a2022, "investment-leverage"), "average-grant").label).toBe("Average grant")
    expect(get(a2022, "eu-co-financing").breakdown.map((r) => r.label)).toEqual([
      "Co-financed decisions",
      "Decision-equivalents (Σ rate)",
      "EU share of granted money",
      "Support per krona of own money",
      "Decisions via covid-framework",
      "Decisions via react-eu"
    ])
  })
})
