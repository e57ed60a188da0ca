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

test("a UUIDv7 from its parts is the RFC 9562 layout: the worked example of appendix A.6, and the version and variant bits forced", () => {
  // RFC 9562 A.6: unix_ts_ms 0x017F22E279B0, rand_a 0xCC3, rand_b 0x18C4DC0C0C07398F.
  const example = Uint8Array.from([0x0c, 0xc3, 0x18, 0xc4, 0xdc, 0x0c, 0x0c, 0x07, 0x39, 0x8f])
  expect(Uuid.uuidV7FromParts(0x017f22e279b0, example)).toBe("017f22e2-79b0-7cc3-98c4-dc0c0c07398f")
  // All ones: the version nibble becomes 7 and the variant bits 10, whatever the random bytes say.
  expect(Uuid.uuidV7FromParts(2 ** 48 - 1, new Uint8Array(10).fill(0xff))).toBe("ffffffff-ffff-7fff-bfff-ffffffffffff")
  expect(Uuid.uuidV7FromParts(0, new Uint8Array(10))).toBe("00000000-0000-7000-8000-000000000000")
  // A millisecond with bits on both sides of the 24-bit split.
  expect(Uuid.uuidV7FromParts(0x0123456789ab, new Uint8Array(10))).toBe("01234567-89ab-7000-8000-000000000000")
})
