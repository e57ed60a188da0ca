// family/Grants.ts: granted money by instrument, by classification, projects by main purpose —
// against figures worked out BY HAND from the synthetic events in fixtures/handComputed.ts and
// fixtures/allocationGoals.ts (the working is in the comments).
import { beforeEach, describe, expect, it } from "vitest"
import { C, events as tenantC } from "./fixtures/allocationGoals.js"
import { absent, get, handComputedReports, type Report, reportsOf } from "./fixtures/reports.js"

let a2022: Report
let a2021: Report
let a2020: Report
let b2022: Report

// Built before EACH test, not once: Stryker attributes what a hook computes to the test it runs
// for, so each mutant is run against the tests that read it (a once-only hook would make every
// mutant "static" and run the whole suite for it).
beforeEach(async () => {
  ;({ a2022, a2021, a2020, b2022 } = await handComputedReports())
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

describe("granted money when little or nothing was granted", () => {
  it("A 2021: one business grant of 10 000 kr → 0 / 100 / 0 %", () => {
    const v = get(a2021, "granted-by-instrument")
    expect(v.value).toBe(1_000_000)
    expect(v.breakdown.map((r) => [r.key, r.value])).toEqual([
      ["project-support", 0],
      ["business-support", 100],
      ["commercial-service", 0]
    ])
  })

  it("0 kr granted is a true zero when the year has a frame, an appropriation or a decision", async () => {
    // C 2023: a frame only; C 2024: an appropriation only; C 2025: one application, rejected.
    const reports = await reportsOf(tenantC, [
      { year: 2023, tenant: C },
      { year: 2024, tenant: C },
      { year: 2025, tenant: C }
    ])
    const values = reports.map((r) => get(r, "granted-by-instrument"))
    expect(values.map((v) => v.value)).toEqual([0, 0, 0])
    expect(values[1]!.breakdown.map((r) => [r.key, r.value, r.amount])).toEqual([
      ["project-support", 0, 0],
      ["business-support", 0, 0],
      ["commercial-service", 0, 0]
    ])
  })

  it("C 2022: four projects of 100 000 kr, tagged in two schemes, none with a horizontal main purpose", async () => {
    const [c2022] = await reportsOf(tenantC, [{ year: 2022, tenant: C }])
    // mal-c: pc1 G3 100 000 of 400 000 = 25.0 %; pc2, pc3 and pc4 unclassified in it = 75.0 %.
    const goals = get(c2022!, "granted-by-category", "mal-c")
    expect(goals.value).toBe(40_000_000)
    expect(goals.breakdown.map((r) => [r.key, r.label, r.value, r.amount])).toEqual([
      ["G3", "Mål 3", 25, 10_000_000],
      ["unclassified", "Not classified in this scheme", 75, 30_000_000]
    ])
    // rus-c: pc3 P1 25.0 %, the rest unclassified. One value per scheme, in scheme order.
    // pc1's smart-specialisation code adds s3-c, met before rus-c (pc3) but listed after it.
    expect(c2022!.values.filter((v) => v.id === "granted-by-category").map((v) => v.scheme)).toEqual([
      "mal-c",
      "rus-c",
      "s3-c"
    ])
    // All four are "other": 0 projects with a horizontal main purpose, but projects there were.
    const purpose = get(c2022!, "projects-by-main-purpose")
    expect(purpose.value).toBe(0)
    expect(purpose.breakdown.map((r) => r.value)).toEqual([0, 0, 0])
  })

  it("a tenant without projects has no classification and no main purposes", () => {
    expect([absent(b2022, "granted-by-category"), absent(b2022, "projects-by-main-purpose")]).toEqual([
      true,
      true
    ])
  })
})

describe("granted money, every grant classified, a diversity project (C 2027)", () => {
  it("rus-c P2 100 % with no 'not classified' row; 1 project for diversity", async () => {
    const [c2027] = await reportsOf(tenantC, [{ year: 2027, tenant: C }])
    const v = get(c2027!, "granted-by-category", "rus-c")
    expect(v.breakdown.map((r) => [r.key, r.value, r.amount])).toEqual([["P2", 100, 10_000_000]])
    // 0 gender equality + 1 diversity + 0 environment = 1.
    const purpose = get(c2027!, "projects-by-main-purpose")
    expect(purpose.value).toBe(1)
    expect(purpose.breakdown.map((r) => [r.key, r.label, r.value])).toEqual([
      ["gender-equality", "Gender equality (jämställdhet)", 0],
      ["diversity", "Diversity (mångfald)", 1],
      ["environment", "Environment (miljö)", 0]
    ])
  })
})
