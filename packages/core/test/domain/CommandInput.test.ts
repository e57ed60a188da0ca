import { fc, test } from "@fast-check/vitest"
import { Effect, Result } from "effect"
import { describe, expect, it } from "vitest"
import * as Application from "../../src/domain/Application.js"
import { CommandInputError, decoder, metadataOf } from "../../src/domain/Command.js"
import * as Commands from "../../src/domain/Commands.js"
import * as Membership from "../../src/domain/Membership.js"
import * as RolePolicy from "../../src/domain/RolePolicy.js"
import * as Trip from "../../src/domain/Trip.js"
import * as Decider from "../../src/Decider.js"
import { EventStore, layerMemory } from "../../src/EventStore.js"
import { membershipCatalog } from "../../src/events/Membership.js"
import { grantBusiness, ks } from "./helpers.js"

const validSign = {
  _tag: "SignMembership",
  ...ks,
  actorId: "lulea-kommun",
  organisationId: "ubc",
  kind: "member",
  joinedYear: 2003
}
const decodeMembership = decoder(Membership.MembershipCommand)

describe("bad command input", () => {
  it("names the field, the value and the rule", () => {
    const error = Effect.runSync(Effect.flip(decodeMembership({ ...validSign, joinedYear: 1850 })))
    expect(error).toBeInstanceOf(CommandInputError)
    expect(error.field).toBe("joinedYear")
    expect(error.value).toBe("1850")
    expect(error.rule).toContain("1900")
    expect(error.message).toContain('field "joinedYear" has value 1850')
  })
  it("names nested fields by path", () => {
    const error = Effect.runSync(Effect.flip(decodeMembership({ ...validSign, actor: { id: "", role: "executive-board" } })))
    expect(error.field).toBe("actor.id")
  })
  it("a grant without a case number is refused at the door", () => {
    const { decisionRef: _drop, ...noRef } = grantBusiness("a1", 100)
    const error = Effect.runSync(Effect.flip(decoder(Application.ApplicationCommand)(noRef)))
    expect(error.field).toBe("decisionRef")
    expect(error.value).toBe("(missing)")
  })
})

// Replaces one field of a valid command with generated garbage.
const mutated = fc
  .tuple(fc.constantFrom(...Object.keys(validSign)), fc.anything())
  .map(([key, garbage]) => ({ ...validSign, [key]: garbage }))

test.prop([fc.oneof(fc.anything(), mutated)], { numRuns: 300 })(
  "garbage never decodes silently wrong: it decodes to a valid command or fails with a named field",
  (input) => {
    const result = Effect.runSync(Effect.result(decodeMembership(input)))
    if (Result.isFailure(result)) {
      expect(result.failure._tag).toBe("CommandInputError")
      expect(result.failure.field.length).toBeGreaterThan(0)
      expect(result.failure.rule.length).toBeGreaterThan(0)
    } else {
      expect(result.success._tag).toMatch(/Membership/)
    }
  }
)

test.prop([mutated], { numRuns: 100 })("a command that fails to decode writes nothing", async (input) => {
  const handle = Decider.makeCommandHandler({
    decider: Membership.aggregate.decider,
    catalog: membershipCatalog,
    streamId: Membership.aggregate.streamOf,
    metadata: metadataOf
  })
  const program = Effect.gen(function* () {
    const store = yield* EventStore
    yield* Effect.result(Effect.flatMap(decodeMembership(input), handle))
    return (yield* store.head).size
  })
  const head = await Effect.runPromise(program.pipe(Effect.provide(layerMemory())))
  const decodes = Result.isSuccess(Effect.runSync(Effect.result(decodeMembership(input))))
  if (!decodes) expect(head).toBe(0)
})

describe("role policy", () => {
  const actor = (role: string) => ({ id: "x", role })
  it("only the regional development board grants", () => {
    for (const tag of ["GrantProject", "GrantBusinessSupport", "GrantCommercialService"]) {
      expect(Result.isSuccess(RolePolicy.authorize(Commands.policy, { _tag: tag, actor: actor("regional-development-board") }))).toBe(true)
      for (const role of ["officer", "finance-officer", "traveller", "executive-board"]) {
        expect(Result.isFailure(RolePolicy.authorize(Commands.policy, { _tag: tag, actor: actor(role) }))).toBe(true)
      }
    }
  })
  it("an officer assesses; a traveller proposes; a manager evaluates", () => {
    expect(RolePolicy.commandsFor(Commands.policy, "officer")).toContain("AssessApplication")
    expect(RolePolicy.commandsFor(Commands.policy, "traveller")).toContain("ProposeTrip")
    expect(RolePolicy.commandsFor(Commands.policy, "manager")).toContain("EvaluateTrip")
    expect(RolePolicy.commandsFor(Commands.policy, "traveller")).not.toContain("EvaluateTrip")
  })
  it("an unknown command is allowed to nobody, and the error names the role", () => {
    const result = RolePolicy.authorize(Commands.policy, { _tag: "toString", actor: actor("officer") })
    if (Result.isSuccess(result)) throw new Error("expected a refusal")
    expect(result.failure.message).toContain('"officer"')
    expect(result.failure.message).toContain("nobody")
  })
  it("a custom policy is honoured by a decider", () => {
    const permissive: RolePolicy.RolePolicy = { ...Commands.policy, ProposeTrip: ["traveller", "officer"] }
    const command = { _tag: "ProposeTrip", actor: { id: "o", role: "officer" } }
    expect(Result.isSuccess(RolePolicy.authorize(permissive, command))).toBe(true)
    expect(Result.isFailure(RolePolicy.authorize(Commands.policy, command))).toBe(true)
    expect(Trip.aggregate.makeDecider(permissive).name).toBe("trip")
  })
  it("every role in the default policy is a known role; only the registry is open to anyone", () => {
    const open = Object.entries(Commands.policy).filter(([, roles]) => roles.includes("*"))
    expect(open.map(([tag]) => tag)).toEqual(["Register"])
    for (const [tag, roles] of Object.entries(Commands.policy)) {
      if (tag !== "Register") for (const role of roles) expect(RolePolicy.Role.literals).toContain(role)
    }
  })
})
