/**
 * Growth against tampering, with kept checkpoints and kept exports: every outcome's class,
 * position, range and words, the sizes 0 and n, and what the report says was consistent.
 * Checkpoint roots come from the recursive RFC 9162 reference, not from the tree under test.
 */
import { describe, expect, it } from "vitest"
import * as Checkpoint from "../src/Checkpoint.js"
import * as Export from "../src/Export.js"
import * as Extension from "../src/Extension.js"
import { referenceRoot } from "../src/internal/MerkleReference.js"
import {
  appendAll,
  exportLines,
  logKey,
  makeStore,
  ORIGIN,
  records,
  sampleCmds,
  toText,
  trust
} from "./fixtures.js"

const store = makeStore()
appendAll(store, sampleCmds(7))
const hashes = records(store).map((r) => r.hash)
const lines = exportLines(store)
const note = (size: number, hs: ReadonlyArray<string> = hashes) =>
  Checkpoint.sign(
    { origin: ORIGIN, size, root: referenceRoot(hs.slice(0, size).map((h) => Buffer.from(h, "hex"))) },
    logKey
  )
const kept = (name: string, size: number) => ({ name, note: note(size) })
const exportOf = (name: string, size: number) => ({ name, text: toText(lines.slice(0, size)) })
// Hash `p` changed: as if the event at p (and so every hash after it) were rewritten.
const altered = (p: number) =>
  hashes.map((h, i) => (i >= p ? `${h.slice(0, 63)}${h[63] === "0" ? "1" : "0"}` : h))

describe("growth", () => {
  it("reports each kept item in size order, by how much the log grew since, and the newest checkpoint", () => {
    const outcome = Extension.check({
      hashes,
      trust: { ...trust, witnessQuorum: 5 },
      checkpoints: [kept("seven", 7), kept("three", 3), kept("zero", 0)],
      exports: [exportOf("four.jsonl", 4)]
    })
    expect(outcome).toEqual({
      ok: true,
      size: 7,
      consistent: [
        { name: "zero", kind: "checkpoint", size: 0, grewBy: 7, proofLength: 0 },
        // SUBPROOF(3, D[0:7]) has 4 hashes (worked out in MerkleTreeEdges.test.ts).
        { name: "three", kind: "checkpoint", size: 3, grewBy: 4, proofLength: 4 },
        { name: "seven", kind: "checkpoint", size: 7, grewBy: 0, proofLength: 0 },
        { name: "four.jsonl", kind: "export", size: 4, grewBy: 3 }
      ],
      newest: { name: "seven", kind: "checkpoint", size: 7, grewBy: 0, proofLength: 0 }
    })
  })

  it("without kept checkpoints names no newest one", () => {
    const outcome = Extension.check({ hashes, trust, checkpoints: [], exports: [exportOf("all", 7)] })
    expect(outcome).toEqual({
      ok: true,
      size: 7,
      consistent: [{ name: "all", kind: "export", size: 7, grewBy: 0 }]
    })
    expect("newest" in outcome).toBe(false)
    expect(Extension.check({ hashes: [], trust, checkpoints: [] })).toEqual({
      ok: true,
      size: 0,
      consistent: []
    })
  })
})

describe("checkpoints that the log does not extend", () => {
  it("a kept checkpoint larger than the log is a rollback, with the missing positions", () => {
    expect(Extension.check({ hashes: hashes.slice(0, 5), trust, checkpoints: [kept("cp7", 7)] })).toEqual({
      ok: false,
      consistent: [],
      failure: {
        name: "cp7",
        class: "ROLLBACK",
        position: 5,
        detail:
          "cp7 signs 7 events but the log holds 5 events: positions 5 to 6 are missing (the log was rolled back or truncated)",
        evidence: [note(7)]
      }
    })
    const one = Extension.check({ hashes: [], trust, checkpoints: [kept("cp1", 1)] })
    expect(!one.ok && one.failure.detail).toBe(
      "cp1 signs 1 event but the log holds 0 events: positions 0 to 0 are missing (the log was rolled back or truncated)"
    )
  })

  it("two kept checkpoints of one size with two roots are a fork, with both notes", () => {
    const other = Checkpoint.sign({ origin: ORIGIN, size: 3, root: Buffer.alloc(32, 1) }, logKey)
    expect(
      Extension.check({
        hashes,
        trust,
        checkpoints: [kept("a", 3), { name: "b", note: other }, kept("c", 5)]
      })
    ).toEqual({
      ok: false,
      consistent: [],
      failure: {
        name: "b",
        class: "FORK",
        detail:
          "a and b both sign size 3 with different roots: keep both notes, together they prove a split view",
        evidence: [note(3), other]
      }
    })
  })

  it("a note that does not verify is named with its file", () => {
    const stranger = Checkpoint.makeSigner({ name: "stranger.example", seed: Buffer.alloc(32, 9) })
    const foreign = Checkpoint.sign({ origin: ORIGIN, size: 1, root: Buffer.alloc(32) }, stranger)
    expect(
      Extension.check({ hashes, trust, checkpoints: [kept("ok", 1), { name: "x.note", note: foreign }] })
    ).toEqual({
      ok: false,
      consistent: [],
      failure: {
        name: "x.note",
        class: "CHECKPOINT_SIGNATURE",
        detail:
          "x.note: no signature from a trusted log key; get the log's vkey through an independent channel and never from the export"
      }
    })
  })

  it("a prefix that no longer hashes to a kept root: the range from the last match", () => {
    const outcome = Extension.check({
      hashes: altered(4),
      trust,
      checkpoints: [kept("cp6", 6), kept("cp2", 2)]
    })
    expect(outcome).toEqual({
      ok: false,
      consistent: [{ name: "cp2", kind: "checkpoint", size: 2, grewBy: 5, proofLength: 2 }],
      failure: {
        name: "cp6",
        class: "INCONSISTENT_WITH_PREVIOUS",
        position: 2,
        range: { from: 2, to: 5 },
        detail:
          "the log is not an extension of cp6 (size 6): its first 6 events no longer hash to the signed root. " +
          "The first 2 events still match an earlier kept checkpoint, so the first altered position lies between 2 and 5; " +
          "a kept export of that time names it exactly",
        evidence: [note(6)]
      }
    })
    const fromZero = Extension.check({ hashes: altered(0), trust, checkpoints: [kept("cp1", 1)] })
    expect(!fromZero.ok && fromZero.failure).toMatchObject({
      position: 0,
      range: { from: 0, to: 0 },
      detail:
        "the log is not an extension of cp1 (size 1): its first 1 event no longer hash to the signed root. " +
        "The first altered position lies between 0 and 0; a kept export of that time names it exactly"
    })
  })

  it("a log of exactly the kept size with another root, and an empty checkpoint with a root", () => {
    const same = Extension.check({ hashes: altered(6), trust, checkpoints: [kept("cp7", 7)] })
    expect(!same.ok && same.failure).toMatchObject({
      class: "INCONSISTENT_WITH_PREVIOUS",
      position: 0,
      range: { from: 0, to: 6 }
    })
    const zero = Checkpoint.sign({ origin: ORIGIN, size: 0, root: Buffer.alloc(32) }, logKey)
    const empty = Extension.check({ hashes, trust, checkpoints: [{ name: "z", note: zero }] })
    // Nothing is signed, so no position is named (it used to say "between 0 and -1").
    expect(!empty.ok && empty.failure).toEqual({
      name: "z",
      class: "INCONSISTENT_WITH_PREVIOUS",
      detail:
        "z signs size 0 with a root that is not the empty log's (the SHA-256 of no bytes): it describes no log, so no log extends it",
      evidence: [zero]
    })
  })

  it("with a kept export of that time, the exact position instead of a range", () => {
    const outcome = Extension.check({
      hashes: altered(4),
      trust,
      checkpoints: [kept("cp6", 6)],
      exports: [exportOf("three.jsonl", 3), exportOf("six.jsonl", 6)]
    })
    expect(outcome).toEqual({
      ok: false,
      consistent: [],
      failure: {
        name: "six.jsonl",
        class: "INCONSISTENT_WITH_PREVIOUS",
        position: 4,
        range: { from: 4, to: 4 },
        detail:
          "the log is not an extension of cp6 (size 6), and position 4 differs from line 5 of six.jsonl: the event there was altered, inserted or removed (all earlier positions match)",
        evidence: [note(6)]
      }
    })
    // An export whose first difference lies at or beyond the checkpoint's size does not name it.
    const beyond = Extension.check({
      hashes: altered(4),
      trust,
      checkpoints: [kept("cp4", 4), kept("cp6", 6)],
      exports: [exportOf("five.jsonl", 5)]
    })
    expect(!beyond.ok && beyond.failure).toMatchObject({ name: "five.jsonl", position: 4 })
  })
})

describe("kept exports on their own", () => {
  it("an export that holds more than the log is a rollback", () => {
    expect(
      Extension.check({
        hashes: hashes.slice(0, 5),
        trust,
        checkpoints: [],
        exports: [exportOf("all.jsonl", 7)]
      })
    ).toEqual({
      ok: false,
      consistent: [],
      failure: {
        name: "all.jsonl",
        class: "ROLLBACK",
        position: 5,
        detail:
          "all.jsonl holds an event at position 5 (line 6) but the log ends before it: the log was rolled back or truncated"
      }
    })
  })

  it("an export that differs is named at its first differing line", () => {
    const outcome = Extension.check({
      hashes: altered(2),
      trust,
      checkpoints: [],
      exports: [exportOf("e", 7)]
    })
    expect(!outcome.ok && outcome.failure).toEqual({
      name: "e",
      class: "INCONSISTENT_WITH_PREVIOUS",
      position: 2,
      range: { from: 2, to: 2 },
      detail:
        "position 2 differs from line 3 of e: the event there was altered, inserted or removed (all earlier positions match)"
    })
  })

  it("an export that does not verify as a chain is not evidence, and says why", () => {
    const broken = [...lines]
    broken[3] = (broken[3] as string).replace(
      /"hash":"[0-9a-f]/,
      (m) => `${m.slice(0, -1)}${m.endsWith("0") ? "1" : "0"}`
    )
    const chain = Extension.check({
      hashes,
      trust,
      checkpoints: [],
      exports: [{ name: "b.jsonl", text: toText(broken) }]
    })
    expect(!chain.ok && chain.failure).toMatchObject({ name: "b.jsonl", class: "CHAIN", position: 3 })
    expect(
      !chain.ok &&
        chain.failure.detail.startsWith("b.jsonl line 4: the kept export does not verify on its own: ")
    ).toBe(true)
    const cut = Extension.check({
      hashes,
      trust,
      checkpoints: [],
      exports: [{ name: "c.jsonl", text: toText(lines).slice(0, -1) }]
    })
    expect(!cut.ok && cut.failure).toEqual({
      name: "c.jsonl",
      class: "MALFORMED",
      detail:
        "c.jsonl: the kept export does not verify on its own: line 7: the export does not end with a newline (truncated or trailing garbage)"
    })
  })
})

describe("export lines", () => {
  const r = records(store)[0] as { canonical: string; prevHash: string; hash: string }
  it("frame the canonical body between a fixed prefix and suffix", () => {
    expect(Export.formatLine(r)).toBe(
      `{"event":${r.canonical},"hash":"${r.hash}","prevHash":"${r.prevHash}"}`
    )
    expect(Export.parseLine(Export.formatLine(r))).toEqual({
      canonical: r.canonical,
      prevHash: r.prevHash,
      hash: r.hash
    })
    expect(Export.MAX_LINE_LENGTH).toBe(16_777_216)
  })
  const h = "a".repeat(64)
  const line = (body: string, hash = h, prev = h) => `{"event":${body},"hash":"${hash}","prevHash":"${prev}"}`
  it("take the shortest body, {} (164 characters), and refuse one character less", () => {
    expect(line("{}")).toHaveLength(164)
    expect(Export.parseLine(line("{}"))).toEqual({ canonical: "{}", prevHash: h, hash: h })
    expect(Export.parseLine(line("1"))).toBe('the line is not {"event":…,"hash":"…","prevHash":"…"}')
  })
  it.each([
    [
      "not starting with the prefix",
      ` ${line("{}").slice(1)}`,
      'the line is not {"event":…,"hash":"…","prevHash":"…"}'
    ],
    [
      "not ending with the suffix",
      `${line("{}").slice(0, -1)} `,
      'the line is not {"event":…,"hash":"…","prevHash":"…"}'
    ],
    [
      "another key for the hash",
      line("{}").replace('"hash"', '"hasx"'),
      'the line does not end with ,"hash":"<64 hex>","prevHash":"<64 hex>"}'
    ],
    [
      "another key for the previous hash",
      line("{}").replace('"prevHash"', '"prevHasx"'),
      'the line does not end with ,"hash":"<64 hex>","prevHash":"<64 hex>"}'
    ],
    ["an upper-case hash", line("{}", "A".repeat(64)), "the hashes must be 64 lowercase hex digits"],
    [
      "an upper-case previous hash",
      line("{}", h, "A".repeat(64)),
      "the hashes must be 64 lowercase hex digits"
    ]
  ])("refuse a line %s", (_name, text, reason) => {
    expect(Export.parseLine(text)).toBe(reason)
  })
  it("are at most 16 MiB", () => {
    const max = line(`"${"x".repeat(16_777_216 - 164)}"`)
    expect(max).toHaveLength(16_777_216)
    expect(Export.parseLine(max)).toMatchObject({ hash: h })
    expect(Export.parseLine(`${max} `)).toBe("the line is longer than 16777216 characters")
  })
})
