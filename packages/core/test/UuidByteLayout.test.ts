// The bytes of a UUIDv7 built from its parts, at the edges of each field: the largest 48-bit
// millisecond, random bytes with every bit set (the version and variant bits then visibly
// overwrite them), and an eleventh random byte, which is not used. Expected ids written out by hand
// from the RFC 9562 §5.7 layout and checked with an independent implementation in Python:
//
//   import uuid
//   def v7(ms, rnd):
//       b = bytearray(ms.to_bytes(6, "big") + bytes(rnd[:10]).ljust(10, b"\0"))
//       b[6] = (b[6] & 0x0f) | 0x70; b[8] = (b[8] & 0x3f) | 0x80
//       u = uuid.UUID(bytes=bytes(b)); assert u.version == 7 and u.variant == uuid.RFC_4122
//       return str(u)
//   v7(0x017f22e279b0, [0xff] * 11)       # 017f22e2-79b0-7fff-bfff-ffffffffffff
//   v7(0xffffffffffff, list(range(1, 12))) # ffffffff-ffff-7102-8304-05060708090a
//
// (`uuidV7FromParts`' two loops made one round longer, `<` as `<=`, write past the end of its
// 16-byte and 36-character buffers, which typed arrays ignore: docs/reference/mutation.md lists
// them as equivalent. These cases pin every byte and character the loops do write.)
import { Uuid } from "@utblick/core"
import { describe, expect, it } from "vitest"

describe("Uuid.uuidV7FromParts byte layout", () => {
  it("sets the version and variant bits over random bytes that are all ones, and uses ten random bytes only", () => {
    const id = Uuid.uuidV7FromParts(0x017f22e279b0, new Uint8Array(11).fill(0xff))
    expect(id).toBe("017f22e2-79b0-7fff-bfff-ffffffffffff")
    expect(Uuid.isUuidV7(id)).toBe(true)
  })

  it("writes the largest 48-bit millisecond and each random byte in its place", () => {
    const random = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
    expect(Uuid.uuidV7FromParts(0xffffffffffff, random)).toBe("ffffffff-ffff-7102-8304-05060708090a")
    // The same id from the first ten bytes alone: the eleventh changes nothing.
    expect(Uuid.uuidV7FromParts(0xffffffffffff, random.subarray(0, 10))).toBe(
      "ffffffff-ffff-7102-8304-05060708090a"
    )
  })

  it("leaves no character of an earlier, longer-looking id behind in its reused buffer", () => {
    expect(Uuid.uuidV7FromParts(0xffffffffffff, new Uint8Array(10).fill(0xff))).toBe(
      "ffffffff-ffff-7fff-bfff-ffffffffffff"
    )
    expect(Uuid.uuidV7FromParts(0, new Uint8Array(10))).toBe("00000000-0000-7000-8000-000000000000")
  })
})
