// The whole message of a payload the catalogue refuses: where the event lies (position, stream,
// type and version), which field is wrong, what the rule is and what value was found, on one line.
// Expected texts written by hand from the message's parts:
//   `event at position P (stream "S", T vV) cannot be decoded: ` (EventDecodeError's message), then
//   the schema's issue, "Expected string, got 42", and its path, `at ["text"]`, which the
//   formatter puts on a second line indented by two spaces; the catalogue joins the lines with a
//   space, so three spaces stand between the value and `at`.
// Only the first wrong field is named (`errors: "first"`): a payload with two wrong fields names
// the first in the schema's order.
// The catalogue is made inside each test, not in the `describe` body: a mutation run activates
// each mutant for the tests, so a decoder compiled while the file is collected would escape it.
import { type Envelope, EventCatalog } from "@utblick/core"
import { Result, Schema } from "effect"
import { describe, expect, it } from "vitest"

const Noted = Schema.TaggedStruct("Noted", { text: Schema.String, trail: Schema.String })

const stored = (payload: Envelope.StoredEvent["payload"]): Envelope.StoredEvent =>
  ({
    position: 7,
    streamId: "notes-2",
    streamVersion: 1,
    eventId: "017f22e2-79b0-7cc3-98c4-dc0c0c07398f",
    type: "Noted",
    schemaVersion: 1,
    occurredAt: "2022-01-01",
    recordedAt: "2023-01-01T00:00:00.000Z",
    tenant: "t",
    actor: { id: "a", role: "r" },
    correlationId: "017f22e2-79b0-7cc3-98c4-dc0c0c07398f",
    causationId: null,
    decisionRef: null,
    payload,
    prevHash: "0".repeat(64),
    streamPrev: null,
    hash: "1".repeat(64)
  }) as Envelope.StoredEvent

const refusal = (payload: Envelope.StoredEvent["payload"]): string => {
  const catalog = EventCatalog.make([EventCatalog.define(Noted, "Noted")])
  const result = catalog.decode(stored(payload))
  return Result.isFailure(result) ? result.failure.message : "decoded"
}

describe("EventCatalog decode refusal", () => {
  it("names the event, the field, the rule and the value found, on one line", () => {
    expect(refusal({ text: 42, trail: "" })).toBe(
      'event at position 7 (stream "notes-2", Noted v1) cannot be decoded: Expected string, got 42   at ["text"]'
    )
  })

  it("names the first wrong field only, with its value", () => {
    expect(refusal({ text: "hej", trail: false })).toBe(
      'event at position 7 (stream "notes-2", Noted v1) cannot be decoded: Expected string, got false   at ["trail"]'
    )
    expect(refusal({ text: null, trail: 7 })).toBe(
      'event at position 7 (stream "notes-2", Noted v1) cannot be decoded: Expected string, got null   at ["text"]'
    )
  })

  it("names a missing field", () => {
    expect(refusal({ text: "hej" })).toBe(
      'event at position 7 (stream "notes-2", Noted v1) cannot be decoded: Missing key   at ["trail"]'
    )
  })
})
