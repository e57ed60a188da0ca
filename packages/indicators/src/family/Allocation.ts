/**
 * Indicators of the board's allocation frame (budgetram, `AllocationFramed`): the year's frame by
 * instrument and by priority. Budgets, not applications: a grant filter leaves them out.
 *
 * @since 0.2.0
 */
import { RegistryModel } from "@utblick/projections"
import { define, instrumentLabels, shareRows, value } from "../internal/value.js"

/**
 * The board's allocation frame of the year split by instrument (the 61 / 34 / 5 % of 2022).
 *
 * Formula: frame per instrument ÷ Σ frame (shares by largest remainder, whole percent).
 * Fed by `AllocationFramed`.
 *
 * @category definitions
 * @since 0.1.0
 */
export const allocationByInstrument = define({
  id: "allocation-by-instrument",
  version: 1,
  title: "Allocation frame by instrument",
  titleSv: "Budgetram per stödform",
  unit: "ore",
  formula: "the board's frame per instrument ÷ the whole frame (whole percent, largest remainder)",
  feeds: ["AllocationFramed"],
  compute: (view) => {
    const { context } = view
    const frame = view.summary().frame
    if (frame === null) return []
    const amounts = {
      "project-support": frame.projectSupport,
      "business-support": frame.businessSupport,
      "commercial-service": frame.commercialService
    }
    return [
      value(
        allocationByInstrument,
        context,
        frame.projectSupport + frame.businessSupport + frame.commercialService,
        {
          rowUnit: "whole-percent",
          breakdown: shareRows(amounts, (k) => instrumentLabels[k] ?? k, 0)
        }
      )
    ]
  }
})

/**
 * The board's allocation of the year by priority, in the scheme the priorities are tagged with.
 *
 * Formula: Σ frame öre per priority code ÷ Σ over codes. Fed by `AllocationFramed`.
 *
 * @category definitions
 * @since 0.1.0
 */
export const allocationByPriority = define({
  id: "allocation-by-priority",
  version: 1,
  title: "Allocation frame by priority",
  titleSv: "Budgetram per prioritering",
  unit: "ore",
  formula: "the board's frame per priority ÷ the sum over priorities (one decimal, largest remainder)",
  feeds: ["AllocationFramed", "ClassificationSchemeAdopted"],
  compute: (view) => {
    const { models, context } = view
    const frame = view.summary().frame
    // No frame, no allocation; a frame without priorities gives no scheme below, so no value.
    if (frame === null) return []
    const bySchemes = new Map<string, Record<string, number>>()
    for (const p of frame.byPriority) {
      const amounts = bySchemes.get(p.ref.schemeId) ?? {}
      amounts[p.ref.code] = (amounts[p.ref.code] ?? 0) + p.amount
      bySchemes.set(p.ref.schemeId, amounts)
    }
    return [...bySchemes].map(([scheme, amounts]) =>
      value(
        allocationByPriority,
        context,
        Object.values(amounts).reduce((a, b) => a + b, 0),
        {
          scheme,
          rowUnit: "percent",
          breakdown: shareRows(amounts, (k) => RegistryModel.categoryLabel(models.registry, scheme, k))
        }
      )
    )
  }
})
