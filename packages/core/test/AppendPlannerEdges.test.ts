// The append planner against values written out by hand (mutation testing found these unpinned):
// each refusal of a malformed event with its field, value and rule, the envelope fields it fills
// in, positions and stream versions across writes, recorded-at never going back, expected
// versions and the recognition of a retried append.
import { createHash } from "node:crypto"
import { HashChain } from "@utblick/core"
import * as AppendPlanner from "@utblick/core/AppendPlanner"
import type { EventToAppend, StoredEvent } from "@utblick/core/Envelope"
import { Result } from "effect"
import { describe, expect, it } from "vitest"

const ID = (n: number) => `0186e3b0-1c00-7000-8000-${String(n).padStart(12, "0")}`
const event = (overrides: Record<string, unknown> = {}): EventToAppend =>
  ({
    type: "Trip.Proposed",
    schemaVersion: 1,
    occurredAt: "2024-02-29",
    tenant: "lulea-kommun",
    actor: { id: "anna", role: "traveller" },
    payload: { tripId: "t1" },
    ...overrides
  }) as EventToAppend

const emptyView: AppendPlanner.CommittedView = { streamTip: () => ({ version: 0, lastHash: null }), findEvent: () => undefined }
const NOW = Date.UTC(2024, 2, 1, 12, 0, 0, 5)

const plan = (
  writes: ReadonlyArray<AppendPlanner.StreamWrite>,
  options: { view?: AppendPlanner.CommittedView; head?: AppendPlanner.LogHead; now?: number } = {}
) => {
  let n = 100
  return AppendPlanner.planAppend({
    origin: "test",
    head: options.head ?? AppendPlanner.EMPTY_HEAD,
    view: options.view ?? emptyView,
    writes,
    nowMillis: options.now ?? NOW,
    newEventId: () => ID(n++)
  })
}

const refusal = (events: ReadonlyArray<unknown>, streamId = "trip-t1") => {
  const r = plan([{ streamId, events: events as ReadonlyArray<EventToAppend> }])
  if (Result.isSuccess(r)) return "accepted"
  const reason = r.failure.reason
  return reason._tag === "InvalidEvent" ? [reason.index, reason.field, reason.value, reason.rule] : reason._tag
}

const sha = (prev: string, canonical: string) => createHash("sha256").update(Buffer.from(prev, "hex")).update(canonical, "utf8").digest("hex")

describe("append planner refusals, by hand", () => {
  const text = "must be non-empty text without lone surrogates"
  it("names the field, the value and the rule of each malformed envelope field", () => {
    expect(refusal([null])).toEqual([0, "", "null", "an event must be an object"])
    expect(refusal(["x"])).toEqual([0, "", '"x"', "an event must be an object"])
    expect(refusal([event({ eventId: "not-a-uuid" })])).toEqual([0, "/eventId", '"not-a-uuid"', "an event id must be a lowercase UUIDv7"])
    expect(refusal([event({ eventId: 7 })])).toEqual([0, "/eventId", "7", "an event id must be a lowercase UUIDv7"])
    const typeRule = "a type must be a name of letters, digits and dots, starting with a letter"
    expect(refusal([event({ type: "1Trip" })])).toEqual([0, "/type", '"1Trip"', typeRule])
    expect(refusal([event({ type: "Trip-Proposed" })])).toEqual([0, "/type", '"Trip-Proposed"', typeRule])
    expect(refusal([event({ type: undefined })])).toEqual([0, "/type", "undefined", typeRule])
    expect(refusal([event({ type: 5 })])).toEqual([0, "/type", "5", typeRule])
    // A long value is shown by its first 60 characters.
    expect(refusal([event({ type: `x-${"y".repeat(70)}` })])).toEqual([0, "/type", `"x-${"y".repeat(58)}…"`, typeRule])
    const versionRule = "a schema version must be an integer ≥ 1"
    expect(refusal([event({ schemaVersion: 0 })])).toEqual([0, "/schemaVersion", "0", versionRule])
    expect(refusal([event({ schemaVersion: 1.5 })])).toEqual([0, "/schemaVersion", "1.5", versionRule])
    expect(refusal([event({ schemaVersion: 1n })])).toEqual([0, "/schemaVersion", "1", versionRule])
    const dateRule = "business time must be a calendar date YYYY-MM-DD"
    expect(refusal([event({ occurredAt: "2023-02-29" })])).toEqual([0, "/occurredAt", '"2023-02-29"', dateRule])
    expect(refusal([event({ occurredAt: "2023-04-31" })])).toEqual([0, "/occurredAt", '"2023-04-31"', dateRule])
    expect(refusal([event({ occurredAt: "2023-13-01" })])).toEqual([0, "/occurredAt", '"2023-13-01"', dateRule])
    expect(refusal([event({ occurredAt: "2023-2-01" })])).toEqual([0, "/occurredAt", '"2023-2-01"', dateRule])
    expect(refusal([event({ occurredAt: "x2023-02-01" })])).toEqual([0, "/occurredAt", '"x2023-02-01"', dateRule])
    expect(refusal([event({ occurredAt: "2023-02-01x" })])).toEqual([0, "/occurredAt", '"2023-02-01x"', dateRule])
    expect(refusal([event({ occurredAt: 20230201 })])).toEqual([0, "/occurredAt", "20230201", dateRule])
    const tenantRule = "a tenant id must be 1–63 characters of a–z, 0–9 and -"
    expect(refusal([event({ tenant: "Lulea" })])).toEqual([0, "/tenant", '"Lulea"', tenantRule])
    expect(refusal([event({ tenant: 3 })])).toEqual([0, "/tenant", "3", tenantRule])
    expect(refusal([event({ actor: null })])).toEqual([0, "/actor", "null", "an actor must be an object { id, role }"])
    expect(refusal([event({ actor: "anna" })])).toEqual([0, "/actor", '"anna"', "an actor must be an object { id, role }"])
    expect(refusal([event({ actor: { id: "", role: "x" } })])).toEqual([0, "/actor/id", '""', `an actor id ${text}`])
    expect(refusal([event({ actor: { id: "a", role: "x\uD800" } })])).toEqual([0, "/actor/role", '"x\\ud800"', `an actor role ${text}`])
    expect(refusal([event({ actor: { id: "a", role: 1 } })])).toEqual([0, "/actor/role", "1", `an actor role ${text}`])
    expect(refusal([event({ decisionRef: "" })])).toEqual([0, "/decisionRef", '""', `a decision reference ${text}, or null`])
    expect(refusal([event({ correlationId: "" })])).toEqual([0, "/correlationId", '""', `a correlation id ${text}`])
    expect(refusal([event({ correlationId: null })])).toEqual([0, "/correlationId", "null", `a correlation id ${text}`])
    expect(refusal([event({ causationId: "" })])).toEqual([0, "/causationId", '""', `a causation id ${text}, or null`])
    expect(refusal([event({ payload: [] })])).toEqual([0, "/payload", "[]", "a payload must be a JSON object"])
    expect(refusal([event({ payload: null })])).toEqual([0, "/payload", "null", "a payload must be a JSON object"])
    expect(refusal([event({ payload: "x" })])).toEqual([0, "/payload", '"x"', "a payload must be a JSON object"])
    // The I-JSON guard's own rendering of the value is kept as it is.
    expect(refusal([event({ payload: { a: { b: Number.NaN } } })])).toEqual([0, "/payload/a/b", "NaN", "numbers must be finite"])
  })

  it("accepts the optional fields when absent or null, and a leap day", () => {
    expect(refusal([event({ decisionRef: null, causationId: null, occurredAt: "2000-02-29" })])).toBe("accepted")
    expect(refusal([event({ decisionRef: "KS 2024/12", correlationId: "c", causationId: "d", eventId: ID(1) })])).toBe("accepted")
  })

  it("names the event's place in the batch, a bad stream id, and an id given twice", () => {
    expect(refusal([event(), event(), event({ tenant: "" })])).toEqual([2, "/tenant", '""', "a tenant id must be 1–63 characters of a–z, 0–9 and -"])
    const r = plan([{ streamId: "Trip 1", events: [event()] }])
    expect(Result.isFailure(r) && r.failure.reason).toMatchObject({
      _tag: "InvalidEvent",
      streamId: "Trip 1",
      index: 0,
      field: "/streamId",
      value: '"Trip 1"',
      rule: "a stream id must be 1–200 characters of a–z, 0–9 and . _ : -, starting with a letter or digit"
    })
    expect(refusal([event({ eventId: ID(1) }), event({ eventId: ID(1) })])).toEqual([1, "/eventId", `"${ID(1)}"`, "an event id may appear only once in an append"])
    // Also across two writes of one append.
    const across = plan([
      { streamId: "a", events: [event({ eventId: ID(1) })] },
      { streamId: "b", events: [event(), event({ eventId: ID(1) })] }
    ])
    expect(Result.isFailure(across) && across.failure.reason).toMatchObject({ _tag: "InvalidEvent", streamId: "b", index: 1, field: "/eventId" })
  })
})

describe("append planner records, by hand", () => {
  it("fills in the envelope and chains each event to the one before it, in the log and in its stream", () => {
    const head: AppendPlanner.LogHead = { size: 7, lastHash: "ab".repeat(32), lastRecordedAt: "2024-03-01T11:00:00.000Z" }
    const view: AppendPlanner.CommittedView = {
      streamTip: (s) => (s === "trip-t1" ? { version: 2, lastHash: "cd".repeat(32) } : { version: 0, lastHash: null }),
      findEvent: () => undefined
    }
    const r = plan(
      [
        { streamId: "trip-t1", events: [event({ decisionRef: "KS 1", correlationId: "c-1", causationId: "e-0" }), event({ eventId: ID(9) })], expectedVersion: 2 },
        { streamId: "trip-t2", events: [event()], expectedVersion: "no-stream" },
        { streamId: "trip-t1", events: [event()], expectedVersion: 4 }
      ],
      { head, view }
    )
    if (Result.isFailure(r)) throw r.failure
    const events = r.success.records.map((x) => x.event)
    const brief = (e: StoredEvent) => [e.position, e.eventId, e.streamId, e.streamVersion, e.decisionRef, e.correlationId, e.causationId, e.recordedAt, e.origin, e.v]
    expect(events.map(brief)).toEqual([
      [7, ID(100), "trip-t1", 3, "KS 1", "c-1", "e-0", "2024-03-01T12:00:00.005Z", "test", 1],
      [8, ID(9), "trip-t1", 4, null, ID(9), null, "2024-03-01T12:00:00.005Z", "test", 1],
      [9, ID(101), "trip-t2", 1, null, ID(101), null, "2024-03-01T12:00:00.005Z", "test", 1],
      [10, ID(102), "trip-t1", 5, null, ID(102), null, "2024-03-01T12:00:00.005Z", "test", 1]
    ])
    const [e7, e8, e9, e10] = events as [StoredEvent, StoredEvent, StoredEvent, StoredEvent]
    expect([e7.prevHash, e8.prevHash, e9.prevHash, e10.prevHash]).toEqual([head.lastHash, e7.hash, e8.hash, e9.hash])
    expect([e7.streamPrev, e8.streamPrev, e9.streamPrev, e10.streamPrev]).toEqual(["cd".repeat(32), e7.hash, null, e8.hash])
    expect(e7.hash).toBe(sha(head.lastHash, r.success.records[0]?.canonical ?? ""))
    expect(e10.hash).toBe(sha(e9.hash, r.success.records[3]?.canonical ?? ""))
    expect(r.success.head).toEqual({ size: 11, lastHash: e10.hash, lastRecordedAt: "2024-03-01T12:00:00.005Z" })
    expect(r.success.results.map((x) => [x.streamId, x.nextExpectedVersion, x.firstPosition, x.lastPosition, x.deduplicated, x.events.length])).toEqual([
      ["trip-t1", 4, 7, 8, false, 2],
      ["trip-t2", 1, 9, 9, false, 1],
      ["trip-t1", 5, 10, 10, false, 1]
    ])
  })

  it("never records a time before the last one; an empty write moves nothing", () => {
    const later = "2024-03-01T12:00:01.000Z"
    const r = plan([{ streamId: "s", events: [event()] }], { head: { size: 0, lastHash: HashChain.GENESIS_HASH, lastRecordedAt: later } })
    expect(Result.isSuccess(r) && r.success.records[0]?.event.recordedAt).toBe(later)
    const equal = plan([{ streamId: "s", events: [event()] }], { head: { size: 0, lastHash: HashChain.GENESIS_HASH, lastRecordedAt: "2024-03-01T12:00:00.005Z" } })
    expect(Result.isSuccess(equal) && equal.success.records[0]?.event.recordedAt).toBe("2024-03-01T12:00:00.005Z")
    const head = { size: 3, lastHash: "ef".repeat(32), lastRecordedAt: "2020-01-01T00:00:00.000Z" }
    const empty = plan([{ streamId: "s", events: [] }], { head })
    if (Result.isFailure(empty)) throw empty.failure
    expect(empty.success.head).toEqual(head)
    expect(empty.success.results).toEqual([{ streamId: "s", nextExpectedVersion: 0, firstPosition: 3, lastPosition: 2, deduplicated: false, events: [] }])
    // Another time gives another recorded-at.
    const other = plan([{ streamId: "s", events: [event()] }], { now: Date.UTC(2025, 0, 2) })
    expect(Result.isSuccess(other) && other.success.records[0]?.event.recordedAt).toBe("2025-01-02T00:00:00.000Z")
  })

  it("refuses an append whose expected version the stream does not have", () => {
    const view: AppendPlanner.CommittedView = { streamTip: () => ({ version: 3, lastHash: "cd".repeat(32) }), findEvent: () => undefined }
    const r = plan([{ streamId: "trip-t1", events: [event()], expectedVersion: 2 }], { view })
    expect(Result.isFailure(r) && [r.failure.reason._tag, r.failure.message]).toEqual([
      "ConcurrencyConflict",
      'stream "trip-t1" is at version 3, but the append expected version 2; reload the stream and decide again'
    ])
    // Within one append, the second write sees the first.
    const twice = plan([
      { streamId: "s", events: [event()], expectedVersion: "no-stream" },
      { streamId: "s", events: [event()], expectedVersion: "no-stream" }
    ])
    expect(Result.isFailure(twice) && twice.failure.reason).toMatchObject({ _tag: "ConcurrencyConflict", streamId: "s", expected: "no-stream", actual: 1 })
  })
})

describe("a retried append, by hand", () => {
  // Stored: in stream "s", versions 4 and 5 at positions 20 and 21 (ids 1, 2); in "other", id 3.
  const stored = (id: number, streamId: string, streamVersion: number, position: number) =>
    ({ eventId: ID(id), streamId, streamVersion, position }) as StoredEvent
  const log = new Map([
    [ID(1), stored(1, "s", 4, 20)],
    [ID(2), stored(2, "s", 5, 21)],
    [ID(3), stored(3, "other", 1, 22)],
    [ID(4), stored(4, "s", 7, 30)]
  ])
  const view: AppendPlanner.CommittedView = { streamTip: (s) => ({ version: s === "s" ? 7 : 1, lastHash: "cd".repeat(32) }), findEvent: (id) => log.get(id) }
  const retry = (streamId: string, ids: ReadonlyArray<number | undefined>) => {
    const r = plan([{ streamId, events: ids.map((id) => event(id === undefined ? {} : { eventId: ID(id) })), expectedVersion: 0 }], { view })
    if (Result.isSuccess(r)) return r.success
    return r.failure.reason._tag === "DuplicateEvent" ? r.failure.message : r.failure.reason._tag
  }

  it("answers an exact retry with what was stored, writing nothing", () => {
    const r = retry("s", [1, 2])
    expect(typeof r !== "string" && [r.records.length, r.head, r.results]).toEqual([
      0,
      AppendPlanner.EMPTY_HEAD,
      [{ streamId: "s", nextExpectedVersion: 7, firstPosition: 20, lastPosition: 21, deduplicated: true, events: [log.get(ID(1)), log.get(ID(2))] }]
    ])
  })

  it("refuses anything else that reuses a stored id, naming the first one found", () => {
    const duplicate = (id: number, stream: string, position: number) =>
      `event ${ID(id)} is already stored at position ${position} (stream "${stream}") and this batch is not an exact retry of that append; use fresh event ids for new events`
    expect(retry("s", [2, 1])).toBe(duplicate(2, "s", 21))
    expect(retry("s", [undefined, 2])).toBe(duplicate(2, "s", 21))
    expect(retry("s", [1, 2, 5])).toBe(duplicate(1, "s", 20))
    expect(retry("s", [1, 4])).toBe(duplicate(1, "s", 20))
    expect(retry("t", [3])).toBe(duplicate(3, "other", 22))
    expect(retry("t", [1])).toBe(duplicate(1, "s", 20))
    // Ids never stored are new events (and meet the expected version).
    expect(retry("s", [5, 6])).toBe("ConcurrencyConflict")
  })
})
