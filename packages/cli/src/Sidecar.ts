/**
 * Files the CLI keeps next to the log: signed checkpoints and sealed years. For a SQLite store they
 * sit in `<file>.utblick/` beside the database (they travel with it); for PostgreSQL in `./.utblick/`.
 *
 * @since 0.1.0
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { sqliteFile } from "./Store.js"

/**
 * The sidecar directory of a store.
 *
 * @category constructors
 * @since 0.1.0
 */
export const directory = (store: string): string => {
  const file = sqliteFile(store)
  return file === undefined ? join(process.cwd(), ".utblick") : `${file}.utblick`
}

/**
 * Writes a file under the sidecar directory and returns its path.
 *
 * @category constructors
 * @since 0.1.0
 */
export const write = (store: string, sub: string, name: string, text: string): string => {
  const dir = join(directory(store), sub)
  mkdirSync(dir, { recursive: true })
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

/**
 * Reads a file under the sidecar directory, if it is there.
 *
 * @category constructors
 * @since 0.1.0
 */
export const read = (store: string, sub: string, name: string): string | undefined => {
  const path = join(directory(store), sub, name)
  return existsSync(path) ? readFileSync(path, "utf8") : undefined
}

/**
 * The names of the files in a sidecar subdirectory, sorted.
 *
 * @category constructors
 * @since 0.1.0
 */
export const list = (store: string, sub: string): ReadonlyArray<string> => {
  const dir = join(directory(store), sub)
  return existsSync(dir) ? readdirSync(dir).sort() : []
}

/**
 * The newest signed checkpoint note written by `utblick checkpoint`, if any. Names are the
 * zero-padded log size, so the last in order is the largest.
 *
 * @category constructors
 * @since 0.1.0
 */
export const latestCheckpoint = (store: string): { readonly name: string; readonly note: string } | undefined => {
  const names = list(store, "checkpoints").filter((n) => n.endsWith(".note"))
  const name = names[names.length - 1]
  if (name === undefined) return undefined
  const note = read(store, "checkpoints", name)
  return note === undefined ? undefined : { name, note }
}
