/**
 * What the canonical-form tests of the verifier share: an empty set of envelope fields, core's
 * RFC 8785 `canonicalize` as the independent reference (or `undefined` for a value it refuses to
 * write), and the envelope fields of a parsed record as the reference reads them.
 */
import { fc } from "@fast-check/vitest"
import { canonicalize, type JsonValue } from "@utblick/core/CanonicalJson"
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
