/**
 * Helpers the commands share: reading files and keys named on the command line, parsing flag values.
 *
 * @since 0.1.0
 */
import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import { setFlagsFromString } from "node:v8"
import { Checkpoint } from "@utblick/audit"
import { Envelope, Events, Projection } from "@utblick/core"
import { Effect, Option, Result } from "effect"
import { Flag } from "effect/cli"
import { UsageFailure } from "../CliFailure.js"
import * as SigningKey from "../SigningKey.js"

/**
 * Reads a text file named on the command line, or fails with a usage error.
 *
 * @category encoding
 * @since 0.1.0
 */
export const readText = (path: string, what: string): Effect.Effect<string, UsageFailure> =>
  Effect.map(readBytes(path, what), (bytes) => Buffer.from(bytes).toString("utf8"))

/**
 * Reads the signing key file named on the command line (`--key`) into a signer, or fails with a
 * usage error naming the file.
 *
 * @category encoding
 * @since 0.4.0
 */
export const signerFrom = (path: string): Effect.Effect<Checkpoint.Signer, UsageFailure> =>
  Effect.flatMap(readText(path, "signing key"), (text) => SigningKey.decode(path, text))

/**
 * Reads a file named on the command line as its bytes (for input whose encoding is itself
 * checked, such as an export), or fails with a usage error.
 *
 * @category encoding
 * @since 0.2.0
 */
export const readBytes = (path: string, what: string): Effect.Effect<Uint8Array, UsageFailure> =>
  Effect.try({
    try: () => readFileSync(resolve(path)),
    catch: (e) =>
      new UsageFailure({
        problem: `cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        hint: `check the path of the ${what}`
      })
  })

/**
 * Validates a flag that takes a calendar date (`--as-of`, `--from`, `--to`): a day of the
 * calendar written `YYYY-MM-DD`. `2023-02-30` is refused, not read as the end of February.
 *
 * @category utils
 * @since 0.4.0
 */
export const calendarDate = (
  flag: string,
  value: Option.Option<string>,
  example = "2022-12-31"
): Effect.Effect<string | undefined, UsageFailure> =>
  Option.match(value, {
    onNone: () => Effect.succeed(undefined),
    onSome: (v) =>
      Envelope.isRealCalendarDate(v)
        ? Effect.succeed(v)
        : Effect.fail(
            new UsageFailure({
              problem: `${flag} ${JSON.stringify(v)} is not a calendar date`,
              hint: `give a day of the calendar as YYYY-MM-DD, e.g. ${flag} ${example}`
            })
          )
  })

/**
 * Validates a year given on the command line (`--year`, `--from`, a `close-year` argument, named by
 * `flag` when it is a flag): a year from 1900 to 2100, the years events may name
 * (`Events.Common.Year`).
 *
 * @category utils
 * @since 0.4.0
 */
export const yearOf = (y: number, flag?: string): Effect.Effect<number, UsageFailure> =>
  Events.Common.isYear(y)
    ? Effect.succeed(y)
    : Effect.fail(
        new UsageFailure({
          problem: `${flag === undefined ? "" : `${flag} `}${y} is not a year`,
          hint: "give a year from 1900 to 2100, e.g. 2022"
        })
      )

/**
 * Validates `--as-of` (a calendar date, the business date a report is as of).
 *
 * @category utils
 * @since 0.1.0
 */
export const asOfDate = (value: Option.Option<string>): Effect.Effect<string | undefined, UsageFailure> =>
  calendarDate("--as-of", value, "2022-06-30")

/**
 * The `--known-at` flag of every command that replays the log as it was known at an instant.
 *
 * @category flags
 * @since 0.4.0
 */
export const knownAt = Flag.String("known-at").pipe(
  Flag.withDescription(
    "Transaction time: only what was recorded by this instant, written with its zone (2023-03-15T12:00Z, 2023-03-15T13:00+01:00), or by the end of this date (UTC)"
  ),
  Flag.optional
)

/**
 * Validates `--known-at`: an instant with its zone, or a date, meaning the end of that day (UTC);
 * read by `Projection.knownAtOf`, as the facade reads its `knownAt`.
 *
 * @category utils
 * @since 0.1.0
 */
export const knownAtInstant = (value: Option.Option<string>): Effect.Effect<string | undefined, UsageFailure> =>
  Option.match(value, {
    onNone: () => Effect.succeed(undefined),
    onSome: (v) => {
      const instant = Projection.knownAtOf(v)
      return instant !== undefined
        ? Effect.succeed(instant)
        : Effect.fail(
            new UsageFailure({
              problem: `--known-at ${JSON.stringify(v)} is not an instant`,
              hint: "give an instant with its zone, e.g. 2023-03-15T12:00:00Z or 2023-03-15T13:00+01:00, or a date, meaning the end of that day (UTC)"
            })
          )
    }
  })

/**
 * Turns store and decode errors into a usage failure that names the store.
 *
 * @category utils
 * @since 0.1.0
 */
export const storeProblem = (error: { readonly message: string }): UsageFailure =>
  new UsageFailure({
    problem: `the store could not be read: ${error.message}`,
    hint: "run `utblick verify` to check the log, or check --store"
  })

/**
 * The tenant flag value as `string | undefined`.
 *
 * @category utils
 * @since 0.1.0
 */
export const optional = (value: Option.Option<string>): string | undefined => Option.getOrUndefined(value)

/**
 * `--json`: machine-readable output.
 *
 * @category flags
 * @since 0.2.0
 */
export const json = Flag.Boolean("json").pipe(Flag.withDescription("Machine-readable output"), Flag.withDefault(false))

const parseVkey = (vkey: string): Checkpoint.Verifier | string => {
  const parsed = Checkpoint.parseVkey(vkey)
  return Result.isSuccess(parsed) ? parsed.success : parsed.failure.message
}

/**
 * The trust policy of a log from the verifier key file an auditor passes with `--trust`.
 *
 * @category utils
 * @since 0.2.0
 */
export const trustFrom = (origin: string, vkeyFile: string) =>
  Effect.gen(function* () {
    const text = yield* readText(vkeyFile, "verifier key")
    const parsed = parseVkey(text.trim())
    if (typeof parsed === "string") {
      return yield* new UsageFailure({
        problem: `${vkeyFile} is not a verifier key: ${parsed}`,
        hint: "pass the .vkey file that `utblick keygen` wrote (NAME+KEYID+KEY)"
      })
    }
    return { origin, logKeys: [parsed] } satisfies Checkpoint.TrustPolicy
  })

/**
 * Keeps V8's young generation at its initial size for the rest of the process: for a command that
 * streams a large log or file, allocating fast and keeping little (an import, a verification).
 *
 * **Details**
 *
 * Such a command's live heap stays near 20–60 MB, yet V8, seeing a high survival rate in the young
 * generation, doubles that generation up to its maximum, and on a machine with memory to spare the
 * process then peaks at 300+ MB of mostly garbage (a verification of 1,000,000 events from
 * PostgreSQL peaked at 194 MB in one run and 279 MB in the next; 199 MB in both with this). More,
 * shorter scavenges cost no measurable time in the benchmarks, and users need no Node flags (ADR
 * 0023). Node documents setting V8 flags at run time as unsupported, so it is best effort.
 *
 * @category utils
 * @since 0.2.0
 */
export const favourMemory = (): void => {
  try {
    setFlagsFromString("--semi-space-growth-factor=1")
  } catch {
    // A V8 without this flag: keep its defaults.
  }
}
