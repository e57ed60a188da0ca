/**
 * Where a read of a log shows a hole, for store implementations: a page of a replay that lacks a
 * position, a stream that lacks a version.
 *
 * **Details**
 *
 * Positions are gap-free, so a page read from `start` that should hold `expected` rows holds
 * exactly the positions `start … start + expected - 1`. A page that holds fewer, or ends past
 * that range because its `LIMIT` was filled up with rows from after a hole, means rows were
 * deleted. Stream versions are contiguous from 1 in the same way. A fold over a log or a stream
 * with a hole is silently wrong (a report without the event, a decision on a state without it),
 * so such a read stops there with `Corrupt`. (Reads of raw records pass holes through instead:
 * the verifier reports each one at its position itself.)
 *
 * @since 0.4.0
 */
import { Corrupt } from "./EventStoreError.js"

/**
 * The first position a page lacks, or `undefined` when it holds its range exactly.
 *
 * `start` is the page's first position, `expected` how many rows its range covers, `count` how
 * many rows it returned and `positionAt(i)` the position of its `i`-th row; the rows must be
 * distinct positions from `start` on, in ascending order, as `ORDER BY position` returns them.
 *
 * @example
 * ```ts
 * import { missingPosition } from "@utblick/core/Holes"
 *
 * const page = [3, 5, 6] // read from 3, three expected: 4 was deleted
 * missingPosition(3, 3, page.length, (i) => page[i]!) // 4
 * ```
 *
 * @category reading
 * @since 0.4.0
 */
export const missingPosition = (
  start: number,
  expected: number,
  count: number,
  positionAt: (index: number) => number
): number | undefined => {
  // Distinct ascending positions from `start`: `expected` of them ending at the range's last
  // position are that range exactly, so an intact page costs one comparison.
  if (count === expected && (count === 0 || positionAt(count - 1) === start + expected - 1)) return undefined
  for (let i = 0; i < count; i++) {
    if (positionAt(i) !== start + i) return start + i
  }
  return start + count
}

/**
 * The `Corrupt` reason of a replay that found no row at `position`. No row means no stream to
 * name, so the stream is `"unknown"`.
 *
 * @category reading
 * @since 0.4.0
 */
export const missingRow = (position: number): Corrupt =>
  new Corrupt({ position, streamId: "unknown", detail: MISSING_ROW })

/**
 * The detail of {@link missingRow}, for stores that must carry it through a throw.
 *
 * @category reading
 * @since 0.4.0
 */
export const MISSING_ROW = "the row is missing: positions must be gap-free"

/**
 * The `Corrupt` reason of a stream read whose events skip a version, or `undefined` when they run
 * on from `fromVersion` without one missing. The events are the stream's from `fromVersion` on,
 * in version order, as the store read them; the reason names the event after the hole.
 *
 * @category reading
 * @since 0.4.0
 */
export const streamHole = (
  streamId: string,
  fromVersion: number,
  events: ReadonlyArray<{ readonly position: number; readonly streamVersion: number }>
): Corrupt | undefined => {
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as (typeof events)[number]
    const expected = fromVersion + i
    if (event.streamVersion !== expected) {
      return new Corrupt({
        position: event.position,
        streamId,
        detail: `the stream's version ${expected}, before this event's ${event.streamVersion}, is missing: stream versions must be contiguous`
      })
    }
  }
  return undefined
}
