/**
 * Issue 11, item 3, through the real `utblick` process on real SQLite files: restore and
 * migrate keep origin, positions, recordedAt and hashes, so old checkpoints and receipts verify on
 * the restored store; a tampered export is refused naming its line; import refuses an export.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { keepCheckpoints, utblick } from "./process.js"
import { goodEvents, jsonl, seedSqlite, tempStore } from "./support.js"

const DATABASE_URL = process.env.DATABASE_URL

describe("restore and migrate", () => {
  it("restores an export exactly; old checkpoints verify on the restored store; a tampered export is refused by line", () => {
    const t = tempStore()
    const kept = join(t.dir, "revisor")
    utblick(["--store", t.store, "init", "--origin", "audit.test.example/log"])
    writeFileSync(join(t.dir, "a.jsonl"), jsonl(goodEvents))
    utblick(["--store", t.store, "import", join(t.dir, "a.jsonl")])
    utblick(["keygen", "--name", "audit.test.example", "--out", join(t.dir, "k")])
    utblick(["--store", t.store, "checkpoint", "--key", join(t.dir, "k")])
    keepCheckpoints(t.db, kept)
    const backup = join(t.dir, "backup.jsonl")
    expect(utblick(["--store", t.store, "export", "--out", backup]).code).toBe(0)

    const r = tempStore()
    const restored = utblick([
      "--store",
      r.store,
      "restore",
      backup,
      "--trust",
      join(t.dir, "k.vkey"),
      "--previous",
      kept
    ])
    expect(restored.code).toBe(0)
    expect(restored.stdout).toContain("Restored 3 events")
    expect(restored.stdout).toContain("origin audit.test.example/log, positions 0 to 2")
    // Byte for byte the same log: the export of the restored store equals the backup.
    const again = join(r.dir, "again.jsonl")
    expect(utblick(["--store", r.store, "export", "--out", again]).code).toBe(0)
    expect(readFileSync(again, "utf8")).toBe(readFileSync(backup, "utf8"))
    expect(utblick(["--store", r.store, "status"]).stdout).toMatch(/^origin {6}audit\.test\.example\/log$/m)
    const verified = utblick([
      "--store",
      r.store,
      "verify",
      "--trust",
      join(t.dir, "k.vkey"),
      "--previous",
      kept
    ])
    expect(verified.code).toBe(0)
    expect(verified.stdout).toContain("growth        none")

    // A payload edited with its hash left as it was: refused, line named, nothing written.
    const lines = readFileSync(backup, "utf8").split("\n")
    lines[1] = (lines[1] as string).replace("Union of the Baltic Cities", "Union of the Baltic Citiez")
    const tampered = join(t.dir, "tampered.jsonl")
    writeFileSync(tampered, lines.join("\n"))
    const x = tempStore()
    const refused = utblick(["--store", x.store, "restore", tampered])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain(`${tampered} line 2: CHAIN: hash is not SHA-256(prevHash ‖ record)`)
    expect(existsSync(x.db)).toBe(false)

    // The file's bytes are what is verified: one byte that is not UTF-8 (read leniently it would
    // become U+FFFD and fail later as a broken chain) and a byte order mark before the first line
    // are each refused as a malformed export (exit 2), and nothing is written.
    const raw = readFileSync(backup)
    const at = raw.indexOf(Buffer.from("Union of the Baltic Cities"))
    const invalid = join(t.dir, "invalid-utf8.jsonl")
    writeFileSync(invalid, Buffer.concat([raw.subarray(0, at), Buffer.from([0xff]), raw.subarray(at + 1)]))
    const bom = join(t.dir, "bom.jsonl")
    writeFileSync(bom, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), raw]))
    const y = tempStore()
    const notUtf8 = utblick(["--store", y.store, "restore", invalid])
    expect(notUtf8.code).toBe(2)
    // The line of the broken byte, counted in the file: the export is read a piece at a time.
    const brokenLine = raw.subarray(0, at).toString("latin1").split("\n").length
    expect(notUtf8.stderr).toContain(
      `${invalid}: MALFORMED: line ${brokenLine}: a line is not valid UTF-8; nothing was restored`
    )
    const withBom = utblick(["--store", y.store, "restore", bom])
    expect(withBom.code).toBe(2)
    expect(withBom.stderr).toContain("MALFORMED: line 1: the export starts with a byte order mark")
    expect(existsSync(y.db)).toBe(false)

    // Restoring twice into the same store is refused; import of an export points at restore.
    const twice = utblick(["--store", r.store, "restore", backup])
    expect(twice.code).toBe(2)
    expect(twice.stderr).toContain("the log already holds 3 events; nothing was restored")
    const imported = utblick(["--store", tempStore().store, "import", backup])
    expect(imported.code).toBe(2)
    expect(imported.stderr).toContain("line 1: (line)")
    expect(imported.stderr).toContain("copy a verified log with `utblick restore`")

    // A store-to-store migration keeps the same bytes too.
    const m = tempStore()
    expect(utblick(["--store", r.store, "migrate", "--to", m.store]).code).toBe(0)
    const migrated = join(m.dir, "m.jsonl")
    utblick(["--store", m.store, "export", "--out", migrated])
    expect(readFileSync(migrated, "utf8")).toBe(readFileSync(backup, "utf8"))
  }, 600_000)

  it("restores and migrates an export of several megabytes, read in pieces: lines cross the pieces' edges", async () => {
    // 3,000 events of about 1.3 kB each: an export of about 4 MB, so that the restore reads it
    // in four pieces of a megabyte and lines fall across their edges (byte lengths differ per line:
    // the names hold "å", two bytes in UTF-8, and ids of different lengths).
    const t = tempStore()
    await seedSqlite(
      t.db,
      Array.from({ length: 3_000 }, (_, i) => ({
        streamId: `actor-a${i}`,
        type: "ActorRegistered",
        occurredAt: "2020-01-01",
        tenant: "lulea-kommun",
        actor: { id: "registrar", role: "registrar" },
        decisionRef: null,
        payload: {
          actorId: `a${i}`,
          name: `Aktör ${"å".repeat(i % 7)}${"x".repeat(1_100 + (i % 13))}`,
          kind: "municipality"
        }
      }))
    )
    const backup = join(t.dir, "big.jsonl")
    expect(utblick(["--store", t.store, "export", "--out", backup]).stdout).toContain("Wrote 3000 records")
    const original = readFileSync(backup)
    expect(original.length).toBeGreaterThan(3 * 2 ** 20)
    const r = tempStore()
    const restored = utblick(["--store", r.store, "restore", backup])
    expect(restored.code).toBe(0)
    expect(restored.stdout).toContain("positions 0 to 2999")
    expect(restored.stdout).toContain("verify        PASS")
    const again = join(r.dir, "again.jsonl")
    utblick(["--store", r.store, "export", "--out", again])
    expect(readFileSync(again).equals(original)).toBe(true)
    // A migration goes through the same pieces, and leaves no export file behind.
    const m = tempStore()
    expect(utblick(["--store", t.store, "migrate", "--to", m.store]).code).toBe(0)
    const migrated = join(m.dir, "m.jsonl")
    utblick(["--store", m.store, "export", "--out", migrated])
    expect(readFileSync(migrated).equals(original)).toBe(true)
  }, 120_000)

  it("the key store is carried over with --keys (migrate: by default), so sealed fields stay readable", () => {
    const t = tempStore()
    utblick(["--store", t.store, "init", "--origin", "audit.test.example/keys"])
    const trip = {
      type: "TripProposed",
      occurredAt: "2022-03-01",
      tenant: "lulea-kommun",
      actor: { id: "subject-7f3a", role: "traveller" },
      decisionRef: null,
      payload: {
        tripId: "t-1",
        organiserActorId: "lulea-kommun",
        traveller: "subject-7f3a",
        travellerName: "Åsa Nordström",
        purpose: "UBC",
        destination: "Gdańsk",
        departOn: "2022-05-01",
        returnOn: "2022-05-03",
        relatedTo: [],
        goalRefs: []
      }
    }
    writeFileSync(join(t.dir, "trip.jsonl"), jsonl([trip]))
    expect(
      utblick(["--store", t.store, "import", join(t.dir, "trip.jsonl"), "--new-tenant", "lulea-kommun"]).code
    ).toBe(0)
    const backup = join(t.dir, "backup.jsonl")
    utblick(["--store", t.store, "export", "--out", backup])
    const bare = tempStore()
    expect(utblick(["--store", bare.store, "restore", backup]).stdout).toContain(
      "keys          no key store carried over"
    )
    expect(utblick(["--store", bare.store, "trail", "trip-t-1"]).stdout).toContain(
      "not in the key store and no erasure recorded"
    )
    const withKeys = tempStore()
    const r = utblick(["--store", withKeys.store, "restore", backup, "--keys", `${t.db}.utblick/keys.db`])
    expect(r.stdout).toContain(
      `keys          the key store ${t.db}.utblick/keys.db copied to ${withKeys.db}.utblick/keys.db`
    )
    expect(utblick(["--store", withKeys.store, "trail", "trip-t-1"]).stdout).toContain(
      "personal travellerName sealed (key subj:subject-7f3a)"
    )
    const m = tempStore()
    expect(utblick(["--store", t.store, "migrate", "--to", m.store]).stdout).toContain("copied to")
  }, 600_000)

  it("a restore into a PostgreSQL server that cannot be reached names the connection and what to check", () => {
    const t = tempStore()
    utblick(["--store", t.store, "init", "--origin", "audit.test.example/unreachable"])
    writeFileSync(join(t.dir, "a.jsonl"), jsonl(goodEvents))
    utblick(["--store", t.store, "import", join(t.dir, "a.jsonl")])
    const backup = join(t.dir, "backup.jsonl")
    expect(utblick(["--store", t.store, "export", "--out", backup]).code).toBe(0)
    // Nothing listens on port 1.
    const r = utblick(["--store", "postgres://postgres:secret@127.0.0.1:1/none", "restore", backup])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(
      "error: cannot restore into postgres://postgres:***@127.0.0.1:1/none: the store could not connect to PostgreSQL: ConnectionError: ECONNREFUSED"
    )
    expect(r.stderr).toContain(
      "; nothing was restored\nhint: check the URL, that the server is running and that the user may connect"
    )
    expect(r.stderr).not.toContain("secret")
  })

  it.skipIf(DATABASE_URL === undefined)(
    "SQLite → PostgreSQL → SQLite keeps every byte (needs DATABASE_URL)",
    () => {
      const t = tempStore()
      utblick(["--store", t.store, "init", "--origin", `audit.test.example/pg-${Date.now()}`])
      writeFileSync(join(t.dir, "a.jsonl"), jsonl(goodEvents))
      utblick(["--store", t.store, "import", join(t.dir, "a.jsonl")])
      const backup = join(t.dir, "backup.jsonl")
      utblick(["--store", t.store, "export", "--out", backup])
      const schema = `restore_${process.pid}_${Date.now() % 100000}`
      const pg = `${DATABASE_URL as string}${(DATABASE_URL as string).includes("?") ? "&" : "?"}schema=${schema}`
      const toPg = utblick(["--store", t.store, "migrate", "--to", pg])
      expect(toPg.stderr).toBe("")
      expect(toPg.code).toBe(0)
      const back = tempStore()
      expect(utblick(["--store", pg, "migrate", "--to", back.store]).code).toBe(0)
      const out = join(back.dir, "back.jsonl")
      utblick(["--store", back.store, "export", "--out", out])
      expect(readFileSync(out, "utf8")).toBe(readFileSync(backup, "utf8"))
    },
    600_000
  )
})
