/**
 * Mutants of issue 14's domain rules that no other test saw (docs/reference/mutation.md, run
 * hM20): the scratch buffer's growth in `HashChain` for records whose UTF-8 is 3 bytes a UTF-16
 * unit, and a field given as `undefined` in the content digest of `Commands.handle`. Expected
 * values are written out by hand: digests from Python's hashlib, as each comment says.
 */
import { Commands, EventStore } from "@utblick/core"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { chainDigest, chainHash } from "../src/HashChain.js"

// 2,000,000 euro signs: 6,000,000 bytes of UTF-8, more than any other test asks the buffer to hold,
// so that the buffer grows here whatever ran before in this module. A buffer grown to half of
// what the record needs (`needed / 2`) still holds an ASCII record of the same length, but not this.
const euros = "€".repeat(2_000_000)

describe("HashChain's buffer grown for a record of 3-byte characters", () => {
  // hashlib.sha256(bytes(32) + ("€" * 2_000_000).encode()).hexdigest()
  it("chainHash hashes all 6,000,000 bytes", () => {
    expect(chainHash("0".repeat(64), euros)).toBe(
      "372f9730335aa674a3cacb2111038008dd7e6234b5aa7d20f15267ae748454c2"
    )
  })

  // hashlib.sha256(bytes.fromhex("ab" * 32) + ("€" * 2_000_000).encode()).hexdigest()
  it("chainDigest hashes all 6,000,000 bytes after the previous digest", () => {
    expect(chainDigest(Buffer.from("ab".repeat(32), "hex"), euros).toString("hex")).toBe(
      "1d6593457973cab99e5ac4250bf6a4bcd66abc73152db37447cb6bd2835835ed"
    )
  })
})

const registrar = { id: "lulea-kommun", role: "registrar" }
const register = {
  _tag: "Register",
  tenant: "lulea-kommun",
  occurredAt: "2003-01-01",
  actor: registrar,
  events: [{ _tag: "ActorRegistered", actorId: "lulea-kommun", name: "Luleå kommun", kind: "municipality" }]
}

describe("Commands.handle's content digest of a field given as undefined", () => {
  // A caller that builds the input in code may leave a field `undefined`: it is digested as
  // `null`, as JSON writes it in an array. The text, keys sorted:
  // {"_tag":"Register","actor":{"id":"lulea-kommun","role":"registrar"},"events":[{"_tag":"ActorRegistered","actorId":"lulea-kommun","kind":"municipality","name":"Luleå kommun"}],"note":null,"occurredAt":"2003-01-01","tenant":"lulea-kommun"}
  // hashlib.sha256(text.encode()).hexdigest()[:16] = "fdc3235815e2c6e9" (with `"note":` and no
  // value it would be "40e11f9df11d03b4").
  it("writes the correlation id key#digest of the text with null", async () => {
    const correlations = await Effect.gen(function* () {
      const decoded = yield* Commands.decode(register)
      yield* Commands.handle(decoded, { ...register, note: undefined })
      const store = yield* EventStore.EventStore
      const stored = yield* store.readStream(Commands.primaryStreamOf(decoded))
      return stored.map((e) => e.correlationId)
    }).pipe(Effect.provide(EventStore.layerMemory()), Effect.runPromise)
    expect(correlations).toEqual(["lulea-kommun/Register/ActorRegistered:lulea-kommun#fdc3235815e2c6e9"])
  })
})
