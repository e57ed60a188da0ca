/**
 * A one-pass check over a record's text that it is its own RFC 8785 form, which also picks out
 * the envelope fields the verifier needs, without `JSON.parse` building the object.
 *
 * It is deliberately conservative: it accepts only texts it can prove canonical cheaply (no
 * backslash escapes, no control characters, no surrogates, nesting under {@link MAX_DEPTH}, every
 * verifier field present with its expected type). Anything else answers `false`, and the caller
 * takes the exact path (`JSON.parse` and `isCanonicalOf`), which also words the failure. So an
 * accepted text is always one the exact path accepts, with the same field values; a property test
 * holds it to that.
 *
 * @since 0.2.0
 */

/**
 * The envelope fields the verifier reads. One mutable object is reused for every record: the
 * verifier reads it before scanning the next one.
 *
 * @since 0.2.0
 */
export interface EnvelopeFields {
  v: unknown
  position: unknown
  origin: unknown
  recordedAt: unknown
  streamId: unknown
  streamVersion: unknown
  streamPrev: unknown
}

/**
 * Deeper texts go to the exact path (whose recursion is the reference behaviour).
 *
 * @since 0.2.0
 */
export const MAX_DEPTH = 64

// Escapes, control characters and surrogates anywhere send the record to the exact path; without
// them every string ends at the next quote, which `indexOf` finds natively. One regex pass over
// the text is cheaper than testing each character of each string in JavaScript.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it must find
const NOT_PLAIN = /[\x00-\x1f\\\ud800-\udfff]/

const QUOTE = 34

// What a `skip…` answers for a value it refuses: index 0, which always holds the text's opening
// `{` (`scanEnvelope` checks it first). No value ends there, and `{` is none of the delimiters
// (`:`, `,`, `]`, `}`) a caller reads next, so every caller refuses the text at that read without
// a test of its own.
const REFUSED = 0

// The index after the string opening at `p`; REFUSED (`indexOf`'s -1, plus one) if it never ends.
const skipString = (t: string, p: number): number => t.indexOf('"', p + 1) + 1

// Whether the key at [a1, b1) sorts strictly after the key at [a0, b0), in UTF-16 code units,
// compared in place (slicing every key cost an allocation each). Every key sorts after a range of
// negative length, which stands for "no key yet" before an object's first key.
const keyAfter = (t: string, a0: number, b0: number, a1: number, b1: number): boolean => {
  const n0 = b0 - a0
  const n1 = b1 - a1
  const n = Math.min(n0, n1)
  for (let i = 0; i < n; i++) {
    const d = t.charCodeAt(a1 + i) - t.charCodeAt(a0 + i)
    if (d !== 0) return d > 0
  }
  return n1 > n0
}

// The characters of a number token besides its digits, which `skipNumber` takes before asking.
// Not `E`: `JSON.stringify` never writes it, and the token then ends before it, on no delimiter.
const isNumberChar = (c: number): boolean => c === 45 || c === 43 || c === 46 || c === 101

// The end of the number token at `p`, or REFUSED unless it is exactly what `JSON.stringify`
// writes for its value (so anything else at `p`, an empty token included, is refused). Plain
// integers of up to 15 digits are exact, and canonical unless they have a leading zero or are -0:
// a fast path for the common case, which the exact test after it would answer the same.
const skipNumber = (t: string, p: number): number => {
  let i = p
  let plain = true
  // Past the end `charCodeAt` is NaN, which ends the token like any other non-number character.
  for (; ; i++) {
    const c = t.charCodeAt(i)
    if (c >= 48 && c <= 57) continue
    if (!isNumberChar(c)) break
    if (!(c === 45 && i === p)) plain = false
  }
  const length = i - p
  const negative = t.charCodeAt(p) === 45
  const digits = negative ? length - 1 : length
  const first = t.charCodeAt(negative ? p + 1 : p)
  if (plain && digits >= 1 && digits <= 15 && (first !== 48 || (digits === 1 && !negative))) return i
  const token = t.slice(p, i)
  const value = Number(token)
  return Number.isFinite(value) && String(value) === token ? i : REFUSED
}

const skipLiteral = (t: string, p: number, word: string): number =>
  t.startsWith(word, p) ? p + word.length : REFUSED

const skipValue = (t: string, p: number, depth: number): number => {
  const c = t.charCodeAt(p)
  if (c === QUOTE) return skipString(t, p)
  if (c === 123) return skipObject(t, p, depth + 1)
  if (c === 91) return skipArray(t, p, depth + 1)
  if (c === 116) return skipLiteral(t, p, "true")
  if (c === 102) return skipLiteral(t, p, "false")
  if (c === 110) return skipLiteral(t, p, "null")
  return skipNumber(t, p)
}

function skipArray(t: string, p: number, depth: number): number {
  if (depth > MAX_DEPTH) return REFUSED
  p++
  if (t.charCodeAt(p) === 93) return p + 1
  for (;;) {
    p = skipValue(t, p, depth)
    const c = t.charCodeAt(p++)
    if (c === 93) return p
    if (c !== 44) return REFUSED
  }
}

// Keys must be in strictly increasing UTF-16 order: RFC 8785's order, which also rules out
// duplicate keys (that `JSON.parse` would collapse).
function skipObject(t: string, p: number, depth: number): number {
  if (depth > MAX_DEPTH) return REFUSED
  p++
  if (t.charCodeAt(p) === 125) return p + 1
  // No key yet: a range of negative length, which every first key follows.
  let keyStart = 1
  let keyEnd = 0
  for (;;) {
    if (t.charCodeAt(p) !== QUOTE) return REFUSED
    // A key that never ends leaves `end` REFUSED: a range of negative length (not after the last
    // key) and then `{`, not `:`.
    const end = skipString(t, p)
    if (!keyAfter(t, keyStart, keyEnd, p + 1, end - 1)) return REFUSED
    keyStart = p + 1
    keyEnd = end - 1
    if (t.charCodeAt(end) !== 58) return REFUSED
    p = skipValue(t, end + 1, depth)
    const c = t.charCodeAt(p++)
    if (c === 125) return p
    if (c !== 44) return REFUSED
  }
}

/**
 * Whether `text` is provably its own RFC 8785 form with every envelope field of the expected
 * type; on `true`, `out` holds the fields. `false` means "ask the exact path", not "invalid".
 *
 * @category guards
 * @since 0.2.0
 */
export const scanEnvelope = (t: string, out: EnvelopeFields): boolean => {
  // `{}` is refused below: its first key does not start with a quote.
  if (t.charCodeAt(0) !== 123 || NOT_PLAIN.test(t)) return false
  let found = 0
  let p = 1
  // As in `skipObject`; each value read that answers REFUSED is refused at the next read.
  let keyStart = 1
  let keyEnd = 0
  for (;;) {
    if (t.charCodeAt(p) !== QUOTE) return false
    const end = skipString(t, p)
    if (!keyAfter(t, keyStart, keyEnd, p + 1, end - 1)) return false
    keyStart = p + 1
    keyEnd = end - 1
    if (t.charCodeAt(end) !== 58) return false
    const at = end + 1
    const field = fieldAt(t, keyStart, keyEnd - keyStart)
    if (field === NONE) {
      p = skipValue(t, at, 1)
    } else {
      // Each verifier field must have its expected type here; any other type goes to the
      // exact path, which names the problem.
      const c0 = t.charCodeAt(at)
      if (field === STRING_FIELD || (field === PREV_FIELD && c0 === QUOTE)) {
        if (c0 !== QUOTE) return false
        p = skipString(t, at)
        const value = t.slice(at + 1, p - 1)
        if (field === PREV_FIELD) out.streamPrev = value
        else if (keyEnd - keyStart === 6) out.origin = value
        else if (keyEnd - keyStart === 8) out.streamId = value
        else out.recordedAt = value
      } else if (field === PREV_FIELD) {
        p = skipLiteral(t, at, "null")
        out.streamPrev = null
      } else {
        // Refuses any other type: no other value is a number token.
        p = skipNumber(t, at)
        const value = +t.slice(at, p)
        if (keyEnd - keyStart === 1) out.v = value
        else if (keyEnd - keyStart === 8) out.position = value
        else out.streamVersion = value
      }
      found++
    }
    const c = t.charCodeAt(p++)
    if (c === 125) return found === 7 && p === t.length
    if (c !== 44) return false
  }
}

const NONE = 0
const STRING_FIELD = 1
const NUMBER_FIELD = 2
const PREV_FIELD = 3

// Which verifier field the key at [a, a + n) names, by length first (no key string is built).
const fieldAt = (t: string, a: number, n: number): number => {
  switch (n) {
    case 1:
      return t.charCodeAt(a) === 118 ? NUMBER_FIELD : NONE
    case 6:
      return t.startsWith("origin", a) ? STRING_FIELD : NONE
    case 8:
      return t.startsWith("streamId", a) ? STRING_FIELD : t.startsWith("position", a) ? NUMBER_FIELD : NONE
    case 10:
      return t.startsWith("recordedAt", a) ? STRING_FIELD : t.startsWith("streamPrev", a) ? PREV_FIELD : NONE
    case 13:
      return t.startsWith("streamVersion", a) ? NUMBER_FIELD : NONE
    default:
      return NONE
  }
}
