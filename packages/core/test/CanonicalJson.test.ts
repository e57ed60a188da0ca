import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { fc, test } from "@fast-check/vitest"
import { CanonicalJson } from "@utblick/core"
import { describe, expect, it } from "vitest"

const vectors = join(import.meta.dirname, "vectors", "jcs", "testdata")

describe("RFC 8785 vectors (cyberphone/json-canonicalization)", () => {
  const names = readdirSync(join(vectors, "input")).filter((f) => f.endsWith(".json"))
  it("has the six published cases", () => {
    expect(names.sort()).toEqual(["arrays.json", "french.json", "structures.json", "unicode.json", "values.json", "weird.json"])
  })
  for (const name of names) {
    it(`canonicalises ${name} to the published bytes`, () => {
      const input = JSON.parse(readFileSync(join(vectors, "input", name), "utf8"))
      const expected = readFileSync(join(vectors, "output", name))
      const hex = readFileSync(join(vectors, "outhex", name.replace(".json", ".txt")), "utf8").replace(/\s+/g, "")
      const actual = Buffer.from(CanonicalJson.canonicalize(input), "utf8")
      expect(actual.equals(expected)).toBe(true)
      expect(actual.toString("hex")).toBe(hex)
    })
  }
})

// -0 canonicalises to 0, so it cannot survive a round trip by identity; everything else must.
const json = fc.jsonValue({ stringUnit: "binary", noUnicodeString: false }).filter((v) => !Object.is(v, -0))

// An independent canonical writer for the property below: RFC 8785 written out (code-unit key
// order, §3.2.2.2's escapes by hand, ECMAScript number text), sharing no code with the library.
const escapes: Record<string, string> = {
  '"': '\\"',
  "\\": "\\\\",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t"
}
const referenceString = (s: string): string => {
  let out = '"'
  for (const ch of s) {
    const code = ch.charCodeAt(0)
    out += escapes[ch] ?? (code < 0x20 ? `\\u${code.toString(16).padStart(4, "0")}` : ch)
  }
  return `${out}"`
}
const reference = (value: unknown): string => {
  if (value === null) return "null"
  if (typeof value === "boolean") return value ? "true" : "false"
  if (typeof value === "number") return String(value)
  if (typeof value === "string") return referenceString(value)
  if (Array.isArray(value)) return `[${value.map(reference).join(",")}]`
  const keys = Object.keys(value as object).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${keys.map((k) => `${referenceString(k)}:${reference((value as Record<string, unknown>)[k])}`).join(",")}}`
}
// Keys that V8 orders on its own (array indices) or that assignment would not make a member.
const awkwardKey = fc.oneof(
  fc.string(),
  fc.constantFrom(
    "0",
    "9",
    "10",
    "01",
    "4294967294",
    "4294967295",
    "-1",
    "1.5",
    "__proto__",
    "/",
    ":",
    " ",
    "~"
  )
)
const awkwardJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constant(null),
    fc.boolean(),
    fc
      .double({ noNaN: true, noDefaultInfinity: true })
      .filter((n) => !Number.isInteger(n) || Number.isSafeInteger(n)),
    fc.string({ unit: "binary" }).filter((s) => (s as unknown as { isWellFormed(): boolean }).isWellFormed()),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(awkwardKey, tie("value"), { maxKeys: 6 })
  )
})).value

describe("the checked form against an independent writer", () => {
  test.prop([awkwardJson], { numRuns: 500 })("writes the same bytes for every I-JSON value", (value) => {
    expect(CanonicalJson.canonicalizeChecked(value)).toBe(reference(value))
  })
})

describe("canonical form", () => {
  test.prop([json], { numRuns: 300 })("is idempotent: jcs(parse(jcs(x))) = jcs(x)", (value) => {
    const once = CanonicalJson.canonicalize(value as CanonicalJson.JsonValue)
    expect(CanonicalJson.canonicalize(JSON.parse(once))).toBe(once)
  })

  test.prop([fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 8 }), fc.nat()])(
    "does not depend on the order of object keys",
    (object, seed) => {
      const keys = Object.keys(object)
      const shuffled = [...keys].sort((a, b) => ((a.length * 31 + seed) % 7) - ((b.length * 31 + seed) % 7))
      const reordered = Object.fromEntries(shuffled.map((k) => [k, object[k]]))
      expect(CanonicalJson.canonicalize(reordered as CanonicalJson.JsonValue)).toBe(
        CanonicalJson.canonicalize(object as CanonicalJson.JsonValue)
      )
    }
  )

  test.prop([fc.oneof(fc.bigInt({ min: 2n ** 53n, max: 2n ** 80n }), fc.bigInt({ min: -(2n ** 80n), max: -(2n ** 53n) }))])(
    "refuses integers beyond ±(2^53 − 1), naming the path and the rule",
    (big) => {
      const error = CanonicalJson.canonicalizeChecked({ amount: { value: Number(big) } })
      expect(error).toBeInstanceOf(CanonicalJson.NotIJsonError)
      expect((error as CanonicalJson.NotIJsonError).path).toBe("/amount/value")
      expect((error as CanonicalJson.NotIJsonError).message).toContain("2^53")
    }
  )

  test.prop([fc.integer({ min: 0xd800, max: 0xdfff }), fc.string()])(
    "refuses lone surrogates in values and keys",
    (code, text) => {
      const lone = `${text}${String.fromCharCode(code)}`
      expect(CanonicalJson.findIJsonViolation({ a: [lone] })?.path).toBe("/a/0")
      expect(CanonicalJson.findIJsonViolation({ [lone]: 1 })?.rule).toContain("surrogate")
    }
  )

  it("refuses NaN, infinities, undefined, functions, bigints and class instances", () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, undefined, () => 1, 1n, new Date(0), new Map()]) {
      expect(CanonicalJson.findIJsonViolation({ x: bad })?.path).toBe("/x")
    }
  })

  it("escapes JSON pointer tokens in the reported path", () => {
    expect(CanonicalJson.findIJsonViolation({ "a/b": { "c~d": Number.NaN } })?.path).toBe("/a~1b/c~0d")
  })
})
