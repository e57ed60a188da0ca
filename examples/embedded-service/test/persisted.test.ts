/**
 * The service over an SQLite file keeps persisted read models (ADR 0035): the first GET saves a
 * snapshot in the file, a service restarted on the same file answers from it, and after a new
 * grant the next GET catches up. Figures are worked out by hand from the commands posted.
 *
 * A running service also keeps the read models of its reports live (ADR 0042): the next report
 * folds only the new events into them, and `utblick rebuild` run by another process on the same
 * file reaches it at its next report.
 */
import { spawnSync } from "node:child_process"
import { createRequire } from "node:module"
import { fileURLToPath, pathToFileURL } from "node:url"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { start } from "@utblick/example-embedded-service"
import { afterAll, describe, expect, it } from "vitest"
import * as C from "./commands.js"
import { call, post } from "./support.js"

const dir = mkdtempSync(join(tmpdir(), "utblick-service-persisted-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

// The files are read with the very SQLite library the service uses (better-sqlite3, through the
// store package). A second copy of SQLite in the same process (node:sqlite) would release the
// service's POSIX locks when it closes the file, and another process could then delete the WAL
// under the service (SQLite's "multiple copies" hazard).
type Connection = { prepare: (sql: string) => { all: () => Array<unknown> }; close: () => void }
const Database = createRequire(fileURLToPath(import.meta.resolve("@utblick/store-sqlite")))("better-sqlite3") as new (
  filename: string,
  options: { readonly: boolean }
) => Connection

const snapshots = (filename: string) => {
  const db = new Database(filename, { readonly: true })
  try {
    return db.prepare("SELECT filter_key, position FROM projection_checkpoints").all() as Array<{ filter_key: string; position: number }>
  } finally {
    db.close()
  }
}

// The positions of the read models kept for reports: as rows (ADR 0046, 0049) and as snapshots.
const readModelRows = (filename: string) => {
  const db = new Database(filename, { readonly: true })
  try {
    return db
      .prepare("SELECT projection, position FROM projection_checkpoints WHERE projection IN ('read-models', 'read-model-rows') ORDER BY projection")
      .all() as Array<{ projection: string; position: number }>
  } finally {
    db.close()
  }
}

// The real CLI from its sources, as another process on the same file.
const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href
const utblick = (args: ReadonlyArray<string>) =>
  spawnSync(
    process.execPath,
    ["--conditions=@utblick/source", "--import", tsx, join(import.meta.dirname, "../../../packages/cli/src/bin.ts"), ...args],
    { encoding: "utf8" }
  )

const granted = (body: Record<string, unknown>) =>
  (body["values"] as ReadonlyArray<{ id: string; value: number | null }>).find((v) => v.id === "granted-by-instrument")?.value

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


describe("a running service's reports (rows kept in the file, ADR 0046 and 0049)", () => {
  it("catch up on new grants, and a rebuild by another process reaches the service's next report", async () => {
    const filename = join(dir, "live.db")
    const service = await start({ store: { kind: "sqlite", filename }, port: 0 })
    let events = 0
    const send = async (command: Record<string, unknown>) => {
      events += ((await post(base(service), command)) as { events: Array<unknown> }).events.length
    }
    try {
      for (const command of [C.allot(2022, 1_000_000), C.receive("nb-2022-p-001", 400_000, "2022-02-01"), C.assess("nb-2022-p-001", "2022-02-15"), C.grantProject("nb-2022-p-001", 2022, 400_000, "2022-03-10")]) {
        await send(command)
      }
      // 400 000 kr granted, in öre.
      expect(granted((await call(base(service), "/indicators/2022")).body)).toBe(40_000_000)
      // The first report built the read models as rows, a segment at a time (no snapshot).
      expect(readModelRows(filename)).toEqual([{ projection: "read-model-rows", position: events }])
      for (const command of [C.receive("nb-2022-p-002", 250_000, "2022-04-01"), C.assess("nb-2022-p-002", "2022-04-02"), C.grantProject("nb-2022-p-002", 2022, 250_000, "2022-04-03")]) {
        await send(command)
      }
      // 400 000 + 250 000 kr. The report folded the 3 new events into the rows they touch and
      // moved the rows to the head.
      expect(granted((await call(base(service), "/indicators/2022")).body)).toBe(65_000_000)
      expect(readModelRows(filename)).toEqual([{ projection: "read-model-rows", position: events }])
      // Another process deletes every snapshot and figure.
      const rebuilt = utblick(["--store", `sqlite:${filename}`, "rebuild"])
      expect(rebuilt.status, rebuilt.stderr).toBe(0)
      expect(readModelRows(filename)).toEqual([])
      // The service's next report finds no rows, builds them again from the log and saves them
      // at the head.
      expect(granted((await call(base(service), "/indicators/2022")).body)).toBe(65_000_000)
      expect(readModelRows(filename)).toEqual([{ projection: "read-model-rows", position: events }])
    } finally {
      await service.close()
    }
  }, 60_000)
})

const base = (running: { readonly url: string }) => running.url
