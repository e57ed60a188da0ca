/**
 * Record templates: the verifier's fastest canonical check, for the records of a log that share
 * a shape.
 *
 * The records of one log differ in their values, not in their structure: the same keys in the
 * same order around strings and integers. Once {@link scanEnvelope} has proven one record
 * canonical, its structure becomes a regular expression — its keys and punctuation as literals,
 * each string value as "plain characters" (no quote, backslash, control character or surrogate),
 * each integer as `JSON.stringify`'s form of an integer of at most 15 digits, each other number
 * (a decimal, an exponent) as a captured JSON number that must read back as `String` writes its
 * value — and a later record that matches it is canonical for the same reasons the first one
 * was: its keys are the first one's (sorted, unique), its strings need no escape, its numbers are
 * written as `JSON.stringify` writes them. The match runs in V8's compiled regular-expression engine, one
 * pass over the text, which is several times cheaper than a scan written in JavaScript (whose
 * cost is per token, not per character). The envelope fields come out as capture groups.
 *
 * A record that matches no template (a new shape, an escape, a decimal in an array of scalars) is
 * scanned as before, and its shape is learnt if it can be expressed; a miss is never a failure.
 * Templates are kept by the record's type, so a log that interleaves many types finds each
 * record's shape among the few of its type.
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
// Where the learnt record held a number that is not such an integer (a decimal, an exponent):
// any JSON number, captured, and canonical only if it is what \`String\` writes of its value (RFC
// 8785's number form), which {@link matchTemplate} checks after the match.
const SCALAR_NUMBER = `(?:${PLAIN}|(-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:e[+-]?[0-9]+)?)|null|true|false)`
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y
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
  /** The capture group of each envelope field the regex captures. */
  readonly groups: EnvelopeGroups
  /** The capture groups of numbers checked after a match (see `SCALAR_NUMBER`). */
  readonly numbers: ReadonlyArray<number>
}

interface EnvelopeGroups {
  readonly position: number
  readonly recordedAt: number
  readonly streamId: number
  readonly streamPrev: number
  readonly streamVersion: number
}

// A failed build: the sample holds something a template cannot express (a decimal number in an
// array of scalars, an envelope number that is not a plain integer), so records of its shape keep
// taking the scan.
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
        // An array of scalars may have any length, so its items cannot be captured one by one.
        else if (scalarEnd(t, p) === -1) throw new Inexpressible()
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
  if (end !== -1) {
    out.push(SCALAR)
    return end
  }
  NUMBER.lastIndex = p
  const number = NUMBER.exec(t)
  if (number === null) throw new Inexpressible()
  fixed.numbers.push(++fixed.groups)
  out.push(SCALAR_NUMBER)
  return p + number[0].length
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
  // Capture groups so far, and where each envelope field and checked number is.
  groups: number
  readonly at: { -readonly [K in keyof EnvelopeGroups]?: number }
  readonly numbers: Array<number>
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
      fixed.at[key] = ++fixed.groups
      out.push(CAPTURE_INTEGER)
      return end
    }
    case "streamPrev": {
      // null or 64 lowercase hex digits; another string is the exact path's to word.
      fixed.at.streamPrev = ++fixed.groups
      out.push(STREAM_PREV)
      if (t.charCodeAt(p) !== 34) return p + 4
      const end = t.indexOf('"', p + 1)
      if (!/^[0-9a-f]{64}$/.test(t.slice(p + 1, end))) throw new Inexpressible()
      return end + 1
    }
    default: {
      // recordedAt, streamId
      fixed.at[key as "recordedAt" | "streamId"] = ++fixed.groups
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
  const fixed: Fixed = { origin: undefined, v: undefined, groups: 0, at: {}, numbers: [] }
  try {
    const end = build(text, 0, out, true, fixed)
    if (end !== text.length || fixed.origin === undefined || fixed.v === undefined) return undefined
  } catch (e) {
    if (e instanceof Inexpressible) return undefined
    throw e
  }
  const { position, recordedAt, streamId, streamPrev, streamVersion } = fixed.at
  if (
    position === undefined ||
    recordedAt === undefined ||
    streamId === undefined ||
    streamPrev === undefined ||
    streamVersion === undefined
  )
    return undefined
  out.push("$")
  return {
    regex: new RegExp(out.join("")),
    origin: fixed.origin,
    v: fixed.v,
    groups: { position, recordedAt, streamId, streamPrev, streamVersion },
    numbers: fixed.numbers
  }
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
  for (const group of template.numbers) {
    const n = m[group]
    if (n !== undefined && String(+n) !== n) return false
  }
  const g = template.groups
  out.v = template.v
  out.origin = template.origin
  out.position = +(m[g.position] as string)
  out.recordedAt = m[g.recordedAt]
  out.streamId = m[g.streamId]
  out.streamPrev = m[g.streamPrev] ?? null
  out.streamVersion = +(m[g.streamVersion] as string)
  return true
}

/**
 * The templates a verifier has learnt, by the kind of record each matches (its top-level `type`,
 * see {@link kindOf}), most recently matched first within a kind.
 *
 * A log interleaves its event types (a unit of work records a dozen in turn), so one list of the
 * most recently matched shapes, shorter than the number of shapes, misses almost every record:
 * each miss costs every failed match and then the scan. Within a kind, a record has one or a few
 * shapes.
 *
 * @since 0.2.0
 */
export interface Templates {
  readonly byKind: Map<string, Array<Template>>
  /** The kind matched last, looked up first (a log of one kind never slices or hashes its kind). */
  last: { readonly kind: string; readonly list: Array<Template> } | undefined
  /** How many builds were tried; learning stops at {@link MAX_BUILDS}. */
  built: number
}

/**
 * How many templates are kept for one kind of record (its shapes: optional fields present or
 * not); a miss costs at most this many failed matches.
 *
 * @since 0.2.0
 */
export const MAX_KEPT = 4

/**
 * How many kinds of record get templates (the event catalogue has a few dozen types).
 *
 * @since 0.3.0
 */
export const MAX_KINDS = 64

/**
 * Builds are bounded so that a log whose records never repeat a shape costs a few hundred
 * template builds in all, not one per record.
 *
 * @since 0.2.0
 */
export const MAX_BUILDS = 256

/**
 * The kind of a record text, to choose the templates to try: `K` of a text that ends
 * `"type":"K","v":N}` with `K` free of quotes and `N` digits (as every canonical record ends: the
 * envelope's `type` comes after the payload in canonical order, with only `v` after it), else
 * `""`. Only a hint: a template still matches the whole text or nothing.
 *
 * @category getters
 * @since 0.3.0
 */
export const kindOf = (text: string): string => {
  const start = kindStart(text)
  return start === -1 ? "" : text.slice(start, kindEnd)
}

// Where the kind's characters start (-1: none); they end at `kindEnd` (set here, read at once).
// A canonical record ends `"type":"K","v":N}`: the envelope's `type` is its last key but `v`, a
// non-negative integer. The kind is read there, from the end, in loops of `charCodeAt` (a
// `lastIndexOf` is a call into V8's runtime, about 200 ns a record); a text that does not end so
// has no kind. Only a hint: a template still matches the whole text or nothing, so a record of
// no kind (a type with an escaped quote, say) is matched among the templates of no kind.
let kindEnd = -1
const kindStart = (text: string): number => {
  const last = text.length - 1
  if (text.charCodeAt(last) !== 125) return -1
  let colon = last - 1
  for (let c = text.charCodeAt(colon); c >= 48 && c <= 57; c = text.charCodeAt(colon)) colon--
  // `","v":` before the digits (at least one); its first character closes the kind. (Compared a
  // character at a time: `startsWith` costs about 15 ns more a record.)
  const close = colon - 5
  if (
    colon === last - 1 ||
    text.charCodeAt(colon) !== 58 ||
    text.charCodeAt(close + 4) !== 34 ||
    text.charCodeAt(close + 3) !== 118 ||
    text.charCodeAt(close + 2) !== 34 ||
    text.charCodeAt(close + 1) !== 44 ||
    text.charCodeAt(close) !== 34
  )
    return -1
  // The kind holds no quote: the one before it opens it, and `"type":` comes before that.
  let open = close - 1
  while (open >= 7 && text.charCodeAt(open) !== 34) open--
  if (open < 7 || !text.startsWith('"type":', open - 7)) return -1
  kindEnd = close
  return open + 1
}

// The templates of `text`'s kind: the last kind's when the text names it (no slice, no hash).
const listOf = (templates: Templates, text: string): Array<Template> | undefined => {
  const start = kindStart(text)
  const last = templates.last
  if (
    last !== undefined &&
    (start === -1 ? last.kind === "" : kindEnd - start === last.kind.length && text.startsWith(last.kind, start))
  )
    return last.list
  const kind = start === -1 ? "" : text.slice(start, kindEnd)
  const list = templates.byKind.get(kind)
  if (list !== undefined) templates.last = { kind, list }
  return list
}

/**
 * No templates yet.
 *
 * @category constructors
 * @since 0.2.0
 */
export const makeTemplates = (): Templates => ({ byKind: new Map(), last: undefined, built: 0 })

/**
 * Whether `text` matches one of the templates of its kind (filling `out`); the one matched moves
 * to the front of its kind.
 *
 * @category guards
 * @since 0.2.0
 */
export const matchAny = (templates: Templates, text: string, out: EnvelopeFields): boolean => {
  const list = listOf(templates, text)
  if (list === undefined) return false
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
  const kind = kindOf(text)
  let list = templates.byKind.get(kind)
  if (list === undefined) {
    if (templates.byKind.size >= MAX_KINDS) return
    list = []
    templates.byKind.set(kind, list)
  }
  list.unshift(template)
  if (list.length > MAX_KEPT) list.pop()
}
