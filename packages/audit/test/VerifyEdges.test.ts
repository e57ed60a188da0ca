/**
 * The entry points of verification and their own checks, each with the words of its refusal:
 * the framing of an export in memory and as a stream of chunks (BOM, CR, UTF-8, the final
 * newline, the longest pending line), which origin a store is verified against, a store that
 * cannot be read, and `checkpointsConsistent` without the log.
 */
import * as EventStore from "@utblick/core/EventStore"
import * as EventStoreError from "@utblick/core/EventStoreError"
import { Effect, Layer, Stream } from "effect"
import { describe, expect, it } from "vitest"
import type * as Checkpoint from "../src/Checkpoint.js"
import * as Verify from "../src/Verify.js"
import {
  appendAll,
  checkpointOf,
  exportLines,
  makeStore,
  ORIGIN,
  sampleCmds,
  type Store,
  toText,
  treeOf,
  trust
} from "./fixtures.js"

const store = makeStore()
appendAll(store, sampleCmds(4))
const lines = exportLines(store)
const text = toText(lines)
const note = checkpointOf(store)
const BOM = "the export starts with a byte order mark; exports are UTF-8 without BOM"
const NOT_EXPORT = 'the line is not {"event":…,"hash":"…","prevHash":"…"}'
const malformed = (detail: string, records = 0) => ({
  ok: false,
  exitCode: 2,
  records,
  failure: { class: "MALFORMED", detail }
})

async function* chunksOf(...chunks: ReadonlyArray<Uint8Array | string>) {
  for (const c of chunks) yield c
}

describe("verifyExport: the framing of an export in memory", () => {
  it("passes the export as text and as bytes, with no options at all", () => {
    const asText = Verify.verifyExport(text)
    expect(asText).toMatchObject({ ok: true, exitCode: 0, records: 4, streams: 3, origin: ORIGIN })
    const asBytes = Verify.verifyExport(Buffer.from(text, "utf8"), { trust, checkpoint: note })
    expect(asBytes).toMatchObject({ ok: true, records: 4 })
    expect(asBytes.root).toBe(asText.root)
  })

  it.each([
    ["a BOM", `\uFEFF${text}`, `line 1: ${BOM}`],
    ["a CR on line 1", text.replace("\n", "\r\n"), "line 1: the export contains CR characters; exports use LF line endings only"],
    ["a CR on line 3", `${lines[0]}\n${lines[1]}\n${lines[2]}\r\n${lines[3]}\n`, "line 3: the export contains CR characters; exports use LF line endings only"],
    ["no final newline", `${lines[0]}\n${lines[1]}\n${lines[2]}`, "line 3: the export does not end with a newline (truncated or trailing garbage)"],
    ["one line without newline", "x", "line 1: the export does not end with a newline (truncated or trailing garbage)"]
  ])("refuses %s before reading any record", (_name, input, detail) => {
    expect(Verify.verifyExport(input, { trust, checkpoint: note })).toMatchObject(malformed(detail))
  })

  it("refuses a BOM in bytes as in text (TextDecoder used to drop it silently)", () => {
    expect(Verify.verifyExport(Buffer.from(`\uFEFF${text}`, "utf8"))).toMatchObject(malformed(`line 1: ${BOM}`))
  })

  it("refuses bytes that are not UTF-8", () => {
    const bytes = Buffer.concat([Buffer.from(text, "utf8"), Buffer.from([0xc3, 0x28, 0x0a])])
    expect(Verify.verifyExport(bytes)).toMatchObject(malformed("the export is not valid UTF-8"))
  })

  it("stops at the first line that is not an export line", () => {
    const report = Verify.verifyExport(`${lines[0]}\nx\n${lines[2]}\ny\n`)
    expect(report).toMatchObject(malformed(`line 2: ${NOT_EXPORT}`, 1))
    expect(report.failure?.position).toBe(1)
  })

  it("refuses earlier checkpoints without a current one, before reading (all three entry points)", async () => {
    const detail = "earlier checkpoints need a current checkpoint to compare with"
    expect(Verify.verifyExport(text, { trust, previous: [note] })).toMatchObject(malformed(detail))
    expect(await Verify.verifyExportStream(chunksOf(text), { trust, previous: [note] })).toMatchObject(
      malformed(detail)
    )
    const viaStore = Effect.runSync(
      Effect.provideService(Verify.verifyStore({ trust, previous: [note] }), EventStore.EventStore, store)
    )
    expect(viaStore).toMatchObject(malformed(detail))
  })
})

describe("verifyExportStream: the framing of a stream of chunks", () => {
  it("passes string chunks and one-byte chunks the same way", async () => {
    const bytes = Buffer.from(text, "utf8")
    const single = Array.from(bytes, (b) => Buffer.from([b]))
    const a = await Verify.verifyExportStream(chunksOf(...lines.map((l) => `${l}\n`)))
    const b = await Verify.verifyExportStream(chunksOf(...single), { trust, checkpoint: note })
    expect(a).toMatchObject({ ok: true, records: 4 })
    expect(b).toMatchObject({ ok: true, records: 4 })
    expect(b.root).toBe(Verify.verifyExport(text).root)
    // Two lines in one chunk, the next split across three.
    const cut = Buffer.byteLength(`${lines[0]}\n${lines[1]}\n`) + 10
    const c = await Verify.verifyExportStream(
      chunksOf(bytes.subarray(0, cut), bytes.subarray(cut, cut + 5), bytes.subarray(cut + 5))
    )
    expect(c).toMatchObject({ ok: true, records: 4 })
  })

  it("refuses a BOM in the first bytes, even after an empty chunk", async () => {
    expect(await Verify.verifyExportStream(chunksOf("", `\uFEFF${text}`))).toMatchObject(malformed(BOM))
    expect(await Verify.verifyExportStream(chunksOf(new Uint8Array(0), Buffer.from(`\uFEFF${text}`)))).toMatchObject(
      malformed(BOM)
    )
  })

  it("takes only the three BOM bytes together, and only at the start, as a BOM", async () => {
    // U+FF5B (EF BD 9B) is valid UTF-8 that starts like a BOM: the line is then simply not an export line.
    expect(await Verify.verifyExportStream(chunksOf(`\uFF5B${text}`))).toMatchObject(malformed(`line 1: ${NOT_EXPORT}`))
    // EF BB 00, EF 00 BF and 00 BB BF are each one or two bytes short of a BOM and not UTF-8.
    for (const head of [
      [0xef, 0xbb, 0x00],
      [0xef, 0x00, 0xbf],
      [0x00, 0xbb, 0xbf]
    ]) {
      expect(await Verify.verifyExportStream(chunksOf(Buffer.from([...head, 0x0a])))).toMatchObject(
        malformed("a line is not valid UTF-8")
      )
    }
    // A BOM at the start of the second chunk is inside the log: line 2 is not an export line
    // (TextDecoder used to drop it, and the line passed).
    expect(await Verify.verifyExportStream(chunksOf(`${lines[0]}\n`, `\uFEFF${lines[1]}\n`))).toMatchObject(
      malformed(`line 2: ${NOT_EXPORT}`, 1)
    )
  })

  it.each([
    ["a CR", `${lines[0]}\r\n`, "the export contains CR characters; exports use LF line endings only"],
    ["a line that is not UTF-8", Buffer.from([0x7b, 0xff, 0x0a]), "a line is not valid UTF-8"],
    ["no final newline", `${lines[0]}\n${lines[1]}`, "the export does not end with a newline (truncated or trailing garbage)"]
  ])("refuses %s", async (_name, chunk, detail) => {
    expect(await Verify.verifyExportStream(chunksOf(chunk))).toMatchObject(malformed(detail, detail.startsWith("the export does not") ? 1 : 0))
  })

  it("stops at the first bad line and keeps its failure", async () => {
    const report = await Verify.verifyExportStream(chunksOf(`${lines[0]}\nx\n`, `${lines[2]}\r\n`, "no newline"))
    expect(report).toMatchObject(malformed(`line 2: ${NOT_EXPORT}`, 1))
  })

  it("holds a pending line of 64 MiB and refuses one byte more", async () => {
    const MiB64 = 4 * 16 * 1024 * 1024
    const block = Buffer.alloc(MiB64 / 4, 0x61)
    expect(await Verify.verifyExportStream(chunksOf(block, block, block, block))).toMatchObject(
      malformed("the export does not end with a newline (truncated or trailing garbage)")
    )
    expect(await Verify.verifyExportStream(chunksOf(block, block, block, block, "a"))).toMatchObject(
      malformed("a line exceeds the maximum length")
    )
  })
})

describe("verifyStore", () => {
  const run = (s: Store, options?: Verify.Options) =>
    Effect.runSync(Effect.provideService(Verify.verifyStore(options), EventStore.EventStore, s))

  it("verifies against the store's own origin unless told another", () => {
    expect(run(store)).toMatchObject({ ok: true, records: 4, streams: 3, origin: ORIGIN })
    expect(run(store, { origin: "other.example/log" })).toMatchObject({
      ok: false,
      exitCode: 1,
      records: 0,
      failure: {
        class: "ORIGIN",
        position: 0,
        detail: `the record belongs to log ${JSON.stringify(ORIGIN)}, not "other.example/log"`
      }
    })
    // The trust policy's origin comes first.
    expect(run(store, { trust, origin: "other.example/log" })).toMatchObject({ ok: true, origin: ORIGIN })
    // A store that says it is another log than its records say.
    expect(run({ ...store, origin: "renamed.example/log" })).toMatchObject({
      ok: false,
      failure: { class: "ORIGIN", position: 0 }
    })
  })

  it("stops at the first bad record of a page", () => {
    const records = Effect.runSync(Stream.runCollect(store.readRecords()))
    const broken = [records[0], { ...records[1], hash: "0".repeat(64) }, records[2], records[3]] as typeof records
    const report = run({ ...store, readRecords: () => Stream.fromIterable(broken) })
    expect(report).toMatchObject({ ok: false, exitCode: 1, records: 1, failure: { class: "CHAIN", position: 1 } })
  })

  it("reports a store that cannot be read as STORE_ERROR, with the store's words", async () => {
    const error = EventStoreError.fromReason(
      new EventStoreError.Unavailable({ operation: "read the log", detail: "the disk is gone", retryable: true })
    )
    const failing: Store = { ...store, readRecords: () => Stream.fail(error) }
    const report = await Effect.runPromise(
      Verify.verifyStore({}).pipe(Effect.provide(Layer.succeed(EventStore.EventStore, failing)))
    )
    expect(report).toMatchObject({
      ok: false,
      exitCode: 1,
      failure: {
        class: "STORE_ERROR",
        detail:
          "the store could not be read: the store could not read the log: the disk is gone (try again once the fault is fixed; nothing was written)"
      }
    })
  })
})

describe("checkpointsConsistent: two checkpoints and a proof, without the log", () => {
  const grown = makeStore()
  appendAll(grown, sampleCmds(7))
  const tree = treeOf(grown)
  const at = (size: number): Checkpoint.Checkpoint => ({ origin: ORIGIN, size, root: tree.rootAt(size) })

  it("passes a prefix with its proof, equal checkpoints with none, and anything after an empty log", () => {
    expect(Verify.checkpointsConsistent(at(3), at(7), tree.consistencyProof(3, 7))).toBeUndefined()
    expect(Verify.checkpointsConsistent(at(7), at(7), [])).toBeUndefined()
    expect(Verify.checkpointsConsistent(at(0), at(7), [])).toBeUndefined()
  })

  it("names another log, a rollback, a fork and a rejected proof", () => {
    expect(Verify.checkpointsConsistent(at(3), { ...at(7), origin: "other.example/log" }, [])).toEqual({
      class: "ORIGIN",
      detail: "the checkpoints belong to different logs"
    })
    expect(Verify.checkpointsConsistent(at(7), at(3), [])).toEqual({
      class: "ROLLBACK",
      detail: "size went from 7 back to 3"
    })
    expect(Verify.checkpointsConsistent(at(7), { ...at(7), root: Buffer.alloc(32) }, [])).toEqual({
      class: "FORK",
      detail: "two roots for size 7"
    })
    expect(Verify.checkpointsConsistent(at(3), at(7), tree.consistencyProof(4, 7))).toEqual({
      class: "INCONSISTENT_WITH_PREVIOUS",
      detail: "consistency proof 3 → 7 rejected: a consistency proof from 3 to 7 has 4 elements, this one has 1"
    })
    expect(Verify.checkpointsConsistent({ ...at(3), root: Buffer.alloc(32) }, at(7), tree.consistencyProof(3, 7))).toEqual({
      class: "INCONSISTENT_WITH_PREVIOUS",
      detail: "consistency proof 3 → 7 rejected: the proof does not lead to the earlier root"
    })
  })
})
