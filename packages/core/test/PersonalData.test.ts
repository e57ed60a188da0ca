import { Events, PersonalData } from "@utblick/core"
import { TravelEvent } from "@utblick/core/events/Travel"
import { Schema } from "effect"
import { describe, expect, it } from "vitest"

const definitions = [...Events.eventCatalog.definitions.values()]
const sealed = {
  $enc: { alg: "A256GCM", kid: "subj:subject-7f3a", iv: "AAAAAAAAAAAAAAAA", ct: "BBBBBBBBBBBBBBBBBBBBBBBB" }
}
const trip = {
  _tag: "TripProposed",
  tripId: "t-2023-17",
  organiserActorId: "lulea-kommun",
  traveller: "subject-7f3a",
  purpose: "UBC General Conference",
  destination: "Gdańsk",
  departOn: "2023-10-10",
  returnOn: "2023-10-13",
  relatedTo: [],
  goalRefs: []
}

describe("personal fields", () => {
  it("a stored TripProposed decodes with its name sealed, and with it in clear (a command's form)", () => {
    const schema = TravelEvent.cases.TripProposed
    expect(Schema.decodeUnknownSync(schema)({ ...trip, travellerName: sealed }).travellerName).toEqual(sealed)
    expect(Schema.decodeUnknownSync(schema)({ ...trip, travellerName: "Åsa Nordström" }).travellerName).toBe(
      "Åsa Nordström"
    )
    expect(() =>
      Schema.decodeUnknownSync(schema)({ ...trip, travellerName: { $enc: { alg: "none" } } })
    ).toThrow()
  })

  it("every listed personal field is a field of its event type, and its subject field too", () => {
    const listed = Object.entries(PersonalData.fields)
    expect(listed.length).toBeGreaterThan(0)
    for (const [type, fields] of listed) {
      const definition = definitions.find((d) => d.tag === type)
      expect(definition?.tag).toBe(type)
      const keys = Object.keys((definition?.schema as unknown as { fields: Record<string, unknown> } | undefined)?.fields ?? {})
      expect(keys).toEqual(expect.arrayContaining(fields.flatMap((f) => [f.field, f.subject])))
    }
  })
})
