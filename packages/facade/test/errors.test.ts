import { EventCatalog, EventStoreError } from "@utblick/core"
import { fromCause, fromError, UtblickError } from "@utblick/facade"
import { Cause } from "effect"
import { describe, expect, it } from "vitest"

// The store reasons that are hard to provoke through a real store are mapped from constructed
// errors here; the facade tests provoke the others end to end.
describe("fromError", () => {
  it("maps every store reason", () => {
    const of = (reason: EventStoreError.EventStoreErrorReason) => fromError(EventStoreError.fromReason(reason))
    expect(of(new EventStoreError.DuplicateEvent({ eventId: "e", streamId: "s", position: 3 })).code).toBe("CONFLICT")
    const invalid = of(
      new EventStoreError.InvalidEvent({ streamId: "s", index: 0, field: "/occurredAt", value: '"x"', rule: "a date" })
    )
    expect([invalid.code, invalid.field, invalid.value, invalid.rule]).toEqual(["INVALID_INPUT", "/occurredAt", '"x"', "a date"])
    expect(of(new EventStoreError.Corrupt({ position: 1, streamId: "s", detail: "bad json" })).code).toBe("STORE_CORRUPT")
    const decode = fromError(
      new EventCatalog.EventDecodeError({ position: 1, streamId: "s", type: "X", schemaVersion: 9, detail: "unknown" })
    )
    expect(decode.code).toBe("STORE_CORRUPT")
  })

  it("treats defects as INTERNAL and keeps the original as cause", () => {
    const boom = new Error("boom")
    const error = fromCause(Cause.die(boom))
    expect(error).toBeInstanceOf(UtblickError)
    expect(error).toBeInstanceOf(Error)
    expect([error.code, error.message, error.cause]).toEqual(["INTERNAL", "boom", boom])
  })

  it("serialises to a problem-shaped JSON object", () => {
    const error = fromError(
      new EventStoreError.EventStoreError({
        reason: new EventStoreError.Unavailable({ operation: "append", detail: "disk full", retryable: false })
      })
    )
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      code: "STORE_UNAVAILABLE",
      tag: "EventStoreError/Unavailable",
      message: "the store could not append: disk full",
      retryable: false
    })
  })
})
