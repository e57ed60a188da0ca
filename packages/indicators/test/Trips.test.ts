// family/Trips.ts: trips replaced by digital meetings, trip CO2e — against figures worked out BY HAND from the synthetic
// events in fixtures/handComputed.ts (the working is in the comments; see fixtures/reports.ts).
import { beforeEach, describe, expect, it } from "vitest"
import { C, events as tenantC } from "./fixtures/allocationGoals.js"
import { absent, get, handComputedReports, type Report, reportsOf, row } from "./fixtures/reports.js"

let a2022: Report
let b2022: Report

// Built before EACH test, not once: Stryker attributes what a hook computes to the test it runs
// for, so each mutant is run against the tests that read it (a once-only hook would make every
// mutant "static" and run the whole suite for it).
beforeEach(async () => {
  ;({ a2022, b2022 } = await handComputedReports())
})

describe("trips-replaced-by-digital (÷ evaluated, not ÷ proposed)", () => {
  it("1 replaced of 5 evaluated = 20,0 % (÷ 6 proposed would be 16,7 %)", () => {
    const v = get(a2022, "trips-replaced-by-digital")
    expect(v.value).toBe(20)
    expect([v.numerator, v.denominator]).toEqual([1, 5])
    expect(Object.fromEntries(v.breakdown.map((r) => [r.key, r.value]))).toEqual({
      proposed: 6,
      approved: 3,
      "replaced-by-digital": 1,
      declined: 1,
      completed: 1,
      cancelled: 1
    })
  })
})

describe("trip-co2e", () => {
  it("410 (completed, actual) + 10,25 (approved) + 0 (cancelled) = 420,25 → 420,3 kg", () => {
    // t1 estimated 400.5, completed with actual 410 → 410. t2 approved 10.25. t3 replaced, t4
    // declined, t6 cancelled → 0; t5 not evaluated → 0. A doubled headline would be 840.5; the
    // estimate instead of the actual would give 410.75 → 410.8.
    const v = get(a2022, "trip-co2e")
    expect(v.value).toBe(420.3)
    expect(v.unit).toBe("kg-co2e")
    // Per approved trip: 420.25 / 3 (t1, t2, t6) = 140.083 → 140.1.
    expect(row(v, "per-trip").value).toBe(140.1)
    expect(row(v, "mode:flight").value).toBe(410)
    // 10.25 → 10.3 (an exact half, up).
    expect(row(v, "mode:train").value).toBe(10.3)
  })

  it("is absent for a tenant with no trips", () => {
    expect(b2022.values.find((v) => v.id === "trip-co2e")).toBeUndefined()
  })
})

describe("trips: modes in order, nothing evaluated, no trips", () => {
  it("A 2022: the modes in code order — car, digital, flight, not evaluated, train", () => {
    // t4 car (declined, 0); t3, replaced by a digital meeting, is a "digital" trip (0); t1 410 +
    // t6 cancelled 0 = 410 by flight; t5 not evaluated (0); t2 train 10.25 → 10.3. Recorded in
    // the order flight, train, digital, car, not evaluated.
    const v = get(a2022, "trip-co2e")
    expect(v.breakdown.map((r) => [r.key, r.label, r.value])).toEqual([
      ["per-trip", "Per approved trip", 140.1],
      ["mode:car", "By car", 0],
      ["mode:digital", "By digital", 0],
      ["mode:flight", "By flight", 410],
      ["mode:not evaluated", "By not evaluated", 0],
      ["mode:train", "By train", 10.3]
    ])
  })

  it("C 2022: four trips proposed, none evaluated — no rate (0 ÷ 0), 0 kg, no CO2e per trip", async () => {
    // tc1–tc4 depart in 2022 (tc5 in 2021). None evaluated, so none approved or replaced.
    const [c2022] = await reportsOf(tenantC, [{ year: 2022, tenant: C }])
    const digital = get(c2022!, "trips-replaced-by-digital")
    expect([digital.value, digital.numerator, digital.denominator]).toEqual([null, 0, 0])
    expect(row(digital, "proposed").value).toBe(4)
    const co2e = get(c2022!, "trip-co2e")
    expect(co2e.value).toBe(0)
    expect(co2e.breakdown.map((r) => [r.key, r.value])).toEqual([
      ["per-trip", null],
      ["mode:not evaluated", 0]
    ])
  })

  it("a tenant with no trips has neither trip indicator", () => {
    expect([absent(b2022, "trips-replaced-by-digital"), absent(b2022, "trip-co2e")]).toEqual([true, true])
  })
})

describe("trips-replaced-by-digital: the rows are named", () => {
  it("A 2022", () => {
    expect(get(a2022, "trips-replaced-by-digital").breakdown.map((r) => r.label)).toEqual([
      "Proposed",
      "Approved",
      "Replaced by digital meeting",
      "Declined",
      "Completed",
      "Cancelled"
    ])
  })
})
