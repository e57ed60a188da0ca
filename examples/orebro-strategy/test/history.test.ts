/**
 * The seed records Örebro's strategy as the document states it (src/published.ts); these tests
 * check **conservation**: every goal, agreement and mapping the seed decided comes back from the
 * log once, under Örebro's own tenant.
 */
import { EventStore, Events } from "@utblick/core"
import * as Lulea from "@utblick/example-lulea-international"
import { Effect, Result, Stream } from "effect"
import { beforeAll, describe, expect, it } from "vitest"
import { published, seed, strategyAgreementId, strategySchemeId, tenant } from "../src/index.js"

let events: ReadonlyArray<Events.Event> = []
let tenants: ReadonlyArray<string> = []
let summaryEvents = 0

beforeAll(async () => {
  const result = await Effect.runPromise(
    Effect.gen(function* () {
      const summary = yield* seed
      const store = yield* EventStore.EventStore
      const stored = yield* Stream.runCollect(store.readAll())
      return { summary, stored }
    }).pipe(Effect.provide(EventStore.layerMemory()))
  )
  summaryEvents = result.summary.events
  tenants = result.stored.map((e) => e.tenant)
  events = result.stored.map((e) => {
    const decoded = Events.eventCatalog.decode(e)
    if (Result.isFailure(decoded)) throw new Error(decoded.failure.detail)
    return decoded.success
  })
})

describe("Örebro strategy", () => {
  it("every stored event decodes through core's eventCatalog and belongs to the tenant", () => {
    expect(events.length).toBe(summaryEvents)
    expect(tenants.every((t) => t === tenant)).toBe(true)
  })

  it("adopts its own scheme with the three areas", () => {
    const scheme = events.find((e) => e._tag === "ClassificationSchemeAdopted")
    expect(scheme?._tag === "ClassificationSchemeAdopted" && scheme.schemeId).toBe(strategySchemeId)
    expect(scheme?._tag === "ClassificationSchemeAdopted" && scheme.categories.map((c) => c.code)).toEqual(["F", "A", "T"])
  })

  it("records the strategy signed on 2009-01-29 by 13 parties, tagged with the scheme's three areas", () => {
    const signed = events.find((e) => e._tag === "AgreementSigned" && e.agreementId === strategyAgreementId)
    if (signed?._tag !== "AgreementSigned") throw new Error("strategy not recorded")
    expect(signed.signedOn).toBe(published.signedOn.value)
    expect(signed.parties.length).toBe(2 + published.coAuthors.municipalities.length)
    expect(signed.priorityAreas.map((a) => a.ref?.code)).toEqual(["F", "A", "T"])
    expect(signed.priorityAreas.every((a) => a.ref?.schemeId === strategySchemeId)).toBe(true)
  })

  it("has one membership, Brysselkontoret Central Sweden", () => {
    const memberships = events.filter((e) => e._tag === "MembershipSigned")
    expect(memberships.map((m) => (m._tag === "MembershipSigned" ? m.organisationId : ""))).toEqual([
      "central-sweden-brysselkontor"
    ])
  })

  it("lives beside Luleå in one store as a separate tenant with a separate scheme", async () => {
    const byTenant = await Effect.runPromise(
      Effect.gen(function* () {
        yield* Lulea.seed
        yield* seed
        const store = yield* EventStore.EventStore
        const stored = yield* Stream.runCollect(store.readAll())
        const schemes = stored.filter((e) => e.type === "ClassificationSchemeAdopted")
        return {
          tenants: [...new Set(stored.map((e) => e.tenant))].sort(),
          schemes: schemes.map((e) => [e.tenant, e.payload.schemeId])
        }
      }).pipe(Effect.provide(EventStore.layerMemory()))
    )
    expect(byTenant.tenants).toEqual([Lulea.tenant, tenant].sort())
    expect(byTenant.schemes).toEqual([
      [Lulea.tenant, Lulea.goalSchemeId],
      [tenant, strategySchemeId]
    ])
  })
})
