// Amounts in öre (mutation testing's targets): kronor rounded to the nearest öre, and the Swedish
// text of an amount (thin groups of three with a no-break space, a decimal comma, a true minus
// sign). Expected texts written out by hand.
import { Money } from "@utblick/core"
import { Result, Schema } from "effect"
import { describe, expect, it } from "vitest"

const NBSP = "\u00a0"

describe("Money", () => {
  it("formats öre as kronor with a decimal comma, groups of three and a minus sign", () => {
    expect(Money.formatSek(0)).toBe("0,00 kr")
    expect(Money.formatSek(5)).toBe("0,05 kr")
    expect(Money.formatSek(100)).toBe("1,00 kr")
    expect(Money.formatSek(99_999)).toBe("999,99 kr")
    expect(Money.formatSek(100_000)).toBe(`1${NBSP}000,00 kr`)
    expect(Money.formatSek(123_456_789)).toBe(`1${NBSP}234${NBSP}567,89 kr`)
    expect(Money.formatSek(-150)).toBe("\u22121,50 kr")
    expect(Money.formatSek(-100_000_001)).toBe(`\u22121${NBSP}000${NBSP}000,01 kr`)
  })

  it("rounds kronor to the nearest öre and refuses a negative amount", () => {
    // 19.99 × 100 is 1998.9999999999998 in binary floating point; 10.004 × 100 is 1000.4.
    expect(Money.fromKronor(19.99)).toBe(1999)
    expect(Money.fromKronor(10.004)).toBe(1000)
    expect(Money.fromKronor(0.006)).toBe(1)
    expect(Money.fromKronor(0)).toBe(0)
    expect(() => Money.fromKronor(-1)).toThrow()
    expect(Schema.is(Money.Ore)(0)).toBe(true)
    const refused = Schema.decodeUnknownResult(Money.Ore)(-1)
    expect(Result.isFailure(refused) && refused.failure.message).toContain("an amount in öre must be a non-negative integer")
  })
})
