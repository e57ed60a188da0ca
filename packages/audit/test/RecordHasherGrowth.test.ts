// The verifier's record hasher past its first 16 KiB buffer, against node:crypto's SHA-256 of
// `prev ‖ UTF-8(record)` and RFC 9162's leaf `SHA-256(0x00 ‖ digest)` computed here: a record
// more than twice the buffer at once (a buffer grown only to twice its size would cut it), one of
// three-byte characters, and records of one length before and after a growth (a view of the old
// buffer must not be reused).
import { createHash } from "node:crypto"
import { describe, expect, it } from "vitest"
import { makeRecordHasher } from "../src/internal/LeafHashing.js"

const chainOf = (prevHex: string, record: string) =>
  createHash("sha256").update(Buffer.from(prevHex, "hex")).update(record, "utf8").digest("hex")
const leafOf = (hex: string) =>
  createHash("sha256")
    .update(Buffer.from([0]))
    .update(Buffer.from(hex, "hex"))
    .digest()
    .toString("latin1")

describe("the record hasher's buffer", () => {
  it("hashes a record of 40 000 bytes, more than twice the first buffer, and chains on from it", () => {
    const prev = "ab".repeat(32)
    const big = `{"a":"${"x".repeat(40_000 - 8)}"}`
    const hasher = makeRecordHasher()
    hasher.start(prev)
    const h1 = hasher.chain(big)
    expect(h1).toBe(chainOf(prev, big))
    expect(hasher.accept(h1)).toBe(leafOf(h1))
    const h2 = hasher.chain("{}")
    expect(h2).toBe(chainOf(h1, "{}"))
    expect(hasher.accept(h2)).toBe(leafOf(h2))
  })

  it("hashes three-byte characters by their UTF-8 bytes, past the buffer", () => {
    const prev = "cd".repeat(32)
    const euros = `{"a":"${"€".repeat(6000)}"}`
    const hasher = makeRecordHasher()
    hasher.start(prev)
    expect(hasher.chain(euros)).toBe(chainOf(prev, euros))
  })

  it("hashes records of one length alike before and after the buffer grew", () => {
    const prev = "ef".repeat(32)
    const hasher = makeRecordHasher()
    hasher.start(prev)
    const a = hasher.chain('{"a":"xy"}')
    expect(a).toBe(chainOf(prev, '{"a":"xy"}'))
    hasher.accept(a)
    const big = `{"a":"${"y".repeat(20_000)}"}`
    const b = hasher.chain(big)
    expect(b).toBe(chainOf(a, big))
    hasher.accept(b)
    const c = hasher.chain('{"a":"zw"}')
    expect(c).toBe(chainOf(b, '{"a":"zw"}'))
    // Starting again from another hash after the growth keeps the record's bytes.
    hasher.start(prev)
    expect(hasher.chain('{"a":"zw"}')).toBe(chainOf(prev, '{"a":"zw"}'))
  })
})
