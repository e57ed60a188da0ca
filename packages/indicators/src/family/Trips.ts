/**
 * Indicators of the travel family (tjänsteresor): trips replaced by digital meetings and the
 * trips' CO2e. Both read the year view's trip totals (trips by departure year). Fed by
 * `TripProposed`, `TripEvaluated`, `TripCompleted` and `TripCancelled`.
 *
 * @since 0.2.0
 */

import { define, value } from "../internal/value.js"
import * as Share from "../Share.js"

/**
 * Share of evaluated trips that were replaced by a digital meeting.
 *
 * Formula: trips departing in the year evaluated `replaced-by-digital` ÷ trips evaluated.
 * Fed by `TripProposed`, `TripEvaluated`.
 *
 * @category definitions
 * @since 0.1.0
 */
export const tripsReplacedByDigital = define({
  id: "trips-replaced-by-digital",
  version: 1,
  title: "Trips replaced by digital meetings",
  titleSv: "Resor ersatta av digitala möten",
  unit: "percent",
  formula: "trips replaced by a digital meeting ÷ trips evaluated (by departure year)",
  feeds: ["TripProposed", "TripEvaluated"],
  compute: (view) => {
    const { context } = view
    const t = view.trips().total
    if (t.proposed === 0) return []
    return [
      value(tripsReplacedByDigital, context, Share.percent(t.replacedByDigital, t.evaluated), {
        numerator: t.replacedByDigital,
        denominator: t.evaluated,
        rowUnit: "count",
        breakdown: [
          { key: "proposed", label: "Proposed", value: t.proposed },
          { key: "approved", label: "Approved", value: t.approved },
          { key: "replaced-by-digital", label: "Replaced by digital meeting", value: t.replacedByDigital },
          { key: "declined", label: "Declined", value: t.declined },
          { key: "completed", label: "Completed", value: t.completed },
          { key: "cancelled", label: "Cancelled", value: t.cancelled }
        ]
      })
    ]
  }
})

/**
 * CO2e of the year's trips: in total, per trip taken, and per mode.
 *
 * Formula: Σ CO2e kg (actual when completed, else the estimate of approved trips); per trip =
 * Σ ÷ trips approved. Fed by `TripEvaluated`, `TripCompleted`, `TripCancelled`.
 *
 * @category definitions
 * @since 0.1.0
 */
export const tripEmissions = define({
  id: "trip-co2e",
  version: 1,
  title: "CO2e of official trips",
  titleSv: "CO2e från tjänsteresor",
  unit: "kg-co2e",
  formula: "Σ CO2e kg of approved or completed trips; ÷ trips approved; per mode",
  feeds: ["TripEvaluated", "TripCompleted", "TripCancelled"],
  compute: (view) => {
    const { context } = view
    const { total: t, groups: byMode } = view.trips()
    if (t.proposed === 0) return []
    return [
      value(tripEmissions, context, Share.roundHalfUp(t.co2eKg, 1), {
        breakdown: [
          { key: "per-trip", label: "Per approved trip", value: Share.ratio(t.co2eKg, t.approved, 1) },
          ...Object.entries(byMode)
            .sort()
            .map(([mode, m]) => ({
              key: `mode:${mode}`,
              label: `By ${mode}`,
              value: Share.roundHalfUp(m.co2eKg, 1)
            }))
        ]
      })
    ]
  }
})
