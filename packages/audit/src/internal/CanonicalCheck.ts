/**
 * A fast check that a text is exactly the RFC 8785 form of a parsed value, without building the
 * canonical string: each piece core's `canonicalize` would emit is compared in place. It must
 * agree with `@utblick/core/CanonicalJson.canonicalize`; a property test holds it to that.
 *
 * @since 0.1.0
 */

const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

// Module-level cursor instead of closures: the check runs once per event, synchronously, and
// allocating closures per call cost more than the comparison itself.
let TEXT = ""
let AT = 0

function emit(piece: string): boolean {
  if (!TEXT.startsWith(piece, AT)) return false
  AT += piece.length
  return true
}

function emitChar(code: number): boolean {
  if (TEXT.charCodeAt(AT) !== code) return false
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

function emitString(s: string): boolean {
  if (needsEscape(s)) return emit(JSON.stringify(s))
  if (TEXT.charCodeAt(AT) !== 34 || !TEXT.startsWith(s, AT + 1) || TEXT.charCodeAt(AT + 1 + s.length) !== 34)
    return false
  AT += s.length + 2
  return true
}

const COMMA = 44
const COLON = 58

function walk(v: unknown): boolean {
  if (v === null) return emit("null")
  switch (typeof v) {
    case "string":
      return emitString(v)
    case "number":
      return emit(JSON.stringify(v))
    case "boolean":
      return emit(v ? "true" : "false")
    case "object": {
      if (Array.isArray(v)) {
        if (!emitChar(91)) return false
        for (let i = 0; i < v.length; i++) {
          if (i > 0 && !emitChar(COMMA)) return false
          if (!walk(v[i])) return false
        }
        return emitChar(93)
      }
      const o = v as Record<string, unknown>
      const keys = Object.keys(o)
      // Canonical input is already sorted; checking costs one pass, sorting only when needed.
      for (let i = 1; i < keys.length; i++) {
        if (compareKeys(keys[i - 1] as string, keys[i] as string) > 0) {
          keys.sort(compareKeys)
          break
        }
      }
      if (!emitChar(123)) return false
      let first = true
      for (const k of keys) {
        const member = o[k]
        if (member === undefined) continue
        if (!first && !emitChar(COMMA)) return false
        first = false
        if (!emitString(k) || !emitChar(COLON) || !walk(member)) return false
      }
      return emitChar(125)
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
  TEXT = text
  AT = 0
  const ok = walk(value) && AT === text.length
  TEXT = ""
  return ok
}
