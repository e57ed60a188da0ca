/**
 * Indicators of the agreements family (samarbetsavtal, vänorter, avsiktsförklaringar): agreements
 * by kind and status. Fed by `AgreementSigned`, `AgreementIntentRecorded`,
 * `AgreementStatusChanged` and `AgreementEnded`.
 *
 * @since 0.2.0
 */
import { Agreements } from "@utblick/projections"
import type { Row } from "../Definition.js"
import { define, filterOf, value } from "../internal/value.js"

/**
 * Agreements at the end of the year, by kind and status.
 *
 * Formula: count of agreements per kind × status (intended, active, dormant, ended).
 * Fed by `AgreementSigned`, `AgreementIntentRecorded`, `AgreementStatusChanged`, `AgreementEnded`.
 *
 * @category definitions
 * @since 0.1.0
 */
export const agreementsByStatus = define({
  id: "agreements-by-status",
  version: 1,
  title: "Agreements and twin towns by status",
  titleSv: "Avtal och vänorter per status",
  unit: "count",
  formula: "agreements (incl. intents and twin towns) per kind and status; headline = all of them",
  feeds: ["AgreementSigned", "AgreementIntentRecorded", "AgreementStatusChanged", "AgreementEnded"],
  compute: (view) => {
    const { models, context } = view
    const counts = Agreements.countByKindAndStatus(models.agreements, filterOf(context))
    const rows: Array<Row> = []
    let total = 0
    for (const [kind, byStatus] of Object.entries(counts).sort()) {
      for (const [status, n] of Object.entries(byStatus)) {
        if (n > 0) rows.push({ key: `${kind}:${status}`, label: `${kind}, ${status}`, value: n })
        total += n
      }
    }
    // The headline is the sum of its rows: every agreement and intent recorded by the year end,
    // whatever its status (the active ones are the rows ending in ", active").
    return rows.length === 0 ? [] : [value(agreementsByStatus, context, total, { breakdown: rows })]
  }
})
