import { fc, test } from "@fast-check/vitest"
import { type Envelope, EventStore } from "@utblick/core"
import * as Registry from "@utblick/core/events/Registry"
import { Effect, Result } from "effect"
import { describe, expect, it } from "vitest"
import { catalog } from "./fixtures.js"

// Version 1 of OrganisationRegistered, as an earlier release stored it: free-text focus.
const v1 = (organisationId: string, focus: string): Envelope.EventToAppend => ({
  type: "OrganisationRegistered",
  schemaVersion: 1,
  occurredAt: "2019-04-01",
  tenant: "lulea-kommun",
  actor: { id: "registrar", role: "registrar" },
  payload: { organisationId, name: organisationId.toUpperCase(), focus }
})

const storeAndRead = (events: ReadonlyArray<Envelope.EventToAppend>) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    yield* store.append("organisations", events)
    return yield* store.readStream("organisations")
  }).pipe(Effect.provide(EventStore.layerMemory()), Effect.runPromise)

describe("upcasting OrganisationRegistered v1 → v2", () => {
  it("reads an old event in the current shape, leaving the stored bytes as they were", async () => {
    const stored = await storeAndRead([
      v1("barents-road", "Barentsregionen, gränsöverskridande transporter"),
      v1("north-sweden", "EU-påverkan i Bryssel"),
      v1("sister-cities", "")
    ])
    const decoded = stored.map((e) => catalog.decode(e))
    expect(decoded.map((d) => (Result.isSuccess(d) ? d.success : d.failure))).toEqual([
      {
        _tag: "OrganisationRegistered",
        organisationId: "barents-road",
        name: "BARENTS-ROAD",
        focusArea: "regional-arctic",
        description: "Barentsregionen, gränsöverskridande transporter"
      },
      {
        _tag: "OrganisationRegistered",
        organisationId: "north-sweden",
        name: "NORTH-SWEDEN",
        focusArea: "eu",
        description: "EU-påverkan i Bryssel"
      },
      { _tag: "OrganisationRegistered", organisationId: "sister-cities", name: "SISTER-CITIES", focusArea: "other" }
    ])
    // Never rewritten: the stored event is still version 1 with its free text.
    expect(stored[0]?.schemaVersion).toBe(1)
    expect(stored[0]?.payload["focus"]).toBe("Barentsregionen, gränsöverskridande transporter")
  })

  test.prop([fc.string()])("every v1 focus text upcasts to a valid v2 event", (focus) => {
    const upcast = Registry.upcastOrganisationRegisteredV1({ organisationId: "o", name: "O", focus })
    expect(["regional-arctic", "eu", "other"]).toContain(upcast["focusArea"])
  })

  it("refuses an event written by a newer program version instead of guessing", async () => {
    const [stored] = await storeAndRead([{ ...v1("x", "eu"), schemaVersion: 3 }])
    const decoded = catalog.decode(stored as Envelope.StoredEvent)
    expect(Result.isFailure(decoded) && decoded.failure.message).toContain("only up to version 2")
  })
})
