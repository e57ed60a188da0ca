/**
 * The chain digest's scratch buffer (64 KiB at first) grows for a long record. In a file of its
 * own, so that the module starts with its first buffer: a record of more than twice that size
 * must still be hashed whole. Digests from Python's hashlib:
 * `hashlib.sha256(bytes(32) + b"x" * 140000)` and
 * `hashlib.sha256(bytes(range(32)) + ("å" * 70000).encode())`.
 */
import { describe, expect, it } from "vitest"
import { chainDigest, chainHash } from "../src/HashChain.js"

describe("chainDigest on records longer than twice its first buffer", () => {
  it("hashes 140,000 ASCII bytes whole", () => {
    expect(chainDigest(new Uint8Array(32), "x".repeat(140_000)).toString("hex")).toBe(
      "142a8c58f80e6bb46d936057e6b57f62a571e89aea98d539e5250a5ee1f6e320"
    )
  })

  it("hashes 70,000 two-byte characters whole", () => {
    const prev = Uint8Array.from({ length: 32 }, (_, i) => i)
    expect(chainDigest(prev, "å".repeat(70_000)).toString("hex")).toBe(
      "d91bd39e552f62700e2217efec043e2628875b1bedd42ab947a6d74744c45d9a"
    )
  })
})

describe("chainHash (hex in, hex out) on the same records", () => {
  it("hashes 140,000 ASCII bytes whole", () => {
    expect(chainHash("0".repeat(64), "x".repeat(140_000))).toBe(
      "142a8c58f80e6bb46d936057e6b57f62a571e89aea98d539e5250a5ee1f6e320"
    )
  })

  it("hashes 70,000 two-byte characters whole, and a short record after it with nothing left over", () => {
    const prev = Buffer.from(Uint8Array.from({ length: 32 }, (_, i) => i)).toString("hex")
    expect(chainHash(prev, "å".repeat(70_000))).toBe("d91bd39e552f62700e2217efec043e2628875b1bedd42ab947a6d74744c45d9a")
    // hashlib.sha256(bytes(32) + b"{}")
    expect(chainHash("0".repeat(64), "{}")).toBe("fb1634c4e6cd4b1f1afe3ce2d6ef080f7ac5d1f357d723ad4dfca782733b62db")
  })

  it("reads an upper-case previous hash as its bytes, and hashes a prefix of other length as the bytes it decodes to", () => {
    // hashlib.sha256(bytes.fromhex("AB" * 32) + '{"a":"€"}'.encode())
    expect(chainHash("AB".repeat(32), '{"a":"€"}')).toBe("9869480475d8dc551b21e7cdb8cd4b6f01ec10a3c189abe7bce5924e2f72dce2")
    // hashlib.sha256(bytes.fromhex("ab" * 16) + b"{}"): 16 bytes, not 32 (no stale bytes of the buffer)
    expect(chainHash("ab".repeat(16), "{}")).toBe("d4776e32c4c354184558457edea9c9d34858c697d9ebc2cce93f4618b0fa34fd")
  })
})
