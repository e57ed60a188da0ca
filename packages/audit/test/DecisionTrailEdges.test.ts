/**
 * Decision trails on a hand-written log: which events each trail takes, in which order (the
 * events are handed over in reverse, so the sorting shows), the fields of an entry, which payload
 * field is read as the amount and as the basis, and the inclusive date bounds of a filter.
 */
import type { JsonObject } from "@utblick/core/CanonicalJson"
import type { StoredEvent } from "@utblick/core/Envelope"
import { Effect, Stream } from "effect"
import { describe, expect, it } from "vitest"
import * as DecisionTrail from "../src/DecisionTrail.js"
import { makeStore } from "./fixtures.js"

interface Step {
  readonly stream: string
  readonly actor: string
  readonly occurredAt: string
  readonly decisionRef?: string
  readonly payload: JsonObject
}

const steps: ReadonlyArray<Step> = [
  { stream: "application-42", actor: "official:17", occurredAt: "2026-03-01", payload: { amountApplied: 900_000 } },
  { stream: "budget-2026", actor: "official:17", occurredAt: "2026-03-02", payload: { applicationId: "42", amount: 500_000 } },
  { stream: "budget-2026", actor: "official:17", occurredAt: "2026-03-02", payload: { applicationId: "43", amount: 1 } },
  {
    stream: "application-42",
    actor: "board",
    occurredAt: "2026-03-10",
    decisionRef: "2026/113",
    payload: { amount: 500_000, basis: "RDF Regulation §12(3)", reason: "not this one" }
  },
  { stream: "application-420", actor: "board", occurredAt: "2026-03-11", decisionRef: "2026/114", payload: { reason: "other case" } },
  {
    stream: "application-42",
    actor: "board",
    occurredAt: "2026-04-01",
    decisionRef: "2026/113",
    payload: { amount: "500000", newAmount: 450_000, motivation: { text: "lower cost" } }
  },
  { stream: "application-43", actor: "official:17", occurredAt: "2026-04-02", decisionRef: "2026/115", payload: {} }
]

const store = makeStore()
for (const s of steps) {
  Effect.runSync(
    store.append(s.stream, [
      {
        type: "Step",
        schemaVersion: 1,
        occurredAt: s.occurredAt,
        tenant: "lulea-kommun",
        actor: { id: s.actor, role: s.actor === "board" ? "regional-development-board" : "head-of-unit" },
        decisionRef: s.decisionRef ?? null,
        payload: s.payload
      }
    ])
  )
}
const events: ReadonlyArray<StoredEvent> = Effect.runSync(Stream.runCollect(store.readAll()))
const reversed = [...events].reverse()
const positions = (entries: ReadonlyArray<DecisionTrail.Entry>) => entries.map((e) => e.position)

describe("the amount and the basis of an event", () => {
  it.each([
    [{ amount: 5 }, 5],
    [{ amount: 0 }, 0],
    [{ newAmount: 7 }, 7],
    [{ amountApplied: 9 }, 9],
    [{ amount: 1, newAmount: 2, amountApplied: 3 }, 1],
    [{ newAmount: 2, amountApplied: 3 }, 2],
    [{ amount: "5", newAmount: 3 }, 3],
    [{ amount: "5" }, null],
    [{}, null]
  ])("amount of %j is %j", (payload, amount) => {
    expect(DecisionTrail.amountOf({ payload })).toBe(amount)
  })
  it.each([
    [{ basis: "b", reason: "r", motivation: "m" }, "b"],
    [{ reason: "r", motivation: "m" }, "r"],
    [{ motivation: "m" }, "m"],
    [{ basis: { law: "x" } }, { law: "x" }],
    [{ basis: null, reason: "r" }, null],
    [{ basis: 0 }, 0],
    [{}, null]
  ])("basis of %j is %j", (payload, basis) => {
    expect(DecisionTrail.basisOf({ payload: payload as JsonObject })).toEqual(basis)
  })
})

describe("entries", () => {
  it("copy who, when, what and the hash, with the amount and basis read from the payload", () => {
    const e = events[3] as StoredEvent
    expect(DecisionTrail.entryOf(e)).toEqual({
      eventId: e.eventId,
      position: 3,
      streamId: "application-42",
      streamVersion: 2,
      type: "Step",
      actor: "board",
      role: "regional-development-board",
      occurredAt: "2026-03-10",
      recordedAt: e.recordedAt,
      decisionRef: "2026/113",
      basis: "RDF Regulation §12(3)",
      amount: 500_000,
      hash: e.hash
    })
    expect(DecisionTrail.entryOf(events[5] as StoredEvent)).toMatchObject({
      amount: 450_000,
      basis: { text: "lower cost" },
      streamVersion: 3
    })
    expect(DecisionTrail.entryOf(events[6] as StoredEvent)).toMatchObject({ amount: null, basis: null })
  })
})

describe("trails", () => {
  it("of a stream: its events only, by version", () => {
    expect(DecisionTrail.ofStream(reversed, "application-42").map((e) => [e.streamVersion, e.position])).toEqual([
      [1, 0],
      [2, 3],
      [3, 5]
    ])
    expect(DecisionTrail.ofStream(events, "application-4")).toEqual([])
  })

  it("of a body: its decisions (under a case number) in log order, or all its events", () => {
    expect(positions(DecisionTrail.byActor(reversed, "board"))).toEqual([3, 4, 5])
    expect(positions(DecisionTrail.byActor(reversed, "official:17"))).toEqual([6])
    expect(positions(DecisionTrail.byActor(reversed, "official:17", { includeAll: false }))).toEqual([6])
    expect(positions(DecisionTrail.byActor(reversed, "official:17", { includeAll: true }))).toEqual([0, 1, 2, 6])
  })

  it("of a case number, across streams, in log order", () => {
    expect(positions(DecisionTrail.byDecisionRef(reversed, "2026/113"))).toEqual([3, 5])
    expect(positions(DecisionTrail.byDecisionRef(reversed, "2026/11"))).toEqual([])
  })

  it("of an application: its stream and the budget events naming it, not another application's", () => {
    expect(positions(DecisionTrail.ofApplication(reversed, "42"))).toEqual([0, 1, 3, 5])
    expect(positions(DecisionTrail.ofApplication(reversed, "application-42"))).toEqual([0, 1, 3, 5])
    expect(positions(DecisionTrail.ofApplication(reversed, "43"))).toEqual([2, 6])
    expect(positions(DecisionTrail.ofApplication(reversed, "application-420"))).toEqual([4])
  })

  it("filtered by actor and by inclusive dates", () => {
    const all = DecisionTrail.ofApplication(events, "42")
    expect(positions(DecisionTrail.filter(all, {}))).toEqual([0, 1, 3, 5])
    expect(positions(DecisionTrail.filter(all, { actor: "board" }))).toEqual([3, 5])
    expect(positions(DecisionTrail.filter(all, { from: "2026-03-02" }))).toEqual([1, 3, 5])
    expect(positions(DecisionTrail.filter(all, { to: "2026-03-10" }))).toEqual([0, 1, 3])
    expect(positions(DecisionTrail.filter(all, { from: "2026-03-02", to: "2026-03-02" }))).toEqual([1])
    expect(positions(DecisionTrail.filter(all, { actor: "official:17", from: "2026-03-02", to: "2026-04-01" }))).toEqual([1])
  })
})
