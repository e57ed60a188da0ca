// The ranking rule on its own: standard competition ranking (1, 2, 2, 4), largest first unless
// ascending, and tenants without a figure after the ranked ones, unranked, with the reason.
import type { Indicator } from "@utblick/indicators"
import { describe, expect, it } from "vitest"
import type { TrendResult } from "../src/Analysis.js"
import * as Rank from "../src/report/Rank.js"

const value = (v: number | null, breakdown: ReadonlyArray<Indicator.Row> = []): Indicator.IndicatorValue => ({
  id: "active-memberships",
  title: "Active memberships by focus area",
  titleSv: "Aktiva medlemskap per inriktning",
  unit: "count",
  year: 2024,
  value: v,
  breakdown
})

// A side-by-side result: one report per tenant (only what ranking reads).
const sideBySide = (values: Record<string, Indicator.IndicatorValue | undefined>): TrendResult =>
  ({
    kind: "trend",
    years: [2024],
    tenants: Object.keys(values),
    reports: Object.values(values).map((v) => ({ year: 2024, values: v === undefined ? [] : [v] })),
    manifest: {}
  }) as unknown as TrendResult

const by = (over: Partial<Rank.By> = {}): Rank.By => ({
  indicator: "active-memberships",
  perInhabitant: false,
  ascending: false,
  ...over
})

describe("Rank.rank", () => {
  it("ties share a rank and the next rank skips; no data comes last, unranked", () => {
    const r = Rank.rank(
      sideBySide({ d: value(1), b: value(3), a: value(5), c: value(3), e: undefined }),
      by()
    )
    expect(r.entries.map((e) => [e.rank, e.tenant, e.value, e.missing])).toEqual([
      [1, "a", 5, null],
      [2, "b", 3, null],
      [2, "c", 3, null],
      [4, "d", 1, null],
      [null, "e", null, "no-value"]
    ])
  })

  it("ascending puts the smallest first; zero is a value and is ranked", () => {
    const r = Rank.rank(sideBySide({ a: value(2), b: value(0), c: value(null) }), by({ ascending: true }))
    expect(r.entries.map((e) => [e.rank, e.tenant])).toEqual([
      [1, "b"],
      [2, "a"],
      [null, "c"]
    ])
  })

  it("per inhabitant: a tenant with a value but no population figure is 'no-population', not 0", () => {
    const per = (n: number | null): Indicator.Row => ({
      key: "per-1000-inhabitants",
      label: "Per 1 000 inhabitants",
      value: n,
      unit: "ratio"
    })
    const r = Rank.rank(
      sideBySide({ a: value(5, [per(0.06)]), b: value(2, [per(0.25)]), c: value(9, [per(null)]) }),
      by({ perInhabitant: true })
    )
    expect(r.rowKey).toBe("per-1000-inhabitants")
    expect(r.entries.map((e) => [e.rank, e.tenant, e.value, e.unit, e.headline, e.missing])).toEqual([
      [1, "b", 0.25, "ratio", 2, null],
      [2, "a", 0.06, "ratio", 5, null],
      [null, "c", null, "ratio", 9, "no-population"]
    ])
  })
})
