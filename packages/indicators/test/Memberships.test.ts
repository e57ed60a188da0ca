// family/Memberships.ts: active memberships — against figures worked out BY HAND from the synthetic
// events in fixtures/handComputed.ts (the working is in the comments; see fixtures/reports.ts).
import { beforeEach, describe, expect, it } from "vitest"
import { events as allocationGoals, C } from "./fixtures/allocationGoals.js"
import { absent, get, handComputedReports, type Report, reportsOf, row } from "./fixtures/reports.js"

let a2022own: Report
let a2022: Report
let a2020: Report
let b2022: Report

// Built before EACH test, not once: Stryker attributes what a hook computes to the test it runs
// for, so each mutant is run against the tests that read it (a once-only hook would make every
// mutant "static" and run the whole suite for it).
beforeEach(async () => {
  ;({ a2022own, a2022, a2020, b2022 } = await handComputedReports())
})

describe("active-memberships (by actor)", () => {
  it("all actors: 3 proper (2 EU, 1 Arctic) + 1 signatory; the ended one is gone", () => {
    // org-eu (A, member), org-arktis (A, founder), org-energi (the company, member);
    // org-gammal ended 2020-12-31; org-avtal is a signatory, counted apart.
    const v = get(a2022, "active-memberships")
    expect(v.value).toBe(3)
    expect(Object.fromEntries(v.breakdown.map((r) => [r.key, r.value]))).toEqual({
      eu: 2,
      "regional-arctic": 1,
      other: 0,
      // Every join date in the data is exact.
      "join-date-unknown": 0,
      "relation:signatory": 1
    })
  })

  it("the municipality itself: 2", () => {
    expect(get(a2022own, "active-memberships").value).toBe(2)
  })

  it("2020: the old membership ended on 2020-12-31, within the year → 3 for all actors", () => {
    // org-gammal ended 2020-12-31, which is within 2020: ended by the year end → 3.
    expect(get(a2020, "active-memberships").value).toBe(3)
  })
})

describe("active-memberships: join dates unknown, other relations", () => {
  it("C 2022: 4 memberships proper, 3 of them with an unknown join date, documented on two dates", async () => {
    // org-c1 (eu) and org-c4 (eu) recorded 2021-10-07 without a join date; org-c3
    // (regional-arctic, founder) recorded 2020-05-05 without one; org-c2 (other) joined in 2015
    // (a year is a known date). The company's signatory relation is counted apart.
    const [c2022] = await reportsOf(allocationGoals, [{ year: 2022, tenant: C }])
    const v = get(c2022!, "active-memberships")
    expect(v.value).toBe(4)
    expect(v.breakdown.map((r) => [r.key, r.label, r.value])).toEqual([
      ["regional-arctic", "Regional / Arctic", 1],
      ["eu", "EU", 2],
      ["other", "Other", 1],
      ["join-date-unknown", "Of which join date unknown (first documented 2020-05-05, 2021-10-07)", 3],
      // The company's relations, by kind in code order (recorded signatory first).
      ["relation:consortium-partner", "Other relations: consortium-partner", 1],
      ["relation:signatory", "Other relations: signatory", 1]
    ])
  })

  it("C 2019: only what was recorded by then — org-c2 (joined 2015) and the company's relations", async () => {
    const [c2019] = await reportsOf(allocationGoals, [{ year: 2019, tenant: C }])
    const v = get(c2019!, "active-memberships")
    expect(v.value).toBe(1)
    expect(row(v, "join-date-unknown")).toMatchObject({ label: "Of which join date unknown", value: 0 })
  })

  it("an actor with other relations only: shown with 0 memberships, not left out", async () => {
    const [bolag] = await reportsOf(allocationGoals, [{ year: 2022, tenant: C, actorId: "test-bolag-c" }])
    const v = get(bolag!, "active-memberships")
    expect(v.value).toBe(0)
    expect(Object.fromEntries(v.breakdown.map((r) => [r.key, r.value]))).toEqual({
      "regional-arctic": 0,
      eu: 0,
      other: 0,
      "join-date-unknown": 0,
      "relation:consortium-partner": 1,
      "relation:signatory": 1
    })
  })

  it("the municipality itself (C 2022): 4 memberships and no other relation", async () => {
    const [own] = await reportsOf(allocationGoals, [{ year: 2022, tenant: C, actorId: C }])
    const v = get(own!, "active-memberships")
    expect(v.value).toBe(4)
    expect(v.breakdown.map((r) => r.key)).toEqual(["regional-arctic", "eu", "other", "join-date-unknown"])
  })

  it("a tenant with no relation at all has no membership indicator", () => {
    expect(absent(b2022, "active-memberships")).toBe(true)
  })
})
