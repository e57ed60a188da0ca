/**
 * The facade on an SQLite file keeps persisted read models (ADR 0035): a query saves its snapshot
 * in the file, a second facade over the same file answers from it, and after a new grant the next
 * query catches up to the new figure. Figures are worked out by hand from the scenario's commands.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { DatabaseSync } from "node:sqlite"
import { createUtblick } from "@utblick/facade"
import { afterAll, describe, expect, it } from "vitest"
import * as S from "./scenario.js"

const dir = mkdtempSync(join(tmpdir(), "utblick-facade-persisted-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const rows = (filename: string) => {
  // Node's own SQLite client: the facade does not depend on better-sqlite3.
  const db = new DatabaseSync(filename, { readOnly: true })
  try {
    return db.prepare("SELECT projection, filter_key, position FROM projection_checkpoints").all() as Array<{
      projection: string
      filter_key: string
      position: number
    }>
  } finally {
    db.close()
  }
}

describe("persisted read models through the facade", () => {
  it("saves a snapshot, serves a second facade from it, and catches up after a grant", async () => {
    const filename = join(dir, "log.db")
    const first = await createUtblick({ store: { kind: "sqlite", filename } })
    let size = 0
    try {
      for (const command of S.funding2022) size += (await first.execute(command)).events.length
      // 400 000 kr granted (S.funding2022).
      expect((await first.portfolio(2022, { tenant: S.region })).total.grantedAmount).toBe(40_000_000)
    } finally {
      await first.close()
    }
    // One snapshot, of the whole log, for the portfolio's filter.
    expect(rows(filename).map((r) => [r.filter_key, r.position])).toEqual([['{"tenant":"region-norrbotten"}', size]])
    const second = await createUtblick({ store: { kind: "sqlite", filename } })
    try {
      expect((await second.portfolio(2022, { tenant: S.region })).total.grantedAmount).toBe(40_000_000)
      for (const command of [S.receive("nb-2022-p-002", 250_000, "2022-04-01"), S.assess("nb-2022-p-002", "2022-04-02"), S.grantProject("nb-2022-p-002", 2022, 250_000, "2022-04-03")]) {
        await second.execute(command)
      }
      // 400 000 + 250 000 kr.
      expect((await second.portfolio(2022, { tenant: S.region })).total.grantedAmount).toBe(65_000_000)
    } finally {
      await second.close()
    }
  })
})
