/**
 * Parsing untrusted JSON text strictly, before anything decodes it as a command: nesting no
 * deeper than {@link MAX_DEPTH}, integers within the safe range (reported with the digits as
 * written, not a rounded double), and strings that are well-formed Unicode (no lone surrogate
 * escapes such as `\ud800`). The CLI's import and the HTTP example read their input with it.
 *
 * @since 0.2.0
 */

/**
 * How deeply objects and arrays may nest. Commands nest three levels at most (a grant's
 * `plannedOutputs[].description`); 32 leaves room and stops a hostile input long before a
 * parser's or a decoder's stack would overflow.
 *
 * @category models
 * @since 0.2.0
 */
export const MAX_DEPTH = 32

/**
 * Why a text was refused: the field (a dotted path, or `(line)` / `(number)`), a short excerpt of
 * the value and the rule.
 *
 * @category models
 * @since 0.2.0
 */
export interface StrictJsonError {
  readonly field: string
  readonly value: string
  readonly rule: string
}

// Nesting depth and the first number literal beyond the safe integer range, scanned on the text
// so that neither a deep input nor a huge number reaches JSON.parse.
const scan = (text: string): { readonly depth: number; readonly unsafe?: string } => {
  let depth = 0
  let max = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++
      else if (c === 0x22) inString = false
      continue
    }
    if (c === 0x22) inString = true
    else if (c === 0x7b || c === 0x5b) {
      depth++
      if (depth > max) max = depth
      if (max > MAX_DEPTH) return { depth: max }
    } else if (c === 0x7d || c === 0x5d) depth--
    else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let j = i + 1
      while (j < text.length && /[0-9.eE+-]/.test(text[j] as string)) j++
      const token = text.slice(i, j)
      if (/^-?\d+$/.test(token) && !Number.isSafeInteger(Number(token))) return { depth: max, unsafe: token }
      if (/[.eE]/.test(token) && Math.abs(Number(token)) > Number.MAX_SAFE_INTEGER) return { depth: max, unsafe: token }
      i = j - 1
    }
  }
  return { depth: max }
}

const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/**
 * Whether a string is well-formed UTF-16 (no lone surrogate).
 *
 * @category guards
 * @since 0.2.0
 */
export const isWellFormed = (s: string): boolean => !LONE.test(s)

// The path of the first string (key or value) holding a lone surrogate.
const loneSurrogate = (value: unknown, path: string): string | undefined => {
  if (typeof value === "string") return isWellFormed(value) ? undefined : path
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = loneSurrogate(value[i], `${path}[${i}]`)
      if (p !== undefined) return p
    }
    return undefined
  }
  if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      const here = path === "" ? k : `${path}.${k}`
      if (!isWellFormed(k)) return here
      const p = loneSurrogate(v, here)
      if (p !== undefined) return p
    }
  }
  return undefined
}

/**
 * A value as a short, escaped excerpt for a message: JSON-quoted (control characters escaped,
 * also C1 and the bidirectional controls that would reorder a terminal line), at most 60
 * characters.
 *
 * @category formatting
 * @since 0.2.0
 */
export const excerpt = (value: unknown): string => {
  const text =
    value === undefined ? "(missing)" : typeof value === "string" ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value))
  const safe = text.replace(
    /[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`
  )
  return safe.length > 60 ? `${safe.slice(0, 57)}…` : safe
}

// C0 and C1 controls and the bidirectional controls as \uXXXX; everything else as it is.
const escapeControls = (text: string): string => {
  let out = ""
  for (const c of text) {
    const n = c.charCodeAt(0)
    const control = n < 0x20 || (n >= 0x7f && n <= 0x9f) || n === 0x200e || n === 0x200f || (n >= 0x202a && n <= 0x202e) || (n >= 0x2066 && n <= 0x2069)
    out += control ? `\\u${n.toString(16).padStart(4, "0")}` : c
  }
  return out
}

/**
 * Parses JSON text strictly.
 *
 * @example
 * ```ts
 * import { StrictJson } from "@utblick/core"
 * StrictJson.parse('{"amount": 9007199254740993}')
 * // { ok: false, error: { field: "(number)", value: "9007199254740993", rule: "is beyond the safe integer range …" } }
 * ```
 *
 * @category encoding
 * @since 0.2.0
 */
export const parse = (
  text: string
): { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: StrictJsonError } => {
  const s = scan(text)
  if (s.depth > MAX_DEPTH) {
    return { ok: false, error: { field: "(line)", value: excerpt(text.slice(0, 20)), rule: `nests deeper than ${MAX_DEPTH} levels, the documented limit` } }
  }
  if (s.unsafe !== undefined) {
    return {
      ok: false,
      error: {
        field: "(number)",
        value: s.unsafe.length > 40 ? `${s.unsafe.slice(0, 37)}…` : s.unsafe,
        rule: `is beyond the safe integer range (±${Number.MAX_SAFE_INTEGER}); amounts are whole öre`
      }
    }
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e) {
    // V8's message quotes the offending text as it is: a NUL or an escape sequence of the input
    // would reach the terminal through it.
    const said = escapeControls((e as Error).message)
    return { ok: false, error: { field: "(line)", value: excerpt(text), rule: `is not JSON: ${said}` } }
  }
  const bad = loneSurrogate(value, "")
  if (bad !== undefined) {
    return {
      ok: false,
      error: {
        field: bad === "" ? "(line)" : bad,
        value: "(lone surrogate)",
        rule: "is not well-formed Unicode (a lone surrogate escape such as \\ud800)"
      }
    }
  }
  return { ok: true, value }
}
