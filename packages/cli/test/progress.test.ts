import { describe, expect, it } from "vitest"
import * as Progress from "../src/Progress.js"

describe("progress lines", () => {
  it("show share, count, rate and time left in sv-SE figures", () => {
    // Half of the bytes in 10 s: 5,000 lines at 500 lines/s, so 10 s left.
    expect(Progress.describe("Importing x.csv", 50, 100, 5_000, 10, "lines")).toBe(
      "Importing x.csv 50 % · 5\u00a0000 lines · 500 lines/s · 10 s left"
    )
    // A tenth in 20 s: 180 s left.
    expect(Progress.describe("Importing", 10, 100, 1_234_567, 20, "lines")).toBe(
      "Importing 10 % · 1\u00a0234\u00a0567 lines · 61\u00a0728 lines/s · 3 min 00 s left"
    )
  })
})
