import { describe, expect, it } from "vitest"
import * as PerInhabitant from "../src/PerInhabitant.js"

describe("PerInhabitant", () => {
  it("money: whole öre per inhabitant, half away from zero on the exact quotient", () => {
    // 117 000 000 kr over 250 000 inhabitants = 468 kr = 46 800 öre.
    expect(PerInhabitant.row({ unit: "ore", value: 11_700_000_000 }, 250_000)).toEqual({
      key: "per-inhabitant",
      label: "Per inhabitant",
      value: 46_800,
      unit: "ore"
    })
    // 5 öre over 2 inhabitants = 2,5 öre → 3 (not 2: no banker's rounding).
    expect(PerInhabitant.row({ unit: "ore", value: 5 }, 2)?.value).toBe(3)
  })

  it("counts per 1 000 inhabitants with two decimals: 201 over 200 000 = 1,005 → 1,01", () => {
    expect(PerInhabitant.row({ unit: "count", value: 201 }, 200_000)).toMatchObject({
      key: "per-1000-inhabitants",
      label: "Per 1 000 inhabitants",
      value: 1.01,
      unit: "ratio"
    })
    expect(PerInhabitant.row({ unit: "kg-co2e", value: 1051 }, 80_000)?.value).toBe(13.14)
  })

  it("no population or no headline is no data, never 0; shares and ratios get no row", () => {
    expect(PerInhabitant.row({ unit: "ore", value: 100 }, undefined)?.value).toBeNull()
    expect(PerInhabitant.row({ unit: "count", value: null }, 1000)?.value).toBeNull()
    expect(PerInhabitant.row({ unit: "percent", value: 50 }, 1000)).toBeUndefined()
    expect(PerInhabitant.row({ unit: "ratio", value: 3.1 }, 1000)).toBeUndefined()
    expect(PerInhabitant.row({ unit: "whole-percent", value: 34 }, 1000)).toBeUndefined()
    // No inhabitants recorded as 0: no data, not a division by zero.
    expect(PerInhabitant.row({ unit: "ore", value: 100 }, 0)?.value).toBeNull()
    // Jobs are an amount: 200 jobs over 80 000 inhabitants = 2,5 per 1 000.
    expect(PerInhabitant.row({ unit: "jobs", value: 200 }, 80_000)).toMatchObject({
      key: "per-1000-inhabitants",
      value: 2.5
    })
  })

  it("add: the row goes after the indicator's own rows, only on amounts", () => {
    const values = PerInhabitant.add(
      [
        {
          id: "x",
          title: "X",
          titleSv: "X",
          unit: "count",
          year: 2023,
          value: 5,
          breakdown: [{ key: "a", label: "A", value: 5, unit: "count" }]
        },
        { id: "y", title: "Y", titleSv: "Y", unit: "percent", year: 2023, value: 50, breakdown: [] }
      ],
      { year: 2023, inhabitants: 80_000, source: "test" }
    )
    expect(values[0]?.breakdown.map((b) => [b.key, b.value])).toEqual([
      ["a", 5],
      ["per-1000-inhabitants", 0.06]
    ])
    expect(values[1]?.breakdown).toEqual([])
  })
})
