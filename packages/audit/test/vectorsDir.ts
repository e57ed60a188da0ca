import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { dirname, join, relative } from "node:path"
import { fileURLToPath } from "node:url"

const here = dirname(fileURLToPath(import.meta.url))

/** The vendored copy inside this package: what the tests read. */
export const VENDORED = join(here, "vectors")

/** `../shared/vectors` beside the repository root, when present (CI and the dev machines). */
export const SHARED = join(here, "..", "..", "..", "..", "shared", "vectors")

export const sharedAvailable = (): boolean => existsSync(SHARED)

/** Every file under `dir`, as paths relative to it, sorted. */
export const listFiles = (dir: string): Array<string> => {
  const out: Array<string> = []
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name)
      if (statSync(full).isDirectory()) walk(full)
      else out.push(relative(dir, full))
    }
  }
  walk(dir)
  return out.sort()
}

export const readJson = (path: string): unknown => JSON.parse(readFileSync(path, "utf8"))
