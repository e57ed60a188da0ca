// The verifier's engine against records and reports written out by hand (mutation testing of
// `internal/LogVerifier.ts`): every check's class, position and exact words, the report of a good
// log (its Merkle root computed here with node:crypto per RFC 9162, not by the audit package), a
// failure that stays, the open (chunk) mode's seams and snapshots, and what `prepare` says of the
// checkpoint notes before any record is read.
import { createHash } from "node:crypto"
import { describe, expect, it } from "vitest"
import * as Checkpoint from "../src/Checkpoint.js"
import { initialState, makeEngine, type Open } from "../src/internal/LogVerifier.js"
import * as Verify from "../src/Verify.js"
import {
  appendAll,
  checkpointOf,
  exportLines,
  logKey,
  makeStore,
  ORIGIN,
  sampleCmds,
  toText,
  trust,
  witnessKey
} from "./fixtures.js"

const GENESIS = "0".repeat(64)
const sha = (...parts: ReadonlyArray<Buffer>) => createHash("sha256").update(Buffer.concat(parts)).digest()
const chainOf = (prevHex: string, canonical: string) =>
  sha(Buffer.from(prevHex, "hex"), Buffer.from(canonical, "utf8")).toString("hex")
const leaf = (hex: string) => sha(Buffer.from([0]), Buffer.from(hex, "hex"))
const node = (l: Buffer, r: Buffer) => sha(Buffer.from([1]), l, r)

const T1 = "2026-01-01T00:00:00.000Z"
const T2 = "2026-01-02T00:00:00.000Z"

interface Body {
  origin?: unknown
  payload?: unknown
  position?: unknown
  recordedAt?: unknown
  streamId?: unknown
  streamPrev?: unknown
  streamVersion?: unknown
  v?: unknown
}
// A record's text with its keys in RFC 8785 order (written in that order: JSON.stringify keeps it).
const text = (b: Body): string => {
  const o: Record<string, unknown> = {}
  for (const k of [
    "origin",
    "payload",
    "position",
    "recordedAt",
    "streamId",
    "streamPrev",
    "streamVersion",
    "v"
  ] as const)
    if (k in b) o[k] = b[k]
  return JSON.stringify(o)
}
const body = (
  position: number,
  streamId: string,
  streamVersion: number,
  streamPrev: string | null,
  over: Body = {}
): Body => ({
  origin: "o",
  payload: { n: position },
  position,
  recordedAt: T1,
  streamId,
  streamPrev,
  streamVersion,
  v: 1,
  ...over
})

interface Rec {
  readonly canonical: string
  readonly prevHash: string
  readonly hash: string
}
const chain = (texts: ReadonlyArray<string>, prev = GENESIS): Array<Rec> =>
  texts.map((canonical) => {
    const r = { canonical, prevHash: prev, hash: chainOf(prev, canonical) }
    prev = r.hash
    return r
  })

const context = (origin?: string) => ({ origin, checkpoint: undefined, previous: [], warnings: [] })

// Pushes records until one fails; answers that failure (or undefined) and the engine.
const run = (recs: ReadonlyArray<Rec>, origin?: string) => {
  const engine = makeEngine(context(origin))
  for (const r of recs) {
    const f = engine.pushParts(r.canonical, r.prevHash, r.hash)
    if (f !== undefined) return { failure: f, engine }
  }
  return { failure: undefined, engine }
}
const failureOf = (texts: ReadonlyArray<string>, origin?: string) => run(chain(texts), origin).failure

// A good first record of stream "a", and its hash.
const first = text(body(0, "a", 1, null))
const firstHash = chainOf(GENESIS, first)

describe("the verifier's engine, by hand", () => {
  it("reports a good log: records, streams, origin and the RFC 9162 root", () => {
    // Record 1 holds an escaped quote (the exact path), record 2 has record 0's shape (a template).
    const t0 = first
    const t1 = text(body(1, "b", 1, null, { payload: { n: 'say "hej"' } }))
    const t2 = text(body(2, "a", 2, firstHash, { recordedAt: T2 }))
    const recs = chain([t0, t1, t2])
    const { failure, engine } = run(recs)
    expect(failure).toBeUndefined()
    const root = node(node(leaf(recs[0]!.hash), leaf(recs[1]!.hash)), leaf(recs[2]!.hash))
    expect(engine.finish()).toEqual({
      origin: "o",
      records: 3,
      streams: 2,
      root: root.toString("base64"),
      previousChecked: 0,
      warnings: [],
      ok: true,
      exitCode: 0
    })
    expect(engine.state.prevHash).toBe(recs[2]!.hash)
    expect(engine.state.lastRecordedAt).toBe(T2)
    expect(engine.state.streams.get("a")).toEqual({ version: 2, hash: recs[2]!.hash })
    expect(engine.state.streams.get("b")).toEqual({ version: 1, hash: recs[1]!.hash })
  })

  it("reports an empty log with the root of no leaves, SHA-256 of nothing", () => {
    expect(makeEngine(context("o")).finish()).toEqual({
      origin: "o",
      records: 0,
      streams: 0,
      root: "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
      previousChecked: 0,
      warnings: [],
      ok: true,
      exitCode: 0
    })
    // Without an origin given or read, the report names none.
    expect(makeEngine(context()).finish()).not.toHaveProperty("origin")
  })

  it("names records that are not canonical JSON objects", () => {
    const notCanonical = (_t: string, detail: string) => ({ class: "NOT_CANONICAL", position: 0, detail })
    expect(failureOf(["{"])).toEqual(notCanonical("{", "the record is not JSON"))
    expect(failureOf([first.replace('"v":1', '"v": 1')])).toEqual(
      notCanonical("", "the record's bytes are not the RFC 8785 form of its content")
    )
    for (const t of ["[]", "null", "7", '"x"']) {
      expect(failureOf([t]), t).toEqual({
        class: "BAD_RECORD",
        position: 0,
        detail: "the record is not a JSON object"
      })
    }
  })

  it("names an unknown envelope version, read fast or exactly", () => {
    const bad = (detail: string) => ({ class: "BAD_RECORD", position: 0, detail })
    expect(failureOf([text(body(0, "a", 1, null, { v: 2 }))])).toEqual(bad("unknown envelope version 2"))
    expect(failureOf([text(body(0, "a", 1, null, { v: "1" }))])).toEqual(bad("unknown envelope version 1"))
    const { v: _v, ...noVersion } = body(0, "a", 1, null)
    expect(failureOf([text(noVersion)])).toEqual(bad("unknown envelope version undefined"))
  })

  it("names a position out of place, and a position that is no number", () => {
    const moved = "an event was removed, inserted or moved"
    expect(failureOf([text(body(1, "a", 1, null))])).toEqual({
      class: "SEQ",
      position: 0,
      detail: `found position 1 where 0 was expected: ${moved}`
    })
    expect(failureOf([text(body(0, "a", 1, null, { position: "0" }))])).toEqual({
      class: "SEQ",
      position: 0,
      detail: `found position "0" where 0 was expected: ${moved}`
    })
    expect(failureOf([first, text(body(2, "a", 2, firstHash))])).toEqual({
      class: "SEQ",
      position: 1,
      detail: `found position 2 where 1 was expected: ${moved}`
    })
  })

  it("names a record without an origin, or of another log", () => {
    const { origin: _o, ...noOrigin } = body(0, "a", 1, null)
    const none = { class: "BAD_RECORD", position: 0, detail: "the record has no origin" }
    expect(failureOf([text(noOrigin)])).toEqual(none)
    expect(failureOf([text(body(0, "a", 1, null, { origin: 5 }))])).toEqual(none)
    expect(failureOf([first], "p")).toEqual({
      class: "ORIGIN",
      position: 0,
      detail: 'the record belongs to log "o", not "p"'
    })
    // Without an expected origin, the first record's is the log's.
    const { failure, engine } = run(chain([first, text(body(1, "b", 1, null, { origin: "p" }))]))
    expect(failure).toEqual({
      class: "ORIGIN",
      position: 1,
      detail: 'the record belongs to log "p", not "o"'
    })
    expect(engine.finish()).toMatchObject({ ok: false, exitCode: 1, origin: "o", records: 1, streams: 1 })
  })

  it("names a broken chain: the previous hash, then the record's own hash", () => {
    const t1 = text(body(1, "b", 1, null))
    const [r0] = chain([first])
    const other = "ab".repeat(32)
    const engine = makeEngine(context())
    expect(engine.pushParts(r0!.canonical, r0!.prevHash, r0!.hash)).toBeUndefined()
    expect(engine.pushParts(t1, other, chainOf(other, t1))).toEqual({
      class: "CHAIN",
      position: 1,
      detail: "prevHash does not equal the hash of the previous event"
    })
    const altered = {
      class: "CHAIN",
      position: 0,
      detail: "hash is not SHA-256(prevHash ‖ record): the record or its hash was altered"
    }
    expect(makeEngine(context()).pushParts(first, GENESIS, chainOf(GENESIS, t1))).toEqual(altered)
    // A claimed hash that is not 64 lowercase hex digits is no record's hash, not even empty.
    for (const claimed of ["", chainOf(GENESIS, first).toUpperCase(), `${chainOf(GENESIS, first)} `])
      expect(makeEngine(context()).pushParts(first, GENESIS, claimed), claimed).toEqual(altered)
    // The first record chains from the genesis hash, not from any other.
    expect(makeEngine(context()).pushParts(first, other, chainOf(other, first))).toMatchObject({
      class: "CHAIN",
      position: 0
    })
  })

  it("names a record without a recorded-at time, or one earlier than the last (an equal one is fine)", () => {
    const { recordedAt: _r, ...noTime } = body(0, "a", 1, null)
    const none = { class: "BAD_RECORD", position: 0, detail: "the record has no recordedAt" }
    expect(failureOf([text(noTime)])).toEqual(none)
    expect(failureOf([text(body(0, "a", 1, null, { recordedAt: 5 }))])).toEqual(none)
    const later = text(body(0, "a", 1, null, { recordedAt: T2 }))
    expect(failureOf([later, text(body(1, "b", 1, null, { recordedAt: T1 }))])).toEqual({
      class: "SEQ",
      position: 1,
      detail: `recordedAt ${T1} is earlier than the previous event's ${T2}`
    })
    expect(failureOf([first, text(body(1, "b", 1, null, { recordedAt: T1 }))])).toBeUndefined()
  })

  it("names stream fields of the wrong type", () => {
    const lacks = {
      class: "BAD_RECORD",
      position: 0,
      detail: "the record lacks streamId, streamVersion or streamPrev"
    }
    expect(failureOf([text(body(0, "a", 1, null, { streamId: 5 }))])).toEqual(lacks)
    expect(failureOf([text(body(0, "a", 1, null, { streamVersion: "1" }))])).toEqual(lacks)
    expect(failureOf([text(body(0, "a", 1, "abc"))])).toEqual(lacks)
    expect(failureOf([text(body(0, "a", 1, "AB".repeat(32)))])).toEqual(lacks)
    expect(failureOf([text(body(0, "a", 1, null, { streamPrev: 0 }))])).toEqual(lacks)
    expect(failureOf([text(body(0, "a", 1, `x${"ab".repeat(32)}`))])).toEqual(lacks)
    expect(failureOf([text(body(0, "a", 1, `${"ab".repeat(32)}x`))])).toEqual(lacks)
  })

  it("names a stream that jumps a version or does not link to its previous event", () => {
    const jump = (position: number, from: number, to: number) => ({
      class: "STREAM_LINK",
      position,
      detail: `stream a jumps from version ${from} to ${to}`
    })
    expect(failureOf([text(body(0, "a", 2, null))])).toEqual(jump(0, 0, 2))
    expect(failureOf([text(body(0, "a", 0, null))])).toEqual(jump(0, 0, 0))
    expect(failureOf([first, text(body(1, "a", 1, firstHash))])).toEqual(jump(1, 1, 1))
    expect(failureOf([first, text(body(1, "a", 3, firstHash))])).toEqual(jump(1, 1, 3))
    const unlinked = (position: number) => ({
      class: "STREAM_LINK",
      position,
      detail: "streamPrev of stream a does not link to its previous event"
    })
    expect(failureOf([text(body(0, "a", 1, "ab".repeat(32)))])).toEqual(unlinked(0))
    expect(failureOf([first, text(body(1, "a", 2, null))])).toEqual(unlinked(1))
    expect(failureOf([first, text(body(1, "a", 2, "ab".repeat(32)))])).toEqual(unlinked(1))
    // Linking to the previous event of the log, which is of another stream, is no link.
    const t1 = text(body(1, "b", 1, null))
    const h1 = chainOf(firstHash, t1)
    expect(failureOf([first, t1, text(body(2, "a", 2, h1))])).toEqual(unlinked(2))
  })

  it("stays failed: a good record after a failure returns the same failure, and finish reports it", () => {
    const recs = chain([first, text(body(1, "b", 2, null)), text(body(2, "b", 1, null))])
    const engine = makeEngine(context())
    expect(engine.pushParts(recs[0]!.canonical, recs[0]!.prevHash, recs[0]!.hash)).toBeUndefined()
    const f = engine.pushParts(recs[1]!.canonical, recs[1]!.prevHash, recs[1]!.hash)
    expect(f).toEqual({ class: "STREAM_LINK", position: 1, detail: "stream b jumps from version 0 to 2" })
    expect(engine.push(recs[0]!)).toBe(f)
    expect(engine.pushLine("anything")).toBe(f)
    expect(engine.finish()).toEqual({
      origin: "o",
      records: 1,
      streams: 1,
      root: leaf(recs[0]!.hash).toString("base64"),
      previousChecked: 0,
      warnings: [],
      ok: false,
      exitCode: 1,
      failure: f
    })
  })

  it("names a line that is no export line with its line number, as malformed input (exit code 2)", () => {
    const [r0] = chain([first])
    const engine = makeEngine(context())
    expect(
      engine.pushLine(`{"event":${r0!.canonical},"hash":"${r0!.hash}","prevHash":"${r0!.prevHash}"}`)
    ).toBeUndefined()
    const f = engine.pushLine("garbage")
    expect(f).toEqual({
      class: "MALFORMED",
      position: 1,
      detail: 'line 2: the line is not {"event":…,"hash":"…","prevHash":"…"}'
    })
    expect(engine.finish()).toMatchObject({ ok: false, exitCode: 2, records: 1, failure: f })
  })

  it("fail keeps the first failure given", () => {
    const engine = makeEngine(context())
    const a = { class: "STORE_ERROR" as const, detail: "the disk is gone" }
    expect(engine.fail(a)).toMatchObject({ ok: false, exitCode: 1, failure: a, records: 0 })
    expect(engine.fail({ class: "MALFORMED", detail: "later" })).toMatchObject({ exitCode: 1, failure: a })
  })
})

describe("the engine open, as the parallel verifier runs a chunk", () => {
  const openOf = (snapshotAt: ReadonlyArray<number> = []): Open => ({
    snapshotAt: new Set(snapshotAt),
    firsts: [],
    snapshots: [],
    firstPrevHash: undefined,
    firstRecordedAt: undefined
  })
  const seed = (position: number) => ({ ...initialState(), position })
  const seam = "cd".repeat(32)
  const aPrev = "ef".repeat(32)

  it("takes the first record's prevHash, time and each stream's first event as they come, for the seams", () => {
    const t5 = text(body(5, "a", 4, aPrev, { recordedAt: T1 }))
    const t6 = text(body(6, "b", 1, null, { recordedAt: T2 }))
    const recs = chain([t5, t6, text(body(7, "a", 5, chainOf(seam, t5), { recordedAt: T2 }))], seam)
    const open = openOf([6, 8])
    const engine = makeEngine(context(), seed(5), open)
    for (const r of recs) expect(engine.pushParts(r.canonical, r.prevHash, r.hash)).toBeUndefined()
    expect(open.firstPrevHash).toBe(seam)
    expect(open.firstRecordedAt).toBe(T1)
    expect(open.firsts).toEqual([
      ["a", 4, aPrev],
      ["b", 1, null]
    ])
    const l5 = leaf(recs[0]!.hash)
    const l6 = leaf(recs[1]!.hash)
    const l7 = leaf(recs[2]!.hash)
    expect(engine.finish()).toMatchObject({ ok: true, records: 8, streams: 2 })
    // The local range at positions 6 and 8 (the range starts empty at the chunk's start).
    expect(open.snapshots).toEqual([
      [6, [l5.toString("latin1")]],
      [8, [node(l5, l6).toString("latin1"), l7.toString("latin1")]]
    ])
  })

  it("checks the first prevHash's form, and links a stream's later events within the chunk", () => {
    const t5 = text(body(5, "a", 4, aPrev))
    const notHex = { class: "CHAIN", position: 5, detail: "prevHash is not 64 lowercase hex digits" }
    expect(
      makeEngine(context(), seed(5), openOf()).pushParts(t5, "CD".repeat(32), chainOf(seam, t5))
    ).toEqual(notHex)
    expect(makeEngine(context(), seed(5), openOf()).pushParts(t5, "cd", chainOf(seam, t5))).toEqual(notHex)
    // 64 hex digits with anything before or after them are not 64 hex digits.
    for (const prev of [`x${seam}`, `${seam}x`]) {
      expect(makeEngine(context(), seed(5), openOf()).pushParts(t5, prev, chainOf(seam, t5)), prev).toEqual(
        notHex
      )
    }
    const engine = makeEngine(context(), seed(5), openOf())
    const [r5, r6] = chain([t5, text(body(6, "a", 6, null))], seam)
    expect(engine.pushParts(r5!.canonical, r5!.prevHash, r5!.hash)).toBeUndefined()
    expect(engine.pushParts(r6!.canonical, r6!.prevHash, r6!.hash)).toEqual({
      class: "STREAM_LINK",
      position: 6,
      detail: "stream a jumps from version 4 to 6"
    })
  })
})

describe("the checkpoint notes, before any record", () => {
  const failedWith = (failure: Verify.Failure, exitCode: 1 | 2) => ({
    records: 0,
    streams: 0,
    previousChecked: 0,
    warnings: [],
    ok: false,
    exitCode,
    failure
  })
  const logOf = (n: number, note = "") => {
    const store = makeStore()
    appendAll(
      store,
      sampleCmds(n).map((c) => ({ ...c, note: `${c.note}${note}` }))
    )
    return store
  }
  const T = 1_790_000_000

  it("refuses earlier checkpoints without a current one, and a checkpoint without a trust policy", () => {
    const store = logOf(3)
    expect(Verify.verifyExport("", { previous: [checkpointOf(store)] })).toEqual(
      failedWith(
        { class: "MALFORMED", detail: "earlier checkpoints need a current checkpoint to compare with" },
        2
      )
    )
    expect(Verify.verifyExport("", { previous: [] })).toMatchObject({ ok: true, records: 0 })
    expect(Verify.verifyExport("", { checkpoint: checkpointOf(store) })).toEqual(
      failedWith(
        {
          class: "MALFORMED",
          detail: "a checkpoint can only be verified with a trust policy (log vkeys and origin)"
        },
        2
      )
    )
  })

  it("names which note failed: the checkpoint or earlier checkpoint #i", () => {
    const store = logOf(3)
    const lines = toText(exportLines(store))
    const foreign = Checkpoint.cosign(
      Checkpoint.sign({ origin: "other", size: 1, root: new Uint8Array(32) }, logKey),
      witnessKey,
      T
    )
    const forLog = `the checkpoint is for log "other", expected ${JSON.stringify(ORIGIN)}`
    expect(Verify.verifyExport(lines, { trust, checkpoint: foreign })).toEqual(
      failedWith({ class: "ORIGIN", detail: `checkpoint: ${forLog}` }, 1)
    )
    expect(
      Verify.verifyExport(lines, {
        trust,
        checkpoint: checkpointOf(store),
        previous: [checkpointOf(store, 1), foreign]
      })
    ).toEqual(failedWith({ class: "ORIGIN", detail: `earlier checkpoint #1: ${forLog}` }, 1))
  })

  it("does not ask earlier checkpoints for a witness; counts every one checked, also two of one size", () => {
    const store = logOf(4)
    const unwitnessed = (size: number) =>
      Checkpoint.sign({ origin: ORIGIN, size, root: rootOf(store, size) }, logKey)
    const report = Verify.verifyExport(toText(exportLines(store)), {
      trust,
      checkpoint: checkpointOf(store),
      previous: [unwitnessed(2), checkpointOf(store, 2), checkpointOf(store, 0), checkpointOf(store, 4)]
    })
    expect(report).toMatchObject({ ok: true, records: 4, previousChecked: 4 })
    expect(report.checkpoint).toEqual({
      size: 4,
      root: rootOf(store, 4).toString("base64"),
      signedBy: [logKey.name],
      cosignatures: [{ witness: witnessKey.name, time: T }]
    })
  })

  it("names a rollback and a fork with both notes as evidence; an equal earlier checkpoint is neither", () => {
    const store = logOf(5)
    const lines = toText(exportLines(store))
    const current = checkpointOf(store, 3)
    const bigger = checkpointOf(store, 5)
    expect(
      Verify.verifyExport(lines, { trust, checkpoint: current, previous: [checkpointOf(store, 1), bigger] })
    ).toEqual(
      failedWith(
        {
          class: "ROLLBACK",
          detail:
            "the checkpoint has size 3, but earlier checkpoint #1 already had size 5: the log was rolled back or an old checkpoint replayed",
          evidence: [bigger, current]
        },
        1
      )
    )
    const forked = checkpointOf(logOf(3, " (forked)"))
    expect(Verify.verifyExport(lines, { trust, checkpoint: current, previous: [forked] })).toEqual(
      failedWith(
        {
          class: "FORK",
          detail:
            "earlier checkpoint #0 and this one both have size 3 but different roots: keep both signed notes, together they prove a split view",
          evidence: [forked, current]
        },
        1
      )
    )
    const three = toText(exportLines(store).slice(0, 3))
    expect(Verify.verifyExport(three, { trust, checkpoint: current, previous: [current] })).toMatchObject({
      ok: true,
      previousChecked: 1
    })
  })

  it("warns of a stale checkpoint by its newest cosignature, strictly past the age allowed", () => {
    const store = logOf(2)
    const lines = toText(exportLines(store))
    const second = Checkpoint.makeSigner({
      name: "riksrevisionen.example",
      seed: Buffer.alloc(32, 13),
      alg: Checkpoint.ALG_COSIGNATURE_V1
    })
    const trust2 = { ...trust, witnesses: [witnessKey.verifier, second.verifier] }
    const note = Checkpoint.cosign(checkpointOf(store, undefined, undefined, T - 50), second, T)
    const warnings = (maxCheckpointAgeSeconds: number | undefined, now: number | undefined) =>
      Verify.verifyExport(lines, {
        trust: trust2,
        checkpoint: note,
        ...(maxCheckpointAgeSeconds === undefined ? {} : { maxCheckpointAgeSeconds }),
        ...(now === undefined ? {} : { now })
      }).warnings
    expect(warnings(100, T + 100)).toEqual([])
    expect(warnings(99, T + 100)).toEqual(["the checkpoint is stale: its newest cosignature is 100 s old"])
    expect(warnings(99, undefined)).toEqual([])
    expect(warnings(undefined, T + 100)).toEqual([])
    const unwitnessed = Checkpoint.sign({ origin: ORIGIN, size: 2, root: rootOf(store, 2) }, logKey)
    const report = Verify.verifyExport(lines, {
      trust: { ...trust, witnessQuorum: 0 },
      checkpoint: unwitnessed,
      maxCheckpointAgeSeconds: 10,
      now: T
    })
    expect(report).toMatchObject({
      ok: true,
      warnings: ["the checkpoint carries no witness time, so its age is unknown"]
    })
  })
})

describe("the log against its checkpoints", () => {
  const logOf = (n: number, note = "") => {
    const store = makeStore()
    appendAll(
      store,
      sampleCmds(n).map((c) => ({ ...c, note: `${c.note}${note}` }))
    )
    return store
  }

  it("names a rewritten prefix at the earlier checkpoint's size", () => {
    const store = logOf(5)
    const earlier = checkpointOf(logOf(2, " (before)"))
    const report = Verify.verifyExport(toText(exportLines(store)), {
      trust,
      checkpoint: checkpointOf(store),
      previous: [earlier]
    })
    expect(report.failure).toEqual({
      class: "INCONSISTENT_WITH_PREVIOUS",
      position: 2,
      detail:
        "the first 2 events no longer hash to the root of an earlier signed checkpoint of that size: history was rewritten",
      evidence: [earlier]
    })
    expect(report).toMatchObject({ ok: false, exitCode: 1, records: 2 })
    // At the end of the log as well (which is short of the current checkpoint: the rewrite is named first).
    const longer = logOf(7)
    const atEnd = checkpointOf(logOf(5, " (before)"))
    expect(
      Verify.verifyExport(toText(exportLines(longer).slice(0, 5)), {
        trust,
        checkpoint: checkpointOf(longer),
        previous: [checkpointOf(longer, 1), atEnd]
      }).failure
    ).toMatchObject({ class: "INCONSISTENT_WITH_PREVIOUS", position: 5, evidence: [atEnd] })
  })

  it("tells a short log, a longer one, a forged prefix and a forged log apart", () => {
    const store = logOf(7)
    const lines = exportLines(store)
    const seven = checkpointOf(store)
    const five = checkpointOf(store, 5)
    const short = Verify.verifyExport(toText(lines.slice(0, 5)), { trust, checkpoint: seven })
    expect(short.failure).toEqual({
      class: "SIZE_MISMATCH",
      position: 5,
      detail: "the log holds 5 events but the checkpoint covers 7: events are missing at the tail"
    })
    expect(Verify.verifyExport(toText(lines), { trust, checkpoint: five }).failure).toEqual({
      class: "SIZE_MISMATCH",
      position: 7,
      detail: "the log holds 7 events but the checkpoint covers 5"
    })
    const forgedFive = checkpointOf(logOf(5, " (forged)"))
    expect(Verify.verifyExport(toText(lines), { trust, checkpoint: forgedFive }).failure).toEqual({
      class: "ROOT_MISMATCH",
      detail: "the first 5 events do not hash to the signed checkpoint root: the log was altered"
    })
    // A log of the checkpoint's size is compared at that size too, so it is named the same way.
    const forgedSeven = checkpointOf(logOf(7, " (forged)"))
    expect(Verify.verifyExport(toText(lines), { trust, checkpoint: forgedSeven }).failure).toEqual({
      class: "ROOT_MISMATCH",
      detail: "the first 7 events do not hash to the signed checkpoint root: the log was altered"
    })
  })
})

// The RFC 9162 root of a store's first `size` events, computed here from the event hashes.
function rootOf(store: ReturnType<typeof makeStore>, size: number): Buffer {
  const hashes = exportLines(store)
    .slice(0, size)
    .map((l) => (JSON.parse(l) as { hash: string }).hash)
  const mth = (ls: ReadonlyArray<Buffer>): Buffer => {
    if (ls.length === 0) return sha()
    if (ls.length === 1) return ls[0]!
    let k = 1
    while (k * 2 < ls.length) k *= 2
    return node(mth(ls.slice(0, k)), mth(ls.slice(k)))
  }
  return mth(hashes.map(leaf))
}
