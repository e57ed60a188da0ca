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
 * @category constructors
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
 * One ratio as a percentage rounded half up to `decimals` decimals, computed exactly from
 * integers; `null` when the denominator is 0.
 *
 * @category constructors
 * @since 0.1.0
 */
export const percent = (numerator: number, denominator: number, decimals = 1): number | null => {
  if (denominator === 0) return null
  const scale = 10 ** decimals
  const scaled = BigInt(numerator) * BigInt(100 * scale) * 2n + BigInt(denominator)
  const rounded = scaled / (2n * BigInt(denominator))
  return Number(rounded) / scale
}

/**
 * A ratio rounded half up to `decimals` decimals; `null` when the denominator is 0.
 *
 * @category constructors
 * @since 0.1.0
 */
export const ratio = (numerator: number, denominator: number, decimals = 2): number | null => {
  if (denominator === 0) return null
  const scale = 10 ** decimals
  return Math.round((numerator / denominator) * scale) / scale
}
