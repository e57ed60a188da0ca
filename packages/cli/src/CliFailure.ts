/**
 * The failures a command reports to the person at the terminal, each with the exit code a script
 * can rely on and a sentence saying what to do next.
 *
 * @since 0.1.0
 */
import { Data } from "effect"

/**
 * Exit codes of every command: `0` ok, `1` a verification failure or finding, `2` bad input or usage.
 *
 * @category models
 * @since 0.1.0
 */
export type ExitCode = 0 | 1 | 2

/**
 * Bad input or usage (exit code 2): a missing file, an unreadable store, a refused import.
 *
 * @category errors
 * @since 0.1.0
 */
export class UsageFailure extends Data.TaggedError("UsageFailure")<{
  /** What went wrong, in one sentence. */
  readonly problem: string
  /** What to do next. */
  readonly hint: string
  /** Extra lines (e.g. line-numbered validation errors). */
  readonly details?: ReadonlyArray<string>
}> {
  /** Always 2. */
  get exitCode(): ExitCode {
    return 2
  }
  override get message(): string {
    return this.problem
  }
}

/**
 * A verification failure or an audit finding (exit code 1): the chain does not verify, a sealed
 * year's figures changed, a receipt is rejected.
 *
 * @category errors
 * @since 0.1.0
 */
export class Finding extends Data.TaggedError("Finding")<{
  readonly problem: string
  readonly hint: string
  readonly details?: ReadonlyArray<string>
}> {
  /** Always 1. */
  get exitCode(): ExitCode {
    return 1
  }
  override get message(): string {
    return this.problem
  }
}

/**
 * Any failure a command reports.
 *
 * @category errors
 * @since 0.1.0
 */
export type CliFailure = UsageFailure | Finding

/**
 * Whether a value is a {@link CliFailure}.
 *
 * @category guards
 * @since 0.1.0
 */
export const isCliFailure = (u: unknown): u is CliFailure => u instanceof UsageFailure || u instanceof Finding

/**
 * The lines printed on stderr for a failure: `error: …`, the details, then `hint: …`.
 *
 * @category formatting
 * @since 0.1.0
 */
export const render = (failure: CliFailure): ReadonlyArray<string> => [
  `error: ${failure.problem}`,
  ...(failure.details ?? []).map((d) => `  ${d}`),
  `hint: ${failure.hint}`
]
