/**
 * Progress on long work. A bar redrawn in place when stderr is a terminal; plain lines otherwise
 * (a CI log or a pipe should read like a log, not like a screen full of carriage returns).
 * Progress goes to stderr so that stdout stays the command's result (JSON, CSV, a table).
 *
 * @since 0.1.0
 */
import { Console, Effect } from "effect"

/**
 * A progress reporter for one task.
 *
 * @category models
 * @since 0.1.0
 */
export interface Progress {
  /** Reports that `done` of `total` units are done. */
  readonly update: (done: number) => Effect.Effect<void>
  /** Ends the task with a closing line. */
  readonly finish: (summary: string) => Effect.Effect<void>
}

const isTty = (): boolean => process.stderr.isTTY === true && process.env["CI"] !== "true"

/**
 * Starts a progress reporter. Plain mode prints a line at most every 10 % (and at the end).
 *
 * @category constructors
 * @since 0.1.0
 */
export const start = (label: string, total: number): Progress => {
  const tty = isTty()
  let lastDecile = -1
  const bar = (done: number) => {
    const width = 30
    const filled = total === 0 ? width : Math.round((done / total) * width)
    return `\r${label} [${"█".repeat(filled)}${"░".repeat(width - filled)}] ${done}/${total}`
  }
  return {
    update: (done) =>
      Effect.suspend(() => {
        if (tty) return Effect.sync(() => process.stderr.write(bar(done)))
        const decile = total === 0 ? 10 : Math.floor((done / total) * 10)
        if (decile === lastDecile || decile >= 10) return Effect.void
        lastDecile = decile
        return Console.error(`${label}: ${done}/${total}`)
      }),
    finish: (summary) =>
      tty ? Effect.sync(() => process.stderr.write(`${bar(total)}\n${summary}\n`)) : Console.error(summary)
  }
}

/**
 * A plain progress line on stderr.
 *
 * @category constructors
 * @since 0.1.0
 */
export const note = (line: string): Effect.Effect<void> => Console.error(line)
