// Optimistic concurrency's one rule, case by case (mutation testing's targets): which stream
// versions each expected version accepts, and how each is named in a conflict's message.
import { ExpectedVersion } from "@utblick/core"
import { describe, expect, it } from "vitest"

describe("ExpectedVersion", () => {
  it("accepts exactly the versions each expectation names", () => {
    const at = (expected: ExpectedVersion.ExpectedVersion) =>
      [0, 1, 2].map((actual) => ExpectedVersion.isSatisfiedBy(expected, actual))
    expect(at("any")).toEqual([true, true, true])
    expect(at("no-stream")).toEqual([true, false, false])
    expect(at("stream-exists")).toEqual([false, true, true])
    expect(at(0)).toEqual([true, false, false])
    expect(at(1)).toEqual([false, true, false])
    expect(at(2)).toEqual([false, false, true])
    expect([ExpectedVersion.Any, ExpectedVersion.NoStream, ExpectedVersion.StreamExists]).toEqual([
      "any",
      "no-stream",
      "stream-exists"
    ])
  })

  it("names a number as a version and the others by their word", () => {
    expect(["any", "no-stream", "stream-exists", 0, 7].map((e) => ExpectedVersion.describe(e as ExpectedVersion.ExpectedVersion))).toEqual([
      "any",
      "no-stream",
      "stream-exists",
      "version 0",
      "version 7"
    ])
  })
})
