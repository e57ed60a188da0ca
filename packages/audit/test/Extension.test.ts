import { Result } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Checkpoint from "../src/Checkpoint.js"
import * as Extension from "../src/Extension.js"
import { referenceRoot } from "../src/internal/MerkleReference.js"

const ORIGIN = "audit.test.example/log"
const signer = Checkpoint.makeSigner({ name: "audit.test.example", seed: Buffer.alloc(32, 7) })
const trust: Checkpoint.TrustPolicy = { origin: ORIGIN, logKeys: [signer.verifier] }
// Checkpoints signed over roots from the recursive RFC 9162 reference, not the code under test.
const note = (hashes: ReadonlyArray<string>, size: number) =>
  Checkpoint.sign(
    { origin: ORIGIN, size, root: referenceRoot(hashes.slice(0, size).map((h) => Buffer.from(h, "hex"))) },
    signer
  )
const hashesArb = fc.array(
  fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString("hex")),
  {
    minLength: 1,
    maxLength: 70
  }
)

describe("Extension.check", () => {
  it("growth: every kept prefix is consistent and the count is n − m", () => {
    fc.assert(
      fc.property(hashesArb, fc.nat(), fc.nat(), (hashes, a, b) => {
        const n = hashes.length
        const [m1, m2] = [a % (n + 1), b % (n + 1)].sort((x, y) => x - y) as [number, number]
        const outcome = Extension.check({
          hashes,
          trust,
          checkpoints: [
            { name: "later", note: note(hashes, m2) },
            { name: "earlier", note: note(hashes, m1) }
          ]
        })
        expect(outcome.ok).toBe(true)
        expect(outcome.ok && outcome.newest?.grewBy).toBe(n - m2)
      })
    )
  })

  it("a changed event before a kept size fails, with the altered position inside the reported range", () => {
    fc.assert(
      fc.property(hashesArb, fc.nat(), fc.nat(), (hashes, a, b) => {
        const n = hashes.length
        const m = 1 + (a % n)
        const p = b % m
        const notes = [{ name: "cp", note: note(hashes, m) }]
        const altered = [...hashes]
        altered[p] = (altered[p] as string).replace(/^./, (c) => (c === "0" ? "1" : "0"))
        const outcome = Extension.check({ hashes: altered, trust, checkpoints: notes })
        expect(outcome.ok).toBe(false)
        if (!outcome.ok) {
          expect(outcome.failure.class).toBe("INCONSISTENT_WITH_PREVIOUS")
          expect(outcome.failure.range?.from).toBeLessThanOrEqual(p)
          expect(outcome.failure.range?.to).toBeGreaterThanOrEqual(p)
        }
      })
    )
  })

  it("rollback, fork and foreign origin are named", () => {
    const hashes = ["aa", "bb", "cc"].map((c) => c.repeat(32))
    const rollback = Extension.check({
      hashes: hashes.slice(0, 2),
      trust,
      checkpoints: [{ name: "cp3", note: note(hashes, 3) }]
    })
    expect(!rollback.ok && [rollback.failure.class, rollback.failure.position]).toEqual(["ROLLBACK", 2])
    const other = Checkpoint.sign({ origin: ORIGIN, size: 2, root: Buffer.alloc(32, 1) }, signer)
    const fork = Extension.check({
      hashes,
      trust,
      checkpoints: [
        { name: "a", note: note(hashes, 2) },
        { name: "b", note: other }
      ]
    })
    expect(!fork.ok && fork.failure.class).toBe("FORK")
    const foreign = Checkpoint.sign(
      { origin: "staging.example/log", size: 1, root: Buffer.alloc(32) },
      signer
    )
    const origin = Extension.check({ hashes, trust, checkpoints: [{ name: "s", note: foreign }] })
    expect(!origin.ok && origin.failure.class).toBe("ORIGIN")
    expect(Result.isSuccess(Checkpoint.verifyNote(note(hashes, 3), trust))).toBe(true)
  })
})
