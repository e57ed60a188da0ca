/**
 * The Node versions Utblick supports (ADR 0030) agree with every dependency's own `engines`:
 * the oldest supported release, the 24.x patch release on which better-sqlite3 12 aborted, and
 * the current 24 must satisfy the range of each dependency a package or the workspace declares.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join, resolve } from "node:path"
import semver from "semver"
import { describe, expect, it } from "vitest"

const root = resolve(import.meta.dirname, "../../..")
const manifest = (path: string) =>
  JSON.parse(readFileSync(path, "utf8")) as {
    name: string
    engines?: { node?: string }
    dependencies?: Record<string, string>
    devDependencies?: Record<string, string>
    peerDependencies?: Record<string, string>
  }
const supported = ["22.19.0", "24.21.0", "24.22.3"]
const packageDirs = [root, ...["packages", "examples"].flatMap((f) => readdirSync(join(root, f)).map((d) => join(root, f, d)))].filter(
  (dir) => existsSync(join(dir, "package.json"))
)

describe("engines", () => {
  it("every workspace package declares the same supported range, which admits 22.19 and 24", () => {
    for (const dir of packageDirs) {
      const pkg = manifest(join(dir, "package.json"))
      if (dir.includes("/examples/")) continue // private, never installed by users
      expect(pkg.engines?.node, pkg.name).toBe(">=22.19")
    }
    for (const version of supported) expect(semver.satisfies(version, ">=22.19")).toBe(true)
    expect(semver.satisfies("20.20.2", ">=22.19")).toBe(false)
  })

  it("every dependency's own engines range admits every supported Node", () => {
    const checked = new Set<string>()
    for (const dir of packageDirs) {
      const pkg = manifest(join(dir, "package.json"))
      const names = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies, ...pkg.peerDependencies })
      for (const name of names.filter((n) => !n.startsWith("@utblick/"))) {
        const path = join(dir, "node_modules", name, "package.json")
        if (!existsSync(path)) continue // an optional peer not installed here
        const range = manifest(path).engines?.node
        checked.add(name)
        if (range === undefined) continue
        for (const version of supported) expect(semver.satisfies(version, range), `${name} engines ${range} vs ${version}`).toBe(true)
      }
    }
    expect([...checked]).toEqual(expect.arrayContaining(["better-sqlite3", "effect", "vitest", "@effect/sql-pg"]))
  })
})
