/**
 * Money as an integer number of öre (1 krona = 100 öre), so sums and shares are exact.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * A non-negative, safe integer amount of öre.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Ore = Schema.Int.pipe(
  Schema.check(Schema.isGreaterThanOrEqualTo(0, { message: "an amount in öre must be a non-negative integer" })),
  Schema.brand("Ore")
)

/**
 * @category models
 * @since 0.1.0
 */
export type Ore = typeof Ore.Type

/**
 * Converts whole kronor to öre.
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromKronor = (kronor: number): Ore => Ore.make(Math.round(kronor * 100))

/**
 * Formats öre as Swedish kronor, e.g. `88 340 842,00 kr`.
 *
 * @example
 * ```ts
 * import { Money } from "@utblick/core"
 * Money.formatSek(Money.Ore.make(8834084200)) // "88 340 842,00 kr"
 * ```
 *
 * @category formatting
 * @since 0.1.0
 */
export const formatSek = (ore: number): string => {
  const sign = ore < 0 ? "−" : ""
  const abs = Math.abs(ore)
  const kronor = Math.floor(abs / 100)
  const rest = String(abs % 100).padStart(2, "0")
  const grouped = String(kronor).replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0")
  return `${sign}${grouped},${rest} kr`
}
