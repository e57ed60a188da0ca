import { execFileSync, spawnSync } from "node:child_process"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { SqliteEventStore } from "@utblick/store-sqlite"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { goodEvents, jsonl, runCli, runCliAt, tempStore } from "./support.js"

describe("init, import, export, status", () => {
  it("imports a good file, refuses a bad one with line numbers and writes nothing", async () => {
    const t = tempStore()
    expect((await runCli(["--store", t.store, "init"])).code).toBe(0)
    const good = join(t.dir, "good.jsonl")
    writeFileSync(good, jsonl(goodEvents))
    const ok = await runCli(["--store", t.store, "import", good])
    expect(ok.code).toBe(0)
    expect(ok.stdout).toContain(`Imported ${goodEvents.length} commands`)

    const bad = join(t.dir, "bad.jsonl")
    const broken = [
      { ...goodEvents[2], payload: { ...goodEvents[2]!.payload, organisationId: "sern" } },
      { ...goodEvents[2], occurredAt: "2021-13-45" },
      { ...goodEvents[2], type: "MembershipSigned", payload: { actorId: "lulea-kommun", organisationId: "x", kind: "mars" } }
    ]
    writeFileSync(bad, jsonl(broken))
    const refused = await runCli(["--store", t.store, "import", bad])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain("nothing was imported")
    expect(refused.stderr).toContain("line 2: SignMembership: occurredAt")
    expect(refused.stderr).toMatch(/line 3: SignMembership: kind = "mars"/)
    const status = await runCli(["--store", t.store, "status", "--json"])
    expect(JSON.parse(status.stdout).events).toBe(goodEvents.length)
  })

  it("refuses a CSV with a bad row, naming the line", async () => {
    const t = tempStore()
    const csv = join(t.dir, "memberships.csv")
    writeFileSync(
      csv,
      "occurredAt,actorId,organisationId,kind,joinedYear\n2021-01-01,lulea-kommun,ubc,member,1991\n2021-01-02,lulea-kommun,sern,partner-of-sorts,2001\n"
    )
    const r = await runCli(["--store", t.store, "import", csv, "--tenant", "lulea-kommun", "--actor", "lulea-ks:executive-board", "--new-tenant", "lulea-kommun"])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("line 3: SignMembership: kind")
    expect(r.stderr).not.toContain("line 2:")
  })

  it("export round trip: import refuses an export and points to restore, which restores it byte for byte", async () => {
    const a = tempStore()
    const file = join(a.dir, "in.jsonl")
    writeFileSync(file, jsonl(goodEvents))
    await runCli(["--store", a.store, "import", file])
    const out = join(a.dir, "export.jsonl")
    expect((await runCli(["--store", a.store, "export", "--out", out])).code).toBe(0)
    const b = tempStore()
    const refused = await runCli(["--store", b.store, "import", out])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain("utblick restore")
    expect(readFileSync(out, "utf8").trim().split("\n")).toHaveLength(goodEvents.length)
    const c = tempStore()
    expect((await runCli(["--store", c.store, "restore", out])).code).toBe(0)
    const out2 = join(c.dir, "export.jsonl")
    await runCli(["--store", c.store, "export", "--out", out2])
    expect(readFileSync(out2, "utf8")).toBe(readFileSync(out, "utf8"))
  })
})

describe("report, compare, trail", () => {
  it("report --format json carries the provenance manifest", async () => {
    const t = tempStore()
    const file = join(t.dir, "in.jsonl")
    writeFileSync(file, jsonl(goodEvents))
    await runCli(["--store", t.store, "import", file])
    const r = await runCli(["--store", t.store, "report", "--year", "2022", "--tenant", "lulea-kommun", "--format", "json"])
    expect(r.code).toBe(0)
    const json = JSON.parse(r.stdout)
    expect(json.manifest.log.size).toBe(3)
    expect(json.manifest.log.headHash).toMatch(/^[0-9a-f]{64}$/)
    expect(json.manifest.log.merkleRoot).toMatch(/=$/)
    expect(json.manifest.projection.name).toBe("read-models")
    expect(json.indicators.find((v: { id: string }) => v.id === "active-memberships").value).toBe(1)
    const c = await runCli(["--store", t.store, "compare", "2020", "2022", "--format", "json"])
    expect(c.code).toBe(0)
    expect(JSON.parse(c.stdout).manifest.query.years).toEqual([2020, 2022])
  })

  it("trail by case number", async () => {
    const t = tempStore()
    const file = join(t.dir, "in.jsonl")
    writeFileSync(file, jsonl(goodEvents))
    await runCli(["--store", t.store, "import", file])
    const r = await runCli(["--store", t.store, "trail", "KS 2021/123"])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain("MembershipSigned")
    expect(r.stdout).toContain("lulea-ks (executive-board)")
    expect((await runCli(["--store", t.store, "trail", "nope"])).code).toBe(2)
  })
})

describe("verify, close-year, check-year", () => {
  it("verify passes, then fails with exit code 1 on a tampered database", async () => {
    const t = tempStore()
    const file = join(t.dir, "in.jsonl")
    writeFileSync(file, jsonl(goodEvents))
    await runCli(["--store", t.store, "import", file])
    expect((await runCli(["--store", t.store, "verify"])).code).toBe(0)
    await Effect.runPromise(
      Effect.gen(function* () {
        const { database } = yield* SqliteEventStore.SqliteDatabase
        database.prepare("UPDATE events SET body = replace(body, 'Union of the Baltic Cities', 'Union of the Baltic Citiez')").run()
      }).pipe(Effect.provide(SqliteEventStore.layer({ filename: t.db })))
    )
    const r = await runCli(["--store", t.store, "verify"])
    expect(r.code).toBe(1)
    expect(r.stdout).toContain("FAIL")
  })

  it("check-year detects a late back-dated event", async () => {
    // Each step runs at its own instant, so which events the seal knows is decided by the
    // recorded times, not by how fast the steps follow one another.
    const t = tempStore()
    const file = join(t.dir, "in.jsonl")
    writeFileSync(file, jsonl(goodEvents))
    expect((await runCliAt("2023-01-10T09:00:00.000Z", ["--store", t.store, "import", file])).code).toBe(0)
    const sealed = await runCliAt("2023-01-15T12:00:00.000Z", ["--store", t.store, "close-year", "2022", "--tenant", "lulea-kommun"])
    expect(sealed.code).toBe(0)
    expect(sealed.stdout).toContain("Sealed 2022 for lulea-kommun at 2023-01-15T12:00:00.000Z")
    expect((await runCliAt("2023-01-20T08:00:00.000Z", ["--store", t.store, "check-year", "2022", "--tenant", "lulea-kommun"])).code).toBe(0)
    const late = join(t.dir, "late.jsonl")
    writeFileSync(
      late,
      jsonl([
        { ...goodEvents[1], payload: { organisationId: "sern", name: "SERN", focusArea: "eu" } },
        { ...goodEvents[2], occurredAt: "2022-05-01", decisionRef: "KS 2024/9", payload: { actorId: "lulea-kommun", organisationId: "sern", kind: "member" } }
      ])
    )
    expect((await runCliAt("2024-03-01T10:00:00.000Z", ["--store", t.store, "import", late])).code).toBe(0)
    const r = await runCliAt("2024-03-02T10:00:00.000Z", ["--store", t.store, "check-year", "2022", "--tenant", "lulea-kommun"])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("changed after the seal: 2 event(s) recorded after 2023-01-15T12:00:00.000Z")
    expect(r.stderr).toContain("recorded 2024-03-01T10:00:00.000Z")
    expect(r.stderr).toContain("KS 2024/9")
  })
})

describe("as a real process", () => {
  const bin = ["--conditions=@utblick/source", "--import", "tsx", join(import.meta.dirname, "../src/bin.ts")]
  const run = (args: ReadonlyArray<string>) =>
    spawnSync(process.execPath, [...bin, ...args], { encoding: "utf8", cwd: join(import.meta.dirname, "..") })

  it("exit codes: 0 ok, 2 usage, 2 missing database", () => {
    const t = tempStore()
    expect(run(["--store", t.store, "init"]).status).toBe(0)
    expect(run(["--store", t.store, "status"]).status).toBe(0)
    expect(run(["frobnicate"]).status).toBe(2)
    expect(run(["--store", join(t.dir, "missing.db"), "status"]).status).toBe(2)
    expect(run(["report", "--help"]).stdout).toContain("EXAMPLES")
    expect(execFileSync(process.execPath, [...bin, "--version"], { encoding: "utf8" })).toContain("0.1.0")
  })
})
