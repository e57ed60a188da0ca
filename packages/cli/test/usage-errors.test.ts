/**
 * Every refusal of a command line a user can mistype, through the real `utblick` process on a real
 * SQLite file: exit 2 (1 for a question about nothing the log holds), the problem naming the flag
 * or file and the value, a hint, nothing on stdout, and the log and its sidecar folder exactly as
 * they were. The expected sentences are the CLI's own words, written out here; the cases run four
 * processes at a time.
 */
import { spawn } from "node:child_process"
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { utblick } from "./importProcess.js"
import { withDatabase } from "./process.js"
import { tempStore } from "./support.js"

const bin = [
  "--conditions=@utblick/source",
  "--import",
  import.meta.resolve("tsx"),
  join(import.meta.dirname, "../src/bin.ts")
]

const run = (args: ReadonlyArray<string>, cwd: string) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [...bin, ...args], { cwd, env: { ...process.env, CI: "true" } })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString("utf8")
    })
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString("utf8")
    })
    child.on("close", (code) => resolve({ code, stdout, stderr }))
  })

// What "nothing written" means: every file beside the log (keys, checkpoints, seals) with its size
// and last change, and the log's own rows. The database file itself is left out (with SQLite's
// -wal and -shm): a refused report may still have kept the figures it computed (ADR 0038), as the
// same report that succeeds does.
const snapshot = async (dir: string, db: string) => ({
  files: readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !/\.db(-wal|-shm)?$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .map((f) => `${f} ${statSync(f).size} ${statSync(f).mtimeMs}`)
    .sort(),
  log: await withDatabase(db, (d) => d.prepare("SELECT count(*) AS n, max(hash) AS h FROM events").get())
})

describe("command lines refused with exit 2 (1 for a question about nothing), nothing written", () => {
  it("names the flag or the file and the value in each", async () => {
    const { dir, db, store } = tempStore()
    expect(utblick(["--store", store, "init"]).code).toBe(0)
    expect(
      utblick([
        "--store",
        store,
        "import",
        join(import.meta.dirname, "../../../docs/guides/auditor-files/2022.jsonl")
      ]).code
    ).toBe(0)
    expect(utblick(["keygen", "--name", "audit.example", "--out", join(dir, "a.key")], dir).code).toBe(0)
    writeFileSync(join(dir, "junk.key"), "x\ny\nzz\n")
    writeFileSync(join(dir, "empty.jsonl"), "\n\n")
    writeFileSync(join(dir, "junk.vkey"), "not a key\n")
    const vkey = readFileSync(join(dir, "a.key.vkey"), "utf8")
    expect(vkey).toMatch(/^audit\.example\+[0-9a-f]{8}\+/)

    const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
      [
        ["--store", "mysql://h/db", "status"],
        '--store "mysql://h/db" is neither a SQLite file nor a PostgreSQL URL'
      ],
      [["--store", "sqlite:", "status"], '--store "sqlite:" is neither a SQLite file nor a PostgreSQL URL'],
      [
        ["--store", join(dir, "missing.db"), "status"],
        `there is no Utblick database at ${join(dir, "missing.db")}`
      ],
      [
        ["rank", "granted-by-instrument", "--year", "2022", "--per-inhabitant", "--row", "project-support"],
        "--per-inhabitant and --row cannot be combined"
      ],
      [["rank", "no-such-indicator", "--year", "2022"], 'no indicator "no-such-indicator"'],
      [["import", "--batch", "0", join(dir, "empty.jsonl")], "--batch 0 is not a number of lines"],
      [["import"], "no file to import"],
      [["import", "--template", "nosuch"], 'no import kind or command "nosuch"'],
      [["import", join(dir, "empty.jsonl")], `${join(dir, "empty.jsonl")} holds no commands`],
      [
        ["import", join(dir, "missing.jsonl")],
        `cannot read import file ${join(dir, "missing.jsonl")}: ENOENT`
      ],
      [["trend", "--from", "2023", "--to", "2020"], "--to 2020 is before --from 2023"],
      [["trend", "--from", "99", "--to", "2022"], "--from 99 is not a year"],
      [["verify", "--previous", dir], "checking against kept checkpoints needs --trust"],
      [
        ["verify", "--checkpoint", "latest", "--trust", join(dir, "a.key.vkey")],
        "--checkpoint latest would read the checkpoint kept beside the database"
      ],
      [["verify", "--jobs", "0"], "--jobs 0 is not a number of threads: it must be 1 or more"],
      [
        ["verify", "--previous", dir, "--trust", join(dir, "junk.vkey")],
        `${join(dir, "junk.vkey")} is not a verifier key`
      ],
      [["trail", "nothing-here"], 'nothing in the log matches "nothing-here"'],
      [
        ["checkpoint", "--key", join(dir, "a.key.vkey")],
        `${join(dir, "a.key.vkey")} is not a utblick signing key`
      ],
      [
        ["close-year", "2022", "--key", join(dir, "junk.key")],
        `${join(dir, "junk.key")} is not a utblick signing key`
      ],
      [
        ["close-year", "2022", "--key", join(dir, "a.key.vkey")],
        `${join(dir, "a.key.vkey")} is not a utblick signing key`
      ],
      [
        ["close-year", "2022", "--key", join(dir, "missing.key")],
        `cannot read signing key ${join(dir, "missing.key")}: ENOENT`
      ],
      [["report", "--year", "2022", "--known-at", "yesterday"], '--known-at "yesterday" is not an instant'],
      [["report", "--year", "2150"], "--year 2150 is not a year"],
      [["compare", "2021", "3000"], "3000 is not a year"],
      [["close-year", "202"], "202 is not a year"],
      [["check-year", "99999"], "99999 is not a year"]
    ]
    // Questions about nothing: exit 1, as a report of them is refused, and no seal of zeros kept.
    const findings: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
      [
        ["close-year", "2022", "--tenant", "Lulea-kommun"],
        'the store holds no events for tenant "Lulea-kommun"'
      ],
      [
        ["close-year", "2020"],
        "no indicator has a value for 2020: nothing recorded counts towards that year"
      ],
      [["close-year", "2019"], "no data for 2019: the events of the store are dated 2020–2022"]
    ]
    const all = [
      ...cases.map(([args, problem]) => [args, problem, 2] as const),
      ...findings.map(([args, problem]) => [args, problem, 1] as const)
    ]
    const before = await snapshot(dir, db)
    // Four processes at a time: side by side on two cores, without starving each other.
    const results: Array<Awaited<ReturnType<typeof run>>> = []
    for (let i = 0; i < all.length; i += 4) {
      const batch = all
        .slice(i, i + 4)
        .map(([args]) => run(args[0] === "--store" ? args : ["--store", store, ...args], dir))
      results.push(...(await Promise.all(batch)))
    }
    const seen = results.map((r, i) => ({
      args: all[i]?.[0].join(" "),
      code: r.code,
      stdout: r.stdout,
      problem: r.stderr.split("\n").find((l) => l.startsWith("error: ")) ?? r.stderr,
      hinted: r.stderr.split("\n").some((l) => l.startsWith("hint: "))
    }))
    expect(seen).toEqual(
      all.map(([args, problem, code]) => ({
        args: args.join(" "),
        code,
        stdout: "",
        problem: expect.stringContaining(`error: ${problem}`),
        hinted: true
      }))
    )
    expect(await snapshot(dir, db)).toEqual(before)
    expect(before.log).toEqual({ n: 4, h: expect.stringMatching(/^[0-9a-f]{64}$/) })
  }, 300_000)
})
