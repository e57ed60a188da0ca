/**
 * Record templates: the verifier's fastest canonical check, for the records of a log that share
 * a shape.
 *
 * The records of one log differ in their values, not in their structure: the same keys in the
 * same order around strings and integers. Once {@link scanEnvelope} has proven one record
 * canonical, its structure becomes a regular expression — its keys and punctuation as literals,
 * each string value as "plain characters" (no quote, backslash, control character or surrogate),
 * each integer as `JSON.stringify`'s form of an integer of at most 15 digits — and a later record
 * that matches it is canonical for the same reasons the first one was: its keys are the first
 * one's (sorted, unique), its strings need no escape, its integers are written as
 * `JSON.stringify` writes them. The match runs in V8's compiled regular-expression engine, one
 * pass over the text, which is several times cheaper than a scan written in JavaScript (whose
 * cost is per token, not per character). The envelope fields come out as capture groups.
 *
 * A record that matches no template (another event type, a decimal number, an escape) is
 * scanned as before, and its shape is learnt if it can be expressed; a miss is never a failure.
 * A property test holds templates to core's `canonicalize` and to the exact path.
 *
 * @since 0.2.0
 */
import type { EnvelopeFields } from "./CanonicalScan.js"

// Characters a string may hold without an escape in RFC 8785 form and without the exact path:
// the same set the scan's `NOT_PLAIN` excludes.
const PLAIN = '"[^"\\\\\\x00-\\x1f\\ud800-\\udfff]*"'
const CAPTURE_PLAIN = '"([^"\\\\\\x00-\\x1f\\ud800-\\udfff]*)"'
// An integer as `JSON.stringify` writes it, up to 15 digits (exact in a double); not -0.
const INTEGER = "(?:0|-?[1-9][0-9]{0,14})"
const CAPTURE_INTEGER = "(0|-?[1-9][0-9]{0,14})"
// Any scalar a template accepts in a position that is not an envelope field: each alternative
// is canonical on its own, so a record may carry null in one event and a string in the next.
const SCALAR = `(?:${PLAIN}|${INTEGER}|null|true|false)`
const SCALAR_ARRAY = `\\[(?:${SCALAR}(?:,${SCALAR})*)?\\]`
const STREAM_PREV = '(?:"([0-9a-f]{64})"|null)'

const escapeLiteral = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&")

/**
 * One learnt shape: its expression, and the envelope values fixed in it (the log's origin and
 * the envelope version are literals of the template, not captures).
 *
 * @since 0.2.0
 */
export interface Template {
  readonly regex: RegExp
  readonly origin: string
  readonly v: number
}

// A failed build: the sample holds something a template cannot express (a decimal number, an
// exponent), so records of its shape keep taking the scan.
class Inexpressible {}

// Builds the expression of the value at `p` of a text the scan has accepted (so it is
// canonical, plain, well-formed and nested at most MAX_DEPTH deep, which a matching text then is
// too), returning the index after it. `top` marks the envelope object, whose fields are captured.
const build = (t: string, p: number, out: Array<string>, top: boolean, fixed: Fixed): number => {
  const c = t.charCodeAt(p)
  if (c === 123) {
    out.push("\\{")
    p++
    if (t.charCodeAt(p) === 125) {
      out.push("\\}")
      return p + 1
    }
    for (;;) {
      const keyEnd = t.indexOf('"', p + 1)
      const key = t.slice(p + 1, keyEnd)
      out.push(`"${escapeLiteral(key)}":`)
      p = keyEnd + 2
      if (top && ENVELOPE.has(key)) p = envelopeField(t, p, key, out, fixed)
      else p = build(t, p, out, false, fixed)
      const d = t.charCodeAt(p)
      if (d === 125) {
        out.push("\\}")
        return p + 1
      }
      out.push(",")
      p++
    }
  }
  if (c === 91) {
    p++
    let scalars = true
    const items: Array<string> = []
    if (t.charCodeAt(p) === 93) p++
    else
      for (;;) {
        const e = t.charCodeAt(p)
        if (e === 123 || e === 91) scalars = false
        if (items.length > 0) items.push(",")
        p = build(t, p, items, false, fixed)
        if (t.charCodeAt(p++) === 93) break
      }
    // An array of scalars may have any length; one holding containers keeps its own shape.
    if (scalars) out.push(SCALAR_ARRAY)
    else out.push("\\[", ...items, "\\]")
    return p
  }
  const end = scalarEnd(t, p)
  if (end === -1) throw new Inexpressible()
  out.push(SCALAR)
  return end
}

// The end of the scalar at `p` if the generic scalar expression accepts it, else -1.
const scalarEnd = (t: string, p: number): number => {
  const c = t.charCodeAt(p)
  if (c === 34) return t.indexOf('"', p + 1) + 1
  if (c === 110 || c === 116) return p + 4
  if (c === 102) return p + 5
  const m = /^(?:0|-?[1-9][0-9]{0,14})(?![0-9.eE+-])/.exec(t.slice(p, p + 17))
  return m === null ? -1 : p + m[0].length
}

interface Fixed {
  origin: string | undefined
  v: number | undefined
}

const ENVELOPE = new Set(["origin", "position", "recordedAt", "streamId", "streamPrev", "streamVersion", "v"])

const envelopeField = (t: string, p: number, key: string, out: Array<string>, fixed: Fixed): number => {
  switch (key) {
    case "origin": {
      const end = t.indexOf('"', p + 1)
      fixed.origin = t.slice(p + 1, end)
      out.push(`"${escapeLiteral(fixed.origin)}"`)
      return end + 1
    }
    case "v": {
      const end = scalarEnd(t, p)
      if (end === -1 || t.charCodeAt(p) === 34) throw new Inexpressible()
      fixed.v = +t.slice(p, end)
      out.push(escapeLiteral(t.slice(p, end)))
      return end
    }
    case "position":
    case "streamVersion": {
      const end = scalarEnd(t, p)
      if (end === -1 || t.charCodeAt(p) === 34) throw new Inexpressible()
      out.push(CAPTURE_INTEGER)
      return end
    }
    case "streamPrev": {
      // null or 64 lowercase hex digits; another string is the exact path's to word.
      out.push(STREAM_PREV)
      if (t.charCodeAt(p) !== 34) return p + 4
      const end = t.indexOf('"', p + 1)
      if (!/^[0-9a-f]{64}$/.test(t.slice(p + 1, end))) throw new Inexpressible()
      return end + 1
    }
    default: {
      // recordedAt, streamId
      out.push(CAPTURE_PLAIN)
      return t.indexOf('"', p + 1) + 1
    }
  }
}

/**
 * The template of `text`, which {@link scanEnvelope} must have accepted; undefined when its shape
 * cannot be expressed (a number that is not a plain integer in an envelope field, or anywhere).
 *
 * @category constructors
 * @since 0.2.0
 */
export const templateOf = (text: string): Template | undefined => {
  const out: Array<string> = ["^"]
  const fixed: Fixed = { origin: undefined, v: undefined }
  try {
    const end = build(text, 0, out, true, fixed)
    if (end !== text.length || fixed.origin === undefined || fixed.v === undefined) return undefined
  } catch (e) {
    if (e instanceof Inexpressible) return undefined
    throw e
  }
  out.push("$")
  return { regex: new RegExp(out.join("")), origin: fixed.origin, v: fixed.v }
}

/**
 * Fills `out` from `text` if it matches `template`; a match proves the text canonical.
 *
 * @category guards
 * @since 0.2.0
 */
export const matchTemplate = (template: Template, text: string, out: EnvelopeFields): boolean => {
  const m = template.regex.exec(text)
  if (m === null) return false
  out.v = template.v
  out.origin = template.origin
  out.position = +(m[1] as string)
  out.recordedAt = m[2]
  out.streamId = m[3]
  out.streamPrev = m[4] ?? null
  out.streamVersion = +(m[5] as string)
  return true
}

/**
 * The templates a verifier has learnt, most recently matched first.
 *
 * @since 0.2.0
 */
export interface Templates {
  readonly list: Array<Template>
  /** How many builds were tried; learning stops at {@link MAX_BUILDS}. */
  built: number
}

/**
 * How many templates are tried before a record is scanned: a log of many event types keeps its
 * most frequent shapes, and a miss costs at most this many failed matches.
 *
 * @since 0.2.0
 */
export const MAX_KEPT = 8

/**
 * Builds are bounded so that a log whose records never repeat a shape costs a few dozen
 * template builds in all, not one per record.
 *
 * @since 0.2.0
 */
export const MAX_BUILDS = 64

/**
 * No templates yet.
 *
 * @category constructors
 * @since 0.2.0
 */
export const makeTemplates = (): Templates => ({ list: [], built: 0 })

/**
 * Whether `text` matches one of the templates (filling `out`); the one matched moves to the front.
 *
 * @category guards
 * @since 0.2.0
 */
export const matchAny = (templates: Templates, text: string, out: EnvelopeFields): boolean => {
  const list = templates.list
  for (let i = 0; i < list.length; i++) {
    const template = list[i] as Template
    if (matchTemplate(template, text, out)) {
      if (i > 0) {
        list.splice(i, 1)
        list.unshift(template)
      }
      return true
    }
  }
  return false
}

/**
 * Learns the shape of `text`, which the scan has just accepted and no template matched.
 *
 * @category mutations
 * @since 0.2.0
 */
export const learn = (templates: Templates, text: string): void => {
  if (templates.built >= MAX_BUILDS) return
  templates.built++
  const template = templateOf(text)
  if (template === undefined) return
  templates.list.unshift(template)
  if (templates.list.length > MAX_KEPT) templates.list.pop()
}
