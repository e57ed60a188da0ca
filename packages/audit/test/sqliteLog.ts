// A SQLite log file written from fixture commands, for the tests that read a real file.
import * as EventStore from "@utblick/core/EventStore"
import { layer as sqliteLayer } from "@utblick/store-sqlite/SqliteEventStore"
import { Effect } from "effect"
import { type Cmd, event, ORIGIN } from "./fixtures.js"

/** Writes `cmds` to a new SQLite log at `filename`, one append each, and gives the filename. */
export const writeSqliteLog = async (filename: string, cmds: ReadonlyArray<Cmd>): Promise<string> => {
  await Effect.runPromise(
    Effect.scoped(
      Effect.provide(
        Effect.gen(function* () {
          const store = yield* EventStore.EventStore
          for (const cmd of cmds) yield* store.append(cmd.stream, [event(cmd)])
        }),
        sqliteLayer({ filename, origin: ORIGIN })
      )
    )
  )
  return filename
}

/** Writes a log of `n` grant decisions over 7 streams (`grant-0` to `grant-6`), one append each. */
export const writeGrantLog = (filename: string, n: number): Promise<string> =>
  writeSqliteLog(
    filename,
    Array.from({ length: n }, (_, k) => ({
      stream: `grant-${k % 7}`,
      type: "GrantDecisionTaken" as const,
      decider: "board",
      amountMinor: k,
      note: `n${k}`
    }))
  )
