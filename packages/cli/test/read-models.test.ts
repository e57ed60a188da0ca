/**
 * Persisted read models through the real `utblick` process on a real SQLite file (ADR 0035):
 * a report saves its snapshots in the log's file; after an import the next report catches up and
 * gives the new figure; a replaced log never reuses a stale snapshot; `rebuild` and `forget`
 * delete the snapshots, and after `forget` no byte of the traveller's name is left in any file.
 * Every expected figure is worked out by hand from the commands in the files.
 */
import { spawnSync } from "node:child_process"
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { MerkleTree } from "@utblick/audit"
import { describe, expect, it } from "vitest"
import { allot, assess, grant, receive, registerRegion, utblick, writeJsonl } from "./importProcess.js"
import { withDatabase } from "./process.js"
import { tempStore } from "./support.js"

const FILES = join(import.meta.dirname, "../../../docs/guides/auditor-files")
const DATABASE_URL = process.env.DATABASE_URL

interface Row {
  readonly projection: string
  readonly filter_key: string
  readonly position: number
}
// The read-model snapshots (the year figures of ADR 0038 share the table; see year-figures.test.ts).
const snapshots = (db: string) =>
  withDatabase(db, (d) => d.prepare("SELECT projection, filter_key, position FROM projection_checkpoints WHERE projection = 'read-models' ORDER BY filter_key").all() as Array<Row>)
const allRows = (db: string) =>
  withDatabase(db, (d) => d.prepare("SELECT projection, filter_key, position FROM projection_checkpoints ORDER BY projection").all() as Array<Row>)

// The year's granted money (öre) from `report --format json`.
// (On PostgreSQL too: the store spec is a URL with its own schema.)
const granted2022 = (store: string): number => {
  const r = utblick(["--store", store, "report", "--year", "2022", "--tenant", "region-norrbotten", "--format", "json"])
  expect(r.stderr).not.toContain("Error")
  expect(r.code).toBe(0)
  const indicators = JSON.parse(r.stdout).indicators as Array<{ id: string; value: number }>
  return indicators.find((i) => i.id === "granted-by-instrument")?.value ?? Number.NaN
}

// The manifest's log size and Merkle root (from `report --format json`), and the root of the same
// records worked out here with the levelled tree (another algorithm than the report's compact
// range) from the hashes in the file.
const rootsOf = async (store: string, db: string) => {
  const r = utblick(["--store", store, "report", "--year", "2022", "--tenant", "region-norrbotten", "--format", "json"])
  expect(r.code).toBe(0)
  const log = JSON.parse(r.stdout).manifest.log as { size: number; merkleRoot: string }
  const hashes = await withDatabase(db, (d) => d.prepare("SELECT hash FROM events ORDER BY position").pluck().all() as Array<string>)
  const tree = MerkleTree.fromLeafHashes(hashes.map((h) => MerkleTree.hashLeaf(Buffer.from(h, "hex"))))
  return { size: log.size, reported: log.merkleRoot, expected: Buffer.from(tree.rootAt(hashes.length)).toString("base64") }
}

// Register (1 event), allot (1), per application receive (1), assess (1), grant (2: the grant
// and the budget reservation): 2 + 4 per application.
const funding = (amounts: ReadonlyArray<number>) => [
  registerRegion,
  allot(2022, 2_000_000),
  ...amounts.flatMap((kronor, i) => [
    receive(`a-${i + 1}`, kronor, "2022-02-01"),
    assess(`a-${i + 1}`, "2022-02-10"),
    grant(`a-${i + 1}`, 2022, kronor, "2022-03-01", `RUN 0006${i}-2022`)
  ])
]

// A report, the same under a grant filter, another business date, a comparison, the grant filter
// again, the HTML report and comparison (with their charts' series) and the grants listed, on a
// log of two project grants (600 000 and 300 000 kr, 1 March 2022) and an application received in
// June 2020, never decided: what is kept after each step (`kept` lists each checkpoint's
// projection and position) shows that no step built the whole read-model state (it would keep a
// `read-models` snapshot).
const seriesOfQuestions = async (
  store: string,
  dir: string,
  kept: () => Promise<ReadonlyArray<{ readonly projection: string; readonly position: number }>>
) => {
  expect(utblick(["--store", store, "init"]).code).toBe(0)
  const file = join(dir, "f.jsonl")
  writeJsonl(file, [...funding([600_000, 300_000]), receive("a-0", 100_000, "2020-06-01")])
  expect(utblick(["--store", store, "import", file]).code).toBe(0)
  const granted = (...args: ReadonlyArray<string>) => {
    const r = utblick(["--store", store, "report", "--year", "2022", "--tenant", "region-norrbotten", "--format", "json", ...args])
    expect(r.code).toBe(0)
    return (JSON.parse(r.stdout).indicators as Array<{ id: string; value: number }>).find((i) => i.id === "granted-by-instrument")?.value
  }
  const rowsKept = async () => (await kept()).filter((r) => r.projection === "read-model-rows").map((r) => r.position)
  const snapshotsKept = async () => (await kept()).filter((r) => r.projection === "read-models")
  expect(granted()).toBe(90_000_000)
  // Both grants are project support: 90 000 000 öre under that filter too. Its sums are added
  // to the rows of the year's end (by a scan of them, ADR 0050), not from the whole state.
  expect(granted("--instrument", "project-support")).toBe(90_000_000)
  expect(await snapshotsKept()).toEqual([])
  expect(await rowsKept()).toEqual([11])
  // Another date is another time filter, with its own rows: as of 15 February both applications
  // are received and assessed, neither granted (1 March).
  expect(granted("--as-of", "2022-02-15")).toBe(0)
  expect(await rowsKept()).toEqual([11, 11])
  // Two years side by side, each as of its own end: 2022's rows are kept, 2023's are new.
  const compared = utblick(["--store", store, "compare", "2022", "2023", "--tenant", "region-norrbotten", "--format", "json"])
  expect(compared.code).toBe(0)
  expect(await rowsKept()).toEqual([11, 11, 11])
  // Asked again, every answer is kept; never was the whole state built or kept as a snapshot.
  expect(granted("--instrument", "project-support")).toBe(90_000_000)
  expect(await snapshotsKept()).toEqual([])
  // The HTML report charts every year from the first with data (a-0, received in 2020) to 2022:
  // the years come from rows of the tenant with no business date (ADR 0050; the rows a refusal of
  // a grant filter reads too), and each year's figure from rows as of its end (2020 and 2021 new).
  const html = join(dir, "report.html")
  expect(utblick(["--store", store, "report", "--year", "2022", "--tenant", "region-norrbotten", "--format", "html", "--out", html]).code).toBe(0)
  const axis = new Set([...readFileSync(html, "utf8").matchAll(/<th scope="row">(\d{4})<\/th>/g)].map((m) => m[1]))
  expect([...axis].sort()).toEqual(["2020", "2021", "2022"])
  const compareHtml = join(dir, "compare.html")
  expect(utblick(["--store", store, "compare", "2022", "2023", "--tenant", "region-norrbotten", "--format", "html", "--out", compareHtml]).code).toBe(0)
  expect(readFileSync(compareHtml, "utf8")).toContain("<svg")
  expect(await snapshotsKept()).toEqual([])
  expect(await rowsKept()).toEqual([11, 11, 11, 11, 11, 11])
  // The grants behind the figure, as of the end of 2022 and with no date: a-1 and a-2 (a-0 was
  // never granted), listed from the rows kept for those two filters.
  const listed = (...args: ReadonlyArray<string>) => {
    const r = utblick(["--store", store, "list", "grants", "--tenant", "region-norrbotten", "--format", "json", ...args])
    expect(r.code).toBe(0)
    return (JSON.parse(r.stdout) as Array<{ application: string; year: string }>).map((g) => [g.application, g.year])
  }
  expect(listed("--year", "2022")).toEqual([["a-1", "2022"], ["a-2", "2022"]])
  expect(listed()).toEqual([["a-1", "2022"], ["a-2", "2022"]])
  expect(await snapshotsKept()).toEqual([])
  expect(await rowsKept()).toEqual([11, 11, 11, 11, 11, 11])
}

describe("persisted read models through the CLI", () => {
  it("report keeps the read models as rows; after an import the next report catches up to the new figure", async () => {
    const t = tempStore()
    expect(utblick(["--store", t.store, "init"]).code).toBe(0)
    const first = join(t.dir, "first.jsonl")
    writeJsonl(first, funding([600_000, 300_000]))
    expect(utblick(["--store", t.store, "import", first]).stdout).toContain("the log now holds 10 events")
    // 600 000 + 300 000 kr = 90 000 000 öre.
    expect(granted2022(t.store)).toBe(90_000_000)
    // The first report built the read models as rows with the year's sums (ADR 0046), from zero
    // a segment at a time, without holding the whole state or a snapshot of it (ADR 0049).
    expect(await snapshots(t.db)).toEqual([])
    // Beside the rows: the tenants and years the log holds (what a report checks its question
    // against), the log's Merkle range for the manifest, and the year's figures (ADR 0038).
    expect((await allRows(t.db)).map((r) => [r.projection, r.position])).toEqual([
      ["log-extent", 10],
      ["read-model-rows", 10],
      ["utblick/log-merkle-range", 10],
      ["year-figures", 10]
    ])
    const atTen = await rootsOf(t.store, t.db)
    expect(atTen.size).toBe(10)
    expect(atTen.reported).toBe(atTen.expected)

    // One more grant of 250 000 kr: 4 events; the report catches up from position 10.
    const second = join(t.dir, "second.jsonl")
    writeJsonl(second, [receive("a-9", 250_000, "2022-04-01"), assess("a-9", "2022-04-02"), grant("a-9", 2022, 250_000, "2022-04-03", "RUN 00090-2022")])
    expect(utblick(["--store", t.store, "import", second]).stdout).toContain("the log now holds 14 events")
    expect(granted2022(t.store)).toBe(115_000_000)
    // The report caught up from the rows (the 4 events touched one application): no state was
    // replayed, and the rows moved to 14.
    expect(await snapshots(t.db)).toEqual([])
    expect((await allRows(t.db)).find((r) => r.projection === "read-model-rows")?.position).toBe(14)
    expect(granted2022(t.store)).toBe(115_000_000)
    // The Merkle range (at most 64 hashes) is saved whenever it grows; the manifest's root of the
    // grown log is continued from the range kept at 10.
    expect((await allRows(t.db)).find((r) => r.projection === "utblick/log-merkle-range")?.position).toBe(14)
    const atFourteen = await rootsOf(t.store, t.db)
    expect(atFourteen.size).toBe(14)
    expect(atFourteen.reported).toBe(atFourteen.expected)
    expect(atFourteen.reported).not.toBe(atTen.reported)

    // rebuild deletes what is kept; the next report builds from zero and saves at the head.
    const rebuilt = utblick(["--store", t.store, "rebuild"])
    expect(rebuilt.code).toBe(0)
    // The rows, the extent, the Merkle range and the year's figure.
    expect(rebuilt.stdout).toContain("Deleted 4 persisted read-model snapshots, rows and year figures")
    expect(await allRows(t.db)).toEqual([])
    expect(granted2022(t.store)).toBe(115_000_000)
    expect((await allRows(t.db)).map((r) => r.position)).toEqual([14, 14, 14, 14])
  }, 300_000)

  it("a series of questions (a grant filter, another date, a comparison) is answered from rows, never from the whole state", async () => {
    const t = tempStore()
    await seriesOfQuestions(t.store, t.dir, async () =>
      (await allRows(t.db)).map((r) => ({ projection: r.projection, position: Number(r.position) }))
    )
  }, 300_000)

  it("list gives the records from rows in the order the read model lists them (received first, not by id)", async () => {
    const t = tempStore()
    expect(utblick(["--store", t.store, "init"]).code).toBe(0)
    const file = join(t.dir, "f.jsonl")
    // "b-1" is received, assessed and granted before "a-1": the portfolio lists it first, though
    // its id sorts after (the rows are read in id order).
    writeJsonl(file, [
      registerRegion,
      allot(2022, 2_000_000),
      receive("b-1", 200_000, "2022-02-01"),
      assess("b-1", "2022-02-10"),
      grant("b-1", 2022, 200_000, "2022-03-01", "RUN 00071-2022"),
      receive("a-1", 100_000, "2022-04-01"),
      assess("a-1", "2022-04-10"),
      grant("a-1", 2022, 100_000, "2022-05-01", "RUN 00072-2022")
    ])
    expect(utblick(["--store", t.store, "import", file]).code).toBe(0)
    const listed = () => {
      const r = utblick(["--store", t.store, "list", "grants", "--year", "2022", "--format", "json"])
      expect(r.code).toBe(0)
      return (JSON.parse(r.stdout) as Array<{ application: string }>).map((g) => g.application)
    }
    // Built from zero by the list itself, then read again from the rows kept.
    expect(listed()).toEqual(["b-1", "a-1"])
    expect(listed()).toEqual(["b-1", "a-1"])
    expect(await snapshots(t.db)).toEqual([])
  }, 300_000)

  it.skipIf(DATABASE_URL === undefined)("PostgreSQL (needs DATABASE_URL): the same series of questions, from rows", async () => {
    const t = tempStore()
    const schema = `hc_series_${process.pid}`
    const store = `${DATABASE_URL}${DATABASE_URL?.includes("?") ? "&" : "?"}schema=${schema}`
    try {
      await seriesOfQuestions(store, t.dir, async () =>
        spawnSync("psql", [DATABASE_URL as string, "-tAc", `SELECT projection, position FROM ${schema}.utblick_projection_checkpoints ORDER BY projection, position`], { encoding: "utf8" })
          .stdout.trim()
          .split("\n")
          .filter((line) => line.length > 0)
          .map((line) => {
            const [projection, position] = line.split("|")
            return { projection: projection as string, position: Number(position) }
          })
      )
    } finally {
      spawnSync("psql", [DATABASE_URL as string, "-qc", `DROP SCHEMA IF EXISTS ${schema} CASCADE`])
    }
  }, 300_000)


  it("a log replaced under its snapshots (same length, other events) is replayed, not answered from them", async () => {
    const a = tempStore()
    const b = tempStore()
    for (const [t, amounts] of [
      [a, [600_000, 300_000]],
      [b, [500_000, 100_000]]
    ] as const) {
      expect(utblick(["--store", t.store, "init"]).code).toBe(0)
      const file = join(t.dir, "f.jsonl")
      writeJsonl(file, funding(amounts))
      expect(utblick(["--store", t.store, "import", file]).code).toBe(0)
    }
    expect(granted2022(a.store)).toBe(90_000_000)
    // Someone with file access copies b's ten events over a's: the snapshot at 10 is a's.
    await withDatabase(a.db, (d) => {
      d.exec(`ATTACH DATABASE '${b.db}' AS b; DELETE FROM events; INSERT INTO events SELECT * FROM b.events; DETACH DATABASE b;`)
    })
    // 500 000 + 100 000 kr; reusing the stale snapshot would still say 90 000 000.
    expect(granted2022(a.store)).toBe(60_000_000)
    // Nor is the kept Merkle range of a's events reused for the manifest of b's.
    const roots = await rootsOf(a.store, a.db)
    expect(roots.reported).toBe(roots.expected)
  })

  it("forget deletes every snapshot and row: no byte of the forgotten name is left in any file", async () => {
    const t = tempStore()
    const NAME = Buffer.from("Åsa Nordström")
    expect(utblick(["--store", t.store, "init"]).code).toBe(0)
    expect(utblick(["--store", t.store, "import", join(FILES, "2022.jsonl")]).code).toBe(0)
    for (const args of [
      ["report", "--year", "2022", "--tenant", "lulea-kommun"],
      ["list", "trips", "--tenant", "lulea-kommun"],
      ["compare", "2021", "2022", "--tenant", "lulea-kommun"]
    ]) {
      const r = utblick(["--store", t.store, ...args])
      expect(r.stderr).not.toMatch(/error/i)
      expect(r.code).toBe(0)
    }
    // What the three kept: the read models' rows of three time filters (the ends of 2022 and 2021,
    // and the list's, with no date; ADR 0050: none built the whole state) and the year figures.
    expect((await snapshots(t.db)).length).toBe(0)
    expect((await allRows(t.db)).filter((r) => r.projection === "read-model-rows").length).toBe(3)
    expect((await allRows(t.db)).filter((r) => r.projection === "year-figures").length).toBeGreaterThan(0)
    // A year figure holds values and classifications only: not the traveller's name even before
    // the erasure (ADR 0038).
    const figureStates = await withDatabase(t.db, (d) =>
      d.prepare("SELECT state FROM projection_checkpoints WHERE projection = 'year-figures'").all() as Array<{ state: Buffer }>
    )
    expect(figureStates.filter((r) => Buffer.from(r.state).includes(NAME) || Buffer.from(r.state).includes(Buffer.from("subject-7f3a")))).toEqual([])
    const forget = utblick(["--store", t.store, "forget", "subject-7f3a", "--request", "KS 2024/0912", "--tenant", "lulea-kommun"])
    expect(forget.code).toBe(0)
    expect(await allRows(t.db)).toEqual([])
    const files = readdirSync(t.dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name))
    expect(files.some((f) => f.endsWith("keys.db"))).toBe(true)
    expect(files.filter((f) => readFileSync(f).includes(NAME) && !f.endsWith(".jsonl"))).toEqual([])
  })

  it.skipIf(DATABASE_URL === undefined)("PostgreSQL (needs DATABASE_URL): report, import, report catches up; rebuild deletes the rows", () => {
    const t = tempStore()
    const schema = `hc_read_models_${process.pid}`
    const store = `${DATABASE_URL}${DATABASE_URL?.includes("?") ? "&" : "?"}schema=${schema}`
    expect(utblick(["--store", store, "init"]).code).toBe(0)
    const first = join(t.dir, "first.jsonl")
    writeJsonl(first, funding([600_000, 300_000]))
    expect(utblick(["--store", store, "import", first]).code).toBe(0)
    expect(granted2022(store)).toBe(90_000_000)
    const second = join(t.dir, "second.jsonl")
    writeJsonl(second, [receive("a-9", 250_000, "2022-04-01"), assess("a-9", "2022-04-02"), grant("a-9", 2022, 250_000, "2022-04-03", "RUN 00090-2022")])
    expect(utblick(["--store", store, "import", second]).code).toBe(0)
    expect(granted2022(store)).toBe(115_000_000)
    // The year figure (ADR 0038) is kept in the same table and answers the next report.
    const figures = () =>
      spawnSync("psql", [DATABASE_URL as string, "-tAc", `SELECT position FROM ${schema}.utblick_projection_checkpoints WHERE projection = 'year-figures'`], { encoding: "utf8" }).stdout.trim()
    expect(figures()).toBe("14")
    expect(granted2022(store)).toBe(115_000_000)
    // The first report saved the read models' rows (built from zero, ADR 0049), the extent and
    // the Merkle range in the log's schema, and the figure beside them.
    expect(utblick(["--store", store, "rebuild"]).stdout).toContain("Deleted 4 persisted read-model snapshots, rows and year figures")
    expect(granted2022(store)).toBe(115_000_000)
    spawnSync("psql", [DATABASE_URL as string, "-qc", `DROP SCHEMA IF EXISTS ${schema} CASCADE`])
  }, 300_000)
})
