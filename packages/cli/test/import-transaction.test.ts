/**
 * Large imports in constant memory (ADR 0023): on SQLite the decided events go into one open
 * transaction every 2,000 lines, committed only when the whole file (or a declared batch) has
 * passed. These tests run the CLI as a child process on a real SQLite file with files larger
 * than a flush, so that a refusal, a dry run or Ctrl-C meets events already written into the
 * transaction — and the log must still be exactly as it was (count and head hash). The progress
 * bar is tested on a real pseudo-terminal (`script` from util-linux).
 */
import { spawnSync } from "node:child_process"
import { existsSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { headOf, proposeTrip, registerLulea, tripProposals, utblick, utblickAsync, writeJsonl } from "./importProcess.js"
import { tempStore } from "./support.js"

const trips = (bad: boolean) => tripProposals("tx", bad)

const seeded = () => {
  const t = tempStore()
  const seed = join(t.dir, "seed.jsonl")
  writeJsonl(seed, [registerLulea])
  expect(utblick(["--store", t.store, "import", seed]).code).toBe(0)
  // registerLulea records two registry events (the municipality and UBC).
  expect(headOf(t.store).events).toBe(2)
  return { ...t, before: headOf(t.store) }
}

describe("an import larger than what it holds in memory", () => {
  it("a refusal at line 4,500 takes back the 4,000 lines already written into the transaction; the fixed file then imports whole", () => {
    const t = seeded()
    const file = join(t.dir, "trips.jsonl")
    writeJsonl(file, trips(true))
    const refused = utblick(["--store", t.store, "import", file])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain("1 line refused (1 of 5000 commands); nothing was imported")
    expect(refused.stderr).toMatch(/line 4500: ProposeTrip: actor\.role = "auditor": ProposeTrip may only be given by: /)
    expect(headOf(t.store)).toEqual(t.before)

    writeJsonl(file, trips(false))
    const ok = utblick(["--store", t.store, "import", file])
    expect(ok.code).toBe(0)
    expect(ok.stdout).toContain("Imported 5000 commands: 5000 events in 5000 streams; the log now holds 5002 events")
    expect(headOf(t.store).events).toBe(5_002)
    // Run again: every line is already recorded, nothing changes.
    const again = utblick(["--store", t.store, "import", file])
    expect(again.code).toBe(0)
    expect(again.stdout).toContain("already recorded: 5000 of 5000 commands; the log is unchanged (5002 events")
  }, 600_000)

  it("a dry run decides and counts everything, then takes it back", () => {
    const t = seeded()
    const file = join(t.dir, "trips.jsonl")
    writeJsonl(file, trips(false))
    const r = utblick(["--store", t.store, "import", file, "--dry-run"])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain("Dry run: 5000 commands would append 5000 events to 5000 streams; nothing was written")
    expect(headOf(t.store)).toEqual(t.before)
  }, 600_000)

  it("--batch: batches before a refusal stay committed, the rest is taken back, and the same file resumes", () => {
    const t = seeded()
    const file = join(t.dir, "trips.jsonl")
    writeJsonl(file, trips(true))
    const r = utblick(["--store", t.store, "import", file, "--batch", "1000"])
    expect(r.code).toBe(2)
    const committed = Number(/lines refused after (\d+) events were committed in batches of 1000 lines/.exec(r.stderr)?.[1])
    // Batches close at the end of a chunk of lines once 1,000 have passed since the last one, so
    // at least three (3,000 lines) and at most four (under 4,500) were committed before line 4,500.
    expect(committed).toBeGreaterThanOrEqual(3_000)
    expect(committed).toBeLessThan(4_500)
    expect(headOf(t.store).events).toBe(2 + committed)

    writeJsonl(file, trips(false))
    const resumed = utblick(["--store", t.store, "import", file, "--batch", "1000"])
    expect(resumed.code).toBe(0)
    expect(resumed.stdout).toContain(`already recorded: ${committed}`)
    expect(headOf(t.store).events).toBe(5_002)
  }, 600_000)

  it("Ctrl-C after several thousand lines were written into the transaction leaves the log as it was", async () => {
    const t = seeded()
    const big = join(t.dir, "big.jsonl")
    writeFileSync(big, `${Array.from({ length: 30_000 }, (_, i) => JSON.stringify(proposeTrip(i, "c"))).join("\n")}\n`)
    const child = utblickAsync(["--store", t.store, "import", big])
    let stderr = ""
    const done = new Promise<number | null>((resolve) => child.on("close", resolve))
    // Plain progress lines come at every 10 % of the bytes: from 20 % (6,000 lines) on, three
    // flushes of 2,000 lines have gone into the transaction.
    await new Promise<void>((resolve) => {
      // If the child ends first, the assertions below say why rather than the test hanging.
      child.on("close", () => resolve())
      child.stderr.on("data", (d: Buffer) => {
        stderr += d.toString()
        if (/Importing big\.jsonl [2-9]\d %/.test(stderr) && child.exitCode === null && !child.killed) {
          child.kill("SIGINT")
          resolve()
        }
      })
    })
    expect(await done).toBe(2)
    expect(stderr).toContain("the import of")
    expect(stderr).toContain("was cancelled; nothing was written")
    expect(headOf(t.store)).toEqual(t.before)
  }, 600_000)
})

describe("Ctrl-C with --batch", () => {
  it("keeps the committed batches, says so, and the same file then resumes to exactly the whole file", async () => {
    const t = seeded()
    const big = join(t.dir, "big.jsonl")
    writeFileSync(big, `${Array.from({ length: 12_000 }, (_, i) => JSON.stringify(proposeTrip(i, "b"))).join("\n")}\n`)
    const child = utblickAsync(["--store", t.store, "import", big, "--batch", "1000"])
    let stderr = ""
    const done = new Promise<number | null>((resolve) => child.on("close", resolve))
    await new Promise<void>((resolve) => {
      // If the child ends first, the assertions below say why rather than the test hanging.
      child.on("close", () => resolve())
      child.stderr.on("data", (d: Buffer) => {
        stderr += d.toString()
        if (/Importing big\.jsonl [2-9]\d %/.test(stderr) && child.exitCode === null && !child.killed) {
          child.kill("SIGINT")
          resolve()
        }
      })
    })
    expect(await done).toBe(2)
    const batches = Number(/was cancelled; (\d+) batch(?:es)? committed before stay, nothing after them was written/.exec(stderr)?.[1])
    // From 20 % (2,400 lines) on, at least two batches of 1,000 lines were committed.
    expect(batches).toBeGreaterThanOrEqual(2)
    const kept = headOf(t.store).events - 2
    expect(kept).toBeGreaterThanOrEqual(batches * 1_000)
    expect(kept).toBeLessThan(12_000)
    const resumed = utblick(["--store", t.store, "import", big, "--batch", "1000"])
    expect(resumed.code).toBe(0)
    expect(resumed.stdout).toContain(`Imported ${12_000 - kept} commands: ${12_000 - kept} events; already recorded: ${kept}`)
    expect(headOf(t.store).events).toBe(12_002)
  }, 600_000)
})

describe("progress on a terminal", () => {
  it("draws a bar with share, count, rate and time left, redrawn in place, on a pseudo-terminal", () => {
    if (!existsSync("/usr/bin/script")) throw new Error("this test needs `script` (util-linux) for a pseudo-terminal")
    const t = seeded()
    const file = join(t.dir, "trips.jsonl")
    writeJsonl(file, trips(false))
    const bin = join(import.meta.dirname, "../src/bin.ts")
    const cmd = [process.execPath, "--conditions=@utblick/source", "--import", "tsx", bin, "--store", t.store, "import", file]
      .map((a) => `'${a.replaceAll("'", "'\\''")}'`)
      .join(" ")
    // `script` runs the command on a new pseudo-terminal (stdin, stdout and stderr all a tty).
    const env: Record<string, string | undefined> = { ...process.env, TERM: "xterm" }
    delete env["CI"]
    const r = spawnSync("script", ["-qfec", cmd, "/dev/null"], { cwd: join(import.meta.dirname, ".."), encoding: "utf8", env, maxBuffer: 1 << 26 })
    expect(r.status).toBe(0)
    // The bar is redrawn with a carriage return and cleared to the end of the line.
    const clearLine = `${String.fromCharCode(0x1b)}\\[K`
    expect(r.stdout).toMatch(
      new RegExp(
        `\\r\\[[█░]{24}\\] Importing trips\\.jsonl \\d{1,3} % · [\\d\u00a0]+ lines · ([\\d\u00a0]+ lines/s|–) · (\\d+ s|\\d+ min \\d\\d s|–) left${clearLine}`
      )
    )
    // …and cleared before the summary, which stands on its own line.
    expect(r.stdout).toMatch(new RegExp(`\\r${clearLine}\\r?\\n(.*\\r?\\n)?Imported 5000 commands: 5000 events in 5000 streams`))
    // No plain progress lines on a terminal.
    expect(r.stdout).not.toMatch(/^Importing trips\.jsonl \d+ %/m)
    expect(headOf(t.store).events).toBe(5_002)
  }, 600_000)
})
