/**
 * The chain digest's scratch buffer (64 KiB at first) grows for a long record. In a file of its
 * own, so that the module starts with its first buffer: a record of more than twice that size
 * must still be hashed whole. Digests from Python's hashlib:
 * `hashlib.sha256(bytes(32) + b"x" * 140000)` and
 * `hashlib.sha256(bytes(range(32)) + ("å" * 70000).encode())`.
 */
import { describe, expect, it } from "vitest"
import { chainDigest } from "../src/HashChain.js"

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
