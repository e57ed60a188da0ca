// Every indicator against figures worked out BY HAND from the synthetic events in
// fixtures/handComputed.ts (the working is in the comments). The data distinguishes each right
// formula from plausible wrong ones: an undecided application (approval rate ÷ decided, not
// ÷ received), a trip proposed but not evaluated, a cancelled and a completed trip (CO2e), a
// project whose main purpose is "other", a dormant and an ended agreement, a membership held by
// the municipal company and one that ended, a year without EU co-financing recorded, exact
// halves (leverage 201 000 / 200 000 = 1,005 → 1,01; CO2e 420,25 → 420,3), and two tenants.
import { EventStore, Events } from "@utblick/core"
import { type Indicator, YearReport } from "@utblick/indicators"
import { Effect } from "effect"
import { beforeAll, describe, expect, it } from "vitest"
import { A, B, events } from "./fixtures/handComputed.js"

type Report = YearReport.YearIndicators

let a2022: Report
let a2022own: Report
let a2021: Report
let a2020: Report
let b2022: Report
let all2022: Report

beforeAll(async () => {
  ;[a2022, a2022own, a2021, a2020, b2022, all2022] = await Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    for (const { streamId, ...e } of events) {
      // The current schema version of each type, as `utblick import` gives it.
      yield* store.append(streamId, [
        { ...e, schemaVersion: Events.eventCatalog.definitions.get(e.type)?.version ?? 1 }
      ])
    }
    const reports = yield* YearReport.forRequests([
      { year: 2022, tenant: A },
      { year: 2022, tenant: A, actorId: A },
      { year: 2021, tenant: A },
      { year: 2020, tenant: A },
      { year: 2022, tenant: B },
      { year: 2022 }
    ])
    return reports as readonly [Report, Report, Report, Report, Report, Report]
  }).pipe(Effect.provide(EventStore.layerMemory({ catalog: Events.eventCatalog })), Effect.runPromise)
})

const get = (r: Report, id: string, scheme?: string): Indicator.IndicatorValue => {
  const v = r.values.find((x) => x.id === id && (scheme === undefined || x.scheme === scheme))
  if (v === undefined) throw new Error(`${id} missing in ${r.year}`)
  return v
}
const row = (v: Indicator.IndicatorValue, key: string) => {
  const r = v.breakdown.find((b) => b.key === key)
  if (r === undefined) throw new Error(`${v.id}: row ${key} missing`)
  return r
}

describe("approval-rate (÷ decided, not ÷ received)", () => {
  it("tenant A 2022: 3 granted, 1 rejected, 1 undecided → 3 / 4 = 75,0 %", () => {
    // Received in 2022: b1 b2 b3 b4 b5 = 5. Granted: b1 b2 b3 = 3. Rejected: b4 = 1. b5 undecided.
    // Right: 3 / (3 + 1) = 75.0 %. Wrong denominator (received): 3 / 5 = 60.0 %.
    const v = get(a2022, "approval-rate")
    expect(v.value).toBe(75)
    expect([v.numerator, v.denominator]).toEqual([3, 4])
    expect(v.breakdown.map((r) => [r.key, r.value, r.unit])).toEqual([
      ["applications", 5, "count"],
      ["granted", 3, "count"],
      ["rejected", 1, "count"]
    ])
  })

  it("keeps tenants apart and adds them up when no tenant is given", () => {
    // B: 1 granted, 1 rejected → 50.0 %. Both: (3 + 1) / (4 + 2) = 4 / 6 = 66.67 → 66.7 %.
    expect(get(b2022, "approval-rate").value).toBe(50)
    expect(get(all2022, "approval-rate").value).toBe(66.7)
  })

  it("is absent (no data), not 0 %, for a year without business support", () => {
    expect(a2020.values.find((v) => v.id === "approval-rate")).toBeUndefined()
  })
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

describe("leadership-shares", () => {
  it("one firm each → 33 / 34 / 33 % (the leftover point to the first key in code order: man)", () => {
    const v = get(a2022, "leadership-shares")
    expect(v.value).toBe(3)
    expect(v.breakdown.map((r) => [r.key, r.value, r.amount])).toEqual([
      ["woman", 33, 1],
      ["man", 34, 1],
      ["shared", 33, 1]
    ])
  })
})

describe("expected-jobs", () => {
  it("2 women + 3 men = 5 jobs, 40,0 % women, 5 ÷ 0,2 mkr = 25,00 per mkr", () => {
    // b1 1+1, b2 0+2, b3 1+0. Granted 200 000 kr = 0.2 mkr.
    const v = get(a2022, "expected-jobs")
    expect(v.value).toBe(5)
    expect(row(v, "women").value).toBe(2)
    expect(row(v, "men").value).toBe(3)
    expect([row(v, "women-share").value, row(v, "women-share").unit]).toEqual([40, "percent"])
    expect([row(v, "per-mkr").value, row(v, "per-mkr").unit]).toEqual([25, "ratio"])
  })
})

describe("investment-leverage (exact half rounds up)", () => {
  it("201 000 ÷ 200 000 = 1,005 → 1,01; average grant 66 666,67 kr → 6 666 667 öre", () => {
    // Investment 150 000 + 30 000 + 21 000 = 201 000 kr; granted 200 000 kr.
    // A float computation (1.005 × 100 = 100.49999…) or banker's rounding would give 1.00.
    const v = get(a2022, "investment-leverage")
    expect(v.value).toBe(1.01)
    expect([v.numerator, v.denominator]).toEqual([20_100_000, 20_000_000])
    expect(row(v, "granted")).toMatchObject({ label: "Granted", value: 20_000_000, unit: "ore" })
    expect(row(v, "investment")).toMatchObject({ label: "Investment", value: 20_100_000, unit: "ore" })
    // 20 000 000 öre / 3 = 6 666 666.67 öre → 6 666 667 öre.
    expect(row(v, "average-grant").value).toBe(6_666_667)
  })
})

describe("eu-co-financing", () => {
  it("2 of 3 decisions (66,7 %), 1,5 decision-equivalents, 65,0 % of the money, 2,86 per own krona", () => {
    // b1 react-eu 100 %, b2 covid-framework 50 %, b3 none. Equivalents (100 + 50) / 100 = 1.5.
    // EU money 100 000 × 1 + 60 000 × 0.5 = 130 000 of 200 000 kr = 65.0 %.
    // Own money 70 000 → 200 000 / 70 000 = 2.857 → 2.86.
    const v = get(a2022, "eu-co-financing")
    expect(v.value).toBe(66.7)
    expect([v.numerator, v.denominator]).toEqual([2, 3])
    expect(v.breakdown.map((r) => [r.key, r.value, r.unit])).toEqual([
      ["decisions", 2, "count"],
      ["equivalents", 1.5, "count"],
      ["eu-share-of-money", 65, "percent"],
      ["leverage", 2.86, "ratio"],
      ["source:covid-framework", 1, "count"],
      ["source:react-eu", 1, "count"]
    ])
  })

  it("is no data — not 0 % — in a year whose grants record no EU co-financing (2021)", () => {
    expect(get(a2021, "investment-leverage").value).toBe(3)
    expect(a2021.values.find((v) => v.id === "eu-co-financing")).toBeUndefined()
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

describe("every row carries its unit", () => {
  it("no row of any indicator lacks one", () => {
    const rows = all2022.values.flatMap((v) => v.breakdown.map((r) => [v.id, r.key, r.unit] as const))
    expect(rows.length).toBeGreaterThan(20)
    expect(rows.filter(([, , unit]) => unit === undefined)).toEqual([])
  })
})
