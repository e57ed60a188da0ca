// UUIDv7s beyond the RFC example (mutation testing's targets): what the recogniser refuses (each
// part of the layout broken once, a character before or after), a millisecond below zero or with
// a fraction, too few random bytes, and the clock the effectful form reads. Expected ids written
// out by hand from the RFC 9562 layout.
import { Uuid } from "@utblick/core"
import { Effect } from "effect"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "vitest"

const valid = "017f22e2-79b0-7cc3-98c4-dc0c0c07398f"

describe("Uuid", () => {
  it("recognises the v7 layout only", () => {
    expect(Uuid.isUuidV7(valid)).toBe(true)
    expect(Uuid.isUuidV7("017f22e2-79b0-7cc3-b8c4-dc0c0c07398f")).toBe(true)
    const bad = [
      `x${valid}`,
      `${valid}x`,
      valid.toUpperCase(),
      "017f22e2-79b0-4cc3-98c4-dc0c0c07398f", // version 4
      "017f22e2-79b0-7cc3-c8c4-dc0c0c07398f", // variant 110
      "017f22e2-79b0-7cc3-78c4-dc0c0c07398f", // variant 0
      "017f22e279b0-7cc3-98c4-dc0c0c07398f", // a dash missing
      "017f22e2-79b0-7cc3-98c4-dc0c0c07398", // one digit short
      "017f22g2-79b0-7cc3-98c4-dc0c0c07398f" // not hex
    ]
    expect(bad.map((id) => [id, Uuid.isUuidV7(id)])).toEqual(bad.map((id) => [id, false]))
  })

  it("takes a millisecond below zero as 0, drops a fraction, and pads missing random bytes with zeros", () => {
    expect(Uuid.uuidV7FromParts(-5, new Uint8Array(10))).toBe("00000000-0000-7000-8000-000000000000")
    expect(Uuid.uuidV7FromParts(255.9, new Uint8Array(10))).toBe("00000000-00ff-7000-8000-000000000000")
    expect(Uuid.uuidV7FromParts(256, Uint8Array.from([0x01, 0x02]))).toBe("00000000-0100-7102-8000-000000000000")
  })

  it("draws ten fresh random bytes for each id", () => {
    const a = Uuid.randomIdBytes()
    const copy = Uint8Array.from(a)
    const b = Uuid.randomIdBytes()
    expect([a.length, b.length]).toEqual([10, 10])
    // Two draws of 80 random bits are equal with probability 2^-80.
    expect(Uint8Array.from(b)).not.toEqual(copy)
    expect(Uint8Array.from(a)).toEqual(copy)
  })

  it("stamps an id with the clock's millisecond", async () => {
    const id = await Effect.gen(function* () {
      yield* TestClock.setTime(0x017f22e279b0)
      return yield* Uuid.makeUuidV7
    }).pipe(Effect.provide(TestClock.layer()), Effect.runPromise)
    expect(id.slice(0, 14)).toBe("017f22e2-79b0-")
    expect(Uuid.isUuidV7(id)).toBe(true)
  })
})
