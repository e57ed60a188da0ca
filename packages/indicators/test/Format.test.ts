// The one formatting module: expected strings written by hand (U+00A0 no-break space, U+2212
// minus), at exact halves where binary floating point would round the wrong way.
import { Format, Share } from "@utblick/indicators"
import { describe, expect, it } from "vitest"

const NB = "\u00a0"
const MINUS = "\u2212"

describe("rounding: half away from zero, exact on decimals", () => {
  it("rounds exact halves up where a float rounds them down", () => {
    // 1.005 × 100 = 100.49999999999999 in binary, so Math.round gives 1.00.
    expect(Share.ratio(201, 200)).toBe(1.01)
    expect(Share.roundHalfUp(1.005, 2)).toBe(1.01)
    expect(Share.roundHalfUp(2.675, 2)).toBe(2.68)
    expect(Share.roundHalfUp(0.125, 2)).toBe(0.13)
    // Banker's rounding would give 2 and 0.2 here.
    expect(Share.roundHalfUp(2.5, 0)).toBe(3)
    expect(Share.roundHalfUp(0.25, 1)).toBe(0.3)
    // Away from zero for negatives (Math.round(−2.5) is −2).
    expect(Share.roundHalfUp(-2.5, 0)).toBe(-3)
    expect(Share.ratio(-201, 200)).toBe(-1.01)
  })

  it("percentages from integers: 1/16 = 6.25 % → 6.3 %, 1/8 = 12.5 %, 2/3 → 66.7 %", () => {
    expect(Share.percent(1, 16)).toBe(6.3)
    expect(Share.percent(1, 8)).toBe(12.5)
    expect(Share.percent(2, 3)).toBe(66.7)
    expect(Share.percent(0, 5)).toBe(0)
    expect(Share.percent(3, 0)).toBeNull()
  })

  it("differences and relative changes exact on decimals", () => {
    // 76.2 − 81.7 in floats is −5.500000000000007.
    expect(Share.difference(81.7, 76.2)).toBe(-5.5)
    // (125 − 138) / 138 = −9.42 % → −9.4; (39 − 31) / 31 = 25.81 % → 25.8.
    expect(Share.relativeChange(138, 125)).toBe(-9.4)
    expect(Share.relativeChange(31, 39)).toBe(25.8)
    // (201 − 200) / 200 = 0.5 % exactly; to whole percent: 1 (half up), not 0.
    expect(Share.relativeChange(200, 201, 0)).toBe(1)
    expect(Share.relativeChange(0, 5)).toBeNull()
  })
})

describe("Format: Swedish by default", () => {
  it("groups thousands with a no-break space, decimal comma, minus sign", () => {
    expect(Format.number(1234567.5, 1)).toBe(`1${NB}234${NB}567,5`)
    expect(Format.number(-1234.005, 2)).toBe(`${MINUS}1${NB}234,01`)
    expect(Format.number(999, 0)).toBe("999")
  })

  it("formats each unit from its definition", () => {
    expect(Format.value("percent", 81.7)).toBe(`81,7${NB}%`)
    expect(Format.value("percent", 50)).toBe(`50,0${NB}%`)
    expect(Format.value("ratio", 1.01)).toBe("1,01")
    expect(Format.value("ratio", 1.5)).toBe("1,50")
    // Counts are never percentages; 42.5 decision-equivalents keep their decimal.
    expect(Format.value("count", 46)).toBe("46")
    expect(Format.value("count", 42.5)).toBe("42,5")
    // Money: öre in, whole kronor out (half up: 6 666 666.67 kr → 6 666 667 kr).
    expect(Format.value("ore", 5_870_000_000)).toBe(`58${NB}700${NB}000${NB}kr`)
    expect(Format.value("ore", 666_666_667)).toBe(`6${NB}666${NB}667${NB}kr`)
    expect(Format.value("ore", 50)).toBe(`1${NB}kr`)
    expect(Format.value("kg-co2e", 420.3)).toBe(`420,3${NB}kg CO2e`)
    expect(Format.value("kg-co2e", 410)).toBe(`410${NB}kg CO2e`)
  })

  it("tells no data (–) from zero (0)", () => {
    expect(Format.value("count", null)).toBe("–")
    expect(Format.value("count", 0)).toBe("0")
    expect(Format.value("percent", 0)).toBe(`0,0${NB}%`)
    expect(Format.change("count", null)).toBe("–")
    expect(Format.relative(null)).toBe("–")
  })

  it("changes carry a sign; percentages change in procentenheter", () => {
    expect(Format.change("percent", -5.5)).toBe(`${MINUS}5,5${NB}p.e.`)
    expect(Format.change("percent", 1.2)).toBe(`+1,2${NB}p.e.`)
    expect(Format.change("count", 8)).toBe("+8")
    expect(Format.change("count", 0)).toBe("0")
    expect(Format.change("ore", -2_630_000_000)).toBe(`${MINUS}26${NB}300${NB}000${NB}kr`)
    expect(Format.relative(-3)).toBe(`${MINUS}3,0${NB}%`)
    expect(Format.relative(25.8)).toBe(`+25,8${NB}%`)
  })

  it("mkr for charts", () => {
    expect(Format.mkr(5_870_000_000)).toBe(`58,7${NB}mkr`)
    expect(Format.mkr(18_183_408_100)).toBe(`181,8${NB}mkr`)
  })

  it("CSV cells: no grouping, decimal comma, ASCII minus, kronor with öre, empty for no data", () => {
    expect(Format.csvValue("percent", 81.7)).toBe("81,7")
    expect(Format.csvValue("ore", 5_870_000_012)).toBe("58700000,12")
    expect(Format.csvValue("ratio", -0.17)).toBe("-0,17")
    expect(Format.csvValue("count", null)).toBe("")
    expect(Format.csvValue("count", 0)).toBe("0")
  })
})

describe("Format: English on request", () => {
  it("comma groups, decimal point, SEK, pp", () => {
    expect(Format.number(1234567.5, 1, "en")).toBe("1,234,567.5")
    expect(Format.value("percent", 81.7, "en")).toBe("81.7%")
    expect(Format.value("ore", 5_870_000_000, "en")).toBe(`SEK${NB}58,700,000`)
    expect(Format.change("percent", -5.5, "en")).toBe(`${MINUS}5.5${NB}pp`)
    expect(Format.csvValue("percent", 81.7, "en")).toBe("81.7")
  })
})

describe("Format: every unit and scale, both locales", () => {
  it("names the locales a report is written in", () => {
    expect(Format.locales).toEqual(["sv", "en"])
  })

  it("decimals per unit: percent 1, whole percent 0, ratio 2, kronor 0; counts whole unless not", () => {
    expect(
      (["percent", "whole-percent", "ratio", "ore", "kg-co2e", "count", "jobs"] as const).map((u) => [
        Format.decimalsOf(u, 5),
        Format.decimalsOf(u, 42.5)
      ])
    ).toEqual([
      [1, 1],
      [0, 0],
      [2, 2],
      [0, 0],
      [0, 1],
      [0, 1],
      [0, 1]
    ])
  })

  it("signs a change by the figure shown: +0,04 of a count shows as 0,0, without a sign", () => {
    // 0.04 has decimals → one decimal → 0.0, which is no change to a reader; −0.04 likewise.
    expect(Format.change("count", 0.04)).toBe("0,0")
    expect(Format.change("count", 1.25)).toBe("+1,3")
    // A change of whole percents is in whole percentage points, not percent.
    expect(Format.change("whole-percent", 2)).toBe(`+2${NB}p.e.`)
    // Money is signed by the öre: +40 öre is shown as +0 kr (whole kronor), a change all the same.
    expect(Format.change("ore", 40)).toBe(`+0${NB}kr`)
    expect(Format.change("ore", -250_000)).toBe(`${MINUS}2${NB}500${NB}kr`)
  })

  it("mkr and tkr in both locales", () => {
    // 5 870 000 000 öre = 58 700 000 kr = 58,7 mkr; 75 000 000 öre = 750 000 kr = 750 tkr.
    expect(Format.mkr(5_870_000_000)).toBe(`58,7${NB}mkr`)
    expect(Format.mkr(5_870_000_000, "en")).toBe(`SEK${NB}58.7m`)
    expect(Format.tkr(75_000_000)).toBe(`750${NB}tkr`)
    expect(Format.tkr(75_000_000, "en")).toBe(`SEK${NB}750k`)
    // 123 456 789 öre = 1 234 567,89 kr = 1 234,57 tkr → 1 235 tkr.
    expect(Format.tkr(123_456_789)).toBe(`1${NB}235${NB}tkr`)
  })

  it("a chart's money scale: mkr from one million kronor (10^8 öre) up, tkr below", () => {
    expect(Format.moneyScale(100_000_000)(100_000_000)).toBe(`1,0${NB}mkr`)
    expect(Format.moneyScale(99_999_999)(99_999_999)).toBe(`1${NB}000${NB}tkr`)
    expect(Format.moneyScale(100_000_000, "en")(250_000_000)).toBe(`SEK${NB}2.5m`)
    expect(Format.moneyScale(50_000_000, "en")(50_000_000)).toBe(`SEK${NB}500k`)
  })

  it("CSV money: kronor with two decimals from the öre, ASCII minus, none for zero", () => {
    expect(Format.csvValue("ore", -12_345)).toBe("-123,45")
    expect(Format.csvValue("ore", 0)).toBe("0,00")
    expect(Format.csvValue("ore", 5)).toBe("0,05")
    expect(Format.csvValue("ore", -5, "en")).toBe("-0.05")
  })

  it("unit labels for column headers", () => {
    const units = ["percent", "whole-percent", "ratio", "ore", "kg-co2e", "count", "jobs"] as const
    expect(units.map((u) => Format.unitLabel(u))).toEqual([
      "procent",
      "procent",
      "kvot",
      "kronor",
      "kg CO2e",
      "antal",
      "antal jobb"
    ])
    expect(units.map((u) => Format.unitLabel(u, "en"))).toEqual([
      "percent",
      "percent",
      "ratio",
      "kronor",
      "kg CO2e",
      "count",
      "jobs"
    ])
  })
})
