/**
 * The indicator catalogue: each indicator is a named, versioned definition — formula, unit and
 * the events that feed it — with a pure `compute` over the read models of one year.
 *
 * This module is the one entry users need (`Indicator.definitions`, `Indicator.computeAll`, the
 * models and every definition by name). The definitions live with their event family, each
 * beside its tests (ADR 0034): `family/BusinessSupport`, `family/Grants`, `family/Allocation`,
 * `family/Memberships`, `family/Agreements`, `family/Trips` and `family/Goals`; the models in
 * `Definition` and the per-year view cache in `YearView`.
 *
 * Money is in öre (unit `ore`); shares are exact (see {@link Share}). Every definition is also
 * documented in `docs/reference/indicators.md`.
 *
 * @since 0.1.0
 */
import type { ReadModels } from "@utblick/projections"
import type { Context, Definition, IndicatorValue } from "./Definition.js"
import { agreementsByStatus } from "./family/Agreements.js"
import { allocationByInstrument, allocationByPriority } from "./family/Allocation.js"
import {
  approvalRate,
  euCoFinancing,
  expectedJobs,
  investmentLeverage,
  leadershipShares
} from "./family/BusinessSupport.js"
import { goalCoverage } from "./family/Goals.js"
import { grantedByCategory, grantedByInstrument, projectsByMainPurpose } from "./family/Grants.js"
import { activeMemberships } from "./family/Memberships.js"
import { tripEmissions, tripsReplacedByDigital } from "./family/Trips.js"
import { makeView } from "./YearView.js"

export * from "./Definition.js"
export * from "./family/Agreements.js"
export * from "./family/Allocation.js"
export * from "./family/BusinessSupport.js"
export * from "./family/Goals.js"
export * from "./family/Grants.js"
export * from "./family/Memberships.js"
export * from "./family/Trips.js"
export * from "./YearView.js"

/**
 * Every indicator, in reporting order.
 *
 * @category definitions
 * @since 0.1.0
 */
export const definitions: ReadonlyArray<Definition> = [
  approvalRate,
  grantedByInstrument,
  allocationByInstrument,
  allocationByPriority,
  grantedByCategory,
  leadershipShares,
  expectedJobs,
  investmentLeverage,
  euCoFinancing,
  projectsByMainPurpose,
  activeMemberships,
  agreementsByStatus,
  tripsReplacedByDigital,
  tripEmissions,
  goalCoverage
]

/**
 * Computes every indicator (or the `selected` ones) of one year from the read models, sharing one
 * {@link YearView} between them.
 *
 * @category running
 * @since 0.1.0
 */
export const computeAll = (
  models: ReadModels.ReadModelsState,
  context: Context,
  selected: ReadonlyArray<Definition> = definitions
): ReadonlyArray<IndicatorValue> => {
  const view = makeView(models, context)
  return selected.flatMap((d) => d.compute(view))
}
