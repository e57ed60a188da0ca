import { spawnSync } from "node:child_process"
import { copyFileSync, mkdirSync, readdirSync } from "node:fs"
import { createRequire } from "node:module"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { canonicalize, type JsonValue } from "@utblick/core/CanonicalJson"
import { chainDigest } from "@utblick/core/HashChain"
import { SqliteEventStore } from "@utblick/store-sqlite"
import { Effect } from "effect"

// tsx by absolute URL: `--import tsx` would resolve from the working directory of the child.
const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href
const bin = ["--conditions=@utblick/source", "--import", tsx, join(import.meta.dirname, "../src/bin.ts")]

/** Runs the real `utblick` executable as a child process, as a user would. */
export const utblick = (args: ReadonlyArray<string>, cwd = join(import.meta.dirname, "..")) => {
  const r = spawnSync(process.execPath, [...bin, ...args], { encoding: "utf8", cwd })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** What an auditor does with a published checkpoint: copy it into a folder of their own. */
export const keepCheckpoints = (db: string, folder: string) => {
  mkdirSync(folder, { recursive: true })
  for (const n of readdirSync(`${db}.utblick/checkpoints`))
    copyFileSync(join(`${db}.utblick/checkpoints`, n), join(folder, n))
}

/**
 * An insider's rewrite (A6/A7): change the body at `position` with `edit`, then recompute every
 * hash, prevHash and streamPrev after it so that the chain verifies again.
 */
export const rewriteHistory = (db: string, position: number, edit: (body: Record<string, unknown>) => void) =>
  withDatabase(db, (d) => {
    const rows = d.prepare("SELECT position, body, hash FROM events ORDER BY position").all() as Array<{
      position: number
      body: string
      hash: string
    }>
    const renamed = new Map<string, string>()
    let prev: Buffer = Buffer.alloc(32)
    const update = d.prepare("UPDATE events SET body = ?, prev_hash = ?, hash = ? WHERE position = ?")
    d.transaction(() => {
      for (const row of rows) {
        const body = JSON.parse(row.body) as Record<string, unknown>
        if (row.position === position) edit(body)
        if (typeof body.streamPrev === "string")
          body.streamPrev = renamed.get(body.streamPrev) ?? body.streamPrev
        const canonical = canonicalize(body as JsonValue)
        const digest = chainDigest(prev, canonical)
        update.run(canonical, prev.toString("hex"), digest.toString("hex"), row.position)
        renamed.set(row.hash, digest.toString("hex"))
        prev = digest
      }
    })()
  })

/** Runs SQL on a store file directly (what someone with file access can do). */
export const sql = (db: string, statement: string): Promise<void> =>
  withDatabase(db, (d) => {
    d.prepare(statement).run()
  })

/** Opens a store file's database for raw access (the SQLite store's own service). */
export const withDatabase = <A>(
  db: string,
  f: (database: SqliteEventStore.SqliteDatabaseShape["database"]) => A
): Promise<A> =>
  Effect.runPromise(
    Effect.gen(function* () {
      const { database } = yield* SqliteEventStore.SqliteDatabase
      return f(database)
    }).pipe(Effect.provide(SqliteEventStore.layer({ filename: db })))
  )
