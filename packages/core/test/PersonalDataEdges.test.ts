// What counts as a sealed personal value (mutation testing's targets): exactly the AES-256-GCM
// envelope with its four text fields, nothing less and no other algorithm.
import { PersonalData } from "@utblick/core"
import { describe, expect, it } from "vitest"

const enc = { alg: "A256GCM", kid: "subj:subject-7f3a", iv: "AAAAAAAAAAAAAAAA", ct: "BBBB" }

describe("PersonalData.isSealed", () => {
  it("is true of the envelope only", () => {
    const cases: ReadonlyArray<readonly [unknown, boolean]> = [
      [{ $enc: enc }, true],
      ["Åsa Nordström", false],
      [null, false],
      [{ $enc: { ...enc, alg: "none" } }, false],
      [{ $enc: { ...enc, kid: 7 } }, false],
      [{ $enc: { alg: enc.alg, kid: enc.kid, iv: enc.iv } }, false],
      [{ $enc: { alg: enc.alg, kid: enc.kid, ct: enc.ct } }, false],
      [{ enc }, false]
    ]
    expect(cases.map(([value]) => PersonalData.isSealed(value))).toEqual(cases.map(([, sealed]) => sealed))
    expect(PersonalData.fields).toEqual({ TripProposed: [{ field: "travellerName", subject: "traveller" }] })
  })
})
