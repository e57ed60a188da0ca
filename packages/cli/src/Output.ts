/**
 * Writing a command's result: to stdout, or to `--out FILE` with a line saying where it went.
 *
 * @since 0.1.0
 */
import { closeSync, openSync, writeFileSync, writeSync } from "node:fs"
import { resolve } from "node:path"
import { Console, Effect, Option, Stream } from "effect"
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

const cannotWrite = (file: string, cause: unknown) =>
  new UsageFailure({
    problem: `cannot write ${file}: ${(cause as Error).message}`,
    hint: "check that the directory exists and is writable"
  })

// Where lines go: each line is added as it is made, gathered into pieces for `write`, which
// answers with the failure that stops the lines, if any. A line that cannot be made is a defect,
// not a write that failed: only writes answer with a failure.
const toPieces = (write: (text: string) => UsageFailure | undefined) => {
  let buffered: Array<string> = []
  let size = 0
  const flush = (): UsageFailure | undefined => {
    if (buffered.length === 0) return undefined
    const text = buffered.join("\n")
    buffered = []
    size = 0
    return write(text)
  }
  return {
    add: (line: string): UsageFailure | undefined => {
      buffered.push(line)
      size += line.length + 1
      return size >= piece ? flush() : undefined
    },
    flush
  }
}

// Runs `feed` with a function that adds a line to the output (stdout, or the file `out` names,
// created or emptied first), then writes what is left and, for a file, says where `what` went.
const writing = <E, R>(
  out: Option.Option<string>,
  what: (() => string) | undefined,
  feed: (add: (line: string) => UsageFailure | undefined) => Effect.Effect<void, E | UsageFailure, R>
): Effect.Effect<void, E | UsageFailure, R> => {
  const finish = (pieces: ReturnType<typeof toPieces>) =>
    Effect.andThen(feed(pieces.add), () => {
      const failed = pieces.flush()
      return failed === undefined ? Effect.void : Effect.fail(failed)
    })
  if (Option.isNone(out))
    return Effect.gen(function* () {
      const console = yield* Console.Console
      yield* finish(
        toPieces((text) => {
          console.log(text)
          return undefined
        })
      )
    })
  const file = resolve(out.value)
  return Effect.acquireUseRelease(
    Effect.try({ try: () => openSync(file, "w"), catch: (e) => cannotWrite(out.value, e) }),
    (fd) =>
      finish(
        toPieces((text) => {
          try {
            const bytes = Buffer.from(`${text}\n`)
            for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at)
            return undefined
          } catch (cause) {
            return cannotWrite(out.value, cause)
          }
        })
      ),
    (fd) => Effect.sync(() => closeSync(fd))
  ).pipe(
    Effect.andThen(
      Effect.suspend(() => (what === undefined ? Effect.void : Console.log(`Wrote ${what()} to ${file}`)))
    )
  )
}

// Adds each line of a stream as it comes; a write that fails ends the stream with its failure.
const feedStream = <E, R>(
  lines: Stream.Stream<string, E, R>,
  add: (line: string) => UsageFailure | undefined
): Effect.Effect<void, E | UsageFailure, R> =>
  Stream.runForEach(lines, (line) => {
    const failed = add(line)
    return failed === undefined ? Effect.void : Effect.fail(failed)
  })

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
): Effect.Effect<void, UsageFailure> =>
  writing(
    out,
    () => what,
    (add) =>
      Effect.suspend(() => {
        for (const line of lines) {
          const failed = add(line)
          if (failed !== undefined) return Effect.fail(failed)
        }
        return Effect.void
      })
  )

/**
 * {@link emitLines} for lines that come as a stream (an export of the whole log): each written as
 * it arrives, in pieces; the stream's own failure ends the output with that failure. `what` names
 * the output from the number of lines written.
 *
 * @category formatting
 * @since 0.3.0
 */
export const emitStream = <E, R>(
  lines: Stream.Stream<string, E, R>,
  out: Option.Option<string>,
  what: (lines: number) => string
): Effect.Effect<void, E | UsageFailure, R> => {
  let written = 0
  return writing(
    out,
    () => what(written),
    (add) =>
      feedStream(lines, (line) => {
        written++
        return add(line)
      })
  )
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

/**
 * Writes a stream's lines, each ended by a newline, to `file` (created or emptied first) a piece at
 * a time, saying nothing: for a file the command reads again (a log copied through an export).
 *
 * @category formatting
 * @since 0.3.0
 */
export const writeStream = <E, R>(
  lines: Stream.Stream<string, E, R>,
  file: string
): Effect.Effect<void, E | UsageFailure, R> =>
  writing(Option.some(file), undefined, (add) => feedStream(lines, add))
