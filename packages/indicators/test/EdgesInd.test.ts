// Cases written against mutants that survived the indicators' mutation runs (issue 14; see
// docs/reference/mutation.md, run hM21). Each expected value is worked out by hand in a comment.
import { describe, expect, it } from "vitest"
import * as PerInhabitant from "../src/PerInhabitant.js"

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
