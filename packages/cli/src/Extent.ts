/**
 * The log's extent: which tenants it holds and the years their events are dated in, kept as a
 * persisted projection beside the read models, and the check that refuses a question about
 * nothing (a tenant the log does not hold, a year outside its events).
 *
 * @since 0.2.0
 */
import { type EventStore, type EventStoreError, Events, Projection } from "@utblick/core"
import { Effect } from "effect"
import { Finding } from "./CliFailure.js"

/**
 * What a store holds: per tenant, the first and last business year of its events.
 *
 * @category models
 * @since 0.2.0
 */
export interface Extent {
  readonly tenants: ReadonlyMap<
    string,
    { readonly first: number; readonly last: number; readonly events: number }
  >
}

type ExtentState = Map<string, { first: number; last: number; events: number }>

// The extent as a projection over every event of the domain, so that it is persisted beside the
// read models (ADR 0035): a report checks its tenant and years against the state kept at the last
// report plus the events appended since, instead of scanning the whole log each time. It reads
// only the events' heads: on a first report of a large SQLite log, decoding every record for its
// tenant and date took longer than the heads' whole scan.
const extentProjection: Projection.HeadProjection<ExtentState> = {
  name: "log-extent",
  version: 1,
  handles: [...Events.eventCatalog.definitions.keys()],
  initialState: () => new Map(),
  // The state belongs to this run alone (ADR 0006): updated in place, as the read models are.
  evolve: (tenants, e) => {
    const year = Number(e.occurredAt.slice(0, 4))
    const t = tenants.get(e.tenant)
    if (t === undefined) tenants.set(e.tenant, { first: year, last: year, events: 1 })
    else {
      t.first = Math.min(t.first, year)
      t.last = Math.max(t.last, year)
      t.events += 1
    }
    return tenants
  }
}

/**
 * The tenants the log holds and the years their events are dated in: one pass over the log's
 * event heads, or with persisted read models, the kept extent plus the events appended since.
 *
 * @category utils
 * @since 0.2.0
 */
export const extent: Effect.Effect<Extent, EventStoreError.EventStoreError, EventStore.EventStore> =
  Effect.map(Projection.runHeads(extentProjection), (snapshot) => ({ tenants: snapshot.state }))

const span = (t: { readonly first: number; readonly last: number }) =>
  t.first === t.last ? `${t.first}` : `${t.first}–${t.last}`

/**
 * The tenants of a store with the years of their events, as one line each.
 *
 * @category formatting
 * @since 0.2.0
 */
export const describeExtent = (e: Extent): ReadonlyArray<string> =>
  [...e.tenants]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, t]) => `${name}: ${t.events} events dated ${span(t)}`)

/**
 * Refuses a question about nothing: a tenant the store does not hold, or a year outside the
 * years its events are dated in. A report of zeros for a misspelt tenant would look like an
 * answer; this names what exists instead (exit code 1).
 *
 * A year after the last dated event is accepted up to the current year (`thisYear`): memberships
 * and agreements carry forward, so "as of the end of 2025" is a fair question about a log whose
 * last event is from 2024. A later year is refused.
 *
 * @category verification
 * @since 0.2.0
 */
export const checkScope = (
  e: Extent,
  tenant: string | undefined,
  years: ReadonlyArray<number>,
  thisYear: number
): Effect.Effect<void, Finding> => {
  const existing = describeExtent(e)
  if (e.tenants.size === 0) {
    return Effect.fail(
      new Finding({ problem: "the store holds no events", hint: "import data first: utblick import FILE" })
    )
  }
  if (tenant !== undefined && !e.tenants.has(tenant)) {
    const near = [...e.tenants.keys()].find((t) => t.toLowerCase() === tenant.toLowerCase())
    return Effect.fail(
      new Finding({
        problem: `the store holds no events for tenant ${JSON.stringify(tenant)}`,
        details: ["tenants in the store:", ...existing.map((l) => `  ${l}`)],
        hint:
          near === undefined
            ? "give one of the tenants above with --tenant"
            : `did you mean --tenant ${near}? (tenant ids are case-sensitive)`
      })
    )
  }
  const scope = tenant === undefined ? [...e.tenants.values()] : [e.tenants.get(tenant)!]
  const first = Math.min(...scope.map((t) => t.first))
  const last = Math.max(...scope.map((t) => t.last))
  const outside = years.filter((y) => y < first || y > Math.max(last, thisYear))
  if (outside.length > 0) {
    return Effect.fail(
      new Finding({
        problem: `no data for ${outside.join(", ")}: the events of ${tenant ?? "the store"} are dated ${span({ first, last })}`,
        details: ["tenants in the store:", ...existing.map((l) => `  ${l}`)],
        hint: `ask for a year from ${first} on (after ${last}, the last year with events, the state carries forward up to the current year)`
      })
    )
  }
  return Effect.void
}
