/**
 * Files the operator's CLI keeps next to the log: the checkpoints it signed (for `prove`), the key
 * store and sealed years. For a SQLite store they sit in `<file>.utblick/` beside the database;
 * for PostgreSQL in `./.utblick/<origin>/`, one folder per log, so that two PostgreSQL logs used
 * from one directory never share checkpoints.
 *
 * **Gotchas**: these are the operator's copies. Whoever can change the database can change them
 * too, so `verify` never treats them as the auditor's record (see `Kept`).
 *
 * @since 0.1.0
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import * as Store from "./Store.js"
import { sqliteFile } from "./Store.js"

/**
 * The folder name of an origin (see `Store.originFolder`).
 *
 * @category getters
 * @since 0.2.0
 */
export const originFolder = Store.originFolder

/**
 * The sidecar directory of a store. With the log's origin, a PostgreSQL store gets a folder of
 * its own under `./.utblick/`; a SQLite file has one log, so its folder is beside it.
 *
 * @category utils
 * @since 0.1.0
 */
export const directory = (store: string, origin?: string): string => {
  const file = sqliteFile(store)
  if (file !== undefined) return `${file}.utblick`
  return origin === undefined ? join(process.cwd(), ".utblick") : join(process.cwd(), ".utblick", originFolder(origin))
}

/**
 * Writes a file under the sidecar directory and returns its path.
 *
 * @category encoding
 * @since 0.1.0
 */
export const write = (store: string, sub: string, name: string, text: string, origin?: string): string => {
  const dir = join(directory(store, origin), sub)
  mkdirSync(dir, { recursive: true })
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

/**
 * Reads a file under the sidecar directory, if it is there.
 *
 * @category encoding
 * @since 0.1.0
 */
export const read = (store: string, sub: string, name: string, origin?: string): string | undefined => {
  const path = join(directory(store, origin), sub, name)
  return existsSync(path) ? readFileSync(path, "utf8") : undefined
}

/**
 * The names of the files in a sidecar subdirectory, sorted.
 *
 * @category getters
 * @since 0.1.0
 */
export const list = (store: string, sub: string, origin?: string): ReadonlyArray<string> => {
  const dir = join(directory(store, origin), sub)
  return existsSync(dir) ? readdirSync(dir).sort() : []
}

/**
 * The newest signed checkpoint note written by `utblick checkpoint`, if any. Names are the
 * zero-padded log size, so the last in order is the largest.
 *
 * @category getters
 * @since 0.1.0
 */
export const latestCheckpoint = (
  store: string,
  origin?: string
): { readonly name: string; readonly note: string } | undefined => {
  const names = list(store, "checkpoints", origin).filter((n) => n.endsWith(".note"))
  const name = names[names.length - 1]
  if (name === undefined) return undefined
  const note = read(store, "checkpoints", name, origin)
  return note === undefined ? undefined : { name, note }
}
