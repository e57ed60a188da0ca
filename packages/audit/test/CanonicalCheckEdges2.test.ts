/**
 * The in-place RFC 8785 check on objects whose keys look like integers: `Object.keys` lists such
 * keys first and in numeric order, while RFC 8785 orders every key by its UTF-16 code units, so
 * here the parsed order is not the text's and the check must sort. The texts are written by hand:
 * "10" sorts before "9" ("1", U+0031, before "9", U+0039), and "9" before "a" (U+0061).
 */
import { describe, expect, it } from "vitest"
import { isCanonicalOf } from "../src/internal/CanonicalCheck.js"

/** The check as the verifier uses it: on the parse of the text itself. */
const canonical = (text: string) => isCanonicalOf(JSON.parse(text), text)

describe("isCanonicalOf with integer-like keys", () => {
  it.each(['{"10":1,"9":2}', '{"0":true,"1":false,"10":null,"2":[]}', '{"10":{"2":0,"a":1},"9":"x","a":[]}'])(
    "takes %s, its keys in code-unit order",
    (text) => {
      expect(canonical(text)).toBe(true)
    }
  )

  it.each(['{"9":2,"10":1}', '{"0":true,"1":false,"2":[],"10":null}', '{"10":{"a":1,"2":0},"9":"x","a":[]}'])(
    "refuses %s, its keys in numeric order",
    (text) => {
      expect(canonical(text)).toBe(false)
    }
  )
})
