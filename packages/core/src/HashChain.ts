/**
 * The hash chain that links every stored event to the one before it, in global order.
 *
 * `hash_i = SHA-256(prevHash_i ‖ canonical bytes_i)`, with `prevHash_0` = 32 zero bytes. The
 * previous hash is always exactly 32 bytes, so the concatenation is unambiguous.
 *
 * @since 0.1.0
 */
import { createHash } from "node:crypto"

/**
 * The `prevHash` of the first event of every log: 32 zero bytes, as lowercase hex.
 *
 * @category constructors
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

/**
 * Computes `SHA-256(prevHash ‖ canonical)` where `prevHash` is hex and `canonical` is the UTF-8
 * encoding of the event's canonical JSON. Returns lowercase hex.
 *
 * @category constructors
 * @since 0.1.0
 */
export const chainHash = (prevHash: string, canonical: string): string =>
  createHash("sha256").update(Buffer.from(prevHash, "hex")).update(canonical, "utf8").digest("hex")
