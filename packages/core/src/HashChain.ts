/**
 * The hash chain that links every stored event to the one before it, in global order.
 *
 * `hash_i = SHA-256(prevHash_i ‖ canonical bytes_i)`, with `prevHash_0` = 32 zero bytes. The
 * previous hash is always exactly 32 bytes, so the concatenation is unambiguous.
 *
 * @since 0.1.0
 */
import { hash as hashOnce } from "node:crypto"

/**
 * The `prevHash` of the first event of every log: 32 zero bytes, as lowercase hex.
 *
 * @category constants
 * @since 0.1.0
 */
export const GENESIS_HASH = "0".repeat(64)

const HEX_32 = /^[0-9a-f]{64}$/

/**
 * Whether `value` is a 32-byte hash written as 64 lowercase hex digits.
 *
 * @category guards
 * @since 0.1.0
 */
export const isHash = (value: string): boolean => HEX_32.test(value)

// One reusable buffer holds `prevHash ‖ canonical bytes`: encoding the record into it and hashing
// with the one-shot `crypto.hash` avoids a Hash object and a flattened string copy per event,
// which matters to the append planner and to the verifier alike.
let scratch = Buffer.allocUnsafe(64 * 1024)

// The buffer, large enough for `before` bytes and `canonical` in UTF-8 (at most 3 bytes a UTF-16
// unit): replaced by one of twice that size when it is not, so that growing records regrow it
// only now and then.
const scratchFor = (before: number, canonical: string): Buffer => {
  const needed = before + canonical.length * 3
  if (needed > scratch.length) scratch = Buffer.allocUnsafe(needed * 2)
  return scratch
}

/**
 * `SHA-256(prev ‖ UTF-8(canonical))` as raw bytes, where `prev` is the previous digest's 32 bytes.
 * Equal to {@link chainHash} (which takes and returns hex), for hot loops that chain digests.
 *
 * @category verification
 * @since 0.1.0
 */
export const chainDigest = (prev: Uint8Array, canonical: string): Buffer => {
  const buffer = scratchFor(32, canonical)
  buffer.set(prev.subarray(0, 32), 0)
  const written = buffer.write(canonical, 32, "utf8")
  return hashOnce("sha256", buffer.subarray(0, 32 + written), "buffer") as Buffer
}

/**
 * Computes `SHA-256(prevHash ‖ canonical)` where `prevHash` is hex and `canonical` is the UTF-8
 * encoding of the event's canonical JSON. Returns lowercase hex.
 *
 * **Details**
 *
 * Hex in, hex out, through the same reusable buffer as {@link chainDigest}: asking `crypto.hash`
 * for hex is several times cheaper per call than asking it for a `Buffer` (measured 1.4–2.3 µs
 * against 5–7 µs for an 832-byte record on Node 24), and the hex is what a stored event carries.
 *
 * @category verification
 * @since 0.1.0
 */
export const chainHash = (prevHash: string, canonical: string): string => {
  // `prevHash.length` bytes hold what its hex decodes to: 32 bytes for a hash, and for any other
  // text the bytes `Buffer.from(prevHash, "hex")` gives (up to the first pair that is not hex).
  const buffer = scratchFor(prevHash.length, canonical)
  const before = buffer.write(prevHash, 0, "hex")
  const written = buffer.write(canonical, before, "utf8")
  return hashOnce("sha256", buffer.subarray(0, before + written), "hex")
}
