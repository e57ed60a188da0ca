/**
 * Streaming import as processes see it: Ctrl-C writes nothing, and several imports into one
 * SQLite file at once all succeed (they wait for the file lock and decide again on conflict).
 */
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { headOf, proposeTrip, registerLulea, utblick, utblickAsync, writeJsonl } from "./importProcess.js"
import { tempStore } from "./support.js"

const exitOf = (child: ReturnType<typeof utblickAsync>) =>
  new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) => {
    let stderr = ""
    let stdout = ""
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()))
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()))
    child.on("close", (code) => resolve({ code, stderr, stdout }))
  })

describe("streaming import: cancel and concurrency", () => {
  it("Ctrl-C during an import writes nothing", async () => {
    const t = tempStore()
    const seed = join(t.dir, "seed.jsonl")
    writeJsonl(seed, [registerLulea])
    expect(utblick(["--store", t.store, "import", seed]).code).toBe(0)
    const before = headOf(t.store)
    const big = join(t.dir, "big.jsonl")
    writeFileSync(big, `${Array.from({ length: 30_000 }, (_, i) => JSON.stringify(proposeTrip(i, "c"))).join("\n")}\n`)
    const child = utblickAsync(["--store", t.store, "import", big])
    const done = exitOf(child)
    // Interrupt as soon as the first progress line shows the import is under way.
    await new Promise<void>((resolve) => {
      const onData = (d: Buffer) => {
        if (d.toString().includes("Importing big.jsonl")) {
          child.stderr.off("data", onData)
          child.kill("SIGINT")
          resolve()
        }
      }
      child.stderr.on("data", onData)
    })
    const r = await done
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("was cancelled; nothing was written")
    expect(headOf(t.store)).toEqual(before)
  }, 300_000)

  it("four imports into one SQLite file at once all land, each exactly once", async () => {
    const t = tempStore()
    const seed = join(t.dir, "seed.jsonl")
    writeJsonl(seed, [registerLulea])
    expect(utblick(["--store", t.store, "import", seed]).code).toBe(0)
    const files = ["a", "b", "c", "d"].map((p) => {
      const f = join(t.dir, `${p}.jsonl`)
      writeJsonl(f, Array.from({ length: 2_000 }, (_, i) => proposeTrip(i, p)))
      return f
    })
    const results = await Promise.all(files.map((f) => exitOf(utblickAsync(["--store", t.store, "import", f]))))
    expect(results.map((r) => r.code)).toEqual([0, 0, 0, 0])
    // 2 registry events + 4 files × 2,000 trip proposals (one event each).
    expect(headOf(t.store).events).toBe(2 + 4 * 2_000)
  }, 600_000)
})
