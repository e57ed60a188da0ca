/**
 * `chainHash`'s own growth of the shared scratch buffer (64 KiB at first), in a file of its own so
 * that it is the first to ask for more: in `HashChainGrowth.test.ts` `chainDigest` has grown the
 * buffer before `chainHash` is called. Digest from Python's hashlib:
 * `hashlib.sha256(bytes(32) + b"x" * 140000)`.
 */
import { describe, expect, it } from "vitest"
import { chainHash } from "../src/HashChain.js"

describe("chainHash on a record longer than twice the first buffer, asked first", () => {
  it("hashes 140,000 ASCII bytes whole", () => {
    expect(chainHash("0".repeat(64), "x".repeat(140_000))).toBe(
      "142a8c58f80e6bb46d936057e6b57f62a571e89aea98d539e5250a5ee1f6e320"
    )
  })
})
