/**
 * Scans of the rows kept for a time filter (ADR 0050): every row read once, a page at a time, for
 * the sums of a year or grant filter the rows lack, or for a question about every entity
 * (`RowFigures.forEachRow`).
 *
 * @since 0.3.0
 */
import { serialize } from "node:v8"
import type { ProjectionCheckpoints } from "@utblick/core"
import type { EntityRows } from "@utblick/projections"
import { Effect } from "effect"
import * as YearSums from "../YearSums.js"
import { entityOf, type Header, keyOfId, readRow, sumsAsked } from "./rows.js"
import type { Folded } from "./segmentFold.js"

/** A store's scan of the rows kept under a key (`CheckpointRows.scan`, where offered). */
export type Scan = NonNullable<ProjectionCheckpoints.CheckpointRows["scan"]>

/**
 * Every row kept under `key` after `from` (ids in the store's order; all when `undefined`) while
 * `within` holds of the id, a page at a time, given to `visit` parsed: only rows of the position
 * and hash the catch-up reached (`at`) are read. The checkpoint is peeked before and after the
 * scan, and any other position (a save that failed, another process saving meanwhile) gives
 * false, as does a page that cannot be read.
 */
export const scanAt = (
  checkpoints: ProjectionCheckpoints.ProjectionCheckpointsShape,
  scan: Scan,
  key: ProjectionCheckpoints.CheckpointKey,
  at: { readonly position: number; readonly hash: string },
  pageSize: number,
  from: string | undefined,
  within: (id: string) => boolean,
  visit: (row: EntityRows.Row, order: number) => void
) =>
  Effect.gen(function* () {
    const peek = checkpoints.peek ?? checkpoints.load
    const same = peek(key).pipe(
      Effect.map((kept) => kept !== undefined && kept.position === at.position && kept.hash === at.hash),
      Effect.orElseSucceed(() => false)
    )
    if (!(yield* same)) return false
    let after = from
    for (;;) {
      const page = yield* scan(key, after, pageSize).pipe(Effect.orElseSucceed(() => undefined))
      if (page === undefined) return false
      for (const [id, bytes] of page) {
        if (!within(id)) return yield* same
        const [record, order] = readRow(bytes)
        visit({ ...keyOfId(id), record }, order)
      }
      if (page.length < pageSize) break
      after = (page[page.length - 1] as ProjectionCheckpoints.Row)[0]
    }
    return yield* same
  })

/**
 * The sums of `missing` (year, grant filter) added to rows caught up to `folded.at`, by one scan
 * of every row (ADR 0050): a sum is the entities' contributions added up, whatever their order of
 * folding. "failed" when the scan fails (see {@link scanAt}). The header with the new sums is saved
 * at the same position (failures ignored: rows are a cache).
 */
export const withSums = (
  checkpoints: ProjectionCheckpoints.ProjectionCheckpointsShape,
  rows: ProjectionCheckpoints.CheckpointRows,
  scan: Scan,
  key: ProjectionCheckpoints.CheckpointKey,
  folded: Folded,
  missing: ReadonlyArray<string>,
  pageSize: number
) =>
  Effect.gen(function* () {
    const at = folded.at
    const added = missing.map((k) => {
      const { year, grants } = sumsAsked(k)
      return { k, year, grants, sums: YearSums.empty() }
    })
    const scanned = yield* scanAt(
      checkpoints,
      scan,
      key,
      at,
      pageSize,
      undefined,
      () => true,
      (row, order) => {
        const entity = entityOf(row, order)
        for (const a of added) YearSums.move(a.sums, a.year, undefined, entity, a.grants)
      }
    )
    if (!scanned) return "failed" as const
    const header: Header = {
      ...at.header,
      sums: [...at.header.sums, ...added.map((a) => [a.k, a.sums] as const)]
    }
    yield* rows
      .save(key, { position: at.position, hash: at.hash, state: serialize(header) }, [])
      .pipe(Effect.ignore)
    return { ...folded, at: { ...at, header } }
  })
