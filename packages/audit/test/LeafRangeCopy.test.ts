// `makeLeafRange(from)` copies: the parallel verifier continues a range from a chunk's, and the
// chunk's own must not move with it (no sequential test reached the copy).
import { describe, expect, it } from "vitest"
import { appendLeaf, makeLeafRange } from "../src/internal/LeafHashing.js"

describe("a leaf range made from another", () => {
  it("has the other's size and nodes, and leaves the other as it was when it grows", () => {
    const from = { size: 1, stack: ["a".repeat(32)] }
    const copy = makeLeafRange(from)
    expect(copy).toEqual({ size: 1, stack: ["a".repeat(32)] })
    appendLeaf(copy, "b".repeat(32))
    expect(copy.size).toBe(2)
    expect(from).toEqual({ size: 1, stack: ["a".repeat(32)] })
    expect(makeLeafRange()).toEqual({ size: 0, stack: [] })
  })
})
