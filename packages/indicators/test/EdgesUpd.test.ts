// What run hM18-2 of docs/reference/mutation.md (issue 14: `internal/segmentFold.ts` and
// `internal/rowScan.ts`, measured for the first time under these names) found unpinned: a scan of
// the rows kept for a time filter starts only when the checkpoint stands where the catch-up
// reached. The checkpoint store and the scan are written out by hand; the expected answers follow
// from `scanAt`'s JSDoc ("any other position … gives false"), not from running it.
import type { ProjectionCheckpoints } from "@utblick/core"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { scanAt } from "../src/internal/rowScan.js"

const key: ProjectionCheckpoints.CheckpointKey = { projection: "read-models", version: 1, filter: "{}" }
const at = { position: 5, hash: "a".repeat(64) }

/** A checkpoint store whose peeks answer `kept` in turn (the last one again after that). */
const peeking = (kept: ReadonlyArray<{ readonly position: number; readonly hash: string }>) => {
  let peeks = 0
  const checkpoints = {
    peek: () => Effect.sync(() => kept[Math.min(peeks++, kept.length - 1)]),
    load: () => Effect.die("load is not asked when peek is offered")
  } as unknown as ProjectionCheckpoints.ProjectionCheckpointsShape
  return { checkpoints, peeks: () => peeks }
}

/** Scans `key` at `at` over a store of empty pages, noting each page asked for and each row seen. */
const scanEmpty = async (checkpoints: ProjectionCheckpoints.ProjectionCheckpointsShape) => {
  const pages: Array<string | undefined> = []
  const visited: Array<string> = []
  const scanned = await Effect.runPromise(
    scanAt(
      checkpoints,
      (_key, after) => {
        pages.push(after)
        return Effect.succeed([])
      },
      key,
      at,
      10,
      undefined,
      () => true,
      (row) => visited.push(row.model)
    )
  )
  return { scanned, pages, visited }
}

describe("rowScan.scanAt", () => {
  it("reads no page when the checkpoint stands elsewhere before the scan, even if it stands at the position reached after it", async () => {
    // Another process saved rows at position 7 (then, say, a slower one saved position 5 again):
    // the first peek sees 7, so no row is read and the answer is false.
    const { checkpoints, peeks } = peeking([{ position: 7, hash: "b".repeat(64) }, at])
    expect(await scanEmpty(checkpoints)).toEqual({ scanned: false, pages: [], visited: [] })
    expect(peeks()).toBe(1)
  })

  it("reads the pages when the checkpoint stands at the position reached, before and after", async () => {
    // The same store with the checkpoint at 5 throughout: one empty page read from the start.
    const { checkpoints, peeks } = peeking([at])
    expect(await scanEmpty(checkpoints)).toEqual({ scanned: true, pages: [undefined], visited: [] })
    expect(peeks()).toBe(2)
  })
})
