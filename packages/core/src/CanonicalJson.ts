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
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

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
      return LONE_SURROGATE.test(value)
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
        if (LONE_SURROGATE.test(key)) {
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

// RFC 8785 §3.2.3: sort keys by their UTF-16 code units, which is what `<` on JS strings does.
const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

const serialize = (value: JsonValue, out: Array<string>): void => {
  if (value === null) {
    out.push("null")
  } else if (typeof value === "string") {
    // JSON.stringify escapes exactly what RFC 8785 §3.2.2.2 requires.
    out.push(JSON.stringify(value))
  } else if (typeof value === "number") {
    // ECMAScript Number serialisation is the one RFC 8785 §3.2.2.3 prescribes (and prints -0 as 0).
    out.push(JSON.stringify(value))
  } else if (typeof value === "boolean") {
    out.push(value ? "true" : "false")
  } else if (Array.isArray(value)) {
    out.push("[")
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(",")
      serialize(value[i] as JsonValue, out)
    }
    out.push("]")
  } else {
    const object = value as JsonObject
    const keys = Object.keys(object).sort(compareKeys)
    out.push("{")
    let first = true
    for (const key of keys) {
      const member = object[key]
      if (member === undefined) continue
      if (!first) out.push(",")
      first = false
      out.push(JSON.stringify(key), ":")
      serialize(member, out)
    }
    out.push("}")
  }
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
 * @category constructors
 * @since 0.1.0
 */
export const canonicalize = (value: JsonValue): string => {
  const out: Array<string> = []
  serialize(value, out)
  return out.join("")
}

/**
 * Checks `value` with {@link findIJsonViolation} and canonicalises it, or returns the violation.
 *
 * @category constructors
 * @since 0.1.0
 */
export const canonicalizeChecked = (value: unknown): string | NotIJsonError => {
  const violation = findIJsonViolation(value)
  return violation ?? canonicalize(value as JsonValue)
}
