// The event catalogue's edges (mutation testing's targets): a definition's upcasters checked when
// it is defined, a chain of upcasters applied in order, a catalogue that knows a type twice, the
// exact words of each encoding and decoding refusal, and `has`. Expected texts written by hand.
import { type Envelope, EventCatalog } from "@utblick/core"
import { Result, Schema } from "effect"
import { describe, expect, it } from "vitest"

const Noted = Schema.TaggedStruct("Noted", { text: Schema.String, trail: Schema.String })
const Other = Schema.TaggedStruct("Other", { n: Schema.Number })

const stored = (over: Partial<Envelope.StoredEvent>): Envelope.StoredEvent =>
  ({
    position: 4,
    streamId: "notes-1",
    streamVersion: 1,
    eventId: "017f22e2-79b0-7cc3-98c4-dc0c0c07398f",
    type: "Noted",
    schemaVersion: 3,
    occurredAt: "2022-01-01",
    recordedAt: "2023-01-01T00:00:00.000Z",
    tenant: "t",
    actor: { id: "a", role: "r" },
    correlationId: "017f22e2-79b0-7cc3-98c4-dc0c0c07398f",
    causationId: null,
    decisionRef: null,
    payload: { text: "hej", trail: "" },
    prevHash: "0".repeat(64),
    streamPrev: null,
    hash: "1".repeat(64),
    ...over
  }) as Envelope.StoredEvent

// Version 3, with upcasters 1 → 2 and 2 → 3 that each leave a mark: their order shows in `trail`.
const v3 = EventCatalog.define(Noted, "Noted", {
  version: 3,
  upcasters: {
    1: (p) => ({ ...p, trail: `${String(p["trail"] ?? "")}1` }),
    2: (p) => ({ ...p, trail: `${String(p["trail"] ?? "")}2` })
  }
})

describe("EventCatalog.define", () => {
  it("is version 1 with no upcasters unless told, and refuses a version without an upcaster from each earlier one", () => {
    const plain = EventCatalog.define(Noted, "Noted")
    expect([plain.version, plain.upcasters, plain.tag]).toEqual([1, {}, "Noted"])
    expect(() => EventCatalog.define(Noted, "Noted", { version: 3, upcasters: { 1: (p) => p } })).toThrow(
      "event Noted is at version 3 but has no upcaster from version 2"
    )
    expect(() => EventCatalog.define(Noted, "Noted", { version: 2 })).toThrow(
      "event Noted is at version 2 but has no upcaster from version 1"
    )
    expect(v3.version).toBe(3)
  })
})

describe("EventCatalog.make and concat", () => {
  it("refuse a type defined twice", () => {
    expect(() => EventCatalog.make([v3, EventCatalog.define(Noted, "Noted")])).toThrow("event type Noted is defined twice")
    const notes = EventCatalog.make([v3])
    expect(() => notes.concat(EventCatalog.make([EventCatalog.define(Noted, "Noted")]))).toThrow(
      "event type Noted is defined twice"
    )
    const both = notes.concat(EventCatalog.make([EventCatalog.define(Other, "Other")]))
    expect([both.has("Noted"), both.has("Other"), both.has("Third"), notes.has("Other")]).toEqual([true, true, false, false])
    expect([...both.definitions.keys()]).toEqual(["Noted", "Other"])
  })
})

describe("decode", () => {
  const catalog = EventCatalog.make([v3])
  it("applies the upcasters from the stored version on, in order", () => {
    const at = (schemaVersion: number) => {
      const r = catalog.decode(stored({ schemaVersion, payload: { text: "hej", trail: "" } }))
      return Result.isSuccess(r) ? r.success : r.failure.message
    }
    expect([at(1), at(2), at(3)]).toEqual([
      { _tag: "Noted", text: "hej", trail: "12" },
      { _tag: "Noted", text: "hej", trail: "2" },
      { _tag: "Noted", text: "hej", trail: "" }
    ])
  })

  it("names the position, stream, type and version of an event it refuses, and why", () => {
    const message = (event: Envelope.StoredEvent) => {
      const r = catalog.decode(event)
      return Result.isFailure(r) ? r.failure.message : "decoded"
    }
    expect(message(stored({ schemaVersion: 4 }))).toBe(
      'event at position 4 (stream "notes-1", Noted v4) cannot be decoded: this program knows Noted only up to version 3; upgrade it'
    )
    expect(message(stored({ type: "Unknown", schemaVersion: 1 }))).toBe(
      'event at position 4 (stream "notes-1", Unknown v1) cannot be decoded: the type is not in the event catalogue'
    )
    const bad = catalog.decode(stored({ payload: { text: 42, trail: "" } }))
    expect(Result.isFailure(bad) && bad.failure).toMatchObject({ _tag: "EventDecodeError", position: 4, streamId: "notes-1", type: "Noted", schemaVersion: 3 })
    // The value is in the message: what lets a person find the bad row.
    expect(Result.isFailure(bad) && bad.failure.detail).toContain("42")
    expect(Result.isFailure(bad) && bad.failure.detail).not.toContain("\n")
  })
})

describe("encode", () => {
  const catalog = EventCatalog.make([v3])
  it("gives the current version and the payload without its tag", () => {
    expect(catalog.encode({ _tag: "Noted", text: "hej", trail: "x" })).toEqual(
      Result.succeed({ type: "Noted", schemaVersion: 3, payload: { text: "hej", trail: "x" } })
    )
  })

  it("names the type of an event it cannot store, and why", () => {
    const unknown = catalog.encode({ _tag: "Other", n: 1 } as never)
    expect(Result.isFailure(unknown) && unknown.failure.message).toBe(
      "event Other cannot be stored: the type is not in the event catalogue"
    )
    const bad = catalog.encode({ _tag: "Noted", text: 42, trail: "" } as never)
    expect(Result.isFailure(bad) && bad.failure).toMatchObject({ _tag: "EventEncodeError", type: "Noted" })
    expect(Result.isFailure(bad) && bad.failure.detail).toContain("string")
  })
})
