/**
 * What the canonical-form tests of the verifier share: an empty set of envelope fields, core's
 * RFC 8785 `canonicalize` as the independent reference (or `undefined` for a value it refuses to
 * write), and the envelope fields of a parsed record as the reference reads them.
 */
import { fc } from "@fast-check/vitest"
import { canonicalize, type JsonValue } from "@utblick/core/CanonicalJson"
import { isCanonicalOf } from "../src/internal/CanonicalCheck.js"
import type { EnvelopeFields } from "../src/internal/CanonicalScan.js"

/** Envelope fields not yet read. */
export const freshFields = (): EnvelopeFields => ({
  v: undefined,
  position: undefined,
  origin: undefined,
  recordedAt: undefined,
  streamId: undefined,
  streamVersion: undefined,
  streamPrev: undefined
})

/** Core's canonical form of `value`, or `undefined` for -0 and the other values core refuses. */
export const safeCanonical = (value: unknown): string | undefined => {
  try {
    return canonicalize(value as JsonValue)
  } catch {
    return undefined
  }
}

/** The envelope fields of a parsed record. */
export const envelopeFieldsOf = (p: Record<string, unknown>): Record<string, unknown> => ({
  v: p.v,
  position: p.position,
  origin: p.origin,
  recordedAt: p.recordedAt,
  streamId: p.streamId,
  streamVersion: p.streamVersion,
  streamPrev: p.streamPrev
})

/** A SHA-256 in hex. */
export const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/)

/** What the exact path concludes: the parsed record if its text is canonical, else undefined. */
export const exactFields = (text: string): Record<string, unknown> | undefined => {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return undefined
  }
  if (!isCanonicalOf(parsed, text) || typeof parsed !== "object" || parsed === null) return undefined
  return parsed as Record<string, unknown>
}

/** Envelopes with every verifier field of any type the scans must sort out. */
export const envelopeArbitrary = fc.record({
  v: fc.oneof(fc.constant(1), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
  position: fc.oneof(fc.nat(), fc.maxSafeInteger(), fc.double({ noNaN: true, noDefaultInfinity: true })),
  origin: fc.string(),
  recordedAt: fc.string(),
  streamId: fc.string({ unit: "binary" }),
  streamVersion: fc.oneof(fc.nat({ max: 1000 }), fc.constant(1e21), fc.constant(0.5)),
  streamPrev: fc.option(hex64, { nil: null }),
  payload: fc.jsonValue({ maxDepth: 4 }),
  type: fc.string()
})
