// A running service keeps the rows' header live between reports (`LiveStates`, ADR 0042 and
// 0046): the next catch-up folds into it instead of reading its bytes again, and drops it when the
// checkpoint it was saved as is gone or replaced. Figures worked out by hand in each case.
import { EventStore, LiveStates, ProjectionCheckpoints } from "@utblick/core"
import { RowFigures, YearReport } from "@utblick/indicators"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { R1 } from "./fixtures/randomHistory.js"
import { appendRow, received, rejected, runWith } from "./fixtures/rowEvents.js"

const request2022 = { year: 2022, asOf: "2022-12-31", tenant: R1 } as const
const rate = (figure: { readonly values: ReadonlyArray<{ readonly id: string }> } | undefined) =>
  figure?.values.find((v) => v.id === "approval-rate")

// The checkpoints with every load of a rows header (the rows' pseudo-projection) counted.
const countingHeaders = (checkpoints: ProjectionCheckpoints.ProjectionCheckpointsShape) => {
  const counted = { headers: 0 }
  const shape: ProjectionCheckpoints.ProjectionCheckpointsShape = {
    ...checkpoints,
    load: (key) => {
      if (key.projection === RowFigures.PROJECTION) counted.headers += 1
      return checkpoints.load(key)
    }
  }
  return { shape, counted }
}

const report = YearReport.figures(2022, { tenant: R1 })

describe("RowFigures kept live in a running service", () => {
  it.each([
    ["live", true],
    ["not live", false]
  ] as const)("%s: the second catch-up reads the header again only without live states", async (_, live) => {
    const { shape, counted } = countingHeaders(ProjectionCheckpoints.makeMemory())
    const states = live ? LiveStates.make() : LiveStates.none
    const result = await runWith(shape)(
      Effect.gen(function* () {
        yield* appendRow(received("a1"))
        yield* report
        const afterFirst = counted.headers
        yield* appendRow(received("a2"))
        yield* appendRow(rejected("a1", "2022-04-01"))
        const second = yield* report
        yield* appendRow(rejected("a2", "2022-05-01"))
        const third = yield* report
        return { afterFirst, headers: counted.headers, second, third }
      }).pipe(Effect.provideService(LiveStates.LiveStates, states))
    )
    // The first report finds no header (one load); each later one folds events that count.
    expect(result.afterFirst).toBe(1)
    expect(result.headers).toBe(live ? 1 : 3)
    // By hand: a1 rejected, a2 undecided: 0 granted of 1 decided; then both rejected: 0 of 2.
    expect(rate(result.second)).toMatchObject({ numerator: 0, denominator: 1 })
    expect(rate(result.third)).toMatchObject({ numerator: 0, denominator: 2 })
  })

  it("drops the live header when another process caught the rows up (the checkpoint replaced)", async () => {
    const { shape, counted } = countingHeaders(ProjectionCheckpoints.makeMemory())
    const result = await runWith(shape)(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        yield* appendRow(received("a1"))
        yield* appendRow(received("a2"))
        yield* report
        // Another process (no live states of its own here) folds a1's rejection into the rows
        // and saves their header at position 3; this service still holds the header of position 2.
        yield* appendRow(rejected("a1", "2022-04-01"))
        yield* RowFigures.catchUp(store, shape, request2022).pipe(
          Effect.provideService(LiveStates.LiveStates, LiveStates.none)
        )
        const before = counted.headers
        yield* appendRow(rejected("a2", "2022-05-01"))
        const figure = yield* report
        return { loads: counted.headers - before, figure }
      }).pipe(Effect.provideService(LiveStates.LiveStates, LiveStates.make()))
    )
    expect(result.loads).toBe(1)
    // By hand: both rejected, 0 granted of 2 decided. Folding from the stale header (a1 still
    // undecided in its sums, rejected in its row) would count 0 of 1.
    expect(rate(result.figure)).toMatchObject({ numerator: 0, denominator: 2 })
  })

  it("drops the live header when the checkpoints are deleted (an erasure or a rebuild)", async () => {
    const memory = ProjectionCheckpoints.makeMemory()
    const { shape, counted } = countingHeaders(memory)
    const result = await runWith(shape)(
      Effect.gen(function* () {
        yield* appendRow(received("a1"))
        yield* appendRow(received("a2"))
        yield* report
        yield* shape.clear
        const before = counted.headers
        yield* appendRow(rejected("a1", "2022-04-01"))
        const figure = yield* report
        return { loads: counted.headers - before, figure }
      }).pipe(Effect.provideService(LiveStates.LiveStates, LiveStates.make()))
    )
    // Looked for again (none kept), and the rows built from zero.
    expect(result.loads).toBe(1)
    // By hand: a1 rejected, a2 undecided: 0 granted of 1 decided.
    expect(rate(result.figure)).toMatchObject({ numerator: 0, denominator: 1 })
  })
})
