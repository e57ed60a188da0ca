/**
 * The verifier's fast canonical scan against core's `canonicalize` (an independent
 * implementation of RFC 8785) and the exact path (`JSON.parse` + `isCanonicalOf`): whatever the
 * scan accepts, the exact path accepts with the same fields; and it accepts every canonical
 * envelope made of plain strings, so the fast path is the one taken.
 */
import { fc, test } from "@fast-check/vitest"
import { describe, expect, it } from "vitest"
import { scanEnvelope } from "../src/internal/CanonicalScan.js"
import {
  envelopeArbitrary,
  envelopeFieldsOf,
  exactFields,
  freshFields,
  safeCanonical
} from "./envelopeReference.js"
import { runs } from "./numRuns.js"

const envelope = envelopeArbitrary

const agree = (text: string) => {
  const out = freshFields()
  if (!scanEnvelope(text, out)) return
  const parsed = exactFields(text)
  expect(parsed).toBeDefined()
  expect(out).toEqual(envelopeFieldsOf(parsed as Record<string, unknown>))
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it must find
const PLAIN = /^[^\x00-\x1f\\\ud800-\udfff]*$/

describe("CanonicalScan", () => {
  // A position of -0 is written "0" (RFC 8785 has no negative zero), so it reads back as +0.
  const negativeZero = {
    v: 0,
    position: -0,
    origin: "",
    recordedAt: "",
    streamId: "",
    streamVersion: 1e21,
    streamPrev: null,
    payload: {},
    type: ""
  }
  test.prop([envelope], { numRuns: runs(400), examples: [[negativeZero]] })(
    "accepts a canonical envelope of plain strings, with its fields",
    (body) => {
      const text = safeCanonical(body)
      fc.pre(text !== undefined)
      const t = text as string
      agree(t)
      if (PLAIN.test(t) && typeof body.v === "number" && typeof body.position === "number") {
        const out = freshFields()
        expect(scanEnvelope(t, out)).toBe(true)
        expect(out.streamId).toBe(body.streamId)
        // `+ 0` turns -0 into +0, the number the text "0" stands for.
        expect(out.position).toBe(body.position + 0)
      }
    }
  )

  test.prop([envelope, fc.nat(), fc.nat(), fc.string({ minLength: 0, maxLength: 3 })], {
    numRuns: runs(1500)
  })(
    "never accepts what the exact path refuses (a character deleted, replaced or inserted)",
    (body, i, cut, insert) => {
      const text = safeCanonical(body)
      fc.pre(text !== undefined)
      const t = text as string
      const at = i % (t.length + 1)
      agree(t.slice(0, at) + insert + t.slice(Math.min(t.length, at + (cut % 3))))
    }
  )

  test.prop([envelope], { numRuns: runs(200) })(
    "never accepts another serialisation of the same value",
    (body) => {
      const text = safeCanonical(body)
      fc.pre(text !== undefined)
      const value = JSON.parse(text as string) as Record<string, unknown>
      const reversed = Object.fromEntries(Object.entries(value).reverse())
      for (const variant of [JSON.stringify(reversed), JSON.stringify(value, null, 1)]) {
        if (variant === text) continue
        expect(scanEnvelope(variant, freshFields())).toBe(false)
      }
    }
  )

  it("refuses texts that look canonical but are not (hand-written cases)", () => {
    const base =
      '{"origin":"o","position":3,"recordedAt":"r","streamId":"s","streamPrev":null,"streamVersion":1,"v":1}'
    expect(scanEnvelope(base, freshFields())).toBe(true)
    for (const bad of [
      base.replace('"position":3', '"position":03'),
      base.replace('"position":3', '"position":-0'),
      base.replace('"position":3', '"position":3.0'),
      base.replace('"position":3', '"position":3e0'),
      base.replace('"v":1', '"v":1,"v":1'),
      base.replace('"origin":"o",', '"origin":"o","origin":"o",'),
      base.replace('"origin":"o","position":3', '"position":3,"origin":"o"'),
      base.replace("{", "{ "),
      `${base} `,
      base.replace('"streamPrev":null', '"streamPrev":nul'),
      base.replace('"streamId":"s"', '"streamId":"s\\u0041"'),
      base.replace('"origin":"o"', '"origin":"o\n"'),
      base.replace('"v":1', '"v":1,"w":[1,]'),
      base.replace('"v":1', '"v":1,"w":{"b":1,"a":2}')
    ]) {
      expect(scanEnvelope(bad, freshFields()), bad).toBe(false)
    }
    // Numbers JSON.stringify writes in exponent form are canonical in that form only.
    expect(scanEnvelope(base.replace('"v":1', '"v":1,"w":1e+21'), freshFields())).toBe(true)
    expect(scanEnvelope(base.replace('"v":1', '"v":1,"w":1e21'), freshFields())).toBe(false)
    expect(scanEnvelope(base.replace('"v":1', '"v":1,"w":1.5e-7'), freshFields())).toBe(true)
  })

  // Every JSON value type outside the envelope fields, keys a verifier field's length that are not
  // verifier fields (1, 6, 8, 10 and 13 characters), a key that is a prefix of the next one
  // ("a", "a!": "!" sorts below the closing quote), empty keys, and numbers at the ends of the
  // digit range. Written by hand in RFC 8785 form: keys sorted by UTF-16 code units, no spaces,
  // numbers as JSON.stringify writes them (1.5e-7 stays in exponent form, 0.5 in decimal).
  const rich =
    '{"":[],"a":1,"amount":-25,"causedBy":0,"correlationId":9,"occurredAt":true,"origin":"lulea.example/kommun",' +
    '"payload":{"":null,"a":false,"a!":[],"b":{},"c":[1,"x",[true,false,null]],"d":-7,"e":1.5e-7,"f":0.5,"g":{"":1}},' +
    '"position":0,"recordedAt":"2026-12-05T18:00:00Z","streamId":"trip-1",' +
    `"streamPrev":"${"0a".repeat(32)}","streamVersion":-5,"v":9}`

  it("accepts a canonical envelope with every value type and look-alike keys, with its fields (hand-written)", () => {
    // The hand-written text is its own canonical form by core's independent implementation too.
    expect(safeCanonical(JSON.parse(rich))).toBe(rich)
    const out = freshFields()
    expect(scanEnvelope(rich, out)).toBe(true)
    // The seven fields as written in `rich` above.
    expect(out).toEqual({
      v: 9,
      position: 0,
      origin: "lulea.example/kommun",
      recordedAt: "2026-12-05T18:00:00Z",
      streamId: "trip-1",
      streamVersion: -5,
      streamPrev: "0a".repeat(32)
    })
  })

  it("refuses hand-written near misses: a field missing or of another type, broken punctuation, malformed numbers", () => {
    const base =
      '{"origin":"o","position":3,"recordedAt":"r","streamId":"s","streamPrev":null,"streamVersion":1,"v":1}'
    for (const bad of [
      // A verifier field missing (the text is canonical, but the verifier needs all seven).
      base.replace(',"v":1', ""),
      base.replace('"streamPrev":null,', ""),
      // Verifier fields of another type.
      base.replace('"origin":"o"', '"origin":5'),
      base.replace('"position":3', '"position":"3"'),
      base.replace('"recordedAt":"r"', '"recordedAt":null'),
      base.replace('"streamPrev":null', '"streamPrev":5'),
      base.replace('"streamPrev":null', '"streamPrev":true'),
      base.replace('"streamVersion":1', '"streamVersion":true'),
      base.replace('"v":1', '"v":"1"'),
      // Not an object, or keys and values without their quotes, colons or commas.
      base.replace("{", "["),
      base.replace("{", '{a":1,'),
      base.replace('"origin":"o"', '"origin":x"'),
      base.replace('"origin":"o"', '"origin"="o"'),
      base.replace('"origin":"o",', '"origin":"o";'),
      base.replace('"v":1', '"v":1,"w":{a":1}'),
      base.replace('"v":1', '"v":1,"w":{"a"=1}'),
      base.replace('"v":1', '"v":1,"w":{"a":1;"b":2}'),
      base.replace('"v":1', '"v":1,"w":[1;2]'),
      // A key that is not a verifier field, twice (JSON.parse would keep the second).
      base.replace('"v":1', '"v":1,"w":1,"w":1'),
      // Texts that end inside a key, or inside a string field's value.
      '{"origin',
      '{"origin":"o',
      // Numbers JSON.stringify never writes: a lone minus, a minus inside, no leading digit, a plus,
      // 17 digits (12345678901234567 is not a double; it reads back as ...568).
      base.replace('"v":1', '"v":1,"w":-'),
      base.replace('"v":1', '"v":1,"w":1-2'),
      base.replace('"v":1', '"v":1,"w":.5'),
      base.replace('"v":1', '"v":1,"w":+1'),
      base.replace('"v":1', '"v":1,"w":12345678901234567'),
      base.replace('"position":3', '"position":12345678901234567'),
      // A lone surrogate (not UTF-8; the canonical form writes it escaped) and control characters.
      base.replace('"streamId":"s"', '"streamId":"\ud800"'),
      base.replace('"streamId":"s"', '"streamId":"\udfff"'),
      base.replace('"streamId":"s"', '"streamId":"\u0000"'),
      base.replace('"streamId":"s"', '"streamId":"\u001f"')
    ]) {
      expect(scanEnvelope(bad, freshFields()), bad).toBe(false)
    }
  })

  it("refuses near misses under the envelope's keys: a lone minus near the start, misspelt literals of the right length, nested keys twice or out of order (hand-written)", () => {
    const base =
      '{"origin":"o","position":3,"recordedAt":"r","streamId":"s","streamPrev":null,"streamVersion":1,"v":1}'
    for (const bad of [
      // A lone minus as the first value: its token starts at index 5 (`{"a":` is five characters).
      base.replace("{", '{"a":-,'),
      // Literals of the right length but not true, false, null, in the payload and in streamPrev.
      base.replace('"v":1', '"v":1,"w":trux'),
      base.replace('"v":1', '"v":1,"w":falsx'),
      base.replace('"v":1', '"v":1,"w":nulx'),
      base.replace('"streamPrev":null', '"streamPrev":nulx'),
      // A key twice in a nested object (JSON.parse would keep the second).
      base.replace('"v":1', '"v":1,"w":{"a":1,"a":1}'),
      // Keys out of order that share their first character: "ab" sorts before "ac" at the second.
      base.replace('"v":1', '"v":1,"w":{"ac":1,"ab":2}')
    ]) {
      expect(scanEnvelope(bad, freshFields()), bad).toBe(false)
    }
  })

  it("scans 64 levels of nesting (the envelope is the first) and leaves deeper texts to the exact path", () => {
    const base =
      '{"origin":"o","position":3,"recordedAt":"r","streamId":"s","streamPrev":null,"streamVersion":1,"v":1}'
    // `levels` containers nested in "w": with the envelope, levels + 1 levels in all.
    const arrays = (levels: number) =>
      base.replace('"v":1', `"v":1,"w":${"[".repeat(levels)}${"]".repeat(levels)}`)
    const objects = (levels: number) =>
      base.replace('"v":1', `"v":1,"w":${'{"a":'.repeat(levels - 1)}{}${"}".repeat(levels - 1)}`)
    expect(scanEnvelope(arrays(63), freshFields())).toBe(true)
    expect(scanEnvelope(arrays(64), freshFields())).toBe(false)
    expect(scanEnvelope(objects(63), freshFields())).toBe(true)
    expect(scanEnvelope(objects(64), freshFields())).toBe(false)
  })
})
