/**
 * Issue 11, item 6: hostile inputs to restore (and verify's kept exports) and verify-receipt:
 * truncated, reordered, duplicated, oversize and garbage lines give a named error with the line,
 * never a crash and never a pass. Generated with fast-check over an honest export and receipt
 * made by the CLI itself; one case per class also runs through the real process.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Extension, Receipt } from "@utblick/audit"
import { Checkpoint } from "@utblick/audit"
import { Effect, Exit, Result } from "effect"
import fc from "fast-check"
import { beforeAll, describe, expect, it } from "vitest"
import * as Restore from "../src/Restore.js"
import { utblick } from "./process.js"
import { goodEvents, jsonl, runCli, tempStore } from "./support.js"

let lines: Array<string> = []
let proof = ""
let record = ""
let vkey = ""
const ORIGIN = "audit.test.example/hostile"
const t = tempStore()

beforeAll(async () => {
  await runCli(["--store", t.store, "init", "--origin", ORIGIN])
  const more = [1, 2, 3, 4, 5].map((i) => ({
    ...goodEvents[1],
    payload: { organisationId: `org-${i}`, name: `Org ${i}`, focusArea: "eu" }
  }))
  writeFileSync(join(t.dir, "in.jsonl"), jsonl([...goodEvents, ...more]))
  await runCli(["--store", t.store, "import", join(t.dir, "in.jsonl")])
  await runCli(["--store", t.store, "export", "--out", join(t.dir, "e.jsonl")])
  lines = readFileSync(join(t.dir, "e.jsonl"), "utf8").trimEnd().split("\n")
  await runCli(["keygen", "--name", "audit.test.example", "--out", join(t.dir, "k")])
  await runCli(["--store", t.store, "checkpoint", "--key", join(t.dir, "k")])
  const eventId = JSON.parse(lines[3] as string).event.eventId as string
  await runCli(["--store", t.store, "prove", eventId, "--out", join(t.dir, "r.proof")])
  proof = readFileSync(join(t.dir, "r.proof"), "utf8")
  record = readFileSync(join(t.dir, "r.proof.event.json"), "utf8")
  vkey = readFileSync(join(t.dir, "k.vkey"), "utf8").trim()
}, 120_000)

// The restore's verdict on a text (written to a file, which the restore reads in pieces): the
// error message, or "PASS".
let written = 0
const verdict = async (text: string): Promise<string> => {
  const file = join(t.dir, `verdict-${written++}.jsonl`)
  writeFileSync(file, text)
  const exit = await Effect.runPromiseExit(Restore.verifyExport("x.jsonl", file))
  rmSync(file)
  if (Exit.isSuccess(exit)) return "PASS"
  const failure = exit.cause.reasons.find((r) => r._tag === "Fail")
  return failure !== undefined && "error" in failure
    ? String((failure.error as { problem: string }).problem)
    : "DEFECT"
}
const text = (ls: ReadonlyArray<string>) => `${ls.join("\n")}\n`

describe("hostile exports", () => {
  it("the honest export passes (the baseline the properties break)", async () => {
    expect(lines.length).toBe(8)
    expect(await verdict(text(lines))).toBe("PASS")
  })

  it("reordered lines fail at the first moved line", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 7 }), async (a, b) => {
        fc.pre(a !== b)
        const [i, j] = [Math.min(a, b), Math.max(a, b)]
        const ls = [...lines]
        ;[ls[i], ls[j]] = [ls[j] as string, ls[i] as string]
        expect(await verdict(text(ls))).toMatch(new RegExp(`^x\\.jsonl line ${i + 1}: SEQ`))
      })
    )
  })

  it("a duplicated line fails at the copy", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 7 }), async (i) => {
        const ls = [...lines.slice(0, i + 1), lines[i] as string, ...lines.slice(i + 1)]
        expect(await verdict(text(ls))).toMatch(new RegExp(`^x\\.jsonl line ${i + 2}: SEQ`))
      })
    )
  })

  it("a truncation inside a line is refused naming that line; at a line end it is a shorter log, which kept checkpoints catch", async () => {
    const whole = text(lines)
    const ends = new Set<number>()
    for (let k = whole.indexOf("\n"); k !== -1; k = whole.indexOf("\n", k + 1)) ends.add(k + 1)
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: whole.length - 1 }), async (cut) => {
        const cutText = whole.slice(0, cut)
        const v = await verdict(cutText)
        if (ends.has(cut)) {
          expect(v).toBe("PASS")
          const kept = Extension.check({
            hashes: cutText
              .trimEnd()
              .split("\n")
              .map((l) => JSON.parse(l).hash as string),
            trust: { origin: ORIGIN, logKeys: [Result.getOrThrow(Checkpoint.parseVkey(vkey))] },
            checkpoints: [{ name: "cp", note: proof.slice(proof.indexOf("\n\n") + 2) }]
          })
          expect(kept.ok === false && kept.failure.class).toBe("ROLLBACK")
        } else {
          const line = whole.slice(0, cut).split("\n").length
          expect(v).toMatch(new RegExp(`^x\\.jsonl: MALFORMED: line ${line}: |^x\\.jsonl line ${line}: `))
        }
      }),
      { numRuns: 200 }
    )
  })

  it("garbage or an oversize line is refused naming its line", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 8 }),
        fc.string({ unit: "binary", maxLength: 300 }),
        async (i, junk) => {
          const ls = [
            ...lines.slice(0, i),
            junk.replaceAll("\n", " ").replaceAll("\r", " "),
            ...lines.slice(i)
          ]
          const v = await verdict(text(ls))
          expect(v).not.toBe("PASS")
          expect(v).not.toBe("DEFECT")
          expect(v).toMatch(new RegExp(`line ${i + 1}[: ]`))
        }
      ),
      { numRuns: 150 }
    )
    const huge = `{"event":${"x".repeat(16 * 1024 * 1024 + 1)}`
    expect(await verdict(text([...lines.slice(0, 2), huge, ...lines.slice(2)]))).toContain(
      "line 3: MALFORMED: line 3: the line is longer than"
    )
  })
})

describe("hostile receipts", () => {
  it("no mutation of the proof or the event passes, and none crashes", () => {
    const trust = { origin: ORIGIN, logKeys: [Result.getOrThrow(Checkpoint.parseVkey(vkey))] }
    expect(Result.isSuccess(Receipt.verify({ proof, record }, trust))).toBe(true)
    const proofLines = proof.split("\n")
    const mutation = fc.oneof(
      fc.integer({ min: 1, max: proof.length - 1 }).map((cut) => ({ proof: proof.slice(0, cut), record })),
      fc
        .tuple(
          fc.integer({ min: 0, max: proofLines.length - 1 }),
          fc.integer({ min: 0, max: proofLines.length - 1 })
        )
        .filter(([a, b]) => proofLines[a] !== proofLines[b])
        .map(([a, b]) => {
          const ls = [...proofLines]
          ;[ls[a], ls[b]] = [ls[b] as string, ls[a] as string]
          return { proof: ls.join("\n"), record }
        }),
      // A duplicated proof line (a duplicated signature line is the same signed note, as C2SP allows).
      fc.integer({ min: 0, max: proofLines.indexOf("") - 1 }).map((i) => ({
        proof: [...proofLines.slice(0, i + 1), proofLines[i] as string, ...proofLines.slice(i + 1)].join(
          "\n"
        ),
        record
      })),
      fc
        .integer({ min: 0, max: record.length - 1 })
        .map((i) => ({ proof, record: `${record.slice(0, i)}${record.slice(i + 1)}` })),
      fc.constant({
        proof: `${proof.split("\n\n")[0]}\n${"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n".repeat(100_000)}\n${proof.split("\n\n").slice(1).join("\n\n")}`,
        record
      })
    )
    fc.assert(
      fc.property(mutation, (r) => {
        const result = Receipt.verify(r, trust)
        expect(Result.isFailure(result)).toBe(true)
      }),
      { numRuns: 300 }
    )
  })
})

describe("as a real process", () => {
  it("restore and verify-receipt name the problem and exit 1 or 2", () => {
    const dup = join(t.dir, "dup.jsonl")
    writeFileSync(dup, text([...lines.slice(0, 3), lines[2] as string, ...lines.slice(3)]))
    const r = utblick(["--store", tempStore().store, "restore", dup])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`${dup} line 4: SEQ: found position 2 where 3 was expected`)
    const cut = join(t.dir, "cut.jsonl")
    writeFileSync(cut, text(lines).slice(0, -40))
    const c = utblick(["--store", tempStore().store, "restore", cut])
    expect(c.code).toBe(2)
    expect(c.stderr).toContain("line 8: the export does not end with a newline")
    // A kept checkpoint that was truncated: verify names the file and the rule, exit 2.
    const keptDir = join(t.dir, "kept")
    mkdirSync(keptDir, { recursive: true })
    writeFileSync(join(keptDir, "cut.note"), proof.slice(proof.indexOf("\n\n") + 2).slice(0, 40))
    const k = utblick(["--store", t.store, "verify", "--trust", join(t.dir, "k.vkey"), "--previous", keptDir])
    expect(k.code).toBe(2)
    expect(k.stderr).toContain(`${join(keptDir, "cut.note")}: no blank line separates the body from the signatures`)
    const badProof = join(t.dir, "bad.proof")
    writeFileSync(badProof, proof.replace(/^index \d+$/m, "index 99999999999999999999"))
    writeFileSync(`${badProof}.event.json`, record)
    const v = utblick(["verify-receipt", badProof, "--trust", join(t.dir, "k.vkey")])
    expect(v.code).toBe(2)
    expect(v.stdout).toContain("RESULT        FAIL MALFORMED")
  }, 300_000)
})
