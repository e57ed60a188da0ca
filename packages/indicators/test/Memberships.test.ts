// family/Memberships.ts: active memberships — against figures worked out BY HAND from the synthetic
// events in fixtures/handComputed.ts (the working is in the comments; see fixtures/reports.ts).
import { beforeAll, describe, expect, it } from "vitest"
import { get, handComputedReports, type Report } from "./fixtures/reports.js"

let a2022own: Report
let a2022: Report
let a2020: Report

beforeAll(async () => {
  ;({ a2022own, a2022, a2020 } = await handComputedReports())
})

describe("active-memberships (by actor)", () => {
  it("all actors: 3 proper (2 EU, 1 Arctic) + 1 signatory; the ended one is gone", () => {
    // org-eu (A, member), org-arktis (A, founder), org-energi (the company, member);
    // org-gammal ended 2020-12-31; org-avtal is a signatory, counted apart.
    const v = get(a2022, "active-memberships")
    expect(v.value).toBe(3)
    expect(Object.fromEntries(v.breakdown.map((r) => [r.key, r.value]))).toEqual({
      eu: 2,
      "regional-arctic": 1,
      other: 0,
      // Every join date in the data is exact.
      "join-date-unknown": 0,
      "relation:signatory": 1
    })
  })

  it("the municipality itself: 2", () => {
    expect(get(a2022own, "active-memberships").value).toBe(2)
  })

  it("2020: the old membership ended on 2020-12-31, within the year → 3 for all actors", () => {
    // org-gammal ended 2020-12-31, which is within 2020: ended by the year end → 3.
    expect(get(a2020, "active-memberships").value).toBe(3)
  })
})
