// Aggregate.make, Domain.make and the role policy against values written out by hand (mutation
// testing found these unpinned). A small aggregate of its own — a tally of visits — is declared
// inside each test, so that what `make` derives is credited to the test that reads it.
import { Effect, Result, Schema, Stream } from "effect"
import { describe, expect, it } from "vitest"
import * as Aggregate from "../../src/domain/Aggregate.js"
import * as Command from "../../src/domain/Command.js"
import * as Domain from "../../src/domain/Domain.js"
import * as DomainError from "../../src/domain/DomainError.js"
import * as RolePolicy from "../../src/domain/RolePolicy.js"
import * as EventCatalog from "../../src/EventCatalog.js"
import * as EventStore from "../../src/EventStore.js"

const TallyEvent = Schema.TaggedUnion({
  Visited: { place: Schema.String },
  Reset: { place: Schema.String }
})
const catalog = EventCatalog.make([
  EventCatalog.define(TallyEvent.cases.Visited, "Visited"),
  EventCatalog.define(TallyEvent.cases.Reset, "Reset")
])
const TallyCommand = Schema.TaggedUnion({
  CountVisit: { ...Command.commandFields, place: Schema.String },
  ResetTally: { ...Command.commandFields, place: Schema.String }
})

// Roles are listed in the other order than the commands: the tags follow the commands.
const tally = () =>
  Aggregate.make({
    name: "tally",
    commands: TallyCommand,
    events: catalog,
    streamOf: (command) => `tally-${command.place}`,
    roles: { ResetTally: ["manager"], CountVisit: ["officer", "traveller"] },
    identity: { CountVisit: ["place"] },
    initialState: () => 0,
    evolve: (count, event) => (event._tag === "Visited" ? count + 1 : 0),
    decide: (command, count) =>
      command._tag === "CountVisit"
        ? Effect.succeed([TallyEvent.cases.Visited.make({ place: command.place })])
        : count === 0
          ? DomainError.refuse("NothingToReset", { field: "place", value: JSON.stringify(command.place), rule: "only a counted tally is reset" })
          : Effect.succeed([TallyEvent.cases.Reset.make({ place: command.place })])
  })

const input = (tag: "CountVisit" | "ResetTally", role: string, extra: Record<string, unknown> = {}) => ({
  _tag: tag,
  actor: { id: "anna", role },
  tenant: "lulea-kommun",
  occurredAt: "2024-05-14",
  place: "tromso",
  ...extra
})
const decode = Schema.decodeUnknownSync(TallyCommand)

const run = <A, E>(effect: Effect.Effect<A, E, EventStore.EventStore>) =>
  effect.pipe(Effect.result, Effect.provide(EventStore.layerMemory()), Effect.runPromise)

describe("Aggregate.make, by hand", () => {
  it("takes its tags from the commands and its policy from the roles", () => {
    const a = tally()
    expect(a.tags).toEqual(["CountVisit", "ResetTally"])
    expect(a.policy).toEqual({ ResetTally: ["manager"], CountVisit: ["officer", "traveller"] })
    expect([a.name, a.decider.name]).toEqual(["tally", "tally"])
    expect(a.decider.initialState()).toBe(0)
    expect(a.decider.evolve(2, TallyEvent.cases.Visited.make({ place: "x" }))).toBe(3)
    expect(a.decider.evolve(2, TallyEvent.cases.Reset.make({ place: "x" }))).toBe(0)
  })

  it("decides only for an allowed role, under its own roles or another policy", async () => {
    const a = tally()
    const counted = await Effect.runPromise(Effect.result(a.decider.decide(decode(input("CountVisit", "traveller")), 0)))
    expect(counted).toEqual(Result.succeed([{ _tag: "Visited", place: "tromso" }]))
    const refused = await Effect.runPromise(Effect.flip(a.decider.decide(decode(input("CountVisit", "manager")), 0)))
    expect(refused).toBeInstanceOf(RolePolicy.NotAuthorized)
    expect(refused.message).toBe('field "actor.role" has value "manager" (actor "anna"), but CountVisit may only be given by: officer, traveller')
    // The role comes first: a manager may not count even where the rules would refuse nothing.
    const custom = a.makeDecider({ CountVisit: ["manager"] })
    expect(await Effect.runPromise(Effect.result(custom.decide(decode(input("CountVisit", "manager")), 0)))).toEqual(
      Result.succeed([{ _tag: "Visited", place: "tromso" }])
    )
    expect(custom.name).toBe("tally")
    expect(await Effect.runPromise(Effect.result(custom.decide(decode(input("CountVisit", "officer")), 0)))).toMatchObject({
      failure: { _tag: "NotAuthorized", allowedRoles: ["manager"] }
    })
    // An allowed role meets the rules next.
    const rules = await Effect.runPromise(Effect.flip(a.decideWith(a.policy)(decode(input("ResetTally", "manager")), 0)))
    expect(rules.message).toBe('NothingToReset: field "place" has value "tromso", but only a counted tally is reset')
    expect(await Effect.runPromise(Effect.result(a.decideWith(a.policy)(decode(input("ResetTally", "manager")), 4)))).toEqual(
      Result.succeed([{ _tag: "Reset", place: "tromso" }])
    )
  })

  it("handles a command against the store: one append to the command's stream, with its metadata", async () => {
    const a = tally()
    const result = await run(
      Effect.gen(function* () {
        const first = yield* a.handle(decode(input("CountVisit", "officer", { idempotencyKey: "visit-1" })))
        const second = yield* a.handle(decode(input("CountVisit", "officer")))
        const reset = yield* a.handle(decode(input("ResetTally", "manager")))
        const stored = yield* Stream.runCollect((yield* EventStore.EventStore).readAll())
        return { first, second, reset, stored }
      })
    )
    if (Result.isFailure(result)) throw new Error(String(result.failure))
    const { first, second, reset, stored } = result.success
    expect(first.map((r) => [r.streamId, r.nextExpectedVersion, r.events.length])).toEqual([["tally-tromso", 1, 1]])
    expect(second.map((r) => [r.streamId, r.nextExpectedVersion])).toEqual([["tally-tromso", 2]])
    expect(reset.map((r) => [r.streamId, r.nextExpectedVersion, r.events.map((e) => e.type)])).toEqual([["tally-tromso", 3, ["Reset"]]])
    expect(stored.map((e) => [e.type, e.streamId, e.tenant, e.occurredAt, e.actor, e.decisionRef])).toEqual([
      ["Visited", "tally-tromso", "lulea-kommun", "2024-05-14", { id: "anna", role: "officer" }, null],
      ["Visited", "tally-tromso", "lulea-kommun", "2024-05-14", { id: "anna", role: "officer" }, null],
      ["Reset", "tally-tromso", "lulea-kommun", "2024-05-14", { id: "anna", role: "manager" }, null]
    ])
    expect(stored[0]?.correlationId).toBe("visit-1")
  })

  it("decodes strictly and lists every problem", async () => {
    const a = tally()
    expect(await Effect.runPromise(a.decode(input("CountVisit", "officer")))).toEqual(decode(input("CountVisit", "officer")))
    const error = await Effect.runPromise(Effect.flip(a.decode(input("CountVisit", "officer", { places: 2 }))))
    expect([error._tag, error.command, error.field]).toEqual(["CommandInputError", "CountVisit", "places"])
    expect(a.problems(input("CountVisit", "officer", { place: 7, occurredAt: "someday" })).map((p) => p.field).sort()).toEqual(["occurredAt", "place"])
    expect(a.problems(input("CountVisit", "officer"))).toEqual([])
  })

  it("withHandler replaces only the handling", async () => {
    const a = tally()
    const b = Aggregate.withHandler(a, () => Effect.succeed([]))
    expect([b.name, b.tags, b.policy, b.decode, b.decider]).toEqual([a.name, a.tags, a.policy, a.decode, a.decider])
    expect(await run(b.handle(decode(input("CountVisit", "officer"))))).toEqual(Result.succeed([]))
  })
})

describe("Domain.make, by hand", () => {
  const other = () =>
    Aggregate.make({
      name: "other",
      commands: Schema.TaggedUnion({ Ping: { ...Command.commandFields } }),
      events: catalog,
      streamOf: () => "other",
      roles: { Ping: RolePolicy.anyone },
      initialState: () => 0,
      evolve: (n) => n,
      decide: () => Effect.succeed([])
    })

  it("lists the tags in the order of the aggregates and finds each one's aggregate", () => {
    const domain = Domain.make([tally(), other()])
    expect(domain.commandTags).toEqual(["CountVisit", "ResetTally", "Ping"])
    expect(domain.policy).toEqual({ CountVisit: ["officer", "traveller"], ResetTally: ["manager"], Ping: ["*"] })
    expect(domain.aggregateOf("ResetTally")?.name).toBe("tally")
    expect(domain.aggregateOf("Ping")?.name).toBe("other")
    expect(domain.aggregateOf("toString")).toBeUndefined()
    expect(domain.aggregateOf("Pong")).toBeUndefined()
    expect(domain.identityOf("CountVisit")).toEqual(["place"])
    expect(domain.identityOf("ResetTally")).toBeUndefined()
    expect(domain.identityOf("Ping")).toBeUndefined()
    expect(domain.identityOf("constructor")).toBeUndefined()
  })

  it("an aggregate's tag without roles is open to nobody", () => {
    const bare: Aggregate.Any = { ...other(), name: "bare", tags: ["Ghost"], roles: {} }
    expect(Domain.make([bare]).policy).toEqual({ Ghost: [] })
  })

  it("refuses two aggregates declaring one tag", () => {
    let thrown: unknown
    try {
      Domain.make([tally(), { ...other(), name: "second", tags: ["Ping", "ResetTally"] }])
    } catch (e) {
      thrown = e
    }
    expect(thrown).toBeInstanceOf(Domain.DuplicateCommandTag)
    expect((thrown as Domain.DuplicateCommandTag).tag).toBe("ResetTally")
    expect((thrown as Error).message).toBe('the command tag "ResetTally" is declared by both the tally and the second aggregate')
  })

  it("names what is wrong with input that is no command of the domain", async () => {
    const domain = Domain.make([tally(), other()])
    const refusal = async (value: unknown) => {
      const e = await Effect.runPromise(Effect.flip(domain.decode(value)))
      expect(domain.problems(value)).toEqual([e])
      return [e.command, e.field, e.value, e.rule]
    }
    const known = "a command must have a _tag naming one of: CountVisit, ResetTally, Ping"
    const notObject = "a command must be a JSON object with a _tag"
    expect(await refusal({ _tag: "Pong" })).toEqual(["Pong", "_tag", '"Pong"', known])
    expect(await refusal({ _tag: "toString" })).toEqual(["toString", "_tag", '"toString"', known])
    expect(await refusal({})).toEqual(["unknown", "_tag", "(missing)", known])
    expect(await refusal({ _tag: 5 })).toEqual(["unknown", "_tag", "5", known])
    expect(await refusal(42)).toEqual(["unknown", "(command)", "42", notObject])
    expect(await refusal(null)).toEqual(["unknown", "(command)", "null", notObject])
    expect(await refusal(["CountVisit"])).toEqual(["unknown", "(command)", '["CountVisit"]', notObject])
  })

  it("decodes by tag, and routes a decoded command to its aggregate's stream and handler", async () => {
    const domain = Domain.make([other(), tally()])
    const decoded = await Effect.runPromise(domain.decode(input("ResetTally", "manager")))
    expect(decoded).toEqual({ family: "tally", command: decode(input("ResetTally", "manager")) })
    expect(domain.streamOf(decoded)).toBe("tally-tromso")
    expect(domain.problems(input("ResetTally", "manager"))).toEqual([])
    expect(domain.problems(input("ResetTally", "manager", { place: 1 })).map((p) => [p.command, p.field])).toEqual([["ResetTally", "place"]])
    const ping = await Effect.runPromise(domain.decode({ _tag: "Ping", actor: { id: "x", role: "officer" }, tenant: "t", occurredAt: "2024-01-01" }))
    expect([ping.family, domain.streamOf(ping)]).toEqual(["other", "other"])
    const handled = await run(
      Effect.gen(function* () {
        const counted = yield* domain.handle(yield* domain.decode(input("CountVisit", "officer")))
        const reset = yield* domain.handle(decoded)
        return [counted, reset].map((r) => r.map((x) => [x.streamId, x.events.map((e) => e.type)]))
      })
    )
    expect(handled).toEqual(Result.succeed([[["tally-tromso", ["Visited"]]], [["tally-tromso", ["Reset"]]]]))
  })
})

describe("role policy, by hand", () => {
  const actor = (role: string) => ({ id: "a1", role })
  const policy: RolePolicy.RolePolicy = { Grant: ["regional-development-board", "government"], Note: ["*"], Nobody: [], Pay: ["finance-officer"] }

  it("allows a listed role or anyone on a '*' entry, and refuses the rest naming who may", () => {
    expect(Result.isSuccess(RolePolicy.authorize(policy, { _tag: "Grant", actor: actor("government") }))).toBe(true)
    expect(Result.isSuccess(RolePolicy.authorize(policy, { _tag: "Note", actor: actor("traveller") }))).toBe(true)
    const refused = (tag: string, role: string) => {
      const r = RolePolicy.authorize(policy, { _tag: tag, actor: actor(role) })
      return Result.isFailure(r) ? [r.failure.allowedRoles, r.failure.message] : "allowed"
    }
    expect(refused("Grant", "officer")).toEqual([
      ["regional-development-board", "government"],
      'field "actor.role" has value "officer" (actor "a1"), but Grant may only be given by: regional-development-board, government'
    ])
    expect(refused("Nobody", "government")).toEqual([[], 'field "actor.role" has value "government" (actor "a1"), but Nobody may only be given by: nobody'])
    expect(refused("Missing", "government")).toEqual([[], 'field "actor.role" has value "government" (actor "a1"), but Missing may only be given by: nobody'])
    expect(refused("hasOwnProperty", "government")).toEqual([[], 'field "actor.role" has value "government" (actor "a1"), but hasOwnProperty may only be given by: nobody'])
    // An entry left undefined (possible from JavaScript) allows nobody.
    const loose = { Grant: undefined } as unknown as RolePolicy.RolePolicy
    const r = RolePolicy.authorize(loose, { _tag: "Grant", actor: actor("government") })
    expect(Result.isFailure(r) && r.failure.allowedRoles).toEqual([])
    // A role named "*" is no wildcard where the entry does not say so.
    expect(refused("Pay", "*")).toEqual([["finance-officer"], 'field "actor.role" has value "*" (actor "a1"), but Pay may only be given by: finance-officer'])
  })

  it("lists the commands a role may give, those open to anyone included", () => {
    expect(RolePolicy.commandsFor(policy, "government")).toEqual(["Grant", "Note"])
    expect(RolePolicy.commandsFor(policy, "finance-officer")).toEqual(["Note", "Pay"])
    expect(RolePolicy.commandsFor(policy, "traveller")).toEqual(["Note"])
    expect(RolePolicy.commandsFor({}, "traveller")).toEqual([])
  })
})
