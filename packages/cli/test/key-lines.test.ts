import { describe, expect, it } from "vitest"
import { makeKeyLines } from "../src/CommandImport.js"

describe("the first line of each idempotency key in a file", () => {
  it("finds a repeated key's first line, across table growth, and no false repeats", () => {
    const keys = makeKeyLines()
    const firstPass: Array<number | undefined> = []
    for (let i = 1; i <= 200_000; i++) firstPass.push(keys.firstLine(`lulea-kommun/ProposeTrip/trip-${i}`, i))
    expect(firstPass.filter((x) => x !== undefined)).toEqual([])
    // Line 200 001 repeats the key of line 1; line 200 002 that of line 123 456.
    expect(keys.firstLine("lulea-kommun/ProposeTrip/trip-1", 200_001)).toBe(1)
    expect(keys.firstLine("lulea-kommun/ProposeTrip/trip-123456", 200_002)).toBe(123_456)
  })
})
