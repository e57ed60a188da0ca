// What the mutation run of `AppendPlanner.ts` (2026-12-05) found unpinned, against values written
// out by hand: the record's exact canonical bytes with and without the optional references (and
// its hash from node:crypto), a year before 100 that Date.UTC moves to the 1900s, an impossible
// date asked twice (the cache of known dates must not learn it), the 60-character cut of a value
// shown in a refusal, ids and stream ids that are not strings, a retry whose ids run into another
// stream, and the words of the payload limit.
import { createHash } from "node:crypto"
import * as AppendPlanner from "@utblick/core/AppendPlanner"
import type { EventToAppend, StoredEvent } from "@utblick/core/Envelope"
import { Result } from "effect"
import { describe, expect, it } from "vitest"

const ID = (n: number) => `0186e3b0-1c00-7000-8000-${String(n).padStart(12, "0")}`
const GENESIS = "0".repeat(64)
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
const emptyView: AppendPlanner.CommittedView = {
  streamTip: () => ({ version: 0, lastHash: null }),
  findEvent: () => undefined
}

const plan = (writes: ReadonlyArray<unknown>, view = emptyView) => {
  let n = 100
  return AppendPlanner.planAppend({
    origin: "test",
    head: AppendPlanner.EMPTY_HEAD,
    view,
    writes: writes as ReadonlyArray<AppendPlanner.StreamWrite>,
    nowMillis: Date.UTC(2024, 2, 1, 12, 0, 0, 5),
    newEventId: () => ID(n++)
  })
}
const refusal = (events: ReadonlyArray<unknown>, ...streamId: ReadonlyArray<unknown>) => {
  const r = plan([{ streamId: streamId.length === 0 ? "trip-t1" : streamId[0], events }])
  if (Result.isSuccess(r)) return "accepted"
  const reason = r.failure.reason
  return reason._tag === "InvalidEvent"
    ? [reason.streamId, reason.index, reason.field, reason.value, reason.rule]
    : r.failure.message
}

describe("the record's bytes", () => {
  it("writes the optional references as given, or null, in the canonical record that is hashed", () => {
    const r = plan([
      {
        streamId: "trip-t1",
        events: [event({ decisionRef: "KS 1", correlationId: "c-1", causationId: "e-0" }), event()]
      }
    ])
    if (Result.isFailure(r)) throw r.failure
    const [first, second] = r.success.records
    expect(first?.canonical).toBe(
      '{"actor":{"id":"anna","role":"traveller"},"causationId":"e-0","correlationId":"c-1","decisionRef":"KS 1",' +
        `"eventId":"${ID(100)}","occurredAt":"2024-02-29","origin":"test","payload":{"tripId":"t1"},"position":0,` +
        '"recordedAt":"2024-03-01T12:00:00.005Z","schemaVersion":1,"streamId":"trip-t1","streamPrev":null,' +
        '"streamVersion":1,"tenant":"lulea-kommun","type":"Trip.Proposed","v":1}'
    )
    const firstHash = createHash("sha256")
      .update(Buffer.from(GENESIS, "hex"))
      .update(first?.canonical ?? "")
      .digest("hex")
    expect(first?.event.hash).toBe(firstHash)
    expect(second?.canonical).toBe(
      `{"actor":{"id":"anna","role":"traveller"},"causationId":null,"correlationId":"${ID(101)}","decisionRef":null,` +
        `"eventId":"${ID(101)}","occurredAt":"2024-02-29","origin":"test","payload":{"tripId":"t1"},"position":1,` +
        `"recordedAt":"2024-03-01T12:00:00.005Z","schemaVersion":1,"streamId":"trip-t1","streamPrev":"${firstHash}",` +
        '"streamVersion":2,"tenant":"lulea-kommun","type":"Trip.Proposed","v":1}'
    )
  })
})

describe("refusals at their edges", () => {
  const dateRule = "business time must be a calendar date YYYY-MM-DD"
  it("refuses a year before 100 (which Date.UTC reads as 19xx), and accepts year 100", () => {
    expect(refusal([event({ occurredAt: "0099-12-31" })])).toEqual([
      "trip-t1",
      0,
      "/occurredAt",
      '"0099-12-31"',
      dateRule
    ])
    expect(refusal([event({ occurredAt: "0100-01-01" })])).toBe("accepted")
  })

  it("refuses an impossible date every time it is asked, and accepts a real one every time", () => {
    for (const round of [1, 2, 3]) {
      expect(refusal([event({ occurredAt: "2023-02-29" })]), `round ${round}`).toEqual([
        "trip-t1",
        0,
        "/occurredAt",
        '"2023-02-29"',
        dateRule
      ])
      expect(refusal([event({ occurredAt: "2023-02-28" })]), `round ${round}`).toBe("accepted")
    }
    // Two in one append: the second is refused as the first would be.
    expect(refusal([event({ occurredAt: "2022-02-29" }), event({ occurredAt: "2022-02-29" })])).toEqual([
      "trip-t1",
      0,
      "/occurredAt",
      '"2022-02-29"',
      dateRule
    ])
  })

  it("shows a value of 60 characters whole, and one of 61 cut after 60", () => {
    const typeRule = "a type must be a name of letters, digits and dots, starting with a letter"
    const sixty = `1${"x".repeat(59)}`
    expect(refusal([event({ type: sixty })])).toEqual(["trip-t1", 0, "/type", `"${sixty}"`, typeRule])
    expect(refusal([event({ type: `${sixty}y` })])).toEqual(["trip-t1", 0, "/type", `"${sixty}…"`, typeRule])
  })

  it("refuses an event id or a stream id that is no string, even one that reads as a valid one", () => {
    const lookalike = { toString: () => ID(1) }
    expect(refusal([event({ eventId: lookalike })])).toEqual([
      "trip-t1",
      0,
      "/eventId",
      "{}",
      "an event id must be a lowercase UUIDv7"
    ])
    const streamRule =
      "a stream id must be 1–200 characters of a–z, 0–9 and . _ : -, starting with a letter or digit"
    expect(refusal([event()], 5)).toEqual(["5", 0, "/streamId", "5", streamRule])
    expect(refusal([event()], undefined)).toEqual(["undefined", 0, "/streamId", "undefined", streamRule])
    expect(refusal([event()], { toString: () => "trip-t1" })).toEqual([
      "trip-t1",
      0,
      "/streamId",
      "{}",
      streamRule
    ])
  })

  it("names a payload over the limit by its bytes, with the limit in the rule", () => {
    // {"a":"…"} is the string's length plus 8 bytes.
    const over = 16 * 1024 * 1024 - 64 * 1024 + 1
    expect(refusal([event({ payload: { a: "x".repeat(over - 8) } })])).toEqual([
      "trip-t1",
      0,
      "/payload",
      `"(${over} bytes)"`,
      "a payload is at most 16711680 bytes, so that the event's export line stays within the verifier's 16 MiB"
    ])
  })
})

describe("a retry that runs into another stream", () => {
  it("is no exact retry when a later id is stored in another stream, even at the next version", () => {
    const stored = (id: number, streamId: string, streamVersion: number, position: number) =>
      ({ eventId: ID(id), streamId, streamVersion, position }) as StoredEvent
    const log = new Map([
      [ID(1), stored(1, "s", 4, 20)],
      [ID(5), stored(5, "other", 5, 21)]
    ])
    const view: AppendPlanner.CommittedView = {
      streamTip: () => ({ version: 5, lastHash: "cd".repeat(32) }),
      findEvent: (id) => log.get(id)
    }
    const r = plan([{ streamId: "s", events: [event({ eventId: ID(1) }), event({ eventId: ID(5) })] }], view)
    expect(Result.isFailure(r) && r.failure.message).toBe(
      `event ${ID(1)} is already stored at position 20 (stream "s") and this batch is not an exact retry of that append; use fresh event ids for new events`
    )
  })
})
