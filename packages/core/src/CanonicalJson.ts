/**
 * RFC 8785 JSON Canonicalization Scheme (JCS) and the I-JSON guard applied at write time.
 *
 * Every event is serialised exactly once, by {@link canonicalize}, and the resulting bytes are
 * what the hash chain covers and what every store keeps verbatim.
 *
 * @since 0.1.0
 */
import { Data } from "effect"

/**
 * A JSON value as it may appear in a stored event.
 *
 * @category models
 * @since 0.1.0
 */
export type JsonValue = null | boolean | number | string | ReadonlyArray<JsonValue> | JsonObject

/**
 * A JSON object as it may appear in a stored event.
 *
 * @category models
 * @since 0.1.0
 */
export interface JsonObject {
  readonly [key: string]: JsonValue
}

/**
 * Raised when a value cannot be written because it is not I-JSON (RFC 7493): the path names the
 * offending field as a JSON pointer, `value` shows what was found and `rule` says what is required.
 *
 * @category errors
 * @since 0.1.0
 */
export class NotIJsonError extends Data.TaggedError("NotIJsonError")<{
  readonly path: string
  readonly value: string
  readonly rule: string
}> {
  override get message(): string {
    return `${this.path === "" ? "(root)" : this.path}: ${this.value} is not allowed: ${this.rule}`
  }
}

const describe = (value: unknown): string => {
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
  if (typeof value === "bigint") return `${value}n`
  if (typeof value === "function") return "a function"
  if (typeof value === "symbol") return String(value)
  if (value === undefined) return "undefined"
  if (typeof value === "object" && value !== null) return `an instance of ${value.constructor?.name ?? "an unknown class"}`
  return String(value)
}

const pointerToken = (key: string): string => key.replaceAll("~", "~0").replaceAll("/", "~1")

// A lone surrogate cannot be encoded as UTF-8, so two parties could disagree on the bytes.
// `isWellFormed` (Node ≥ 20) is native and an order of magnitude faster than a regex with lookbehind.
const hasLoneSurrogate = (s: string): boolean => !(s as unknown as { isWellFormed(): boolean }).isWellFormed()

const isPlainObject = (value: object): boolean => {
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/**
 * Checks that `value` is I-JSON as Utblick stores it, and returns the first violation or
 * `undefined`. The rules: only plain objects, arrays, strings, finite numbers, booleans and null;
 * integers within ±(2^53 − 1); no lone surrogates in strings or keys.
 *
 * @category guards
 * @since 0.1.0
 */
export const findIJsonViolation = (value: unknown, path = ""): NotIJsonError | undefined => {
  switch (typeof value) {
    case "string":
      return hasLoneSurrogate(value)
        ? new NotIJsonError({ path, value: describe(value), rule: "strings must not contain lone surrogates" })
        : undefined
    case "number":
      if (!Number.isFinite(value)) {
        return new NotIJsonError({ path, value: describe(value), rule: "numbers must be finite" })
      }
      if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
        return new NotIJsonError({
          path,
          value: describe(value),
          rule: "integers must lie within ±(2^53 − 1) to survive every JSON parser"
        })
      }
      return undefined
    case "boolean":
      return undefined
    case "object": {
      if (value === null) return undefined
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const found = findIJsonViolation(value[i], `${path}/${i}`)
          if (found !== undefined) return found
        }
        return undefined
      }
      if (!isPlainObject(value)) {
        return new NotIJsonError({ path, value: describe(value), rule: "only plain objects may be stored" })
      }
      for (const key of Object.keys(value)) {
        const keyPath = `${path}/${pointerToken(key)}`
        if (hasLoneSurrogate(key)) {
          return new NotIJsonError({
            path: keyPath,
            value: describe(key),
            rule: "keys must not contain lone surrogates"
          })
        }
        const found = findIJsonViolation((value as Record<string, unknown>)[key], keyPath)
        if (found !== undefined) return found
      }
      return undefined
    }
    default:
      return new NotIJsonError({ path, value: describe(value), rule: "only JSON values may be stored" })
  }
}

// RFC 8785 §3.2.3 sorts keys by their UTF-16 code units, which is exactly the default order of
// `Array.prototype.sort` on strings (and much faster than a comparator function).
// Envelope and payload keys repeat on every event, so their quoted forms are cached.
const quotedKeys = new Map<string, string>()
const quoteKey = (key: string): string => {
  let quoted = quotedKeys.get(key)
  if (quoted === undefined) {
    quoted = JSON.stringify(key)
    if (quotedKeys.size < 10_000) quotedKeys.set(key, quoted)
  }
  return quoted
}

// Plain string concatenation: V8 builds ropes, which is faster here than collecting parts.
const serialize = (value: JsonValue): string => {
  if (value === null) return "null"
  switch (typeof value) {
    case "string":
      // JSON.stringify escapes exactly what RFC 8785 §3.2.2.2 requires.
      return JSON.stringify(value)
    case "number":
      // ECMAScript Number serialisation is the one RFC 8785 §3.2.2.3 prescribes (and prints -0 as 0).
      return JSON.stringify(value)
    case "boolean":
      return value ? "true" : "false"
  }
  if (Array.isArray(value)) {
    let out = "["
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ","
      out += serialize(value[i] as JsonValue)
    }
    return `${out}]`
  }
  const object = value as JsonObject
  const keys = Object.keys(object).sort()
  let out = "{"
  let first = true
  for (const key of keys) {
    const member = object[key]
    if (member === undefined) continue
    out += first ? "" : ","
    first = false
    out += `${quoteKey(key)}:${serialize(member)}`
  }
  return `${out}}`
}

/**
 * Serialises a JSON value to its RFC 8785 canonical form. The caller is responsible for passing
 * I-JSON; use {@link canonicalizeChecked} for untrusted input.
 *
 * @example
 * ```ts
 * import { canonicalize } from "@utblick/core/CanonicalJson"
 * canonicalize({ b: 1, a: [true, null, 1e21] }) // '{"a":[true,null,1e+21],"b":1}'
 * ```
 *
 * @category encoding
 * @since 0.1.0
 */
export const canonicalize = (value: JsonValue): string => serialize(value)

// The fast path checks I-JSON while it serialises; only when it meets a violation does it pay for
// a second walk (findIJsonViolation) to name the path, the value and the rule.
// One preallocated marker: thrown only to unwind the recursion, never seen by callers.
const violation = new Error("not I-JSON")

const serializeChecked = (value: unknown): string => {
  switch (typeof value) {
    case "string":
      if (hasLoneSurrogate(value)) throw violation
      return JSON.stringify(value)
    case "number":
      if (!Number.isFinite(value) || (Number.isInteger(value) && !Number.isSafeInteger(value))) throw violation
      return JSON.stringify(value)
    case "boolean":
      return value ? "true" : "false"
    case "object": {
      if (value === null) return "null"
      if (Array.isArray(value)) {
        let out = "["
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ","
          out += serializeChecked(value[i])
        }
        return `${out}]`
      }
      if (!isPlainObject(value)) throw violation
      const object = value as Record<string, unknown>
      const keys = Object.keys(object).sort()
      let out = "{"
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i] as string
        if (hasLoneSurrogate(key)) throw violation
        if (i > 0) out += ","
        out += `${quoteKey(key)}:${serializeChecked(object[key])}`
      }
      return `${out}}`
    }
    default:
      throw violation
  }
}

/**
 * Canonicalises `value` if it is I-JSON, in one pass; otherwise returns the first violation
 * (with its JSON pointer under `path`).
 *
 * @category encoding
 * @since 0.1.0
 */
export const canonicalizeChecked = (value: unknown, path = ""): string | NotIJsonError => {
  try {
    return serializeChecked(value)
  } catch (error) {
    if (error !== violation) throw error
    return findIJsonViolation(value, path) ?? new NotIJsonError({ path, value: "a value", rule: "only JSON values may be stored" })
  }
}
