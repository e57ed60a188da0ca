/**
 * `utblick rebuild`: deletes the persisted read-model snapshots, their rows and the year figures of
 * a log, so the next report replays it from zero and saves new ones (ADRs 0035, 0038, 0046); the
 * count covers the snapshots and figures (rows are kept under one of them). Reports never need it to be right — a
 * snapshot of another projection version or of another log is discarded on its own — it frees
 * the space, and is there for a person who wants the replay to happen now and not on next use.
 *
 * @since 0.2.0
 */
import { ProjectionCheckpoints } from "@utblick/core"
import { Console, Effect } from "effect"
import { Command } from "effect/cli"
import { root } from "../Root.js"
import * as Store from "../Store.js"
import { storeProblem } from "./Shared.js"

/**
 * Deletes every persisted snapshot of the log that the current effect's store holds; returns how
 * many there were. `forget` runs it too: a snapshot is derived data and must not outlive an
 * erasure.
 *
 * @category utils
 * @since 0.2.0
 */
export const clearSnapshots = Effect.gen(function* () {
  const checkpoints = yield* ProjectionCheckpoints.ProjectionCheckpoints
  const count = yield* checkpoints.count
  yield* checkpoints.clear
  return count
})

/**
 * `utblick rebuild`.
 *
 * @category utils
 * @since 0.2.0
 */
export const rebuild = Command.make("rebuild", {}, () =>
  Effect.gen(function* () {
    const { store: where } = yield* root
    const deleted = yield* clearSnapshots.pipe(
      Effect.mapError(storeProblem),
      Store.withStore(where, { mustExist: true })
    )
    yield* Console.log(
      `Deleted ${deleted} persisted read-model snapshot${deleted === 1 ? "" : "s"}, rows and year figures of ${Store.describe(Store.parse(where) as Store.StoreSpec)}; the next report replays the log and saves new ones`
    )
  })
).pipe(
  Command.withDescription(
    "Delete the persisted read-model snapshots, rows and year figures: the next report replays the log from zero"
  ),
  Command.withExamples([
    {
      command: "utblick rebuild --store sqlite:./utblick.db",
      description: "Rebuild the read models on next use"
    }
  ])
)
