import { fc, test } from "@fast-check/vitest"
import { Share } from "@utblick/indicators"
import { describe, expect, it } from "vitest"

const amounts = fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 10 ** 13 }), {
  minKeys: 1,
  maxKeys: 12
})

describe("exact shares", () => {
  test.prop([amounts, fc.integer({ min: 0, max: 3 })])("sum to exactly 100 and stay within one unit of the exact share", (parts, decimals) => {
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
  })

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
    expect(Share.apportion(table, 2).map((p) => p.percent)).toEqual([5.4, 11.62, 0.6, 7.58, 3.42, 25.87, 45.51])
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
