/**
 * The scan's refusals where a value read fails and the caller refuses at its next read (index 0,
 * the text's `{`, is no delimiter), and where a verifier number field holds another type: each text
 * is the hand-written envelope below with one value changed, so it is refused only for that value.
 * The exact path refuses most of them too; those it takes (`"v":null`…, valid JSON of another type)
 * are the verifier's to word.
 */
import { describe, expect, it } from "vitest"
import { scanEnvelope } from "../src/internal/CanonicalScan.js"
import { freshFields } from "./envelopeReference.js"

// RFC 8785 form, written by hand: keys sorted by UTF-16 code units, no spaces, integers as digits.
const base =
  '{"origin":"o","position":3,"recordedAt":"r","streamId":"s","streamPrev":null,"streamVersion":1,"v":1}'

describe("scanEnvelope refusals (hand-written)", () => {
  it("takes the base text", () => {
    expect(scanEnvelope(base, freshFields())).toBe(true)
  })

  it.each([
    // `{}` and a text that ends after its opening brace.
    "{}",
    "{",
    // Texts that end inside a value: a nested string, a nested key, an array, an object, a literal.
    base.replace('"v":1}', '"v":1,"w":["x'),
    base.replace('"v":1}', '"v":1,"w":{"x'),
    base.replace('"v":1}', '"v":1,"w":{"x":"y'),
    base.replace('"v":1}', '"v":1,"w":[1,'),
    base.replace('"v":1}', '"v":1,"w":{"x":1,'),
    base.replace('"v":1}', '"v":1,"w":tru'),
    base.replace('"v":1}', '"v":1,"w":12'),
    // A string field whose value never ends, and streamPrev as the last field's misspelling.
    '{"origin":"o',
    base.replace('"streamPrev":null', '"streamPrev":nul'),
    // An exponent JSON.stringify never writes (`E`), in the payload and in a verifier field.
    base.replace('"v":1}', '"v":1,"w":1E+21}'),
    base.replace('"position":3', '"position":1E+21'),
    // Verifier number fields of another type: null, an object, an array, a literal, a string.
    base.replace('"position":3', '"position":null'),
    base.replace('"position":3', '"position":{}'),
    base.replace('"streamVersion":1', '"streamVersion":[1]'),
    base.replace('"streamVersion":1', '"streamVersion":false'),
    base.replace('"v":1', '"v":"1"')
  ])("refuses %s", (text) => {
    expect(scanEnvelope(text, freshFields())).toBe(false)
  })

  it("takes an empty first key, at the top and nested, and refuses an empty key after another", () => {
    // "" sorts before every other key, so it can only come first.
    expect(scanEnvelope(`{"":0,${base.slice(1)}`, freshFields())).toBe(true)
    expect(scanEnvelope(base.replace('"v":1}', '"v":1,"w":{"":1,"a":2}}'), freshFields())).toBe(true)
    expect(scanEnvelope(base.replace('"v":1}', '"v":1,"w":{"a":2,"":1}}'), freshFields())).toBe(false)
  })
})
