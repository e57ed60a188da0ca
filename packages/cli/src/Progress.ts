/**
 * Progress on long work. A bar with rate and time left, redrawn in place when stderr is a
 * terminal; plain lines otherwise (a CI log or a pipe should read like a log, not like a screen
 * full of carriage returns). Progress goes to stderr so that stdout stays the command's result.
 *
 * @since 0.1.0
 */
import { Clock, Console, Effect } from "effect"

/**
 * A progress reporter for one task measured in units (bytes of a file, events of a log).
 *
 * @category models
 * @since 0.1.0
 */
export interface Progress {
  /** Reports that `done` of `total` units are done, and `items` things (lines, rows) so far. */
  readonly update: (done: number, items?: number) => Effect.Effect<void>
  /** Ends the task with a closing line. */
  readonly finish: (summary: string) => Effect.Effect<void>
}

const isTty = (): boolean => process.stderr.isTTY === true && process.env["CI"] !== "true"

/**
 * `1 234 567` — sv-SE grouping with a no-break space, as the reports write numbers.
 *
 * @category getters
 * @since 0.2.0
 */
export const count = (n: number): string => Math.round(n).toLocaleString("sv-SE")

/**
 * `3 min 05 s`, `42 s`.
 *
 * @category utils
 * @since 0.2.0
 */
export const duration = (seconds: number): string => {
  if (!Number.isFinite(seconds) || seconds < 0) return "–"
  const s = Math.round(seconds)
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`
}

/**
 * One line of progress: `label 42 % · 120 000 rows · 8 500 rows/s · 12 s left`.
 *
 * @category formatting
 * @since 0.2.0
 */
export const describe = (label: string, done: number, total: number, items: number, seconds: number, unit: string): string => {
  const share = total === 0 ? 1 : Math.min(1, done / total)
  const rate = seconds > 0 ? items / seconds : 0
  const left = share > 0 && seconds > 0 ? (seconds / share) * (1 - share) : Number.NaN
  return `${label} ${Math.floor(share * 100)} % · ${count(items)} ${unit} · ${rate > 0 ? `${count(rate)} ${unit}/s` : "–"} · ${duration(left)} left`
}

/**
 * Starts a progress reporter. On a terminal a bar is redrawn at most ten times a second; plain
 * mode prints a line at every 10 % step.
 *
 * @category utils
 * @since 0.1.0
 */
export const start = (label: string, total: number, unit = "rows"): Effect.Effect<Progress> =>
  Effect.gen(function* () {
    const tty = isTty()
    const began = yield* Clock.currentTimeMillis
    let lastDecile = -1
    let lastDraw = 0
    let drawn = false
    return {
      update: (done, items = done) =>
        Effect.gen(function* () {
          const now = yield* Clock.currentTimeMillis
          const seconds = (now - began) / 1000
          if (tty) {
            if (now - lastDraw < 100) return
            lastDraw = now
            drawn = true
            const share = total === 0 ? 1 : Math.min(1, done / total)
            const width = 24
            const filled = Math.round(share * width)
            process.stderr.write(`\r[${"█".repeat(filled)}${"░".repeat(width - filled)}] ${describe(label, done, total, items, seconds, unit)}\u001b[K`)
            return
          }
          const decile = total === 0 ? 10 : Math.floor((done / total) * 10)
          if (decile === lastDecile || decile >= 10) return
          lastDecile = decile
          yield* Console.error(describe(label, done, total, items, seconds, unit))
        }),
      finish: (summary) =>
        tty && drawn ? Effect.sync(() => process.stderr.write(`\r\u001b[K${summary}\n`)) : summary === "" ? Effect.void : Console.error(summary)
    }
  })

/**
 * A plain progress line on stderr.
 *
 * @category utils
 * @since 0.1.0
 */
export const note = (line: string): Effect.Effect<void> => Console.error(line)
