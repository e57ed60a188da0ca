/**
 * The one error a domain rule refuses a command with, with a `reason` that names the rule that
 * refused it — the way `EventStoreError` carries its reason. Every reason has the same three
 * facts: the command's `field`, the `value` found there, and the `rule` in words.
 *
 * Each aggregate's error type is `DomainError.Refusal<…>` over the reasons it can give, so the
 * compiler still knows which rules a command can break, while the facade, the HTTP example and the
 * CLI map one tag. Match one reason with `Effect.catchReason("DomainError", "AppropriationExceeded", f)`.
 *
 * @since 0.2.0
 */
import { Effect, Schema } from "effect"

/**
 * What refused the command: the rule's name (`AppropriationExceeded`, `MembershipAlreadyActive`,
 * …), the field of the command, the value found there and the rule in words.
 *
 * @category models
 * @since 0.2.0
 */
export const Reason = Schema.Struct({
  _tag: Schema.String,
  field: Schema.String,
  value: Schema.String,
  rule: Schema.String
})

/**
 * @category models
 * @since 0.2.0
 */
export type Reason<R extends string = string> = typeof Reason.Type & { readonly _tag: R }

/**
 * A domain rule refused the command; nothing was written.
 *
 * @category errors
 * @since 0.2.0
 */
export class DomainError extends Schema.TaggedError<DomainError>()("DomainError", { reason: Reason }) {
  override get message(): string {
    return `${this.reason._tag}: field "${this.reason.field}" has value ${this.reason.value}, but ${this.reason.rule}`
  }
}

/**
 * A {@link DomainError} whose reason is one of `R`: an aggregate's error type.
 *
 * @category models
 * @since 0.2.0
 */
export type Refusal<R extends string> = DomainError & { readonly reason: Reason<R> }

/**
 * The refusal of a command by the rule `reason`.
 *
 * @category constructors
 * @since 0.2.0
 */
export const make = <R extends string>(
  reason: R,
  details: { readonly field: string; readonly value: string; readonly rule: string }
): Refusal<R> => new DomainError({ reason: { _tag: reason, ...details } }) as Refusal<R>

/**
 * Fails with the refusal of a command by the rule `reason`.
 *
 * @category utils
 * @since 0.2.0
 */
export const refuse = <R extends string>(
  reason: R,
  details: { readonly field: string; readonly value: string; readonly rule: string }
): Effect.Effect<never, Refusal<R>> => Effect.fail(make(reason, details))

/**
 * Whether a value is a {@link DomainError}, optionally with the given reason.
 *
 * @category guards
 * @since 0.2.0
 */
export const is = (value: unknown, reason?: string): value is DomainError =>
  value instanceof DomainError && (reason === undefined || value.reason._tag === reason)
