/**
 * The contract of rows kept under projection checkpoints (`ProjectionCheckpoints.CheckpointRows`,
 * ADR 0046), for every checkpoint store that offers them: rows read back by id as written, upserts,
 * a rebuild that replaces them, keys kept apart, rows evicted and cleared with their checkpoint,
 * rows produced lazily (read once, all or nothing), ids of any characters, and (where offered)
 * every row of a key scanned once, a page at a time.
 *
 * @example
 * ```ts
 * import { ProjectionCheckpoints } from "@utblick/core"
 * import { CheckpointRowsContract } from "@utblick/core/testing"
 *
 * CheckpointRowsContract.suite("memory", async (maxSnapshots) => ({ checkpoints: ProjectionCheckpoints.makeMemory({ maxSnapshots }) }))
 * ```
 *
 * @since 0.3.0
 */
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import type {
  CheckpointKey,
  CheckpointRows,
  ProjectionCheckpointsShape,
  Row
} from "../ProjectionCheckpoints.js"

/**
 * A checkpoint store under test, and how to release it.
 *
 * @category models
 * @since 0.3.0
 */
export interface Subject {
  readonly checkpoints: ProjectionCheckpointsShape
  readonly close?: () => Promise<void> | void
}

const key = (filter = '{"tenant":"t"}', version = 1): CheckpointKey => ({
  projection: "read-models",
  version,
  filter
})
const checkpoint = (position: number, state = [position]) => ({
  position,
  hash: position.toString(16).padStart(64, "0"),
  state: Uint8Array.from(state)
})
const row = (id: string, ...bytes: Array<number>): Row => [id, Uint8Array.from(bytes)]
// Rows come back in any order: compare them sorted by id, with their bytes as plain arrays.
const plain = (rows: ReadonlyArray<Row>) =>
  [...rows].map(([id, bytes]) => [id, [...bytes]] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))

/**
 * Registers the contract's tests for the store `make` builds (given the bound on snapshots).
 *
 * @category running
 * @since 0.3.0
 */
export const suite = (name: string, make: (maxSnapshots: number) => Promise<Subject>): void => {
  const using = async (
    maxSnapshots: number,
    test: (c: ProjectionCheckpointsShape, rows: CheckpointRows) => Effect.Effect<void, unknown>
  ) => {
    const subject = await make(maxSnapshots)
    try {
      const rows = subject.checkpoints.rows
      expect(rows).toBeDefined()
      await Effect.runPromise(test(subject.checkpoints, rows as CheckpointRows) as Effect.Effect<void>)
    } finally {
      await subject.close?.()
    }
  }

  describe(`${name}: rows kept under checkpoints`, () => {
    it("reads back the rows asked for that exist, with the checkpoint saved beside them", () =>
      using(8, (c, rows) =>
        Effect.gen(function* () {
          expect(yield* rows.load(key(), ["a"])).toEqual([])
          yield* rows.save(key(), checkpoint(3), [row("a", 1, 2), row("b", 3)])
          expect(plain(yield* rows.load(key(), ["b", "a", "missing"]))).toEqual([
            ["a", [1, 2]],
            ["b", [3]]
          ])
          expect(plain(yield* rows.load(key(), []))).toEqual([])
          const saved = yield* c.load(key())
          expect(saved === undefined ? undefined : { ...saved, state: [...saved.state] }).toEqual({
            position: 3,
            hash: checkpoint(3).hash,
            state: [3]
          })
        })
      ))

    it("a later save replaces the rows of the same id, keeps the others, and moves the checkpoint", () =>
      using(8, (c, rows) =>
        Effect.gen(function* () {
          yield* rows.save(key(), checkpoint(3), [row("a", 1), row("b", 2)])
          yield* rows.save(key(), checkpoint(5), [row("b", 9, 9), row("c", 4)])
          expect(plain(yield* rows.load(key(), ["a", "b", "c"]))).toEqual([
            ["a", [1]],
            ["b", [9, 9]],
            ["c", [4]]
          ])
          expect((yield* c.load(key()))?.position).toBe(5)
        })
      ))

    it("replace drops every earlier row of the key first (a state built again from zero), and no other key's", () =>
      using(8, (_, rows) =>
        Effect.gen(function* () {
          yield* rows.save(key(), checkpoint(3), [row("a", 1), row("b", 2)])
          yield* rows.save(key('{"tenant":"u"}'), checkpoint(3), [row("a", 7)])
          yield* rows.save(key(), checkpoint(8), [row("c", 3)], { replace: true })
          expect(plain(yield* rows.load(key(), ["a", "b", "c"]))).toEqual([["c", [3]]])
          expect(plain(yield* rows.load(key('{"tenant":"u"}'), ["a"]))).toEqual([["a", [7]]])
        })
      ))

    it("keeps the rows of each filter and each version apart", () =>
      using(8, (_, rows) =>
        Effect.gen(function* () {
          yield* rows.save(key(), checkpoint(1), [row("a", 1)])
          yield* rows.save(key('{"asOf":"2022-12-31","tenant":"t"}'), checkpoint(1), [row("a", 2)])
          yield* rows.save(key('{"tenant":"t"}', 2), checkpoint(1), [row("a", 3)])
          expect(plain(yield* rows.load(key(), ["a"]))).toEqual([["a", [1]]])
          expect(plain(yield* rows.load(key('{"asOf":"2022-12-31","tenant":"t"}'), ["a"]))).toEqual([
            ["a", [2]]
          ])
          expect(plain(yield* rows.load(key('{"tenant":"t"}', 2), ["a"]))).toEqual([["a", [3]]])
        })
      ))

    it("rows go with their checkpoint when the bound on snapshots evicts it", () =>
      using(2, (c, rows) =>
        Effect.gen(function* () {
          yield* rows.save(key("k1"), checkpoint(1), [row("a", 1)])
          yield* rows.save(key("k2"), checkpoint(1), [row("a", 2)])
          yield* rows.save(key("k3"), checkpoint(1), [row("a", 3)])
          expect(yield* c.count).toBe(2)
          expect(yield* c.load(key("k1"))).toBeUndefined()
          expect(yield* rows.load(key("k1"), ["a"])).toEqual([])
          expect(plain(yield* rows.load(key("k2"), ["a"]))).toEqual([["a", [2]]])
          expect(plain(yield* rows.load(key("k3"), ["a"]))).toEqual([["a", [3]]])
        })
      ))

    it("clear deletes every row with every checkpoint", () =>
      using(8, (c, rows) =>
        Effect.gen(function* () {
          yield* rows.save(key(), checkpoint(2), [row("a", 1), row("b", 2)])
          yield* c.clear
          expect(yield* c.count).toBe(0)
          expect(yield* rows.load(key(), ["a", "b"])).toEqual([])
        })
      ))

    it("reads rows produced lazily once, in order, over several pages, with an id out of order", () =>
      using(8, (c, rows) =>
        Effect.gen(function* () {
          yield* rows.save(key(), checkpoint(1), [row("old", 1)])
          // 12,001 rows: more than two pages of a store that writes 5,000 per statement. Ids
          // ascend (r00000 … r11999) but for one given last that sorts first.
          let produced = 0
          function* lazily(): Generator<Row> {
            for (let i = 1; i < 12_000; i++) {
              produced += 1
              yield row(`r${String(i).padStart(5, "0")}`, i % 256)
            }
            produced += 1
            yield row("r00000", 7)
            produced += 1
            yield row("s", 8)
          }
          yield* rows.save(key(), checkpoint(9), lazily(), { replace: true })
          expect(produced).toBe(12_001)
          expect(plain(yield* rows.load(key(), ["old", "r00000", "r00001", "r11999", "s"]))).toEqual([
            ["r00000", [7]],
            ["r00001", [1]],
            // 11,999 mod 256 = 11,999 − 46 × 256 = 223
            ["r11999", [223]],
            ["s", [8]]
          ])
          expect(
            (yield* rows.load(
              key(),
              Array.from({ length: 12_000 }, (_, i) => `r${String(i).padStart(5, "0")}`)
            )).length
          ).toBe(12_000)
          expect((yield* c.load(key()))?.position).toBe(9)
        })
      ))

    it("a producer that fails midway saves nothing: the rows and the checkpoint stay as they were", () =>
      using(8, (c, rows) =>
        Effect.gen(function* () {
          yield* rows.save(key(), checkpoint(3), [row("a", 1), row("b", 2)])
          function* failing(): Generator<Row> {
            yield row("a", 9)
            yield row("c", 9)
            throw new Error("the producer failed")
          }
          for (const replace of [false, true]) {
            const exit = yield* Effect.exit(rows.save(key(), checkpoint(5), failing(), { replace }))
            expect(exit._tag).toBe("Failure")
            expect(plain(yield* rows.load(key(), ["a", "b", "c"]))).toEqual([
              ["a", [1]],
              ["b", [2]]
            ])
            expect((yield* c.load(key()))?.position).toBe(3)
          }
        })
      ))

    it("takes ids of any characters, a thousand at a time", () =>
      using(8, (_, rows) =>
        Effect.gen(function* () {
          const odd = [
            'Å "quoted" \\ id',
            '["portfolio.applications","tenant-0","app-1"]',
            "nul\u0000inside",
            "😀",
            ""
          ]
          const many = Array.from({ length: 1000 }, (_, i) => `app-${i}`)
          yield* rows.save(
            key(),
            checkpoint(1),
            [...odd, ...many].map((id, i) => row(id, i % 256))
          )
          expect(plain(yield* rows.load(key(), odd))).toEqual(plain(odd.map((id, i) => row(id, i))))
          const found = yield* rows.load(key(), [...many, "absent"])
          expect(found).toHaveLength(1000)
          expect(plain(found).at(-1)).toEqual(["app-999", [(odd.length + 999) % 256]])
        })
      ))

    it("scans every row of a key once, a page at a time, ids of any characters included", () =>
      using(8, (_, rows) =>
        Effect.gen(function* () {
          const scan = rows.scan
          // Optional: a store without it is read whole by no one (readers build rows again).
          if (scan === undefined) return
          const ids = ["b", "a", "😀", "\uffff", "nul\u0000inside", "", "a\u0000", "ab", "Å"]
          yield* rows.save(
            key(),
            checkpoint(1),
            [...ids].sort().map((id, i) => row(id, i))
          )
          // Another key's rows and an emptied key are never scanned.
          yield* rows.save(key('{"tenant":"u"}'), checkpoint(1), [row("a", 9), row("zz", 9)])
          const pages: Array<ReadonlyArray<Row>> = []
          let after: string | undefined
          for (;;) {
            const page = yield* scan(key(), after, 2)
            pages.push(page)
            if (page.length < 2) break
            after = (page.at(-1) as Row)[0]
          }
          // Nine rows in pages of 2, 2, 2, 2 and 1: each once, with its bytes.
          expect(pages.map((p) => p.length)).toEqual([2, 2, 2, 2, 1])
          expect(plain(pages.flat())).toEqual(plain([...ids].sort().map((id, i) => row(id, i))))
          // Each page comes in the store's order, after the last id of the one before.
          const seen = pages.flat().map(([id]) => id)
          expect(new Set(seen).size).toBe(ids.length)
          expect(yield* scan(key(), undefined, 0)).toEqual([])
          expect(yield* scan(key('{"tenant":"none"}'), undefined, 10)).toEqual([])
          // A save in between: the next scan sees the row it added, and the rows it replaced.
          yield* rows.save(key(), checkpoint(2), [row("zz", 7), row("a", 8)])
          const all = yield* scan(key(), undefined, 100)
          expect(all).toHaveLength(ids.length + 1)
          expect(plain(all).filter(([id]) => id === "zz" || id === "a")).toEqual([
            ["a", [8]],
            ["zz", [7]]
          ])
          yield* rows.save(key(), checkpoint(2), [row("c", 1)], { replace: true })
          expect(plain(yield* scan(key(), undefined, 10))).toEqual([["c", [1]]])
        })
      ))
  })
}
