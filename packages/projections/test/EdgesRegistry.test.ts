// The registry read model, the shared helpers and the combined read models against values written
// out by hand (mutation testing found these unpinned).
import { EventStore, Events, Projection } from "@utblick/core"
import { ReadModels, RegistryModel, Shared } from "@utblick/projections"
import { Effect, Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { type Step, store } from "./support.js"

const fold = (events: Parameters<typeof Projection.foldEvents>[2]) => {
  const result = Projection.foldEvents(RegistryModel.projection, Shared.catalog, events)
  if (Result.isFailure(result)) throw result.failure
  return result.success
}

const registry: ReadonlyArray<Step> = [
  { tenant: "lulea-kommun", occurredAt: "2020-01-01", event: { _tag: "ActorRegistered", actorId: "lulea-kommun", name: "Luleå kommun", kind: "municipality" } },
  { tenant: "region-norrbotten", occurredAt: "2020-01-01", event: { _tag: "ActorRegistered", actorId: "run", name: "Regionala utvecklingsnämnden", kind: "board", parentActorId: "region-norrbotten" } },
  { occurredAt: "2020-01-02", event: { _tag: "OrganisationRegistered", organisationId: "ubc", name: "Union of the Baltic Cities", focusArea: "regional-arctic", description: "network" } },
  {
    occurredAt: "2020-01-03",
    event: {
      _tag: "ClassificationSchemeAdopted",
      schemeId: "s3-2017",
      name: "Smart specialisering 2017",
      ownerActorId: "region-norrbotten",
      validFrom: 2017,
      categories: [
        { code: "s3-1", label: "Rymd" },
        { code: "s3-2", label: "Testverksamhet" }
      ]
    }
  },
  {
    occurredAt: "2020-01-04",
    event: {
      _tag: "ClassificationSchemeAdopted",
      schemeId: "s3-2022",
      name: "Smart specialisering 2022",
      ownerActorId: "region-norrbotten",
      validFrom: 2022,
      validTo: 2027,
      categories: [{ code: "space", label: "Rymd och geodata" }]
    }
  },
  { occurredAt: "2020-01-05", event: { _tag: "SchemeMappingDefined", mappingId: "m-17-22", fromSchemeId: "s3-2017", toSchemeId: "s3-2022", pairs: [{ from: "s3-1", to: "space" }] } },
  { occurredAt: "2020-01-06", event: { _tag: "SchemeMappingDefined", mappingId: "m-22-17", fromSchemeId: "s3-2022", toSchemeId: "s3-2017", pairs: [{ from: "space", to: "s3-1" }] } }
]

describe("registry read model, by hand", () => {
  it("keeps actors with their tenant, organisations, schemes (open-ended or not) and mappings", async () => {
    const state = fold(await store(registry))
    expect(state.actors).toEqual({
      "lulea-kommun": { actorId: "lulea-kommun", name: "Luleå kommun", kind: "municipality", tenant: "lulea-kommun" },
      run: { actorId: "run", name: "Regionala utvecklingsnämnden", kind: "board", tenant: "region-norrbotten" }
    })
    expect(state.organisations).toEqual({ ubc: { organisationId: "ubc", name: "Union of the Baltic Cities", focusArea: "regional-arctic" } })
    expect(state.schemes).toEqual({
      "s3-2017": {
        schemeId: "s3-2017",
        name: "Smart specialisering 2017",
        ownerActorId: "region-norrbotten",
        validFrom: 2017,
        validTo: null,
        categories: [
          { code: "s3-1", label: "Rymd" },
          { code: "s3-2", label: "Testverksamhet" }
        ]
      },
      "s3-2022": {
        schemeId: "s3-2022",
        name: "Smart specialisering 2022",
        ownerActorId: "region-norrbotten",
        validFrom: 2022,
        validTo: 2027,
        categories: [{ code: "space", label: "Rymd och geodata" }]
      }
    })
    expect(state.mappings["m-17-22"]).toEqual({ mappingId: "m-17-22", fromSchemeId: "s3-2017", toSchemeId: "s3-2022", pairs: [{ from: "s3-1", to: "space" }] })
  })

  it("labels a category, falling back to the code", async () => {
    const state = fold(await store(registry))
    expect(RegistryModel.categoryLabel(state, "s3-2017", "s3-2")).toBe("Testverksamhet")
    expect(RegistryModel.categoryLabel(state, "s3-2017", "space")).toBe("space")
    expect(RegistryModel.categoryLabel(state, "no-such-scheme", "s3-1")).toBe("s3-1")
  })

  it("finds the mapping from one scheme to another, in that direction only", async () => {
    const state = fold(await store(registry))
    expect(RegistryModel.findMapping(state, "s3-2017", "s3-2022")?.mappingId).toBe("m-17-22")
    expect(RegistryModel.findMapping(state, "s3-2022", "s3-2017")?.mappingId).toBe("m-22-17")
    expect(RegistryModel.findMapping(state, "s3-2017", "s3-2017")).toBeUndefined()
    expect(RegistryModel.findMapping(state, "s3-2022", "s3-2022")).toBeUndefined()
  })
})

describe("shared helpers, by hand", () => {
  it("reads the year and counts days between calendar dates", () => {
    expect(Shared.yearOf("2024-02-29")).toBe(2024)
    expect(Shared.yearOf("1999-12-31")).toBe(1999)
    expect(Shared.daysBetween("2024-02-28", "2024-03-01")).toBe(2)
    expect(Shared.daysBetween("2023-02-28", "2023-03-01")).toBe(1)
    // Across the change to summer time (31 March 2024 in Sweden) a day is still a day.
    expect(Shared.daysBetween("2024-03-30", "2024-04-01")).toBe(2)
    expect(Shared.daysBetween("2024-03-01", "2024-02-28")).toBe(-2)
  })

  it("keeps entities per tenant, creating them once", () => {
    const index: Shared.ByTenant<{ n: number }> = new Map()
    let made = 0
    const make = (tenant: string, id: string) => {
      made += 1
      return { n: tenant.length * 10 + id.length }
    }
    expect(Shared.entityOrNew(index, "ab", "xyz", make)).toEqual({ n: 23 })
    expect(Shared.entityOrNew(index, "ab", "xyz", make)).toEqual({ n: 23 })
    expect(made).toBe(1)
    Shared.putEntity(index, "ab", "q", { n: 1 })
    Shared.putEntity(index, "c", "q", { n: 2 })
    Shared.putEntity(index, "c", "q", { n: 3 })
    expect(Shared.entityOrNew(index, "c", "r", make)).toEqual({ n: 11 })
    expect(made).toBe(2)
    expect(Shared.entity(index, "ab", "q")).toEqual({ n: 1 })
    expect(Shared.entity(index, "c", "q")).toEqual({ n: 3 })
    expect(Shared.entity(index, "d", "q")).toBeUndefined()
    expect([...Shared.entities(index, "ab")]).toEqual([{ n: 23 }, { n: 1 }])
    expect([...Shared.entities(index, "c")]).toEqual([{ n: 3 }, { n: 11 }])
    expect([...Shared.entities(index, "d")]).toEqual([])
    expect([...Shared.entities(index)]).toEqual([{ n: 23 }, { n: 1 }, { n: 3 }, { n: 11 }])
    expect(Shared.tenantMaps(index, "c").map((m) => [...m.keys()])).toEqual([["q", "r"]])
    expect(Shared.tenantMaps(index, "d")).toEqual([])
    expect(Shared.tenantMaps(index).map((m) => [...m.keys()])).toEqual([["xyz", "q"], ["q", "r"]])
  })
})

describe("combined read models, by hand", () => {
  it("has a version made of its parts' versions and handles each part's events once", () => {
    // Parts in order registry 1, memberships 1, agreements 1, portfolio 2, trips 1: two digits each.
    expect(ReadModels.projection.version).toBe(101010201)
    expect([...ReadModels.projection.handles].sort()).toEqual(
      [
        "ActorRegistered",
        "OrganisationRegistered",
        "ClassificationSchemeAdopted",
        "SchemeMappingDefined",
        "MembershipSigned",
        "MembershipRoleAssigned",
        "MembershipEnded",
        "AgreementIntentRecorded",
        "AgreementSigned",
        "AgreementStatusChanged",
        "AgreementEnded",
        "AppropriationAllotted",
        "AllocationFramed",
        "ApplicationReceived",
        "ApplicationAssessed",
        "ProjectGranted",
        "BusinessSupportGranted",
        "CommercialServiceSupportGranted",
        "ApplicationRejected",
        "GrantAmended",
        "PaymentDisbursed",
        "GrantRecovered",
        "ProjectReported",
        "ProjectClosed",
        "TripProposed",
        "TripEvaluated",
        "TripCompleted",
        "TripCancelled"
      ].sort()
    )
  })

  it("routes an organisation to both the registry and the memberships", async () => {
    const result = Projection.foldEvents(ReadModels.projection, Shared.catalog, await store(registry))
    if (Result.isFailure(result)) throw result.failure
    expect(result.success.registry.organisations["ubc"]?.name).toBe("Union of the Baltic Cities")
    expect(result.success.memberships.organisations.get("ubc")).toEqual({ name: "Union of the Baltic Cities", focusArea: "regional-arctic" })
    expect(result.success.registry.actors["run"]?.tenant).toBe("region-norrbotten")
  })

  it("runs over a store, once or under several time filters in one pass", async () => {
    const [single, many] = await Effect.gen(function* () {
      const eventStore = yield* EventStore.EventStore
      for (const step of registry) {
        const event = Schema.decodeUnknownSync(Events.Event)(step.event)
        const encoded = Events.eventCatalog.encode(event)
        if (Result.isFailure(encoded)) return yield* Effect.fail(encoded.failure)
        yield* eventStore.append(Events.streamIdOf(event) ?? "registry", [
          { ...encoded.success, occurredAt: step.occurredAt, tenant: step.tenant ?? "region-norrbotten", actor: { id: "test", role: "officer" }, decisionRef: null }
        ])
      }
      return [yield* ReadModels.run(), yield* ReadModels.runMany([{ asOf: "2020-01-03" }, {}])] as const
    }).pipe(Effect.provide(EventStore.layerMemory()), Effect.runPromise)
    expect([single.projection, single.version, single.position]).toEqual(["read-models", 101010201, 7])
    expect(Object.keys(single.state.registry.schemes).sort()).toEqual(["s3-2017", "s3-2022"])
    expect(Object.keys(single.state.registry.mappings).sort()).toEqual(["m-17-22", "m-22-17"])
    // By 2020-01-03: two actors, one organisation, the first scheme, no mapping.
    expect(many.map((s) => [Object.keys(s.state.registry.schemes).length, Object.keys(s.state.registry.mappings).length])).toEqual([
      [1, 0],
      [2, 2]
    ])
  })
})
