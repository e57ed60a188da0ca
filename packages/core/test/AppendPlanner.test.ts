import { createHash } from "node:crypto"
import { fc, test } from "@fast-check/vitest"
import { CanonicalJson, HashChain } from "@utblick/core"
import * as AppendPlanner from "@utblick/core/AppendPlanner"
import { Result } from "effect"
import { describe, expect } from "vitest"

// Text that JSON must escape: quotes, backslashes, control characters, non-BMP characters.
const text = fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 }).map((s) => `${s}"\\\u0001\u2028😀`)

describe("the planner's record bytes", () => {
  test.prop(
    [
      fc.record({
        actorId: text,
        role: text,
        decisionRef: fc.option(text, { nil: null }),
        correlationId: fc.option(text, { nil: undefined }),
        causationId: fc.option(text, { nil: null }),
        payload: fc.dictionary(fc.string(), fc.jsonValue({ noUnicodeString: false }), { maxKeys: 6 })
      }),
      fc.integer({ min: 1, max: 5 })
    ],
    { numRuns: 300 }
  )("equal the RFC 8785 form of the body, and the hash chains over them", (input, count) => {
    const payload = JSON.parse(JSON.stringify(input.payload)) as CanonicalJson.JsonObject
    fc.pre(CanonicalJson.findIJsonViolation(payload) === undefined)
    const planned = AppendPlanner.planAppend({
      origin: "test/origin \"quoted\"",
      head: AppendPlanner.EMPTY_HEAD,
      view: { streamTip: () => ({ version: 0, lastHash: null }), findEvent: () => undefined },
      writes: [
        {
          streamId: "s-1",
          events: Array.from({ length: count }, () => ({
            type: "Something.Happened",
            schemaVersion: 1,
            occurredAt: "2022-12-31",
            tenant: "t-1",
            actor: { id: input.actorId, role: input.role },
            decisionRef: input.decisionRef,
            ...(input.correlationId === undefined ? {} : { correlationId: input.correlationId }),
            causationId: input.causationId,
            payload
          }))
        }
      ],
      nowMillis: Date.UTC(2023, 2, 15),
      newEventId: () => "0186e3b0-1c00-7000-8000-000000000000".replace(/0$/, String(Math.floor(Math.random() * 10)))
    })
    if (Result.isFailure(planned)) throw planned.failure
    let prev = HashChain.GENESIS_HASH
    for (const { event, canonical } of planned.success.records) {
      const { prevHash, hash, ...body } = event
      expect(canonical).toBe(CanonicalJson.canonicalize(body as unknown as CanonicalJson.JsonObject))
      expect(prevHash).toBe(prev)
      expect(hash).toBe(createHash("sha256").update(Buffer.from(prev, "hex")).update(canonical, "utf8").digest("hex"))
      expect(hash).toBe(HashChain.chainHash(prev, canonical))
      prev = hash
    }
  })
})
