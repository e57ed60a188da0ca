// Shared test fixtures for the engine tests: a small registry history and a projection over it.
import { fc } from "@fast-check/vitest"
import {
  type Envelope,
  EventCatalog,
  EventStore,
  Projection,
  type ProjectionCheckpoints
} from "@utblick/core"
import * as Registry from "@utblick/core/events/Registry"
import { Arbitraries } from "@utblick/core/testing"
import { Effect, Stream } from "effect"
import { TestClock } from "effect/testing"

export const catalog = Registry.registryCatalog
export type RegistryEvent = Registry.RegistryEvent

/** Organisations per focus area, in the order they were registered, and the latest business date. */
export interface OrganisationsState {
  readonly byFocus: Readonly<Record<string, ReadonlyArray<string>>>
  readonly latest: string | null
  readonly count: number
}

export const organisations = Projection.make<OrganisationsState, RegistryEvent>({
  name: "test/organisations",
  version: 1,
  handles: ["OrganisationRegistered"],
  initialState: () => ({ byFocus: {}, latest: null, count: 0 }),
  evolve: (state, event, envelope) => {
    if (event._tag !== "OrganisationRegistered") return state
    return {
      byFocus: {
        ...state.byFocus,
        [event.focusArea]: [...(state.byFocus[event.focusArea] ?? []), event.name]
      },
      latest:
        state.latest === null || envelope.occurredAt > state.latest ? envelope.occurredAt : state.latest,
      count: state.count + 1
    }
  }
})

export const organisationRegistered = (
  organisationId: string,
  focusArea: Registry.FocusArea,
  name = organisationId.toUpperCase()
): RegistryEvent => ({ _tag: "OrganisationRegistered", organisationId, name, focusArea })

/** Wraps a domain event into an event ready to append. */
export const toAppend = (
  event: RegistryEvent,
  occurredAt: string,
  tenant = "lulea-kommun"
): Envelope.EventToAppend => {
  const encoded = EventCatalog.make([]).concat(catalog).encode(event)
  if (encoded._tag === "Failure") throw encoded.failure
  return { ...encoded.success, occurredAt, tenant, actor: { id: "registrar", role: "registrar" } }
}

/** A generated history: organisations registered on business dates, each recorded after a clock step. */
export const historyArb = fc.array(
  fc.record({
    id: fc.integer({ min: 1, max: 40 }).map((n) => `org-${n}`),
    focus: fc.constantFrom<Registry.FocusArea>("regional-arctic", "eu", "other"),
    occurredAt: Arbitraries.calendarDate(2015, 2024),
    tenant: fc.constantFrom("lulea-kommun", "region-norrbotten"),
    stepMillis: fc.integer({ min: 0, max: 86_400_000 * 30 })
  }),
  { minLength: 0, maxLength: 40 }
)

/** The clock the checkpoint and live-state properties start from. */
export const CLOCK_START = Date.UTC(2023, 0, 1)

/** A random time filter over the histories above: a business date, a recorded instant, a tenant. */
export const filterArb = fc.record(
  {
    asOf: fc.integer({ min: 2014, max: 2025 }).map((y) => `${y}-06-30`),
    knownAt: fc
      .integer({ min: 0, max: 86_400_000 * 400 })
      .map((o) => new Date(CLOCK_START + o).toISOString()),
    tenant: fc.constantFrom("lulea-kommun", "region-norrbotten")
  },
  { requiredKeys: [] }
)

/** The events a filter lets through, chosen by hand (not by the runtime): the oracle's input. */
export const passing = (events: ReadonlyArray<Envelope.StoredEvent>, filter: Projection.TimeFilter) =>
  events.filter(
    (e) =>
      (filter.asOf === undefined || e.occurredAt <= filter.asOf) &&
      (filter.knownAt === undefined || e.recordedAt <= filter.knownAt) &&
      (filter.tenant === undefined || e.tenant === filter.tenant)
  )

/**
 * The edge tests' log (ProjectionEdges, ProjectionRuntimeEdges), recorded one day apart from
 * 2023-01-02T00:00:00.000Z: position 0 UBC (regional-arctic, occurred 2022-05-01, Luleå),
 * 1 SERN (eu, 2022-12-31, Norrbotten), 2 EUROCITIES (eu, 2023-01-01, Luleå), and at position 3 an
 * event of a type the projection does not handle, with a payload that would not decode as one it does.
 */
export const appendEdgeLog = Effect.gen(function* () {
  const store = yield* EventStore.EventStore
  const steps = [
    organisationRegistered("ubc", "regional-arctic"),
    organisationRegistered("sern", "eu"),
    organisationRegistered("eurocities", "eu")
  ] as const
  const dates = ["2022-05-01", "2022-12-31", "2023-01-01"]
  const tenants = ["lulea-kommun", "region-norrbotten", "lulea-kommun"]
  for (const [i, event] of steps.entries()) {
    yield* TestClock.setTime(Date.UTC(2023, 0, 2) + i * 86_400_000)
    yield* store.append(`organisation-${i}`, [toAppend(event, dates[i] as string, tenants[i])])
  }
  yield* store.append("other", [
    {
      type: "SomethingElse",
      schemaVersion: 1,
      occurredAt: "2023-01-01",
      tenant: "lulea-kommun",
      actor: { id: "x", role: "y" },
      payload: { focusArea: "mars" }
    }
  ])
})

/**
 * A checkpoint store that says it is disabled and records every call made to it anyway: a run
 * must make none.
 */
export const disabledRecording = (
  calls: Array<string>
): ProjectionCheckpoints.ProjectionCheckpointsShape => ({
  enabled: false,
  saveEvery: 1,
  load: () => Effect.sync(() => void calls.push("load")),
  peek: () => Effect.sync(() => void calls.push("peek")),
  save: () => Effect.sync(() => void calls.push("save")),
  count: Effect.succeed(0),
  clear: Effect.void
})

/** The heads of a store's events, as a store that reads them from columns gives them. */
export const headsOf =
  (store: EventStore.EventStoreShape): NonNullable<EventStore.EventStoreShape["readHeads"]> =>
  (options) =>
    store.readAll(options).pipe(
      Stream.map(({ position, type, tenant, occurredAt, recordedAt, hash }) => ({
        position,
        type,
        tenant,
        occurredAt,
        recordedAt,
        hash
      }))
    )

/** Luleå's executive board, the actor that signs a membership in the command tests. */
export const board = { id: "lulea-kommunstyrelsen", role: "executive-board" }

/** The command "Luleå kommun joins UBC as a member in 2003", with any field replaced by `extra`. */
export const signMembership = (extra: Record<string, unknown> = {}) => ({
  _tag: "SignMembership",
  tenant: "lulea-kommun",
  occurredAt: "2003-01-01",
  actor: board,
  actorId: "lulea-kommun",
  organisationId: "ubc",
  kind: "member",
  ...extra
})
