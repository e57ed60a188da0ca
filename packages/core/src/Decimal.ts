/**
 * Decimal figures read and added exactly: a finite number stands for the decimal a person reads
 * (its shortest round-trip form), so 13,2 + 7,1 kg of CO2e is 20,3 kg, not the binary
 * 20,299999999999997 that rounds a per-trip mean of 10,15 down to 10,1.
 *
 * @since 0.3.0
 */

/**
 * A finite number as an exact decimal fraction `digits / 10^scale`, from its shortest round-trip
 * representation, which is the decimal a person reads: 1.005 is 1005 / 1000, not 1.00499….
 *
 * @example
 * ```ts
 * import { Decimal } from "@utblick/core"
 * Decimal.exactDecimal(13.2) // { digits: 132n, scale: 1 }
 * ```
 *
 * @category utils
 * @since 0.3.0
 */
export const exactDecimal = (x: number): { readonly digits: bigint; readonly scale: number } => {
  const [mantissa, exponentText] = String(x).toLowerCase().split("e") as [string, string | undefined]
  const exponent = exponentText === undefined ? 0 : Number(exponentText)
  const [int, frac = ""] = mantissa.split(".") as [string, string | undefined]
  let digits = BigInt(`${int}${frac}`)
  let scale = frac.length - exponent
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale)
    scale = 0
  }
  return { digits, scale }
}

/**
 * The sum of two finite numbers, each read as its decimal (see {@link exactDecimal}), as the
 * number nearest the exact decimal sum. Running sums stay exact while they need at most 15
 * significant digits.
 *
 * @example
 * ```ts
 * import { Decimal } from "@utblick/core"
 * Decimal.add(13.2, 7.1) // 20.3 (13.2 + 7.1 is 20.299999999999997)
 * ```
 *
 * @category math
 * @since 0.3.0
 */
export const add = (a: number, b: number): number => {
  // An integer is the decimal it stands for, and IEEE addition rounds the exact sum of the two
  // to the nearest number: what the decimal path gives, without it.
  if (Number.isInteger(a) && Number.isInteger(b)) return a + b
  const x = exactDecimal(a)
  const y = exactDecimal(b)
  const scale = Math.max(x.scale, y.scale)
  const digits = x.digits * 10n ** BigInt(scale - x.scale) + y.digits * 10n ** BigInt(scale - y.scale)
  return Number(`${digits}e-${scale}`)
}
