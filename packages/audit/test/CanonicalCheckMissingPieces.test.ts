/**
 * The in-place RFC 8785 check on texts that lack one piece of the value while everything around
 * it still matches: a missing piece must refuse the text where it is missed, not be skipped with
 * the cursor left in place (the enclosing array would then close on the next character and the
 * text's length would still come out right). Each text below is a value's canonical form with
 * one piece cut out, so the answer is "not canonical", worked out by hand.
 */
import { describe, expect, it } from "vitest"
import { isCanonicalOf } from "../src/internal/CanonicalCheck.js"

describe("isCanonicalOf refuses a text with a piece of the value missing", () => {
  it.each<readonly [string, unknown, string]>([
    ["the whole value (nothing at all)", null, ""],
    ["a literal inside an array", [true], "[]"],
    ["a number inside an array", [7], "[]"],
    ["a string inside an array", ["a"], "[]"],
    ["a comma between two elements", [1, 2], "[12]"],
    ["a nested array's opening bracket", [[1]], "[]"],
    ["an element of a nested array", [[true]], "[[]"],
    ["the comma and second element of a nested array", [[1, 2]], "[[1]"],
    ["an object's opening brace", [{}], "[]"],
    ["a member's key", [{ a: 1 }], "[{]"],
    ["a member's colon and value", [{ a: 1 }], '[{"a"]'],
    ["the comma and second member of an object", [{ a: 1, b: 2 }], '[{"a":1]']
  ])("%s", (_name, value, text) => {
    expect(isCanonicalOf(value, text)).toBe(false)
  })

  it("while taking the same values with every piece in place", () => {
    const whole: ReadonlyArray<readonly [unknown, string]> = [
      [null, "null"],
      [[true], "[true]"],
      [[7], "[7]"],
      [["a"], '["a"]'],
      [[1, 2], "[1,2]"],
      [[[1]], "[[1]]"],
      [[[true]], "[[true]]"],
      [[[1, 2]], "[[1,2]]"],
      [[{}], "[{}]"],
      [[{ a: 1 }], '[{"a":1}]'],
      [[{ a: 1, b: 2 }], '[{"a":1,"b":2}]']
    ]
    expect(whole.map(([value, text]) => isCanonicalOf(value, text))).toEqual(whole.map(() => true))
  })
})
