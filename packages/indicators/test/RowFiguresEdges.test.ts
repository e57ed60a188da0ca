// The edges of `RowFigures.catchUpMany` that the random histories of `RowFigures.test.ts` and the
// cases of `RowFiguresTrust.test.ts` leave open (issue 14, run hM16-1 of
// docs/reference/mutation.md): each case is a small history whose figures are worked out by hand,
// with the part of the code it pins named in its title.
import { deserialize } from "node:v8"
import { EventStore, ProjectionCheckpoints } from "@utblick/core"
import { PersistedFigures, RowFigures, YearReport } from "@utblick/indicators"
import { ReadModels } from "@utblick/projections"
import { Effect, Stream } from "effect"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "vitest"
import { R1, R2 } from "./fixtures/randomHistory.js"
import {
  appendRow,
  countingLoads,
  failingScan,
  failingWhen,
  hintKeeping,
  received,
  rejected,
  runWith,
  unavailable
} from "./fixtures/rowEvents.js"

const request2022 = { year: 2022, asOf: "2022-12-31", tenant: R1 } as const
const rate = (figure: { readonly values: ReadonlyArray<{ readonly id: string }> } | undefined) =>
  figure?.values.find((v) => v.id === "approval-rate")

// The clock's times the events of `knownAtHistory` are recorded at, and the moments between.
const T0 = Date.parse("2024-01-01T00:00:00.000Z")
const minute = (n: number) => new Date(T0 + n * 60_000).toISOString()

// a1 received (recorded at minute 0) and rejected (recorded at minute 2), both in 2022.
const knownAtHistory = Effect.gen(function* () {
  yield* TestClock.setTime(T0)
  yield* appendRow(received("a1"))
  yield* TestClock.setTime(T0 + 2 * 60_000)
  yield* appendRow(rejected("a1", "2022-04-01"))
})

describe("RowFigures.catchUpMany: edges", () => {
  it("the read hint of filters known at different times lets the latest time through, and none when one filter has none", async () => {
    // Known at minute 1: a1 received only (0 of 0 decided); known at minute 3, or with no
    // knownAt: a1 rejected too (0 granted of 1 decided).
    const early = { ...request2022, knownAt: minute(1) }
    const late = { ...request2022, knownAt: minute(3) }
    const buildBoth = (requests: ReadonlyArray<PersistedFigures.FigureRequest>) => {
      const reads: Array<EventStore.ReadAllOptions | undefined> = []
      return runWith(ProjectionCheckpoints.makeMemory())(
        Effect.gen(function* () {
          const store = hintKeeping(yield* EventStore.EventStore, reads)
          yield* knownAtHistory
          const caught = yield* RowFigures.catchUpMany(store, ProjectionCheckpoints.makeMemory(), requests)
          return { caught, hints: reads.map((o) => o?.only) }
        })
      )
    }
    const handles = ReadModels.projection.handles
    // The later listed first: the later of the two knownAt lets each filter's events through.
    const both = await buildBoth([late, early])
    expect(both.hints).toStrictEqual([{ types: handles, tenant: R1, asOf: "2022-12-31", knownAt: minute(3) }])
    expect(both.caught.map((c) => [c?.position, c?.folded])).toEqual([
      [2, 2],
      [2, 1]
    ])
    expect(rate(both.caught[0])).toMatchObject({ numerator: 0, denominator: 1 })
    expect(rate(both.caught[1])).toMatchObject({ numerator: 0, denominator: 0 })
    // A filter with no knownAt (listed after one with a knownAt): the hint has none.
    const oneWithout = await buildBoth([early, request2022])
    expect(oneWithout.hints).toStrictEqual([{ types: handles, tenant: R1, asOf: "2022-12-31" }])
    expect(rate(oneWithout.caught[0])).toMatchObject({ numerator: 0, denominator: 0 })
    expect(rate(oneWithout.caught[1])).toMatchObject({ numerator: 0, denominator: 1 })
  })

  it("does not trust a tail whose last event the store left out", async () => {
    const checkpoints = ProjectionCheckpoints.makeMemory()
    const result = await runWith(checkpoints)(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        // Rows at 1 (a1 received); then a2 received (position 1) and a1 rejected (position 2).
        yield* appendRow(received("a1"))
        yield* YearReport.figures(2022, { tenant: R1 })
        yield* appendRow(received("a2"))
        yield* appendRow(rejected("a1", "2022-04-01"))
        // The same log read through a store that drops its last event (a1's rejection).
        const lossy: EventStore.EventStoreShape = {
          ...store,
          readAll: (options) => store.readAll(options).pipe(Stream.filter((e) => e.position !== 2))
        }
        return yield* RowFigures.catchUp(lossy, checkpoints, request2022)
      })
    )
    // The head says 3 events, the tail ends at 2: no figure from the rows (not a2 received alone,
    // 0 of 0 decided).
    expect(result).toBeUndefined()
  })

  it("keeps each sum once: two requests of one year, and rows of another log built again", async () => {
    const checkpoints = ProjectionCheckpoints.makeMemory()
    const rows = checkpoints.rows as ProjectionCheckpoints.CheckpointRows
    // Each save of rows, as [position, replace].
    const saves: Array<readonly [number, boolean]> = []
    const noting: ProjectionCheckpoints.ProjectionCheckpointsShape = {
      ...checkpoints,
      rows: {
        ...rows,
        save: (key, checkpoint, given, options) => {
          saves.push([checkpoint.position, options?.replace === true])
          return rows.save(key, checkpoint, given, options)
        }
      }
    }
    const key = RowFigures.keyOf(PersistedFigures.timeFilterOf(request2022))
    const sumsKept = () =>
      Effect.runPromise(checkpoints.load(key)).then((saved) =>
        (
          deserialize((saved as ProjectionCheckpoints.Checkpoint).state) as {
            sums: ReadonlyArray<readonly [string, unknown]>
          }
        ).sums.map(([k]) => k)
      )
    // The first log: a1 received; 2022 asked twice (two actors) and 2021, of one time filter.
    await runWith(checkpoints)(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        yield* appendRow(received("a1"))
        yield* RowFigures.catchUpMany(store, noting, [
          { ...request2022, year: 2021 },
          request2022,
          { ...request2022, actorId: R1 }
        ])
      })
    )
    // One sum per year asked, in the order first asked.
    expect(await sumsKept()).toEqual(['{"year":2021}', '{"year":2022}'])
    saves.splice(0)
    // Another log in the same store (b1 differs from a1: the tie at position 0 fails), two
    // events long, caught up a segment at a time.
    const other = await runWith(checkpoints)(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        yield* appendRow(received("b1", { title: "Other" }))
        yield* appendRow(received("b2"))
        return yield* RowFigures.catchUp(store, noting, request2022, { segment: 1 })
      })
    )
    // Built again from zero with 2021 (kept, not asked) and 2022, each once: b1 and b2 received,
    // undecided (0 of 0), both folded.
    expect(await sumsKept()).toEqual(['{"year":2021}', '{"year":2022}'])
    expect([other?.position, other?.folded]).toEqual([2, 2])
    expect(rate(other)).toMatchObject({ numerator: 0, denominator: 0 })
    // Only the build's two segments are saved, the first replacing every row kept; nothing is
    // saved on the rows of the first log.
    expect(saves).toEqual([
      [1, true],
      [2, false]
    ])
  })

  it("an empty log gives an empty figure and keeps no rows", async () => {
    const checkpoints = ProjectionCheckpoints.makeMemory()
    const caught = await runWith(checkpoints)(
      Effect.gen(function* () {
        return yield* RowFigures.catchUp(yield* EventStore.EventStore, checkpoints, request2022)
      })
    )
    // Nothing to fold: position 0, no event, no row; no decision (no rate).
    expect([caught?.position, caught?.folded, caught?.rows]).toEqual([0, 0, 0])
    expect(rate(caught)).toBeUndefined()
    const key = RowFigures.keyOf(PersistedFigures.timeFilterOf(request2022))
    expect(await Effect.runPromise(checkpoints.load(key))).toBeUndefined()
  })

  it("saves a segment's rows in ascending id order", async () => {
    const checkpoints = ProjectionCheckpoints.makeMemory()
    const rows = checkpoints.rows as ProjectionCheckpoints.CheckpointRows
    // The ids of each save of rows, in the order the store was given them.
    const given: Array<ReadonlyArray<string>> = []
    const noting: ProjectionCheckpoints.ProjectionCheckpointsShape = {
      ...checkpoints,
      rows: {
        ...rows,
        save: (key, checkpoint, saved, options) => {
          const list = [...saved]
          given.push(list.map(([id]) => id))
          return rows.save(key, checkpoint, list, options)
        }
      }
    }
    await runWith(checkpoints)(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        // Received as c3, a1, b2 (built from zero), then b2 and a1 rejected in that order (caught
        // up from the rows).
        for (const id of ["c3", "a1", "b2"]) yield* appendRow(received(id))
        yield* RowFigures.catchUp(store, noting, request2022)
        yield* appendRow(rejected("b2", "2022-04-01"))
        yield* appendRow(rejected("a1", "2022-04-02"))
        yield* RowFigures.catchUp(store, noting, request2022)
      })
    )
    const idOf = (app: string) => RowFigures.rowId({ model: "portfolio.applications", tenant: R1, id: app })
    // The store writes fastest in id order: a1, b2, c3; then a1, b2.
    expect(given).toEqual([["a1", "b2", "c3"].map(idOf), ["a1", "b2"].map(idOf)])
  })

  it.each([
    ["scans", true],
    ["builds again from zero (a store that cannot scan)", false]
  ])("rows that hold only some of the sums asked at once: %s for the others", async (_, scans) => {
    const memory = ProjectionCheckpoints.makeMemory()
    const { scan: _scan, ...unscannable } = memory.rows as ProjectionCheckpoints.CheckpointRows
    const checkpoints = scans ? memory : { ...memory, rows: unscannable }
    const result = await runWith(checkpoints)(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        // a1 received in 2021 and rejected in 2022; rows for 2022 alone kept at 2.
        yield* appendRow(received("a1", { on: "2021-03-01" }))
        yield* appendRow(rejected("a1", "2022-04-01"))
        yield* RowFigures.catchUp(store, checkpoints, request2022)
        // 2022 (held) and 2021 (not held) asked together, of the same time filter.
        return yield* RowFigures.catchUpMany(store, checkpoints, [
          request2022,
          { ...request2022, year: 2021 }
        ])
      })
    )
    // Scanned: nothing to fold past 2, 2021's sums from the row of a1. Built again: both events
    // folded. 2022 has a1 rejected (0 granted of 1 decided); 2021 has a1 received, decided in no
    // day of 2021 (0 of 0).
    const folded = scans ? 0 : 2
    expect(result.map((c) => [c?.position, c?.folded])).toEqual([
      [2, folded],
      [2, folded]
    ])
    expect(rate(result[0])).toMatchObject({ numerator: 0, denominator: 1 })
    expect(rate(result[1])).toMatchObject({ numerator: 0, denominator: 0 })
  })

  it("keeps nothing at the end for a time filter given up in the read", async () => {
    const base = ProjectionCheckpoints.makeMemory()
    const y2021 = { year: 2021, asOf: "2021-12-31", tenant: R1 } as const
    const refused = RowFigures.keyOf(PersistedFigures.timeFilterOf(request2022)).filter
    // The first save of 2022's rows fails; every other save is made.
    let refusals = 0
    const once = failingWhen(base, (key) => key.filter === refused && refusals++ === 0)
    const result = await runWith(base)(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        yield* appendRow(received("a1", { on: "2021-03-01" }))
        yield* appendRow(rejected("a1", "2022-04-01"))
        const both = yield* RowFigures.catchUpMany(store, once, [request2022, y2021], { segment: 1 })
        const again = yield* RowFigures.catchUp(store, base, request2022)
        return { both, again }
      })
    )
    // 2022's first segment (a1 received) cannot be saved: given up. 2021 (a1 received, its
    // rejection after 2021) is built: 0 of 0 decided.
    expect(result.both[0]).toBeUndefined()
    expect(rate(result.both[1])).toMatchObject({ numerator: 0, denominator: 0 })
    // No rows of 2022 were kept: asked again, they are built from zero, both events folded, a1
    // rejected in 2022 (0 granted of 1 decided).
    expect([result.again?.position, result.again?.folded]).toEqual([2, 2])
    expect(rate(result.again)).toMatchObject({ numerator: 0, denominator: 1 })
  })

  it("gives the figure when the save at the end of the read fails (rows are a cache)", async () => {
    const checkpoints = ProjectionCheckpoints.makeMemory()
    const full = failingWhen(checkpoints, () => true)
    const caught = await runWith(checkpoints)(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        yield* appendRow(received("a1"))
        yield* appendRow(rejected("a1", "2022-04-01"))
        // Two events, fewer than a segment: one save, at the end of the read, and it fails.
        return yield* RowFigures.catchUp(store, full, request2022)
      })
    )
    // a1 received and rejected: 0 granted of 1 decided, at 2.
    expect([caught?.position, caught?.folded]).toEqual([2, 2])
    expect(rate(caught)).toMatchObject({ numerator: 0, denominator: 1 })
  })

  it("asks the store for no row while building from zero", async () => {
    const checkpoints = ProjectionCheckpoints.makeMemory()
    const asked: Array<ReadonlyArray<string>> = []
    const counting = countingLoads(checkpoints, asked)
    const caught = await runWith(checkpoints)(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        yield* appendRow(received("a1"))
        yield* appendRow(rejected("a1", "2022-04-01"))
        return yield* RowFigures.catchUp(store, counting, request2022)
      })
    )
    // Nothing kept: every row is made by the fold; a1 rejected, 0 of 1 decided.
    expect(asked).toEqual([])
    expect(rate(caught)).toMatchObject({ numerator: 0, denominator: 1 })
  })

  it("plans the rows of two tenants each with its tenant's place", async () => {
    const planned = await runWith(ProjectionCheckpoints.makeMemory())(
      Effect.gen(function* () {
        // a1 (R1), b1 (R2), a2 (R1): R1 is the state's first tenant, R2 its second.
        yield* appendRow(received("a1"))
        yield* appendRow({ ...received("b1"), tenant: R2 })
        yield* appendRow(received("a2"))
        const models = (yield* YearReport.forYear(2022)).models
        return RowFigures.plan({ year: 2022, asOf: "2022-12-31" }, models, 3)
      })
    )
    // tenant position × 2³² + position in the tenant: a1 0, a2 1, b1 2³².
    expect([...planned.rows].map(([id, bytes]) => [id, RowFigures.readRow(bytes)[1]])).toEqual([
      [RowFigures.rowId({ model: "portfolio.applications", tenant: R1, id: "a1" }), 0],
      [RowFigures.rowId({ model: "portfolio.applications", tenant: R1, id: "a2" }), 1],
      [RowFigures.rowId({ model: "portfolio.applications", tenant: R2, id: "b1" }), 2 ** 32]
    ])
  })

  it("builds again from zero the rows of a longer log than this one (a header ahead of the head)", async () => {
    const checkpoints = ProjectionCheckpoints.makeMemory()
    // Another log of three events kept its rows at 3 in the same checkpoint store.
    await runWith(checkpoints)(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        for (const id of ["b1", "b2", "b3"]) yield* appendRow(received(id))
        yield* RowFigures.catchUp(store, checkpoints, request2022)
      })
    )
    const caught = await runWith(checkpoints)(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        yield* appendRow(received("a1"))
        return yield* RowFigures.catchUp(store, checkpoints, request2022)
      })
    )
    // This log holds one event: a1 received, undecided (0 of 0), built from zero at 1.
    expect([caught?.position, caught?.folded]).toEqual([1, 1])
    expect(rate(caught)).toMatchObject({ numerator: 0, denominator: 0 })
  })

  it.each([
    ["the checkpoint cannot be peeked", "fails"],
    ["the checkpoint is at the same position with another hash (another log saved meanwhile)", "other"]
  ] as const)("adds no sums from a scan when %s", async (_, peeked) => {
    const base = ProjectionCheckpoints.makeMemory()
    const checkpoints: ProjectionCheckpoints.ProjectionCheckpointsShape = {
      ...base,
      peek: (key) =>
        peeked === "fails"
          ? Effect.fail(unavailable("peek"))
          : Effect.map(base.peek?.(key) ?? Effect.succeed(undefined), (kept) =>
              kept === undefined ? undefined : { position: kept.position, hash: "f".repeat(64) }
            )
    }
    const result = await runWith(checkpoints)(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        yield* appendRow(received("a1", { on: "2021-03-01" }))
        yield* appendRow(rejected("a1", "2021-06-01"))
        const built = yield* RowFigures.catchUp(store, checkpoints, request2022)
        // 2021's sums are not held: they would come of a scan, which the peek does not allow.
        const scanned = yield* RowFigures.catchUp(store, checkpoints, { ...request2022, year: 2021 })
        return { built, scanned }
      })
    )
    expect(result.built?.position).toBe(2)
    expect(result.scanned).toBeUndefined()
  })

  it("forEachRow gives nothing, visiting nothing, when the rows cannot be built (every save fails)", async () => {
    const base = ProjectionCheckpoints.makeMemory()
    const full = failingWhen(base, () => true)
    const visited: Array<string> = []
    const ok = await runWith(full)(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        yield* appendRow(received("a1"))
        yield* appendRow(received("a2"))
        // Segments of one event: the first cannot be saved, so the build stops before the last.
        return yield* RowFigures.forEachRow(
          store,
          full,
          { tenant: R1 },
          "portfolio.applications",
          (r) => visited.push(r.id),
          { segment: 1 }
        )
      })
    )
    expect(ok).toBeUndefined()
    expect(visited).toEqual([])
  })

  it("forEachRow and a scan for new sums give nothing when a page of the scan fails part way", async () => {
    const base = ProjectionCheckpoints.makeMemory()
    const visited: Array<string> = []
    const result = await runWith(base)(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        yield* appendRow(received("a1"))
        yield* appendRow(received("a2"))
        // The rows of R1 as of 2022 built and kept (their 2022 sums with them).
        yield* RowFigures.catchUp(store, base, request2022)
        // Pages of one row: the first page (a1) is given, the second fails.
        const whole = yield* RowFigures.forEachRow(
          store,
          failingScan(base, 1),
          { asOf: "2022-12-31", tenant: R1 },
          ["portfolio.applications", "memberships.memberships"],
          (r) => visited.push(r.id),
          { page: 1 }
        )
        // 2021's sums are not kept: the scan that would add them fails on its first page.
        const scanned = yield* RowFigures.catchUp(store, failingScan(base, 0), { ...request2022, year: 2021 })
        return { whole, scanned }
      })
    )
    expect(visited).toEqual(["a1"])
    expect(result.whole).toBeUndefined()
    expect(result.scanned).toBeUndefined()
  })
})
