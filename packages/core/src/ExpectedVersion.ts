/**
 * Optimistic concurrency: what a writer believes the version of a stream to be.
 *
 * @since 0.1.0
 */

/**
 * `"any"` appends whatever the version; `"no-stream"` requires the stream to be empty;
 * `"stream-exists"` requires at least one event; a number requires exactly that version (the
 * number of events already in the stream).
 *
 * @category models
 * @since 0.1.0
 */
export type ExpectedVersion = "any" | "no-stream" | "stream-exists" | number

/**
 * Append regardless of the stream's version.
 *
 * @category utils
 * @since 0.1.0
 */
export const Any: ExpectedVersion = "any"

/**
 * Append only if the stream has no events yet.
 *
 * @category utils
 * @since 0.1.0
 */
export const NoStream: ExpectedVersion = "no-stream"

/**
 * Append only if the stream already has events.
 *
 * @category utils
 * @since 0.1.0
 */
export const StreamExists: ExpectedVersion = "stream-exists"

/**
 * Whether a stream currently at `actual` (0 = no events) satisfies `expected`.
 *
 * @category guards
 * @since 0.1.0
 */
export const isSatisfiedBy = (expected: ExpectedVersion, actual: number): boolean => {
  switch (expected) {
    case "any":
      return true
    case "no-stream":
      return actual === 0
    case "stream-exists":
      return actual > 0
    default:
      return expected === actual
  }
}

/**
 * A readable form of an expected version, for error messages.
 *
 * @category formatting
 * @since 0.1.0
 */
export const describe = (expected: ExpectedVersion): string =>
  typeof expected === "number" ? `version ${expected}` : expected
