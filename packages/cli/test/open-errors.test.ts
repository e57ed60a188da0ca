/**
 * What `utblick` says when it reaches a log it must not open: a file or a schema that a newer
 * version has migrated. The message says to upgrade, and the hint points at the version, not at
 * the connection (until 2026-12-07 a PostgreSQL schema from a newer package was answered with
 * "check the URL, that the server is running and that the user may connect"). Through the real
 * process, on a SQLite file and, when DATABASE_URL is set, a PostgreSQL schema.
 */
import { spawnSync } from "node:child_process"
import { describe, expect, it } from "vitest"
import { sql, utblick } from "./process.js"
import { tempStore } from "./support.js"

const DATABASE_URL = process.env.DATABASE_URL

describe("opening a log a newer utblick migrated", () => {
  it("SQLite: refused, saying to upgrade, with the file's hint", async () => {
    const t = tempStore()
    expect(utblick(["--store", t.store, "init", "--origin", "open.test.example/newer"]).code).toBe(0)
    await sql(t.db, "PRAGMA user_version = 99")
    const r = utblick(["--store", t.store, "status"])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("upgrade the package")
    expect(r.stderr).toContain("a file a newer utblick wrote needs that version")
  })

  it.skipIf(DATABASE_URL === undefined)(
    "PostgreSQL: refused, saying to upgrade, and not sent to the URL",
    () => {
      const schema = `open_newer_${process.pid}`
      const url = `${DATABASE_URL as string}${(DATABASE_URL as string).includes("?") ? "&" : "?"}schema=${schema}`
      const psql = (statement: string) => {
        const r = spawnSync("psql", [DATABASE_URL as string, "-qc", statement], { encoding: "utf8" })
        if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`)
      }
      psql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      expect(utblick(["--store", url, "init", "--origin", "open.test.example/newer-pg"]).code).toBe(0)
      psql(`INSERT INTO ${schema}.utblick_migrations (version, name) VALUES (7, 'from a newer package')`)
      const r = utblick(["--store", url, "status"])
      psql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      expect(r.code).toBe(2)
      expect(r.stderr).toContain(
        `schema "${schema}" is at migration 7, but this @utblick/store-postgres knows migrations up to 6; upgrade the package`
      )
      expect(r.stderr).toContain(
        "hint: check the schema in --store; a log a newer utblick migrated needs that version"
      )
      expect(r.stderr).not.toContain("check the URL")
    }
  )
})
