/**
 * Strict shapes: hostile and careless files are refused with the line, the field, a short escaped
 * excerpt of the value and the rule; the log (count and head hash) is unchanged. Hand-written
 * cases run the CLI as a child process on a real SQLite file; the fast-check property runs the
 * same CLI entry point in-process, so it can try many files.
 */
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { runCli, tempStore } from "./support.js"
import { headOf, registerLulea, sign, utblick, writeJsonl } from "./importProcess.js"

const seeded = () => {
  const t = tempStore()
  const file = join(t.dir, "seed.jsonl")
  writeJsonl(file, [registerLulea, sign("ubc", "2003-01-01")])
  expect(utblick(["--store", t.store, "import", file]).code).toBe(0)
  return { ...t, before: headOf(t.store) }
}

const line = (o: unknown) => JSON.stringify(o)

describe("strict shapes", () => {
  it("refuses each hostile line with its line number, field, escaped value and rule; writes nothing", () => {
    const t = seeded()
    const file = join(t.dir, "hostile.jsonl")
    const ok = sign("sern", "2015-01-01")
    const lines = [
      line(ok), // 1: fine on its own
      line({ ...sign("eurocities", "2016-01-01"), decisonRef: "KS 2016/1" }), // 2: typo
      line({ ...sign("bothnian-arc", "2022-02-30") }), // 3: impossible date
      `{"_tag":"SignMembership","tenant":"lulea-kommun","actor":{"id":"a","role":"executive-board"},"occurredAt":"2020-01-01","actorId":"lulea-kommun","organisationId":"x","kind":"member","joinedYear":9007199254740993}`, // 4
      `${"[".repeat(100_000)}${"]".repeat(100_000)}`, // 5: deep nesting
      line({ ...sign("arctic-mayors", "2019-01-01"), purpose: "bell\u0007 and \u001b[31mred" }), // 6: fine (control chars are data), but…
      line({ ...sign("ubc2", "2019-01-01"), organisationId: "x\u0007y", purpose: "\ud800" }), // 7: lone surrogate
      line(ok) // 8: the same fact as line 1
    ]
    // 9: bytes that are not UTF-8 (Latin-1 "Luleå")
    const bytes = Buffer.concat([Buffer.from(`${lines.join("\n")}\n`), Buffer.from([0x7b, 0x22, 0x4c, 0x75, 0x6c, 0x65, 0xe5, 0x22, 0x7d, 0x0a])])
    writeFileSync(file, bytes)
    const r = utblick(["--store", t.store, "import", file])
    expect(r.code).toBe(2)
    const err = r.stderr
    expect(err).toMatch(/line 2: SignMembership: decisonRef = "KS 2016\/1": SignMembership has no field "decisonRef" .*did you mean "decisionRef"\?/)
    expect(err).toMatch(/line 3: SignMembership: occurredAt = "2022-02-30": .*exist in the calendar/)
    expect(err).toMatch(/line 4: \(number\) = 9007199254740993: is beyond the safe integer range/)
    expect(err).toMatch(/line 5: \(line\) = .*nests deeper than 32 levels/)
    expect(err).not.toMatch(/line 6:/)
    expect(err).toMatch(/line 7: purpose = \(lone surrogate\)/)
    expect(err).toMatch(/line 8: SignMembership: idempotencyKey = .*the same fact as line 1/)
    expect(err).toMatch(/line 9: \(line\) = bytes e5 22 7d: is not UTF-8: invalid byte at offset 6/)
    expect(err).not.toContain("\u0007")
    expect(err).not.toContain("\u001b")
    expect(err).not.toContain("Maximum call stack")
    expect(headOf(t.store)).toEqual(t.before)
  }, 300_000)

  it("refuses a line over 16 MiB (the exporter's and verifier's limit) without holding it", () => {
    const t = seeded()
    const file = join(t.dir, "big.jsonl")
    writeFileSync(file, `${line({ ...sign("big", "2020-01-01"), purpose: "x".repeat(17 * 1024 * 1024) })}\n`)
    const r = utblick(["--store", t.store, "import", file])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/line 1: \(line\) = \(not shown\): the line is longer than 16 MiB/)
    expect(headOf(t.store)).toEqual(t.before)
  }, 300_000)

  it("fuzz: any file with a hostile line is refused with that line's number, and the log is unchanged", async () => {
    const t = tempStore()
    const seed = join(t.dir, "seed.jsonl")
    writeJsonl(seed, [registerLulea])
    expect((await runCli(["--store", t.store, "import", seed])).code).toBe(0)
    const status = async () => JSON.parse((await runCli(["--store", t.store, "status", "--json"])).stdout) as { events: number; headHash: string }
    const before = await status()
    const good = fc.integer({ min: 1900, max: 2099 }).map((y) => Buffer.from(line(sign(`org-${y}`, `${y}-01-01`))))
    const hostile = fc.oneof(
      fc.constant(Buffer.from([0xc3, 0x28])), // broken UTF-8
      fc.constant(Buffer.from([0xed, 0xa0, 0x80])), // an encoded surrogate
      fc.string({ minLength: 1, maxLength: 30 }).map((s) => Buffer.from(`{"_tag":${JSON.stringify(s)}`)), // not JSON
      fc.bigInt({ min: 2n ** 53n, max: 2n ** 80n }).map((n) => Buffer.from(`{"_tag":"SignMembership","joinedYear":${n}}`)),
      fc.integer({ min: 33, max: 5000 }).map((d) => Buffer.from(`${"[".repeat(d)}${"]".repeat(d)}`)),
      fc.constantFrom("amountAplied", "decisonRef", "organisationID").map((k) =>
        Buffer.from(line({ ...sign("hostile", "2020-01-01"), [k]: 1 }))
      ),
      fc.uint8Array({ minLength: 1, maxLength: 40 }).map((b) => Buffer.concat([Buffer.from([0xff]), Buffer.from(b).filter((x) => x !== 0x0a)]))
    )
    await fc.assert(
      fc.asyncProperty(fc.array(good, { maxLength: 4 }), hostile, fc.array(good, { maxLength: 4 }), async (pre, bad, post) => {
        // Distinct years would be distinct facts; repeats are refused too (duplicate keys), which is fine.
        const file = join(t.dir, "fuzz.jsonl")
        writeFileSync(file, Buffer.concat([...pre, bad, ...post].flatMap((b) => [b, Buffer.from("\n")])))
        const r = await runCli(["--store", t.store, "import", file])
        expect(r.code).toBe(2)
        expect(r.stderr).toContain(`line ${pre.length + 1}: `)
        expect(r.stderr).toContain("nothing was imported")
        // No control character reaches the terminal but the line breaks between messages.
        expect([...r.stderr].filter((c) => (c < " " && c !== "\n") || c === "\u007f")).toEqual([])
        expect(await status()).toEqual(before)
      }),
      { numRuns: 40 }
    )
  }, 240_000)
})
