import { fc, test } from "@fast-check/vitest"
import { Uuid } from "@utblick/core"
import { expect } from "vitest"

test.prop([fc.integer({ min: 0, max: 2 ** 47 }), fc.integer({ min: 1, max: 3000 })])(
  "pooled UUIDv7s are well-formed, carry their timestamp and never repeat, also across pool refills",
  (millis, count) => {
    const ids = Array.from({ length: count }, () => Uuid.uuidV7At(millis))
    expect(ids.every(Uuid.isUuidV7)).toBe(true)
    expect(new Set(ids).size).toBe(count)
    const stamp = Number.parseInt(ids[0]?.replaceAll("-", "").slice(0, 12) ?? "", 16)
    expect(stamp).toBe(millis)
  }
)
