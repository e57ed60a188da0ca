// SchemeMapping: groups worked out by hand from the pairs.
import { SchemeMapping } from "@utblick/indicators"
import { describe, expect, it } from "vitest"

// a → z, a → x; b → x, b → y; c → w; d → w. a and b share x, so x, y and z are one group;
// c and d both map into w alone.
// Prepared inside each test (a value built when the file loads would be credited to no test).
const prepare = () =>
  SchemeMapping.prepare({
    mappingId: "m",
    fromSchemeId: "gammal",
    toSchemeId: "ny",
    pairs: [
      { from: "a", to: "z" },
      { from: "a", to: "x" },
      { from: "b", to: "x" },
      { from: "b", to: "y" },
      { from: "c", to: "w" },
      { from: "d", to: "w" }
    ]
  })

describe("SchemeMapping: groups across chains of shared targets", () => {
  it("joins targets reached through a shared target into one group, named in code order", () => {
    const prepared = prepare()
    expect(Object.fromEntries(prepared.targetGroup)).toEqual({ x: "x+y+z", y: "x+y+z", z: "x+y+z", w: "w" })
    expect(Object.fromEntries(prepared.sourceGroup)).toEqual({ a: "x+y+z", b: "x+y+z", c: "w", d: "w" })
  })

  it("mapSource: sums into groups, the rest to unmapped, its codes listed in code order", () => {
    // c 1 + d 6 → w 7; a 2 + b 3 → x+y+z 5; q 4 + p 5 → unmapped 9, listed p, q.
    expect(SchemeMapping.mapSource(prepare(), { c: 1, a: 2, b: 3, q: 4, p: 5, d: 6 })).toEqual({
      grouped: { w: 7, "x+y+z": 5, unmapped: 9 },
      unmappedCodes: ["p", "q"]
    })
  })

  it("groupTarget: sums into groups, keeps what nothing maps into under its own code, listed in code order", () => {
    // y 1 + z 5 → x+y+z 6; w 2; v 3 and u 4 have no counterpart.
    expect(SchemeMapping.groupTarget(prepare(), { y: 1, w: 2, v: 3, u: 4, z: 5 })).toEqual({
      grouped: { "x+y+z": 6, w: 2, v: 3, u: 4 },
      noCounterpart: ["u", "v"]
    })
  })
})
