import { Commands, EventStore } from "@utblick/core"
import { Effect, Stream } from "effect"
import { describe, expect, it } from "vitest"

const meta = { tenant: "lulea-kommun", occurredAt: "2003-01-01" }
const registrar = { id: "lulea-kommun", role: "registrar" }
const board = { id: "lulea-kommunstyrelsen", role: "executive-board" }

describe("Commands: one entry point for every command", () => {
  it("records what typed commands wrote: Register to the tenant's registry stream, decisions to their aggregates", async () => {
    const { summary, stored } = await Effect.gen(function* () {
      const recorder = Commands.makeRecorder()
      yield* recorder.run({
        _tag: "Register",
        ...meta,
        actor: registrar,
        events: [
          { _tag: "ActorRegistered", actorId: "lulea-kommun", name: "Luleå kommun", kind: "municipality" },
          { _tag: "OrganisationRegistered", organisationId: "ubc", name: "Union of the Baltic Cities", focusArea: "regional-arctic" }
        ]
      })
      yield* recorder.run({ _tag: "SignMembership", ...meta, actor: board, actorId: "lulea-kommun", organisationId: "ubc", kind: "member" })
      const store = yield* EventStore.EventStore
      return { summary: recorder.summary(), stored: yield* Stream.runCollect(store.readAll()) }
    }).pipe(Effect.provide(EventStore.layerMemory()), Effect.runPromise)
    expect(summary).toEqual({
      commands: 2,
      events: 3,
      streams: 2,
      byType: { ActorRegistered: 1, OrganisationRegistered: 1, MembershipSigned: 1 },
      byCommand: { Register: 1, SignMembership: 1 }
    })
    expect(stored.slice(0, 2).map((e) => e.streamId)).toEqual([Commands.registryStreamId("lulea-kommun"), "registry-lulea-kommun"])
  })

  it("refuses a registry fact that breaks its schema, naming the field, and writes nothing", async () => {
    const { error, written } = await Effect.gen(function* () {
      const error = yield* Effect.flip(
        Commands.execute({
          _tag: "Register",
          ...meta,
          actor: registrar,
          events: [{ _tag: "OrganisationRegistered", organisationId: "ubc", name: "UBC", focusArea: "mars" }]
        })
      )
      const store = yield* EventStore.EventStore
      return { error, written: (yield* Stream.runCollect(store.readAll())).length }
    }).pipe(Effect.provide(EventStore.layerMemory()), Effect.runPromise)
    expect(error._tag).toBe("CommandInputError")
    expect(error.message).toContain("focusArea")
    expect(error.message).toContain("mars")
    expect(written).toBe(0)
  })
})
