/**
 * The verifier's in-place RFC 8785 check on literal texts: each piece it compares (literals,
 * numbers, strings on both paths, arrays, objects and their key order) once right and once off by
 * one character, the bounds of the characters that must be escaped, and that one call leaves
 * nothing behind for the next. The expected answers are RFC 8785's, written out by hand.
 */
import { describe, expect, it } from "vitest"
import { isCanonicalOf } from "../src/internal/CanonicalCheck.js"

/** The check as the verifier uses it: on the parse of the text itself. */
const canonical = (text: string) => isCanonicalOf(JSON.parse(text), text)

describe("isCanonicalOf", () => {
  it.each([
    "null",
    "true",
    "false",
    "0",
    "-1",
    "1.5",
    "1e+21",
    '""',
    '"a"',
    '" "',
    '"a\\"b"',
    '"a\\\\b"',
    '"\\n"',
    '"\\u001f"',
    '"\\ud800"',
    '"\\udfff"',
    '"\ud7ff"',
    '"\ue000"',
    '"\ud83d\ude00"',
    "[]",
    "[1,2]",
    "[[],{}]",
    "{}",
    '{"a":1,"b":[true,null]}',
    '{"B":1,"a":2}',
    '{"":0,"a":{"b":"c"}}'
  ])("takes %s", (text) => {
    expect(canonical(text)).toBe(true)
  })

  it.each([
    "1.0",
    "1E+21",
    "-0",
    '"\\u0041"',
    '"\\/"',
    '"\\u001F"',
    '"\\ud7ff"',
    '"\u001f"'.replace("\u001f", "\\u001F"),
    " null",
    "null ",
    "[1, 2]",
    "[ 1]",
    "[1 ]",
    '{"b":1,"a":2}',
    '{"a":2,"B":1}',
    '{"a" :1}',
    '{"a": 1}',
    '{"a":1 }',
    '{ "a":1}',
    '{"a":1,"b":2 }'
  ])("refuses %s", (text) => {
    expect(canonical(text)).toBe(false)
  })

  it("compares each piece exactly where it stands", () => {
    // Strings on the fast path: the quote before, the characters, the quote after, nothing more.
    expect(isCanonicalOf("a", '"a"')).toBe(true)
    expect(isCanonicalOf("a", "'a\"")).toBe(false)
    expect(isCanonicalOf("a", '"b"')).toBe(false)
    expect(isCanonicalOf("a", '"a!')).toBe(false)
    expect(isCanonicalOf("a", '"a"x')).toBe(false)
    expect(isCanonicalOf("ab", '"a"')).toBe(false)
    // Arrays: brackets and commas.
    expect(isCanonicalOf([1, 2], "(1,2]")).toBe(false)
    expect(isCanonicalOf([1, 2], "[1;2]")).toBe(false)
    expect(isCanonicalOf([1, 2], "[1,2)")).toBe(false)
    expect(isCanonicalOf([1, 2], "[1,3]")).toBe(false)
    // Objects: braces, colon, comma and each member.
    expect(isCanonicalOf({ a: 1, b: 2 }, '{"a":1,"b":2}')).toBe(true)
    expect(isCanonicalOf({ a: 1, b: 2 }, '("a":1,"b":2}')).toBe(false)
    expect(isCanonicalOf({ a: 1, b: 2 }, '{"a"=1,"b":2}')).toBe(false)
    expect(isCanonicalOf({ a: 1, b: 2 }, '{"a":1;"b":2}')).toBe(false)
    expect(isCanonicalOf({ a: 1, b: 2 }, '{"a":1,"b":2)')).toBe(false)
    expect(isCanonicalOf({ a: 1, b: 2 }, '{"a":1,"c":2}')).toBe(false)
    expect(isCanonicalOf({ a: 1, b: 2 }, '{"a":1,"b":3}')).toBe(false)
    expect(isCanonicalOf(true, "false")).toBe(false)
    expect(isCanonicalOf(false, "true")).toBe(false)
    expect(isCanonicalOf(null, "nul")).toBe(false)
  })

  it("sorts keys given out of order, by UTF-16 code units", () => {
    expect(isCanonicalOf({ b: 2, a: 1 }, '{"a":1,"b":2}')).toBe(true)
    expect(isCanonicalOf({ c: 3, a: 1, b: 2 }, '{"a":1,"b":2,"c":3}')).toBe(true)
    expect(isCanonicalOf({ a: 1, c: 3, b: 2 }, '{"a":1,"b":2,"c":3}')).toBe(true)
    expect(isCanonicalOf({ a: 2, B: 1 }, '{"B":1,"a":2}')).toBe(true)
    // U+E000 (one code unit) sorts after U+1F600 (surrogates D83D DE00), unlike by code point.
    expect(isCanonicalOf({ "\ue000": 1, "\ud83d\ude00": 2 }, '{"\ud83d\ude00":2,"\ue000":1}')).toBe(true)
  })

  it("leaves out undefined members, as JSON does", () => {
    expect(isCanonicalOf({ a: undefined, b: 1 }, '{"b":1}')).toBe(true)
    expect(isCanonicalOf({ a: undefined, b: 1, c: 2 }, '{"b":1,"c":2}')).toBe(true)
    expect(isCanonicalOf({ a: 1, b: undefined }, '{"a":1}')).toBe(true)
    expect(isCanonicalOf({ a: undefined }, "{}")).toBe(true)
  })

  it("refuses what JSON cannot hold", () => {
    expect(isCanonicalOf(undefined, "")).toBe(false)
    expect(isCanonicalOf(1n, "1")).toBe(false)
    expect(isCanonicalOf(() => 1, "")).toBe(false)
  })

  it("starts each call afresh", () => {
    expect(isCanonicalOf("abc", '"abc"x')).toBe(false)
    expect(isCanonicalOf(1, "1")).toBe(true)
    expect(isCanonicalOf([1], "[1]")).toBe(true)
    expect(isCanonicalOf("x", '"x"')).toBe(true)
  })
})
