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

// A previous hash that is not 64 hex digits hashes the bytes Node's hex decoding gives
// (it stops at the first pair that is not hex). Digests from Python's hashlib:
// `sha256(bytes.fromhex("ab" * 33) + b"{}")`, `sha256(b"{}")`, `sha256(bytes.fromhex("ab" * 31) + b"{}")`.
describe("chainHash's previous hash when it is not 64 hex digits", () => {
  it("hashes all 33 bytes of 66 hex digits, not the first 32", () => {
    expect(chainHash("ab".repeat(33), "{}")).toBe(
      "753d07530ea85c75d5393f1f06f57ca8878a9a5f9012bf3696c7d1af548088ca"
    )
  })

  it("hashes no byte of 64 characters that are not hex, and 31 of 62 hex digits and a pair that is not", () => {
    expect(chainHash("zz".repeat(32), "{}")).toBe(
      "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
    )
    expect(chainHash(`${"ab".repeat(31)}zz`, "{}")).toBe(
      "9ae1ef627a643a66f2cc23624d4b017fc7cfefffff812baa78301f3a35d836be"
    )
  })
})
