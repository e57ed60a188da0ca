// As in history.test.ts: totals the seed was built from check conservation through the indicator
// API; percentages and rates the seed never reads (classification shares, the frame's split,
// approval rates) are independent checks of the formulas. The formulas themselves are checked on
// hand-computed data in packages/indicators/test/handComputed.test.ts.
// Acceptance: the published figures of Region Norrbotten's 2017 and 2022 reports, read back
// through the indicator API from the replayed history (issue "Projections and indicators").
import { EventStore } from "@utblick/core"
import { type Indicator, YearReport } from "@utblick/indicators"
import { Effect, Stream } from "effect"
import { beforeAll, describe, expect, it } from "vitest"
import { published, schemeIds, seed, tenant } from "../src/index.js"

type Report = Effect.Success<ReturnType<typeof YearReport.compare>>
let comparison: Report

const find = (values: ReadonlyArray<Indicator.IndicatorValue>, id: string, scheme?: string) => {
  const found = values.find((v) => v.id === id && (scheme === undefined || v.scheme === scheme))
  if (found === undefined) throw new Error(`no ${id}${scheme === undefined ? "" : ` in ${scheme}`}`)
  return found
}
const row = (value: Indicator.IndicatorValue, key: string) => value.breakdown.find((r) => r.key === key)

beforeAll(async () => {
  comparison = await Effect.gen(function* () {
    yield* seed
    return yield* YearReport.compare([2017, 2022], { tenant })
  }).pipe(Effect.provide(EventStore.layerMemory()), Effect.runPromise)
})

describe("Region Norrbotten through the indicator API", () => {
  it("2017 classification table: SEK 88,340,842 in seven categories, shares from the amounts", () => {
    const table = find(comparison.reports[0].values, "granted-by-category", schemeIds.classification2017)
    expect(table.value).toBe(published.classification2017.totalSek * 100)
    expect(table.breakdown.map((r) => [r.key, r.amount])).toEqual(
      published.classification2017.rows.map((r) => [r.code, r.amountSek * 100])
    )
    // Apportioned to one decimal they sum to exactly 100.0, unlike the stated whole percents (101).
    expect(table.breakdown.map((r) => r.value)).toEqual([5.4, 11.6, 0.6, 7.6, 3.4, 25.9, 45.5])
    expect(table.breakdown.reduce((sum, r) => sum + (r.value ?? 0) * 10, 0)).toBe(1000)
    // Each stated whole percent is the exact share rounded: the 101 is a rounding artefact (I-1).
    for (const [i, r] of table.breakdown.entries()) {
      expect(Math.round(((r.amount ?? 0) / (table.value ?? 1)) * 100)).toBe(published.classification2017.rows[i]?.statedPercent)
    }
  })

  it("approvals: 138 of 169 in 2017 against 125 of 164 in 2022", () => {
    const [a, b] = [find(comparison.reports[0].values, "approval-rate"), find(comparison.reports[1].values, "approval-rate")]
    expect([a.numerator, a.denominator, a.value]).toEqual([138, 169, 81.7])
    expect([b.numerator, b.denominator, b.value]).toEqual([125, 164, 76.2])
    expect(row(a, "applications")?.value).toBe(169)
    expect(row(b, "rejected")?.value).toBe(39)
    const headline = comparison.rows.find((r) => r.indicator === "approval-rate" && r.key === null)
    expect(headline).toMatchObject({ a: 81.7, b: 76.2, absoluteChange: -5.5 })
  })

  it("leadership of supported firms: 29/56/15 % in 2017 against 24/66/10 % in 2022", () => {
    const shares = (values: ReadonlyArray<Indicator.IndicatorValue>) =>
      find(values, "leadership-shares").breakdown.map((r) => r.value)
    expect(shares(comparison.reports[0].values)).toEqual([29, 56, 15])
    expect(shares(comparison.reports[1].values)).toEqual([24, 66, 10])
  })

  it("2022 allocation by priority and its 61 / 34 / 5 % split", () => {
    const byPriority = find(comparison.reports[1].values, "allocation-by-priority", schemeIds.allocation2022)
    expect(byPriority.value).toBe(published.allocation2022.totalSek * 100)
    expect(byPriority.breakdown.map((r) => [r.key, r.amount])).toEqual(
      published.allocation2022.lines.map((l) => [l.code, l.amountSek * 100])
    )
    expect(row(byPriority, "P3")?.value).toBe(0.8)
    const split = find(comparison.reports[1].values, "allocation-by-instrument")
    expect(split.breakdown.map((r) => r.value)).toEqual([
      published.allocation2022.split.projects,
      published.allocation2022.split.businessSupport,
      published.allocation2022.split.commercialService
    ])
  })

  it("EU co-financing 2022: 46 of 125 decisions, 42.5 decision-equivalents", () => {
    const eu = find(comparison.reports[1].values, "eu-co-financing")
    expect([eu.numerator, eu.denominator, eu.value]).toEqual([46, 125, 36.8])
    expect(row(eu, "equivalents")?.value).toBe(42.5)
    expect(row(eu, "source:react-eu")?.value).toBe(39)
    expect(row(eu, "source:covid-framework")?.value).toBe(7)
  })

  it("business support volume, investment leverage and expected jobs", () => {
    const l2017 = find(comparison.reports[0].values, "investment-leverage")
    const l2022 = find(comparison.reports[1].values, "investment-leverage")
    expect(row(l2017, "granted")?.value).toBe(published.businessSupport2017.grantedSek * 100)
    expect(l2017.value).toBe(3.29)
    expect(l2022.value).toBe(3.12)
    expect(find(comparison.reports[0].values, "expected-jobs").value).toBe(published.businessSupport2017.expectedJobs)
    expect(find(comparison.reports[1].values, "expected-jobs").value).toBe(published.businessSupport2022.expectedJobs)
  })

  it("compares the years across the change of national strategy through the defined mappings", () => {
    expect(comparison.years).toEqual([2017, 2022])
    // Every indicator present in both years produced a headline row.
    const headlines = comparison.rows.filter((r) => r.key === null).map((r) => r.indicator)
    expect(headlines).toEqual(expect.arrayContaining(["approval-rate", "granted-by-instrument", "leadership-shares"]))
    // Whatever could not be carried across schemes is said, not hidden.
    for (const n of comparison.notComparable) expect(n.reason.length).toBeGreaterThan(0)
    for (const m of comparison.mappings) {
      expect(m.fromScheme).not.toBe(m.toScheme)
    }
  })

  it("computes several reports in one pass equal to one report each, on both clocks", async () => {
    const { many, single } = await Effect.gen(function* () {
      yield* seed
      const store = yield* EventStore.EventStore
      const events = yield* Stream.runCollect(store.readAll())
      // As known when half the history had been recorded: a real, earlier view of 2022.
      const knownAt = (events[Math.floor(events.length / 2)] as (typeof events)[number]).recordedAt
      const requests = [{ year: 2022, tenant, knownAt }, { year: 2022, tenant }, { year: 2017 }]
      const many = yield* YearReport.forRequests(requests)
      const single = yield* Effect.forEach(requests, ({ year, ...options }) => YearReport.forYear(year, options))
      return { many, single }
    }).pipe(Effect.provide(EventStore.layerMemory()), Effect.runPromise)
    expect(many.map((r) => [r.year, r.knownAt, r.tenant, r.position, r.values])).toEqual(
      single.map((r) => [r.year, r.knownAt, r.tenant, r.position, r.values])
    )
    expect(many[0]?.values).not.toEqual(many[1]?.values)
  })
})
