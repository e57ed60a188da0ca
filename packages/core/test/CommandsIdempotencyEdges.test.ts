/**
 * `Commands`' idempotency written out by hand: the key each kind of command derives (a case
 * number, a fact that happens once, identity fields, registry entries, a key cut at 200
 * characters), the field and both values a conflict names, what counts as the same content, and
 * the summary of a run. Expected keys are spelt from the rule in `idempotencyKeyOf`'s JSDoc; the
 * digests are SHA-256 of RFC 8785 JSON (core's `canonicalize`, not the module's own serializer).
 */

import { createHash } from "node:crypto"
import { Commands, EventStore } from "@utblick/core"
import { canonicalize, type JsonValue } from "@utblick/core/CanonicalJson"
import { Effect, Stream } from "effect"
import { describe, expect, it } from "vitest"
import { board, signMembership } from "./fixtures.js"

const registrar = { id: "lulea-kommun", role: "registrar" }
const sign = signMembership
const assign = (extra: Record<string, unknown>) => ({
  _tag: "AssignMembershipRole",
  tenant: "lulea-kommun",
  occurredAt: "2004-03-01",
  actor: board,
  actorId: "lulea-kommun",
  organisationId: "ubc",
  ...extra
})
const register = (ubcName: string) => ({
  _tag: "Register",
  tenant: "lulea-kommun",
  occurredAt: "2003-01-01",
  actor: registrar,
  events: [
    { _tag: "ActorRegistered", actorId: "lulea-kommun", name: "Luleå kommun", kind: "municipality" },
    { _tag: "OrganisationRegistered", organisationId: "ubc", name: ubcName, focusArea: "regional-arctic" }
  ]
})

const run = <A, E>(effect: Effect.Effect<A, E, EventStore.EventStore>) =>
  effect.pipe(Effect.provide(EventStore.layerMemory()), Effect.runPromise)

const keyOf = (input: Record<string, unknown>) =>
  run(Effect.map(Commands.execute(input), (r) => r.idempotencyKey))

/** A second command under the key of a first: the conflict, and how many events the log holds. */
const conflict = (first: Record<string, unknown>, second: Record<string, unknown>) =>
  run(
    Effect.gen(function* () {
      yield* Commands.execute(first)
      const failure = yield* Effect.flip(Commands.execute(second))
      const store = yield* EventStore.EventStore
      return { failure, size: (yield* store.head).size }
    })
  )

// What "the same content" means: the command as given, keys sorted, without its idempotencyKey.
const digest = (input: Record<string, unknown>): string => {
  const { idempotencyKey: _, ...rest } = input
  return createHash("sha256")
    .update(canonicalize(rest as JsonValue))
    .digest("hex")
    .slice(0, 16)
}

describe("the idempotency key a command derives", () => {
  it("is the idempotencyKey given, whatever the command", async () => {
    expect(await keyOf(sign({ idempotencyKey: "import-2003/line-7" }))).toBe("import-2003/line-7")
  })

  it("ends with the case number when one is given, else with the business date", async () => {
    expect(await keyOf(sign({ decisionRef: "KS 2003/17" }))).toBe(
      "lulea-kommun/SignMembership/membership-lulea-kommun-ubc/KS 2003/17"
    )
    expect(await keyOf(sign())).toBe("lulea-kommun/SignMembership/membership-lulea-kommun-ubc/2003-01-01")
  })

  it("is the stream alone for a fact that happens once in it (signing an agreement)", async () => {
    const key = await keyOf({
      _tag: "SignAgreement",
      tenant: "lulea-kommun",
      occurredAt: "2023-08-01",
      decisionRef: "KS 2023/88",
      actor: board,
      agreementId: "lulea-noveant",
      kind: "twin-town",
      title: "Vänort Novéant",
      parties: [
        { name: "Luleå kommun", actorId: "lulea-kommun" },
        { name: "Novéant-sur-Moselle", country: "FR" }
      ],
      priorityAreas: []
    })
    expect(key).toBe("lulea-kommun/SignAgreement/agreement-lulea-noveant")
  })

  it("ends with the identity fields of a recurring fact, a missing one as '-'", async () => {
    const keys = await run(
      Effect.gen(function* () {
        yield* Commands.execute(sign())
        const withBody = yield* Commands.execute(
          assign({ role: "commission-member", body: "Sustainable Cities Commission" })
        )
        const without = yield* Commands.execute(assign({ role: "chair" }))
        return [withBody.idempotencyKey, without.idempotencyKey]
      })
    )
    expect(keys).toEqual([
      "lulea-kommun/AssignMembershipRole/membership-lulea-kommun-ubc/commission-member/Sustainable Cities Commission",
      "lulea-kommun/AssignMembershipRole/membership-lulea-kommun-ubc/chair/-"
    ])
  })

  it("names each registry entry by its type and its own id", async () => {
    expect(await keyOf(register("Union of the Baltic Cities"))).toBe(
      "lulea-kommun/Register/ActorRegistered:lulea-kommun,OrganisationRegistered:ubc"
    )
  })

  // The derived key of a membership is 51 characters besides the two ids:
  // "lulea-kommun/SignMembership/membership-" (39) + actor + "-" + organisation + "/2003-01-01" (11).
  it("is kept whole at 200 characters and cut at 201: 150 characters, '#', 40 hex digits of its SHA-256", async () => {
    const actorId = "a".repeat(100)
    const at200 = `lulea-kommun/SignMembership/membership-${actorId}-${"b".repeat(49)}/2003-01-01`
    const at201 = `lulea-kommun/SignMembership/membership-${actorId}-${"b".repeat(50)}/2003-01-01`
    expect([at200.length, at201.length]).toEqual([200, 201])
    const sha = createHash("sha256").update(at201).digest("hex")
    expect(await keyOf(sign({ actorId, organisationId: "b".repeat(49) }))).toBe(at200)
    expect(await keyOf(sign({ actorId, organisationId: "b".repeat(50) }))).toBe(
      `${at201.slice(0, 150)}#${sha.slice(0, 40)}`
    )
  })
})

describe("a key recorded before", () => {
  it("with the same fields in another order is the same command: nothing is appended", async () => {
    const [first, second, size] = await run(
      Effect.gen(function* () {
        const a = yield* Commands.execute(sign({ joinedYear: 1991 }))
        const reversed = Object.fromEntries(Object.entries(sign({ joinedYear: 1991 })).reverse())
        const b = yield* Commands.execute(reversed)
        return [a, b, (yield* (yield* EventStore.EventStore).head).size] as const
      })
    )
    expect([first.alreadyRecorded, second.alreadyRecorded, second.streams, second.events, size]).toEqual([
      false,
      true,
      [],
      [],
      1
    ])
  })

  it("given again as an explicit idempotencyKey with the same content is the same command", async () => {
    const second = await run(
      Effect.gen(function* () {
        const a = yield* Commands.execute(sign())
        return yield* Commands.execute(sign({ idempotencyKey: a.idempotencyKey }))
      })
    )
    expect(second.alreadyRecorded).toBe(true)
  })

  it("handled from its decoded form is the command as given", async () => {
    const second = await run(
      Effect.gen(function* () {
        yield* Commands.handle(yield* Commands.decode(sign()))
        return yield* Commands.execute(sign())
      })
    )
    expect(second.alreadyRecorded).toBe(true)
  })

  it("with another business date names occurredAt first, and writes nothing", async () => {
    const { failure, size } = await conflict(
      sign({ idempotencyKey: "k-1", joinedYear: 1991 }),
      sign({ idempotencyKey: "k-1", occurredAt: "2003-02-01", joinedYear: 1992 })
    )
    expect(failure).toMatchObject({
      _tag: "IdempotencyConflict",
      command: "SignMembership",
      idempotencyKey: "k-1",
      field: "occurredAt",
      value: '"2003-01-01" when recorded, "2003-02-01" now'
    })
    expect(size).toBe(1)
  })

  it("with a case number where none was recorded names decisionRef, recorded as null", async () => {
    const { failure } = await conflict(
      sign({ idempotencyKey: "k-1" }),
      sign({ idempotencyKey: "k-1", decisionRef: "KS 2003/17" })
    )
    expect(failure).toMatchObject({ field: "decisionRef", value: 'null when recorded, "KS 2003/17" now' })
  })

  it("without the case number recorded names decisionRef, given as null", async () => {
    const { failure } = await conflict(
      sign({ idempotencyKey: "k-1", decisionRef: "KS 2003/17" }),
      sign({ idempotencyKey: "k-1" })
    )
    expect(failure).toMatchObject({ field: "decisionRef", value: '"KS 2003/17" when recorded, null now' })
  })

  it("given by another actor names actor", async () => {
    const { failure } = await conflict(
      sign({ idempotencyKey: "k-1" }),
      sign({ idempotencyKey: "k-1", actor: { id: "lulea-ks-ordforande", role: "executive-board" } })
    )
    expect(failure).toMatchObject({ field: "actor" })
    expect((failure as { readonly value: string }).value).toMatch(
      /^\{.*"lulea-kommunstyrelsen".*\} when recorded, \{"id":"lulea-ks-ordforande","role":"executive-board"\} now$/
    )
  })

  it("names the field of a registry entry by its place in the list", async () => {
    const { failure, size } = await conflict(register("Union of the Baltic Cities"), register("UBC"))
    expect(failure).toMatchObject({
      command: "Register",
      idempotencyKey: "lulea-kommun/Register/ActorRegistered:lulea-kommun,OrganisationRegistered:ubc",
      field: "events.1.name",
      value: '"Union of the Baltic Cities" when recorded, "UBC" now'
    })
    expect(size).toBe(2)
  })

  it("with a field the record does not hold names no field: both contents' digests", async () => {
    const first = sign({ idempotencyKey: "k-1" })
    const second = sign({ idempotencyKey: "k-1", purpose: "Nätverk" })
    const { failure } = await conflict(first, second)
    expect(failure).toMatchObject({
      field: "(content)",
      value: `recorded with digest ${digest(first)}, given ${digest(second)}`
    })
    expect(failure.message).toBe(
      `SignMembership conflicts with what was recorded under the key "k-1": field "(content)" was recorded with digest ${digest(first)}, given ${digest(second)}; one key names one fact: give the correction as its own command (e.g. AmendGrant), or use a new idempotencyKey`
    )
  })
})

describe("events recorded under a key by the aggregate's own handler", () => {
  // `domain.handle` stores a command's idempotencyKey as the correlation id as it is, without the
  // "#digest" that `Commands.handle` appends: the key is then the whole correlation id.
  it("count as recorded under it: the same key again is a conflict, not a second signing", async () => {
    const failure = await run(
      Effect.gen(function* () {
        yield* Commands.domain.handle(yield* Commands.decode(sign({ idempotencyKey: "legacy-7" })))
        return yield* Effect.flip(Commands.execute(sign({ idempotencyKey: "legacy-7" })))
      })
    )
    expect(failure).toMatchObject({
      _tag: "IdempotencyConflict",
      idempotencyKey: "legacy-7",
      field: "(content)"
    })
  })

  it("make the key's record differ from the content given, even beside an event of that content", async () => {
    const failure = await run(
      Effect.gen(function* () {
        yield* Commands.execute(sign({ idempotencyKey: "k-2" }))
        yield* Commands.domain.handle(
          yield* Commands.decode(assign({ role: "chair", idempotencyKey: "k-2" }))
        )
        return yield* Effect.flip(Commands.execute(sign({ idempotencyKey: "k-2" })))
      })
    )
    expect(failure).toMatchObject({ _tag: "IdempotencyConflict", idempotencyKey: "k-2", field: "(content)" })
  })
})

describe("Commands.handle given an input that is no object", () => {
  it("compares the record with no fields: the business date recorded, missing now", async () => {
    const failure = await run(
      Effect.gen(function* () {
        yield* Commands.execute(sign())
        return yield* Effect.flip(Commands.handle(yield* Commands.decode(sign()), null))
      })
    )
    expect(failure).toMatchObject({
      _tag: "IdempotencyConflict",
      field: "occurredAt",
      value: '"2003-01-01" when recorded, (missing) now'
    })
  })
})

describe("what a command reports it wrote", () => {
  it("each event as stored: type, stream, version, position, id and both times", async () => {
    const { result, stored } = await run(
      Effect.gen(function* () {
        const result = yield* Commands.execute(sign())
        const store = yield* EventStore.EventStore
        return { result, stored: yield* Stream.runCollect(store.readAll()) }
      })
    )
    const e = stored[0]
    expect(e).toBeDefined()
    if (e === undefined) return
    expect(result).toEqual({
      command: "SignMembership",
      idempotencyKey: "lulea-kommun/SignMembership/membership-lulea-kommun-ubc/2003-01-01",
      alreadyRecorded: false,
      streams: ["membership-lulea-kommun-ubc"],
      events: [
        {
          type: "MembershipSigned",
          streamId: "membership-lulea-kommun-ubc",
          streamVersion: e.streamVersion,
          position: e.position,
          eventId: e.eventId,
          occurredAt: "2003-01-01",
          recordedAt: e.recordedAt
        }
      ]
    })
    expect([e.streamVersion, e.position]).toEqual([1, 0])
  })

  it("a recorder counts a command given twice once", async () => {
    const summary = await run(
      Effect.gen(function* () {
        const recorder = Commands.makeRecorder()
        yield* recorder.run(sign() as Commands.CommandInput)
        yield* recorder.run(sign() as Commands.CommandInput)
        return recorder.summary()
      })
    )
    expect(summary).toEqual({
      commands: 1,
      events: 1,
      streams: 1,
      byType: { MembershipSigned: 1 },
      byCommand: { SignMembership: 1 }
    })
  })

  it("summarise counts commands per tag, events per type and distinct streams", () => {
    const event = (type: string, streamId: string) => ({
      type,
      streamId,
      streamVersion: 1,
      position: 0,
      eventId: "e",
      occurredAt: "2003-01-01",
      recordedAt: "2003-01-01T00:00:00.000Z"
    })
    const result = (command: string, events: ReadonlyArray<ReturnType<typeof event>>) => ({
      command,
      idempotencyKey: command,
      alreadyRecorded: false,
      streams: [],
      events
    })
    expect(
      Commands.summarise([
        result("GrantProject", [
          event("ProjectGranted", "application-a1"),
          event("FundsReserved", "budget-2024")
        ]),
        result("GrantProject", [
          event("ProjectGranted", "application-a2"),
          event("FundsReserved", "budget-2024")
        ]),
        result("SignMembership", [event("MembershipSigned", "membership-x-y")])
      ])
    ).toEqual({
      commands: 3,
      events: 5,
      streams: 4,
      byType: { ProjectGranted: 2, FundsReserved: 2, MembershipSigned: 1 },
      byCommand: { GrantProject: 2, SignMembership: 1 }
    })
  })
})
