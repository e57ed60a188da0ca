/**
 * The `utblick` command tree and `main`, which runs it and turns every outcome into an exit code
 * scripts can rely on: 0 ok, 1 a verification failure or finding, 2 bad input or usage.
 *
 * @since 0.1.0
 */
import { Cause, Console, Effect, Exit } from "effect"
import { Command } from "effect/cli"
import { type ExitCode, isCliFailure, render } from "./CliFailure.js"
import * as Audit from "./commands/Audit.js"
import * as Verify from "./commands/Verify.js"
import * as Data from "./commands/Data.js"
import * as List from "./commands/List.js"
import * as Rank from "./commands/Rank.js"
import * as Rebuild from "./commands/Rebuild.js"
import * as Reports from "./commands/Reports.js"
import * as Year from "./commands/Year.js"
import { TOOL_VERSION } from "./Provenance.js"
import { root } from "./Root.js"

/**
 * The full command tree.
 *
 * @category utils
 * @since 0.1.0
 */
export const utblick = root.pipe(
  Command.withSubcommands([
    Data.init,
    Data.importCommand,
    Data.exportCommand,
    Data.status,
    Reports.report,
    Reports.compare,
    Reports.trend,
    Rank.rank,
    List.list,
    Audit.trail,
    Verify.verify,
    Audit.keygen,
    Audit.checkpoint,
    Audit.prove,
    Audit.forget,
    Audit.restore,
    Audit.migrate,
    Audit.verifyReceipt,
    Rebuild.rebuild,
    Year.closeYear,
    Year.checkYear
  ])
)

/**
 * Runs the CLI on `args` (without the program name) and returns the exit code. Errors are printed
 * on stderr as `error: …` and `hint: …`; usage errors also show the help (effect/cli does that).
 *
 * @category utils
 * @since 0.1.0
 */
export const main = (args: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const exit = yield* Effect.exit(Command.runWith(utblick, { version: TOOL_VERSION })(args))
    if (Exit.isSuccess(exit)) return 0 as ExitCode
    const error = Cause.squash(exit.cause)
    if (isCliFailure(error)) {
      for (const line of render(error)) yield* Console.error(line)
      return error.exitCode
    }
    if (typeof error === "object" && error !== null && "_tag" in error) {
      const tag = (error as { readonly _tag: string })._tag
      if (tag === "ShowHelp")
        return (
          (error as unknown as { readonly errors: ReadonlyArray<unknown> }).errors.length > 0 ? 2 : 0
        ) as ExitCode
      // effect/cli's own parse errors were already printed with the help.
      if (
        [
          "UnrecognizedOption",
          "DuplicateOption",
          "MissingOption",
          "MissingArgument",
          "UnexpectedArgument",
          "InvalidValue",
          "UnknownSubcommand",
          "ValidationError",
          "UserError"
        ].includes(tag)
      ) {
        return 2 as ExitCode
      }
    }
    yield* Console.error(`error: ${error instanceof Error ? error.message : String(error)}`)
    yield* Console.error(
      "hint: this is unexpected; run again with --log-level debug and report it with the output"
    )
    return 2 as ExitCode
  })
