/**
 * The read models as rows: each entity (an application, a membership, an agreement, a trip) one
 * row keyed by its model, tenant and id, beside the small parts every query reads whole (the
 * registry, the memberships' organisations, the budgets: one per region and year). A catch-up
 * then folds new events into the few rows they touch instead of into the whole state (ADR 0046,
 * step 1).
 *
 * Which rows an event touches is not declared anywhere: the folds are run on a partial state whose
 * entity maps note every id they are asked for and do not hold, those rows are loaded, and the
 * fold is run again until it asks for nothing new. The folds reach entities only through
 * `Shared.entity`, `entityOrNew` and `putEntity`, so what they ask for is exactly what they read,
 * and no list of event fields can drift from the folds.
 *
 * @since 0.3.0
 */
import type { Envelope } from "@utblick/core"
import { Effect } from "effect"
import type { Agreements, FundingPortfolio, Memberships, Trips } from "./index.js"
import * as ReadModels from "./ReadModels.js"
import type { ByTenant, Event } from "./Shared.js"

/**
 * The read models' entity maps, each named `part.field` as in {@link ReadModels.ReadModelsState}.
 *
 * @category models
 * @since 0.3.0
 */
export type Model =
  | "portfolio.applications"
  | "memberships.memberships"
  | "agreements.agreements"
  | "trips.trips"

/**
 * Every entity model, in a fixed order.
 *
 * @category models
 * @since 0.3.0
 */
export const models: ReadonlyArray<Model> = [
  "portfolio.applications",
  "memberships.memberships",
  "agreements.agreements",
  "trips.trips"
]

/**
 * Where a row lives: its model, tenant and entity id.
 *
 * @category models
 * @since 0.3.0
 */
export interface RowKey {
  readonly model: Model
  readonly tenant: string
  readonly id: string
}

/**
 * One entity as a row.
 *
 * @category models
 * @since 0.3.0
 */
export interface Row extends RowKey {
  readonly record: unknown
}

/**
 * The parts of the read models that are read whole, kept as one value each.
 *
 * @category models
 * @since 0.3.0
 */
export interface Whole {
  readonly registry: ReadModels.ReadModelsState["registry"]
  readonly organisations: Memberships.MembershipsState["organisations"]
  readonly budgets: FundingPortfolio.PortfolioState["budgets"]
}

type Maps = { readonly [M in Model]: ByTenant<unknown> }

/**
 * A copy of the parts read whole that folds may change without changing `whole`: what a
 * {@link catchUp} round starts from. Registry and organisation records are never changed, only
 * replaced (their fields are `readonly`), so their maps are copied and the records shared; a
 * budget's sums are changed in place, so each budget is copied. Far cheaper than a structured
 * clone (a million-event log holds thousands of organisations).
 *
 * @category constructors
 * @since 0.3.0
 */
export const copyWhole = (whole: Whole): Whole => ({
  registry: {
    actors: { ...whole.registry.actors },
    organisations: { ...whole.registry.organisations },
    schemes: { ...whole.registry.schemes },
    mappings: { ...whole.registry.mappings }
  },
  organisations: new Map(whole.organisations),
  budgets: new Map(
    Array.from(whole.budgets, ([tenant, ofTenant]) => [
      tenant,
      new Map(Array.from(ofTenant, ([key, budget]) => [key, { ...budget }]))
    ])
  )
})

const wholeOf = (state: ReadModels.ReadModelsState): Whole => ({
  registry: state.registry,
  organisations: state.memberships.organisations,
  budgets: state.portfolio.budgets
})

const mapsOf = (state: ReadModels.ReadModelsState): Maps => ({
  "portfolio.applications": state.portfolio.applications,
  "memberships.memberships": state.memberships.memberships,
  "agreements.agreements": state.agreements.agreements,
  "trips.trips": state.trips.trips
})

const stateOf = (whole: Whole, maps: Maps): ReadModels.ReadModelsState => ({
  registry: whole.registry,
  memberships: {
    organisations: whole.organisations,
    memberships: maps["memberships.memberships"] as ByTenant<Memberships.MembershipRecord>
  },
  agreements: { agreements: maps["agreements.agreements"] as ByTenant<Agreements.AgreementRecord> },
  portfolio: {
    applications: maps["portfolio.applications"] as ByTenant<FundingPortfolio.ApplicationRecord>,
    budgets: whole.budgets
  },
  trips: { trips: maps["trips.trips"] as ByTenant<Trips.TripRecord> }
})

/**
 * The rows of a state: every entity of every model, and the parts read whole.
 *
 * @category getters
 * @since 0.3.0
 */
export const split = (
  state: ReadModels.ReadModelsState
): { readonly whole: Whole; readonly rows: Array<Row> } => {
  const rows: Array<Row> = []
  const maps = mapsOf(state)
  for (const model of models) {
    for (const [tenant, ofTenant] of maps[model]) {
      for (const [id, record] of ofTenant) rows.push({ model, tenant, id, record })
    }
  }
  return { whole: wholeOf(state), rows }
}

/**
 * A state made of the parts read whole and the given rows (all of them: the whole state; some: a
 * partial state that only folds may use, not queries).
 *
 * @category constructors
 * @since 0.3.0
 */
export const assemble = (whole: Whole, rows: Iterable<Row>): ReadModels.ReadModelsState => {
  const maps = Object.fromEntries(models.map((m) => [m, new Map()])) as { [M in Model]: ByTenant<unknown> }
  for (const row of rows) {
    const byTenant = maps[row.model]
    let ofTenant = byTenant.get(row.tenant)
    if (ofTenant === undefined) {
      ofTenant = new Map()
      byTenant.set(row.tenant, ofTenant)
    }
    ofTenant.set(row.id, row.record)
  }
  return stateOf(whole, maps)
}

/** A stable string for a row key (model, tenant and id may hold any character but NUL). */
const keyString = (key: RowKey): string => `${key.model}\u0000${key.tenant}\u0000${key.id}`

// An entity map of one tenant that notes each id asked for or given and not held (a row to load),
// and each id it is given that it did not hold (an entity the fold created, once all are loaded).
class NotingMap extends Map<string, unknown> {
  readonly #onMiss: (id: string) => void
  readonly #onCreate: (id: string) => void
  constructor(onMiss: (id: string) => void, onCreate: (id: string) => void) {
    super()
    this.#onMiss = onMiss
    this.#onCreate = onCreate
  }
  override get(id: string): unknown {
    const found = super.get(id)
    if (found === undefined) this.#onMiss(id)
    return found
  }
  override set(id: string, value: unknown): this {
    // A fold may put an entity without reading it first (a trip proposed again replaces its
    // record): the row it replaces must be loaded too, or it would count as new.
    if (!super.has(id)) {
      this.#onMiss(id)
      this.#onCreate(id)
    }
    return super.set(id, value)
  }
}

// The tenants' maps of one model: a tenant asked for gets its noting map, so that the id asked of
// it next is noted with the tenant.
class NotingTenants extends Map<string, Map<string, unknown>> {
  readonly #make: (tenant: string) => Map<string, unknown>
  constructor(make: (tenant: string) => Map<string, unknown>) {
    super()
    this.#make = make
  }
  override get(tenant: string): Map<string, unknown> {
    let found = super.get(tenant)
    if (found === undefined) {
      found = this.#make(tenant)
      this.set(tenant, found)
    }
    return found
  }
}

/**
 * The result of {@link catchUp}: every row the events touched, as it is after them (rows read and
 * left as they were included), the rows as they were before, for the figures to move by the
 * difference (a row absent before has none), and the rows the events created, in the order they
 * were created (the order a fold of the whole log would list them in).
 *
 * @category models
 * @since 0.3.0
 */
export interface CaughtUp {
  readonly whole: Whole
  readonly after: ReadonlyArray<Row>
  readonly before: ReadonlyArray<Row>
  readonly created: ReadonlyArray<RowKey>
  /** How many times the events were folded before they asked for no row not yet loaded. */
  readonly rounds: number
}

/**
 * Folds `events` into the rows they touch. `load` gives fresh copies of the rows asked for that
 * exist (a row it does not give is absent); it is asked only for rows the folds ask for, and
 * `whole` must give a copy the folds may change.
 *
 * @category running
 * @since 0.3.0
 */
export const catchUp = <E, R>(
  whole: () => Whole,
  events: ReadonlyArray<readonly [Event, Envelope.StoredEvent]>,
  load: (keys: ReadonlyArray<RowKey>) => Effect.Effect<ReadonlyArray<Row>, E, R>
): Effect.Effect<CaughtUp, E, R> =>
  Effect.gen(function* () {
    // Every row asked for so far; one the loader does not give is absent, and asking for it
    // again (as the fold that creates it does) is no new miss.
    const known = new Map<string, RowKey>()
    for (let rounds = 1; ; rounds++) {
      const missed = new Map<string, RowKey>()
      const created: Array<RowKey> = []
      let folding = false
      const base = whole()
      const loaded = yield* load([...known.values()])
      const maps = Object.fromEntries(
        models.map((model) => [
          model,
          new NotingTenants(
            (tenant) =>
              new NotingMap(
                (id) => {
                  const key = { model, tenant, id }
                  const s = keyString(key)
                  if (!known.has(s)) missed.set(s, key)
                },
                (id) => {
                  if (folding) created.push({ model, tenant, id })
                }
              )
          )
        ])
      ) as unknown as { [M in Model]: ByTenant<unknown> }
      for (const row of loaded)
        (maps[row.model].get(row.tenant) as Map<string, unknown>).set(row.id, row.record)
      folding = true
      let state = stateOf(base, maps)
      for (const [event, envelope] of events) state = ReadModels.projection.evolve(state, event, envelope)
      for (const [s, key] of missed) known.set(s, key)
      // The fold saw every row it missed as absent: if none of them exists, it saw the rows as
      // they are, and this round stands (a segment of new entities folds once).
      if (missed.size === 0 || (yield* load([...missed.values()])).length === 0) {
        const after: Array<Row> = []
        const now = mapsOf(state)
        for (const model of models) {
          for (const [tenant, ofTenant] of now[model]) {
            for (const [id, record] of ofTenant) after.push({ model, tenant, id, record })
          }
        }
        // The rows before are read again: the fold changed the loaded ones in place.
        const before = yield* load([...known.values()])
        return { whole: wholeOf(state), after, before, created, rounds }
      }
    }
  })
