import { Effect, Result, Stream } from "effect"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import * as CryptoShredding from "../src/CryptoShredding.js"
import * as DecisionTrail from "../src/DecisionTrail.js"
import * as Receipt from "../src/Receipt.js"
import { appendAll, checkpointOf, makeStore, records, sampleCmds, treeOf, trust } from "./fixtures.js"

describe("Receipt", () => {
  const store = makeStore()
  appendAll(store, sampleCmds(13))
  const note = checkpointOf(store)
  const tree = treeOf(store)
  const all = records(store)

  it("verifies offline for every event, and names the decision", () => {
    for (const record of all) {
      const receipt = Receipt.make({ record, tree, checkpointNote: note, checkpointSize: 13 })
      const r = Receipt.verify(receipt, trust)
      expect(Result.isSuccess(r)).toBe(true)
      if (Result.isSuccess(r)) expect(r.success.eventHash).toBe(record.hash)
    }
  })

  it("rejects a receipt whose record, index, proof or checkpoint was changed", () => {
    const record = all[9] as (typeof all)[number]
    const receipt = Receipt.make({ record, tree, checkpointNote: note, checkpointSize: 13 })
    const failure = (x: Receipt.Receipt) => {
      const r = Receipt.verify(x, trust)
      return Result.isFailure(r) ? r.failure.class : "OK"
    }
    expect(failure({ ...receipt, record: receipt.record.replace("note 9", "note 8") })).toBe("INCLUSION")
    expect(failure({ ...receipt, proof: receipt.proof.replace("index 9", "index 8") })).toBe("INDEX")
    const lines = receipt.proof.split("\n")
    lines[3] = Buffer.alloc(32).toString("base64")
    expect(failure({ ...receipt, proof: lines.join("\n") })).toBe("INCLUSION")
    expect(failure({ ...receipt, proof: receipt.proof.replace("\n13\n", "\n14\n") })).toBe(
      "CHECKPOINT_SIGNATURE"
    )
    expect(receipt.proof.startsWith("c2sp.org/tlog-proof@v1\nextra ")).toBe(true)
  })
})

describe("DecisionTrail", () => {
  it("lists a stream in order, decisions by a body and under a case number, with basis", () => {
    const store = makeStore()
    appendAll(store, [
      ...sampleCmds(6),
      {
        stream: "grant-2026-0042",
        type: "GrantDecisionTaken",
        decider: "board",
        amountMinor: 1,
        note: "",
        decisionRef: "2026/113",
        payload: { amountMinor: 1, basis: "RDF Regulation §12(3)" }
      }
    ])
    const events = Effect.runSync(Stream.runCollect(store.readAll()))
    const trail = DecisionTrail.ofStream(events, "grant-2026-0042")
    expect(trail.map((e) => e.streamVersion)).toEqual([1, 2, 3])
    expect(trail[2]).toMatchObject({
      actor: "board",
      role: "regional-development-board",
      decisionRef: "2026/113",
      basis: "RDF Regulation §12(3)"
    })
    expect(DecisionTrail.byDecisionRef(events, "2026/113").map((e) => e.position)).toEqual([6])
    expect(
      DecisionTrail.byActor(events, "official:17").every(
        (e) => e.actor === "official:17" && e.decisionRef !== null
      )
    ).toBe(true)
  })
})

describe("CryptoShredding SQLite key store", () => {
  it("keeps keys across reopen, wraps them with a KEK, tombstones on forget, refuses resurrection", async () => {
    const filename = join(mkdtempSync(join(tmpdir(), "audit-ks-")), "keys.db")
    const kek = Buffer.alloc(32, 5)
    const layer = () => CryptoShredding.layerSqlite({ filename, kek })
    const ctx = { origin: "o", eventId: "e", pointer: "/payload/name" }
    const sealed = await Effect.runPromise(
      Effect.scoped(Effect.provide(CryptoShredding.seal("Anna Lind", "s-a", ctx), layer()))
    )
    const again = await Effect.runPromise(
      Effect.scoped(Effect.provide(CryptoShredding.unseal(sealed, ctx), layer()))
    )
    expect(again).toEqual({ status: "ok", value: "Anna Lind" })
    const after = await Effect.runPromise(
      Effect.scoped(
        Effect.provide(
          Effect.gen(function* () {
            const ks = yield* CryptoShredding.KeyStore
            const { key } = yield* ks.keyFor("s-a")
            const backup = Buffer.from(key)
            const tomb = yield* ks.forget("s-a", {
              requestRef: "GDPR-1",
              legalBasis: "art. 17",
              erasedEventId: "ev-1"
            })
            const unsealed = yield* CryptoShredding.unseal(sealed, ctx)
            const restore = yield* Effect.flip(ks.restore("s-a", backup))
            const reseal = yield* Effect.flip(CryptoShredding.seal("x", "s-a", ctx))
            return { tomb, unsealed, restore, reseal }
          }),
          layer()
        )
      )
    )
    expect(after.tomb).toMatchObject({ kid: "subj:s-a", requestRef: "GDPR-1", erasedEventId: "ev-1" })
    expect(after.unsealed).toMatchObject({ status: "erased", tombstone: { requestRef: "GDPR-1" } })
    expect(after.restore.reason).toBe("KeyResurrection")
    expect(after.reseal.reason).toBe("SubjectErased")
  })
})
