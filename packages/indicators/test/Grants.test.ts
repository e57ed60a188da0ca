// family/Grants.ts: granted money by instrument, by classification, projects by main purpose — against figures worked out BY HAND from the synthetic
// events in fixtures/handComputed.ts (the working is in the comments; see fixtures/reports.ts).
import { beforeAll, describe, expect, it } from "vitest"
import { get, handComputedReports, type Report } from "./fixtures/reports.js"

let a2022: Report
let a2020: Report

beforeAll(async () => {
  ;({ a2022, a2020 } = await handComputedReports())
})

describe("granted-by-instrument", () => {
  it("550 000 + 200 000 + 0 kr, shares 73,3 / 26,7 / 0,0 %", () => {
    // Project: 300 000 + 100 000 + 100 000 + 50 000 = 550 000 kr. Business: 100 000 + 60 000
    // + 40 000 = 200 000 kr. Total 750 000 kr. 550/750 = 73.33 %, 200/750 = 26.67 %.
    // Largest remainder in tenths: floors 733 + 266 + 0 = 999, the missing tenth goes to .67.
    const v = get(a2022, "granted-by-instrument")
    expect(v.value).toBe(75_000_000)
    expect(v.unit).toBe("ore")
    expect(v.breakdown.map((r) => [r.key, r.value, r.amount, r.unit])).toEqual([
      ["project-support", 73.3, 55_000_000, "percent"],
      ["business-support", 26.7, 20_000_000, "percent"],
      ["commercial-service", 0, 0, "percent"]
    ])
  })

  it("is absent for a year without grants (no all-zero block)", () => {
    expect(a2020.values.find((v) => v.id === "granted-by-instrument")).toBeUndefined()
  })
})

describe("granted-by-category (primary code only)", () => {
  it("P1 350 000, P2 100 000, unclassified 100 000 kr → 63,6 / 18,2 / 18,2 %", () => {
    // p1 P1 300 000; p2 codes [P2, P1] → primary P2 100 000; p3 no code → unclassified 100 000;
    // p4 P1 50 000. Counting p2 under every code would give P1 450 000.
    // Shares of 550 000 in tenths: 636.36 / 181.82 / 181.82; floors sum 998; the two missing
    // tenths go to the two .82 remainders → 63.6 / 18.2 / 18.2.
    const v = get(a2022, "granted-by-category", "test-rus")
    expect(v.value).toBe(55_000_000)
    expect(Object.fromEntries(v.breakdown.map((r) => [r.key, [r.value, r.amount]]))).toEqual({
      P1: [63.6, 35_000_000],
      P2: [18.2, 10_000_000],
      unclassified: [18.2, 10_000_000]
    })
  })
})

describe("projects-by-main-purpose", () => {
  it("gender equality 1, diversity 0, environment 2 → 3 (the 'other' project is not counted)", () => {
    // p1 environment, p2 gender-equality, p3 other, p4 environment. Counting all projects: 4.
    const v = get(a2022, "projects-by-main-purpose")
    expect(v.value).toBe(3)
    expect(v.breakdown.map((r) => [r.key, r.value])).toEqual([
      ["gender-equality", 1],
      ["diversity", 0],
      ["environment", 2]
    ])
  })
})
