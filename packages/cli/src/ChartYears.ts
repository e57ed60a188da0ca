/**
 * The years a chart of a report or comparison shows.
 *
 * @since 0.2.0
 */
import {
  type Agreements,
  EntityRows,
  FundingPortfolio,
  type Memberships,
  type Trips
} from "@utblick/projections"
import { Effect } from "effect"
import * as Entities from "./Entities.js"

/**
 * Every year of a chart, from the first year with data (grants, trips, memberships, agreements)
 * within [from, to] up to `to`. A year in which nothing was recorded still has a state (the
 * memberships of 2019 are active in 2020), so it is computed as of its own end, not left out.
 *
 * @category utils
 * @since 0.2.0
 */
export const chartYears = (
  tenant: string | undefined,
  knownAt: string | undefined,
  from: number,
  to: number
) =>
  Effect.map(dataYears(tenant, knownAt), (years) => {
    const first = years.filter((y) => y >= from && y <= to).reduce((a, b) => Math.min(a, b), to)
    return Array.from({ length: to - first + 1 }, (_, i) => first + i)
  })

// The years an entity of each read model has data in.
const yearsOfRecord: { readonly [M in EntityRows.Model]: (record: unknown) => ReadonlyArray<number> } = {
  "portfolio.applications": (r) => FundingPortfolio.applicationYears(r as FundingPortfolio.ApplicationRecord),
  "trips.trips": (r) => [(r as Trips.TripRecord).year],
  "memberships.memberships": (r) => [Number((r as Memberships.MembershipRecord).since.slice(0, 4))],
  "agreements.agreements": (r) => {
    const signed = (r as Agreements.AgreementRecord).signedYear
    return signed === null ? [] : [signed]
  }
}

// The years with budgets, applications or decisions, trips, memberships or agreements, whatever
// their business date: from the rows kept for the tenant and `--known-at` (ADR 0050; the rows a
// grant filter's refusal reads too), or from the read-model state where the store keeps none.
const dataYears = (tenant: string | undefined, knownAt: string | undefined) =>
  Effect.gen(function* () {
    const filter = {
      ...(tenant === undefined ? {} : { tenant }),
      ...(knownAt === undefined ? {} : { knownAt })
    }
    let years = new Set<number>()
    const whole = yield* Entities.each(filter, EntityRows.models, () => {
      years = new Set()
      return (row) => {
        for (const year of yearsOfRecord[row.model](row.record)) years.add(year)
      }
    })
    for (const year of FundingPortfolio.years({ applications: new Map(), budgets: whole.budgets }))
      years.add(year)
    return [...years].filter((y) => Number.isInteger(y)).sort((a, b) => a - b)
  })
