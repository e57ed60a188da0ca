/**
 * The auditor's journey, start to finish, through the real `utblick` process: the operator
 * imports and signs a checkpoint; the auditor keeps it and an export; the log grows and verifies
 * as growth; copies tampered in five ways each fail naming the position (and a report on the copy
 * missing a row stops at it); a restore of the kept
 * export verifies against the kept checkpoint; a decision receipt is proved and verified offline
 * (and a forged one refused); a traveller is forgotten and no byte of the name is left, while
 * chain, checkpoint and receipt still verify.
 *
 * It runs on a SQLite file, and on PostgreSQL when `DATABASE_URL` is set (CI starts a server).
 * Every expected value comes from the files the journey writes (positions chosen by the test,
 * counts of the input lines), never from an earlier run of the tool.
 */
import { spawnSync } from "node:child_process"
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { rewriteHistory, sql, utblick } from "../process.js"

const FILES = join(import.meta.dirname, "../../../../docs/guides/auditor-files")
const NAME = "Åsa Nordström" // the traveller's name in 2022.jsonl, sealed on import
const DATABASE_URL = process.env.DATABASE_URL

/** Where the log lives and how someone with write access to its database alters a copy. */
interface Backend {
  readonly name: string
  /** A store spec for a log named `label` (a file in `dir`, or a schema of its own). */
  readonly store: (dir: string, label: string) => string
  /** Runs one SQL statement on the log's events table (`{events}` stands for its name). */
  readonly alter: (dir: string, label: string, statement: string) => Promise<void>
  /** Everything the log and its keys keep, as bytes, by where it is (for the search after erasure). */
  readonly holdings: (dir: string, label: string) => ReadonlyArray<{ readonly where: string; readonly bytes: Buffer }>
}

const filesUnder = (dir: string): Array<string> =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(db|db-wal|db-shm|db-journal)$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))

const filesIn = (dir: string) => filesUnder(dir).map((where) => ({ where, bytes: readFileSync(where) }))

const sqlite: Backend = {
  name: "SQLite",
  store: (dir, label) => `sqlite:${join(dir, `${label}.db`)}`,
  alter: (dir, label, statement) => sql(join(dir, `${label}.db`), statement.replaceAll("{events}", "events")),
  holdings: filesIn
}

const run = `${process.pid}_${Date.now().toString(36)}`
const pgSchema = (label: string) => `journey_${label.replaceAll("-", "_")}_${run}`
const postgres: Backend = {
  name: "PostgreSQL",
  store: (_dir, label) => `${DATABASE_URL}${DATABASE_URL?.includes("?") ? "&" : "?"}schema=${pgSchema(label)}`,
  alter: async (_dir, label, statement) => {
    const r = spawnSync(
      "psql",
      [DATABASE_URL as string, "-v", "ON_ERROR_STOP=1", "-qc", statement.replaceAll("{events}", `${pgSchema(label)}.utblick_events`).replaceAll("body", "canonical")],
      { encoding: "utf8" }
    )
    if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`)
  },
  // The log is in the server (a dump of its schema shows every row); its key store is a file
  // under ./.utblick/ on this machine.
  holdings: (dir, label) => {
    const dump = spawnSync("pg_dump", ["--schema", pgSchema(label), DATABASE_URL as string], { maxBuffer: 1 << 28 })
    if (dump.status !== 0) throw new Error(`pg_dump failed: ${dump.stderr}`)
    expect(dump.stdout.includes(Buffer.from("utblick_events"))).toBe(true)
    return [{ where: `pg_dump of ${pgSchema(label)}`, bytes: dump.stdout }, ...filesIn(dir)]
  }
}

const journey = (backend: Backend) => async () => {
  const dir = mkdtempSync(join(tmpdir(), "utblick-auditor-"))
  const u = (args: ReadonlyArray<string>) => utblick(args, dir)
  const log = backend.store(dir, "lulea")
  const at = (store: string, ...args: Array<string>) => u(["--store", store, ...args])
  const kept = join(dir, "revisor", "kept")
  const vkey = join(dir, "revisor", "audit.key.vkey")
  mkdirSync(kept, { recursive: true })
  const year2022 = readFileSync(join(FILES, "2022.jsonl"), "utf8").trim().split("\n")
  const year2023 = readFileSync(join(FILES, "2023.jsonl"), "utf8").trim().split("\n")
  const size = year2022.length
  const grown = size + year2023.length
  expect(readFileSync(join(FILES, "2022.jsonl"), "utf8")).toContain(NAME)

  // 1. The operator: a log with its own origin, a year of data, a signed checkpoint.
  expect(at(log, "init", "--origin", "audit.journey.example/lulea").code).toBe(0)
  expect(at(log, "import", join(FILES, "2022.jsonl")).stdout).toContain(`the log now holds ${size} events`)
  expect(u(["keygen", "--name", "audit.journey.example", "--out", join(dir, "audit.key")]).code).toBe(0)
  copyFileSync(join(dir, "audit.key.vkey"), vkey)
  const signed = at(log, "checkpoint", "--key", join(dir, "audit.key"))
  expect(signed.code).toBe(0)
  const note = /kept at (\S+\.note):/.exec(signed.stdout)?.[1] as string
  expect(readFileSync(note, "utf8").split("\n").slice(0, 2)).toEqual(["audit.journey.example/lulea", String(size)])

  // 2. The auditor keeps the note and an export in a folder of their own.
  copyFileSync(note, join(kept, "lulea.note"))
  expect(at(log, "export", "--out", join(kept, "lulea-2022.jsonl")).code).toBe(0)

  // 3. The log grows; verify tells growth from tampering.
  expect(at(log, "import", join(FILES, "2023.jsonl")).code).toBe(0)
  const growth = at(log, "verify", "--trust", vkey, "--previous", kept)
  expect(growth.code).toBe(0)
  expect(growth.stdout).toContain(`the log grew by ${grown - size} events since checkpoint`)
  expect(growth.stdout).toMatch(/RESULT +PASS/)

  // 4. Copies of the log, each altered by someone with write access to its database.
  const tampered = async (label: string, statement: string | ((db: string) => Promise<void>)) => {
    const copy = backend.store(dir, label)
    expect(at(log, "migrate", "--to", copy).code).toBe(0)
    if (typeof statement === "string") await backend.alter(dir, label, statement)
    else await statement(join(dir, `${label}.db`))
    return at(copy, "verify", "--trust", vkey, "--previous", kept)
  }
  const edited = await tampered("edited", "UPDATE {events} SET body = replace(body, 'KS 2021/123', 'KS 2021/999') WHERE position = 2")
  expect(edited.code).toBe(1)
  expect(edited.stdout).toContain("FAIL CHAIN at position 2")
  const removed = await tampered("removed", `DELETE FROM {events} WHERE position = ${size}`)
  expect(removed.code).toBe(1)
  expect(removed.stdout).toContain(`FAIL SEQ at position ${size}`)
  // The analyst's report on that copy stops at the hole rather than count without the event.
  const reported = at(backend.store(dir, "removed"), "report", "--year", "2023")
  expect(reported.code).toBe(2)
  expect(reported.stderr).toContain(
    `the stored event at position ${size} (stream "unknown") is corrupt: the row is missing: positions must be gap-free`
  )
  const truncated = await tampered("truncated", `DELETE FROM {events} WHERE position >= ${size - 1}`)
  expect(truncated.code).toBe(1)
  expect(truncated.stdout).toContain(`FAIL ROLLBACK at position ${size - 1}`)
  // The columns the store finds events by are not hashed; altering one hides the event from its
  // stream while the chain still verifies, so verify checks them against the records.
  const reindexed = await tampered("reindexed", "UPDATE {events} SET stream_id = 'membership-lulea-kommun-other' WHERE position = 2")
  expect(reindexed.code).toBe(1)
  expect(reindexed.stdout).toContain(
    'FAIL INDEX at position 2: the stream_id column says "membership-lulea-kommun-other" but the hashed record says "membership-lulea-kommun-ubc"'
  )
  if (backend === sqlite) {
    // An insider who recomputes every hash after the edit: the chain verifies on its own, so
    // only what the auditor kept can tell; the kept export names the first position that differs.
    const rewritten = await tampered("rewritten", (db) =>
      rewriteHistory(db, 1, (body) => {
        ;(body.payload as Record<string, unknown>).name = "Union of the Baltic Citiez"
      })
    )
    expect(rewritten.code).toBe(1)
    expect(rewritten.stdout).toContain("FAIL INCONSISTENT_WITH_PREVIOUS at position 1:")
    expect(rewritten.stdout).toContain("position 1 differs from line 2 of")
  }
  // The original is untouched by all of that.
  expect(at(log, "verify", "--trust", vkey, "--previous", kept).code).toBe(0)

  // 5. A restore of the kept export verifies against the kept checkpoint.
  const restored = backend.store(dir, "restored")
  const restore = at(restored, "restore", join(kept, "lulea-2022.jsonl"))
  expect(restore.code).toBe(0)
  expect(restore.stdout).toContain(`Restored ${size} events`)
  const again = at(restored, "verify", "--trust", vkey, "--previous", join(kept, "lulea.note"))
  expect(again.code).toBe(0)
  expect(again.stdout).toMatch(/RESULT +PASS/)

  // 6. Who decided what: the trail of a case number, and a receipt for its event.
  // The membership is line 3 of 2022.jsonl, so it sits at position 2. An imported line is decided
  // as a command, so its event gets an id of its own; the file's id is kept as the idempotency key.
  const position = year2022.findIndex((l) => l.includes('"KS 2021/123"'))
  expect(position).toBe(2)
  const trail = at(log, "trail", "KS 2021/123")
  expect(trail.code).toBe(0)
  expect(trail.stdout).toContain("lulea-ks (executive-board)  case KS 2021/123")
  const eventId = new RegExp(`event (\\S+)  position ${position}\\s+membership-lulea-kommun-ubc v1`).exec(trail.stdout)?.[1] as string
  expect(eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  expect(at(log, "checkpoint", "--key", join(dir, "audit.key")).code).toBe(0)
  const receipt = join(dir, "revisor", "ks-2021-123.tlog-proof")
  expect(at(log, "prove", eventId, "--out", receipt).code).toBe(0)
  const offline = u(["verify-receipt", receipt, "--trust", vkey])
  expect(offline.code).toBe(0)
  expect(offline.stdout).toContain("KS 2021/123")
  const forged = join(dir, "revisor", "forged.tlog-proof")
  // prove writes the proof and, beside it, the event's exact bytes; a forger edits the bytes.
  copyFileSync(receipt, forged)
  const record = readFileSync(`${receipt}.event.json`, "utf8")
  expect(record).toContain('"decisionRef":"KS 2021/123"')
  writeFileSync(`${forged}.event.json`, record.replace("KS 2021/123", "KS 2021/124"))
  const refused = u(["verify-receipt", forged, "--trust", vkey])
  expect(refused.code).toBe(1)
  expect(refused.stdout).toContain("RESULT        FAIL INCLUSION")

  // 7. A traveller asks to be forgotten: no byte of the name is left; proofs still hold.
  const forget = at(log, "forget", "subject-7f3a", "--request", "KS 2024/0912", "--tenant", "lulea-kommun")
  expect(forget.code).toBe(0)
  const everything = join(dir, "after-erasure.jsonl")
  expect(at(log, "export", "--out", everything).code).toBe(0)
  const name = Buffer.from(NAME)
  const holdings = backend.holdings(dir, "lulea")
  expect(holdings.some((h) => h.where.endsWith("keys.db"))).toBe(true)
  expect(holdings.filter((h) => h.bytes.includes(name)).map((h) => h.where)).toEqual([])
  expect(readFileSync(everything).includes(name)).toBe(false)
  const erased = at(log, "trail", "trip-2022-ubc-gdansk")
  expect(erased.stdout).toContain("erased")
  expect(erased.stdout).not.toContain("Nordström")
  const afterErasure = at(log, "verify", "--trust", vkey, "--previous", kept)
  expect(afterErasure.code).toBe(0)
  expect(afterErasure.stdout).toContain(`the log grew by ${grown + 1 - size} events since checkpoint`)
  expect(u(["verify-receipt", receipt, "--trust", vkey]).code).toBe(0)
}

describe("the auditor's journey", () => {
  it("SQLite: checkpoint, grow, verify, tamper ×5, restore, trail, receipt, forget, verify", journey(sqlite), 600_000)
  it.skipIf(DATABASE_URL === undefined)(
    "PostgreSQL (needs DATABASE_URL): the same journey on a server",
    journey(postgres),
    600_000
  )
})
