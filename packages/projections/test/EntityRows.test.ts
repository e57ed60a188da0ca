/**
 * The read models as rows (ADR 0046, step 1): folding new events into only the rows they touch,
 * loaded on demand, then merging those rows back, gives the state a fold of the whole log gives.
 * The oracle is the fold of today (`ReadModels.projection` over every event); the histories mix
 * every family (the synthetic units), amendments and recoveries across tenants (the generated
 * funding histories) and re-registrations.
 */
import { fc, test } from "@fast-check/vitest"
import { type Envelope, EventStore } from "@utblick/core"
import * as Synthetic from "@utblick/core/testing/Synthetic"
import { EntityRows, ReadModels, Shared } from "@utblick/projections"
import { Effect, Result, Stream } from "effect"
import { describe, expect, it } from "vitest"
import { fundingHistoryArb, type Step, store } from "./support.js"

type Decoded = readonly [Shared.Event, Envelope.StoredEvent]

const decode = (events: ReadonlyArray<Envelope.StoredEvent>): Array<Decoded> =>
  events.flatMap((stored) => {
    if (!ReadModels.projection.handles.includes(stored.type as Shared.Event["_tag"])) return []
    const decoded = Shared.catalog.decode(stored)
    if (Result.isFailure(decoded)) throw decoded.failure
    return [[decoded.success, stored] as const]
  })

const fold = (events: ReadonlyArray<Decoded>) => {
  let state = ReadModels.projection.initialState()
  for (const [event, envelope] of events) state = ReadModels.projection.evolve(state, event, envelope)
  return state
}

const synthetic = (units: ReadonlyArray<number>) =>
  Effect.gen(function* () {
    const log = yield* EventStore.EventStore
    for (const u of units) yield* log.append(`unit-${u}`, Synthetic.unit(u))
    return yield* Stream.runCollect(log.readAll())
  }).pipe(Effect.provide(EventStore.layerMemory()), Effect.runPromise)

// An organisation registered again under another focus area, a membership signed again after it
// ended (unit 0's, of tenant-0), and a trip proposed twice: a fold puts an entity it already holds,
// the trip without reading it first.
const proposed = (on: string): Step => ({
  occurredAt: on,
  tenant: "tenant-1",
  event: {
    _tag: "TripProposed",
    tripId: "t-again",
    organiserActorId: "actor-1",
    traveller: "subject-a",
    purpose: "Network meeting",
    destination: "Bryssel",
    departOn: on,
    returnOn: on,
    relatedTo: [],
    goalRefs: []
  }
})
const reRegistered: ReadonlyArray<Step> = [
  proposed("2021-02-01"),
  {
    occurredAt: "2021-01-01",
    tenant: "tenant-1",
    event: {
      _tag: "OrganisationRegistered",
      organisationId: "org-1",
      name: "Network 1, renamed",
      focusArea: "eu"
    }
  },
  {
    occurredAt: "2022-03-01",
    tenant: "tenant-0",
    event: {
      _tag: "MembershipSigned",
      actorId: "actor-0",
      organisationId: "org-0",
      kind: "member",
      joinedYear: 2022
    }
  },
  proposed("2022-02-01")
]

const sortedRows = (rows: ReadonlyArray<EntityRows.Row>) =>
  [...rows].sort((a, b) => `${a.model}|${a.tenant}|${a.id}`.localeCompare(`${b.model}|${b.tenant}|${b.id}`))

/** A row store: the rows of a state kept as structured clones, loaded as fresh copies. */
const rowStore = (state: ReturnType<typeof fold>) => {
  const { whole, rows } = EntityRows.split(structuredClone(state))
  const kept = new Map(rows.map((r) => [`${r.model}\u0000${r.tenant}\u0000${r.id}`, r]))
  const asked: Array<EntityRows.RowKey> = []
  return {
    whole: () => structuredClone(whole),
    asked,
    load: (keys: ReadonlyArray<EntityRows.RowKey>) => {
      asked.push(...keys)
      return Effect.sync(() =>
        keys.flatMap((k) => {
          const row = kept.get(`${k.model}\u0000${k.tenant}\u0000${k.id}`)
          return row === undefined ? [] : [structuredClone(row)]
        })
      )
    },
    merge: (caught: EntityRows.CaughtUp) => {
      for (const r of caught.after) kept.set(`${r.model}\u0000${r.tenant}\u0000${r.id}`, r)
      return EntityRows.assemble(caught.whole, kept.values())
    }
  }
}

describe("EntityRows", () => {
  it("split and assemble are inverse", async () => {
    const state = fold(decode(await synthetic([0, 1, 2, 3])))
    const { whole, rows } = EntityRows.split(state)
    // 4 units: each 14 applications, 1 membership, 1 agreement and trips; budgets are whole.
    expect(rows.filter((r) => r.model === "portfolio.applications")).toHaveLength(56)
    expect(rows.filter((r) => r.model === "memberships.memberships")).toHaveLength(4)
    expect(rows.filter((r) => r.model === "agreements.agreements")).toHaveLength(4)
    expect(EntityRows.assemble(whole, rows)).toEqual(state)
  })

  test.prop(
    [
      fc.uniqueArray(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 4 }),
      fundingHistoryArb,
      fc.boolean(),
      // A cut anywhere in the log (a fraction would mostly be 0 or 1: fast-check favours the bounds).
      fc.integer({ min: 0, max: 1_000_003 })
    ],
    { numRuns: 60 }
  )(
    "folding the tail into the rows it touches, then merging them, gives the fold of the whole log",
    async (units, funding, reRegister, cut) => {
      const log = [
        ...decode(await synthetic(units)),
        ...decode(await store(funding)),
        ...(reRegister ? decode(await store(reRegistered)) : [])
      ]
      const k = cut % (log.length + 1)
      const head = fold(log.slice(0, k))
      const tail = log.slice(k)
      const rows = rowStore(head)
      const caught = Effect.runSync(EntityRows.catchUp(rows.whole, tail, rows.load))
      const whole = fold(log)
      expect(rows.merge(caught)).toEqual(whole)
      // The rows created come in the order a fold of the whole log lists them: after the head's,
      // tenants in the order of their first new row, each tenant's rows in creation order.
      for (const model of EntityRows.models) {
        const order = (state: typeof whole) => EntityRows.split(state).rows.filter((r) => r.model === model)
        const expected = order(head).map((r) => [r.tenant, r.id])
        const headTenants = new Set(expected.map(([t]) => t))
        const newTenants = [
          ...new Set(
            caught.created.filter((c) => c.model === model && !headTenants.has(c.tenant)).map((c) => c.tenant)
          )
        ]
        const byTenant = (tenant: string) => [
          ...expected.filter(([t]) => t === tenant),
          ...caught.created
            .filter((c) => c.model === model && c.tenant === tenant)
            .map((c) => [c.tenant, c.id])
        ]
        expect(order(whole).map((r) => [r.tenant, r.id])).toEqual(
          [...headTenants, ...newTenants].flatMap((t) => byTenant(t as string))
        )
      }
      // Only rows the tail names are read: at most one entity per event (none for registrations).
      const distinct = new Set(rows.asked.map((r) => `${r.model}|${r.tenant}|${r.id}`))
      expect(caught.after.length).toBeLessThanOrEqual(tail.length)
      expect(distinct.size).toBeLessThanOrEqual(tail.length)
      // The rows before are the head's own, untouched by the fold.
      const headRows = new Map(EntityRows.split(head).rows.map((r) => [`${r.model}|${r.tenant}|${r.id}`, r]))
      expect(sortedRows(caught.before)).toEqual(
        sortedRows(caught.before.map((r) => headRows.get(`${r.model}|${r.tenant}|${r.id}`) as EntityRows.Row))
      )
    }
  )

  it("asks again for a row an earlier event of the tail created, and reads no other; folds once when it is new", async () => {
    const events = decode(await synthetic([0]))
    const head = fold(events.slice(0, 10))
    const rows = rowStore(head)
    // Events 10 and 11 are app-0-1's received and assessed; 12 its grant.
    const tail = events.slice(10, 13)
    expect(tail.map(([e]) => e._tag)).toEqual([
      "ApplicationReceived",
      "ApplicationAssessed",
      "BusinessSupportGranted"
    ])
    const caught = Effect.runSync(EntityRows.catchUp(rows.whole, tail, rows.load))
    // The one row the fold missed does not exist: the fold saw it as it is, and stands.
    expect(caught.rounds).toBe(1)
    expect(caught.before).toEqual([])
    expect(caught.created).toEqual([{ model: "portfolio.applications", tenant: "tenant-0", id: "app-0-1" }])
    expect(caught.after.map((r) => [r.model, r.tenant, r.id])).toEqual([
      ["portfolio.applications", "tenant-0", "app-0-1"]
    ])
    expect(rows.asked.map((r) => r.id)).toEqual(["app-0-1", "app-0-1"])
  })
})

describe("EntityRows.copyWhole", () => {
  it("gives parts read whole that folds may change without changing the whole they were copied from", async () => {
    const allotted = (amount: number): Step => ({
      occurredAt: "2022-01-10",
      event: {
        _tag: "AppropriationAllotted",
        regionId: "norrbotten",
        year: 2022,
        appropriation: "1:1",
        appropriationName: "Regionala tillväxtåtgärder",
        amount
      }
    })
    const registered = (focusArea: "regional-arctic" | "eu"): Step => ({
      occurredAt: "2022-01-11",
      event: { _tag: "OrganisationRegistered", organisationId: "org-1", name: "Nätverket", focusArea }
    })
    const events = decode(
      await store([allotted(100), registered("regional-arctic"), allotted(50), registered("eu")])
    )
    // The whole after the first two events; the last two folded into a copy, twice over, as the
    // rounds of a catch-up fold a segment.
    const whole = EntityRows.split(fold(events.slice(0, 2))).whole
    const before = structuredClone(whole)
    for (let round = 0; round < 2; round++) {
      let state = EntityRows.assemble(EntityRows.copyWhole(whole), [])
      for (const [event, envelope] of events.slice(2))
        state = ReadModels.projection.evolve(state, event, envelope)
      // Each round starts from 100 öre allotted: 150 after it, never 200.
      expect(state.portfolio.budgets.get("region-norrbotten")?.get("norrbotten|2022")?.appropriation).toBe(
        150
      )
      expect(state.memberships.organisations.get("org-1")?.focusArea).toBe("eu")
    }
    expect(whole).toEqual(before)
    expect(whole.budgets.get("region-norrbotten")?.get("norrbotten|2022")?.appropriation).toBe(100)
    expect(whole.organisations.get("org-1")?.focusArea).toBe("regional-arctic")
  })
})
