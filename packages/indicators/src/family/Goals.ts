/**
 * Indicators against the registry family's classification schemes that hold an actor's own goals
 * (e.g. Luleå's nine overarching goals): how much of the year's trips, agreements and granted
 * projects map to them. Spans families, so it lives with the scheme it reads.
 *
 * @since 0.2.0
 */
import { Agreements, RegistryModel, Trips } from "@utblick/projections"
import { define, filterOf, value } from "../internal/value.js"
import * as Share from "../Share.js"

/**
 * How much of the year's work maps to each of the actor's own goals (e.g. Luleå's nine goals):
 * trips, agreements and granted projects tagged with a goal of the scheme.
 *
 * Formula: per goal, the number of items tagged with it; headline = items with ≥ 1 goal ÷ items,
 * in percent. Needs `goalsSchemeId` in the context. Fed by `TripProposed`, `AgreementSigned`,
 * `ProjectGranted`, `ClassificationSchemeAdopted`.
 *
 * @category definitions
 * @since 0.1.0
 */
export const goalCoverage = define({
  id: "goal-coverage",
  version: 1,
  title: "Work mapped to the actor's goals",
  titleSv: "Arbete kopplat till egna mål",
  unit: "percent",
  formula: "items (trips, agreements, projects) tagged with ≥ 1 goal ÷ all items; items per goal",
  feeds: ["TripProposed", "AgreementSigned", "ProjectGranted", "ClassificationSchemeAdopted"],
  compute: (view) => {
    const { models, context } = view
    const scheme = context.goalsSchemeId
    if (scheme === undefined) return []
    const tagged: Array<ReadonlyArray<{ readonly schemeId: string; readonly code: string }>> = [
      ...Trips.all(models.trips, { ...filterOf(context), year: context.year }).map((t) => t.goalRefs),
      ...Agreements.all(models.agreements, filterOf(context))
        .filter((a) => a.status === "active" || a.status === "intended")
        .map((a) => a.priorityAreas.flatMap((p) => (p.ref === undefined ? [] : [p.ref]))),
      ...view.grants("project-support").map((g) => g.grant.priorityCodes)
    ]
    if (tagged.length === 0) return []
    const perGoal: Record<string, number> = {}
    for (const c of models.registry.schemes[scheme]?.categories ?? []) perGoal[c.code] = 0
    let covered = 0
    for (const refs of tagged) {
      const goals = new Set(refs.filter((r) => r.schemeId === scheme).map((r) => r.code))
      if (goals.size > 0) covered += 1
      for (const g of goals) perGoal[g] = (perGoal[g] ?? 0) + 1
    }
    return [
      value(goalCoverage, context, Share.percent(covered, tagged.length), {
        scheme,
        numerator: covered,
        denominator: tagged.length,
        rowUnit: "count",
        breakdown: Object.entries(perGoal).map(([code, n]) => ({
          key: code,
          label: RegistryModel.categoryLabel(models.registry, scheme, code),
          value: n
        }))
      })
    ]
  }
})
