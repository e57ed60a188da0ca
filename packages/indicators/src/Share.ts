/**
 * Exact shares from integer amounts, with one rounding rule used everywhere.
 *
 * **The rule.** A share is computed from the integer amounts themselves (öre, counts), never
 * from rounded figures. Shares that should sum to 100 % are apportioned by the largest-remainder
 * method (Hamilton): each part gets the floor of its exact share in units of 10^-decimals
 * percentage points, and the units still missing go to the parts with the largest remainders
 * (ties: the larger amount first, then the key in code-unit order). The result sums to exactly
 * 100 when any amount is non-zero, and every share is within one unit of its exact value.
 *
 * @since 0.1.0
 */
import { Decimal } from "@utblick/core"

/**
 * A part of a whole: its amount, its exact fraction and its apportioned share in percent.
 *
 * @category models
 * @since 0.1.0
 */
export interface SharePart {
  readonly key: string
  readonly amount: number
  /** `amount / total` as an exact fraction. */
  readonly numerator: number
  readonly denominator: number
  /** The apportioned share in percent, with `decimals` decimals. */
  readonly percent: number
}

/**
 * Apportions percentages to parts so they sum to exactly 100 (see the module's rule).
 *
 * @example
 * ```ts
 * import { Share } from "@utblick/indicators"
 * Share.apportion({ woman: 40, man: 77, shared: 21 }, 0).map((p) => p.percent) // [29, 56, 15]
 * ```
 *
 * @category arithmetic
 * @since 0.1.0
 */
export const apportion = (
  amounts: Readonly<Record<string, number>>,
  decimals = 1
): ReadonlyArray<SharePart> => {
  const keys = Object.keys(amounts)
  const total = keys.reduce((sum, k) => sum + (amounts[k] ?? 0), 0)
  if (total === 0) {
    return keys.map((key) => ({ key, amount: 0, numerator: 0, denominator: 0, percent: 0 }))
  }
  const scale = 100 * 10 ** decimals
  // BigInt keeps amount × scale exact for any safe-integer amount of öre.
  const bigTotal = BigInt(total)
  const parts = keys.map((key) => {
    const amount = amounts[key] ?? 0
    const scaled = BigInt(amount) * BigInt(scale)
    return { key, amount, units: Number(scaled / bigTotal), remainder: scaled % bigTotal }
  })
  let missing = scale - parts.reduce((sum, p) => sum + p.units, 0)
  const order = [...parts].sort((a, b) =>
    a.remainder !== b.remainder
      ? a.remainder > b.remainder
        ? -1
        : 1
      : b.amount !== a.amount
        ? b.amount - a.amount
        : a.key < b.key
          ? -1
          : 1
  )
  for (const part of order) {
    if (missing <= 0) break
    if (part.remainder === 0n) continue
    part.units += 1
    missing -= 1
  }
  return parts.map((p) => ({
    key: p.key,
    amount: p.amount,
    numerator: p.amount,
    denominator: total,
    percent: p.units / 10 ** decimals
  }))
}

/**
 * Rounds `numerator ÷ denominator` to `decimals` decimals, half away from zero (the rule taught in
 * Swedish schools and used by SCB: 1,005 → 1,01; −2,5 → −3), computed exactly in integers from the
 * decimal values given — never from a binary floating-point quotient. `null` when the denominator
 * is 0.
 *
 * @example
 * ```ts
 * import { Share } from "@utblick/indicators"
 * Share.roundQuotient(201, 200, 2) // 1.01 (1.005 exactly, a half: rounded up)
 * ```
 *
 * @category arithmetic
 * @since 0.2.0
 */
export const roundQuotient = (numerator: number, denominator: number, decimals: number): number | null => {
  const units = roundedUnits(numerator, denominator, decimals)
  return units === null ? null : Number(units) / 10 ** decimals
}

// numerator ÷ denominator × 10^shift, rounded half away from zero to an integer.
const roundedUnits = (numerator: number, denominator: number, shift: number): bigint | null => {
  if (denominator === 0) return null
  if (!Number.isFinite(numerator) || !Number.isFinite(denominator)) return null
  const n = Decimal.exactDecimal(numerator)
  const d = Decimal.exactDecimal(denominator)
  // numerator / denominator = (n.digits / 10^n.scale) / (d.digits / 10^d.scale)
  //                         = n.digits × 10^d.scale / (d.digits × 10^n.scale)
  let num = n.digits * 10n ** BigInt(d.scale) * 10n ** BigInt(shift)
  let den = d.digits * 10n ** BigInt(n.scale)
  if (den < 0n) {
    num = -num
    den = -den
  }
  const negative = num < 0n
  const abs = negative ? -num : num
  // Half away from zero: floor((2|q| + 1) / 2) on the exact rational.
  const rounded = (2n * abs + den) / (2n * den)
  return negative ? -rounded : rounded
}

/**
 * Rounds a number to `decimals` decimals, half away from zero, on its decimal value (so 2.675
 * becomes 2.68 and 0.125 becomes 0.13, as a person rounding the printed figure would).
 *
 * @category arithmetic
 * @since 0.2.0
 */
export const roundHalfUp = (x: number, decimals: number): number => roundQuotient(x, 1, decimals) ?? x

/**
 * One ratio as a percentage rounded half up to `decimals` decimals, computed exactly from
 * integers; `null` when the denominator is 0.
 *
 * @category arithmetic
 * @since 0.1.0
 */
export const percent = (numerator: number, denominator: number, decimals = 1): number | null => {
  const units = roundedUnits(numerator, denominator, decimals + 2)
  return units === null ? null : Number(units) / 10 ** decimals
}

/**
 * A ratio rounded half up (away from zero) to `decimals` decimals, computed exactly (see
 * {@link roundQuotient}); `null` when the denominator is 0.
 *
 * @category arithmetic
 * @since 0.1.0
 */
export const ratio = (numerator: number, denominator: number, decimals = 2): number | null =>
  roundQuotient(numerator, denominator, decimals)

// Two decimals on a common scale, exactly.
const aligned = (a: number, b: number) => {
  const x = Decimal.exactDecimal(a)
  const y = Decimal.exactDecimal(b)
  const scale = Math.max(x.scale, y.scale)
  return {
    a: x.digits * 10n ** BigInt(scale - x.scale),
    b: y.digits * 10n ** BigInt(scale - y.scale),
    scale
  }
}

/**
 * `b − a`, exact on the decimal values (76,2 − 81,7 is −5,5, not −5,500000000000007).
 *
 * @category arithmetic
 * @since 0.2.0
 */
export const difference = (a: number, b: number): number => {
  const { a: x, b: y, scale } = aligned(a, b)
  return Number(`${y - x}e-${scale}`)
}

/**
 * The relative change `(b − a) ÷ |a|` in percent, rounded half away from zero to `decimals`
 * decimals exactly; `null` when `a` is 0.
 *
 * @category arithmetic
 * @since 0.2.0
 */
export const relativeChange = (a: number, b: number, decimals = 1): number | null => {
  const { a: x, b: y } = aligned(a, b)
  if (x === 0n) return null
  const den = x < 0n ? -x : x
  const num = (y - x) * 100n * 10n ** BigInt(decimals)
  const negative = num < 0n
  const abs = negative ? -num : num
  const rounded = (2n * abs + den) / (2n * den)
  return Number(negative ? -rounded : rounded) / 10 ** decimals
}
