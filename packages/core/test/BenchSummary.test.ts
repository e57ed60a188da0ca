import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import * as BenchSummary from "../src/testing/BenchSummary.js"

const dirs: Array<string> = []
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), "utblick-summary-"))
  dirs.push(dir)
  return join(dir, "summary.jsonl")
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe("BenchSummary", () => {
  it("speedup is above 1 when ours is faster, for rates and for durations", () => {
    expect(BenchSummary.speedup("events/s", 150, 100)).toBe(1.5)
    expect(BenchSummary.speedup("events/s", 50, 100)).toBe(0.5)
    // A duration: 200 ms against a reference of 100 ms is half as fast.
    expect(BenchSummary.speedup("ms", 200, 100)).toBe(0.5)
    expect(BenchSummary.speedup("ms", 25, 100)).toBe(4)
  })

  it("records rows only when the summary file is named, and reads them back in order", () => {
    const file = tempFile()
    BenchSummary.record({ bench: "core", phase: "nowhere", unit: "ms", ours: 1 }, {})
    expect(BenchSummary.read(file)).toEqual([])
    const env = { [BenchSummary.ENV]: file }
    BenchSummary.record({ bench: "core", phase: "a", unit: "events/s", ours: 10, raw: 20 }, env)
    BenchSummary.record({ bench: "audit", phase: "b", unit: "ms", ours: 3 }, env)
    expect(readFileSync(file, "utf8").split("\n")).toHaveLength(3)
    expect(BenchSummary.read(file).map((row) => [row.bench, row.phase])).toEqual([
      ["core", "a"],
      ["audit", "b"]
    ])
  })

  it("formats one Markdown table in Swedish numbers, with – for a missing figure", () => {
    const nbsp = "\u00a0"
    const table = BenchSummary.format([
      {
        bench: "facade (peer)",
        phase: "memory, batched",
        unit: "events/s",
        ours: 57_024.4,
        peer: 186_290,
        raw: 400_801,
        rssMb: 512.6
      },
      { bench: "cli", phase: "warm report", unit: "ms", ours: 150, raw: 600 }
    ]).split("\n")
    expect(table).toHaveLength(4)
    // 57 024 ÷ 186 290 = 0.306…, 57 024 ÷ 400 801 = 0.142…; 600 ms ÷ 150 ms = 4.
    expect(table[2]).toBe(
      `| facade (peer) | memory, batched | events/s | 57${nbsp}024 | 186${nbsp}290 | 400${nbsp}801 | 0,31× | 0,14× | 513 |`
    )
    expect(table[3]).toBe("| cli | warm report | ms | 150 | – | 600 | – | 4,00× | – |")
  })
})
