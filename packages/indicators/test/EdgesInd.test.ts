// Cases written against mutants that survived the indicators' mutation runs (issue 14; see
// docs/reference/mutation.md, run hM21). Each expected value is worked out by hand in a comment.
import { deserialize } from "node:v8"
import { ProjectionCheckpoints } from "@utblick/core"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import * as PerInhabitant from "../src/PerInhabitant.js"
import * as PersistedFigures from "../src/PersistedFigures.js"
import * as RowFigures from "../src/RowFigures.js"
import * as YearReport from "../src/YearReport.js"
import { R1 } from "./fixtures/randomHistory.js"
import { appendRow, received, rejected, runWith, unavailable } from "./fixtures/rowEvents.js"

describe("PerInhabitant: a population below zero", () => {
  it("is no population: no figure, not a negative one", () => {
    // Taken as a population, 100 öre over -5 inhabitants would be -20 öre per inhabitant, and
    // 30 jobs over -2 000 inhabitants -15 per 1 000: both are no data instead.
    expect(PerInhabitant.row({ unit: "ore", value: 100 }, -5)).toEqual({
      key: "per-inhabitant",
      label: "Per inhabitant",
      value: null,
      unit: "ore"
    })
    expect(PerInhabitant.row({ unit: "jobs", value: 30 }, -2000)).toEqual({
      key: "per-1000-inhabitants",
      label: "Per 1 000 inhabitants",
      value: null,
      unit: "ratio"
    })
    // One inhabitant, the smallest population there is: 100 öre each, 30 000 jobs per 1 000.
    expect(PerInhabitant.row({ unit: "ore", value: 100 }, 1)?.value).toBe(100)
    expect(PerInhabitant.row({ unit: "jobs", value: 30 }, 1)?.value).toBe(30_000)
  })
})

describe("YearReport: rows planned after a catch-up gave up", () => {
  it("two requests of one time filter share one plan: the rows keep both sums", async () => {
    const checkpoints = ProjectionCheckpoints.makeMemory()
    const rows = checkpoints.rows as ProjectionCheckpoints.CheckpointRows
    // No row can be loaded: a catch-up that needs one gives up, and the reports are computed from
    // the read models, their rows planned there (saves and the checkpoint itself still work).
    const unreadable: ProjectionCheckpoints.ProjectionCheckpointsShape = {
      ...checkpoints,
      rows: { ...rows, load: () => Effect.fail(unavailable("load rows")) }
    }
    const r2022 = { year: 2022, asOf: "2022-12-31", tenant: R1 } as const
    const r2021 = { ...r2022, year: 2021 } as const
    const key = RowFigures.keyOf(PersistedFigures.timeFilterOf(r2022))
    const kept = Effect.map(checkpoints.load(key), (saved) => ({
      position: saved?.position,
      sums: (
        deserialize((saved as ProjectionCheckpoints.Checkpoint).state) as {
          readonly sums: ReadonlyArray<readonly [string, unknown]>
        }
      ).sums.map(([k]) => k)
    }))
    const result = await runWith(checkpoints)(
      Effect.gen(function* () {
        yield* appendRow(received("a1"))
        yield* YearReport.figuresForRequests([r2021, r2022])
        const before = yield* kept
        yield* appendRow(rejected("a1", "2022-04-01"))
        const reports = yield* YearReport.figuresForRequests([r2021, r2022]).pipe(
          Effect.provideService(ProjectionCheckpoints.ProjectionCheckpoints, unreadable)
        )
        return { before, reports, after: yield* kept }
      })
    )
    // Both years' sums, in the order asked, kept at 1 (a1 received) and at 2 after the rejection.
    expect(result.before).toEqual({ position: 1, sums: ['{"year":2021}', '{"year":2022}'] })
    // The catch-up of a1's rejection needs a1's row, which cannot be loaded: both reports are
    // computed. 2022: a1 received and rejected, 0 granted of 1 decided.
    expect(result.reports.map((r) => r.position)).toEqual([2, 2])
    expect(result.reports[1]?.values.find((v) => v.id === "approval-rate")).toMatchObject({
      numerator: 0,
      denominator: 1
    })
    // The 2021 request plans every row at 2 with its sum; the 2022 request, of the same time
    // filter, adds its sum to that plan (not to the rows kept at 1, which would plan them anew
    // with 2022's sum alone).
    expect(result.after).toEqual({ position: 2, sums: ['{"year":2021}', '{"year":2022}'] })
  })
})
