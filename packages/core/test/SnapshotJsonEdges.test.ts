// The JSON text of projection snapshots (mutation testing's targets): the exact text a `Map` and a
// `Set` are written as, and which objects are read back as one — only an object whose one key is
// a tag and whose value under it is an array. Expected texts written out by hand.
import * as SnapshotJson from "@utblick/core/SnapshotJson"
import { describe, expect, it } from "vitest"

describe("SnapshotJson.stringify", () => {
  it("writes a Map as its entries and a Set as its values under a tag, nested too", () => {
    expect(SnapshotJson.stringify(new Map([["a", 1]]))).toBe('{"~utblick/Map":[["a",1]]}')
    expect(SnapshotJson.stringify(new Set([2, 1]))).toBe('{"~utblick/Set":[2,1]}')
    expect(SnapshotJson.stringify({ m: new Map([["k", new Set(["x"])]]), n: [1, null], s: "t" })).toBe(
      '{"m":{"~utblick/Map":[["k",{"~utblick/Set":["x"]}]]},"n":[1,null],"s":"t"}'
    )
    expect(SnapshotJson.stringify({ a: 1, b: [1, 2] })).toBe('{"a":1,"b":[1,2]}')
  })
})

describe("SnapshotJson.parse", () => {
  it("reads the tagged arrays back as a Map and a Set, nested too", () => {
    const state = SnapshotJson.parse('{"m":{"~utblick/Map":[["k",{"~utblick/Set":["x",2]}]]},"n":[1,null]}') as {
      m: Map<string, Set<unknown>>
      n: Array<unknown>
    }
    expect(state.m).toBeInstanceOf(Map)
    expect([...state.m.keys()]).toEqual(["k"])
    expect(state.m.get("k")).toBeInstanceOf(Set)
    expect([...(state.m.get("k") as Set<unknown>)]).toEqual(["x", 2])
    expect(state.n).toEqual([1, null])
    expect(SnapshotJson.parse('{"~utblick/Set":[]}')).toEqual(new Set())
    expect(SnapshotJson.parse('{"~utblick/Map":[]}')).toEqual(new Map())
  })

  it("leaves every other value as JSON.parse reads it", () => {
    // A tag that is not the object's only key, a tag whose value is not an array, a one-key
    // object of another key, an empty object, null, arrays and scalars.
    const plain = (text: string) => {
      const value = SnapshotJson.parse(text)
      expect(value).not.toBeInstanceOf(Map)
      expect(value).not.toBeInstanceOf(Set)
      return value
    }
    expect(plain('{"~utblick/Map":[["a",1]],"x":1}')).toEqual({ "~utblick/Map": [["a", 1]], x: 1 })
    expect(plain('{"~utblick/Set":[1],"x":1}')).toEqual({ "~utblick/Set": [1], x: 1 })
    expect(plain('{"~utblick/Map":5}')).toEqual({ "~utblick/Map": 5 })
    expect(plain('{"~utblick/Set":"ab"}')).toEqual({ "~utblick/Set": "ab" })
    expect(plain('{"~utblick/Map":{"0":["a",1]}}')).toEqual({ "~utblick/Map": { "0": ["a", 1] } })
    expect(plain('{"other":[["a",1]]}')).toEqual({ other: [["a", 1]] })
    expect(plain('{"other":[1]}')).toEqual({ other: [1] })
    expect(plain("{}")).toEqual({})
    expect(plain('{"a":null}')).toEqual({ a: null })
    expect(plain("null")).toBe(null)
    expect(plain('[["a",1]]')).toEqual([["a", 1]])
    expect(plain('"~utblick/Map"')).toBe("~utblick/Map")
    expect(plain("7")).toBe(7)
  })

  it("a Set tag holds values, not entries: the two tags are not interchangeable", () => {
    expect([...(SnapshotJson.parse('{"~utblick/Set":[["a",1]]}') as Set<unknown>)]).toEqual([["a", 1]])
    expect([...(SnapshotJson.parse('{"~utblick/Map":[["a",1]]}') as Map<unknown, unknown>).entries()]).toEqual([["a", 1]])
  })

  it("throws a SyntaxError on text that is not JSON", () => {
    expect(() => SnapshotJson.parse("{not json")).toThrow(SyntaxError)
  })
})
