import { fc, test } from "@fast-check/vitest"
import { Compare, type Indicator, SchemeMapping } from "@utblick/indicators"
import type { RegistryModel } from "@utblick/projections"
import { describe, expect, it } from "vitest"

const registry = (mappings: ReadonlyArray<RegistryModel.MappingInfo>): RegistryModel.RegistryState => ({
  actors: {},
  organisations: {},
  schemes: {
    "nationell-2021": {
      schemeId: "nationell-2021",
      name: "Nationell strategi 2021–2030",
      ownerActorId: "regeringen",
      validFrom: 2021,
      validTo: 2030,
      categories: [
        { code: "innovation", label: "Innovation och förnyelse" },
        { code: "likvardiga", label: "Likvärdiga möjligheter" },
        { code: "tillganglighet", label: "Tillgänglighet" },
        { code: "kompetens", label: "Kompetensförsörjning och kompetensutveckling" }
      ]
    }
  },
  mappings: Object.fromEntries(mappings.map((m) => [m.mappingId, m]))
})

const national: RegistryModel.MappingInfo = {
  mappingId: "nationell-2015-till-2021",
  fromSchemeId: "nationell-2015",
  toSchemeId: "nationell-2021",
  pairs: [
    { from: "innovation-foretagande", to: "innovation" },
    { from: "attraktiva-miljoer", to: "likvardiga" },
    { from: "attraktiva-miljoer", to: "tillganglighet" },
    { from: "kompetensforsorjning", to: "kompetens" }
  ]
}

const byCategory = (
  year: number,
  scheme: string,
  amounts: Record<string, number>
): Indicator.IndicatorValue => ({
  id: "granted-by-category",
  title: "Granted project support by classification",
  titleSv: "Beviljat projektstöd per klassificering",
  unit: "ore",
  year,
  scheme,
  rowUnit: "percent",
  value: Object.values(amounts).reduce((a, b) => a + b, 0),
  breakdown: Object.entries(amounts).map(([key, amount]) => ({ key, label: key, value: 0, amount }))
})

describe("scheme mapping", () => {
  test.prop([
    fc.dictionary(
      fc.constantFrom(
        "innovation-foretagande",
        "attraktiva-miljoer",
        "kompetensforsorjning",
        "internationellt"
      ),
      fc.nat()
    )
  ])("preserves totals", (amounts) => {
    const { grouped } = SchemeMapping.mapSource(SchemeMapping.prepare(national), amounts)
    const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0)
    expect(sum(grouped as Record<string, number>)).toBe(sum(amounts))
  })

  it("groups split priorities and reports what has no counterpart", () => {
    const prepared = SchemeMapping.prepare(national)
    expect(
      SchemeMapping.mapSource(prepared, {
        "attraktiva-miljoer": 10,
        internationellt: 5,
        "innovation-foretagande": 1
      })
    ).toEqual({
      grouped: { "likvardiga+tillganglighet": 10, unmapped: 5, innovation: 1 },
      unmappedCodes: ["internationellt"]
    })
    expect(
      SchemeMapping.groupTarget(prepared, { likvardiga: 3, tillganglighet: 4, jamstalldhet: 2 })
    ).toEqual({
      grouped: { "likvardiga+tillganglighet": 7, jamstalldhet: 2 },
      noCounterpart: ["jamstalldhet"]
    })
    // "Not classified in the scheme" is the same statement in both years: it passes through.
    expect(SchemeMapping.mapSource(prepared, { unclassified: 4 })).toEqual({
      grouped: { unclassified: 4 },
      unmappedCodes: []
    })
    expect(SchemeMapping.groupTarget(prepared, { unclassified: 4 })).toEqual({
      grouped: { unclassified: 4 },
      noCounterpart: []
    })
  })
})

describe("compareYears", () => {
  test.prop([
    fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 10 ** 9 }), {
      minKeys: 1
    })
  ])("comparing a year with itself shows zero change everywhere", (amounts) => {
    const v = byCategory(2022, "nationell-2021", amounts)
    const table = Compare.compareYears([[v], [{ ...v }]], [2022, 2022], registry([]))
    for (const row of table.rows) {
      expect(row.absoluteChange === null || row.absoluteChange === 0).toBe(true)
      expect(row.relativeChange === null || row.relativeChange === 0).toBe(true)
    }
    expect(table.notComparable).toEqual([])
  })

  it("compares across a change of national strategy through the defined mapping", () => {
    const y2017 = byCategory(2017, "nationell-2015", {
      "innovation-foretagande": 60_000_000_00,
      "attraktiva-miljoer": 30_000_000_00,
      internationellt: 10_000_000_00
    })
    const y2022 = byCategory(2022, "nationell-2021", {
      innovation: 120_100_000_00,
      likvardiga: 20_000_000_00,
      tillganglighet: 12_300_000_00,
      kompetens: 5_300_000_00
    })
    const table = Compare.compareYears([[y2017], [y2022]], [2017, 2022], registry([national]))
    expect(table.mappings).toEqual([
      {
        indicator: "granted-by-category",
        mappingId: "nationell-2015-till-2021",
        fromScheme: "nationell-2015",
        toScheme: "nationell-2021",
        unmapped: ["internationellt"],
        noCounterpart: []
      }
    ])
    const row = (key: string | null) => table.rows.find((r) => r.key === key)
    expect(row(null)).toMatchObject({
      a: 100_000_000_00,
      b: 157_700_000_00,
      absoluteChange: 57_700_000_00,
      relativeChange: 57.7
    })
    // 2022: exact 76.16 / 20.48 / 3.36; floors 76.1 / 20.4 / 3.3 leave two tenths, which go to the
    // largest remainders (20.48 and 3.36), so innovation stays at 76.1.
    expect(row("innovation")).toMatchObject({ a: 60, b: 76.1, unit: "percent" })
    expect(row("likvardiga+tillganglighet")).toMatchObject({
      a: 30,
      b: 20.5,
      label: "Likvärdiga möjligheter + Tillgänglighet"
    })
    expect(row("unmapped")).toMatchObject({ a: 10, b: null, label: "No counterpart in nationell-2021" })
    // Nothing of 2017 maps into kompetens: 0 %, not "no data" (the indicator has a value in 2017).
    expect(row("kompetens")).toMatchObject({ a: 0, b: 3.4 })
  })

  it("says when two schemes have no mapping instead of comparing them", () => {
    const table = Compare.compareYears(
      [[byCategory(2017, "s3-2017", { a: 1 })], [byCategory(2022, "nationell-2021", { innovation: 1 })]],
      [2017, 2022],
      registry([])
    )
    expect(table.rows).toEqual([])
    expect(table.notComparable.map((n) => [n.year, n.reason])).toEqual([
      [2017, "no mapping from s3-2017 to nationell-2021"],
      [2022, "no mapping into nationell-2021"]
    ])
  })
})

// Hand-built values of two years (figures invented for the test; every expected change is worked
// out in the comments).
const value = (
  id: string,
  year: number,
  headline: number | null,
  breakdown: ReadonlyArray<Indicator.Row>,
  extra: Partial<Indicator.IndicatorValue> = {}
): Indicator.IndicatorValue => ({
  id,
  title: `Title of ${id}`,
  titleSv: `Titel för ${id}`,
  unit: "percent",
  year,
  value: headline,
  breakdown,
  ...extra
})
const count = (key: string, n: number): Indicator.Row => ({ key, label: key, value: n, unit: "count" })

describe("compareYears: pairing by indicator and scheme", () => {
  it("pairs each indicator with its own, labels the headline by title and scheme", () => {
    const approval = (year: number, rate: number, granted: number) =>
      value("approval", year, rate, [count("granted", granted)])
    const prio = (year: number, total: number) =>
      value("prio", year, total, [count("a", total)], { unit: "count", scheme: "rus" })
    const table = Compare.compareYears(
      [
        [approval(2021, 75, 3), prio(2021, 4)],
        [approval(2022, 50, 1), prio(2022, 6)]
      ],
      [2021, 2022],
      registry([])
    )
    expect(table.notComparable).toEqual([])
    expect(
      table.rows.map((r) => [r.indicator, r.key, r.label, r.a, r.b, r.absoluteChange, r.relativeChange])
    ).toEqual([
      // 75 → 50: −25 p.e.; −25 ÷ 75 = −33,33 % → −33,3.
      ["approval", null, "Title of approval", 75, 50, -25, -33.3],
      // 3 → 1: −2; −2 ÷ 3 = −66,67 % → −66,7.
      ["approval", "granted", "granted", 3, 1, -2, -66.7],
      // 4 → 6: +2; 2 ÷ 4 = +50 %.
      ["prio", null, "Title of prio (rus)", 4, 6, 2, 50],
      ["prio", "a", "a", 4, 6, 2, 50]
    ])
  })

  it("an indicator of one year only: shown beside no data, and listed with the reason", () => {
    const onlyA = value("eu", 2021, 66.7, [count("decisions", 2)], { scheme: "fonder" })
    const onlyB = value("jobs", 2022, 5, [count("women", 2)], { unit: "jobs" })
    const table = Compare.compareYears([[onlyA], [onlyB]], [2021, 2022], registry([]))
    expect(table.rows.map((r) => [r.indicator, r.key, r.label, r.a, r.b, r.absoluteChange])).toEqual([
      // The scheme of the one year that has the value names the headline.
      ["eu", null, "Title of eu (fonder)", 66.7, null, null],
      // The indicator has no value in 2022 at all: its rows are no data there, not 0.
      ["eu", "decisions", "decisions", 2, null, null],
      ["jobs", null, "Title of jobs", null, 5, null],
      ["jobs", "women", "women", null, 2, null]
    ])
    expect(table.notComparable).toEqual([
      { indicator: "eu", scheme: "fonder", year: 2021, reason: "no value in 2022" },
      { indicator: "jobs", scheme: null, year: 2022, reason: "no value in 2021" }
    ])
  })

  it("a row missing in a year the indicator has a value: 0 for counts, no data for ratios and per inhabitant", () => {
    const a = value(
      "eu",
      2021,
      66.7,
      [
        count("decisions", 2),
        { key: "leverage", label: "Leverage", value: 2.86, unit: "ratio" },
        { key: "per-inhabitant", label: "Per inhabitant", value: 120, unit: "ore" }
      ],
      { rowUnit: "count" }
    )
    const b = value("eu", 2022, 40, [count("source:react-eu", 1)], { rowUnit: "count" })
    const table = Compare.compareYears([[a], [b]], [2021, 2022], registry([]))
    expect(table.rows.map((r) => [r.key, r.unit, r.a, r.b])).toEqual([
      [null, "percent", 66.7, 40],
      // Nothing counted in 2022: 0 decisions, a change of −2.
      ["decisions", "count", 2, 0],
      // The row's own unit (ratio) holds although the indicator's rows are counts: no data.
      ["leverage", "ratio", 2.86, null],
      // No population recorded is no data, never 0 kr per inhabitant.
      ["per-inhabitant", "ore", 120, null],
      // Present in 2022 only: 0 sources in 2021.
      ["source:react-eu", "count", 0, 1]
    ])
    expect(table.rows[1]?.absoluteChange).toBe(-2)
  })
})

describe("compareYears: across a scheme mapping", () => {
  const decoys: ReadonlyArray<RegistryModel.MappingInfo> = [
    // From the right scheme into another, and from another into the right one: neither applies.
    { mappingId: "x-till-z", fromSchemeId: "nationell-2015", toSchemeId: "annan", pairs: [] },
    { mappingId: "w-till-y", fromSchemeId: "annan", toSchemeId: "nationell-2021", pairs: [] }
  ]
  const counts = (year: number, scheme: string, rows: Record<string, number>) =>
    value(
      "goals",
      year,
      null,
      Object.entries(rows).map(([k, n]) => count(k, n)),
      { rowUnit: "count", scheme }
    )

  it("picks the mapping from the earlier scheme to the later, and carries counts as counts", () => {
    const table = Compare.compareYears(
      [
        [counts(2017, "nationell-2015", { "attraktiva-miljoer": 3, "innovation-foretagande": 2 })],
        [counts(2022, "nationell-2021", { likvardiga: 1, tillganglighet: 4, innovation: 5 })]
      ],
      [2017, 2022],
      registry([...decoys, national])
    )
    expect(table.mappings.map((m) => m.mappingId)).toEqual(["nationell-2015-till-2021"])
    // The later value was used by the mapping: nothing left over to list.
    expect(table.notComparable).toEqual([])
    expect(table.rows.map((r) => [r.key, r.label, r.a, r.b])).toEqual([
      // The headline is named by the later year's scheme.
      [null, "Title of goals (nationell-2021)", null, null],
      // Counts are summed into the groups, not apportioned: 3 → 1 + 4 = 5; 2 → 5.
      ["likvardiga+tillganglighet", "Likvärdiga möjligheter + Tillgänglighet", 3, 5],
      ["innovation", "Innovation och förnyelse", 2, 5]
    ])
  })

  it("re-apportions shares only when every row of the earlier year carries its amount", () => {
    const shares = (year: number, scheme: string, rows: ReadonlyArray<Indicator.Row>) =>
      value("cat", year, 100, rows, { unit: "ore", rowUnit: "percent", scheme })
    const table = Compare.compareYears(
      [
        [
          shares(2017, "nationell-2015", [
            // A row without an amount (a count among shares): carried by its value, not apportioned.
            { key: "attraktiva-miljoer", label: "", value: 25, amount: 1 },
            { key: "innovation-foretagande", label: "", value: 75 }
          ])
        ],
        [shares(2022, "nationell-2021", [{ key: "innovation", label: "", value: 100, amount: 8 }])]
      ],
      [2017, 2022],
      registry([national])
    )
    // Not every 2017 row has an amount, so no row is apportioned: attraktiva-miljoer carries its
    // amount 1, innovation-foretagande its value 75 (apportioned, 1 of 76 would be 1,3 %).
    expect(table.rows.map((r) => [r.key, r.a, r.b])).toEqual([
      [null, 100, 100],
      // Nothing of 2022 in the group while the indicator has a value: 0 (%), not no data.
      ["likvardiga+tillganglighet", 1, 0],
      ["innovation", 75, 8]
    ])
  })

  it("a later value with no mapping into its scheme is listed as such", () => {
    const table = Compare.compareYears(
      [
        [counts(2017, "nationell-2015", { "innovation-foretagande": 1 })],
        [counts(2022, "annan", { x: 1 }), counts(2022, "tredje", { y: 1 })]
      ],
      [2017, 2022],
      registry([...decoys])
    )
    // x-till-z maps nationell-2015 → annan: used. Nothing maps into "tredje".
    expect(table.mappings.map((m) => m.mappingId)).toEqual(["x-till-z"])
    expect(table.notComparable).toEqual([
      { indicator: "goals", scheme: "tredje", year: 2022, reason: "no mapping into tredje" }
    ])
  })

  it("an earlier value with no mapping into either later scheme names both", () => {
    const table = Compare.compareYears(
      [
        [counts(2017, "gammal", { a: 1 })],
        [counts(2022, "annan", { x: 1 }), counts(2022, "tredje", { y: 1 })]
      ],
      [2017, 2022],
      registry([...decoys])
    )
    expect(table.notComparable.map((n) => [n.year, n.reason])).toEqual([
      [2017, "no mapping from gammal to annan, tredje"],
      [2022, "no mapping into annan"],
      [2022, "no mapping into tredje"]
    ])
  })
})
