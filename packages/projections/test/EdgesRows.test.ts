// The read models as rows (EntityRows) against values written out by hand: what the whole-package
// mutation run of 2026-12-06 (docs/reference/mutation.md, "## Projections") found unpinned. Every
// expected value below is written out from the events or the state given, not computed by the code
// under test.
import type { Envelope } from "@utblick/core"
import { EntityRows, ReadModels, Shared } from "@utblick/projections"
import { Effect, Result } from "effect"
import { describe, expect, it } from "vitest"
import { type Step, store } from "./support.js"

type Decoded = readonly [Shared.Event, Envelope.StoredEvent]

const decode = (events: ReadonlyArray<Envelope.StoredEvent>): Array<Decoded> =>
  events.map((stored) => {
    const decoded = Shared.catalog.decode(stored)
    if (Result.isFailure(decoded)) throw decoded.failure
    return [decoded.success, stored] as const
  })

const fold = (events: ReadonlyArray<Decoded>) => {
  let state = ReadModels.projection.initialState()
  for (const [event, envelope] of events) state = ReadModels.projection.evolve(state, event, envelope)
  return state
}

const L = "lulea-kommun"

const proposed = (departOn: string, purpose: string): Step => ({
  tenant: L,
  occurredAt: departOn,
  event: {
    _tag: "TripProposed",
    tripId: "t-1",
    organiserActorId: "actor-1",
    traveller: "subject-a",
    purpose,
    destination: "Bryssel",
    departOn,
    returnOn: departOn,
    relatedTo: [],
    goalRefs: []
  }
})

// A proposed trip's record as the trips fold writes it (Trips.ts, `TripProposed`): the event's
// fields, the year of its departure, status "proposed" and no evaluation yet.
const proposedRecord = (departOn: string, year: number, purpose: string) => ({
  tenant: L,
  tripId: "t-1",
  organiserActorId: "actor-1",
  traveller: "subject-a",
  purpose,
  destination: "Bryssel",
  departOn,
  year,
  relatedTo: [],
  goalRefs: [],
  status: "proposed",
  decision: null,
  mode: null,
  distanceKm: 0,
  co2eKg: 0,
  checklistAllYes: null,
  digitalAlternativeSufficient: null
})

describe("EntityRows, by hand", () => {
  it("loads the row a fold replaces without reading it (a trip proposed again): the row before is the head's, none is created, two rounds", async () => {
    const events = decode(
      await store([proposed("2023-03-01", "Network meeting"), proposed("2024-04-02", "Board meeting")])
    )
    // The head holds the first proposal; its one row kept as a structured clone.
    const { whole, rows } = EntityRows.split(fold(events.slice(0, 1)))
    const kept = structuredClone(rows)
    const asked: Array<string> = []
    const load = (keys: ReadonlyArray<EntityRows.RowKey>) =>
      Effect.sync(() => {
        asked.push(...keys.map((k) => `${k.model}|${k.tenant}|${k.id}`))
        return kept.filter((r) =>
          keys.some((k) => k.model === r.model && k.tenant === r.tenant && k.id === r.id)
        )
      })
    const caught = Effect.runSync(
      EntityRows.catchUp(
        () => EntityRows.copyWhole(whole),
        events.slice(1),
        (keys) => load(keys).pipe(Effect.map((found) => structuredClone(found)))
      )
    )
    // Round 1 puts t-1 as new and notes it; t-1 exists, so round 2 folds again with it loaded.
    expect(caught.rounds).toBe(2)
    expect(caught.created).toEqual([])
    expect(caught.before).toEqual([
      {
        model: "trips.trips",
        tenant: L,
        id: "t-1",
        record: proposedRecord("2023-03-01", 2023, "Network meeting")
      }
    ])
    expect(caught.after).toEqual([
      {
        model: "trips.trips",
        tenant: L,
        id: "t-1",
        record: proposedRecord("2024-04-02", 2024, "Board meeting")
      }
    ])
    // Asked: nothing known (round 1), the miss, the known row (round 2), the rows before.
    expect(asked).toEqual([
      "trips.trips|lulea-kommun|t-1",
      "trips.trips|lulea-kommun|t-1",
      "trips.trips|lulea-kommun|t-1"
    ])
  })
})

describe("EntityRows.copyWhole, by hand", () => {
  it("copies the registry's actors, organisations, schemes and mappings, and an entry put into the copy stays out of the whole", () => {
    const actor = { actorId: "actor-1", name: "Luleå kommun", kind: "municipality", tenant: L }
    const organisation = { organisationId: "org-1", name: "Nätverket", focusArea: "eu" }
    const scheme = {
      schemeId: "s3",
      name: "Smart specialisering",
      ownerActorId: "actor-1",
      validFrom: 2021,
      validTo: null,
      categories: [{ code: "s3-1", label: "Rymd" }]
    }
    const mapping = {
      mappingId: "m-1",
      fromSchemeId: "s3",
      toSchemeId: "rus",
      pairs: [{ from: "s3-1", to: "rus-2" }]
    }
    const whole: EntityRows.Whole = {
      registry: {
        actors: { "actor-1": actor },
        organisations: { "org-1": organisation },
        schemes: { s3: scheme },
        mappings: { "m-1": mapping }
      },
      organisations: new Map(),
      budgets: new Map()
    }
    const copy = EntityRows.copyWhole(whole)
    expect(copy.registry).toEqual({
      actors: { "actor-1": actor },
      organisations: { "org-1": organisation },
      schemes: { s3: scheme },
      mappings: { "m-1": mapping }
    })
    copy.registry.actors["actor-2"] = {
      actorId: "actor-2",
      name: "Region Norrbotten",
      kind: "region",
      tenant: L
    }
    copy.registry.organisations["org-2"] = { organisationId: "org-2", name: "Andra", focusArea: "eu" }
    copy.registry.schemes.rus = { ...scheme, schemeId: "rus" }
    copy.registry.mappings["m-2"] = { ...mapping, mappingId: "m-2" }
    expect(Object.keys(whole.registry.actors)).toEqual(["actor-1"])
    expect(Object.keys(whole.registry.organisations)).toEqual(["org-1"])
    expect(Object.keys(whole.registry.schemes)).toEqual(["s3"])
    expect(Object.keys(whole.registry.mappings)).toEqual(["m-1"])
  })
})
