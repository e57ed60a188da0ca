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

// A tagged error as a store, a decider or core throws it: an `Error` with its message and fields.
const tagged = (message: string, fields: Record<string, unknown>) => Object.assign(new Error(message), fields)

// Every mapping of `fromError`, each read off its documented table by hand: the input, the command
// the caller knew (if any), and the whole error it becomes (`toJSON` and `cause`).
const mappings: ReadonlyArray<readonly [string, unknown, string | undefined, Record<string, string | boolean>]> = [
  [
    "a command's field, naming its command over the caller's",
    tagged("bad date", { _tag: "CommandInputError", command: "SignMembership", field: "occurredAt", value: '"x"', rule: "a date" }),
    "Other",
    { code: "INVALID_INPUT", tag: "CommandInputError", message: "bad date", retryable: false, command: "SignMembership", field: "occurredAt", value: '"x"', rule: "a date" }
  ],
  [
    "a command's field without its command: the caller's",
    tagged("bad", { _tag: "CommandInputError", field: "amount", value: "-5", rule: "non-negative" }),
    "AllotAppropriation",
    { code: "INVALID_INPUT", tag: "CommandInputError", message: "bad", retryable: false, command: "AllotAppropriation", field: "amount", value: "-5", rule: "non-negative" }
  ],
  [
    "a role that may not give the command",
    tagged("no", { _tag: "NotAuthorized", command: "GrantProject", actorId: "x", role: "officer", allowedRoles: ["regional-development-board", "government"] }),
    undefined,
    {
      code: "FORBIDDEN",
      tag: "NotAuthorized",
      message: "no",
      retryable: false,
      command: "GrantProject",
      field: "actor.role",
      value: '"officer"',
      rule: "GrantProject may only be given by: regional-development-board, government"
    }
  ],
  [
    "a command nobody may give, without a role or a command named",
    tagged("no", { _tag: "NotAuthorized", allowedRoles: "everyone" }),
    undefined,
    { code: "FORBIDDEN", tag: "NotAuthorized", message: "no", retryable: false, field: "actor.role", rule: "this command may only be given by: nobody" }
  ],
  [
    "a role and a command that are not strings: neither shown, the caller's command named",
    tagged("no", { _tag: "NotAuthorized", command: 5, role: 7, allowedRoles: ["government"] }),
    "GrantProject",
    {
      code: "FORBIDDEN",
      tag: "NotAuthorized",
      message: "no",
      retryable: false,
      command: "GrantProject",
      field: "actor.role",
      rule: "GrantProject may only be given by: government"
    }
  ],
  [
    "an event the store refuses: the caller's input, not worth retrying",
    tagged("refused", { _tag: "EventStoreError", reason: { _tag: "InvalidEvent", field: "/occurredAt", value: '"x"', rule: "a date" } }),
    undefined,
    { code: "INVALID_INPUT", tag: "EventStoreError/InvalidEvent", message: "refused", retryable: false, field: "/occurredAt", value: '"x"', rule: "a date" }
  ],
  [
    "a concurrency conflict: worth retrying",
    tagged("lost", { _tag: "EventStoreError", reason: { _tag: "ConcurrencyConflict" } }),
    "SignAgreement",
    { code: "CONFLICT", tag: "EventStoreError/ConcurrencyConflict", message: "lost", retryable: true, command: "SignAgreement" }
  ],
  [
    "a duplicate event: not",
    tagged("dup", { _tag: "EventStoreError", reason: { _tag: "DuplicateEvent" } }),
    undefined,
    { code: "CONFLICT", tag: "EventStoreError/DuplicateEvent", message: "dup", retryable: false }
  ],
  [
    "a store that may come back",
    tagged("down", { _tag: "EventStoreError", reason: { _tag: "Unavailable", retryable: true } }),
    undefined,
    { code: "STORE_UNAVAILABLE", tag: "EventStoreError/Unavailable", message: "down", retryable: true }
  ],
  [
    "a store whose retryable is not a boolean true",
    tagged("down", { _tag: "EventStoreError", reason: { _tag: "Unavailable", retryable: "yes" } }),
    undefined,
    { code: "STORE_UNAVAILABLE", tag: "EventStoreError/Unavailable", message: "down", retryable: false }
  ],
  [
    "a corrupt row",
    tagged("bad row", { _tag: "EventStoreError", reason: { _tag: "Corrupt" } }),
    undefined,
    { code: "STORE_CORRUPT", tag: "EventStoreError/Corrupt", message: "bad row", retryable: false }
  ],
  [
    "a store reason the facade does not know",
    tagged("odd", { _tag: "EventStoreError", reason: { _tag: "Weird" } }),
    undefined,
    { code: "INTERNAL", tag: "EventStoreError/Weird", message: "odd", retryable: false }
  ],
  [
    "a store error without a reason",
    tagged("odd", { _tag: "EventStoreError" }),
    undefined,
    { code: "INTERNAL", tag: "EventStoreError/Unknown", message: "odd", retryable: false }
  ],
  [
    "an event the catalogue cannot decode",
    tagged("undecodable", { _tag: "EventDecodeError" }),
    undefined,
    { code: "STORE_CORRUPT", tag: "EventDecodeError", message: "undecodable", retryable: false }
  ],
  [
    "a closed instance",
    tagged("closed", { _tag: "UtblickClosed" }),
    undefined,
    { code: "CLOSED", tag: "UtblickClosed", message: "closed", retryable: false }
  ],
  [
    "a domain rule, tagged with its reason",
    tagged("over", { _tag: "DomainError", reason: { _tag: "AppropriationExceeded", field: "amount", value: "5", rule: "within the appropriation" } }),
    "GrantProject",
    { code: "RULE_VIOLATED", tag: "AppropriationExceeded", message: "over", retryable: false, command: "GrantProject", field: "amount", value: "5", rule: "within the appropriation" }
  ],
  [
    "a domain rule without a reason",
    tagged("over", { _tag: "DomainError" }),
    undefined,
    { code: "RULE_VIOLATED", tag: "DomainError", message: "over", retryable: false }
  ],
  [
    "the same idempotency key with other content: a conflict not worth retrying",
    tagged("key", { _tag: "IdempotencyConflict", command: "SignMembership", idempotencyKey: "k", field: "occurredAt", value: '"2030-01-01"', rule: "as recorded" }),
    undefined,
    { code: "CONFLICT", tag: "IdempotencyConflict", message: "key", retryable: false, command: "SignMembership", field: "occurredAt", value: '"2030-01-01"', rule: "as recorded" }
  ],
  [
    "a tagged error the facade does not know",
    tagged("what", { _tag: "Something" }),
    "Register",
    { code: "INTERNAL", tag: "Something", message: "what", retryable: false, command: "Register" }
  ],
  ["a thrown string", "boom", "Register", { code: "INTERNAL", tag: "Defect", message: "boom", retryable: false }],
  ["null", null, undefined, { code: "INTERNAL", tag: "Defect", message: "null", retryable: false }],
  ["an error without a tag", new Error("plain"), undefined, { code: "INTERNAL", tag: "Defect", message: "plain", retryable: false }],
  ["a tag that is not a string", tagged("num", { _tag: 5 }), undefined, { code: "INTERNAL", tag: "Defect", message: "num", retryable: false }]
]

describe("fromError, every mapping", () => {
  it.each(mappings)("%s", (_what, input, command, expected) => {
    const error = fromError(input, command)
    expect(error.toJSON()).toEqual(expected)
    expect([error.name, error.cause]).toEqual(["UtblickError", input])
    expect(error).toBeInstanceOf(Error)
  })

  it("passes an UtblickError through as it is", () => {
    const original = new UtblickError("closed", { code: "CLOSED", tag: "UtblickClosed", retryable: false })
    expect(fromError(original, "Register")).toBe(original)
    expect(Object.hasOwn(original, "cause")).toBe(false)
    expect(original.toJSON()).toEqual({ code: "CLOSED", tag: "UtblickClosed", message: "closed", retryable: false })
  })
})

describe("fromCause", () => {
  it("maps the typed failure first, with the caller's command", () => {
    const failure = tagged("lost", { _tag: "EventStoreError", reason: { _tag: "ConcurrencyConflict" } })
    const error = fromCause(Cause.combine(Cause.die(new Error("later")), Cause.fail(failure)), "SignAgreement")
    expect(error.toJSON()).toEqual({
      code: "CONFLICT",
      tag: "EventStoreError/ConcurrencyConflict",
      message: "lost",
      retryable: true,
      command: "SignAgreement"
    })
  })

  it("an interruption is the instance closing under the call", () => {
    expect(fromCause(Cause.interrupt()).toJSON()).toEqual({
      code: "CLOSED",
      tag: "Interrupted",
      message: "the Utblick instance was closed while the call was running",
      retryable: false
    })
  })

  it("an empty cause is INTERNAL, with the cause kept", () => {
    const error = fromCause(Cause.empty)
    expect([error.code, error.tag, error.retryable, error.cause]).toEqual(["INTERNAL", "Unknown", false, Cause.empty])
  })
})
