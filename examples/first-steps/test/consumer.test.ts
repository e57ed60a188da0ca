/**
 * The packages as a developer gets them. Builds every publishable package, packs each with pnpm,
 * installs the tarballs with npm into projects outside the workspace (no custom export
 * conditions), type-checks a strict consumer without `skipLibCheck`, and runs in plain Node:
 * the first program of the developer guide on every kind of store, the facade README's example,
 * the code of every package README, and the `utblick` binary (local and global install).
 *
 * Runs twice: against the lowest `effect` the peer ranges allow and against the newest 4.x.
 * `UTBLICK_CONSUMER_NODES` (colon-separated node executables) adds Node versions to run the
 * programs on; CI passes Node 22 and 24.
 */
import { spawnSync } from "node:child_process"
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

const root = resolve(import.meta.dirname, "../../..")
const work = mkdtempSync(join(tmpdir(), "utblick-consumer-"))
const tarballs = join(work, "tarballs")
const publishable = ["core", "projections", "indicators", "audit", "store-sqlite", "store-postgres", "facade", "cli"]
const nodes = [process.execPath, ...(process.env.UTBLICK_CONSUMER_NODES ?? "").split(":").filter((p) => p.length > 0)].map(
  (node) => ({ node, version: spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim() })
)
const databaseUrl = process.env.DATABASE_URL
const requirePostgres = process.env.CI === "true"

interface Ran {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

// The configuration that npm, npx and pnpm pass to the scripts they run (npm_config_call,
// npm_config_package, …) would reconfigure the npm and pnpm this test starts: a consumer's shell
// has none of it.
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith("npm_")))

const run = (command: string, args: ReadonlyArray<string>, options: { cwd: string; env?: NodeJS.ProcessEnv }): Ran => {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: { ...cleanEnv, ...options.env },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024
  })
  return { status: result.status, stdout: result.stdout ?? "", stderr: result.stderr ?? String(result.error ?? "") }
}

const ok = (command: string, args: ReadonlyArray<string>, options: { cwd: string; env?: NodeJS.ProcessEnv }): string => {
  const result = run(command, args, options)
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} exited ${result.status}\n${result.stdout}\n${result.stderr}`)
  }
  return result.stdout
}

// The pnpm running this test (`pnpm test` sets npm_execpath), else pnpm 10 from the registry.
const pnpmPath = process.env.npm_execpath
const pnpm = (args: ReadonlyArray<string>, cwd: string) =>
  pnpmPath !== undefined && /pnpm/.test(pnpmPath)
    ? ok(process.execPath, [pnpmPath, ...args], { cwd })
    : ok("npx", ["-y", "pnpm@10", ...args], { cwd })

// The code blocks of a README: ```ts blocks that start with an import are whole programs.
const programsOf = (readme: string): ReadonlyArray<string> =>
  [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? "").filter((code) => code.startsWith("import"))

const strictTsconfig = {
  compilerOptions: {
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: false,
    types: ["node"],
    outDir: "dist",
    rootDir: "src"
  },
  include: ["src"]
}

/** A project outside the workspace that installs the tarballs with npm. */
const makeConsumer = (name: string, versions: { effect: string; sqlPg: string }) => {
  const dir = join(work, name)
  mkdirSync(join(dir, "src"), { recursive: true })
  const dependencies: Record<string, string> = {
    effect: versions.effect,
    "@effect/sql-pg": versions.sqlPg,
    "better-sqlite3": "^13.2.0",
    typescript: "~5.9.3",
    "@types/node": "^22.19.0"
  }
  for (const file of readdirSync(tarballs)) {
    const pkg = file.replace(/^utblick-/, "").replace(/-0\.\d+\.\d+\.tgz$/, "")
    dependencies[`@utblick/${pkg}`] = `file:${join(tarballs, file)}`
  }
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name, private: true, type: "module", dependencies }, null, 2))
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(strictTsconfig, null, 2))
  for (const program of ["first-grant.ts", "error-codes.ts", "reports.ts"]) copyFileSync(join(root, "examples/first-steps/src", program), join(dir, "src", program))
  copyFileSync(join(root, "packages/facade/examples/quickstart.ts"), join(dir, "src/facade-quickstart.ts"))
  for (const pkg of publishable) {
    programsOf(readFileSync(join(root, "packages", pkg, "README.md"), "utf8")).forEach((code, index) => {
      writeFileSync(join(dir, "src", `readme-${pkg}-${index + 1}.ts`), code)
    })
  }
  ok("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir })
  return dir
}

/** The outputs documented beside the programs (expected values written by hand, not by running them). */
const facadeReadmeOutput = () => {
  const readme = readFileSync(join(root, "packages/facade/README.md"), "utf8")
  const block = /Output:\n\n```text\n([\s\S]*?)```/.exec(readme)
  return block?.[1] ?? ""
}
const guideOutput = (marker: string) => {
  const guide = readFileSync(join(root, "docs/guides/developer.md"), "utf8")
  const block = new RegExp(`<!-- ${marker} output -->\\n\`\`\`text\\n([\\s\\S]*?)\`\`\``).exec(guide)
  return block?.[1] ?? ""
}
const firstGrantOutput = () => guideOutput("first-grant")
const reportsOutput = () => {
  const readme = readFileSync(join(root, "examples/first-steps/README.md"), "utf8")
  return /<!-- reports output -->\n```text\n([\s\S]*?)```/.exec(readme)?.[1] ?? ""
}

beforeAll(() => {
  pnpm(["-r", "--filter", "./packages/*", "run", "build"], root)
  mkdirSync(tarballs)
  for (const pkg of publishable) pnpm(["pack", "--pack-destination", tarballs], join(root, "packages", pkg))
}, 900_000)

afterAll(() => rmSync(work, { recursive: true, force: true }))

describe("the packed tarballs", () => {
  it("hold no workspace: protocol, and every export map entry resolves to a packed file", () => {
    for (const file of readdirSync(tarballs)) {
      const out = join(work, "unpacked", file)
      mkdirSync(out, { recursive: true })
      ok("tar", ["-xzf", join(tarballs, file), "-C", out], { cwd: work })
      const manifestText = readFileSync(join(out, "package/package.json"), "utf8")
      expect(manifestText, file).not.toContain("workspace:")
      const manifest = JSON.parse(manifestText) as { exports: Record<string, unknown>; bin?: Record<string, string> }
      for (const [entry, target] of Object.entries(manifest.exports)) {
        if (target === null || entry.includes("*")) continue
        const paths = typeof target === "string" ? [target] : Object.values(target as Record<string, string>)
        for (const path of paths) expect(existsSync(join(out, "package", path)), `${file} ${entry} → ${path}`).toBe(true)
      }
      for (const path of Object.values(manifest.bin ?? {})) expect(existsSync(join(out, "package", path)), path).toBe(true)
    }
  })

  it("pass publint and are-the-types-wrong (ESM only)", () => {
    for (const file of readdirSync(tarballs)) {
      const tarball = join(tarballs, file)
      const lint = run(join(root, "node_modules/.bin/publint"), ["run", "--strict", "--pack", "false", tarball], { cwd: work })
      expect(lint.status, `${file}: ${lint.stdout}${lint.stderr}`).toBe(0)
      if (file.startsWith("utblick-cli-")) continue // an executable, no importable entry points
      const types = run(join(root, "node_modules/.bin/attw"), ["--profile", "esm-only", "--format", "ascii", tarball], { cwd: work })
      expect(types.status, `${file}: ${types.stdout}${types.stderr}`).toBe(0)
    }
  }, 300_000)
})

describe.each([
  { name: "lowest", effect: "4.1.0", sqlPg: "4.0.5" },
  { name: "newest", effect: "^4.1.0", sqlPg: "^4.0.5" }
])("a consumer with the $name effect the ranges allow", (versions) => {
  let dir = ""
  beforeAll(() => {
    dir = makeConsumer(`consumer-${versions.name}`, versions)
  }, 600_000)

  it("installs one copy of effect", () => {
    const tree = run("npm", ["ls", "effect", "--all", "--parseable"], { cwd: dir })
    const copies = new Set(tree.stdout.split("\n").filter((line) => line.endsWith("/node_modules/effect")))
    expect([...copies]).toEqual([join(dir, "node_modules/effect")])
  })

  it("type-checks under strict, exactOptionalPropertyTypes and no skipLibCheck, and compiles", () => {
    const result = run(join(dir, "node_modules/.bin/tsc"), ["-p", "."], { cwd: dir })
    expect(result.stdout + result.stderr).toBe("")
    expect(result.status).toBe(0)
  }, 300_000)

  it("refuses a misspelt command at compile time", () => {
    const probe = join(dir, "probe")
    mkdirSync(join(probe, "src"), { recursive: true })
    writeFileSync(
      join(probe, "src/typo.ts"),
      `import type { CommandInput } from "@utblick/facade"\nexport const c: CommandInput = { _tag: "SignMembership", actor: { id: "a", role: "r" }, tenant: "t", occurredAt: "2020-01-01", actorId: "a", organisationId: "o", kind: "member", joinedYaer: 2020 }\n`
    )
    writeFileSync(join(probe, "tsconfig.json"), JSON.stringify({ ...strictTsconfig, compilerOptions: { ...strictTsconfig.compilerOptions, noEmit: true } }))
    const result = run(join(dir, "node_modules/.bin/tsc"), ["-p", probe], { cwd: dir })
    expect(result.status).not.toBe(0)
    expect(result.stdout).toContain("joinedYaer")
  })

  it.each(nodes)("runs the first program of the developer guide on memory and SQLite (node $version)", ({ node }) => {
    const expected = firstGrantOutput()
    expect(expected).toContain("ProjectGranted")
    expect(ok(node, ["dist/first-grant.js"], { cwd: dir })).toBe(expected)
    const file = join(dir, `first-${Math.random().toString(36).slice(2)}.db`)
    expect(ok(node, ["dist/first-grant.js", `sqlite:${file}`], { cwd: dir })).toBe(expected)
    expect(existsSync(file)).toBe(true)
  })

  it.each(nodes)("reports twice around a grant with the packed facade, on memory and SQLite (node $version)", ({ node }) => {
    const expected = reportsOutput()
    expect(expected).toContain("650\u00a0000 kr")
    expect(ok(node, ["dist/reports.js"], { cwd: dir })).toBe(expected)
    const file = join(dir, `reports-${Math.random().toString(36).slice(2)}.db`)
    expect(ok(node, ["dist/reports.js", `sqlite:${file}`], { cwd: dir })).toBe(expected)
  })

  it.skipIf(databaseUrl === undefined && !requirePostgres)("runs it on PostgreSQL", () => {
    expect(databaseUrl, "CI must provide DATABASE_URL").toBeDefined()
    // A schema of its own (`?schema=`), so runs never share a log.
    const schema = `consumer_${versions.name}_${process.pid}_${Date.now().toString(36)}`
    const url = `${databaseUrl ?? ""}${(databaseUrl ?? "").includes("?") ? "&" : "?"}schema=${schema}`
    expect(ok(process.execPath, ["dist/first-grant.js", url], { cwd: dir })).toBe(firstGrantOutput())
  })

  it.each(nodes)("prints what the facade README says (node $version)", ({ node }) => {
    expect(ok(node, ["dist/facade-quickstart.js"], { cwd: dir })).toBe(facadeReadmeOutput())
  })

  it("runs the program of every package README that needs no server", () => {
    const programs = readdirSync(join(dir, "dist")).filter((f) => f.startsWith("readme-") && f.endsWith(".js"))
    expect(programs.length).toBeGreaterThanOrEqual(6)
    for (const program of programs) {
      if (program.startsWith("readme-store-postgres")) continue // needs its server; type-checked above
      const scratch = mkdtempSync(join(work, "readme-"))
      const result = run(process.execPath, [join(dir, "dist", program)], { cwd: scratch })
      expect(result.status, `${program}\n${result.stdout}\n${result.stderr}`).toBe(0)
    }
  }, 120_000)

  it("installs a utblick binary that drives a SQLite store named by UTBLICK_STORE", () => {
    const bin = join(dir, "node_modules/.bin/utblick")
    const scratch = mkdtempSync(join(work, "cli-"))
    const env = { UTBLICK_STORE: "sqlite:journal.db" }
    expect(ok(bin, ["--help"], { cwd: scratch })).toContain("utblick <subcommand>")
    expect(ok(bin, ["init"], { cwd: scratch, env })).toContain(join(scratch, "journal.db"))
    expect(existsSync(join(scratch, "journal.db"))).toBe(true)
    expect(ok(bin, ["verify"], { cwd: scratch, env })).toMatch(/RESULT\s+PASS/)
    // The bundle verifies with the native engine beside it (ADR 0052).
    expect(existsSync(join(dir, "node_modules/@utblick/cli/dist/utblick-engine.node"))).toBe(true)
    const missing = run(bin, ["status", "--store", "sqlite:nowhere.db"], { cwd: scratch })
    expect(missing.status).toBe(2)
    expect(missing.stderr).toContain("nowhere.db")
  })
})

describe("a memory-only service", () => {
  it("installs nothing native, runs on the memory store, loads the audit library, and names the package a SQLite store needs", () => {
    const dir = join(work, "memory-only")
    mkdirSync(dir, { recursive: true })
    const tarball = (pkg: string) => `file:${join(tarballs, readdirSync(tarballs).find((f) => f.startsWith(`utblick-${pkg}-`)) ?? "")}`
    const dependencies = Object.fromEntries([
      ["effect", "4.1.0"],
      ...["core", "projections", "indicators", "facade", "audit"].map((pkg) => [`@utblick/${pkg}`, tarball(pkg)])
    ])
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "memory-only", private: true, type: "module", dependencies }))
    ok("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir })
    expect(existsSync(join(dir, "node_modules/better-sqlite3"))).toBe(false)
    expect(existsSync(join(dir, "node_modules/@utblick/store-sqlite"))).toBe(false)

    writeFileSync(
      join(dir, "main.mjs"),
      [
        'import { createUtblick } from "@utblick/facade"',
        'import { Verify } from "@utblick/audit"',
        'if (typeof Verify.verifyStore !== "function") throw new Error("audit did not load")',
        // The verifier's native engine ships built in the audit tarball (ADR 0052): no install step.
        'import { createRequire } from "node:module"',
        'const engine = createRequire(import.meta.url)("./node_modules/@utblick/audit/native/build/engine.node").open(new Float64Array(new ArrayBuffer(64 * 8)))',
        'if (!engine.start("00".repeat(32))) throw new Error("the native engine did not load")',
        'const memory = await createUtblick({ store: { kind: "memory" } })',
        'console.log((await memory.agreements()).length)',
        "await memory.close()",
        'await createUtblick({ store: { kind: "sqlite", filename: "x.db" } }).catch((e) => console.log(e.code, e.message))'
      ].join("\n")
    )
    const lines = ok(process.execPath, ["main.mjs"], { cwd: dir }).trim().split("\n")
    expect(lines[0]).toBe("0")
    expect(lines[1]).toMatch(/^STORE_UNAVAILABLE .*install @utblick\/store-sqlite and better-sqlite3/)
  }, 300_000)
})

describe("a global install of the CLI tarball", () => {
  it("puts a working utblick on the PATH", () => {
    const prefix = join(work, "global")
    const cli = readdirSync(tarballs).find((f) => f.startsWith("utblick-cli-"))
    ok("npm", ["install", "--global", "--prefix", prefix, "--no-audit", "--no-fund", "--loglevel=error", join(tarballs, cli ?? "")], {
      cwd: work
    })
    const scratch = mkdtempSync(join(work, "global-cli-"))
    const env = { PATH: `${join(prefix, "bin")}:${process.env.PATH ?? ""}` }
    expect(ok("utblick", ["--version"], { cwd: scratch, env }).trim()).toMatch(/\d+\.\d+\.\d+/)
    expect(ok("utblick", ["init", "--store", "sqlite:here.db"], { cwd: scratch, env })).toContain(join(scratch, "here.db"))
  }, 300_000)
})
