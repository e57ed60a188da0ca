/**
 * The seed records Luleå's memberships, agreements and trips as the documents list them
 * (src/published.ts), so counts compared with those lists check **conservation**: every record the
 * seed decided is in the log once, with its dates and parties. The rules are checked against the
 * seeded history by the commands refused here (joining UBC twice, an officer signing, a status
 * change to the same status, a flight approved without a reason).
 */
import { Commands, DomainError, EventStore, Events } from "@utblick/core"
import type { StoredEvent } from "@utblick/core/Envelope"
import { Effect, Result, Stream } from "effect"
import { beforeAll, describe, expect, it } from "vitest"
import { goalSchemeId, published, type SeedSummary, seed, tenant, trips2024 } from "../src/index.js"

interface Replay {
  readonly summary: SeedSummary
  readonly stored: ReadonlyArray<StoredEvent>
  readonly events: ReadonlyArray<Events.Event>
}

const replay = Effect.gen(function* () {
  const summary = yield* seed
  const store = yield* EventStore.EventStore
  const stored = yield* Stream.runCollect(store.readAll())
  const events = stored.map((e) => {
    const decoded = Events.eventCatalog.decode(e)
    if (Result.isFailure(decoded)) throw new Error(decoded.failure.detail)
    return decoded.success
  })
  return { summary, stored, events }
})

let history: Replay
beforeAll(async () => {
  history = await Effect.runPromise(replay.pipe(Effect.provide(EventStore.layerMemory())))
})

const only = <T extends Events.EventTag>(tag: T) =>
  history.events.filter((e): e is Extract<Events.Event, { _tag: T }> => e._tag === tag)

// Seeds a fresh store, then gives one more command and returns the refusal's tag.
// A domain rule's refusal is named by its reason; any other refusal by its tag.
const reasonOf = (failure: { readonly _tag: string }): string =>
  DomainError.is(failure) ? failure.reason._tag : failure._tag

const refusal = (command: Effect.Effect<unknown, { readonly _tag: string }, EventStore.EventStore>) =>
  Effect.runPromise(
    Effect.gen(function* () {
      yield* seed
      const result = yield* Effect.result(command)
      return Result.isFailure(result) ? reasonOf(result.failure) : "accepted"
    }).pipe(Effect.provide(EventStore.layerMemory()))
  )

describe("Luleå history: storage", () => {
  it("every stored event decodes through core's eventCatalog and belongs to the tenant", () => {
    expect(history.stored.length).toBe(history.summary.events)
    expect(history.stored.every((e) => e.tenant === tenant)).toBe(true)
    expect(history.summary.commands).toBeLessThanOrEqual(history.summary.events)
    const counted = Object.values(history.summary.byType).reduce((a, b) => a + b, 0)
    expect(counted).toBe(history.stored.length)
  })

  it("enters the registry with two Register commands, and every other fact through a decider", () => {
    const registry = history.stored.filter((e) => Events.familyOf[e.type as Events.EventTag] === "Registry")
    expect(history.summary.byCommand["Register"]).toBe(2)
    expect(new Set(registry.map((e) => e.streamId))).toEqual(new Set([Commands.registryStreamId(tenant)]))
    // Everything else is a decision of one of the four aggregates of Luleå's international work.
    expect(Object.keys(history.summary.byCommand).sort()).toEqual([
      "AssignMembershipRole", "CancelTrip", "ChangeAgreementStatus", "CompleteTrip", "EvaluateTrip", "ProposeTrip",
      "RecordAgreementIntent", "Register", "SignAgreement", "SignMembership"
    ])
  })

  it("is deterministic: a second run writes the same payloads", async () => {
    const again = await Effect.runPromise(replay.pipe(Effect.provide(EventStore.layerMemory())))
    expect(again.events).toEqual(history.events)
  })
})

describe("Luleå history: memberships", () => {
  it("reproduces the join years the seeds give (UBC 2003, SERN 2015, Covenant of Mayors 2015)", () => {
    const signed = only("MembershipSigned").filter((e) => e.actorId === "lulea-kommun")
    for (const m of published.memberships) {
      const event = signed.find((e) => e.organisationId === m.organisationId)
      expect(event?.kind).toBe(m.kind)
      expect(event?.joinedYear).toBe(m.joinedYear)
    }
    expect(signed.length).toBe(published.memberships.length)
  })

  it("counts 5 active memberships (member or founder) in 2024", () => {
    const active = only("MembershipSigned").filter(
      (e) => e.actorId === "lulea-kommun" && (e.kind === "member" || e.kind === "founder")
    )
    expect(active.length).toBe(published.activeMemberships2024.value)
  })

  it("as of 2010 Luleå was a member of UBC only", () => {
    const asOf = history.stored
      .filter((e) => e.type === "MembershipSigned" && e.occurredAt <= "2010-12-31")
      .map((e) => e.payload.organisationId)
    expect(asOf).toEqual(["ubc"])
  })

  it("holds 3 UBC commissions and hosts the Barents Road secretariat", () => {
    const roles = only("MembershipRoleAssigned")
    expect(roles.filter((r) => r.organisationId === "ubc" && r.role === "commission-member").map((r) => r.body)).toEqual(
      published.ubcCommissions.value
    )
    expect(roles.filter((r) => r.role === "secretariat-host").map((r) => r.organisationId)).toEqual(["barents-road"])
  })
})

describe("Luleå history: agreements and twin towns", () => {
  it("has five twin towns, two of them dormant, by folding the agreement events", () => {
    const status = new Map<string, string>()
    for (const e of history.events) {
      if (e._tag === "AgreementSigned" && e.kind === "twin-town") status.set(e.agreementId, e.activity)
      if (e._tag === "AgreementStatusChanged" && status.has(e.agreementId)) status.set(e.agreementId, e.to)
    }
    expect(Object.fromEntries(status)).toEqual(
      Object.fromEntries(published.twinTowns.map((t) => [t.agreementId, t.status]))
    )
    expect([...status.values()].filter((s) => s === "dormant").length).toBe(2)
  })

  it("signed Novéant-sur-Moselle on 2023-08-01 and JOIN, BOOST, SUSTAIN in 2020 by a councillor", () => {
    const signed = only("AgreementSigned")
    expect(signed.find((e) => e.agreementId === published.agreementsSigned.noveant.agreementId)?.signedOn).toBe("2023-08-01")
    const jbs = history.stored.find((e) => e.payload.agreementId === published.agreementsSigned.joinBoostSustain.agreementId)
    expect(jbs?.payload.signedYear).toBe(2020)
    expect(jbs?.payload.kind).toBe("declaration-of-intent")
    expect(jbs?.actor.role).toBe("councillor")
    expect(jbs?.occurredAt.slice(0, 7)).toBe("2020-01")
    expect(signed.find((e) => e.agreementId === "lulea-uleaborg")?.priorityAreas.length).toBe(7)
  })

  it("keeps the Tromsø cooperation agreement as the one open intent", () => {
    const intents = only("AgreementIntentRecorded").map((e) => e.agreementId)
    const signedIds = new Set(only("AgreementSigned").map((e) => e.agreementId))
    expect(intents.filter((id) => !signedIds.has(id))).toEqual(published.openIntents.value)
    expect(only("AgreementIntentRecorded")[0]?.potentialAreas.length).toBe(published.openIntents.potentialAreas)
  })
})

describe("Luleå history: goals and trips", () => {
  it("adopts the nine overarching goals as a classification scheme", () => {
    const scheme = only("ClassificationSchemeAdopted").find((s) => s.schemeId === goalSchemeId)
    expect(scheme?.categories.map((c) => c.label)).toEqual(published.goals.value)
  })

  it("evaluates every trip against the three questions and links it to a goal", () => {
    const codes = new Set(only("ClassificationSchemeAdopted")[0]?.categories.map((c) => c.code))
    expect(only("TripEvaluated").length).toBe(trips2024.length)
    for (const p of only("TripProposed")) {
      expect(p.goalRefs.length).toBeGreaterThan(0)
      expect(p.goalRefs.every((g) => g.schemeId === goalSchemeId && codes.has(g.code))).toBe(true)
    }
  })

  it("follows digital first: replaced trips complete as digital meetings, flights carry a reason", () => {
    const evaluations = only("TripEvaluated")
    const replaced = evaluations.filter((e) => e.decision === "replaced-by-digital").map((e) => e.tripId)
    expect(replaced.length).toBe(3)
    const completed = only("TripCompleted")
    for (const id of replaced) expect(completed.find((c) => c.tripId === id)?.actualMode).toBe("digital")
    for (const e of evaluations.filter((x) => x.decision === "approved" && (x.mode === "flight" || x.mode === "mixed"))) {
      expect(e.reason?.length ?? 0).toBeGreaterThan(0)
    }
    // No trip completes unless it was evaluated first, and a declined trip never completes.
    const declined = evaluations.filter((e) => e.decision === "declined").map((e) => e.tripId)
    expect(completed.some((c) => declined.includes(c.tripId))).toBe(false)
  })
})

describe("Luleå history: the deciders' rules hold on top of the seeded history", () => {
  const tally = Commands.makeRecorder()
  const base = { tenant: "lulea-kommun", occurredAt: "2025-01-01" }

  it("refuses to join UBC again while the membership is active", async () => {
    const command = tally.run({
      _tag: "SignMembership",
      ...base,
      actor: { id: "lulea-kommunstyrelsen", role: "executive-board" },
      actorId: "lulea-kommun",
      organisationId: "ubc",
      kind: "member"
    })
    expect(await refusal(command)).toBe("MembershipAlreadyActive")
  })

  it("refuses an agreement signed by an officer, and re-signing Novéant", async () => {
    const sign = (role: string) =>
      tally.run({
        _tag: "SignAgreement",
        ...base,
        actor: { id: "x", role },
        agreementId: "lulea-noveant-sur-moselle",
        kind: "cooperation-agreement",
        title: "Novéant",
        parties: [{ name: "Luleå kommun" }, { name: "Novéant-sur-Moselle" }],
        priorityAreas: []
      })
    expect(await refusal(sign("officer"))).toBe("NotAuthorized")
    // Signing the same agreement again with other content conflicts with what its key recorded (issue 17).
    expect(await refusal(sign("executive-board"))).toBe("IdempotencyConflict")
  })

  it("refuses to reactivate a twin town that is already active", async () => {
    const command = tally.run({
      _tag: "ChangeAgreementStatus",
      ...base,
      actor: { id: "lulea-kommunstaben", role: "international-coordinator" },
      agreementId: "lulea-vanort-kemi",
      to: "active"
    })
    expect(await refusal(command)).toBe("InvalidAgreementStatusChange")
  })

  it("refuses to approve a flight without a reason when a digital meeting would serve", async () => {
    const command = Effect.gen(function* () {
      yield* tally.run({
        _tag: "ProposeTrip",
        ...base,
        actor: { id: "subject-lulea-t09", role: "traveller" },
        tripId: "lulea-2025-test",
        organiserActorId: "lulea-kommun",
        traveller: "subject-lulea-t09",
        purpose: "Konferens",
        destination: "Bryssel, BE",
        departOn: "2025-02-01",
        returnOn: "2025-02-02",
        relatedTo: [],
        goalRefs: []
      })
      return yield* tally.run({
        _tag: "EvaluateTrip",
        ...base,
        actor: { id: "lulea-kommunstaben-chef", role: "manager" },
        tripId: "lulea-2025-test",
        checklist: { contributesToDevelopment: true, partOfExternalMonitoring: true, opportunityToInfluence: true },
        physicalMeetingNecessary: false,
        digitalAlternativeSufficient: true,
        mode: "flight",
        distanceKm: 4400,
        estimatedCo2eKg: 660,
        decision: "approved"
      })
    })
    expect(await refusal(command)).toBe("FlightApprovedWithoutReason")
  })

  it("refuses bad input with a CommandInputError before any decider runs", async () => {
    const command = tally.run({
      _tag: "SignMembership",
      ...base,
      occurredAt: "2025-02-30",
      actor: { id: "lulea-kommunstyrelsen", role: "executive-board" },
      actorId: "lulea-kommun",
      organisationId: "new-network",
      kind: "member"
    })
    expect(await refusal(command)).toBe("CommandInputError")
  })
})
