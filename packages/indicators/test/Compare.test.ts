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
