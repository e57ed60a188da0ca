/**
 * Record templates against the RFC 8785 reference: core's `canonicalize` (an independent
 * implementation) applied to `JSON.parse` of the text. Whatever a template accepts must be the
 * canonical form of its own content, with the envelope fields the reference reads; and records of
 * the learnt shape with other values must be accepted (or the fast path would never be taken).
 */
import { fc, test } from "@fast-check/vitest"
import { canonicalize, type JsonValue } from "@utblick/core/CanonicalJson"
import { describe, expect, it } from "vitest"
import { scanEnvelope } from "../src/internal/CanonicalScan.js"
import { makeEngine } from "../src/internal/LogVerifier.js"
import {
  learn,
  kindOf,
  MAX_BUILDS,
  MAX_KEPT,
  MAX_KINDS,
  makeTemplates,
  matchAny,
  matchTemplate,
  type Template,
  templateOf
} from "../src/internal/RecordTemplates.js"
import { envelopeFieldsOf, freshFields, hex64, safeCanonical } from "./envelopeReference.js"
import { appendAll, makeStore, records, sampleCmds } from "./fixtures.js"
import { runs } from "./numRuns.js"

// The reference: the parsed envelope fields when `text` is its own RFC 8785 form, else undefined.
const reference = (text: string): Record<string, unknown> | undefined => {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined
  if (safeCanonical(parsed) !== text) return undefined
  return envelopeFieldsOf(parsed as Record<string, unknown>)
}

// Whatever the template accepts, the reference accepts with the same fields.
const agree = (template: Template, text: string): boolean => {
  const out = freshFields()
  if (!matchTemplate(template, text, out)) return false
  const fields = reference(text)
  expect(fields, text).toBeDefined()
  expect(out).toEqual(fields)
  return true
}

// Strings a template accepts: no quote, backslash, control character or surrogate; with
// non-ASCII (é, €), DEL and U+2028, which RFC 8785 writes as they are.
const plain = fc.string({
  unit: fc.constantFrom(..."abz09-:/. ", "é", "€", "\u007f", "\u2028", "ö"),
  maxLength: 10
})

// Strings with the characters that make canonical form hard: escapes, controls, quotes,
// backslashes, non-BMP characters (surrogate pairs), U+2028, DEL, non-ASCII.
const tricky = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.constantFrom(
    'a"b',
    "a\\b",
    "line\nbreak",
    "\u0000",
    "\u001f",
    "\u007f",
    "\u2028",
    "😀",
    "é",
    "\ud800",
    ""
  )
)

const number = fc.oneof(
  fc.integer(),
  fc.maxSafeInteger(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 1e21, 1.5e-7, 123456789012345, 1234567890123456, 0.1, -1)
)

// Mostly what a template can express, sometimes not (`w` weighs the plain side).
const mostly = <A, B>(w: number, common: fc.Arbitrary<A>, rare: fc.Arbitrary<B>) =>
  fc.oneof({ arbitrary: common, weight: w }, { arbitrary: rare, weight: 1 })

const scalar = (w: number) =>
  fc.oneof(
    mostly(w, plain, tricky),
    mostly(w, fc.integer({ min: -1e15 + 1, max: 1e15 - 1 }), number),
    fc.boolean(),
    fc.constant(null)
  )

// Keys including ones whose UTF-16 order differs from \`Object.keys\` order (integer-like keys)
// and from code-point order (non-BMP against U+FFFF-range characters).
const key = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.constantFrom("1", "2", "10", "9", "a", "A", "\uffff", "😀", "origin", "v", "position")
)

const payload = (w: number): fc.Arbitrary<unknown> =>
  fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      scalar(w),
      fc.array(tie("value"), { maxLength: 4 }),
      fc.dictionary(key, tie("value"), { maxKeys: 5 })
    )
  })).value

// An envelope; with a large \`w\` almost every one can be learnt, with \`w = 1\` half its fields are
// hard cases.
const envelope = (w: number) =>
  fc.record({
    v: mostly(w, fc.constant(1), fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant(1.5))),
    position: mostly(w, fc.nat(), fc.oneof(fc.maxSafeInteger(), fc.constant(-1), fc.constant(0.5))),
    origin: mostly(w, fc.constant("lulea.example/kommun"), tricky),
    recordedAt: mostly(w, plain, tricky),
    streamId: mostly(w, plain, tricky),
    streamVersion: mostly(w, fc.nat({ max: 1000 }), fc.constantFrom(1e21, 0.5)),
    streamPrev: mostly(w, fc.option(hex64, { nil: null }), tricky),
    payload: payload(w),
    type: mostly(w, plain, tricky)
  })

// A text the scan accepted, and its template (if its shape can be expressed).
const learnt = (body: unknown): { text: string; template: Template } | undefined => {
  const text = safeCanonical(body)
  if (text === undefined || !scanEnvelope(text, freshFields())) return undefined
  const template = templateOf(text)
  return template === undefined ? undefined : { text, template }
}

// Another record of the same shape: every string and integer replaced by another of its kind.
const sameShape = (value: unknown, strings: () => string, ints: () => number): unknown => {
  if (typeof value === "string") return strings()
  if (typeof value === "number") return Number.isInteger(value) ? ints() : value
  if (Array.isArray(value)) return value.map((v) => sameShape(v, strings, ints))
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, sameShape(v, strings, ints)]))
  return value
}

// Texts with the same content as \`text\` written otherwise: one character of a string as a
// \`\\u\` escape, an integer with a fraction or an exponent; and integers with a leading zero, which
// JSON does not allow. None is canonical.
const otherSpellings = (text: string): { same: Array<string>; notJson: Array<string> } => {
  const out: Array<string> = []
  const notJson: Array<string> = []
  // String tokens (a learnt text has no escapes, so each ends at the next quote) and integers
  // outside strings.
  for (const m of text.matchAll(/"[^"\\]*"|(?<=[:[,])-?[0-9]+(?=[,\]}])/g)) {
    const at = m.index as number
    const token = m[0]
    const end = at + token.length
    if (token.startsWith('"')) {
      if (token.length === 2) continue
      const code = text
        .charCodeAt(at + 1)
        .toString(16)
        .padStart(4, "0")
      out.push(`${text.slice(0, at + 1)}\\u${code}${text.slice(at + 2)}`)
    } else {
      const sign = token.startsWith("-") ? "-" : ""
      notJson.push(`${text.slice(0, at)}${sign}0${token.slice(sign.length)}${text.slice(end)}`)
      out.push(`${text.slice(0, end)}.0${text.slice(end)}`)
      out.push(`${text.slice(0, end)}e0${text.slice(end)}`)
    }
  }
  return { same: out, notJson }
}

describe("RecordTemplates", () => {
  test.prop([envelope(20), envelope(1)], { numRuns: runs(600) })(
    "a template accepts only canonical records, with the reference's fields",
    (a, b) => {
      const l = learnt(a)
      fc.pre(l !== undefined)
      const { text, template } = l as { text: string; template: Template }
      // The record it was learnt from is its own first match.
      expect(agree(template, text)).toBe(true)
      const other = safeCanonical(b)
      if (other !== undefined) agree(template, other)
      // Other serialisations of b's content must not pass as canonical.
      agree(template, JSON.stringify(b))
      agree(template, JSON.stringify(b, null, 1))
    }
  )

  test.prop([envelope(20), fc.nat(), fc.nat(), fc.string({ minLength: 0, maxLength: 3 })], {
    numRuns: runs(2000)
  })(
    "never accepts what the reference refuses (a character deleted, replaced or inserted)",
    (body, i, cut, insert) => {
      const l = learnt(body)
      fc.pre(l !== undefined)
      const { text, template } = l as { text: string; template: Template }
      const at = i % (text.length + 1)
      agree(template, text.slice(0, at) + insert + text.slice(Math.min(text.length, at + (cut % 3))))
    }
  )

  test.prop([envelope(20)], { numRuns: runs(300) })(
    "refuses every other spelling of a learnt record's content (an escape, a leading zero, a fraction, an exponent)",
    (body) => {
      const l = learnt(body)
      fc.pre(l !== undefined)
      const { text, template } = l as { text: string; template: Template }
      const { same, notJson } = otherSpellings(text)
      // Every record has at least its keys' strings to spell otherwise, and its position.
      expect(same.length).toBeGreaterThan(6)
      expect(notJson.length).toBeGreaterThan(0)
      const accepted = [...same, ...notJson].filter((v) => matchTemplate(template, v, freshFields()))
      expect(accepted).toEqual([])
      // They do mean the same: the reference parses each to the same value (or refuses it).
      expect(same.map((v) => canonicalize(JSON.parse(v) as JsonValue))).toEqual(same.map(() => text))
      expect(notJson.filter((v) => reference(v) !== undefined)).toEqual([])
    }
  )

  test.prop(
    [
      envelope(20),
      fc.array(plain, { minLength: 1, maxLength: 8 }),
      fc.array(fc.integer({ min: -1e15 + 1, max: 1e15 - 1 }), { minLength: 1, maxLength: 8 })
    ],
    { numRuns: runs(400) }
  )("accepts records of the learnt shape with other plain strings and integers", (body, strings, ints) => {
    const l = learnt(body)
    fc.pre(l !== undefined)
    const { template } = l as { text: string; template: Template }
    let s = 0
    let n = 0
    const envelopeless = { ...(body as Record<string, unknown>) }
    const next = sameShape(
      envelopeless,
      () => strings[s++ % strings.length] as string,
      () => ints[n++ % ints.length] as number
    ) as Record<string, unknown>
    // The envelope keeps what a template fixes (origin, v) and the types it captures.
    next.origin = body.origin
    next.v = body.v
    next.streamPrev = body.streamPrev === null ? null : "ab".repeat(32)
    const text = safeCanonical(next)
    fc.pre(text !== undefined)
    // Keys are unchanged, so the shape is the learnt one: the template must match.
    expect(agree(template, text as string)).toBe(true)
  })

  it("refuses what looks like the learnt shape but is not canonical (hand-written cases)", () => {
    const base =
      '{"origin":"o","payload":{"10":1,"9":[1,"x",null]},"position":3,"recordedAt":"r","streamId":"s","streamPrev":null,"streamVersion":1,"v":1}'
    const template = templateOf(base) as Template
    expect(template).toBeDefined()
    expect(agree(template, base)).toBe(true)
    expect(agree(template, base.replace('"position":3', '"position":4711'))).toBe(true)
    expect(agree(template, base.replace('[1,"x",null]', "[]"))).toBe(true)
    expect(agree(template, base.replace('"streamPrev":null', `"streamPrev":"${"0f".repeat(32)}"`))).toBe(true)
    for (const bad of [
      base.replace('"position":3', '"position":03'),
      base.replace('"position":3', '"position":-0'),
      base.replace('"position":3', '"position":3.0'),
      base.replace('"position":3', '"position":3e0'),
      base.replace('"position":3', '"position":1234567890123456'),
      base.replace('"10":1', '"10":1.0'),
      base.replace('"10":1', '"10":01'),
      base.replace('"10":1', '"10":-0'),
      base.replace('"10":1', '"10":1234567890123456'),
      base.replace('[1,"x",null]', '[01,"x",null]'),
      base.replace('[1,"x",null]', '[1,"\\u0078",null]'),
      base.replace('[1,"x",null]', '[1,"\\/",null]'),
      base.replace('[1,"x",null]', '[1,"x\t",null]'),
      base.replace('[1,"x",null]', '[1,"\ud800",null]'),
      base.replace('"recordedAt":"r"', '"recordedAt":"\\r"'),
      base.replace('"10":1', '"1\\u0030":1'),
      base.replace('"10":1', '"10":1e21'),
      base.replace('"10":1,"9"', '"9":1,"10"'),
      base.replace('"v":1', '"v":2'),
      base.replace('"origin":"o"', '"origin":"p"'),
      base.replace('"streamId":"s"', '"streamId":"s\\u0041"'),
      base.replace('"streamId":"s"', '"streamId":"s\\"'),
      base.replace('"streamId":"s"', '"streamId":"s\n"'),
      base.replace('"streamId":"s"', '"streamId":"\ud83d\ude00"'),
      base.replace('"streamPrev":null', `"streamPrev":"${"0F".repeat(32)}"`),
      base.replace('"streamPrev":null', '"streamPrev":"abc"'),
      base.replace("{", "{ "),
      base.replace(":1,", ": 1,"),
      `${base} `,
      `${base}\n`,
      // Text before the object (the template is anchored at both ends).
      ` ${base}`,
      `[${base}`,
      base.replace('[1,"x",null]', '[1,"x",null,]'),
      base.replace('[1,"x",null]', "{}")
    ]) {
      expect(matchTemplate(template, bad, freshFields()), bad).toBe(false)
    }
    // A decimal number or an exponent outside an array of scalars: any number in its place,
    // canonical only as `String` writes its value (RFC 8785), an integer, a string, null or a
    // boolean too; by hand, each text below.
    for (const sample of ["1.5", "1e+21"]) {
      const decimal = templateOf(base.replace('"10":1', `"10":${sample}`)) as Template
      expect(decimal, sample).toBeDefined()
      for (const ok of [
        "1.5",
        "2.25",
        "-0.001",
        "1e+21",
        "1.5e-7",
        "7",
        "0",
        "1234567890123456",
        '"x"',
        "null",
        "true"
      ])
        expect(matchTemplate(decimal, base.replace('"10":1', `"10":${ok}`), freshFields()), ok).toBe(true)
      for (const bad of [
        "1.50",
        "1.5e0",
        "15e-1",
        "1E+21",
        "1e21",
        "-0",
        "0.10",
        "2.",
        ".5",
        "01.5",
        "1.0",
        "1e+0"
      ])
        expect(matchTemplate(decimal, base.replace('"10":1', `"10":${bad}`), freshFields()), bad).toBe(false)
    }
  })

  // A learnt shape with every kind of value a template expresses: an empty object and array, an
  // array of objects, an array of arrays, an array of scalars, null/true/false, and payload keys named like
  // envelope fields ("origin", "v"), which are payload, not envelope. RFC 8785 form by hand: keys
  // sorted, no spaces.
  const hex = "0a".repeat(32)
  const shaped =
    '{"origin":"o","payload":{"a":[],"b":{},"c":[{"d":null},{}],"d":[[true,false]],"e":[1,"x"],"origin":"p","v":2},' +
    `"position":3,"recordedAt":"r","streamId":"s","streamPrev":"${hex}","streamVersion":1,"v":1}`

  it("learns a shape with empty, nested and scalar containers, and reads only the envelope's fields (hand-written)", () => {
    expect(safeCanonical(JSON.parse(shaped))).toBe(shaped)
    expect(scanEnvelope(shaped, freshFields())).toBe(true)
    const template = templateOf(shaped) as Template
    expect(template).toBeDefined()
    const out = freshFields()
    expect(matchTemplate(template, shaped, out)).toBe(true)
    // The seven fields as written in `shaped`, not the payload's "origin" and "v".
    expect(out).toEqual({
      v: 1,
      position: 3,
      origin: "o",
      recordedAt: "r",
      streamId: "s",
      streamVersion: 1,
      streamPrev: hex
    })
    // Another record of the shape: other scalars in each slot, a longer scalar array, no previous.
    const next = shaped
      .replace('"d":null', '"d":"z"')
      .replace("[true,false]", "[false,7]")
      .replace('[1,"x"]', '[2,"y",null]')
      .replace('"position":3', '"position":4711')
      .replace('"recordedAt":"r"', '"recordedAt":"q"')
      .replace('"streamId":"s"', '"streamId":"t"')
      .replace(`"streamPrev":"${hex}"`, '"streamPrev":null')
      .replace('"streamVersion":1', '"streamVersion":2')
    const out2 = freshFields()
    expect(matchTemplate(template, next, out2)).toBe(true)
    expect(out2).toEqual({
      v: 1,
      position: 4711,
      origin: "o",
      recordedAt: "q",
      streamId: "t",
      streamVersion: 2,
      streamPrev: null
    })
    // An array of containers keeps its length (one object fewer here).
    expect(matchTemplate(template, shaped.replace('[{"d":null},{}]', '[{"d":null}]'), freshFields())).toBe(
      false
    )
  })

  it("learns no template for what it cannot express, and learn keeps none for it (hand-written)", () => {
    const base =
      '{"origin":"o","payload":[1],"position":3,"recordedAt":"r","streamId":"s","streamPrev":null,"streamVersion":1,"v":1}'
    const inexpressible = [
      // A decimal, an exponent, 16 digits (beyond what a template's integer allows) in the payload.
      base.replace('"payload":[1]', '"payload":[1.5]'),
      base.replace('"payload":[1]', '"payload":[1e+21]'),
      base.replace('"payload":[1]', '"payload":[-1.5e-7]'),
      base.replace('"payload":[1]', '"payload":[1234567890123456]'),
      // 17 digits the scan accepts (1e16 as JSON.stringify writes it), and an exponent whose tail
      // would read as an integer of its own.
      base.replace('"payload":[1]', '"payload":[10000000000000000]'),
      base.replace('"payload":[1]', '"payload":[1e-7]'),
      // Envelope numbers that are not integers of at most 15 digits.
      base.replace('"v":1', '"v":1.5'),
      base.replace('"position":3', '"position":0.5'),
      base.replace('"position":3', '"position":1234567890123456'),
      base.replace('"streamVersion":1', '"streamVersion":1.5'),
      // The same behind a first key of one character (a build that read on past an envelope
      // number it could not express looped here).
      base.replace('{"origin"', '{"a":1,"origin"').replace('"v":1', '"v":1.5'),
      base.replace('{"origin"', '{"a":1,"origin"').replace('"position":3', '"position":0.5'),
      // A previous hash that is not 64 lowercase hex digits, with one character before or after.
      base.replace('"streamPrev":null', `"streamPrev":"x${hex}"`),
      base.replace('"streamPrev":null', `"streamPrev":"${hex}x"`),
      base.replace('"streamPrev":null', `"streamPrev":"${"0A".repeat(32)}"`)
    ]
    for (const text of inexpressible) {
      // Each is a text the scan accepts (templateOf's precondition).
      expect(scanEnvelope(text, freshFields()), text).toBe(true)
      expect(templateOf(text), text).toBeUndefined()
    }
    const templates = makeTemplates()
    learn(templates, inexpressible[0] as string)
    expect(templates.byKind.size).toBe(0)
    expect(templates.built).toBe(1)
    // Outside the precondition: no origin, no v, or text after the object.
    expect(templateOf(base.replace('"origin":"o",', ""))).toBeUndefined()
    expect(templateOf(base.replace(',"v":1', ""))).toBeUndefined()
    expect(templateOf(`${base} `)).toBeUndefined()
  })

  it("writes the origin into the template as a literal, characters special in a regular expression included (hand-written)", () => {
    const withOrigin = (origin: string) =>
      `{"origin":"${origin}","position":3,"recordedAt":"r","streamId":"s","streamPrev":null,"streamVersion":1,"v":1}`
    // Each origin, and an origin its characters would match were they not escaped.
    for (const [origin, impostor] of [
      ["a.b", "axb"],
      ["ab*", "a"],
      ["ab+", "abb"],
      ["ab?", "a"],
      ["a{2}", "aa"],
      ["a(b)", "ab"],
      ["[a]", "a"],
      ["a^b", "ab"],
      ["a$b", "ab"],
      ["a|b", "a"]
    ] as const) {
      const template = templateOf(withOrigin(origin)) as Template
      expect(template, origin).toBeDefined()
      const out = freshFields()
      expect(matchTemplate(template, withOrigin(origin), out), origin).toBe(true)
      expect(out, origin).toEqual({
        v: 1,
        position: 3,
        origin,
        recordedAt: "r",
        streamId: "s",
        streamVersion: 1,
        streamPrev: null
      })
      expect(matchTemplate(template, withOrigin(impostor), freshFields()), impostor).toBe(false)
    }
  })

  it("keeps the most recently matched shapes of a kind, and stops learning after MAX_BUILDS", () => {
    const shape = (k: number) =>
      `{"origin":"o","p${String(k).padStart(3, "0")}":1,"position":0,"recordedAt":"r","streamId":"s","streamPrev":null,"streamVersion":1,"v":1}`
    const templates = makeTemplates()
    for (let k = 0; k < MAX_KEPT + 2; k++) learn(templates, shape(k))
    // No "type": every shape is of the kind "".
    const list = () => templates.byKind.get("") ?? []
    expect(list()).toHaveLength(MAX_KEPT)
    expect(matchAny(templates, shape(0), freshFields())).toBe(false) // evicted
    expect(matchAny(templates, shape(2), freshFields())).toBe(true)
    expect(list()[0]?.regex.test(shape(2))).toBe(true) // moved to the front
    // Learnt 0 to 5, each put in front, 0 and 1 evicted: [5, 4, 3, 2]; matching 2 moves it (and
    // only it) to the front, so the list is [2, 5, 4, 3], each shape once.
    const kept = list().map((t) => [0, 1, 2, 3, 4, 5].filter((k) => t.regex.test(shape(k))))
    expect(kept).toEqual([[2], [5], [4], [3]])
    for (let k = 0; k < MAX_BUILDS; k++) learn(templates, shape(100 + k))
    expect(templates.built).toBe(MAX_BUILDS)
    expect(matchAny(templates, shape(100 + MAX_BUILDS - 1), freshFields())).toBe(false) // not learnt
  })

  it("keeps shapes by the record's type: a log cycling through 20 types of 2 shapes each matches every record once learnt", () => {
    // Type t's two shapes differ by a payload field; the payload also holds a "type" of its own.
    const shape = (t: number, s: number) =>
      `{"origin":"o","payload":{"f${s}":1,"type":"inner"},"position":0,"recordedAt":"r","streamId":"s","streamPrev":null,"streamVersion":1,"type":"T${t}","v":1}`
    const all = Array.from({ length: 20 }, (_, t) => [shape(t, 0), shape(t, 1)]).flat()
    const templates = makeTemplates()
    for (const text of all) {
      expect(matchAny(templates, text, freshFields())).toBe(false)
      learn(templates, text)
    }
    expect(templates.byKind.size).toBe(20)
    expect(templates.built).toBe(40)
    // Twice round the cycle: every record matches (one list of the most recent shapes, shorter
    // than 40, would miss every one of them).
    for (const text of [...all, ...all]) expect(matchAny(templates, text, freshFields()), text).toBe(true)
    expect(kindOf(shape(7, 1))).toBe("T7")
  })

  it('reads the kind from the last "type" (hand-written), and gives templates to MAX_KINDS kinds', () => {
    expect(kindOf('{"payload":{"type":"inner"},"type":"Outer","v":1}')).toBe("Outer")
    expect(kindOf('{"payload":{"kind":"x"},"v":1}')).toBe("")
    expect(kindOf('{"type":"unterminated')).toBe("")
    expect(kindOf('{"type":"","v":1}')).toBe("")
    const shape = (t: number) =>
      `{"origin":"o","position":0,"recordedAt":"r","streamId":"s","streamPrev":null,"streamVersion":1,"type":"T${t}","v":1}`
    const templates = makeTemplates()
    for (let t = 0; t < MAX_KINDS + 3; t++) learn(templates, shape(t))
    expect(templates.byKind.size).toBe(MAX_KINDS)
    expect(matchAny(templates, shape(MAX_KINDS - 1), freshFields())).toBe(true)
    expect(matchAny(templates, shape(MAX_KINDS), freshFields())).toBe(false) // a kind too many
  })

  test.prop([fc.integer({ min: 3, max: 11 }), fc.nat()], { numRuns: runs(40) })(
    "in a verifier that has learnt the log's shapes, another spelling of a later record is NOT_CANONICAL at its position",
    (k, pick) => {
      const store = makeStore()
      appendAll(store, sampleCmds(12))
      const recs = records(store)
      const target = recs[k] as (typeof recs)[number]
      const { same, notJson } = otherSpellings(target.canonical)
      const variants = [...same, ...notJson]
      expect(variants.length).toBeGreaterThan(6)
      const variant = variants[pick % variants.length] as string
      const engine = makeEngine({ origin: undefined, checkpoint: undefined, previous: [], warnings: [] })
      // The records before it, of the same three shapes, verify (and teach the templates).
      const before = recs.slice(0, k).map((r) => engine.pushParts(r.canonical, r.prevHash, r.hash))
      expect(before).toEqual(recs.slice(0, k).map(() => undefined))
      expect(engine.pushParts(variant, target.prevHash, target.hash)).toMatchObject({
        class: "NOT_CANONICAL",
        position: k
      })
    }
  )
})
