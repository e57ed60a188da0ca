// What a report checks before it trusts the rows kept for its time filter (ADR 0046), and how a
// report keeps them: each case is a small history whose figure is worked out by hand, with the
// check it pins named in its title. The random-history property is `RowFigures.test.ts`.
import { deserialize } from "node:v8"
import { EventStore, ProjectionCheckpoints } from "@utblick/core"
import { PersistedFigures, RowFigures, YearReport } from "@utblick/indicators"
import { type EntityRows, ReadModels } from "@utblick/projections"
import { Effect, Stream } from "effect"
import { describe, expect, it } from "vitest"
import type { FixtureEvent } from "./fixtures/handComputed.js"
import { R1 } from "./fixtures/randomHistory.js"
import {
  appendRow,
  countingLoads,
  failingOnSave,
  failingWhen,
  hintKeeping,
  received,
  rejected,
  runWith
} from "./fixtures/rowEvents.js"

const request2022 = { year: 2022, asOf: "2022-12-31", tenant: R1 } as const
const rate = (figure: { readonly values: ReadonlyArray<{ readonly id: string }> } | undefined) =>
  figure?.values.find((v) => v.id === "approval-rate")

// The board's frame of 2022 for R1's region: 600 + 300 + 100 öre (60 / 30 / 10 %).
const framed: FixtureEvent = {
  streamId: "budget-r-2022",
  type: "AllocationFramed",
  occurredAt: "2022-01-15",
  tenant: R1,
  actor: { id: "board", role: "board" },
  decisionRef: null,
  payload: {
    regionId: "r",
    year: 2022,
    projectSupport: 600,
    businessSupport: 300,
    commercialService: 100,
    byPriority: [],
    decidingBody: "board"
  }
}

// a1 received and 2022 reported (rows kept at position 1), then a2 received and a1 rejected:
// two events past the rows, which give 0 granted of 1 decided. Returns the store.
const rowsThenTwoEvents = Effect.gen(function* () {
  yield* appendRow(received("a1"))
  yield* YearReport.figures(2022, { tenant: R1 })
  yield* appendRow(received("a2"))
  yield* appendRow(rejected("a1", "2022-04-01"))
  return yield* EventStore.EventStore
})

describe("RowFigures: what a report checks before trusting rows", () => {
  it("does not trust a tail that comes back shorter than the log (a store that lost an event)", async () => {
    const checkpoints = ProjectionCheckpoints.makeMemory()
    const result = await runWith(checkpoints)(
      Effect.gen(function* () {
        const store = yield* rowsThenTwoEvents
        // The same log read through a store that drops the event at position 1 (a2's receipt).
        const lossy: EventStore.EventStoreShape = {
          ...store,
          readAll: (options) => store.readAll(options).pipe(Stream.filter((e) => e.position !== 1))
        }
        const short = yield* RowFigures.catchUp(lossy, checkpoints, request2022)
        // In segments of one event, the gap is found before the first segment is saved.
        const shortInSegments = yield* RowFigures.catchUp(lossy, checkpoints, request2022, { segment: 1 })
        const whole = yield* RowFigures.catchUp(store, checkpoints, request2022)
        return { short, shortInSegments, whole }
      })
    )
    expect(result.short).toBeUndefined()
    expect(result.shortInSegments).toBeUndefined()
    // Read whole: a1 rejected, a2 undecided: 0 granted of 1 decided, at position 3.
    expect(result.whole?.position).toBe(3)
    expect(result.whole?.folded).toBe(2)
    expect(rate(result.whole)).toMatchObject({ numerator: 0, denominator: 1 })
  })

  it("does not read rows when checkpoints are switched off, and keeps none", async () => {
    const checkpoints = ProjectionCheckpoints.makeMemory()
    const off: ProjectionCheckpoints.ProjectionCheckpointsShape = { ...checkpoints, enabled: false }
    const result = await runWith(checkpoints)(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        yield* appendRow(received("a1"))
        yield* YearReport.figures(2022, { tenant: R1 })
        yield* appendRow(rejected("a1", "2022-04-01"))
        const read = yield* RowFigures.catchUp(store, off, request2022)
        const keptOff = yield* RowFigures.kept(off, request2022)
        const keptOn = yield* RowFigures.kept(checkpoints, request2022)
        return { read, keptOff, keptOn }
      })
    )
    expect(result.read).toBeUndefined()
    expect(result.keptOff).toBeUndefined()
    // Kept on: the header written by the report at position 1, read back as it was saved.
    const key = RowFigures.keyOf(PersistedFigures.timeFilterOf(request2022))
    const saved = await Effect.runPromise(checkpoints.load(key))
    expect(result.keptOn?.position).toBe(1)
    expect(saved?.position).toBe(1)
    expect(result.keptOn?.header).toEqual(saved?.state)
  })

  it("writes no rows for an empty log, nor through a store without rows", async () => {
    const checkpoints = ProjectionCheckpoints.makeMemory()
    const plan = {
      key: RowFigures.keyOf(PersistedFigures.timeFilterOf(request2022)),
      header: Uint8Array.of(1),
      rows: [],
      replace: true
    }
    await Effect.runPromise(RowFigures.write(checkpoints, plan, 0, "0".repeat(64)))
    const { rows: _rows, ...withoutRows } = ProjectionCheckpoints.makeMemory()
    await Effect.runPromise(RowFigures.write(withoutRows, plan, 1, "0".repeat(64)))
    expect(await Effect.runPromise(checkpoints.load(plan.key))).toBeUndefined()
    expect(await Effect.runPromise(withoutRows.load(plan.key))).toBeUndefined()
    // At position 1 through a store with rows, the header is kept as given.
    await Effect.runPromise(RowFigures.write(checkpoints, plan, 1, "0".repeat(64)))
    expect((await Effect.runPromise(checkpoints.load(plan.key)))?.state).toEqual(Uint8Array.of(1))
  })

  it("a grant filter with no field given reads the year's own sums, budgets included", async () => {
    const checkpoints = ProjectionCheckpoints.makeMemory()
    const result = await runWith(checkpoints)(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        yield* appendRow(framed)
        yield* appendRow(received("a1"))
        yield* YearReport.figures(2022, { tenant: R1 })
        yield* appendRow(rejected("a1", "2022-04-01"))
        const empty = yield* RowFigures.catchUp(store, checkpoints, { ...request2022, grants: {} })
        const unset = yield* RowFigures.catchUp(store, checkpoints, {
          ...request2022,
          grants: { instrument: undefined }
        })
        return { empty, unset }
      })
    )
    for (const figure of [result.empty, result.unset]) {
      expect(figure?.position).toBe(3)
      expect(rate(figure)).toMatchObject({ numerator: 0, denominator: 1 })
      // The frame is read whole (a grant filter would leave budgets out): 1,000 öre, 60/30/10 %.
      const allocation = figure?.values.find((v) => v.id === "allocation-by-instrument")
      expect(allocation?.value).toBe(1000)
      expect(allocation?.breakdown.map((r) => [r.key, r.value])).toEqual([
        ["project-support", 60],
        ["business-support", 30],
        ["commercial-service", 10]
      ])
    }
  })

  it("a grant filter's fields left undefined do not make it another filter", async () => {
    const checkpoints = ProjectionCheckpoints.makeMemory()
    const byInstrument = { instrument: "business-support" } as const
    const result = await runWith(checkpoints)(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        yield* appendRow(received("a1"))
        yield* YearReport.figures(2022, { tenant: R1, grants: byInstrument })
        yield* appendRow(rejected("a1", "2022-04-01"))
        return yield* RowFigures.catchUp(store, checkpoints, {
          ...request2022,
          grants: { ...byInstrument, sector: undefined, municipality: undefined }
        })
      })
    )
    // a1 (business support) rejected: 0 granted of 1 decided; no frame under a grant filter.
    expect(result?.position).toBe(2)
    expect(rate(result)).toMatchObject({ numerator: 0, denominator: 1 })
    expect(result?.values.find((v) => v.id === "allocation-by-instrument")).toBeUndefined()
  })

  it("rows rebuilt for another log replace the rows of the first (a stale row is not a before)", async () => {
    const checkpoints = ProjectionCheckpoints.makeMemory()
    const run = runWith(checkpoints)
    // The first log: a9 received and rejected in 2022; its rows are kept at position 2.
    await run(
      Effect.andThen(
        Effect.andThen(appendRow(received("a9")), appendRow(rejected("a9", "2022-04-01"))),
        YearReport.figures(2022, { tenant: R1 })
      )
    )
    const caught = await run(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        // Another log in the same checkpoint store: b1 received, reported (rows rebuilt at 1),
        // then a9 received and rejected in May.
        yield* appendRow(received("b1", { title: "Another" }))
        yield* YearReport.figures(2022, { tenant: R1 })
        yield* appendRow(received("a9"))
        yield* appendRow(rejected("a9", "2022-05-01"))
        return yield* RowFigures.catchUp(store, checkpoints, request2022)
      })
    )
    // b1 undecided, a9 rejected: 0 granted of 1 decided. A row of a9 left from the first log
    // would be taken as a9 before the tail, already rejected in 2022: the tail would move the
    // sums by nothing (0 of 0).
    expect(caught?.position).toBe(3)
    expect(caught?.rows).toBe(1)
    expect(rate(caught)).toMatchObject({ numerator: 0, denominator: 1 })
  })

  it("a second year asked at the same position adds its sums to the header, rows untouched", async () => {
    const checkpoints = ProjectionCheckpoints.makeMemory()
    const result = await runWith(checkpoints)(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        yield* appendRow(received("a1", { on: "2021-03-01" }))
        yield* appendRow(received("a2"))
        yield* YearReport.figuresForYears([2022, 2021], { tenant: R1, asOf: "2022-12-31" })
        yield* appendRow(rejected("a1", "2022-04-01"))
        const y2021 = yield* RowFigures.catchUp(store, checkpoints, { ...request2022, year: 2021 })
        const y2022 = yield* RowFigures.catchUp(store, checkpoints, request2022)
        return { y2021, y2022 }
      })
    )
    // 2021: a1 received then, decided in 2022: nothing decided in 2021 (0 of 0).
    // 2022: a2 received, a1 rejected: 0 granted of 1 decided.
    expect(result.y2021?.position).toBe(3)
    expect(rate(result.y2021)).toMatchObject({ numerator: 0, denominator: 0 })
    expect(rate(result.y2022)).toMatchObject({ numerator: 0, denominator: 1 })
  })
  it("builds the rows again from zero over a header that cannot be read", async () => {
    const checkpoints = ProjectionCheckpoints.makeMemory()
    const key = RowFigures.keyOf(PersistedFigures.timeFilterOf(request2022))
    const result = await runWith(checkpoints)(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        yield* appendRow(received("a1"))
        yield* YearReport.figures(2022, { tenant: R1 })
        const saved = (yield* checkpoints.load(key)) as ProjectionCheckpoints.Checkpoint
        yield* checkpoints.save(key, { ...saved, state: Uint8Array.of(0xff, 0x00) })
        yield* appendRow(rejected("a1", "2022-04-01"))
        const garbled = yield* RowFigures.catchUp(store, checkpoints, request2022)
        yield* appendRow(received("a2"))
        const after = yield* RowFigures.catchUp(store, checkpoints, request2022)
        return { garbled, after }
      })
    )
    // a1 received and rejected, both folded from zero: 0 of 1 decided, at 2; then a2 received,
    // caught up from the rebuilt rows at 3.
    expect([result.garbled?.position, result.garbled?.folded]).toEqual([2, 2])
    expect(rate(result.garbled)).toMatchObject({ numerator: 0, denominator: 1 })
    expect([result.after?.position, result.after?.folded]).toEqual([3, 1])
    expect(rate(result.after)).toMatchObject({ numerator: 0, denominator: 1 })
  })

  it("a figure caught up carries the registry's schemes and mappings", async () => {
    const checkpoints = ProjectionCheckpoints.makeMemory()
    const registryEvent = (type: string, payload: FixtureEvent["payload"]): FixtureEvent => ({
      streamId: "registry-r1",
      type,
      occurredAt: "2021-01-01",
      tenant: R1,
      actor: { id: "board", role: "board" },
      decisionRef: null,
      payload
    })
    const mapping = {
      mappingId: "m1",
      fromSchemeId: "s-old",
      toSchemeId: "s-new",
      pairs: [{ from: "a", to: "b" }]
    }
    const result = await runWith(checkpoints)(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        yield* appendRow(
          registryEvent("ClassificationSchemeAdopted", {
            schemeId: "s-new",
            name: "Ny",
            ownerActorId: R1,
            validFrom: 2021,
            categories: [{ code: "b", label: "B" }]
          })
        )
        yield* appendRow(registryEvent("SchemeMappingDefined", mapping))
        yield* YearReport.figures(2022, { tenant: R1 })
        yield* appendRow(received("a1"))
        return yield* RowFigures.catchUp(store, checkpoints, request2022)
      })
    )
    expect(result?.folded).toBe(1)
    expect(result?.registry.mappings).toEqual({ m1: mapping })
    expect(Object.keys(result?.registry.schemes ?? {})).toEqual(["s-new"])
  })

  it("asks the store for each row once, however often the folds ask for it", async () => {
    const checkpoints = ProjectionCheckpoints.makeMemory()
    const asked: Array<ReadonlyArray<string>> = []
    const counting = countingLoads(checkpoints, asked)
    const result = await runWith(checkpoints)(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        yield* appendRow(received("a1"))
        yield* YearReport.figures(2022, { tenant: R1 })
        // A row kept (a1) and a row created (a2), each touched twice by the tail.
        yield* appendRow(received("a2"))
        yield* appendRow(rejected("a1", "2022-04-01"))
        yield* appendRow(rejected("a2", "2022-04-02"))
        yield* appendRow(rejected("a1", "2022-04-03"))
        return yield* RowFigures.catchUp(store, counting, request2022)
      })
    )
    // a1 and a2 rejected: 0 of 2 decided.
    expect(rate(result)).toMatchObject({ numerator: 0, denominator: 2 })
    const ids = asked.flat()
    expect(asked.every((batch) => batch.length > 0)).toBe(true)
    expect(new Set(ids).size).toBe(ids.length)
    expect(new Set(ids)).toEqual(
      new Set(["a1", "a2"].map((id) => RowFigures.rowId({ model: "portfolio.applications", tenant: R1, id })))
    )
  })

  it("reads no kept header through a checkpoint store without rows", async () => {
    const { rows: _rows, ...withoutRows } = ProjectionCheckpoints.makeMemory()
    const key = RowFigures.keyOf(PersistedFigures.timeFilterOf(request2022))
    await Effect.runPromise(
      withoutRows.save(key, { position: 1, hash: "0".repeat(64), state: Uint8Array.of(1) })
    )
    expect(await Effect.runPromise(RowFigures.kept(withoutRows, request2022))).toBeUndefined()
  })

  it("planning the same year again at the same position keeps one set of its sums", async () => {
    const checkpoints = ProjectionCheckpoints.makeMemory()
    const headers = await runWith(checkpoints)(
      Effect.gen(function* () {
        yield* appendRow(received("a1"))
        const models = (yield* YearReport.forYear(2022, { tenant: R1 })).models
        const first = RowFigures.plan(request2022, models, 1)
        const again = RowFigures.plan(request2022, models, 1, { position: 1, header: first.header })
        const other = RowFigures.plan({ ...request2022, year: 2021 }, models, 1, {
          position: 1,
          header: again.header
        })
        return { first, again, other }
      })
    )
    const sumsOf = (plan: RowFigures.Plan) =>
      (deserialize(plan.header) as { sums: ReadonlyArray<readonly [string, unknown]> }).sums.map(([k]) => k)
    expect([...headers.first.rows].length).toBe(1)
    expect([[...headers.again.rows].length, headers.again.replace]).toEqual([0, false])
    expect(sumsOf(headers.again)).toEqual(['{"year":2022}'])
    expect(sumsOf(headers.other)).toEqual(['{"year":2022}', '{"year":2021}'])
  })
  it("plans the rows in ascending id order, each with its own place in the state", async () => {
    const planned = await runWith(ProjectionCheckpoints.makeMemory())(
      Effect.gen(function* () {
        // Received in the order b2, a1, c3: the state lists them so (places 0, 1, 2), while the
        // durable stores write fastest in id order (a1, b2, c3).
        for (const id of ["b2", "a1", "c3"]) yield* appendRow(received(id))
        const models = (yield* YearReport.forYear(2022, { tenant: R1 })).models
        return RowFigures.plan(request2022, models, 3)
      })
    )
    const rows = [...planned.rows].map(([id, bytes]) => {
      const [record, order] = JSON.parse(Buffer.from(bytes).toString("utf8")) as [
        { applicationId: string },
        number
      ]
      return [id, record.applicationId, order] as const
    })
    const idOf = (app: string) => `["portfolio.applications","${R1}","${app}"]`
    expect(rows).toEqual([
      [idOf("a1"), "a1", 1],
      [idOf("b2"), "b2", 0],
      [idOf("c3"), "c3", 2]
    ])
    // The rows are made again, alike, each time they are read.
    expect([...planned.rows].map(([id]) => id)).toEqual(rows.map(([id]) => id))
  })

  it("folds a tail longer than a segment a segment at a time, saving each", async () => {
    // The positions a catch-up with segments of `segment` events saved its header at.
    const catchUpBy = async (segment: number) => {
      const checkpoints = ProjectionCheckpoints.makeMemory()
      const rows = checkpoints.rows as ProjectionCheckpoints.CheckpointRows
      const saves: Array<number> = []
      const noting: ProjectionCheckpoints.ProjectionCheckpointsShape = {
        ...checkpoints,
        rows: {
          ...rows,
          save: (key, checkpoint, given, options) => {
            saves.push(checkpoint.position)
            return rows.save(key, checkpoint, given, options)
          }
        }
      }
      const caught = await runWith(checkpoints)(
        Effect.andThen(rowsThenTwoEvents, (store) =>
          RowFigures.catchUp(store, noting, request2022, { segment })
        )
      )
      return { caught, saves }
    }
    // Two events past the rows: segments of one event save twice, of two once.
    const [one, two] = [await catchUpBy(1), await catchUpBy(2)]
    expect(one.saves).toEqual([2, 3])
    expect(two.saves).toEqual([3])
    for (const { caught } of [one, two]) {
      expect([caught?.position, caught?.folded]).toEqual([3, 2])
      expect(rate(caught)).toMatchObject({ numerator: 0, denominator: 1 })
    }
  })

  it("stops where a segment cannot be saved, and the next catch-up resumes from the last one saved", async () => {
    const checkpoints = ProjectionCheckpoints.makeMemory()
    // A disk that fills on the second save.
    const failing = failingOnSave(checkpoints, 2)
    const result = await runWith(checkpoints)(
      Effect.gen(function* () {
        const store = yield* rowsThenTwoEvents
        yield* appendRow(received("a3"))
        // Three events past the rows at 1, a segment each: saved at 2, refused at 3.
        const stopped = yield* RowFigures.catchUp(store, failing, request2022, { segment: 1 })
        const key = RowFigures.keyOf(PersistedFigures.timeFilterOf(request2022))
        const at = (yield* checkpoints.load(key))?.position
        const resumed = yield* RowFigures.catchUp(store, checkpoints, request2022)
        return { stopped, at, resumed }
      })
    )
    expect(result.stopped).toBeUndefined()
    expect(result.at).toBe(2)
    // From 2: a1's rejection and a3's receipt (a2's receipt was folded by the saved segment).
    expect([result.resumed?.position, result.resumed?.folded]).toEqual([4, 2])
    expect(rate(result.resumed)).toMatchObject({ numerator: 0, denominator: 1 })
  })

  it("gives the last segment's figure even when its save fails (rows are a cache)", async () => {
    const checkpoints = ProjectionCheckpoints.makeMemory()
    // A disk that fills on the second save: the last of two segments.
    const failing = failingOnSave(checkpoints, 2)
    const result = await runWith(checkpoints)(
      Effect.gen(function* () {
        const store = yield* rowsThenTwoEvents
        const caught = yield* RowFigures.catchUp(store, failing, request2022, { segment: 1 })
        const key = RowFigures.keyOf(PersistedFigures.timeFilterOf(request2022))
        return { caught, at: (yield* checkpoints.load(key))?.position }
      })
    )
    expect([result.caught?.position, result.caught?.folded]).toEqual([3, 2])
    expect(rate(result.caught)).toMatchObject({ numerator: 0, denominator: 1 })
    // The first segment's save stands; the last's did not happen.
    expect(result.at).toBe(2)
  })

  it("builds from zero asking the store only for the events that count, and catches up reading them all", async () => {
    const checkpoints = ProjectionCheckpoints.makeMemory()
    const reads: Array<EventStore.ReadAllOptions | undefined> = []
    const result = await runWith(checkpoints)(
      Effect.gen(function* () {
        const inner = yield* EventStore.EventStore
        const store: EventStore.EventStoreShape = {
          ...inner,
          readAll: (options) => {
            reads.push(options)
            return inner.readAll(options)
          }
        }
        yield* appendRow(received("a1"))
        yield* appendRow(rejected("a1", "2022-04-01"))
        const built = yield* RowFigures.catchUp(store, checkpoints, request2022)
        const readsToBuild = reads.splice(0)
        yield* appendRow(received("a2"))
        const caught = yield* RowFigures.catchUp(store, checkpoints, request2022)
        return { built, readsToBuild, readsToCatchUp: reads.splice(0), caught }
      })
    )
    expect(result.readsToBuild.map((o) => o?.only)).toEqual([
      { types: ReadModels.projection.handles, tenant: R1, asOf: "2022-12-31" }
    ])
    expect(result.readsToBuild.map((o) => [o?.fromPosition, o?.toPosition])).toEqual([[0, 2]])
    // From the event before the rows' position, every event, none left to the store to skip.
    expect(result.readsToCatchUp).toEqual([{ fromPosition: 1, toPosition: 3 }])
    expect(rate(result.built)).toMatchObject({ numerator: 0, denominator: 1 })
    expect([result.caught?.position, result.caught?.folded]).toEqual([3, 1])
  })

  it("builds the time filters of a comparison in one read, its hint letting each filter's events through", async () => {
    const checkpoints = ProjectionCheckpoints.makeMemory()
    const reads: Array<EventStore.ReadAllOptions | undefined> = []
    const y2021 = { year: 2021, asOf: "2021-12-31", tenant: R1 } as const
    const result = await runWith(checkpoints)(
      Effect.gen(function* () {
        // A store that leaves out every event the hint does not let through, as it may.
        const store = hintKeeping(yield* EventStore.EventStore, reads)
        yield* appendRow(received("a1", { on: "2021-03-01" }))
        yield* appendRow(rejected("a1", "2022-04-01"))
        return yield* RowFigures.catchUpMany(store, checkpoints, [y2021, request2022])
      })
    )
    // One read for both, up to the later of the two business dates.
    expect(reads.map((o) => [o?.fromPosition, o?.toPosition, o?.only])).toEqual([
      [0, 2, { types: ReadModels.projection.handles, tenant: R1, asOf: "2022-12-31" }]
    ])
    // 2021 as of its end: a1 received, undecided (0 of 0); 2022 as of its end: a1 rejected in
    // April (0 granted of 1 decided). Each filter folded the events it lets through.
    expect(result.map((c) => [c?.position, c?.folded])).toEqual([
      [2, 1],
      [2, 2]
    ])
    expect(rate(result[0])).toMatchObject({ numerator: 0, denominator: 0 })
    expect(rate(result[1])).toMatchObject({ numerator: 0, denominator: 1 })
  })

  it("gives up only the time filter whose segment cannot be saved, the others built in the same read", async () => {
    const base = ProjectionCheckpoints.makeMemory()
    const y2021 = { year: 2021, asOf: "2021-12-31", tenant: R1 } as const
    const refused = RowFigures.keyOf(PersistedFigures.timeFilterOf(y2021)).filter
    const kept2022 = RowFigures.keyOf(PersistedFigures.timeFilterOf(request2022)).filter
    const saved2022: Array<number> = []
    // Every save of 2021's rows fails; 2022's are saved (their positions noted).
    const checkpoints = failingWhen(base, (key, checkpoint) => {
      if (key.filter === kept2022) saved2022.push(checkpoint.position)
      return key.filter === refused
    })
    const result = await runWith(checkpoints)(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        yield* appendRow(received("a1", { on: "2021-03-01" }))
        yield* appendRow(received("a2", { on: "2021-05-01" }))
        yield* appendRow(rejected("a1", "2022-04-01"))
        // Segments of 2 events shared by two filters: 1 event each.
        return yield* RowFigures.catchUpMany(store, checkpoints, [y2021, request2022], { segment: 2 })
      })
    )
    // 2021's first segment (a1 received) cannot be saved: that filter goes down the full path.
    expect(result[0]).toBeUndefined()
    // 2022's three segments are saved, one per event; a1 rejected: 0 granted of 1 decided.
    expect(saved2022).toEqual([1, 2, 3])
    expect([result[1]?.position, result[1]?.folded]).toEqual([3, 3])
    expect(rate(result[1])).toMatchObject({ numerator: 0, denominator: 1 })
    expect(
      (await Effect.runPromise(base.load(RowFigures.keyOf(PersistedFigures.timeFilterOf(request2022)))))
        ?.position
    ).toBe(3)
  })

  it("adds a year's sums by scanning only rows of the header's position: a last save that failed gives nothing", async () => {
    const base = ProjectionCheckpoints.makeMemory()
    // The second save of rows fails: the catch-up below folds the tail, but its rows stay at 1.
    const checkpoints = failingOnSave(base, 2)
    const y2021 = { ...request2022, year: 2021 } as const
    const result = await runWith(checkpoints)(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        yield* appendRow(received("a1", { on: "2021-03-01" }))
        const built = yield* RowFigures.catchUp(store, checkpoints, request2022)
        yield* appendRow(rejected("a1", "2021-06-01"))
        const scanned = yield* RowFigures.catchUp(store, checkpoints, y2021)
        const again = yield* RowFigures.catchUp(store, checkpoints, y2021)
        return { built, scanned, again }
      })
    )
    expect(result.built?.position).toBe(1)
    // The rows kept hold a1 as received; scanning them would count 2021 as 0 decided where the log
    // says 0 granted of 1 decided (rejected in June): the figure goes down the full path.
    expect(result.scanned).toBeUndefined()
    // The next catch-up saves, then scans rows of its own position: 0 of 1.
    expect([result.again?.position, result.again?.folded]).toEqual([2, 1])
    expect(rate(result.again)).toMatchObject({ numerator: 0, denominator: 1 })
  })

  it("gives every application of a time filter from its rows, caught up first, and no other model's", async () => {
    const checkpoints = ProjectionCheckpoints.makeMemory()
    const titles = (seen: ReadonlyArray<EntityRows.Row>) =>
      seen.map((r) => `${r.id}:${(r.record as { title: string }).title}`).sort()
    const result = await runWith(checkpoints)(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        yield* appendRow(framed)
        // A membership: a row of a model whose ids sort before the applications'.
        yield* appendRow({
          streamId: "membership-m1",
          type: "MembershipSigned",
          occurredAt: "2022-01-20",
          tenant: R1,
          actor: { id: "board", role: "board" },
          decisionRef: null,
          payload: { actorId: "actor-1", organisationId: "org-1", kind: "member", joinedYear: 2022 }
        })
        yield* appendRow(received("a1", { title: "First" }))
        yield* appendRow(received("a2", { on: "2023-02-01", title: "Later" }))
        const first: Array<EntityRows.Row> = []
        // As of the end of 2022: a1 only (a2 is dated 2023). Rows built from zero, two per page.
        const builtOk = yield* RowFigures.forEachRow(
          store,
          checkpoints,
          { asOf: "2022-12-31", tenant: R1 },
          "portfolio.applications",
          (r) => first.push(r),
          { page: 2 }
        )
        yield* appendRow(received("a3", { on: "2022-05-01", title: "Third" }))
        const again: Array<EntityRows.Row> = []
        const caughtOk = yield* RowFigures.forEachRow(
          store,
          checkpoints,
          { asOf: "2022-12-31", tenant: R1 },
          "portfolio.applications",
          (r) => again.push(r),
          { page: 1 }
        )
        const members: Array<EntityRows.Row> = []
        const membersOk = yield* RowFigures.forEachRow(
          store,
          checkpoints,
          { asOf: "2022-12-31", tenant: R1 },
          "memberships.memberships",
          (r) => members.push(r)
        )
        // Both models in one call, in the order asked; with the parts read whole at that position.
        const both: Array<readonly [EntityRows.Row, number]> = []
        const bothWhole = yield* RowFigures.forEachRow(
          store,
          checkpoints,
          { asOf: "2022-12-31", tenant: R1 },
          ["portfolio.applications", "memberships.memberships"],
          (r, order) => both.push([r, order])
        )
        // A store that cannot scan its rows says so.
        const { scan: _scan, ...unscannable } = checkpoints.rows as ProjectionCheckpoints.CheckpointRows
        const noScan = yield* RowFigures.forEachRow(
          store,
          { ...checkpoints, rows: unscannable },
          { tenant: R1 },
          "portfolio.applications",
          () => undefined
        )
        return { builtOk, first, caughtOk, again, membersOk, members, noScan, both, bothWhole }
      })
    )
    expect(
      [result.builtOk, result.caughtOk, result.membersOk, result.noScan].map((whole) => whole !== undefined)
    ).toEqual([true, true, true, false])
    expect(titles(result.first)).toEqual(["a1:First"])
    // Caught up with a3 (received in May 2022) one row a page; the budget frame is no row.
    expect(titles(result.again)).toEqual(["a1:First", "a3:Third"])
    expect(result.again.map((r) => [r.model, r.tenant])).toEqual([
      ["portfolio.applications", R1],
      ["portfolio.applications", R1]
    ])
    // The membership's row alone, none of the applications' after it.
    expect(result.members.map((r) => [r.model, r.id])).toEqual([["memberships.memberships", "actor-1|org-1"]])
    // Both models: the two applications, then the membership (the order the models were named),
    // each with its place in the state: R1 is each model's first tenant (place 0), a1 its first
    // application as of 2022 and a3 its second (a2, received in 2023, is not there), the
    // membership its first.
    expect(result.both.map(([r, order]) => [r.model, r.id, order])).toEqual([
      ["portfolio.applications", "a1", 0],
      ["portfolio.applications", "a3", 1],
      ["memberships.memberships", "actor-1|org-1", 0]
    ])
    // The budget is no row but a part read whole: the frame of 2022 (600 + 300 + 100), as framed.
    const budgets = [...(result.bothWhole?.budgets.get(R1)?.values() ?? [])]
    expect(
      budgets.map((b) => [b.regionId, b.year, b.frame?.projectSupport, b.frame?.commercialService])
    ).toEqual([["r", 2022, 600, 100]])
  })

  it("does not build from zero when a store gives nothing from the rows' tie event on (a lost event, not another log)", async () => {
    const checkpoints = ProjectionCheckpoints.makeMemory()
    const result = await runWith(checkpoints)(
      Effect.gen(function* () {
        const inner = yield* EventStore.EventStore
        yield* appendRow(received("a1"))
        yield* appendRow(received("a2"))
        yield* RowFigures.catchUp(inner, checkpoints, request2022)
        yield* appendRow(rejected("a1", "2022-04-01"))
        // Every event from position 1 on is lost by this store, whatever the read asks.
        const losing: EventStore.EventStoreShape = {
          ...inner,
          readAll: (options) => inner.readAll(options).pipe(Stream.filter((e) => e.position < 1))
        }
        return yield* RowFigures.catchUp(losing, checkpoints, request2022)
      })
    )
    // Built from zero through this store, the figure would hold a1 alone, received (0 of 0).
    expect(result).toBeUndefined()
  })
})
