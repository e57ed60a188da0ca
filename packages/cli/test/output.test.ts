import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Cause, Effect, Exit, Option, Stream } from "effect"
import { TestConsole } from "effect/testing"
import { describe, expect, it } from "vitest"
import { emitLines, emitStream } from "../src/Output.js"
import * as Format from "../src/report/Format.js"

// Runs an effect with the console captured; gives its exit and the lines it printed.
const captured = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.gen(function* () {
    const exit = yield* Effect.exit(effect)
    return { exit, printed: (yield* TestConsole.logLines).map(String) }
  }).pipe(Effect.provide(TestConsole.layer), Effect.runPromise)

describe("Format.table", () => {
  it("pads each column to its widest cell in code points: the first left, the rest right", () => {
    // Widths by hand: column 1 is "name" (4; "Åsa" 3, "𝔘x" 2 code points though 3 UTF-16 units),
    // column 2 is "12" (2); columns two spaces apart.
    expect(
      Format.table(
        ["name", "n"],
        [
          ["Åsa", "12"],
          ["𝔘x", "7"]
        ]
      )
    ).toEqual(["name   n", "────  ──", "Åsa   12", "𝔘x     7"])
  })

  it("drops the blanks an empty last cell leaves", () => {
    expect(Format.table(["a", "bb"], [["x", ""]])).toEqual(["a  bb", "─  ──", "x"])
  })

  it("lays out a table of 500,000 rows", () => {
    // Spreading every row's width into one call overflowed the stack at 194,167 rows (a listing at
    // 5,000,000 events failed with "Maximum call stack size exceeded").
    const rows = Array.from({ length: 500_000 }, (_, i) => [String(i), "x"])
    const widths = Format.tableWidths(["id", "v"], rows)
    expect(widths).toEqual([6, 1])
    expect(Format.tableLine(widths, ["7", "x"])).toBe("7       x")
  })
})

describe("emitLines", () => {
  // 300,000 lines of 12 characters: about 3.9 million characters, several pieces.
  const lines = Array.from({ length: 300_000 }, (_, i) => `line ${String(i).padStart(7, "0")}`)

  it("prints the lines in pieces, never the whole document at once", async () => {
    const { exit, printed } = await captured(emitLines(lines, Option.none(), "the list"))
    expect(Exit.isSuccess(exit)).toBe(true)
    expect(printed.join("\n")).toBe(lines.join("\n"))
    expect(printed.length).toBeGreaterThan(2)
    // Each piece is about a million characters (2^20), plus at most one line.
    for (const piece of printed) expect(piece.length).toBeLessThanOrEqual(2 ** 20 + 13)
  })

  it("writes the lines to a file, each ended by a newline, and says where", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "utblick-out-")), "list.txt")
    writeFileSync(file, "an older, longer file that is replaced, not written over in part\n".repeat(100_000))
    const { exit, printed } = await captured(emitLines(lines, Option.some(file), "the list"))
    expect(Exit.isSuccess(exit)).toBe(true)
    expect(readFileSync(file, "utf8")).toBe(`${lines.join("\n")}\n`)
    expect(printed).toEqual([`Wrote the list to ${file}`])
  })

  it("writes non-ASCII lines as UTF-8", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "utblick-out-")), "list.csv")
    await captured(emitLines(["\ufeffhuvudman;färdsätt", "Luleå;tåg"], Option.some(file), "the CSV list"))
    expect(readFileSync(file)).toEqual(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("huvudman;färdsätt\nLuleå;tåg\n", "utf8")])
    )
  })

  it("names the file it cannot write, and makes no line", async () => {
    let made = 0
    const counted = function* () {
      made++
      yield "never written"
    }
    const missing = join(tmpdir(), "no-such-directory-utblick", "list.txt")
    const { exit, printed } = await captured(emitLines(counted(), Option.some(missing), "the list"))
    expect(Exit.isFailure(exit)).toBe(true)
    if (Exit.isFailure(exit)) {
      const failure = Cause.squash(exit.cause) as { readonly _tag: string; readonly problem: string }
      expect(failure._tag).toBe("UsageFailure")
      expect(failure.problem).toMatch(/^cannot write .*no-such-directory-utblick\/list\.txt: ENOENT/)
    }
    expect(made).toBe(0)
    expect(printed).toEqual([])
  })
})

describe("emitStream", () => {
  const lines = Array.from({ length: 200_000 }, (_, i) => `{"position":${i}}`)

  it("writes a stream's lines to a file as they come, and counts them in its message", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "utblick-out-")), "export.jsonl")
    const { exit, printed } = await captured(
      emitStream(Stream.fromIterable(lines), Option.some(file), (n) => `${n} records`)
    )
    expect(Exit.isSuccess(exit)).toBe(true)
    expect(readFileSync(file, "utf8")).toBe(`${lines.join("\n")}\n`)
    expect(printed).toEqual([`Wrote 200000 records to ${file}`])
  })

  it("prints a stream's lines in pieces", async () => {
    const { printed } = await captured(
      emitStream(Stream.fromIterable(lines), Option.none(), (n) => `${n} records`)
    )
    expect(printed.join("\n")).toBe(lines.join("\n"))
    expect(printed.length).toBeGreaterThan(1)
  })

  it("ends with the stream's own failure, after the lines before it, and says nothing was written", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "utblick-out-")), "export.jsonl")
    // Three pieces' worth of lines, then the store fails.
    const before = Array.from({ length: 300_000 }, (_, i) => `line ${String(i).padStart(7, "0")}`)
    const failing = Stream.concat(Stream.fromIterable(before), Stream.fail("the store went away" as const))
    const { exit, printed } = await captured(emitStream(failing, Option.some(file), (n) => `${n} records`))
    expect(exit).toEqual(Exit.fail("the store went away"))
    expect(printed).toEqual([])
    // Whole pieces only: what reached the file is a prefix of the lines, each ended by a newline.
    const written = readFileSync(file, "utf8")
    expect(written.length).toBeGreaterThan(0)
    expect(`${before.join("\n")}\n`.startsWith(written)).toBe(true)
    expect(written.endsWith("\n")).toBe(true)
  })
})
