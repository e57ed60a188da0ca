/**
 * The shape every part of the year sums shares (ADR 0046): the sums, the models read whole, the
 * separator of key parts and the reading of one sum. Its own module so that the contributions
 * (`YearSums`) and the finish (`internal/finishSums`) both import it and neither the other.
 *
 * @since 0.3.0
 */
import type { FundingPortfolio, Memberships, RegistryModel } from "@utblick/projections"

/**
 * The integer sums of a year: namespace → key → non-zero integer (see `YearSums.contribute` for
 * the namespaces). A key at 0 is absent, and so is a namespace without keys. Two levels so that
 * an indicator reads only its own namespaces, and the large ones (the first-seen positions, one
 * per (scheme, code)) can be read or stored apart.
 *
 * @category models
 * @since 0.3.0
 */
export type Sums = Map<string, Map<string, number>>

/**
 * What `finish` reads whole: the registry, the organisations' focus areas and the budgets.
 *
 * @category models
 * @since 0.3.0
 */
export interface Whole {
  readonly registry: RegistryModel.RegistryState
  readonly organisations: Memberships.MembershipsState["organisations"]
  readonly budgets: FundingPortfolio.PortfolioState["budgets"]
}

// The separator of key parts: ids do not contain control characters.
export const S = "\u001f"

/**
 * One sum (0 when absent).
 *
 * @category getters
 * @since 0.3.0
 */
export const valueAt = (sums: Sums, namespace: string, key = ""): number => sums.get(namespace)?.get(key) ?? 0
