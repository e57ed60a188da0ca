/**
 * The one error a Promise caller sees: a plain `Error` with a stable `code` to switch on, the
 * offending `field`, `value` and `rule` when they are known, and the original tagged error of
 * core or a store as `cause`.
 *
 * @since 0.1.0
 */
import { Cause } from "effect"

/**
 * What went wrong, as a stable string:
 *
 * - `INVALID_INPUT`: the command or query could not be decoded (the field, value and rule say why);
 *   nothing was written.
 * - `FORBIDDEN`: the actor's role may not give this command.
 * - `RULE_VIOLATED`: a domain rule refused the command (budget cap, already a member, trip not
 *   evaluated, …); nothing was written.
 * - `CONFLICT`: another writer changed the stream first and retries were exhausted, the command's
 *   idempotency key was recorded before with other content, or an event
 *   id was reused; reload and try again.
 * - `STORE_UNAVAILABLE`: the store could not be reached or refused the write (disk, network);
 *   nothing was written.
 * - `STORE_CORRUPT`: a stored event no longer decodes.
 * - `CLOSED`: the instance was closed.
 * - `INTERNAL`: a defect (a bug); the cause holds the details.
 *
 * @category models
 * @since 0.1.0
 */
export type ErrorCode =
  | "INVALID_INPUT"
  | "FORBIDDEN"
  | "RULE_VIOLATED"
  | "CONFLICT"
  | "STORE_UNAVAILABLE"
  | "STORE_CORRUPT"
  | "CLOSED"
  | "INTERNAL"

/**
 * The fields of an {@link UtblickError} besides its message.
 *
 * @category models
 * @since 0.1.0
 */
export interface UtblickErrorDetails {
  readonly code: ErrorCode
  /** The command's `_tag`, when the error came from a command. */
  readonly command?: string
  /** A dotted path into the input (`amount`, `actor.role`), when known. */
  readonly field?: string
  /** The offending value, rendered as JSON, when known. */
  readonly value?: string
  /** The rule the value broke, in words, when known. */
  readonly rule?: string
  /** The tag of the original error (`AppropriationExceeded`, `EventStoreError/Unavailable`, …). */
  readonly tag: string
  /** Whether the same call may succeed later without changing the input. */
  readonly retryable: boolean
  /** The original tagged error, or the defect. */
  readonly cause?: unknown
}

/**
 * The error every facade call rejects with.
 *
 * **Details**
 *
 * A plain `Error` subclass, so `instanceof UtblickError` works without Effect and the message is
 * the original error's message. `cause` keeps the tagged error for callers who want more detail.
 *
 * @example
 * ```ts
 * try {
 *   await utblick.execute(input)
 * } catch (error) {
 *   if (error instanceof UtblickError && error.code === "RULE_VIOLATED") console.log(error.field, error.rule)
 *   else throw error
 * }
 * ```
 *
 * @category errors
 * @since 0.1.0
 */
export class UtblickError extends Error {
  /** What went wrong; switch on this. */
  readonly code: ErrorCode
  /** The command's `_tag`, when known. */
  readonly command: string | undefined
  /** The offending field, when known. */
  readonly field: string | undefined
  /** The offending value rendered as JSON, when known. */
  readonly value: string | undefined
  /** The rule that was broken, when known. */
  readonly rule: string | undefined
  /** The tag of the original error. */
  readonly tag: string
  /** Whether the same call may succeed later. */
  readonly retryable: boolean

  constructor(message: string, details: UtblickErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.name = "UtblickError"
    this.code = details.code
    this.command = details.command
    this.field = details.field
    this.value = details.value
    this.rule = details.rule
    this.tag = details.tag
    this.retryable = details.retryable
  }

  /** A JSON-friendly view (what an HTTP problem body or a log line needs). */
  toJSON(): Record<string, string | boolean> {
    const json: Record<string, string | boolean> = {
      code: this.code,
      tag: this.tag,
      message: this.message,
      retryable: this.retryable
    }
    if (this.command !== undefined) json["command"] = this.command
    if (this.field !== undefined) json["field"] = this.field
    if (this.value !== undefined) json["value"] = this.value
    if (this.rule !== undefined) json["rule"] = this.rule
    return json
  }
}

/**
 * Whether a value is an {@link UtblickError}.
 *
 * @category guards
 * @since 0.1.0
 */
export const isUtblickError = (value: unknown): value is UtblickError => value instanceof UtblickError

type Fields = Record<string, unknown>

const str = (fields: Fields, key: string): string | undefined =>
  typeof fields[key] === "string" ? (fields[key] as string) : undefined

const optional = (key: "command" | "field" | "value" | "rule", value: string | undefined) =>
  value === undefined ? {} : { [key]: value }

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error))

/**
 * Maps a tagged error of core, a decider or a store to an {@link UtblickError}.
 *
 * **Details**
 *
 * `CommandInputError` and a store's `InvalidEvent` → `INVALID_INPUT`; `NotAuthorized` →
 * `FORBIDDEN`; `DomainError` → `RULE_VIOLATED`, tagged with its reason (`AppropriationExceeded`);
 * `ConcurrencyConflict`, `DuplicateEvent` and `IdempotencyConflict` → `CONFLICT`; `Unavailable` → `STORE_UNAVAILABLE`;
 * `Corrupt` and `EventDecodeError` → `STORE_CORRUPT`; anything else → `INTERNAL`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromError = (error: unknown, command?: string): UtblickError => {
  if (error instanceof UtblickError) return error
  const message = messageOf(error)
  if (error === null || typeof error !== "object" || typeof (error as { _tag?: unknown })._tag !== "string") {
    return new UtblickError(message, { code: "INTERNAL", tag: "Defect", retryable: false, cause: error })
  }
  const fields = error as unknown as Fields
  const tag = fields["_tag"] as string
  const cmd = str(fields, "command") ?? command
  const base = { cause: error, ...optional("command", cmd) }
  switch (tag) {
    case "CommandInputError":
      return new UtblickError(message, {
        ...base,
        code: "INVALID_INPUT",
        tag,
        retryable: false,
        ...optional("field", str(fields, "field")),
        ...optional("value", str(fields, "value")),
        ...optional("rule", str(fields, "rule"))
      })
    case "NotAuthorized": {
      const allowed = Array.isArray(fields["allowedRoles"]) ? (fields["allowedRoles"] as ReadonlyArray<string>) : []
      return new UtblickError(message, {
        ...base,
        code: "FORBIDDEN",
        tag,
        retryable: false,
        field: "actor.role",
        ...optional("value", str(fields, "role") === undefined ? undefined : JSON.stringify(fields["role"])),
        rule: `${cmd ?? "this command"} may only be given by: ${allowed.length === 0 ? "nobody" : allowed.join(", ")}`
      })
    }
    case "EventStoreError": {
      const reason = (fields["reason"] ?? {}) as Fields
      const reasonTag = typeof reason["_tag"] === "string" ? (reason["_tag"] as string) : "Unknown"
      const fullTag = `EventStoreError/${reasonTag}`
      switch (reasonTag) {
        case "ConcurrencyConflict":
        case "DuplicateEvent":
          return new UtblickError(message, {
            ...base,
            code: "CONFLICT",
            tag: fullTag,
            retryable: reasonTag === "ConcurrencyConflict"
          })
        case "InvalidEvent":
          return new UtblickError(message, {
            ...base,
            code: "INVALID_INPUT",
            tag: fullTag,
            retryable: false,
            ...optional("field", str(reason, "field")),
            ...optional("value", str(reason, "value")),
            ...optional("rule", str(reason, "rule"))
          })
        case "Unavailable":
          return new UtblickError(message, {
            ...base,
            code: "STORE_UNAVAILABLE",
            tag: fullTag,
            retryable: reason["retryable"] === true
          })
        case "Corrupt":
          return new UtblickError(message, { ...base, code: "STORE_CORRUPT", tag: fullTag, retryable: false })
        default:
          return new UtblickError(message, { ...base, code: "INTERNAL", tag: fullTag, retryable: false })
      }
    }
    case "EventDecodeError":
      return new UtblickError(message, { ...base, code: "STORE_CORRUPT", tag, retryable: false })
    case "UtblickClosed":
      return new UtblickError(message, { ...base, code: "CLOSED", tag, retryable: false })
    case "DomainError": {
      // A domain rule refused the command; the reason names the rule (AppropriationExceeded, …).
      const reason = (fields["reason"] ?? {}) as Fields
      return new UtblickError(message, {
        ...base,
        code: "RULE_VIOLATED",
        tag: str(reason, "_tag") ?? tag,
        retryable: false,
        ...optional("field", str(reason, "field")),
        ...optional("value", str(reason, "value")),
        ...optional("rule", str(reason, "rule"))
      })
    }
    case "IdempotencyConflict":
      // The same idempotency key with other content: a conflict with what is recorded (HTTP 409),
      // not a broken rule; retrying the same input cannot succeed.
      return new UtblickError(message, {
        ...base,
        code: "CONFLICT",
        tag,
        retryable: false,
        ...optional("field", str(fields, "field")),
        ...optional("value", str(fields, "value")),
        ...optional("rule", str(fields, "rule"))
      })
    default:
      return new UtblickError(message, { ...base, code: "INTERNAL", tag, retryable: false })
  }
}

/**
 * Maps the cause of a failed effect: its first typed failure, else its first defect, else an
 * interruption (reported as `CLOSED`, since interruption here means the runtime was disposed).
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromCause = <E>(cause: Cause.Cause<E>, command?: string): UtblickError => {
  const failure = Cause.findErrorOption(cause)
  if (failure._tag === "Some") return fromError(failure.value, command)
  const defect = Cause.findDefect(cause)
  if (defect._tag === "Success") return fromError(defect.success, command)
  if (Cause.hasInterrupts(cause)) {
    return new UtblickError("the Utblick instance was closed while the call was running", {
      code: "CLOSED",
      tag: "Interrupted",
      retryable: false
    })
  }
  return new UtblickError(Cause.pretty(cause), { code: "INTERNAL", tag: "Unknown", retryable: false, cause })
}
