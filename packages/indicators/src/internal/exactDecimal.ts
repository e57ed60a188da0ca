/**
 * A finite number as an exact decimal: what `Share` rounds and `YearSums` sums CO2e with, read the
 * same way in both and as the trip totals add it (`Decimal` in `@utblick/core`).
 *
 * @since 0.3.0
 */
import { Decimal } from "@utblick/core"

/**
 * See `Decimal.exactDecimal`.
 *
 * @category utils
 * @since 0.3.0
 */
export const exactDecimal = Decimal.exactDecimal
