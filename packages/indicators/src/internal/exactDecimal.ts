/**
 * A finite number as an exact decimal: what `Share` rounds and `YearSums` sums CO2e with, read the
 * same way in both.
 *
 * @since 0.3.0
 */

/**
 * A finite number as an exact decimal fraction `digits / 10^scale`, from its shortest round-trip
 * representation, which is the decimal a person reads: 1.005 is 1005 / 1000, not 1.00499….
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
