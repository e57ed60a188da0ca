/**
 * All read models at once: one pass over the log folds every projection, so a report or an
 * indicator table costs a single replay.
 *
 * @since 0.1.0
 */
import { type EventCatalog, type EventStore, type EventStoreError, Projection } from "@utblick/core"
import type { Effect } from "effect"
import * as Agreements from "./Agreements.js"
import * as FundingPortfolio from "./FundingPortfolio.js"
import * as Memberships from "./Memberships.js"
import * as RegistryModel from "./RegistryModel.js"
import { catalog, type Event } from "./Shared.js"
import * as Trips from "./Trips.js"

/**
 * The state of every read model.
 *
 * @category models
 * @since 0.1.0
 */
export interface ReadModelsState {
  readonly registry: RegistryModel.RegistryState
  readonly memberships: Memberships.MembershipsState
  readonly agreements: Agreements.AgreementsState
  readonly portfolio: FundingPortfolio.PortfolioState
  readonly trips: Trips.TripsState
}

const parts = [
  ["registry", RegistryModel.projection],
  ["memberships", Memberships.projection],
  ["agreements", Agreements.projection],
  ["portfolio", FundingPortfolio.projection],
  ["trips", Trips.projection]
] as const

// Each event type goes to exactly one read model, except OrganisationRegistered, which both the
// registry and the memberships read (for focus areas). Dispatch by type avoids asking five folds.
const routes = new Map<string, Array<(typeof parts)[number]>>()
for (const part of parts) {
  for (const type of part[1].handles) {
    const list = routes.get(type) ?? []
    list.push(part)
    routes.set(type, list)
  }
}

/**
 * The combined projection: the versions of the parts are part of its version, so a change in any
 * part invalidates snapshots of the whole.
 *
 * @category projections
 * @since 0.1.0
 */
export const projection = Projection.make<ReadModelsState, Event>({
  name: "read-models",
  // Two digits per part, in a fixed order: any part's new version gives a new combined version.
  version: parts.reduce((version, [, part]) => version * 100 + part.version, 0),
  handles: [...routes.keys()] as ReadonlyArray<Event["_tag"]>,
  initialState: () => ({
    registry: RegistryModel.projection.initialState(),
    memberships: Memberships.projection.initialState(),
    agreements: Agreements.projection.initialState(),
    portfolio: FundingPortfolio.projection.initialState(),
    trips: Trips.projection.initialState()
  }),
  evolve: (state, event, envelope) => {
    const targets = routes.get(event._tag)
    if (targets === undefined) return state
    let next = state
    for (const [key, part] of targets) {
      const before = next[key]
      const after = (part.evolve as (s: typeof before, e: Event, env: typeof envelope) => typeof before)(
        before,
        event,
        envelope
      )
      if (after !== before) next = { ...next, [key]: after }
    }
    return next
  }
})

/**
 * Runs every read model over the store in one pass, on either clock.
 *
 * @category projections
 * @since 0.1.0
 */
export const run = (
  options: Projection.RunOptions<ReadModelsState> = {}
): Effect.Effect<
  Projection.Snapshot<ReadModelsState>,
  EventStoreError.EventStoreError | EventCatalog.EventDecodeError,
  EventStore.EventStore
> => Projection.run(projection, catalog, options)

/**
 * Runs every read model under several time filters in ONE pass over the log (e.g. the end of 2017
 * and the end of 2022 for a comparison): each event is read and decoded once.
 *
 * @category projections
 * @since 0.1.0
 */
export const runMany = (
  filters: ReadonlyArray<Projection.TimeFilter>
): Effect.Effect<
  ReadonlyArray<Projection.Snapshot<ReadModelsState>>,
  EventStoreError.EventStoreError | EventCatalog.EventDecodeError,
  EventStore.EventStore
> => Projection.runMany(projection, catalog, filters)

/**
 * {@link runMany}, lending the states to `use` (see `Projection.runManyWith`): a long-running
 * process holding `LiveStates` then folds only the new events into them next time. `use` must
 * not keep any state.
 *
 * @category projections
 * @since 0.2.0
 */
export const runManyWith = <A>(
  filters: ReadonlyArray<Projection.TimeFilter>,
  use: (snapshots: ReadonlyArray<Projection.Snapshot<ReadModelsState>>) => A
): Effect.Effect<A, EventStoreError.EventStoreError | EventCatalog.EventDecodeError, EventStore.EventStore> =>
  Projection.runManyWith(projection, catalog, filters, use)

/**
 * {@link runManyWith} for a `use` that is an effect (see `Projection.runManyWithEffect`): the
 * states stay lent until it ends, so it may write what it derives from them as it goes. `use`
 * must not change or keep any state.
 *
 * @category projections
 * @since 0.3.0
 */
export const runManyWithEffect = <A, E2, R2>(
  filters: ReadonlyArray<Projection.TimeFilter>,
  use: (snapshots: ReadonlyArray<Projection.Snapshot<ReadModelsState>>) => Effect.Effect<A, E2, R2>
): Effect.Effect<
  A,
  EventStoreError.EventStoreError | EventCatalog.EventDecodeError | E2,
  EventStore.EventStore | R2
> => Projection.runManyWithEffect(projection, catalog, filters, use)
