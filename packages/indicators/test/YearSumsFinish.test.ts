// Edge cases of the year sums (ADR 0046), the finish: each indicator's value from literal sums,
// worked out by hand (zero denominators, shares of several tenants, first-seen order). The
// records and entities are `YearSumsEdges.test.ts`'.
import { Indicator, YearSums } from "@utblick/indicators"
import { describe, expect, it } from "vitest"
import {
  BS,
  budget,
  emptyWhole,
  finishOne,
  frameOf,
  one,
  PS,
  rows,
  S,
  sumsOf,
  T1,
  T2,
  withBudgets
} from "./fixtures/yearSumsRecords.js"

describe("YearSums edges: finishing applications", () => {
  it("approval rate: decisions without an application received, applications without a decision", () => {
    const decided = one(
      finishOne(
        sumsOf([
          ["grant", BS, 3],
          ["rej", BS, 1]
        ]),
        "approval-rate",
        { year: 2022 }
      ),
      "approval-rate"
    )
    // 3 granted of 3 + 1 decided = 75 %.
    expect([decided.value, decided.numerator, decided.denominator]).toStrictEqual([75, 3, 4])
    expect(rows(decided)).toStrictEqual([
      ["applications", 0],
      ["granted", 3],
      ["rejected", 1]
    ])
    // Received only: nothing decided, no rate (0 / 0).
    const received = one(
      finishOne(sumsOf([["app", BS, 2]]), "approval-rate", { year: 2022 }),
      "approval-rate"
    )
    expect([received.value, ...rows(received).map(([, n]) => n)]).toStrictEqual([null, 2, 0, 0])
    // Nothing at all, or only another instrument: no value.
    expect(finishOne(sumsOf([["app", PS, 2]]), "approval-rate", { year: 2022 })).toStrictEqual([])
  })

  it("granted by instrument: an appropriation alone shows the year; another tenant's budget does not", () => {
    const whole = withBudgets([budget(T2, "r", 2022, 5_000)])
    // T2's appropriation, no decision anywhere: a value of 0 kr, every share 0.
    const v = one(
      finishOne(YearSums.empty(), "granted-by-instrument", { year: 2022, tenant: T2 }, whole),
      "granted-by-instrument"
    )
    expect([v.value, ...rows(v)]).toStrictEqual([0, [PS, 0], [BS, 0], ["commercial-service", 0]])
    // T1, or another year: no budget, no decision, no value.
    expect(
      finishOne(YearSums.empty(), "granted-by-instrument", { year: 2022, tenant: T1 }, whole)
    ).toStrictEqual([])
    expect(
      finishOne(YearSums.empty(), "granted-by-instrument", { year: 2023, tenant: T2 }, whole)
    ).toStrictEqual([])
    // Every tenant: T2's budget counts.
    expect(finishOne(YearSums.empty(), "granted-by-instrument", { year: 2022 }, whole)).toHaveLength(1)
    // A rejection alone is a decision: 300 öre granted of business support elsewhere is 100 %.
    const r = one(
      finishOne(
        sumsOf([
          ["rej", "commercial-service", 1],
          ["amount", BS, 300]
        ]),
        "granted-by-instrument",
        { year: 2022 }
      ),
      "granted-by-instrument"
    )
    expect([r.value, ...rows(r)]).toStrictEqual([300, [PS, 0], [BS, 100], ["commercial-service", 0]])
  })

  it("the frame: the last framed budget of the year, its priorities summed per scheme and code", () => {
    const whole = withBudgets([
      budget(
        T1,
        "r1",
        2022,
        0,
        frameOf(500, 300, 200, [
          ["s1", "A", 30],
          ["s2", "X", 10],
          ["s1", "A", 20],
          ["s1", "B", 50]
        ])
      ),
      budget(T1, "r2", 2022, 0, null),
      budget(T1, "r3", 2021, 0, frameOf(1, 1, 1))
    ])
    const context = { year: 2022, tenant: T1 }
    // r2 has no frame: r1's stays. 500 + 300 + 200 = 1 000 öre: 50 / 30 / 20 %.
    const byInstrument = one(
      finishOne(YearSums.empty(), "allocation-by-instrument", context, whole),
      "allocation-by-instrument"
    )
    expect([byInstrument.value, ...rows(byInstrument).map(([, n]) => n)]).toStrictEqual([1000, 50, 30, 20])
    // s1: A 30 + 20 = 50, B 50 → 100 öre, 50,0 / 50,0 %; s2: X 10 → 100,0 %. Schemes as first met.
    const byPriority = finishOne(YearSums.empty(), "allocation-by-priority", context, whole)
    expect(byPriority.map((v) => [v.scheme, v.value, rows(v)])).toStrictEqual([
      [
        "s1",
        100,
        [
          ["A", 50],
          ["B", 50]
        ]
      ],
      ["s2", 10, [["X", 100]]]
    ])
    // No frame in the year: neither frame indicator.
    const unframed = withBudgets([budget(T1, "r2", 2022, 0, null)])
    expect(finishOne(YearSums.empty(), "allocation-by-instrument", context, unframed)).toStrictEqual([])
    expect(finishOne(YearSums.empty(), "allocation-by-priority", context, unframed)).toStrictEqual([])
  })

  it("granted by category: schemes in text order, codes by their least first position, the rest unclassified", () => {
    const p = (n: number) => String(n).padStart(16, "0")
    // Added C, B, A (s2 before s1). First positions: A least 1 (of 9, 1), B 2 (of 2, 7), C 4: A, B, C.
    const sums = sumsOf([
      ["amount", PS, 1000],
      ["cat", `s2${S}Q`, 1],
      ["cat-amount", `s2${S}Q`, 500],
      [`cat-first${S}s2${S}Q`, p(3), 1],
      ["cat", `s1${S}C`, 1],
      ["cat-amount", `s1${S}C`, 300],
      [`cat-first${S}s1${S}C`, p(4), 1],
      ["cat", `s1${S}B`, 2],
      ["cat-amount", `s1${S}B`, 200],
      [`cat-first${S}s1${S}B`, p(2), 1],
      [`cat-first${S}s1${S}B`, p(7), 1],
      ["cat", `s1${S}A`, 2],
      ["cat-amount", `s1${S}A`, 100],
      [`cat-first${S}s1${S}A`, p(9), 1],
      [`cat-first${S}s1${S}A`, p(1), 1]
    ])
    const values = finishOne(sums, "granted-by-category", { year: 2022 })
    // s1: A 100, B 200, C 300 of 1 000 → 10 / 20 / 30 %, unclassified 400 → 40 %.
    // s2: Q 500 → 50 %, unclassified 500 → 50 %.
    expect(values.map((v) => [v.scheme, v.value, rows(v)])).toStrictEqual([
      [
        "s1",
        1000,
        [
          ["A", 10],
          ["B", 20],
          ["C", 30],
          ["unclassified", 40]
        ]
      ],
      [
        "s2",
        1000,
        [
          ["Q", 50],
          ["unclassified", 50]
        ]
      ]
    ])
    expect(values[0]?.breakdown[3]?.label).toBe("Not classified in this scheme")
    // Every öre classified: no unclassified row (1 000 − 1 000 = 0).
    const whole = sumsOf([
      ["amount", PS, 1000],
      ["cat", `s1${S}A`, 1],
      ["cat-amount", `s1${S}A`, 1000],
      [`cat-first${S}s1${S}A`, p(0), 1]
    ])
    expect(finishOne(whole, "granted-by-category", { year: 2022 }).map(rows)).toStrictEqual([[["A", 100]]])
  })

  it("business support: leadership, jobs, leverage and EU co-financing from their sums", () => {
    // 4 grants of 400 000 000 öre (4 mkr) in all; jobs 3 + 5; investment 1 000 000 000 öre;
    // 2 co-financed at 100 + 50 %, 100 000 000 öre EU money; sources added react-eu, erdf.
    const sums = sumsOf([
      ["grant", BS, 4],
      ["amount", BS, 400_000_000],
      ["lead", "woman", 1],
      ["lead", "man", 2],
      ["lead", "shared", 1],
      ["jobs-women", "", 3],
      ["jobs-men", "", 5],
      ["investment", "", 1_000_000_000],
      ["eu", "", 2],
      ["eu-rate", "", 150],
      ["eu-ore", "", 100_000_000],
      ["eu-source", "react-eu", 1],
      ["eu-source", "erdf", 1]
    ])
    const context = { year: 2022 }
    // Leadership 1 / 2 / 1 of 4 grants: 25 / 50 / 25 %.
    const lead = one(finishOne(sums, "leadership-shares", context), "leadership-shares")
    expect([lead.value, ...rows(lead)]).toStrictEqual([4, ["woman", 25], ["man", 50], ["shared", 25]])
    // Jobs 8; women 3 / 8 = 37,5 %; per mkr 8 × 10⁸ / 4 × 10⁸ = 2.
    const jobs = one(finishOne(sums, "expected-jobs", context), "expected-jobs")
    expect([jobs.value, ...rows(jobs)]).toStrictEqual([
      8,
      ["women", 3],
      ["men", 5],
      ["women-share", 37.5],
      ["per-mkr", 2]
    ])
    // Leverage 10 / 4 = 2,5; average grant 400 000 000 / 4 = 100 000 000 öre.
    const leverage = one(finishOne(sums, "investment-leverage", context), "investment-leverage")
    expect([leverage.value, leverage.numerator, leverage.denominator, ...rows(leverage)]).toStrictEqual([
      2.5,
      1_000_000_000,
      400_000_000,
      ["granted", 400_000_000],
      ["investment", 1_000_000_000],
      ["average-grant", 100_000_000]
    ])
    // EU: 2 of 4 = 50 %; Σ rate 150 / 100 = 1,5; money 1 / 4 = 25 %; 4 / (4 − 1) = 1,333… → 1,33;
    // sources in text order.
    const eu = one(finishOne(sums, "eu-co-financing", context), "eu-co-financing")
    expect([eu.value, eu.numerator, eu.denominator, ...rows(eu)]).toStrictEqual([
      50,
      2,
      4,
      ["decisions", 2],
      ["equivalents", 1.5],
      ["eu-share-of-money", 25],
      ["leverage", 1.33],
      ["source:erdf", 1],
      ["source:react-eu", 1]
    ])
    expect(eu.breakdown[4]?.label).toBe("Decisions via erdf")
    // Without business grants none of the four; without a co-financed grant no EU value.
    const none = sumsOf([["grant", PS, 1]])
    for (const id of ["leadership-shares", "expected-jobs", "investment-leverage", "eu-co-financing"])
      expect(finishOne(none, id, context)).toStrictEqual([])
    expect(finishOne(sumsOf([["grant", BS, 1]]), "eu-co-financing", context)).toStrictEqual([])
  })

  it("projects by main purpose: the sum of the three counts, none without project grants", () => {
    const v = one(
      finishOne(
        sumsOf([
          ["grant", PS, 3],
          ["purpose", "diversity", 1],
          ["purpose", "environment", 2]
        ]),
        "projects-by-main-purpose",
        { year: 2022 }
      ),
      "projects-by-main-purpose"
    )
    // 0 + 1 + 2 = 3.
    expect([v.value, ...rows(v)]).toStrictEqual([
      3,
      ["gender-equality", 0],
      ["diversity", 1],
      ["environment", 2]
    ])
    expect(
      finishOne(sumsOf([["purpose", "diversity", 1]]), "projects-by-main-purpose", { year: 2022 })
    ).toStrictEqual([])
  })
})

describe("YearSums edges: finishing memberships, agreements and trips", () => {
  const memberSums = () =>
    sumsOf([
      ["member", `act1${S}org-a`, 1],
      ["member", `act1${S}org-x`, 1],
      ["member", `act2${S}org-b`, 1],
      ["relation", `act1${S}signatory`, 1],
      ["relation", `act2${S}partner`, 1],
      ["undated", `act1${S}2021-05-01`, 1],
      ["undated", `act1${S}2020-01-15`, 1],
      ["undated", `act2${S}2019-01-01`, 1]
    ])
  const orgs = (): YearSums.Whole => ({
    ...emptyWhole(),
    organisations: new Map([
      ["org-a", { name: "A", focusArea: "eu" }],
      ["org-b", { name: "B", focusArea: "regional-arctic" }]
    ])
  })

  it("active memberships of one actor: focus areas joined whole, an unregistered organisation 'unknown'", () => {
    const v = one(
      finishOne(memberSums(), "active-memberships", { year: 2022, actorId: "act1" }, orgs()),
      "active-memberships"
    )
    // act1: org-a (eu) + org-x (not registered: unknown) = 2; undated 2, dates sorted; signatory.
    expect([v.value, ...rows(v)]).toStrictEqual([
      2,
      ["regional-arctic", 0],
      ["eu", 1],
      ["other", 0],
      ["unknown", 1],
      ["join-date-unknown", 2],
      ["relation:signatory", 1]
    ])
    expect(v.breakdown.map((r) => r.label)).toStrictEqual([
      "Regional / Arctic",
      "EU",
      "Other",
      "unknown",
      "Of which join date unknown (first documented 2020-01-15, 2021-05-01)",
      "Other relations: signatory"
    ])
  })

  it("active memberships of every actor; other relations alone still make a value", () => {
    const all = one(
      finishOne(memberSums(), "active-memberships", { year: 2022 }, orgs()),
      "active-memberships"
    )
    // 3 memberships: org-b regional-arctic, org-a eu, org-x unknown; undated 3; relations by kind.
    expect([all.value, ...rows(all)]).toStrictEqual([
      3,
      ["regional-arctic", 1],
      ["eu", 1],
      ["other", 0],
      ["unknown", 1],
      ["join-date-unknown", 3],
      ["relation:partner", 1],
      ["relation:signatory", 1]
    ])
    const only = one(
      finishOne(sumsOf([["relation", `act3${S}partner`, 2]]), "active-memberships", { year: 2022 }, orgs()),
      "active-memberships"
    )
    expect([only.value, ...rows(only)]).toStrictEqual([
      0,
      ["regional-arctic", 0],
      ["eu", 0],
      ["other", 0],
      ["join-date-unknown", 0],
      ["relation:partner", 2]
    ])
    expect(only.breakdown[3]?.label).toBe("Of which join date unknown")
    // An actor with nothing: no value.
    expect(
      finishOne(memberSums(), "active-memberships", { year: 2022, actorId: "act9" }, orgs())
    ).toStrictEqual([])
  })

  it("agreements by kind in text order, then status in the fixed order, statuses at 0 left out", () => {
    const v = one(
      finishOne(
        sumsOf([
          ["agreement", `network${S}ended`, 1],
          ["agreement", `cooperation${S}active`, 2],
          ["agreement", `cooperation${S}intended`, 1]
        ]),
        "agreements-by-status",
        { year: 2022 }
      ),
      "agreements-by-status"
    )
    // 1 + 2 + 1 = 4.
    expect([v.value, ...rows(v)]).toStrictEqual([
      4,
      ["cooperation:intended", 1],
      ["cooperation:active", 2],
      ["network:ended", 1]
    ])
    expect(v.breakdown[0]?.label).toBe("cooperation, intended")
    expect(finishOne(YearSums.empty(), "agreements-by-status", { year: 2022 })).toStrictEqual([])
  })

  it("trips: a share of evaluated trips, no CO2e per approved trip without an approved trip, modes in text order", () => {
    const sums = sumsOf([
      ["trip", "proposed", 3],
      ["trip", "evaluated", 2],
      ["trip", "replacedByDigital", 1],
      ["trip", "declined", 1],
      ["trip", "cancelled", 1],
      ["mode", "train", 1],
      ["mode", "car", 1],
      ["mode", "bus", 1],
      ["co2e", "1", 35],
      [`mode-co2e${S}train`, "1", 20],
      [`mode-co2e${S}car`, "1", 15]
    ])
    const context = { year: 2022 }
    const digital = one(finishOne(sums, "trips-replaced-by-digital", context), "trips-replaced-by-digital")
    // 1 replaced of 2 evaluated = 50 %.
    expect([digital.value, digital.numerator, digital.denominator, ...rows(digital)]).toStrictEqual([
      50,
      1,
      2,
      ["proposed", 3],
      ["approved", 0],
      ["replaced-by-digital", 1],
      ["declined", 1],
      ["completed", 0],
      ["cancelled", 1]
    ])
    // 3,5 kg; no approved trip: per trip null; bus 0, car 1,5, train 2,0.
    const co2e = one(finishOne(sums, "trip-co2e", context), "trip-co2e")
    expect([co2e.value, ...rows(co2e)]).toStrictEqual([
      3.5,
      ["per-trip", null],
      ["mode:bus", 0],
      ["mode:car", 1.5],
      ["mode:train", 2]
    ])
    expect(finishOne(sumsOf([["mode", "car", 1]]), "trip-co2e", context)).toStrictEqual([])
    expect(finishOne(sumsOf([["mode", "car", 1]]), "trips-replaced-by-digital", context)).toStrictEqual([])
  })

  it("CO2e chunks of several scales: 0,5 + 0,25 + 10⁹ kg is 1 000 000 000,75 kg → 1 000 000 000,8", () => {
    const sums = sumsOf([
      ["trip", "proposed", 2],
      ["trip", "approved", 2],
      ["co2e", "1", 5],
      ["co2e", "2", 25],
      ["co2e", "-9", 1]
    ])
    // In hundredths: 5 × 10 + 25 + 1 × 10¹¹ = 100 000 000 075; per approved trip
    // 1 000 000 000,75 / 2 = 500 000 000,375 → 500 000 000,4.
    const v = one(finishOne(sums, "trip-co2e", { year: 2022 }), "trip-co2e")
    expect([v.value, ...rows(v)]).toStrictEqual([1_000_000_000.8, ["per-trip", 500_000_000.4]])
  })
})

describe("YearSums edges: goal coverage in the order compute first meets the codes", () => {
  const p = (n: number) => String(n).padStart(16, "0")
  const registry = (): YearSums.Whole => ({
    ...emptyWhole(),
    registry: {
      actors: {},
      organisations: {},
      mappings: {},
      schemes: {
        g: {
          schemeId: "g",
          name: "Mål",
          ownerActorId: "act",
          validFrom: 2020,
          validTo: null,
          categories: [
            { code: "K1", label: "Mål ett" },
            { code: "K2", label: "Mål två" }
          ]
        }
      }
    }
  })
  // (code, count, positions) of scheme g, in the order compute first meets them: trips by
  // departure, id, then the code's place in the trip; agreements by Swedish title (A < Å < Ä),
  // order, place; projects by order, place. X1 is carried by a project too, later.
  const goals: ReadonlyArray<readonly [string, number, ReadonlyArray<ReadonlyArray<string>>]> = [
    ["T0c", 1, [["0000", "0", "2022-02-01", "tr-z"]]],
    ["T2c", 1, [["0001", "0", "2022-03-01", "tr-a"]]],
    ["T1c", 1, [["0000", "0", "2022-03-01", "tr-b"]]],
    [
      "X1",
      2,
      [
        ["0000", "2", p(1)],
        ["0000", "0", "2022-04-01", "tr-c"]
      ]
    ],
    ["T3b", 1, [["0000", "0", "2022-06-01", "tr-q"]]],
    ["T3a", 1, [["0001", "0", "2022-06-01", "tr-q"]]],
    ["S3", 1, [["0000", "1", p(3), "Avtal"]]],
    ["A4a", 1, [["0000", "1", p(4), "Avtal"]]],
    ["A4b", 1, [["0001", "1", p(4), "Avtal"]]],
    ["S5", 1, [["0000", "1", p(5), "Avtal"]]],
    ["AgÅ", 1, [["0000", "1", p(9), "Ålandsavtal"]]],
    ["AgÄ", 1, [["0000", "1", p(2), "Ärende"]]],
    ["P2", 1, [["0000", "2", p(6)]]],
    ["PA", 1, [["0001", "2", p(6)]]],
    ["P1", 1, [["0000", "2", p(8)]]]
  ]
  const expected = goals.map(([code, n]) => [code, n])
  // The sums added in a given order of the codes (a sort compares each pair one way round only).
  const sums = (ordered = goals) => {
    const triples: Array<readonly [string, string, number]> = [
      ["goal-items", "", 10],
      ["goal-covered", "g", 7],
      ["goal-covered", "h", 1],
      ["goal", `h${S}Y`, 1],
      [`goal-first${S}h${S}Y`, ["0000", "0", "2022-01-01", "tr-y"].join(S), 1],
      ["goal", `g${S}K2`, 1],
      [`goal-first${S}g${S}K2`, ["0000", "0", "2022-05-01", "tr-k"].join(S), 1]
    ]
    for (const [code, n, positions] of ordered) {
      triples.push(["goal", `g${S}${code}`, n])
      for (const position of positions) triples.push([`goal-first${S}g${S}${code}`, position.join(S), 1])
    }
    return sumsOf(triples)
  }

  it("categories first, then trips by departure and id, agreements by Swedish title and order, projects by order", () => {
    // Added in that order, in the reverse order, and odd places before even ones: the same rows.
    const orders = [
      goals,
      [...goals].reverse(),
      [...goals.filter((_, i) => i % 2 === 1), ...goals.filter((_, i) => i % 2 === 0)]
    ]
    for (const ordered of orders) {
      const v = one(
        finishOne(sums(ordered), "goal-coverage", { year: 2022, goalsSchemeId: "g" }, registry()),
        "goal-coverage"
      )
      // Scheme h's code Y is another scheme's. 7 of 10 items covered = 70 %.
      expect([v.scheme, v.value, v.numerator, v.denominator, ...rows(v)]).toStrictEqual([
        "g",
        70,
        7,
        10,
        ["K1", 0],
        ["K2", 1],
        ...expected
      ])
      expect(v.breakdown.slice(0, 3).map((r) => r.label)).toStrictEqual(["Mål ett", "Mål två", "T0c"])
    }
  })

  it("no scheme, or no item: no value; a scheme outside the registry lists only the codes met", () => {
    expect(finishOne(sums(), "goal-coverage", { year: 2022 }, registry())).toStrictEqual([])
    expect(
      finishOne(
        sumsOf([["goal-covered", "g", 1]]),
        "goal-coverage",
        { year: 2022, goalsSchemeId: "g" },
        registry()
      )
    ).toStrictEqual([])
    const h = one(
      finishOne(sums(), "goal-coverage", { year: 2022, goalsSchemeId: "h" }, registry()),
      "goal-coverage"
    )
    // h: 1 of 10 covered = 10 %; its one code Y.
    expect([h.value, ...rows(h)]).toStrictEqual([10, ["Y", 1]])
  })
})

describe("YearSums edges: finish", () => {
  it("finishes every definition by default, in their order; an indicator without a finish is an error", () => {
    const sums = sumsOf([
      ["trip", "proposed", 1],
      ["agreement", `network${S}active`, 1]
    ])
    // Only the agreements and the two trip indicators have anything to show.
    expect(YearSums.finish(sums, emptyWhole(), { year: 2022 }).map((v) => v.id)).toStrictEqual([
      "agreements-by-status",
      "trips-replaced-by-digital",
      "trip-co2e"
    ])
    const summed = YearSums.summed.get("agreements-by-status") as YearSums.Summed
    expect(summed.definition.id).toBe("agreements-by-status")
    expect(summed.finish(sums, emptyWhole(), { year: 2022 })).toStrictEqual(
      finishOne(sums, "agreements-by-status", { year: 2022 })
    )
    const unknown = { ...(Indicator.definitions[0] as Indicator.Definition), id: "no-such-indicator" }
    expect(() => YearSums.finish(sums, emptyWhole(), { year: 2022 }, [unknown])).toThrow(
      'indicator "no-such-indicator" has no finish from sums (YearSums.summed)'
    )
  })
})
