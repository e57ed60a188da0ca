import { EventStore } from "@utblick/core"
import * as AppendPlanner from "@utblick/core/AppendPlanner"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"

describe("the writer's size limit matches the verifier's 16 MiB line", () => {
  it("refuses a payload over 16 MiB − 64 KiB and writes nothing; accepts one just under", async () => {
    const event = (chars: number) => ({
      type: "OrganisationRegistered",
      schemaVersion: 2,
      occurredAt: "2020-01-01",
      tenant: "lulea-kommun",
      actor: { id: "registrar", role: "registrar" },
      payload: { organisationId: "big", name: "x".repeat(chars), focusArea: "eu" }
    })
    // The canonical payload adds its keys and quotes around the name (ASCII: one byte a character).
    const overhead = JSON.stringify({ focusArea: "eu", name: "", organisationId: "big" }).length
    const { refused, size } = await Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      const refused = yield* Effect.flip(store.append("registry-lulea-kommun", [event(AppendPlanner.MAX_PAYLOAD_BYTES - overhead + 1)]))
      yield* store.append("registry-lulea-kommun", [event(AppendPlanner.MAX_PAYLOAD_BYTES - overhead)])
      return { refused, size: (yield* store.head).size }
    }).pipe(Effect.provide(EventStore.layerMemory()), Effect.runPromise)
    expect(refused.reason).toMatchObject({ _tag: "InvalidEvent", field: "/payload", value: `"(${AppendPlanner.MAX_PAYLOAD_BYTES + 1} bytes)"` })
    expect(size).toBe(1)
  })
})
