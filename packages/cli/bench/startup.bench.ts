/**
 * Start-up of the `utblick` executable as users run it: `node bin/utblick.js --help` (the bundled
 * CLI that `pnpm build` writes), against a raw baseline measured in the same run, `node -e 0`
 * (Node's own start-up), and the CLI started from its TypeScript sources as 0.1 did.
 * Goal (issue: shipped packages): `utblick --help` under 0.5 s.
 *
 *   pnpm --filter @utblick/cli run build && pnpm --filter @utblick/cli bench:startup
 */
import { spawnSync } from "node:child_process"
import { existsSync } from "node:fs"
import { join } from "node:path"
import * as BenchSummary from "@utblick/core/testing/BenchSummary"

const here = join(import.meta.dirname, "..")
const ROUNDS = Number(process.env.ROUNDS ?? 15)
if (!existsSync(join(here, "dist/utblick.js"))) throw new Error("build the CLI first: pnpm --filter @utblick/cli run build")

const commands = {
  "node -e 0 (raw baseline)": [process.execPath, "-e", "0"],
  "utblick --help (bundled bin)": [process.execPath, join(here, "bin/utblick.js"), "--help"],
  "utblick --help (from sources, tsx)": [process.execPath, "--conditions=@utblick/source", "--import", "tsx", join(here, "src/bin.ts"), "--help"]
} as const

const timings = new Map<string, Array<number>>(Object.keys(commands).map((name) => [name, []]))
// Interleaved rounds, so a busy moment of the machine falls on every command alike.
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, [command, ...args]] of Object.entries(commands)) {
    const start = process.hrtime.bigint()
    const result = spawnSync(command, args, { cwd: here, stdio: "ignore" })
    const ms = Number(process.hrtime.bigint() - start) / 1e6
    if (result.status !== 0) throw new Error(`${name} exited ${result.status}`)
    timings.get(name)?.push(ms)
  }
}

const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN
console.log(`@utblick/cli start-up — node ${process.version}, ${ROUNDS} interleaved rounds, median (min–max) ms`)
const base = median(timings.get("node -e 0 (raw baseline)") ?? [])
for (const [name, xs] of timings) {
  const m = median(xs)
  console.log(
    `  ${name.padEnd(38)} ${m.toFixed(0).padStart(6)}  (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})  ${(m / base).toFixed(1)}× node -e 0`
  )
}
BenchSummary.record({
  bench: "cli",
  phase: "start-up: utblick --help (bundled), median",
  unit: "ms",
  ours: median(timings.get("utblick --help (bundled bin)") ?? []),
  raw: base
})
