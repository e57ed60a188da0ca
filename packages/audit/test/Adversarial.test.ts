/**
 * The adversarial cases A1–A22 of the audit design (5.7). General attacks are fast-check
 * properties: generate an honest log through core's memory EventStore, apply one attack, and
 * require verification to fail with the right class (or to pass, for erasure and growth).
 */
import { fc, test } from "@fast-check/vitest"
import { canonicalize, type JsonObject } from "@utblick/core/CanonicalJson"
import type { StoredEvent } from "@utblick/core/Envelope"
import { chainHash, GENESIS_HASH } from "@utblick/core/HashChain"
import { uuidV7FromParts } from "@utblick/core/Uuid"
import { Effect, Result, Stream } from "effect"
import { randomBytes } from "node:crypto"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import * as Checkpoint from "../src/Checkpoint.js"
import * as CryptoShredding from "../src/CryptoShredding.js"
import * as Export from "../src/Export.js"
import * as MerkleTree from "../src/MerkleTree.js"
import * as Receipt from "../src/Receipt.js"
import * as Verify from "../src/Verify.js"
import {
  appendAll,
  type Cmd,
  checkpointOf,
  exportLines,
  logKey,
  makeStore,
  ORIGIN,
  records,
  type Store,
  sampleCmds,
  toText,
  treeOf,
  trust
} from "./fixtures.js"
import { listFiles, readJson, VENDORED } from "./vectorsDir.js"

const cmdArb: fc.Arbitrary<Cmd> = fc.record({
  stream: fc.constantFrom("grant-1", "trip-7", "membership-3"),
  type: fc.constantFrom("GrantDecisionTaken", "TripBooked", "MembershipChanged"),
  decider: fc.constantFrom("official:17", "board"),
  amountMinor: fc.maxSafeNat(),
  note: fc.string(),
  decisionRef: fc.option(fc.constantFrom("2026/113", "2026/114"), { nil: undefined })
})
const logArb = fc.array(cmdArb, { minLength: 2, maxLength: 40 })
const RUNS = { numRuns: 60 }

const build = (cmds: ReadonlyArray<Cmd>) => {
  const store = makeStore()
  appendAll(store, cmds)
  return { store, lines: exportLines(store), checkpoint: checkpointOf(store) }
}

const verify = (
  lines: ReadonlyArray<string> | string | Uint8Array,
  checkpoint: string,
  previous: ReadonlyArray<string> = []
) =>
  Verify.verifyExport(typeof lines === "string" || lines instanceof Uint8Array ? lines : toText(lines), {
    trust,
    checkpoint,
    previous
  })

const parts = (line: string) => Export.parseLine(line) as Export.ExportRecord

/** Rewrites bodies and recomputes every chain hash after them, as a forger with write access would. */
const rechain = (
  lines: ReadonlyArray<string>,
  mutate: (body: Record<string, unknown>, i: number) => Record<string, unknown>
) => {
  let prev = GENESIS_HASH
  return lines.map((line, i) => {
    const body = mutate(JSON.parse(parts(line).canonical) as Record<string, unknown>, i)
    const canonical = canonicalize(body as JsonObject)
    const hash = chainHash(prev, canonical)
    const out = Export.formatLine({ canonical, prevHash: prev, hash })
    prev = hash
    return out
  })
}

/** Builds a self-consistent log from bodies (positions, chain and stream links recomputed). */
const forgeLog = (bodies: ReadonlyArray<Record<string, unknown>>) => {
  let prev = GENESIS_HASH
  const tips = new Map<string, { v: number; h: string }>()
  const lines: Array<string> = []
  const hashes: Array<string> = []
  bodies.forEach((b, i) => {
    const tip = tips.get(b.streamId as string)
    const body = { ...b, position: i, streamVersion: (tip?.v ?? 0) + 1, streamPrev: tip?.h ?? null }
    const canonical = canonicalize(body as JsonObject)
    const hash = chainHash(prev, canonical)
    lines.push(Export.formatLine({ canonical, prevHash: prev, hash }))
    hashes.push(hash)
    tips.set(b.streamId as string, { v: body.streamVersion, h: hash })
    prev = hash
  })
  const tree = MerkleTree.fromLeafHashes(
    hashes.map((h) => MerkleTree.hashLeaf(MerkleTree.leafInputFromHex(h)))
  )
  return {
    lines,
    tree,
    sign: (size = lines.length) => Checkpoint.sign({ origin: ORIGIN, size, root: tree.rootAt(size) }, logKey)
  }
}

const bodiesOf = (lines: ReadonlyArray<string>) =>
  lines.map((l) => JSON.parse(parts(l).canonical) as Record<string, unknown>)

const cls = (r: Verify.Report) => r.failure?.class

describe("A1–A14: tampering with records, order and checkpoints", () => {
  test.prop([logArb, fc.nat(), fc.nat(), fc.integer({ min: 0, max: 7 })], RUNS)(
    "A1: flipping any bit anywhere in the export is detected",
    (cmds, i, j, bit) => {
      const { lines, checkpoint } = build(cmds)
      const bytes = Buffer.from(toText(lines))
      const k = (i + j) % bytes.length
      bytes[k] = (bytes[k] as number) ^ (1 << bit)
      const report = verify(bytes, checkpoint)
      expect(report.ok).toBe(false)
    }
  )

  it("A1: a changed payload with its old hash is CHAIN; with recomputed hashes it is ROOT_MISMATCH", () => {
    const { lines, checkpoint } = build(sampleCmds(9))
    const edited = [...lines]
    edited[4] = (edited[4] as string).replace('"amountMinor":4000', '"amountMinor":9000')
    expect(cls(verify(edited, checkpoint))).toBe("CHAIN")
    expect(verify(edited, checkpoint).failure?.position).toBe(4)
    const recomputed = forgeLog(
      bodiesOf(lines).map((b, i) => (i === 4 ? { ...b, payload: { amountMinor: 9000, note: "x" } } : b))
    )
    expect(cls(verify(recomputed.lines, checkpoint))).toBe("ROOT_MISMATCH")
  })

  it("A2: re-serialising a record without changing its meaning is NOT_CANONICAL", () => {
    const { lines, checkpoint } = build(sampleCmds(5))
    const p = parts(lines[2] as string)
    const variants = [
      p.canonical.replace("{", "{ "),
      JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(p.canonical) as object).reverse())),
      p.canonical.replace('"v":1', '"v":1.0'),
      p.canonical.replace('"tenant":"l', '"tenant":"\\u006c'),
      `{"v":1,${p.canonical.slice(1)}`
    ]
    for (const canonical of variants) {
      const edited = [...lines]
      edited[2] = Export.formatLine({ ...p, canonical })
      expect(cls(verify(edited, checkpoint))).toBe("NOT_CANONICAL")
    }
  })

  test.prop([logArb, fc.nat(), fc.nat()], RUNS)("A3: swapping two events is SEQ or CHAIN", (cmds, a, b) => {
    const { lines, checkpoint } = build(cmds)
    const i = a % lines.length
    const j = (i + 1 + (b % (lines.length - 1))) % lines.length
    const swapped = [...lines]
    ;[swapped[i], swapped[j]] = [swapped[j] as string, swapped[i] as string]
    expect(["SEQ", "CHAIN"]).toContain(cls(verify(swapped, checkpoint)))
  })

  test.prop([fc.array(cmdArb, { minLength: 3, maxLength: 40 }), fc.nat()], RUNS)(
    "A4: deleting an event in the middle is SEQ or CHAIN",
    (cmds, a) => {
      const { lines, checkpoint } = build(cmds)
      const k = 1 + (a % (lines.length - 2))
      const removed = lines.filter((_, i) => i !== k)
      expect(["SEQ", "CHAIN"]).toContain(cls(verify(removed, checkpoint)))
    }
  )

  test.prop([logArb, fc.nat()], RUNS)(
    "A5: truncating the tail is SIZE_MISMATCH, and ROLLBACK against an archived checkpoint",
    (cmds, a) => {
      const { store, lines, checkpoint } = build(cmds)
      const keep = a % lines.length
      expect(cls(verify(lines.slice(0, keep), checkpoint))).toBe("SIZE_MISMATCH")
      // The operator re-signs the truncated log with the real key; the auditor kept the old one.
      expect(cls(verify(lines.slice(0, keep), checkpointOf(store, keep), [checkpoint]))).toBe("ROLLBACK")
    }
  )

  it("A6: inserting a forged event and recomputing every later hash is ROOT_MISMATCH", () => {
    const { lines, checkpoint } = build(sampleCmds(8))
    const bodies = bodiesOf(lines)
    const forged = {
      ...bodies[3],
      eventId: uuidV7FromParts(Date.now(), randomBytes(10)),
      payload: { amountMinor: 1 }
    }
    const inserted = forgeLog([...bodies.slice(0, 4), forged, ...bodies.slice(4)])
    expect(cls(verify(inserted.lines, checkpoint))).toBe("ROOT_MISMATCH")
    // The same forgery without its last event keeps the size: still ROOT_MISMATCH.
    expect(cls(verify(inserted.lines.slice(0, 8), checkpoint))).toBe("ROOT_MISMATCH")
  })

  it("A7: an insider rewriting history and re-signing with the real key is INCONSISTENT_WITH_PREVIOUS", () => {
    const { store, lines } = build(sampleCmds(10))
    const earlier = checkpointOf(store, 6)
    const rewritten = forgeLog([
      ...bodiesOf(lines).map((b, i) =>
        i === 2 ? { ...b, payload: { amountMinor: 1, note: "rewritten" } } : b
      ),
      ...bodiesOf(lines)
        .slice(0, 2)
        .map((b) => ({ ...b, eventId: uuidV7FromParts(Date.now(), randomBytes(10)) }))
    ])
    const report = verify(rewritten.lines, Checkpoint.cosign(rewritten.sign(), witness(), 1_790_000_100), [
      earlier
    ])
    expect(report).toMatchObject({ ok: false, failure: { class: "INCONSISTENT_WITH_PREVIOUS", position: 6 } })
    // Without the log: the consistency proof from the rewritten tree does not match the old root.
    const old = Result.getOrThrow(Checkpoint.verifyNote(earlier, { ...trust, witnessQuorum: 0 })).checkpoint
    const now = { origin: ORIGIN, size: 12, root: rewritten.tree.rootAt() }
    expect(Verify.checkpointsConsistent(old, now, rewritten.tree.consistencyProof(6))?.class).toBe(
      "INCONSISTENT_WITH_PREVIOUS"
    )
  })

  it("A8: two signed checkpoints of the same size with different roots are a FORK, with both notes", () => {
    const { lines, checkpoint } = build(sampleCmds(6))
    const other = forgeLog(
      bodiesOf(lines).map((b, i) => (i === 5 ? { ...b, payload: { amountMinor: 2 } } : b))
    )
    const split = Checkpoint.cosign(other.sign(), witness(), 1_790_000_100)
    const report = verify(other.lines, split, [checkpoint])
    expect(report.failure).toMatchObject({ class: "FORK", evidence: [checkpoint, split] })
  })

  it("A9: replaying an old checkpoint is ROLLBACK", () => {
    const { store, lines } = build(sampleCmds(9))
    const old = checkpointOf(store, 4)
    const latest = checkpointOf(store)
    expect(cls(verify(lines.slice(0, 4), old, [latest]))).toBe("ROLLBACK")
  })

  it("A10: a key with the trusted name but other bytes, or a vkey shipped in the export, gives CHECKPOINT_SIGNATURE", () => {
    const { store, lines } = build(sampleCmds(4))
    const impostor = Checkpoint.makeSigner({ name: logKey.name })
    const tree = treeOf(store)
    const note = Checkpoint.cosign(
      Checkpoint.sign({ origin: ORIGIN, size: 4, root: tree.rootAt() }, impostor),
      witness(),
      1
    )
    expect(cls(verify(lines, note))).toBe("CHECKPOINT_SIGNATURE")
    // The export cannot carry keys: the verifier only consults the trust policy.
    expect(cls(verify([...lines, `${impostor.vkey}`], note))).toBe("CHECKPOINT_SIGNATURE")
  })

  it("A11: a checkpoint or records from another log are ORIGIN", () => {
    const staging = makeStore("staging.utblick.example/lulea-kommun")
    appendAll(staging, sampleCmds(3))
    expect(cls(verify(exportLines(staging), checkpointOf(staging)))).toBe("ORIGIN")
    const { checkpoint } = build(sampleCmds(3))
    expect(verify(exportLines(staging), checkpoint).failure).toMatchObject({ class: "ORIGIN", position: 0 })
  })

  it("A12: every corrupted transparency-dev vector is rejected (all 196 probes run)", () => {
    let rejected = 0
    let total = 0
    const b64 = (s: string) => Buffer.from(s, "base64")
    for (const kind of ["inclusion", "consistency"]) {
      const dir = join(VENDORED, "merkle", "testdata", kind)
      for (const f of listFiles(dir)) {
        const c = readJson(join(dir, f)) as {
          leafIdx: number
          treeSize: number
          leafHash: string
          root: string
          size1: number
          size2: number
          root1: string
          root2: string
          proof: Array<string> | null
          wantErr: boolean
        }
        const proof = (c.proof ?? []).map(b64)
        const r =
          kind === "inclusion"
            ? MerkleTree.verifyInclusion(c.leafIdx, c.treeSize, b64(c.leafHash), proof, b64(c.root))
            : MerkleTree.verifyConsistency(c.size1, c.size2, proof, b64(c.root1), b64(c.root2))
        total++
        if (c.wantErr) {
          expect(r.ok).toBe(false)
          rejected++
        }
      }
    }
    expect(total).toBe(196)
    expect(rejected).toBe(184)
  })

  it("A14: a stream gap, a duplicate version or a wrong streamPrev is STREAM_LINK", () => {
    const { lines, checkpoint } = build(sampleCmds(9))
    const attacks: Array<(b: Record<string, unknown>) => Record<string, unknown>> = [
      (b) => ({ ...b, streamVersion: (b.streamVersion as number) + 1 }),
      (b) => ({ ...b, streamVersion: (b.streamVersion as number) - 1 }),
      (b) => ({ ...b, streamPrev: "ab".repeat(32) })
    ]
    for (const attack of attacks) {
      const edited = rechain(lines, (b, i) => (i === 6 ? attack(b) : b))
      expect(verify(edited, checkpoint).failure).toMatchObject({ class: "STREAM_LINK", position: 6 })
    }
  })
})

describe("A15: non-I-JSON is refused at write time", () => {
  class Money {
    readonly ore: number
    constructor(ore: number) {
      this.ore = ore
    }
  }
  const bad: Array<unknown> = [
    2 ** 53,
    Number.NaN,
    "\uD800",
    undefined,
    new Money(1),
    Number.POSITIVE_INFINITY
  ]
  for (const value of bad) {
    it(`refuses ${String(value instanceof Money ? "a class instance" : typeof value === "string" ? "a lone surrogate" : value)}`, () => {
      const store = makeStore()
      const result = Effect.runSync(
        Effect.result(
          store.append("grant-1", [
            {
              type: "GrantDecisionTaken",
              schemaVersion: 1,
              occurredAt: "2026-01-01",
              tenant: "lulea-kommun",
              actor: { id: "a", role: "r" },
              payload: { value } as unknown as JsonObject
            }
          ])
        )
      )
      expect(Result.isFailure(result)).toBe(true)
      if (Result.isFailure(result)) expect(result.failure.reason._tag).toBe("InvalidEvent")
      expect(records(store)).toHaveLength(0)
    })
  }
})

// ---------------------------------------------------------------------------------------------
// A16–A20: personal data.
// ---------------------------------------------------------------------------------------------

const witness = () =>
  Checkpoint.makeSigner({
    name: "revisionen.example",
    seed: Buffer.alloc(32, 12),
    alg: Checkpoint.ALG_COSIGNATURE_V1
  })

interface Traveller {
  readonly subject: string
  readonly name: string
}

/** Appends trips whose traveller names are sealed, as the application would. */
const buildSealed = (store: Store, trips: ReadonlyArray<Traveller | undefined>) =>
  Effect.gen(function* () {
    for (const [i, t] of trips.entries()) {
      const eventId = uuidV7FromParts(1_790_000_000_000 + i, randomBytes(10))
      const payload: Record<string, unknown> = { amountMinor: 100 * i }
      if (t !== undefined) {
        payload.travellerName = yield* CryptoShredding.seal(t.name, t.subject, {
          origin: store.origin,
          eventId,
          pointer: "/payload/travellerName"
        })
      }
      yield* store.append(`trip-${i % 3}`, [
        {
          eventId,
          type: "TripBooked",
          schemaVersion: 1,
          occurredAt: "2026-09-30",
          tenant: "lulea-kommun",
          actor: { id: "official:17", role: "travel-desk" },
          payload: payload as JsonObject
        }
      ])
    }
  })

const allEvents = (store: Store): Effect.Effect<ReadonlyArray<StoredEvent>> =>
  Effect.orDie(Stream.runCollect(store.readAll()))

const runKs = <A, E>(effect: Effect.Effect<A, E, CryptoShredding.KeyStore>) =>
  Effect.runSync(Effect.provide(effect, CryptoShredding.layerMemory))

const travellerArb = fc.option(
  fc.record({ subject: fc.constantFrom("s-a", "s-b"), name: fc.string({ minLength: 1 }) }),
  {
    nil: undefined
  }
)

describe("A16–A20: crypto-shredding", () => {
  const unsealAt = (e: StoredEvent, pointer = "/payload/travellerName") =>
    CryptoShredding.unseal(e.payload.travellerName as unknown as CryptoShredding.Sealed, {
      origin: e.origin,
      eventId: e.eventId,
      pointer
    })

  it("A16: a bit flip in the ciphertext is AUTH_FAILED, not erased", () => {
    const r = runKs(
      Effect.gen(function* () {
        const store = makeStore()
        yield* buildSealed(store, [{ subject: "s-a", name: "Anna Lind" }])
        const [e] = yield* allEvents(store)
        const sealed = (e as StoredEvent).payload.travellerName as unknown as CryptoShredding.Sealed
        const ct = Buffer.from(sealed.$enc.ct, "base64")
        ct[0] = (ct[0] as number) ^ 1
        const flipped = { $enc: { ...sealed.$enc, ct: ct.toString("base64") } }
        const ok = yield* unsealAt(e as StoredEvent)
        const bad = yield* CryptoShredding.unseal(flipped, {
          origin: ORIGIN,
          eventId: (e as StoredEvent).eventId,
          pointer: "/payload/travellerName"
        })
        return { ok, bad }
      })
    )
    expect(r.ok).toEqual({ status: "ok", value: "Anna Lind" })
    expect(r.bad.status).toBe("AUTH_FAILED")
  })

  it("A17: a ciphertext moved to another event or field is AUTH_FAILED", () => {
    const r = runKs(
      Effect.gen(function* () {
        const store = makeStore()
        yield* buildSealed(store, [
          { subject: "s-a", name: "Anna Lind" },
          { subject: "s-a", name: "Bo Ek" }
        ])
        const [e0, e1] = (yield* allEvents(store)) as [StoredEvent, StoredEvent]
        const sealed = e0.payload.travellerName as unknown as CryptoShredding.Sealed
        return [
          yield* CryptoShredding.unseal(sealed, {
            origin: ORIGIN,
            eventId: e1.eventId,
            pointer: "/payload/travellerName"
          }),
          yield* CryptoShredding.unseal(sealed, {
            origin: ORIGIN,
            eventId: e0.eventId,
            pointer: "/payload/contactName"
          }),
          yield* CryptoShredding.unseal(sealed, {
            origin: "staging",
            eventId: e0.eventId,
            pointer: "/payload/travellerName"
          })
        ]
      })
    )
    expect(r.map((x) => x.status)).toEqual(["AUTH_FAILED", "AUTH_FAILED", "AUTH_FAILED"])
  })

  test.prop([fc.array(fc.string(), { minLength: 50, maxLength: 200 })], { numRuns: 20 })(
    "A18: every IV is unique per kid (regression for Effect #7124)",
    (names) => {
      const ivs = runKs(
        Effect.forEach(names, (name, i) =>
          CryptoShredding.seal(name, "s-a", {
            origin: ORIGIN,
            eventId: `e-${i}`,
            pointer: "/payload/travellerName"
          })
        )
      ).map((s) => `${s.$enc.kid}|${s.$enc.iv}`)
      expect(new Set(ivs).size).toBe(ivs.length)
    }
  )

  test.prop([fc.array(travellerArb, { minLength: 2, maxLength: 25 })], { numRuns: 25 })(
    "A19: erasing subjects keeps verify PASS and roots unchanged; fields read as erased",
    (trips) => {
      const r = runKs(
        Effect.gen(function* () {
          const store = makeStore()
          yield* buildSealed(store, trips)
          const checkpoint = checkpointOf(store)
          const before = treeOf(store).rootAt()
          const ks = yield* CryptoShredding.KeyStore
          for (const subject of ["s-a", "s-b"]) {
            yield* ks.forget(subject, { requestRef: "GDPR-2026-7", legalBasis: "GDPR art. 17(1)(a)" })
          }
          const report = verify(exportLines(store), checkpoint)
          const audit = yield* CryptoShredding.auditPersonalData(yield* allEvents(store))
          return { report, before, after: treeOf(store).rootAt(), audit }
        })
      )
      expect(r.report.ok).toBe(true)
      expect(Buffer.from(r.after).equals(r.before)).toBe(true)
      const sealedCount = trips.filter((t) => t !== undefined).length
      expect(r.audit).toMatchObject({
        sealed: sealedCount,
        readable: 0,
        erased: sealedCount,
        unexplained: [],
        authFailures: []
      })
    }
  )

  it("A19: projections hold no plaintext after erasure (a read model rebuilt from the log)", () => {
    const names = runKs(
      Effect.gen(function* () {
        const store = makeStore()
        yield* buildSealed(store, [
          { subject: "s-a", name: "Anna Lind" },
          undefined,
          { subject: "s-b", name: "Bo Ek" }
        ])
        const ks = yield* CryptoShredding.KeyStore
        yield* ks.forget("s-a", { requestRef: "GDPR-2026-7", legalBasis: "GDPR art. 17" })
        const out: Array<string> = []
        for (const e of yield* allEvents(store)) {
          if (e.payload.travellerName === undefined) continue
          const u = yield* unsealAt(e)
          out.push(u.status === "ok" ? String(u.value) : `[${u.status}]`)
        }
        return out
      })
    )
    expect(names).toEqual(["[erased]", "Bo Ek"])
  })

  it("A20: sealing for an erased subject is refused; restoring a tombstoned key is flagged", () => {
    const r = runKs(
      Effect.gen(function* () {
        const ks = yield* CryptoShredding.KeyStore
        const { key } = yield* ks.keyFor("s-a")
        const backup = Buffer.from(key)
        yield* ks.forget("s-a", { requestRef: "GDPR-2026-7", legalBasis: "GDPR art. 17" })
        const seal = yield* Effect.flip(
          CryptoShredding.seal("Anna", "s-a", { origin: ORIGIN, eventId: "e", pointer: "/p" })
        )
        const restore = yield* Effect.flip(ks.restore("s-a", backup))
        return { seal, restore }
      })
    )
    expect(r.seal.reason).toBe("SubjectErased")
    expect(r.restore.reason).toBe("KeyResurrection")
    expect(r.restore.message).toContain("GDPR-2026-7")
  })

  it("a missing key without a tombstone is an audit finding, not an erasure", () => {
    const r = Effect.runSync(
      Effect.gen(function* () {
        const store = makeStore()
        yield* Effect.provide(
          buildSealed(store, [{ subject: "s-a", name: "Anna" }]),
          CryptoShredding.layerMemory
        )
        // A different, empty key store: the key is simply gone.
        return yield* Effect.provide(
          CryptoShredding.auditPersonalData(yield* allEvents(store)),
          CryptoShredding.layerMemory
        )
      })
    )
    expect(r.unexplained).toHaveLength(1)
    expect(r.erased).toBe(0)
  })
})

describe("A21: hostile inputs fail cleanly and quickly", () => {
  const { lines, checkpoint } = build(sampleCmds(5))
  const text = toText(lines)
  it.each([
    ["empty export", "", "SIZE_MISMATCH", 1],
    ["BOM", `\uFEFF${text}`, "MALFORMED", 2],
    ["CRLF", text.replaceAll("\n", "\r\n"), "MALFORMED", 2],
    ["trailing garbage", `${text}garbage`, "MALFORMED", 2],
    ["trailing garbage line", `${text}garbage\n`, "MALFORMED", 2],
    ["blank line", `${text}\n`, "MALFORMED", 2],
    ["binary noise", Buffer.from([0xff, 0xfe, 0x00, 0x0a]), "MALFORMED", 2]
  ] as const)("%s", (_name, input, failure, exitCode) => {
    const report = verify(input, checkpoint)
    expect(report).toMatchObject({ ok: false, exitCode, failure: { class: failure } })
  })

  it("a checkpoint of size 2^64 − 1 and a receipt with 10^6 proof lines are rejected without work", () => {
    const huge = checkpoint.replace(/\n5\n/, "\n18446744073709551615\n")
    expect(verify(lines, huge)).toMatchObject({ exitCode: 2, failure: { class: "MALFORMED" } })
    const proof = ["c2sp.org/tlog-proof@v1", `extra ${Buffer.alloc(32).toString("base64")}`, "index 0"]
      .concat(new Array(1_000_000).fill(Buffer.alloc(32).toString("base64")))
      .concat(["", checkpoint])
      .join("\n")
    // Refused by its size before any line is parsed or hashed (the reason says which guard fired).
    const r = Receipt.verify({ record: "{}", proof }, trust)
    expect(Result.isFailure(r) && r.failure).toEqual({ class: "MALFORMED", detail: "the proof is too long or has CR line endings" })
  })

  it("a streamed export with one gigantic line is refused in bounded memory", async () => {
    async function* chunks() {
      const block = Buffer.alloc(1024 * 1024, 0x61)
      for (let i = 0; i < 80; i++) yield block
    }
    const report = await Verify.verifyExportStream(chunks(), { trust, checkpoint })
    expect(report).toMatchObject({ exitCode: 2, failure: { class: "MALFORMED" } })
  })
})

describe("metamorphic: append-only growth passes against every earlier checkpoint", () => {
  test.prop([logArb, fc.array(cmdArb, { maxLength: 20 }), fc.nat()], RUNS)("growth", (cmds, more, a) => {
    const store = makeStore()
    appendAll(store, cmds)
    const earlier = [checkpointOf(store), checkpointOf(store, 1 + (a % cmds.length))]
    appendAll(store, more)
    const report = verify(exportLines(store), checkpointOf(store), earlier)
    expect(report).toMatchObject({ ok: true, previousChecked: 2 })
    // And the logless path: consistency proofs from the tree.
    const tree = treeOf(store)
    for (const note of earlier) {
      const old = Result.getOrThrow(Checkpoint.verifyNote(note, trust)).checkpoint
      const now = { origin: ORIGIN, size: tree.size, root: tree.rootAt() }
      expect(Verify.checkpointsConsistent(old, now, tree.consistencyProof(old.size))).toBeUndefined()
    }
  })
})
