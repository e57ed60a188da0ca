/**
 * Decision receipts built by hand: the records are written out, their chain hashes, leaves and the
 * root of the two-event tree computed here with node:crypto from the formulas of the format
 * (eventHash = SHA-256(prevHash ‖ record), leaf = SHA-256(0x00 ‖ eventHash), root =
 * SHA-256(0x01 ‖ leaf0 ‖ leaf1)), not with the Merkle module. Every refusal with its class and
 * words.
 */
import { createHash } from "node:crypto"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import * as Checkpoint from "../src/Checkpoint.js"
import * as MerkleTree from "../src/MerkleTree.js"
import * as Receipt from "../src/Receipt.js"
import { logKey, ORIGIN, trust, witnessKey } from "./fixtures.js"

const sha = (...parts: ReadonlyArray<Uint8Array | string>) => {
  const h = createHash("sha256")
  for (const p of parts) h.update(p)
  return h.digest()
}
const PREV0 = Buffer.alloc(32, 0)
const REC0 = `{"origin":"${ORIGIN}","position":0}`
const HASH0 = sha(PREV0, REC0)
const REC1 = `{"note":"second","origin":"${ORIGIN}","position":1}`
const HASH1 = sha(HASH0, REC1)
const LEAF0 = sha(Buffer.from([0]), HASH0)
const LEAF1 = sha(Buffer.from([0]), HASH1)
const ROOT = sha(Buffer.from([1]), LEAF0, LEAF1)
const NOTE = Checkpoint.cosign(Checkpoint.sign({ origin: ORIGIN, size: 2, root: ROOT }, logKey), witnessKey, 1_790_000_000)
const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64")
const proofOf = (head: ReadonlyArray<string>, note = NOTE) => [...head, "", note].join("\n")
const HEAD1 = ["c2sp.org/tlog-proof@v1", `extra ${b64(HASH0)}`, "index 1", b64(LEAF0)]
const RECEIPT1: Receipt.Receipt = { record: REC1, proof: proofOf(HEAD1) }

const outcome = (receipt: Receipt.Receipt) => {
  const r = Receipt.verify(receipt, trust)
  return Result.isFailure(r) ? r.failure : "OK"
}

describe("formatting and issuing", () => {
  it("writes the tlog-proof block line by line", () => {
    expect(
      Receipt.formatProof({
        index: 3,
        prevHash: "00".repeat(32),
        inclusion: [Buffer.alloc(32, 1), Buffer.alloc(32, 2)],
        checkpointNote: "N\n"
      })
    ).toBe(
      "c2sp.org/tlog-proof@v1\nextra AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\nindex 3\n" +
        "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=\nAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=\n\nN\n"
    )
  })

  it("issues the receipt of the hand-built log, proven under the checkpoint's size", () => {
    const tree = MerkleTree.fromLeafHashes([LEAF0, LEAF1, sha("third")])
    const receipt = Receipt.make({
      record: { canonical: REC1, prevHash: HASH0.toString("hex"), position: 1 },
      tree,
      checkpointNote: NOTE,
      checkpointSize: 2
    })
    expect(receipt).toEqual(RECEIPT1)
  })
})

describe("verify", () => {
  it("establishes the event, its hash and its place under the signed root", () => {
    const r = Receipt.verify(RECEIPT1, trust)
    expect(Result.isSuccess(r)).toBe(true)
    if (!Result.isSuccess(r)) return
    expect(r.success.index).toBe(1)
    expect(r.success.eventHash).toBe(HASH1.toString("hex"))
    expect(r.success.event).toEqual({ note: "second", origin: ORIGIN, position: 1 })
    expect(r.success.checkpoint.signedBy).toEqual([logKey.name])
    expect(r.success.checkpoint.checkpoint.size).toBe(2)
    // The first event, with LEAF1 as its only sibling.
    const first = { record: REC0, proof: proofOf(["c2sp.org/tlog-proof@v1", `extra ${b64(PREV0)}`, "index 0", b64(LEAF1)]) }
    const f = Receipt.verify(first, trust)
    expect(Result.isSuccess(f) && f.success.eventHash).toBe(HASH0.toString("hex"))
  })

  it("refuses a proof too long or with CR, at exactly 256 KiB + 1", () => {
    const tooLong = { class: "MALFORMED", detail: "the proof is too long or has CR line endings" }
    expect(outcome({ record: REC1, proof: RECEIPT1.proof.replace("\nindex", "\r\nindex") })).toEqual(tooLong)
    // A proof of exactly 262 144 characters passes this guard and fails on its (padded) extra line.
    const padded = (total: number) => {
      const rest = proofOf(["c2sp.org/tlog-proof@v1", "extra ", "index 1"])
      return proofOf(["c2sp.org/tlog-proof@v1", `extra ${"A".repeat(total - rest.length)}`, "index 1"])
    }
    expect(padded(262_144)).toHaveLength(262_144)
    expect(outcome({ record: REC1, proof: padded(262_144) })).toEqual({
      class: "MALFORMED",
      detail: "line 2: extra must be the 32-byte previous hash in base64"
    })
    expect(outcome({ record: REC1, proof: padded(262_145) })).toEqual(tooLong)
  })

  it.each([
    ["no blank line", HEAD1.join("\n"), "no blank line before the checkpoint"],
    ["another header", RECEIPT1.proof.replace("tlog-proof@v1", "tlog-proof@v2"), "line 1: the proof must start with c2sp.org/tlog-proof@v1"],
    ["text before the header", `x${RECEIPT1.proof}`, "line 1: the proof must start with c2sp.org/tlog-proof@v1"]
  ])("refuses %s", (_name, proof, detail) => {
    expect(outcome({ record: REC1, proof })).toEqual({ class: "MALFORMED", detail })
  })

  const lines23 = "lines 2 and 3: expected `extra <base64 prevHash>` and `index <N>`"
  it.each([
    ["only a header", ["c2sp.org/tlog-proof@v1"]],
    ["no index line", ["c2sp.org/tlog-proof@v1", `extra ${b64(HASH0)}`]],
    ["an empty extra", ["c2sp.org/tlog-proof@v1", "extra ", "index 1"]],
    ["two words of extra", ["c2sp.org/tlog-proof@v1", `extra ${b64(HASH0)} x`, "index 1"]],
    ["text before extra", ["c2sp.org/tlog-proof@v1", `xextra ${b64(HASH0)}`, "index 1"]],
    ["a leading zero", ["c2sp.org/tlog-proof@v1", `extra ${b64(HASH0)}`, "index 01"]],
    ["a negative index", ["c2sp.org/tlog-proof@v1", `extra ${b64(HASH0)}`, "index -1"]],
    ["text after the index", ["c2sp.org/tlog-proof@v1", `extra ${b64(HASH0)}`, "index 1x"]],
    ["text before the index", ["c2sp.org/tlog-proof@v1", `extra ${b64(HASH0)}`, "xindex 1"]],
    ["17 digits", ["c2sp.org/tlog-proof@v1", `extra ${b64(HASH0)}`, "index 12345678901234567"]]
  ])("refuses %s", (_name, head) => {
    expect(outcome({ record: REC1, proof: proofOf(head) })).toEqual({ class: "MALFORMED", detail: lines23 })
  })

  it("takes a 16-digit index and then finds the record elsewhere", () => {
    expect(outcome({ record: REC1, proof: proofOf(["c2sp.org/tlog-proof@v1", `extra ${b64(HASH0)}`, "index 1234567890123456"]) })).toEqual({
      class: "INDEX",
      detail: "the record's position or origin does not match the receipt"
    })
  })

  it.each([
    ["31 bytes", b64(HASH0.subarray(1))],
    ["33 bytes", b64(Buffer.concat([HASH0, Buffer.alloc(1)]))],
    ["no padding", b64(HASH0).slice(0, -1)]
  ])("refuses an extra of %s", (_name, extra) => {
    expect(outcome({ record: REC1, proof: proofOf(["c2sp.org/tlog-proof@v1", `extra ${extra}`, "index 1", b64(LEAF0)]) })).toEqual({
      class: "MALFORMED",
      detail: "line 2: extra must be the 32-byte previous hash in base64"
    })
  })

  it("names the line of a proof hash that is not 32 bytes, and holds at most 64", () => {
    expect(outcome({ record: REC1, proof: proofOf([...HEAD1, b64(LEAF0.subarray(1))]) })).toEqual({
      class: "MALFORMED",
      detail: "line 5: every proof hash must be 32 bytes of base64"
    })
    const hashes = (n: number) => proofOf([...HEAD1.slice(0, 3), ...new Array<string>(n).fill(b64(LEAF0))])
    expect(outcome({ record: REC1, proof: hashes(65) })).toEqual({ class: "INCLUSION", detail: "more than 64 proof hashes" })
    expect(outcome({ record: REC1, proof: hashes(64) })).toEqual({
      class: "INCLUSION",
      detail: "an inclusion proof for index 1 in size 2 has 1 elements, this one has 64"
    })
  })

  it("gives the checkpoint's failure and the line the checkpoint starts on", () => {
    const unsigned = Checkpoint.sign({ origin: ORIGIN, size: 2, root: ROOT }, Checkpoint.makeSigner({ name: "stranger.example" }))
    expect(outcome({ record: REC1, proof: proofOf(HEAD1, unsigned) })).toEqual({
      class: "CHECKPOINT_SIGNATURE",
      detail:
        "the checkpoint (from line 6): no signature from a trusted log key; get the log's vkey through an independent channel and never from the export"
    })
    // Signed but not witnessed, under a quorum of 1.
    const lone = Checkpoint.sign({ origin: ORIGIN, size: 2, root: ROOT }, logKey)
    expect(outcome({ record: REC1, proof: proofOf(HEAD1.slice(0, 3), lone) })).toEqual({
      class: "WITNESS",
      detail: "the checkpoint (from line 5): 0 of the required 1 witness cosignatures verified"
    })
  })

  it.each([
    ["not JSON", "{", "NOT_CANONICAL", "the record is not JSON"],
    ["not canonical", `{"position":1, "origin":"${ORIGIN}"}`, "NOT_CANONICAL", "the record is not in RFC 8785 form"],
    ["null", "null", "INDEX", "the record's position or origin does not match the receipt"],
    ["a number", "1", "INDEX", "the record's position or origin does not match the receipt"],
    ["an array", "[1]", "INDEX", "the record's position or origin does not match the receipt"],
    ["another position", `{"origin":"${ORIGIN}","position":0}`, "INDEX", "the record's position or origin does not match the receipt"],
    ["another origin", `{"origin":"other.example/log","position":1}`, "INDEX", "the record's position or origin does not match the receipt"],
    ["another note", REC1.replace("second", "Second"), "INCLUSION", "the proof leads to a different root than the one given"]
  ])("refuses a record that is %s", (_name, record, cls, detail) => {
    expect(outcome({ record, proof: RECEIPT1.proof })).toEqual({ class: cls, detail })
  })

  it("refuses a proof hash or a previous hash that was changed", () => {
    const leadsElsewhere = { class: "INCLUSION", detail: "the proof leads to a different root than the one given" }
    expect(outcome({ record: REC1, proof: proofOf([...HEAD1.slice(0, 3), b64(LEAF1)]) })).toEqual(leadsElsewhere)
    expect(outcome({ record: REC1, proof: proofOf(["c2sp.org/tlog-proof@v1", `extra ${b64(PREV0)}`, "index 1", b64(LEAF0)]) })).toEqual(
      leadsElsewhere
    )
  })
})
