// The finish of the year sums (ADR 0046): two branches that the property runs of
// `YearSums.test.ts`, under the mutation runs' fixed seed, did not tell apart — memberships with no
// other relation, and a goal code whose least position is not the last one added. Values worked
// out by hand from literal sums.
import type { YearSums } from "@utblick/indicators"
import { describe, expect, it } from "vitest"
import { emptyWhole, finishOne, one, rows, S, sumsOf } from "./fixtures/yearSumsRecords.js"

describe("YearSums finish: branches the property runs missed", () => {
  it("active memberships without any other relation still make a value", () => {
    const whole: YearSums.Whole = {
      ...emptyWhole(),
      organisations: new Map([
        ["org-a", { name: "A", focusArea: "eu" }],
        ["org-b", { name: "B", focusArea: "other" }]
      ])
    }
    // act1 is a member of org-a (eu) and org-b (other): 2 memberships, no relation, none undated.
    const v = one(
      finishOne(
        sumsOf([
          ["member", `act1${S}org-a`, 1],
          ["member", `act1${S}org-b`, 1]
        ]),
        "active-memberships",
        { year: 2022 },
        whole
      ),
      "active-memberships"
    )
    expect([v.value, ...rows(v)]).toStrictEqual([
      2,
      ["regional-arctic", 0],
      ["eu", 1],
      ["other", 1],
      ["join-date-unknown", 0]
    ])
  })

  it("goal coverage: a code's least position wins although a greater one was added after it", () => {
    const trip = (departOn: string, id: string) => ["0000", "0", departOn, id].join(S)
    const project = (order: number) => ["0000", "2", String(order).padStart(16, "0")].join(S)
    // X: a trip of 2022-01-01 added first, then a project (projects come after every trip);
    // Y: a trip of 2022-06-01. X's least position is its trip, before Y's: X, then Y. (Were the
    // last position added kept, X would be at its project, after Y.)
    const sums = sumsOf([
      ["goal-items", "", 4],
      ["goal-covered", "g", 2],
      ["goal", `g${S}X`, 2],
      [`goal-first${S}g${S}X`, trip("2022-01-01", "tr-a"), 1],
      [`goal-first${S}g${S}X`, project(0), 1],
      ["goal", `g${S}Y`, 1],
      [`goal-first${S}g${S}Y`, trip("2022-06-01", "tr-b"), 1]
    ])
    const v = one(
      finishOne(sums, "goal-coverage", { year: 2022, goalsSchemeId: "g" }, emptyWhole()),
      "goal-coverage"
    )
    // Scheme g not in the registry: no categories first. 2 of 4 items covered = 50 %.
    expect([v.value, v.numerator, v.denominator, ...rows(v)]).toStrictEqual([50, 2, 4, ["X", 2], ["Y", 1]])
  })
})
