import { fc, test } from "@fast-check/vitest"
import { Share } from "@utblick/indicators"
import { describe, expect, it } from "vitest"

const amounts = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 6 }),
  fc.integer({ min: 0, max: 10 ** 13 }),
  {
    minKeys: 1,
    maxKeys: 12
  }
)

describe("exact shares", () => {
  test.prop([amounts, fc.integer({ min: 0, max: 3 })])(
    "sum to exactly 100 and stay within one unit of the exact share",
    (parts, decimals) => {
      const result = Share.apportion(parts, decimals)
      const total = Object.values(parts).reduce((a, b) => a + b, 0)
      const unit = 10 ** -decimals
      if (total === 0) {
        expect(result.every((p) => p.percent === 0)).toBe(true)
        return
      }
      const units = result.reduce((sum, p) => sum + Math.round(p.percent * 10 ** decimals), 0)
      expect(units).toBe(100 * 10 ** decimals)
      for (const p of result) {
        const exact = (p.amount / total) * 100
        expect(Math.abs(p.percent - exact)).toBeLessThan(unit + 1e-9)
      }
    }
  )

  it("reproduces the 2017 classification table of Region Norrbotten from its amounts", () => {
    // 002:947-962: the stated whole percents sum to 101; shares from the amounts sum to 100.0.
    const table = {
      skarningspunkter: 4_773_357_00,
      industri: 10_267_744_00,
      test: 525_000_00,
      cleantech: 6_696_504_00,
      digitala: 3_022_100_00,
      kkn: 22_849_447_00,
      allmanna: 40_206_690_00
    }
    expect(Share.apportion(table, 1).map((p) => p.percent)).toEqual([5.4, 11.6, 0.6, 7.6, 3.4, 25.9, 45.5])
    // Two decimals: the floors sum to 99.98; the two missing hundredths go to the largest remainders
    // (KKN .52, test .43), so 0.59 becomes 0.60 although plain rounding would give 0.59 and a sum of 99.99.
    expect(Share.apportion(table, 2).map((p) => p.percent)).toEqual([
      5.4, 11.62, 0.6, 7.58, 3.42, 25.87, 45.51
    ])
  })

  it("gives a leftover unit to the largest remainder, ties to the larger amount", () => {
    expect(Share.apportion({ a: 1, b: 1, c: 1 }, 0).map((p) => p.percent)).toEqual([34, 33, 33])
    expect(Share.apportion({ woman: 40, man: 77, shared: 21 }, 0).map((p) => p.percent)).toEqual([29, 56, 15])
  })

  it("rounds single ratios half up from integers", () => {
    expect(Share.percent(138, 169)).toBe(81.7)
    expect(Share.percent(125, 164)).toBe(76.2)
    expect(Share.percent(39, 164)).toBe(23.8)
    expect(Share.percent(1, 8, 1)).toBe(12.5)
    expect(Share.percent(1, 0)).toBeNull()
  })
})

describe("largest remainder: the order of the leftover units", () => {
  it("equal remainders go to the larger amount first, then to the key in code order", () => {
    // 1 + 1 + 4 = 6. In whole percent: a = b = 100 / 6 = 16 r 4, c = 400 / 6 = 66 r 4.
    // Floors 16 + 16 + 66 = 98, so 2 units are missing; all three remainders are 4.
    // Larger amount first: c → 67; then a and b tie on amount too, key order: a → 17.
    // Key order alone (a, b) would give 17 / 17 / 66.
    expect(Share.apportion({ a: 1, b: 1, c: 4 }, 0).map((p) => p.percent)).toEqual([17, 16, 67])
    // The same with the larger amount first in key order: 4 / 6 = 66 r 4 → 67; a 16 r 4 → 17.
    expect(Share.apportion({ c: 4, a: 1, b: 1 }, 0).map((p) => [p.key, p.percent])).toEqual([
      ["c", 67],
      ["a", 17],
      ["b", 16]
    ])
  })

  it("a tie of remainder and amount goes to the key first in code order, however the amounts are listed", () => {
    // 1 + 1 + 1 = 3: each 100 / 3 = 33 r 1, one unit missing, all three tie on remainder and
    // amount, so "a" takes it although "b" is listed first (list order alone would give b 34).
    expect(Share.apportion({ b: 1, a: 1, c: 1 }, 0).map((p) => [p.key, p.percent])).toEqual([
      ["b", 33],
      ["a", 34],
      ["c", 33]
    ])
  })

  it("no amount at all: every share is 0, with a zero fraction (no division by zero)", () => {
    expect(Share.apportion({ a: 0, b: 0 }, 1)).toEqual([
      { key: "a", amount: 0, numerator: 0, denominator: 0, percent: 0 },
      { key: "b", amount: 0, numerator: 0, denominator: 0, percent: 0 }
    ])
  })
})

describe("exact rounding of quotients", () => {
  it("no quotient of 0 or of a non-finite number", () => {
    expect(Share.roundQuotient(1, 0, 2)).toBeNull()
    expect(Share.ratio(5, 0)).toBeNull()
    expect(Share.roundQuotient(Number.POSITIVE_INFINITY, 2, 0)).toBeNull()
    expect(Share.roundQuotient(2, Number.NaN, 0)).toBeNull()
  })

  it("a denominator with decimals: 1 ÷ 0,4 = 2,5", () => {
    // Exactly 10 / 4 = 2.5; dropping the denominator's scale would give 1 / 4 → 0.25 → 0.25.
    expect(Share.roundQuotient(1, 0.4, 2)).toBe(2.5)
    // 3 ÷ 0,08 = 37,5 → 38 (a half, away from zero).
    expect(Share.roundQuotient(3, 0.08, 0)).toBe(38)
  })

  it("a negative denominator rounds away from zero too: 1 ÷ −8 = −0,125 → −0,13", () => {
    expect(Share.roundQuotient(1, -8, 2)).toBe(-0.13)
    // −1 ÷ −8 = 0,125 → 0,13.
    expect(Share.roundQuotient(-1, -8, 2)).toBe(0.13)
  })

  it("numbers written with an exponent are read exactly: 1,5e−7 and 1e21", () => {
    // String(1.5e-7) is "1.5e-7": 15 × 10^-8, a half at the seventh decimal → 2e-7.
    // Reading the mantissa alone (1.5) would give 1.5.
    expect(Share.roundHalfUp(1.5e-7, 7)).toBe(2e-7)
    // String(1e21) is "1e+21": 10^21 ÷ 10^20 = 10.
    expect(Share.roundQuotient(1e21, 1e20, 0)).toBe(10)
    // 2,5e21 ÷ 10^21 = 2,5 → 3.
    expect(Share.roundQuotient(2.5e21, 1e21, 0)).toBe(3)
  })
})

describe("exact differences and relative changes", () => {
  it("aligns the decimals of both figures: 2 − 1,5 and 1,5 − 2", () => {
    // difference(a, b) is b − a: 1.5 → 2 is +0,5; 2 → 1.5 is −0,5.
    expect(Share.difference(1.5, 2)).toBe(0.5)
    expect(Share.difference(2, 1.5)).toBe(-0.5)
    expect(Share.difference(81.7, 76.2)).toBe(-5.5)
  })

  it("the relative change is over |a|: from −4 to −2 is +50,0 %", () => {
    // (−2 − (−4)) ÷ |−4| = 2 ÷ 4 = 50 %. Dividing by a signed −4 would give −50 %.
    expect(Share.relativeChange(-4, -2)).toBe(50)
    // From 8 to 7: −1 ÷ 8 = −12,5 % exactly (one decimal). From 0: no relative change.
    expect(Share.relativeChange(8, 7)).toBe(-12.5)
    // 3 → 2: −1 ÷ 3 = −33,33… → −33,3; to two decimals −33,33.
    expect(Share.relativeChange(3, 2, 2)).toBe(-33.33)
    expect(Share.relativeChange(0, 5)).toBeNull()
  })
})
