/**
 * Writing a command's result: to stdout, or to `--out FILE` with a line saying where it went.
 *
 * @since 0.1.0
 */
import { writeFileSync } from "node:fs"
import { resolve } from "node:path"
import { Console, Effect, Option } from "effect"
import { UsageFailure } from "./CliFailure.js"

/**
 * Writes text to a file (when `out` is set) or prints it.
 *
 * @category formatting
 * @since 0.1.0
 */
export const emit = (text: string, out: Option.Option<string>, what: string): Effect.Effect<void, UsageFailure> =>
  Option.isNone(out)
    ? Console.log(text.endsWith("\n") ? text.slice(0, -1) : text)
    : Effect.try({
        try: () => writeFileSync(resolve(out.value), text),
        catch: (e) =>
          new UsageFailure({
            problem: `cannot write ${out.value}: ${(e as Error).message}`,
            hint: "check that the directory exists and is writable"
          })
      }).pipe(Effect.andThen(Console.log(`Wrote ${what} to ${resolve(out.value)}`)))

/**
 * Writes bytes (a workbook) to a file and says where they went.
 *
 * @category formatting
 * @since 0.2.0
 */
export const emitBytes = (
  bytes: () => Promise<Uint8Array>,
  out: string,
  what: string
): Effect.Effect<void, UsageFailure> =>
  Effect.tryPromise({
    try: async () => writeFileSync(resolve(out), await bytes()),
    catch: (e) =>
      new UsageFailure({
        problem: `cannot write ${out}: ${(e as Error).message}`,
        hint: "check that the directory exists and is writable"
      })
  }).pipe(Effect.andThen(Console.log(`Wrote ${what} to ${resolve(out)}`)))
