/**
 * The service over an SQLite file keeps persisted read models (ADR 0035): the first GET saves a
 * snapshot in the file, a service restarted on the same file answers from it, and after a new
 * grant the next GET catches up. Figures are worked out by hand from the commands posted.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { DatabaseSync } from "node:sqlite"
import { start } from "@utblick/example-embedded-service"
import { afterAll, describe, expect, it } from "vitest"
import * as C from "./commands.js"
import { call, post } from "./support.js"

const dir = mkdtempSync(join(tmpdir(), "utblick-service-persisted-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const snapshots = (filename: string) => {
  const db = new DatabaseSync(filename, { readOnly: true })
  try {
    return db.prepare("SELECT filter_key, position FROM projection_checkpoints").all() as Array<{ filter_key: string; position: number }>
  } finally {
    db.close()
  }
}

describe("the service over an SQLite file", () => {
  it("saves a read-model snapshot, answers from it after a restart, and catches up after a grant", async () => {
    const filename = join(dir, "svc.db")
    const first = await start({ store: { kind: "sqlite", filename }, port: 0 })
    let events = 0
    try {
      for (const command of [C.allot(2022, 1_000_000), C.receive("nb-2022-p-001", 400_000, "2022-02-01"), C.assess("nb-2022-p-001", "2022-02-15"), C.grantProject("nb-2022-p-001", 2022, 400_000, "2022-03-10")]) {
        events += ((await post(base(first), command)) as { events: Array<unknown> }).events.length
      }
      // 1 000 000 kr allotted, 400 000 kr granted: 600 000 kr left.
      expect((await call(base(first), `/portfolio/2022?tenant=${C.region}`)).body).toMatchObject({ remainingAppropriation: 60_000_000 })
    } finally {
      await first.close()
    }
    expect(snapshots(filename)).toEqual([{ filter_key: '{"tenant":"region-norrbotten"}', position: events }])
    const second = await start({ store: { kind: "sqlite", filename }, port: 0 })
    try {
      expect((await call(base(second), `/portfolio/2022?tenant=${C.region}`)).body).toMatchObject({ remainingAppropriation: 60_000_000 })
      await post(base(second), C.receive("nb-2022-p-002", 250_000, "2022-04-01"))
      await post(base(second), C.assess("nb-2022-p-002", "2022-04-02"))
      await post(base(second), C.grantProject("nb-2022-p-002", 2022, 250_000, "2022-04-03"))
      // 600 000 − 250 000 kr.
      expect((await call(base(second), `/portfolio/2022?tenant=${C.region}`)).body).toMatchObject({ remainingAppropriation: 35_000_000 })
    } finally {
      await second.close()
    }
  })
})

const base = (running: { readonly url: string }) => running.url
