/**
 * `Holes.streamHole`: the version a stream read lacks, named at the event after it.
 * `Holes.missingPosition`: the first position a page of a replay lacks. The property computes
 * the answer another way, from a set of the rows read: the smallest position of the page's range
 * that no row holds. The page itself is made as SQL makes it: the kept positions from `start` on,
 * in order, cut at `expected` rows, so that a hole pulls rows from after the range into the page.
 */
import { fc, test } from "@fast-check/vitest"
import { describe, expect, it } from "vitest"
import { MISSING_ROW, missingPosition, missingRow, streamHole } from "../src/Holes.js"

const check = (start: number, expected: number, page: ReadonlyArray<number>) =>
  missingPosition(start, expected, page.length, (i) => page[i] as number)

describe("Holes", () => {
  it("finds nothing missing in a whole page, an empty range or the log's last short page", () => {
    expect(check(0, 3, [0, 1, 2])).toBeUndefined()
    expect(check(7, 1, [7])).toBeUndefined()
    expect(check(5, 0, [])).toBeUndefined()
  })

  it("names the hole a LIMIT filled past, a short page's end, and the first of several", () => {
    // From 3, three rows asked, 4 deleted: the page is [3, 5, 6].
    expect(check(3, 3, [3, 5, 6])).toBe(4)
    // From 0, five rows asked before the end at 5, 4 deleted: [0, 1, 2, 3].
    expect(check(0, 5, [0, 1, 2, 3])).toBe(4)
    // Nothing at all where two rows belong.
    expect(check(10, 2, [])).toBe(10)
    // 1 and 2 deleted: [0, 3, 4, 6].
    expect(check(0, 7, [0, 3, 4, 6])).toBe(1)
    // The first row itself.
    expect(check(2, 2, [3, 4])).toBe(2)
  })

  test.prop([
    fc.nat(1_000),
    fc.integer({ min: 1, max: 40 }),
    fc.integer({ min: 0, max: 40 }),
    fc.array(fc.nat(80), { maxLength: 20 })
  ])(
    "returns the smallest position of the range no row of the page holds",
    (start, expected, after, deleted) => {
      const gone = new Set(deleted.map((d) => start + d))
      const kept: Array<number> = []
      for (let p = start; p < start + expected + after; p++) if (!gone.has(p)) kept.push(p)
      const page = kept.slice(0, expected)
      const read = new Set(page)
      let smallest: number | undefined
      for (let p = start; p < start + expected; p++) {
        if (!read.has(p)) {
          smallest = p
          break
        }
      }
      expect(check(start, expected, page)).toBe(smallest)
    }
  )

  it("makes the Corrupt reason a replay fails with", () => {
    const reason = missingRow(4)
    expect(reason).toMatchObject({ _tag: "Corrupt", position: 4, streamId: "unknown", detail: MISSING_ROW })
    expect(reason.message).toBe(
      'the stored event at position 4 (stream "unknown") is corrupt: the row is missing: positions must be gap-free'
    )
  })

  it("names the first version a stream read skips, at the event after it", () => {
    const at = (pairs: ReadonlyArray<readonly [number, number]>) =>
      pairs.map(([position, streamVersion]) => ({ position, streamVersion }))
    expect(
      streamHole(
        "grant-1",
        1,
        at([
          [0, 1],
          [4, 2],
          [9, 3]
        ])
      )
    ).toBeUndefined()
    expect(
      streamHole(
        "grant-1",
        3,
        at([
          [9, 3],
          [12, 4]
        ])
      )
    ).toBeUndefined()
    expect(streamHole("grant-1", 1, [])).toBeUndefined()
    // Version 2 deleted: the event at position 9 (version 3) comes second.
    const hole = streamHole(
      "grant-1",
      1,
      at([
        [0, 1],
        [9, 3],
        [12, 4]
      ])
    )
    expect(hole).toMatchObject({ _tag: "Corrupt", position: 9, streamId: "grant-1" })
    expect(hole?.message).toBe(
      "the stored event at position 9 (stream \"grant-1\") is corrupt: the stream's version 2, before this event's 3, is missing: stream versions must be contiguous"
    )
    // A read from version 2 whose first row is version 3, and a stream whose first version is gone.
    expect(streamHole("grant-1", 2, at([[9, 3]]))).toMatchObject({ position: 9 })
    expect(
      streamHole(
        "trip-7",
        1,
        at([
          [5, 2],
          [6, 3]
        ])
      )
    ).toMatchObject({ position: 5, streamId: "trip-7" })
  })
})
