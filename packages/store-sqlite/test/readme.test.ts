// The README's example, run against a temporary file so the docs cannot drift from the code.
import { EventStore } from "@utblick/core"
import { Effect, Stream } from "effect"
import { expect, it } from "vitest"
import { SqliteEventStore } from "../src/index.js"
import { tempFile } from "./helpers.js"

it("runs the README example", async () => {
  const program = Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    yield* store.append(
      "membership-lulea-ubc",
      [
        {
          type: "MembershipSigned",
          schemaVersion: 1,
          occurredAt: "2021-03-01",
          tenant: "lulea-kommun",
          actor: { id: "kommunstyrelsen", role: "board" },
          decisionRef: "KS 2021/123",
          payload: { organisationId: "ubc" }
        }
      ],
      { expectedVersion: "no-stream" }
    )
    const events = yield* Stream.runCollect(store.readAll())
    return events.map((e) => `${e.position} ${e.streamId} ${e.type} ${e.hash.slice(0, 12)}`)
  })
  const lines = await Effect.runPromise(
    program.pipe(
      Effect.provide(
        SqliteEventStore.layer({ filename: tempFile("readme"), origin: "lulea.utblick.example" })
      )
    )
  )
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(/^0 membership-lulea-ubc MembershipSigned [0-9a-f]{12}$/)
})
