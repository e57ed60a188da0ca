import { fc, test } from "@fast-check/vitest"
import { Decimal } from "@utblick/core"
import { describe, expect, it } from "vitest"

describe("Decimal", () => {
  it("reads a number as the decimal a person reads", () => {
    expect(Decimal.exactDecimal(13.2)).toEqual({ digits: 132n, scale: 1 })
    expect(Decimal.exactDecimal(1.005)).toEqual({ digits: 1005n, scale: 3 })
    expect(Decimal.exactDecimal(-0.25)).toEqual({ digits: -25n, scale: 2 })
    // Exponent forms: 1e-7 is 1 / 10^7; 1e21 is an integer with 21 zeros.
    expect(Decimal.exactDecimal(1e-7)).toEqual({ digits: 1n, scale: 7 })
    expect(Decimal.exactDecimal(1e21)).toEqual({ digits: 10n ** 21n, scale: 0 })
    expect(Decimal.exactDecimal(42)).toEqual({ digits: 42n, scale: 0 })
  })

  it("adds decimals exactly where binary floats do not", () => {
    // 13.2 + 7.1 is 20.299999999999997 and 0.1 + 0.2 is 0.30000000000000004 in binary floats.
    expect(Decimal.add(13.2, 7.1)).toBe(20.3)
    expect(Decimal.add(0.1, 0.2)).toBe(0.3)
    expect(Decimal.add(1e-7, 2e-7)).toBe(3e-7)
    expect(Decimal.add(-1.5, 0.25)).toBe(-1.25)
    expect(Decimal.add(2.5, 0)).toBe(2.5)
    expect(Decimal.add(2, 3)).toBe(5)
    // Past the safe integers the sum rounds to the nearest number: 2^53 + 1 to 2^53.
    expect(Decimal.add(2 ** 53, 1)).toBe(2 ** 53)
  })

  // Decimals of up to six places: the exact sum is (i + j) / 10^6, and IEEE division of two
  // exact integers is correctly rounded, so dividing gives the number nearest the exact sum.
  test.prop([fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: -1e9, max: 1e9 })], { numRuns: 500 })(
    "the sum of two decimals is the number nearest their exact sum",
    (i, j) => {
      expect(Decimal.add(i / 1e6, j / 1e6)).toBe((i + j) / 1e6)
    }
  )
})
