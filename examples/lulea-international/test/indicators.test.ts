// Counts of memberships and agreements are the seed's own input read back through the read models
// (conservation); the indicator formulas are checked on hand-computed data in
// packages/indicators/test/handComputed.test.ts.
// Acceptance: Luleå kommun's memberships, agreements and twin-town status through the read
// models and the indicator API (issue "Projections and indicators").
import { EventStore } from "@utblick/core"
import { YearReport } from "@utblick/indicators"
import { Agreements, Memberships } from "@utblick/projections"
import { Effect } from "effect"
import { beforeAll, describe, expect, it } from "vitest"
import { goalSchemeId, published, seed, tenant } from "../src/index.js"

let report: Effect.Success<ReturnType<typeof YearReport.forYear>>

beforeAll(async () => {
  report = await Effect.gen(function* () {
    yield* seed
    return yield* YearReport.forYear(2024, { tenant, actorId: tenant, goalsSchemeId: goalSchemeId })
  }).pipe(Effect.provide(EventStore.layerMemory()), Effect.runPromise)
})

describe("Luleå kommun through the read models and indicators", () => {
  it("has five active memberships proper in 2024 (000:84-88)", () => {
    const active = Memberships.active(report.models.memberships, { tenant, actorId: tenant, kinds: Memberships.PROPER })
    expect(active.length).toBe(published.activeMemberships2024.value)
    const indicator = report.values.find((v) => v.id === "active-memberships")
    expect(indicator?.value).toBe(5)
    expect(indicator?.breakdown.find((r) => r.key === "relation:signatory")?.value).toBeGreaterThanOrEqual(1)
  })

  it("joined UBC in 2003 and SERN in 2015, and holds the Barents Road secretariat and three UBC commissions", () => {
    const all = Memberships.all(report.models.memberships, { tenant, actorId: tenant })
    expect(all.find((m) => m.organisationId === "ubc")?.since.slice(0, 4)).toBe("2003")
    expect(all.find((m) => m.organisationId === "sern")?.since.slice(0, 4)).toBe("2015")
    const roles = Memberships.rolesHeld(report.models.memberships, { tenant, actorId: tenant })
    expect(roles.filter((r) => r.role === "commission-member")).toHaveLength(3)
    expect(roles.filter((r) => r.role === "secretariat-host")).toHaveLength(1)
  })

  it("has five twin towns, two of them dormant, and an open intent with Tromsø", () => {
    const towns = Agreements.twinTowns(report.models.agreements, { tenant })
    expect(towns).toHaveLength(5)
    expect(towns.filter((t) => t.status === "dormant").map((t) => t.agreementId).sort()).toEqual(
      published.twinTowns
        .filter((t) => t.status === "dormant")
        .map((t) => t.agreementId)
        .sort()
    )
    expect(Agreements.openIntents(report.models.agreements, { tenant }).map((a) => a.title).join(" ")).toMatch(/Troms/)
    const cooperation = Agreements.all(report.models.agreements, { tenant, kind: "cooperation-agreement" })
    expect(cooperation.find((a) => a.signedOn === "2023-08-01")?.title).toMatch(/Novéant/)
  })

  it("reports the year's trips, digital replacements and goal coverage", () => {
    const trips = report.values.find((v) => v.id === "trips-replaced-by-digital")
    expect(trips?.denominator).toBeGreaterThan(0)
    expect(trips?.breakdown.find((r) => r.key === "replaced-by-digital")?.value).toBe(trips?.numerator)
    const goals = report.values.find((v) => v.id === "goal-coverage")
    expect(goals?.breakdown).toHaveLength(9)
  })
})
