// The `utblick` executable's start (bin/utblick.js, ADR 0048): a command that reads data starts
// Node once more, in the same process, with V8's young generation bounded; help and version do
// not; a bound the caller chose is kept. The real bin file runs against a stand-in bundle that
// prints what its process was started with, so no build is needed and none is raced.
import { spawnSync } from "node:child_process"
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"

const root = mkdtempSync(join(tmpdir(), "utblick-bin-"))
mkdirSync(join(root, "bin"))
mkdirSync(join(root, "dist"))
copyFileSync(join(import.meta.dirname, "../bin/utblick.js"), join(root, "bin/utblick.js"))
writeFileSync(join(root, "package.json"), JSON.stringify({ type: "module" }))
writeFileSync(
  join(root, "dist/utblick.js"),
  "console.log(JSON.stringify({ pid: process.pid, execArgv: process.execArgv, args: process.argv.slice(2), marker: process.env.UTBLICK_YOUNG_GENERATION ?? null }))\n"
)

interface Started {
  readonly pid: number
  readonly execArgv: ReadonlyArray<string>
  readonly args: ReadonlyArray<string>
  readonly marker: string | null
}

const start = (
  args: ReadonlyArray<string>,
  options: { readonly node?: ReadonlyArray<string>; readonly env?: Record<string, string> } = {}
): Started & { readonly childPid: number } => {
  const env: Record<string, string | undefined> = { ...process.env, ...options.env }
  if (options.env?.["NODE_OPTIONS"] === undefined) delete env["NODE_OPTIONS"]
  const r = spawnSync(process.execPath, [...(options.node ?? []), join(root, "bin/utblick.js"), ...args], {
    encoding: "utf8",
    env,
    // A start that kept starting itself again would otherwise hang the suite.
    timeout: 20_000
  })
  expect(r.status, r.stderr).toBe(0)
  const lines = r.stdout.trim().split("\n")
  // The stand-in bundle ran once: the first start never reached it.
  expect(lines).toHaveLength(1)
  return { ...(JSON.parse(lines[0] as string) as Started), childPid: r.pid as number }
}

const BOUND = "--max-semi-space-size=16"
const GROWTH = "--heap-growing-percent=50"

describe("bin/utblick.js", () => {
  it("starts a data command again in the same process with the young generation bounded, arguments unchanged", () => {
    const args = ["report", "--year", "2021", "--tenant", "Region Norrbotten", "--store", "sqlite:å ä.db"]
    const started = start(args, { node: ["--no-warnings"] })
    expect(started.execArgv).toEqual([BOUND, GROWTH, "--no-warnings"])
    expect(started.args).toEqual(args)
    expect(started.pid).toBe(started.childPid)
    // What the command starts in turn is not told it was started again.
    expect(started.marker).toBeNull()
  })

  it.each([[["--help"]], [["report", "--help"]], [["-h"]], [["--version"]], [[]]])(
    "starts %j once, as Node was started",
    (args) => {
      expect(start(args).execArgv).toEqual([])
    }
  )

  it("keeps a bound the caller gave, on the command line or in NODE_OPTIONS", () => {
    expect(start(["status"], { node: ["--max-semi-space-size=4"] }).execArgv).toEqual([
      "--max-semi-space-size=4"
    ])
    expect(start(["status"], { env: { NODE_OPTIONS: "--max-semi-space-size=4" } }).execArgv).toEqual([])
  })

  it("keeps the old generation's growth the caller gave (Node takes it on the command line only)", () => {
    expect(start(["status"], { node: ["--heap-growing-percent=90"] }).execArgv).toEqual([
      BOUND,
      "--heap-growing-percent=90"
    ])
  })

  it("leaves V8's defaults when UTBLICK_YOUNG_GENERATION=default", () => {
    expect(start(["verify"], { env: { UTBLICK_YOUNG_GENERATION: "default" } }).execArgv).toEqual([])
  })
})
