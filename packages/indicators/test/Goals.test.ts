// family/Goals.ts: goal coverage, against figures worked out BY HAND from the synthetic events in
// fixtures/allocationGoals.ts.
import { beforeEach, describe, expect, it } from "vitest"
import { C, events, GOALS } from "./fixtures/allocationGoals.js"
import { absent, get, type Report, reportsOf } from "./fixtures/reports.js"

let withGoals: Report | undefined
let withoutScheme: Report | undefined
let otherTenant: Report | undefined

// Built before EACH test, not once: Stryker attributes what a hook computes to the test it runs
// for, so each mutant is run against the tests that read it (a once-only hook would make every
// mutant "static" and run the whole suite for it).
beforeEach(async () => {
  ;[withGoals, withoutScheme, otherTenant] = await reportsOf(events, [
    { year: 2022, tenant: C, goalsSchemeId: GOALS },
    { year: 2022, tenant: C },
    { year: 2022, tenant: "test-ingen", goalsSchemeId: GOALS }
  ])
})

describe("goal-coverage", () => {
  it("2022: 5 of 11 items tagged with a goal = 45,5 %; G1 3, G2 2, G3 1", () => {
    // Items: trips departing in 2022 tc1 tc2 tc3 tc4 (tc5 departs in 2021) = 4; agreements
    // active or intended at the year end ac1 ac2 ac5 (ac3 ended, ac4 dormant) = 3; projects
    // granted in 2022 pc1 pc2 pc3 pc4 = 4. Together 11.
    // With a goal of mal-c: tc1, tc2, ac1, ac5, pc1 = 5 (tc4 and pc3 carry codes of another
    // scheme). 5 / 11 = 45.45 % → 45.5 %.
    // Wrong formulas: active agreements only 4 / 10 = 40.0; with the ended and dormant ones
    // 7 / 13 = 53.8; any scheme's code 7 / 11 = 63.6.
    const v = get(withGoals!, "goal-coverage")
    expect(v.value).toBe(45.5)
    expect([v.numerator, v.denominator]).toEqual([5, 11])
    expect(v.scheme).toBe(GOALS)
    // Per goal, each item once (tc2 names G1 twice): G1 tc1 tc2 ac5 = 3; G2 tc2 ac1 = 2; G3 pc1 = 1.
    expect(v.breakdown.map((r) => [r.key, r.label, r.value, r.unit])).toEqual([
      ["G1", "Mål 1", 3, "count"],
      ["G2", "Mål 2", 2, "count"],
      ["G3", "Mål 3", 1, "count"]
    ])
  })

  it("needs the scheme of the actor's goals, and something to count", () => {
    expect(absent(withoutScheme!, "goal-coverage")).toBe(true)
    expect(absent(otherTenant!, "goal-coverage")).toBe(true)
  })
})
