import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as EventIdLists from "../src/EventIdLists.js"

describe("EventIdLists", () => {
  it("keeps each listed entity's ids in the order given, and nothing of other keys", () => {
    const ids = EventIdLists.make(["a", "b", "c"], true)
    for (const [k, id] of [
      ["a", "e1"],
      ["x", "e2"],
      ["b", "e3"],
      ["a", "e4"],
      ["a", "e5"],
      ["b", "e6"]
    ] as const)
      ids.add(k, id)
    // By hand: a got e1, e4, e5; b got e3, e6; c nothing; x is not listed.
    expect([ids.every("a"), ids.every("b"), ids.every("c"), ids.every("x")]).toEqual([
      ["e1", "e4", "e5"],
      ["e3", "e6"],
      [],
      []
    ])
    expect([ids.joined("a"), ids.joined("b"), ids.joined("c")]).toEqual(["e1 e4 e5", "e3 e6", ""])
    expect([ids.count("a"), ids.count("b"), ids.count("c"), ids.count("x")]).toEqual([3, 2, 0, 0])
    expect([ids.first("a"), ids.first("b"), ids.first("c"), ids.first("x")]).toEqual([
      "e1",
      "e3",
      undefined,
      undefined
    ])
  })

  it("for a table, counts every id but keeps only the first", () => {
    const ids = EventIdLists.make(["a", "b"], false)
    for (const id of ["e1", "e2", "e3"]) ids.add("a", id)
    ids.add("b", "e4")
    expect([ids.count("a"), ids.first("a"), ids.every("a"), ids.joined("b")]).toEqual([3, "e1", ["e1"], "e4"])
  })

  it("gives back ids of any characters: Latin-1 in its bytes, wider ones as they were", () => {
    // "ü" (U+00FC) fits one byte; "ő" (U+0151), a surrogate pair and a lone surrogate do not.
    const given = ["händelse-ü", "id-ő", "id-😀", "lone-\uD800", "", "plain"]
    const ids = EventIdLists.make(["k"], true)
    for (const id of given) ids.add("k", id)
    expect(ids.every("k")).toEqual(given)
    expect(ids.count("k")).toBe(6)
  })

  it("past its first mebibyte of characters and first 1,024 ids, gives back every id", () => {
    // 40,000 ids of 1 to 61 characters (about 1.2 MB, so some fall across the end of the first
    // mebibyte) over 7 entities in turn: entity i gets the ids n with n % 7 === i, in increasing n.
    const id = (n: number) => `${n}-${"x".repeat(n % 55)}`
    const keys = Array.from({ length: 7 }, (_, i) => `k${i}`)
    const ids = EventIdLists.make(keys, true)
    for (let n = 0; n < 40000; n++) ids.add(`k${n % 7}`, id(n))
    for (let i = 0; i < 7; i++) {
      const expected = []
      for (let n = i; n < 40000; n += 7) expected.push(id(n))
      expect(ids.every(`k${i}`)).toEqual(expected)
    }
  })

  it("keeps an id longer than 65,535 characters whole, between short ones", () => {
    const long = "y".repeat(70000)
    const ids = EventIdLists.make(["k"], true)
    for (const id of ["a", long, "b"]) ids.add("k", id)
    expect(ids.every("k")).toEqual(["a", long, "b"])
  })

  it("agrees with a list of arrays for random keys and ids", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ maxLength: 4 }), { maxLength: 6 }),
        fc.array(fc.tuple(fc.string({ maxLength: 4 }), fc.string({ unit: "grapheme", maxLength: 12 })), {
          maxLength: 200
        }),
        fc.boolean(),
        (keys, adds, everyId) => {
          const ids = EventIdLists.make(keys, everyId)
          const model = new Map(keys.map((k) => [k, [] as Array<string>]))
          for (const [k, id] of adds) {
            ids.add(k, id)
            model.get(k)?.push(id)
          }
          for (const [k, all] of model) {
            const kept = everyId ? all : all.slice(0, 1)
            expect(ids.count(k)).toBe(all.length)
            expect(ids.first(k)).toBe(all[0])
            expect(ids.every(k)).toEqual(kept)
            expect(ids.joined(k)).toBe(kept.join(" "))
          }
        }
      )
    )
  })
})
