// family/Agreements.ts: agreements by status — against figures worked out BY HAND from the synthetic
// events in fixtures/handComputed.ts (the working is in the comments; see fixtures/reports.ts).
import { beforeEach, describe, expect, it } from "vitest"
import { absent, get, handComputedReports, type Report } from "./fixtures/reports.js"

let a2022: Report
let b2022: Report
let a2020: Report

// Built before EACH test, not once: Stryker attributes what a hook computes to the test it runs
// for, so each mutant is run against the tests that read it (a once-only hook would make every
// mutant "static" and run the whole suite for it).
beforeEach(async () => {
  ;({ a2022, a2020, b2022 } = await handComputedReports())
})

describe("agreements-by-status (headline = sum of rows)", () => {
  it("2022: 1 + 1 cooperation (active, ended), 1 intent, 1 + 1 twin towns (active, dormant) = 5", () => {
    // The old headline (active only) gave 2, while its rows summed to 5.
    const v = get(a2022, "agreements-by-status")
    expect(v.value).toBe(5)
    expect(Object.fromEntries(v.breakdown.map((r) => [r.key, r.value]))).toEqual({
      "cooperation-agreement:active": 1,
      "cooperation-agreement:ended": 1,
      "declaration-of-intent:intended": 1,
      "twin-town:active": 1,
      "twin-town:dormant": 1
    })
    expect(v.breakdown.reduce((n, r) => n + (r.value ?? 0), 0)).toBe(v.value)
  })

  it("2020: vänort-2 already dormant, samarbete-2 ended, nothing signed later yet → 3", () => {
    const v = get(a2020, "agreements-by-status")
    expect(v.value).toBe(3)
    expect(Object.fromEntries(v.breakdown.map((r) => [r.key, r.value]))).toEqual({
      "cooperation-agreement:ended": 1,
      "twin-town:active": 1,
      "twin-town:dormant": 1
    })
  })
})

describe("agreements-by-status: order and absence", () => {
  it("rows by kind in code order, then status in lifecycle order (intended, active, dormant, ended)", () => {
    // Recorded kinds: twin-town first, then cooperation-agreement, then declaration-of-intent.
    const v = get(a2022, "agreements-by-status")
    expect(v.breakdown.map((r) => r.label)).toEqual([
      "cooperation-agreement, active",
      "cooperation-agreement, ended",
      "declaration-of-intent, intended",
      "twin-town, active",
      "twin-town, dormant"
    ])
  })

  it("a tenant with no agreement has no agreement indicator", () => {
    expect(absent(b2022, "agreements-by-status")).toBe(true)
  })
})
