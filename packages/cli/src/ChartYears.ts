/**
 * The years a chart of a report or comparison shows.
 *
 * @since 0.2.0
 */
import { Agreements, FundingPortfolio, Memberships, ReadModels, Trips } from "@utblick/projections"
import { Effect } from "effect"

/**
 * Every year of a chart, from the first year with data (grants, trips, memberships, agreements)
 * within [from, to] up to `to`. A year in which nothing was recorded still has a state (the
 * memberships of 2019 are active in 2020), so it is computed as of its own end, not left out.
 *
 * @category utils
 * @since 0.2.0
 */
export const chartYears = (tenant: string | undefined, knownAt: string | undefined, from: number, to: number) =>
  Effect.map(dataYears(tenant, knownAt), (years) => {
    const first = years.filter((y) => y >= from && y <= to).reduce((a, b) => Math.min(a, b), to)
    return Array.from({ length: to - first + 1 }, (_, i) => first + i)
  })

// The years with grants, trips, memberships or agreements.
const dataYears = (tenant: string | undefined, knownAt: string | undefined) =>
  Effect.map(
    ReadModels.run({
      ...(tenant === undefined ? {} : { tenant }),
      ...(knownAt === undefined ? {} : { knownAt })
    }),
    (snapshot) => {
      const filter = tenant === undefined ? {} : { tenant }
      const years = new Set<number>(FundingPortfolio.years(snapshot.state.portfolio, filter))
      for (const t of Trips.all(snapshot.state.trips, filter)) years.add(t.year)
      for (const m of Memberships.all(snapshot.state.memberships, filter))
        years.add(Number(m.since.slice(0, 4)))
      for (const a of Agreements.all(snapshot.state.agreements, filter))
        if (a.signedYear !== null) years.add(a.signedYear)
      return [...years].filter((y) => Number.isInteger(y)).sort((a, b) => a - b)
    }
  )

