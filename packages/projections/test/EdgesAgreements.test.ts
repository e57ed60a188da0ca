// The agreements read model against records written out by hand (mutation testing found these
// unpinned): intents, signing with each precision of date, status changes, endings, tenants,
// filters and the Swedish order of titles.
import { Projection } from "@utblick/core"
import { Agreements, Shared } from "@utblick/projections"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import { type Step, store } from "./support.js"

const fold = (events: Parameters<typeof Projection.foldEvents>[2]) => {
  const result = Projection.foldEvents(Agreements.projection, Shared.catalog, events)
  if (Result.isFailure(result)) throw result.failure
  return result.success
}

const L = "lulea-kommun"
const O = "orebro"
const parties = (name: string) => [{ name: "Luleå" }, { name }]

const history: ReadonlyArray<Step> = [
  // An intent, recorded twice: the second is ignored. Then signed with a date only.
  {
    tenant: L,
    occurredAt: "2023-05-01",
    event: { _tag: "AgreementIntentRecorded", agreementId: "tromso", kind: "declaration-of-intent", title: "Tromsø", parties: parties("Tromsø"), potentialAreas: [{ label: "Arktis" }], ambition: "sign" }
  },
  {
    tenant: L,
    occurredAt: "2023-06-01",
    event: { _tag: "AgreementIntentRecorded", agreementId: "tromso", kind: "commitment", title: "Tromsø II", parties: parties("Tromsø"), potentialAreas: [], ambition: "again" }
  },
  {
    tenant: L,
    occurredAt: "2024-01-20",
    event: { _tag: "AgreementSigned", agreementId: "tromso", kind: "cooperation-agreement", title: "Tromsø stad", parties: parties("Tromsø kommune"), priorityAreas: [{ label: "Kultur" }], signedOn: "2024-01-15", activity: "active" }
  },
  // Signed with a year only; then dormant, active again, and ended.
  {
    tenant: L,
    occurredAt: "2010-02-01",
    event: { _tag: "AgreementSigned", agreementId: "zenica", kind: "twin-town", title: "Zenica", parties: parties("Zenica"), priorityAreas: [], signedYear: 2000, activity: "active" }
  },
  { tenant: L, occurredAt: "2017-03-01", event: { _tag: "AgreementStatusChanged", agreementId: "zenica", from: "active", to: "dormant" } },
  { tenant: L, occurredAt: "2019-04-01", event: { _tag: "AgreementStatusChanged", agreementId: "zenica", from: "dormant", to: "active", reason: "new contacts" } },
  { tenant: L, occurredAt: "2024-02-28", event: { _tag: "AgreementEnded", agreementId: "zenica", endedOn: "2023-12-31", reason: "ended by council" } },
  // Signed with neither date nor year; and with both (the year given wins).
  {
    tenant: L,
    occurredAt: "2021-09-09",
    event: { _tag: "AgreementSigned", agreementId: "oulu", kind: "twin-town", title: "Uleåborg", parties: parties("Oulu"), priorityAreas: [], activity: "dormant" }
  },
  {
    tenant: L,
    occurredAt: "2019-06-01",
    event: { _tag: "AgreementSigned", agreementId: "aalborg", kind: "twin-town", title: "Aalborg", parties: parties("Aalborg"), priorityAreas: [], signedOn: "2019-05-30", signedYear: 2018, activity: "active" }
  },
  {
    tenant: L,
    occurredAt: "2020-01-01",
    event: { _tag: "AgreementSigned", agreementId: "orn", kind: "twin-town", title: "Örnsköldsvik", parties: parties("Ö-vik"), priorityAreas: [], signedYear: 2020, activity: "active" }
  },
  // Events about agreements never recorded change nothing.
  { tenant: L, occurredAt: "2024-01-01", event: { _tag: "AgreementStatusChanged", agreementId: "ghost", from: "active", to: "dormant" } },
  { tenant: L, occurredAt: "2024-01-01", event: { _tag: "AgreementEnded", agreementId: "ghost2", endedOn: "2024-01-01", reason: "never was" } },
  // Örebro reuses the id zenica for an intent of its own; Luleå's Zenica is untouched by it.
  {
    tenant: O,
    occurredAt: "2024-03-01",
    event: { _tag: "AgreementIntentRecorded", agreementId: "zenica", kind: "twin-town", title: "Zenica (Örebro)", parties: parties("Zenica"), potentialAreas: [], ambition: "twin" }
  }
]

describe("agreements read model, by hand", () => {
  it("an intent signed later keeps its history, takes the signed fields, and its year from the date", async () => {
    const state = fold(await store(history))
    const tromso = Agreements.all(state, { tenant: L }).find((a) => a.agreementId === "tromso")
    expect(tromso).toEqual({
      tenant: L,
      agreementId: "tromso",
      kind: "cooperation-agreement",
      title: "Tromsø stad",
      parties: [{ name: "Luleå" }, { name: "Tromsø kommune" }],
      priorityAreas: [{ label: "Kultur" }],
      status: "active",
      signedOn: "2024-01-15",
      signedYear: 2024,
      lastActivityOn: "2024-01-20",
      history: [
        { on: "2023-05-01", what: "intent", detail: "sign" },
        { on: "2024-01-15", what: "signed", detail: "active" }
      ]
    })
  })

  it("status changes and the end are dated and described", async () => {
    const state = fold(await store(history))
    const zenica = Agreements.all(state, { tenant: L }).find((a) => a.agreementId === "zenica")
    expect(zenica).toMatchObject({ status: "ended", signedOn: null, signedYear: 2000, lastActivityOn: "2024-02-28" })
    expect(zenica?.history).toEqual([
      { on: "2010-02-01", what: "signed", detail: "active" },
      { on: "2017-03-01", what: "status", detail: "active → dormant" },
      { on: "2019-04-01", what: "status", detail: "dormant → active" },
      { on: "2023-12-31", what: "ended", detail: "ended by council" }
    ])
    const brief = (id: string) => {
      const a = Agreements.all(state, { tenant: L }).find((x) => x.agreementId === id)
      return a && [a.status, a.signedOn, a.signedYear, a.lastActivityOn, a.history]
    }
    expect(brief("oulu")).toEqual(["dormant", null, null, "2021-09-09", [{ on: "2021-09-09", what: "signed", detail: "dormant" }]])
    expect(brief("aalborg")).toEqual(["active", "2019-05-30", 2018, "2019-06-01", [{ on: "2019-05-30", what: "signed", detail: "active" }]])
    expect(brief("orn")).toEqual(["active", null, 2020, "2020-01-01", [{ on: "2020-01-01", what: "signed", detail: "active" }]])
  })

  it("keeps tenants apart and ignores events about unknown agreements", async () => {
    const state = fold(await store(history))
    expect(Agreements.all(state, { tenant: O }).map((a) => [a.agreementId, a.title, a.status])).toEqual([["zenica", "Zenica (Örebro)", "intended"]])
    expect(Agreements.all(state).map((a) => a.agreementId)).not.toContain("ghost")
    expect(Agreements.all(state).length).toBe(6)
  })

  it("sorts titles in Swedish order (Å, Ä, Ö after Z) and filters by kind, status and tenant", async () => {
    const state = fold(await store(history))
    expect(Agreements.all(state, { tenant: L }).map((a) => a.title)).toEqual(["Aalborg", "Tromsø stad", "Uleåborg", "Zenica", "Örnsköldsvik"])
    expect(Agreements.all(state, { tenant: L, status: "active" }).map((a) => a.agreementId)).toEqual(["aalborg", "tromso", "orn"])
    expect(Agreements.all(state, { tenant: L, kind: "twin-town", status: "active" }).map((a) => a.agreementId)).toEqual(["aalborg", "orn"])
    expect(Agreements.twinTowns(state, { tenant: L }).map((a) => a.agreementId)).toEqual(["aalborg", "oulu", "zenica", "orn"])
    expect(Agreements.twinTowns(state).map((a) => a.title)).toEqual(["Aalborg", "Uleåborg", "Zenica", "Zenica (Örebro)", "Örnsköldsvik"])
    expect(Agreements.openIntents(state).map((a) => [a.tenant, a.agreementId])).toEqual([[O, "zenica"]])
    expect(Agreements.openIntents(state, { tenant: L })).toEqual([])
  })

  it("counts per kind and status, per tenant", async () => {
    const state = fold(await store(history))
    expect(Agreements.countByKindAndStatus(state, { tenant: L })).toEqual({
      "cooperation-agreement": { intended: 0, active: 1, dormant: 0, ended: 0 },
      "twin-town": { intended: 0, active: 2, dormant: 1, ended: 1 }
    })
    expect(Agreements.countByKindAndStatus(state, { tenant: O })).toEqual({
      "twin-town": { intended: 1, active: 0, dormant: 0, ended: 0 }
    })
    expect(Agreements.countByKindAndStatus(state)).toEqual({
      "cooperation-agreement": { intended: 0, active: 1, dormant: 0, ended: 0 },
      "twin-town": { intended: 1, active: 2, dormant: 1, ended: 1 }
    })
  })

  it("counts days since the last activity across a leap day", async () => {
    const state = fold(await store(history))
    const zenica = Agreements.all(state, { tenant: L }).find((a) => a.agreementId === "zenica")
    // 2024-02-28 -> 2024-03-01 is two days in a leap year; -> 2025-02-28 is 366.
    expect(zenica && Agreements.daysSinceLastActivity(zenica, "2024-03-01")).toBe(2)
    expect(zenica && Agreements.daysSinceLastActivity(zenica, "2025-02-28")).toBe(366)
  })
})
