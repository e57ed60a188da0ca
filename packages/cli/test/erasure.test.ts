/**
 * Issue 11, item 4, through the real `utblick` process on real SQLite files: a traveller's name
 * imported through JSON Lines or CSV is sealed before it is hashed, so no byte of it is in any
 * file of the store; `report` works; `forget` destroys the key (overwritten on disk), the chain
 * verifies, figures are unchanged, `trail` marks the field erased; unknown subjects and second
 * erasures are handled.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { CryptoShredding } from "@utblick/audit"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { utblick } from "./process.js"
import { tempStore } from "./support.js"

const NAME = "Åsa Nordström-Fjällgren"
const OTHER = "Per-Olof Kärrbäck"
const trip = {
  type: "TripProposed",
  occurredAt: "2022-03-01",
  tenant: "lulea-kommun",
  actor: { id: "subject-7f3a", role: "traveller" },
  decisionRef: null,
  payload: {
    tripId: "t-2022-01",
    organiserActorId: "lulea-kommun",
    traveller: "subject-7f3a",
    travellerName: NAME,
    purpose: "UBC general conference",
    destination: "Gdańsk",
    departOn: "2022-05-01",
    returnOn: "2022-05-03",
    relatedTo: [],
    goalRefs: []
  }
}

// Every file of the store: the database, its WAL and shared memory, the key store and its journal.
const storeFiles = (dir: string): ReadonlyArray<string> => {
  const files: Array<string> = []
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name))
      else if (/\.(db|db-wal|db-shm|db-journal)$/.test(e.name)) files.push(join(d, e.name))
    }
  }
  walk(dir)
  return files
}
const holding = (dir: string, bytes: Buffer) => storeFiles(dir).filter((f) => readFileSync(f).includes(bytes))

describe("erasure that erases", () => {
  it("seals on import (JSON Lines and CSV), forget destroys the key, the proof and the figures hold", async () => {
    const t = tempStore()
    utblick(["--store", t.store, "init", "--origin", "audit.test.example/trips"])
    writeFileSync(join(t.dir, "trip.jsonl"), `${JSON.stringify(trip)}\n`)
    expect(utblick(["--store", t.store, "import", join(t.dir, "trip.jsonl"), "--new-tenant", "lulea-kommun"]).code).toBe(0)
    const csv = join(t.dir, "trips.csv")
    writeFileSync(
      csv,
      `occurredAt,tripId,organiserActorId,traveller,travellerName,purpose,destination,departOn,returnOn,relatedTo,goalRefs\n2022-04-01,t-2022-02,lulea-kommun,subject-9b1c,${OTHER},Barents Road meeting,Kirkenes,2022-06-01,2022-06-02,[],[]\n`
    )
    const imported = utblick([
      "--store",
      t.store,
      "import",
      csv,
      "--kind",
      "trips",
      "--tenant",
      "lulea-kommun",
      "--actor",
      "subject-9b1c:traveller",
      "--new-tenant",
      "lulea-kommun"
    ])
    expect(imported.stderr).not.toContain("error")
    expect(imported.code).toBe(0)
    expect(storeFiles(t.dir).length).toBeGreaterThanOrEqual(2)
    expect(holding(t.dir, Buffer.from(NAME))).toEqual([])
    expect(holding(t.dir, Buffer.from(OTHER))).toEqual([])
    const exported = join(t.dir, "export.jsonl")
    utblick(["--store", t.store, "export", "--out", exported])
    expect(readFileSync(exported, "utf8")).not.toContain("Nordstr")
    expect(readFileSync(exported, "utf8")).toContain('"travellerName":{"$enc":{"alg":"A256GCM","ct":')

    const before = utblick([
      "--store",
      t.store,
      "report",
      "--year",
      "2022",
      "--tenant",
      "lulea-kommun",
      "--format",
      "json"
    ])
    expect(before.code).toBe(0)
    const keys = join(`${t.db}.utblick`, "keys.db")
    const dek = await Effect.runPromise(
      Effect.flatMap(CryptoShredding.KeyStore, (ks) => ks.keyFor("subject-7f3a")).pipe(
        Effect.provide(CryptoShredding.layerSqlite({ filename: keys }))
      )
    )
    expect(readFileSync(keys).includes(Buffer.from(dek.key))).toBe(true)

    const forgot = utblick([
      "--store",
      t.store,
      "forget",
      "subject-7f3a",
      "--request",
      "KS 2024/0912",
      "--tenant",
      "lulea-kommun"
    ])
    expect(forgot.code).toBe(0)
    expect(forgot.stdout).toContain("Erased subject subject-7f3a: key subj:subject-7f3a destroyed")
    // The key's bytes are overwritten (secure_delete, rollback journal): nowhere in the store's files.
    expect(holding(t.dir, Buffer.from(dek.key))).toEqual([])
    expect(existsSync(`${keys}-wal`)).toBe(false)
    const again = utblick([
      "--store",
      t.store,
      "forget",
      "subject-7f3a",
      "--request",
      "KS 2024/0912",
      "--tenant",
      "lulea-kommun"
    ])
    expect(again.code).toBe(0)
    expect(again.stdout).toContain("Subject subject-7f3a was already forgotten on")
    expect(again.stdout).toContain("nothing changed")
    const unknown = utblick([
      "--store",
      t.store,
      "forget",
      "subject-nobody",
      "--request",
      "KS 2024/0913",
      "--tenant",
      "lulea-kommun"
    ])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('UnknownSubject: no personal data is held for subject "subject-nobody"')
    // One SubjectErased for the one erasure: 2 trips + 1.
    expect(JSON.parse(utblick(["--store", t.store, "status", "--json"]).stdout).events).toBe(3)

    expect(utblick(["--store", t.store, "verify"]).stdout).toContain("RESULT        PASS")
    const after = utblick([
      "--store",
      t.store,
      "report",
      "--year",
      "2022",
      "--tenant",
      "lulea-kommun",
      "--format",
      "json"
    ])
    expect(after.code).toBe(0)
    expect(JSON.parse(after.stdout).indicators).toEqual(JSON.parse(before.stdout).indicators)
    const trail = utblick(["--store", t.store, "trail", "trip-t-2022-01"])
    expect(trail.stdout).toMatch(
      /personal travellerName erased on \S+ \(request KS 2024\/0912, SubjectErased [0-9a-f-]{36}\)/
    )
    expect(utblick(["--store", t.store, "trail", "trip-t-2022-02"]).stdout).toContain(
      "personal travellerName sealed (key subj:subject-9b1c)"
    )
  }, 600_000)
})
