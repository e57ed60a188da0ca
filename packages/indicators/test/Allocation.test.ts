// family/Allocation.ts: the board's allocation frame by instrument and by priority, against
// figures worked out BY HAND from the synthetic events in fixtures/allocationGoals.ts.
import { beforeEach, describe, expect, it } from "vitest"
import { C, events } from "./fixtures/allocationGoals.js"
import { absent, get, type Report, reportsOf } from "./fixtures/reports.js"

let r2022: Report | undefined
let r2023: Report | undefined
let r2021: Report | undefined

// Built before EACH test, not once: Stryker attributes what a hook computes to the test it runs
// for, so each mutant is run against the tests that read it (a once-only hook would make every
// mutant "static" and run the whole suite for it).
beforeEach(async () => {
  ;[r2022, r2023, r2021] = await reportsOf(events, [
    { year: 2022, tenant: C },
    { year: 2023, tenant: C },
    { year: 2021, tenant: C }
  ])
})

describe("allocation-by-instrument (whole percent, largest remainder)", () => {
  it("2022: 700 000 / 350 000 / 50 000 kr → 64 / 32 / 4 %, the later frame replacing the first", () => {
    // Total 1 100 000 kr. Exact: 63.64 / 31.82 / 4.55 %. Floors 63 + 31 + 4 = 98: two points
    // missing, to the largest remainders .82 (business) and .64 (project) → 64 / 32 / 4.
    // Rounding each on its own would give 64 / 32 / 5 = 101; adding both frames would give
    // 1 700 000 kr.
    const v = get(r2022!, "allocation-by-instrument")
    expect(v.value).toBe(110_000_000)
    expect(v.unit).toBe("ore")
    expect(v.breakdown.map((r) => [r.key, r.value, r.amount, r.unit])).toEqual([
      ["project-support", 64, 70_000_000, "whole-percent"],
      ["business-support", 32, 35_000_000, "whole-percent"],
      ["commercial-service", 4, 5_000_000, "whole-percent"]
    ])
    expect(v.breakdown.map((r) => r.label)).toEqual([
      "Project support (projektstöd)",
      "Business support (företagsstöd)",
      "Commercial service (kommersiell service)"
    ])
  })

  it("2023: three equal parts → 34 / 33 / 33, the leftover point to the first key in code order", () => {
    // 1 kr each: 33 r 1 each, one point missing; equal remainders and amounts → key order:
    // business-support < commercial-service < project-support.
    const v = get(r2023!, "allocation-by-instrument")
    expect(v.value).toBe(300)
    expect(Object.fromEntries(v.breakdown.map((r) => [r.key, r.value]))).toEqual({
      "project-support": 33,
      "business-support": 34,
      "commercial-service": 33
    })
  })

  it("a year without a frame has no allocation (no data, not 0 kr)", () => {
    expect(absent(r2021!, "allocation-by-instrument")).toBe(true)
    expect(absent(r2021!, "allocation-by-priority")).toBe(true)
  })
})

describe("allocation-by-priority (one value per scheme)", () => {
  it("2022: rus-c P1 400 000 + 100 000, P2 200 000 → 71,4 / 28,6 %; s3-c S1 300 000 → 100 %", () => {
    // rus-c: P1 500 000 of 700 000 = 71.43 %, P2 28.57 %; tenths 714 + 285 = 999, the missing
    // tenth to the larger remainder (.71 of P2) → 71.4 / 28.6. Counting P1's first line only
    // would give 400 / 600 = 66.7 %. The whole frame (1 100 000) is not the denominator.
    const rus = get(r2022!, "allocation-by-priority", "rus-c")
    expect(rus.value).toBe(70_000_000)
    expect(rus.breakdown.map((r) => [r.key, r.label, r.value, r.amount, r.unit])).toEqual([
      ["P1", "Innovation", 71.4, 50_000_000, "percent"],
      ["P2", "Kompetens", 28.6, 20_000_000, "percent"]
    ])
    // A scheme the registry does not hold: the code is its own label.
    const s3 = get(r2022!, "allocation-by-priority", "s3-c")
    expect(s3.value).toBe(30_000_000)
    expect(s3.breakdown.map((r) => [r.key, r.label, r.value])).toEqual([["S1", "S1", 100]])
    expect(r2022!.values.filter((v) => v.id === "allocation-by-priority").map((v) => v.scheme)).toEqual([
      "rus-c",
      "s3-c"
    ])
  })

  it("a frame without priorities has no allocation by priority", () => {
    expect(absent(r2023!, "allocation-by-priority")).toBe(true)
  })
})
