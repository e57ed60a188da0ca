/**
 * A fast check that a text is exactly the RFC 8785 form of a parsed value, without building the
 * canonical string: each piece core's `canonicalize` would emit is compared in place. It must
 * agree with `@utblick/core/CanonicalJson.canonicalize`; a property test holds it to that.
 *
 * @since 0.1.0
 */

// Module-level cursor instead of closures: the check runs once per event, synchronously, and
// allocating closures per call cost more than the comparison itself. The text is passed along
// rather than kept here, so that nothing holds the last record once the check returns.
let AT = 0

function emit(t: string, piece: string): boolean {
  if (!t.startsWith(piece, AT)) return false
  AT += piece.length
  return true
}

function emitChar(t: string, code: number): boolean {
  if (t.charCodeAt(AT) !== code) return false
  AT += 1
  return true
}

// Characters JSON.stringify would escape (controls, quote, backslash, any surrogate half: lone
// ones are escaped, and pairs simply take the slow path).
function needsEscape(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return true
  }
  return false
}

function emitString(t: string, s: string): boolean {
  if (needsEscape(s)) return emit(t, JSON.stringify(s))
  if (t.charCodeAt(AT) !== 34 || !t.startsWith(s, AT + 1) || t.charCodeAt(AT + 1 + s.length) !== 34)
    return false
  AT += s.length + 2
  return true
}

const COMMA = 44
const COLON = 58

function walk(t: string, v: unknown): boolean {
  if (v === null) return emit(t, "null")
  switch (typeof v) {
    case "string":
      return emitString(t, v)
    case "number":
      return emit(t, JSON.stringify(v))
    case "boolean":
      return emit(t, v ? "true" : "false")
    case "object": {
      if (Array.isArray(v)) {
        if (!emitChar(t, 91)) return false
        for (let i = 0; i < v.length; i++) {
          if (i > 0 && !emitChar(t, COMMA)) return false
          if (!walk(t, v[i])) return false
        }
        return emitChar(t, 93)
      }
      const o = v as Record<string, unknown>
      // Canonical input is already sorted, but for integer-like keys, which `Object.keys` lists
      // first: checking costs one pass, sorting only when needed. The default sort compares UTF-16
      // code units, RFC 8785's order.
      const keys = Object.keys(o)
      for (let i = 1; i < keys.length; i++) {
        if ((keys[i - 1] as string) > (keys[i] as string)) {
          keys.sort()
          break
        }
      }
      if (!emitChar(t, 123)) return false
      let first = true
      for (const k of keys) {
        const member = o[k]
        if (member === undefined) continue
        if (!first && !emitChar(t, COMMA)) return false
        first = false
        if (!emitString(t, k) || !emitChar(t, COLON) || !walk(t, member)) return false
      }
      return emitChar(t, 125)
    }
    default:
      return false
  }
}

/**
 * Whether `text` equals `canonicalize(value)`, where `value = JSON.parse(text)`.
 *
 * @category guards
 * @since 0.1.0
 */
export const isCanonicalOf = (value: unknown, text: string): boolean => {
  AT = 0
  return walk(text, value) && AT === text.length
}
