// The finish of the year sums (ADR 0046) for sums that lack what a grant's contribution always
// writes beside a category count: a count moved below 0, a code without its first position. The
// values are worked out by hand from literal sums; `YearSumsFinish.test.ts` holds the usual cases.
import { describe, expect, it } from "vitest"
import { finishOne, PS, rows, S, sumsOf } from "./fixtures/yearSumsRecords.js"

// A grant's order as the sums write it: 16 digits.
const p = (n: number) => String(n).padStart(16, "0")

describe("YearSums finish: granted by category from incomplete sums", () => {
  it("a code whose count is below 0 is not listed; its amount is left unclassified", () => {
    const sums = sumsOf([
      ["amount", PS, 1000],
      ["cat", `s1${S}A`, 1],
      ["cat-amount", `s1${S}A`, 400],
      [`cat-first${S}s1${S}A`, p(2), 1],
      ["cat", `s1${S}B`, -1],
      ["cat-amount", `s1${S}B`, 300],
      [`cat-first${S}s1${S}B`, p(1), 1]
    ])
    // B (count −1) left out: A 400 of 1 000 = 40 %, unclassified 1 000 − 400 = 600 → 60 %.
    // (Were B listed, it would come first, at p(1): B 30, A 40, unclassified 30.)
    expect(
      finishOne(sums, "granted-by-category", { year: 2022 }).map((v) => [v.scheme, v.value, rows(v)])
    ).toStrictEqual([
      [
        "s1",
        1000,
        [
          ["A", 40],
          ["unclassified", 60]
        ]
      ]
    ])
  })

  it("a code without a first position sorts before the codes that have one", () => {
    // A added first, at position 5; B has no `cat-first` namespace at all: its least position is
    // "", below every 16-digit position, so B comes first although it was added second.
    const sums = sumsOf([
      ["amount", PS, 1000],
      ["cat", `s1${S}A`, 1],
      ["cat-amount", `s1${S}A`, 200],
      [`cat-first${S}s1${S}A`, p(5), 1],
      ["cat", `s1${S}B`, 1],
      ["cat-amount", `s1${S}B`, 300]
    ])
    // B 300, A 200 of 1 000 → 30 / 20 %; unclassified 1 000 − 500 = 500 → 50 %.
    expect(finishOne(sums, "granted-by-category", { year: 2022 }).map(rows)).toStrictEqual([
      [
        ["B", 30],
        ["A", 20],
        ["unclassified", 50]
      ]
    ])
  })
})
