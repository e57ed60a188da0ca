/**
 * The parallel verifier against the sequential one, on real SQLite files: for random logs, a
 * random tampering of the stored rows (the record-level cases of A1–A22, applied in the database
 * file as an attacker with file access would), random checkpoints and random chunk sizes, both
 * must give the same report, field for field. The chunks run in this thread here (`threads:
 * false`, the same algorithm) so that hundreds of cases stay fast; worker threads are tested
 * separately below, and through the CLI in packages/cli/test/verify-parallel.test.ts.
 */

import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fc, test } from "@fast-check/vitest"
import { canonicalize, type JsonObject } from "@utblick/core/CanonicalJson"
import { chainHash, GENESIS_HASH } from "@utblick/core/HashChain"
import { layer as sqliteLayer } from "@utblick/store-sqlite/SqliteEventStore"
import Database from "better-sqlite3"
import { Effect } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import * as Checkpoint from "../src/Checkpoint.js"
import * as MerkleTree from "../src/MerkleTree.js"
import * as ParallelVerify from "../src/ParallelVerify.js"
import * as Verify from "../src/Verify.js"
import { type Cmd, logKey, ORIGIN, trust, witnessKey } from "./fixtures.js"
import { writeSqliteLog } from "./sqliteLog.js"

const dir = mkdtempSync(join(tmpdir(), "parallel-verify-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let files = 0

const cmdArb: fc.Arbitrary<Cmd> = fc.record({
  stream: fc.constantFrom("grant-1", "trip-7", "membership-3", "grant-2", "trip-9"),
  type: fc.constantFrom("GrantDecisionTaken", "TripBooked", "MembershipChanged"),
  decider: fc.constantFrom("official:17", "board"),
  amountMinor: fc.maxSafeNat(),
  note: fc.string(),
  decisionRef: fc.option(fc.constantFrom("2026/113", "2026/114"), { nil: undefined })
})

/** A new SQLite log file holding `cmds`, one append each. */
const makeLog = (cmds: ReadonlyArray<Cmd>): Promise<string> =>
  writeSqliteLog(join(dir, `log-${files++}.db`), cmds)

type Row = { position: number; body: string; prev_hash: string; hash: string }

const rowsOf = (filename: string): Array<Row> => {
  const db = new Database(filename, { readonly: true })
  const rows = db
    .prepare("SELECT position, body, prev_hash, hash FROM events ORDER BY position")
    .all() as Array<Row>
  db.close()
  return rows
}

const checkpointAt = (rows: ReadonlyArray<Row>, size: number): string => {
  const tree = MerkleTree.fromLeafHashes(
    rows.map((r) => MerkleTree.hashLeaf(MerkleTree.leafInputFromHex(r.hash)))
  )
  const note = Checkpoint.sign({ origin: ORIGIN, size, root: tree.rootAt(size) }, logKey)
  return Checkpoint.cosign(note, witnessKey, 1_790_000_000)
}

const sequential = (filename: string, options: Verify.Options) =>
  Effect.runPromise(
    Effect.scoped(Effect.provide(Verify.verifyStore(options), sqliteLayer({ filename, readonly: true })))
  )

/** Rewrites bodies from `from` on and recomputes every hash and stream link after, as a forger would. */
const forge = (
  db: Database.Database,
  rows: ReadonlyArray<Row>,
  mutate: (b: Record<string, unknown>, i: number) => Record<string, unknown>
) => {
  let prev = GENESIS_HASH
  const tips = new Map<string, string>()
  const update = db.prepare("UPDATE events SET body = ?, prev_hash = ?, hash = ? WHERE position = ?")
  rows.forEach((row, i) => {
    const original = JSON.parse(row.body) as Record<string, unknown>
    const body = mutate({ ...original, streamPrev: tips.get(original.streamId as string) ?? null }, i)
    const canonical = canonicalize(body as JsonObject)
    const hash = chainHash(prev, canonical)
    update.run(canonical, prev, hash, row.position)
    tips.set(body.streamId as string, hash)
    prev = hash
  })
}

const flip = (s: string, at: number, bit: number) => {
  const b = Buffer.from(s)
  const k = at % b.length
  b[k] = (b[k] as number) ^ (1 << bit)
  return b.toString()
}

/** The record-level attacks of A1–A22 that a store file can suffer, by name. */
const tamper = (filename: string, attack: string, a: number, b: number, bit: number) => {
  const rows = rowsOf(filename)
  const n = rows.length
  const i = a % n
  const j = b % n
  const db = new Database(filename)
  const set = (column: string, value: string, position: number) =>
    db.prepare(`UPDATE events SET ${column} = ? WHERE position = ?`).run(value, position)
  const row = rows[i] as Row
  switch (attack) {
    case "A1 body bit":
      set("body", flip(row.body, b, bit), i)
      break
    case "A1 hash bit":
      set("hash", flip(row.hash, b, bit), i)
      break
    case "A1 prevHash bit":
      set("prev_hash", flip(row.prev_hash, b, bit), i)
      break
    case "A2 whitespace":
      set("body", row.body.replace(",", ", "), i)
      break
    case "A2 key order":
      set(
        "body",
        JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(row.body) as object).reverse())),
        i
      )
      break
    case "A2 escape":
      set("body", row.body.replace('"v":1', '"v":1.0').replace('"tenant":"l', '"tenant":"\\u006c'), i)
      break
    case "A3 swap": {
      db.prepare("UPDATE events SET position = -1 WHERE position = ?").run(i)
      db.prepare("UPDATE events SET position = ? WHERE position = ?").run(i, j)
      db.prepare("UPDATE events SET position = ? WHERE position = -1").run(j)
      break
    }
    case "A4 delete":
      db.prepare("DELETE FROM events WHERE position = ?").run(i)
      break
    case "A5 truncate":
      db.prepare("DELETE FROM events WHERE position >= ?").run(i)
      break
    case "A6 forged payload":
      forge(db, rows, (body, k) =>
        k === i ? { ...body, payload: { amountMinor: 1, note: "forged" } } : body
      )
      break
    case "A14 stream version":
      forge(db, rows, (body, k) =>
        k === i ? { ...body, streamVersion: (body.streamVersion as number) + 1 + (b % 2) } : body
      )
      break
    case "A14 stream prev":
      forge(db, rows, (body, k) => (k === i ? { ...body, streamPrev: "ab".repeat(32) } : body))
      break
    case "SEQ recordedAt":
      forge(db, rows, (body, k) => (k === i ? { ...body, recordedAt: "2000-01-01T00:00:00.000Z" } : body))
      break
    case "A11 origin":
      forge(db, rows, (body, k) => (k === i ? { ...body, origin: "other.example/log" } : body))
      break
    case "none":
      break
  }
  db.close()
}

const ATTACKS = [
  "none",
  "A1 body bit",
  "A1 hash bit",
  "A1 prevHash bit",
  "A2 whitespace",
  "A2 key order",
  "A2 escape",
  "A3 swap",
  "A4 delete",
  "A5 truncate",
  "A6 forged payload",
  "A14 stream version",
  "A14 stream prev",
  "SEQ recordedAt",
  "A11 origin"
] as const

const ALWAYS_FOUND: ReadonlyArray<string> = [
  "A1 body bit",
  "A1 hash bit",
  "A1 prevHash bit",
  "A2 whitespace",
  "A2 key order",
  "A2 escape",
  "A14 stream version",
  "A14 stream prev",
  "A11 origin"
]

describe("ParallelVerify: the same report as the sequential verifier", () => {
  test.prop(
    [
      fc.array(cmdArb, { minLength: 1, maxLength: 40 }),
      fc.constantFrom(...ATTACKS),
      fc.nat(),
      fc.nat(),
      fc.integer({ min: 0, max: 7 }),
      fc.constantFrom(1, 2, 4, 8, 16),
      fc.option(fc.nat(), { nil: undefined }),
      fc.array(fc.nat(), { maxLength: 3 })
    ],
    { numRuns: 200 }
  )(
    "for every record-level attack, chunk size and set of checkpoints",
    async (cmds, attack, a, b, bit, chunkSize, cpAt, previousAt) => {
      const filename = await makeLog(cmds)
      const honest = rowsOf(filename)
      const n = honest.length
      // Checkpoints of the honest log, signed before the attack (some of the tail, some not).
      const options: Verify.Options =
        cpAt === undefined
          ? {}
          : {
              trust,
              checkpoint: checkpointAt(honest, cpAt % (n + 1)),
              previous: previousAt.map((p) => checkpointAt(honest, p % ((cpAt % (n + 1)) + 1)))
            }
      tamper(filename, attack, a, b, bit)
      const expected = await sequential(filename, options)
      const parallel = await ParallelVerify.verifySqliteFile(filename, {
        ...options,
        threads: false,
        chunkSize
      })
      expect(parallel).toEqual(expected)
      // Not vacuous: these attacks are found without any checkpoint (a truncation, a deletion at
      // the tail or a forged but rechained log needs one, and is then found or not by both alike).
      if (ALWAYS_FOUND.includes(attack)) expect(expected.ok).toBe(false)
    }
  )

  it("A8–A11: a fork, a rollback, an untrusted key and another origin give the same report", async () => {
    const cmds = Array.from({ length: 12 }, (_, k) => ({
      stream: `grant-${k % 3}`,
      type: "GrantDecisionTaken",
      decider: "board",
      amountMinor: k,
      note: `n${k}`
    }))
    const filename = await makeLog(cmds)
    const rows = rowsOf(filename)
    const forged = Checkpoint.cosign(
      Checkpoint.sign({ origin: ORIGIN, size: 12, root: Buffer.alloc(32, 7) }, logKey),
      witnessKey,
      1_790_000_000
    )
    const stranger = Checkpoint.makeSigner({ name: "audit.utblick.example", seed: Buffer.alloc(32, 99) })
    const cases: Array<[string, Verify.Options]> = [
      ["FORK", { trust, checkpoint: checkpointAt(rows, 12), previous: [forged] }],
      ["ROLLBACK", { trust, checkpoint: checkpointAt(rows, 8), previous: [checkpointAt(rows, 12)] }],
      [
        "CHECKPOINT_SIGNATURE",
        {
          trust,
          checkpoint: Checkpoint.cosign(
            Checkpoint.sign({ origin: ORIGIN, size: 12, root: Buffer.alloc(32) }, stranger),
            witnessKey,
            1_790_000_000
          )
        }
      ],
      ["ORIGIN", { trust: { ...trust, origin: "other.example/log" }, checkpoint: checkpointAt(rows, 12) }]
    ]
    for (const [expectedClass, options] of cases) {
      const expected = await sequential(filename, options)
      expect(expected.failure?.class).toBe(expectedClass)
      expect(
        await ParallelVerify.verifySqliteFile(filename, { ...options, threads: false, chunkSize: 4 })
      ).toEqual(expected)
    }
  })

  it("A22: edge sizes 0, 1 and powers of two ± 1, with a checkpoint at every prefix", async () => {
    for (const size of [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17]) {
      const cmds = Array.from({ length: size }, (_, k) => ({
        stream: `grant-${k % 3}`,
        type: "GrantDecisionTaken",
        decider: "board",
        amountMinor: k,
        note: `n${k}`
      }))
      const filename = await makeLog(cmds)
      const rows = rowsOf(filename)
      const options: Verify.Options = {
        trust,
        checkpoint: checkpointAt(rows, size),
        previous: Array.from({ length: size + 1 }, (_, m) => checkpointAt(rows, m))
      }
      const expected = await sequential(filename, options)
      expect(expected).toMatchObject({ ok: true, records: size, previousChecked: size + 1 })
      for (const chunkSize of [1, 2, 4, 8]) {
        expect(
          await ParallelVerify.verifySqliteFile(filename, { ...options, threads: false, chunkSize })
        ).toEqual(expected)
      }
    }
  })
})

describe("ParallelVerify in worker threads", () => {
  const cmds = Array.from({ length: 2_000 }, (_, k) => ({
    stream: `grant-${k % 37}`,
    type: "GrantDecisionTaken",
    decider: k % 2 === 0 ? "official:17" : "board",
    amountMinor: k * 100,
    note: `decision ${k}`
  }))
  const threads = { jobs: 2, chunkSize: 128, sequentialBelow: 0 }

  it("passes an honest log with the sequential report (no fallback warning), and finds a tampered row at its position", async () => {
    const filename = await makeLog(cmds)
    const rows = rowsOf(filename)
    const options: Verify.Options = {
      trust,
      checkpoint: checkpointAt(rows, 2_000),
      previous: [checkpointAt(rows, 1_000), checkpointAt(rows, 1_537)]
    }
    const expected = await sequential(filename, options)
    expect(expected).toMatchObject({
      ok: true,
      records: 2_000,
      streams: 37,
      previousChecked: 2,
      warnings: []
    })
    expect(await ParallelVerify.verifySqliteFile(filename, { ...options, ...threads })).toEqual(expected)

    // A payload changed in chunk 11 (positions 1,408–1,535), its hash left as it was: CHAIN at 1,500.
    const db = new Database(filename)
    db.prepare(
      "UPDATE events SET body = replace(body, '\"amountMinor\":150000', '\"amountMinor\":150001') WHERE position = 1500"
    ).run()
    db.close()
    const tampered = await ParallelVerify.verifySqliteFile(filename, { ...options, ...threads })
    expect(tampered.failure).toMatchObject({ class: "CHAIN", position: 1_500 })
    expect(tampered).toEqual(await sequential(filename, options))
  })

  it("a stream link broken across a chunk seam is found at the seam, as sequentially", async () => {
    const filename = await makeLog(cmds)
    const rows = rowsOf(filename)
    const db = new Database(filename)
    // Position 640 starts chunk 5; its stream's previous event lies in chunk 4.
    forge(db, rows, (body, k) => (k === 640 ? { ...body, streamPrev: "cd".repeat(32) } : body))
    db.close()
    const report = await ParallelVerify.verifySqliteFile(filename, threads)
    expect(report.failure).toMatchObject({ class: "STREAM_LINK", position: 640 })
    expect(report).toEqual(await sequential(filename, {}))
  })

  it("a worker that cannot start leaves a warning and the log verified in this thread", async () => {
    const filename = await makeLog(cmds.slice(0, 300))
    const report = await ParallelVerify.verifySqliteFile(filename, {
      ...threads,
      workerUrl: new URL("file:///nonexistent/VerifyWorker.js")
    })
    expect(report).toMatchObject({ ok: true, records: 300 })
    expect(report.warnings).toHaveLength(1)
    expect(report.warnings[0]).toMatch(
      /^parallel verification stopped .*; the rest was verified in one thread$/
    )
  })

  it("a file that is not a log is a STORE_ERROR report", async () => {
    const report = await ParallelVerify.verifySqliteFile(join(dir, "missing.db"), threads)
    expect(report).toMatchObject({ ok: false, exitCode: 1, failure: { class: "STORE_ERROR" } })
  })
})
