/**
 * Fuzzed import files (fast-check): valid lines mixed with hostile ones at random places, in
 * small files and in files larger than what an import holds in memory (2,000 lines, after which
 * decided events are written into the open transaction), with a BOM or CRLF line ends or not,
 * and whole files in another encoding. For each: exit code 2, every hostile line named by its
 * number, the count of refused lines, no control character echoed, and the log unchanged (event
 * count and head hash). The CLI entry point runs in-process so that many files can be tried.
 */
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { proposeTrip, registerLulea, writeJsonl } from "./importProcess.js"
import { runCli, tempStore } from "./support.js"

const trip = (i: number, extra: Record<string, unknown> = {}) => proposeTrip(i, "fuzz", "traveller", extra)

// Each hostile line, made from the number of a trip the file does not otherwise hold (so that a
// domain refusal is about that line alone), or from a valid line of the file (a duplicate).
type Hostile = (fresh: number, copyOf: string | undefined) => Buffer
const json = (o: unknown) => Buffer.from(JSON.stringify(o))
const hostiles: Record<string, Hostile> = {
  brokenUtf8: () => Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]),
  encodedSurrogate: () => Buffer.concat([Buffer.from('{"_tag":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]),
  latin1: (i) => Buffer.from(JSON.stringify(trip(i, { destination: "Luleå" })), "latin1"),
  utf16: (i) => Buffer.from(Buffer.from(JSON.stringify(trip(i)), "utf16le").filter((b) => b !== 0x0a)),
  notJson: (i) => Buffer.from(JSON.stringify(trip(i)).slice(0, 40)),
  tooDeep: () => Buffer.from(`${"[".repeat(40)}${"]".repeat(40)}`),
  unsafeInteger: (i) => Buffer.from(JSON.stringify(trip(i)).replace('"relatedTo":[]', '"relatedTo":[9007199254740993]')),
  unknownField: (i) => json(trip(i, { destinaton: "Gdynia" })),
  impossibleDate: (i) => json(trip(i, { departOn: "2022-02-30" })),
  severalProblems: (i) => json(trip(i, { departOn: "2022-13-01", purpose: 7, tripID: "x" })),
  wrongRole: (i) => json(trip(i, { actor: { id: "revisor", role: "auditor" } })),
  unknownTenant: (i) => json(trip(i, { tenant: "lulea-komun" })),
  auditExport: () => json({ event: { type: "TripProposed" }, hash: "00".repeat(32) }),
  duplicate: (i, copyOf) => (copyOf === undefined ? json(trip(i, { tripId: 42 })) : Buffer.from(copyOf))
}

describe("fuzz: hostile import files", () => {
  it("mixed valid and hostile lines, small and larger than a flush, BOM and CRLF: each hostile line named, nothing written", async () => {
    const t = tempStore()
    const seed = join(t.dir, "seed.jsonl")
    writeJsonl(seed, [registerLulea])
    expect((await runCli(["--store", t.store, "import", seed])).code).toBe(0)
    const status = async () => JSON.parse((await runCli(["--store", t.store, "status", "--json"])).stdout) as { events: number; headHash: string }
    const before = await status()
    // registerLulea records the municipality and UBC.
    expect(before.events).toBe(2)
    const file = join(t.dir, "fuzz.jsonl")
    await fc.assert(
      fc.asyncProperty(
        fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 8 }) }, { weight: 1, arbitrary: fc.integer({ min: 2_050, max: 2_600 }) }),
        fc.uniqueArray(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(...Object.keys(hostiles))), {
          minLength: 1,
          maxLength: 4,
          selector: ([at]) => at
        }),
        fc.boolean(),
        fc.boolean(),
        async (valid, bad, bom, crlf) => {
          const lines: Array<Buffer> = Array.from({ length: valid }, (_, i) => json(trip(i)))
          // Insert the hostile lines at their relative places, latest first so earlier ones keep theirs.
          const placed = [...bad].sort((a, b) => b[0] - a[0])
          placed.forEach(([at, kind], k) => {
            const where = Math.floor(at * lines.length)
            const copyOf = where > 0 && kind === "duplicate" ? lines[where - 1]?.toString() : undefined
            lines.splice(where, 0, (hostiles[kind] as Hostile)(100_000 + k, copyOf))
          })
          // The line numbers of the hostile lines (1-based), by an oracle of its own: a line is
          // valid only if it is exactly a generated trip and the first copy of itself.
          const numbers = new Set<number>()
          const eol = Buffer.from(crlf ? "\r\n" : "\n")
          const body = Buffer.concat(lines.flatMap((l) => [l, eol]))
          writeFileSync(file, bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body)
          for (let i = 0; i < lines.length; i++) {
            const text = (lines[i] as Buffer).toString()
            const valid = /^\{"_tag":"ProposeTrip","actor":\{"id":"t-(\d+)","role":"traveller"\},"tenant":"lulea-kommun","occurredAt":"2022-03-01","tripId":"fuzz-\1","organiserActorId":"lulea-kommun","traveller":"subject-\d+","purpose":"UBC General Conference","destination":"Gdynia","departOn":"2022-04-01","returnOn":"2022-04-03","relatedTo":\[\],"goalRefs":\[\]\}$/.test(text)
            const firstCopy = lines.findIndex((x) => x.equals(lines[i] as Buffer)) === i
            if (!valid || !firstCopy) numbers.add(i + 1)
          }
          expect(numbers.size).toBe(bad.length)
          const r = await runCli(["--store", t.store, "import", file])
          expect(r.code).toBe(2)
          expect(r.stderr).toContain(`${numbers.size} line${numbers.size === 1 ? "" : "s"} refused`)
          expect(r.stderr).toContain("nothing was imported")
          for (const n of numbers) expect(r.stderr).toMatch(new RegExp(`(^|\\n)\\s*line ${n}: `))
          // Only hostile lines are named.
          const named = new Set([...r.stderr.matchAll(/(?:^|\n)\s*line (\d+): /g)].map((m) => Number(m[1])))
          expect([...named].sort((a, b) => a - b)).toEqual([...numbers].sort((a, b) => a - b))
          expect([...r.stderr].filter((c) => (c < " " && c !== "\n") || c === "\u007f")).toEqual([])
          expect(await status()).toEqual(before)
        }
      ),
      { numRuns: 30 }
    )
  }, 900_000)

  it("whole files in another encoding are refused line by line; nothing written", async () => {
    const t = tempStore()
    const seed = join(t.dir, "seed.jsonl")
    writeJsonl(seed, [registerLulea])
    expect((await runCli(["--store", t.store, "import", seed])).code).toBe(0)
    const status = async () => JSON.parse((await runCli(["--store", t.store, "status", "--json"])).stdout) as { events: number; headHash: string }
    const before = await status()
    const text = `${[0, 1, 2].map((i) => JSON.stringify(trip(i, { destination: "Luleå" }))).join("\n")}\n`
    // UTF-16LE with its BOM (as Windows "Unicode" saves), and Latin-1 (å is one byte, 0xe5).
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")])
    const latin1 = Buffer.from(text, "latin1")
    // UTF-16 splits into four lines on its 0x0a bytes: the last is the 0x00 after the final one.
    for (const [name, bytes, refused, rule] of [
      ["utf16.jsonl", utf16, 4, /line 1: \(line\) = bytes ff fe 7b 00: is not UTF-8: invalid byte at offset 0/],
      ["latin1.jsonl", latin1, 3, /line 1: \(line\) = bytes e5 22 2c 22: is not UTF-8: invalid byte at offset \d+/]
    ] as const) {
      const file = join(t.dir, name)
      writeFileSync(file, bytes)
      const r = await runCli(["--store", t.store, "import", file])
      expect(r.code).toBe(2)
      expect(r.stderr).toContain(`${refused} lines refused`)
      expect(r.stderr).toMatch(rule)
      expect(r.stderr).toMatch(/line 3: /)
      expect(r.stderr).toContain("nothing was imported")
      expect([...r.stderr].filter((c) => (c < " " && c !== "\n") || c === "\u007f")).toEqual([])
      expect(await status()).toEqual(before)
    }
  }, 300_000)
})
