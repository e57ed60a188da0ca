// Indicator.ts: the catalogue as a whole — against figures worked out BY HAND from the synthetic
// events in fixtures/handComputed.ts (the working is in the comments; see fixtures/reports.ts).
import { beforeAll, describe, expect, it } from "vitest"
import { handComputedReports, type Report } from "./fixtures/reports.js"

let all2022: Report

beforeAll(async () => {
  ;({ all2022 } = await handComputedReports())
})

describe("every row carries its unit", () => {
  it("no row of any indicator lacks one", () => {
    const rows = all2022.values.flatMap((v) => v.breakdown.map((r) => [v.id, r.key, r.unit] as const))
    expect(rows.length).toBeGreaterThan(20)
    expect(rows.filter(([, , unit]) => unit === undefined)).toEqual([])
  })
})
