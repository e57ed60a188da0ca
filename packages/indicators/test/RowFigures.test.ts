/**
 * Figures caught up from entity rows and sums (ADR 0046): as the log grows a chunk at a time, the
 * figure `RowFigures.catchUp` gives from the rows equals a full replay with no persistence
 * (`YearReport.forRequests`), for random histories of two tenants (entities changed many times
 * over, re-granted under other instruments, years and codes), reports with and without a tenant,
 * several years of one time filter and grant filters. The replay is the oracle: `Indicator`'s
 * `compute` over the whole state, independent of the sums.
 */
import { fc, test } from "@fast-check/vitest"
import { EventStore, Events, ProjectionCheckpoints } from "@utblick/core"
import { PersistedFigures, RowFigures, YearReport, YearSums } from "@utblick/indicators"
import { Effect, Layer } from "effect"
import { TestClock } from "effect/testing"
import { afterAll, describe, expect, it } from "vitest"
import type { FixtureEvent } from "./fixtures/handComputed.js"
import { R1, R2, randomHistoryArb, SCHEME_R } from "./fixtures/randomHistory.js"
import { appendRow, hintKeeping, received, rejected } from "./fixtures/rowEvents.js"

const START = Date.parse("2024-01-01T00:00:00.000Z")

const requestArb = fc.record(
  {
    year: fc.constantFrom(2021, 2022, 2023),
    tenant: fc.constantFrom(R1, R2),
    goalsSchemeId: fc.constant(SCHEME_R),
    actorId: fc.constantFrom(R1, R2),
    grants: fc.record({ instrument: fc.constantFrom("business-support", "project-support") })
  },
  { requiredKeys: ["year"] }
)

const asked = (request: YearReport.ReportRequest) => ({
  year: request.year,
  asOf: request.asOf ?? `${request.year}-12-31`,
  tenant: request.tenant,
  goalsSchemeId: request.goalsSchemeId,
  actorId: request.actorId,
  grants: request.grants
})

const caughtUps: Array<number> = []

describe("RowFigures", () => {
  afterAll(() => {
    // Across the runs, the rows answered many questions (not a property of one run: a history
    // may be empty, or appended in one chunk).
    expect(caughtUps.filter((n) => n > 0).length).toBeGreaterThan(caughtUps.length / 2)
  })

  test.prop(
    [
      // Long enough to be appended in several chunks (fast-check favours short arrays).
      randomHistoryArb().filter((h) => h.length >= 6),
      fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 6 }),
      fc.array(requestArb, { minLength: 1, maxLength: 3 }),
      // Segments of a few events: rows built and caught up across many saves.
      fc.integer({ min: 1, max: 6 }),
      // Scans of new sums a few rows a page.
      fc.integer({ min: 1, max: 3 })
    ],
    { numRuns: 200 }
  )(
    "a figure caught up from rows equals a full replay after every chunk",
    async (history, chunks, requests, segment, page) => {
      const checkpoints = ProjectionCheckpoints.makeMemory()
      const program = Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        let at = 0
        let caughtUp = 0
        // Beside the rows the requests build one at a time, rows built and caught up for all the
        // requests at once (every time filter in one read of the log) through a store that
        // leaves out what the read's hint does not let through.
        const together = ProjectionCheckpoints.makeMemory()
        for (const size of [...chunks, history.length]) {
          yield* TestClock.setTime(START + at * 60_000)
          for (const row of history.slice(at, at + size)) yield* appendRow(row)
          at = Math.min(history.length, at + size)
          const replayed = yield* YearReport.forRequests(requests).pipe(
            Effect.provideService(ProjectionCheckpoints.ProjectionCheckpoints, ProjectionCheckpoints.none)
          )
          const expected = replayed.map((r) => ({ values: r.values, position: r.position }))
          // A catch-up builds the rows of a time filter from zero when none are kept, and again
          // with every sum kept when they lack the request's year or grant filter: it always
          // gives the figure.
          for (const [i, request] of requests.entries()) {
            const caught = yield* RowFigures.catchUp(store, checkpoints, asked(request), { segment, page })
            expect(caught).toBeDefined()
            if (caught !== undefined && caught.folded > 0) caughtUp++
            expect({ values: caught?.values, position: caught?.position }).toEqual(expected[i])
          }
          const all = yield* RowFigures.catchUpMany(hintKeeping(store), together, requests.map(asked), {
            segment,
            page
          })
          expect(all.map((c) => ({ values: c?.values, position: c?.position }))).toEqual(expected)
          // Asked through the report too: it builds the rows the next chunk catches up from.
          const reported = yield* YearReport.figuresForRequests(requests)
          expect(reported.map((r) => r.values)).toEqual(replayed.map((r) => r.values))
          // Every entity of the whole fold is a row, with its record and its order in the state.
          for (const [i, request] of requests.entries()) {
            const models = (replayed[i] as YearReport.YearIndicators).models
            const wanted = [...YearSums.entities(models)].filter((e) => e.model !== "budget")
            const rowModel = {
              application: "portfolio.applications",
              membership: "memberships.memberships",
              agreement: "agreements.agreements",
              trip: "trips.trips"
            } as const
            const ids = wanted.map((e) =>
              RowFigures.rowId({
                model: rowModel[e.model as keyof typeof rowModel],
                tenant: e.tenant,
                id: e.id
              })
            )
            const key = RowFigures.keyOf(PersistedFigures.timeFilterOf(asked(request)))
            const found = new Map(
              yield* (checkpoints.rows as ProjectionCheckpoints.CheckpointRows).load(key, ids)
            )
            expect(found.size).toBe(ids.length)
            expect(ids.map((id) => RowFigures.readRow(found.get(id) as Uint8Array))).toEqual(
              wanted.map((e) => [e.record, e.order])
            )
          }
          if (at >= history.length) break
        }
        return caughtUp
      })
      const caughtUp = await program.pipe(
        Effect.provide(
          Layer.mergeAll(EventStore.layerMemory({ catalog: Events.eventCatalog }), TestClock.layer())
        ),
        Effect.provideService(ProjectionCheckpoints.ProjectionCheckpoints, checkpoints),
        Effect.runPromise
      )
      caughtUps.push(caughtUp)
    }
  )

  it("places the rows a catch-up creates where a fold of the whole log places them (first-seen order)", async () => {
    const checkpoints = ProjectionCheckpoints.makeMemory()
    const grant = (tenant: string, id: string, code: string): FixtureEvent => ({
      streamId: `application-${id}`,
      type: "ProjectGranted",
      occurredAt: "2022-05-01",
      tenant,
      actor: { id: "board", role: "board" },
      decisionRef: null,
      payload: {
        applicationId: id,
        regionId: "r",
        year: 2022,
        amount: 100,
        decidingBody: "RUN",
        projectName: `Project ${id}`,
        priorityCodes: [],
        smartSpecialisationCodes: [{ schemeId: "s", code }],
        mainPurpose: "other",
        plannedOutputs: []
      }
    })
    const result = await Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      yield* appendRow(grant(R1, "x1", "k-c"))
      yield* YearReport.figures(2022)
      // A new tenant's grant first, then two more of the first tenant: a fold of the whole log
      // lists the first tenant's three grants (in creation order), then the new tenant's.
      yield* appendRow(grant(R2, "y1", "k-a"))
      yield* appendRow(grant(R1, "x2", "k-d"))
      yield* appendRow(grant(R1, "x3", "k-b"))
      return yield* RowFigures.catchUp(store, checkpoints, { year: 2022, asOf: "2022-12-31" })
    }).pipe(
      Effect.provide(
        Layer.mergeAll(EventStore.layerMemory({ catalog: Events.eventCatalog }), TestClock.layer())
      ),
      Effect.provideService(ProjectionCheckpoints.ProjectionCheckpoints, checkpoints),
      Effect.runPromise
    )
    const categories = result?.values.find((v) => v.id === "granted-by-category")
    expect(result?.folded).toBe(3)
    expect(categories?.breakdown.map((r) => [r.key, r.value])).toEqual([
      ["k-c", 25],
      ["k-d", 25],
      ["k-b", 25],
      ["k-a", 25]
    ])
  })

  it("a year asked after the rows fell behind rebuilds them at the head, not on the old header", async () => {
    const checkpoints = ProjectionCheckpoints.makeMemory()
    const rate = (r: YearReport.YearFigures) => r.values.find((v) => v.id === "approval-rate")
    const result = await Effect.gen(function* () {
      // Rows for 2022 at position 1; then two events that count, and 2021 asked: its sums are not
      // kept, so it is computed in full at position 3, where the rows (at 1) are behind.
      yield* appendRow(received("a1", { on: "2022-03-01" }))
      yield* YearReport.figures(2022, { tenant: R1, asOf: "2022-12-31" })
      yield* appendRow(received("a2", { on: "2021-03-01" }))
      yield* appendRow(rejected("a1", "2022-04-01"))
      yield* YearReport.figures(2021, { tenant: R1, asOf: "2022-12-31" })
      // One more event; 2022 is then caught up from the rows.
      yield* appendRow(rejected("a2", "2022-05-01"))
      return yield* YearReport.figures(2022, { tenant: R1, asOf: "2022-12-31" })
    }).pipe(
      Effect.provide(
        Layer.mergeAll(EventStore.layerMemory({ catalog: Events.eventCatalog }), TestClock.layer())
      ),
      Effect.provideService(ProjectionCheckpoints.ProjectionCheckpoints, checkpoints),
      Effect.runPromise
    )
    // 2022: a1 received and rejected in 2022, a2 rejected in 2022 (received in 2021): 0 granted
    // of 2 decided, 1 application received.
    expect(result.position).toBe(4)
    expect(rate(result)).toMatchObject({ numerator: 0, denominator: 2 })
  })

  it("a row that cannot be read sends the report down the full path, with the right figure", async () => {
    const checkpoints = ProjectionCheckpoints.makeMemory()
    const request = { year: 2022, asOf: "2022-12-31", tenant: R1 }
    const result = await Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      yield* appendRow(received("a1"))
      yield* YearReport.figures(2022, { tenant: R1 })
      // The row of a1, garbled on disk; then an event that touches it.
      const key = RowFigures.keyOf(PersistedFigures.timeFilterOf(request))
      const saved = yield* checkpoints.load(key)
      yield* (checkpoints.rows as ProjectionCheckpoints.CheckpointRows).save(
        key,
        saved as ProjectionCheckpoints.Checkpoint,
        [
          [
            RowFigures.rowId({ model: "portfolio.applications", tenant: R1, id: "a1" }),
            Uint8Array.of(0xff, 0x00)
          ]
        ]
      )
      yield* appendRow(rejected("a1", "2022-03-01"))
      const caught = yield* RowFigures.catchUp(store, checkpoints, request)
      const reported = yield* YearReport.figures(2022, { tenant: R1 })
      return { caught, rate: reported.values.find((v) => v.id === "approval-rate") }
    }).pipe(
      Effect.provide(
        Layer.mergeAll(EventStore.layerMemory({ catalog: Events.eventCatalog }), TestClock.layer())
      ),
      Effect.provideService(ProjectionCheckpoints.ProjectionCheckpoints, checkpoints),
      Effect.runPromise
    )
    expect(result.caught).toBeUndefined()
    // One application received and rejected: 0 granted of 1 decided.
    expect(result.rate).toMatchObject({ numerator: 0, denominator: 1 })
  })

  it("builds again from zero the rows kept for another log of the same store", async () => {
    const checkpoints = ProjectionCheckpoints.makeMemory()
    const run = <A>(program: Effect.Effect<A, unknown, EventStore.EventStore>) =>
      program.pipe(
        Effect.provide(
          Layer.mergeAll(EventStore.layerMemory({ catalog: Events.eventCatalog }), TestClock.layer())
        ),
        Effect.provideService(ProjectionCheckpoints.ProjectionCheckpoints, checkpoints),
        Effect.runPromise as (e: Effect.Effect<A, unknown>) => Promise<A>
      )
    const request = { year: 2022, asOf: "2022-12-31", tenant: R1 }
    const key = RowFigures.keyOf(PersistedFigures.timeFilterOf(request))
    // The first log: a1 received and rejected, its rows kept at 2.
    await run(
      Effect.gen(function* () {
        yield* appendRow(received("a1", { title: "First" }))
        yield* appendRow(rejected("a1", "2022-04-01"))
        yield* YearReport.figures(2022, { tenant: R1 })
      })
    )
    // Another log whose first event differs, grown past the rows' position: its a1 is not the
    // kept row's a1 (never rejected), so no kept row is read; the three events are folded from
    // zero, and no decision counts.
    const other = await run(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        yield* appendRow(received("a1", { title: "Another first" }))
        yield* appendRow(received("a2", { title: "Second" }))
        yield* appendRow(received("a3", { title: "Third" }))
        return yield* RowFigures.catchUp(store, checkpoints, request)
      })
    )
    expect([other?.position, other?.folded]).toEqual([3, 3])
    expect(other?.values.find((v) => v.id === "approval-rate")).toMatchObject({
      numerator: 0,
      denominator: 0
    })
    const rows = checkpoints.rows as ProjectionCheckpoints.CheckpointRows
    const ids = ["a1", "a2"].map((id) =>
      RowFigures.rowId({ model: "portfolio.applications", tenant: R1, id })
    )
    const kept = await Effect.runPromise(rows.load(key, ids))
    const titles = kept.map(([, bytes]) => (RowFigures.readRow(bytes)[0] as { title: string }).title)
    expect(titles.sort()).toEqual(["Another first", "Second"])
  })

  it.each([
    ["scans the rows caught up for the sums of a year they lack", true],
    ["builds the rows again with every sum kept for a year they lack, where the store cannot scan", false]
  ])("builds the rows where none are kept, then %s", async (_, scans) => {
    const memory = ProjectionCheckpoints.makeMemory()
    const { scan: _scan, ...rest } = memory.rows as ProjectionCheckpoints.CheckpointRows
    const checkpoints = scans ? memory : { ...memory, rows: rest }
    const request = (year: number) => ({ year, asOf: "2022-12-31", tenant: R1 })
    const result = await Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      yield* appendRow(received("a1", { on: "2021-03-01" }))
      yield* appendRow(rejected("a1", "2021-06-01"))
      const before = yield* RowFigures.catchUp(store, checkpoints, request(2022))
      yield* appendRow(received("a2", { on: "2021-09-01" }))
      yield* appendRow(rejected("a2", "2021-10-01"))
      // A scan one row a page: every page is read.
      const otherYear = yield* RowFigures.catchUp(store, checkpoints, request(2021), { page: 1 })
      const same = yield* RowFigures.catchUp(store, checkpoints, request(2022))
      return { before, otherYear, same }
    }).pipe(
      Effect.provide(
        Layer.mergeAll(EventStore.layerMemory({ catalog: Events.eventCatalog }), TestClock.layer())
      ),
      Effect.provideService(ProjectionCheckpoints.ProjectionCheckpoints, checkpoints),
      Effect.runPromise
    )
    const rate = (figure: RowFigures.CaughtUp | undefined) =>
      figure?.values.find((v) => v.id === "approval-rate")
    // Built from zero: a1 received and rejected in 2021, no application in 2022 (no rate at all).
    expect([result.before?.position, result.before?.folded]).toEqual([2, 2])
    expect(result.before?.values).toEqual([])
    // The rows hold 2022's sums only. Scanned: the rows are caught up with a2 (two events folded),
    // then 2021's sums added from both rows. Built again: all four events folded. Either way a1
    // and a2 were rejected in 2021: 0 granted of 2 decided.
    expect([result.otherYear?.position, result.otherYear?.folded]).toEqual([4, scans ? 2 : 4])
    expect(rate(result.otherYear)).toMatchObject({ numerator: 0, denominator: 2 })
    // 2022's sums were kept: read from the rows at the head, nothing folded; still no application
    // in 2022.
    expect([result.same?.position, result.same?.folded]).toEqual([4, 0])
    expect(result.same?.values).toEqual([])
  })
})
