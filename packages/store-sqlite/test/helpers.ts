import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll } from "vitest"

const dirs: Array<string> = []

/** A fresh, empty directory for database files, removed after the test file. */
export const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "utblick-sqlite-"))
  dirs.push(dir)
  return dir
}

let counter = 0
/** A path for a new database file in a temporary directory. */
export const tempFile = (name = "log"): string => join(tempDir(), `${name}-${++counter}.db`)

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})
