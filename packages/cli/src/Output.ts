/**
 * Writing a command's result: to stdout, or to `--out FILE` with a line saying where it went.
 *
 * @since 0.1.0
 */
import { closeSync, openSync, writeFileSync, writeSync } from "node:fs"
import { resolve } from "node:path"
import { Console, Effect, Option } from "effect"
import { UsageFailure } from "./CliFailure.js"

/**
 * Writes text to a file (when `out` is set) or prints it.
 *
 * @category formatting
 * @since 0.1.0
 */
export const emit = (
  text: string,
  out: Option.Option<string>,
  what: string
): Effect.Effect<void, UsageFailure> =>
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

// Lines leave in pieces of about this many characters: a long listing is never one string.
const piece = 1 << 20

/**
 * Writes lines, each ended by a newline, to a file (when `out` is set) or prints them, a piece of
 * about a million characters at a time as the lines are made: a document of any length is never
 * held whole. The file is created (or emptied) before the first line is made; a write that fails
 * stops the lines and fails with a `UsageFailure` naming the file (what was written stays).
 *
 * @category formatting
 * @since 0.3.0
 */
export const emitLines = (
  lines: Iterable<string>,
  out: Option.Option<string>,
  what: string
): Effect.Effect<void, UsageFailure> => {
  const cannot = (file: string, e: unknown) =>
    new UsageFailure({
      problem: `cannot write ${file}: ${(e as Error).message}`,
      hint: "check that the directory exists and is writable"
    })
  // Gathers lines into pieces and hands each to `write` (without its last newline); stops when
  // `write` says so.
  const inPieces = (write: (text: string) => boolean): void => {
    let buffered: Array<string> = []
    let size = 0
    for (const line of lines) {
      buffered.push(line)
      size += line.length + 1
      if (size >= piece) {
        if (!write(buffered.join("\n"))) return
        buffered = []
        size = 0
      }
    }
    if (buffered.length > 0) write(buffered.join("\n"))
  }
  if (Option.isNone(out))
    return Effect.gen(function* () {
      const console = yield* Console.Console
      inPieces((text) => {
        console.log(text)
        return true
      })
    })
  const file = resolve(out.value)
  return Effect.acquireUseRelease(
    Effect.try({ try: () => openSync(file, "w"), catch: (e) => cannot(out.value, e) }),
    (fd) =>
      Effect.suspend(() => {
        // A line that cannot be made is a defect, not a write that failed: only writes are caught.
        let failed: { readonly cause: unknown } | undefined
        inPieces((text) => {
          try {
            const bytes = Buffer.from(`${text}\n`)
            for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at)
            return true
          } catch (cause) {
            failed = { cause }
            return false
          }
        })
        return failed === undefined ? Effect.void : Effect.fail(cannot(out.value, failed.cause))
      }),
    (fd) => Effect.sync(() => closeSync(fd))
  ).pipe(Effect.andThen(Console.log(`Wrote ${what} to ${file}`)))
}

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
