/**
 * The kind a record's templates are kept by: read from the end of the text, where every canonical
 * record ends `"type":"K","v":N}`. Each expected kind below is read off the text by hand; each
 * text differs from a canonical end in one place, so a check of the reading that is dropped or
 * loosened gives another kind.
 */
import { describe, expect, it } from "vitest"
import { kindOf, learn, makeTemplates, matchAny } from "../src/internal/RecordTemplates.js"
import { freshFields } from "./envelopeReference.js"

// A record of the envelope's shape with the given type text (already escaped, as in JSON).
const recordOf = (typeText: string, field = "f") =>
  `{"origin":"o","payload":{"${field}":1},"position":0,"recordedAt":"r","streamId":"s","streamPrev":null,"streamVersion":1,"type":"${typeText}","v":1}`

describe("kindOf: the kind from a canonical record's end", () => {
  it('reads K from `"type":"K","v":N}`, N of any digits', () => {
    expect(kindOf('{"payload":{"type":"inner"},"type":"Outer","v":1}')).toBe("Outer")
    expect(kindOf('{"type":"A","v":0}')).toBe("A")
    expect(kindOf('{"type":"A","v":9}')).toBe("A")
    expect(kindOf('{"type":"AB","v":12}')).toBe("AB")
    expect(kindOf('{"type":"GrantAwarded","v":305}')).toBe("GrantAwarded")
    // The shortest text with a kind: `"type":` at 0, so the kind's opening quote at 7.
    expect(kindOf('"type":"K","v":1}')).toBe("K")
  })

  it("gives no kind to a text that does not end so", () => {
    expect(kindOf('{"type":"A","v":1]')).toBe("") // not `}`
    expect(kindOf('{"type":"A","v":}')).toBe("") // no digit
    expect(kindOf('{"type":"A","v":x}')).toBe("") // not a digit
    expect(kindOf('{"type":"A","v":-1}')).toBe("") // not a non-negative integer
    expect(kindOf('{"type":"A","v":1.5}')).toBe("")
    // `","v":` a character at a time: each one other than it should be.
    expect(kindOf('{"type":"A\',"v":1}')).toBe("")
    expect(kindOf('{"type":"A";"v":1}')).toBe("")
    expect(kindOf('{"type":"A",\'v":1}')).toBe("")
    expect(kindOf('{"type":"A","w":1}')).toBe("")
    expect(kindOf('{"type":"A","v\':1}')).toBe("")
    expect(kindOf('{"type":"A","v";1}')).toBe("")
    expect(kindOf('{"type":"A","v" :1}')).toBe("")
    expect(kindOf('{"kind":"A","v":1}')).toBe("") // another key than type
    expect(kindOf('{"xtype":"A","v":1}')).toBe("")
    expect(kindOf('{"type";"A","v":1}')).toBe("")
    expect(kindOf('{"type":"","v":1}')).toBe("") // an empty kind is no kind
    expect(kindOf('{"type":"a\\"b","v":1}')).toBe("") // a type with an escaped quote
    // `"type":` at 0 but no quote of its own before the kind: `"type":ab` is not a string.
    expect(kindOf('"type":ab","v":1}')).toBe("")
    expect(kindOf('","v":1}')).toBe("")
    expect(kindOf('"v":1}')).toBe("")
    expect(kindOf("1}")).toBe("")
    expect(kindOf("}")).toBe("")
    expect(kindOf("")).toBe("")
  })
})

describe("matchAny: the templates of the text's kind", () => {
  it("takes the last kind's templates only for that kind, not for a kind it begins", () => {
    // T1 and T12: the shortcut to the last kind's list must compare the whole kind.
    const templates = makeTemplates()
    learn(templates, recordOf("T1", "a"))
    learn(templates, recordOf("T12", "b"))
    expect(matchAny(templates, recordOf("T1", "a"), freshFields())).toBe(true)
    expect(matchAny(templates, recordOf("T12", "b"), freshFields())).toBe(true)
    expect(matchAny(templates, recordOf("T1", "a"), freshFields())).toBe(true)
    // A shape learnt for T12 only is not T1's.
    expect(matchAny(templates, recordOf("T1", "b"), freshFields())).toBe(false)
  })

  it("keeps the records of no kind among their own templates, after and before a kind", () => {
    // Templates are learnt from texts the scan accepted, which hold no escape; a record with a
    // key after v (a later envelope, or a foreign one) does not end as a record of a kind.
    const noKind = (field: string) => recordOf("A", field).replace(/}$/, ',"w":2}')
    expect(kindOf(noKind("n"))).toBe("")
    const templates = makeTemplates()
    learn(templates, recordOf("A", "a"))
    learn(templates, noKind("n"))
    expect(templates.byKind.size).toBe(2)
    expect(matchAny(templates, recordOf("A", "a"), freshFields())).toBe(true)
    expect(matchAny(templates, noKind("n"), freshFields())).toBe(true)
    expect(matchAny(templates, recordOf("A", "a"), freshFields())).toBe(true)
    expect(matchAny(templates, noKind("n"), freshFields())).toBe(true)
    // A shorter record without a type, after a longer one with a kind: its kind is none, whatever
    // the longer one's reading left behind.
    const bare =
      '{"origin":"o","position":0,"recordedAt":"r","streamId":"s","streamPrev":null,"streamVersion":1,"v":1}'
    expect(kindOf(bare)).toBe("")
    learn(templates, bare)
    expect(matchAny(templates, recordOf("A", "a"), freshFields())).toBe(true)
    expect(matchAny(templates, bare, freshFields())).toBe(true)
    // A's shape without a kind is not among A's templates, nor the reverse.
    expect(matchAny(templates, noKind("a"), freshFields())).toBe(false)
    expect(matchAny(templates, recordOf("A", "n"), freshFields())).toBe(false)
  })
})
