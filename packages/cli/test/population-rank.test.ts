// Population figures, per-inhabitant rows and the ranking view, driven as an analyst would: the
// CLI as a child process on a real SQLite file, several steps in a row. The tenants are SYNTHETIC
// (docs/guides/analyst-files/synthetic-regions.jsonl); every expected figure is worked out by
// hand from that file, e.g. region A granted 1 000 000 + 3 000 000 + 2 000 000 kr and has
// 100 000 inhabitants: 60 kr per inhabitant.
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import * as XLSX from "xlsx"
import { headOf, utblick, writeJsonl } from "./importProcess.js"
import { tempStore } from "./support.js"

const synthetic = join(import.meta.dirname, "../../../docs/guides/analyst-files/synthetic-regions.jsonl")
const tenants = "syntet-region-a,syntet-region-b,syntet-region-c"
const NB = "\u00a0"
const t = tempStore()

// The cells of a table line whose first cell is `label` (cells are separated by two spaces).
const cells = (table: string, label: string): ReadonlyArray<string> => {
  const line = table.split("\n").find((l) => l.trim().split(/ {2,}/)[0] === label)
  if (line === undefined) throw new Error(`no line ${label} in\n${table}`)
  return line.trim().split(/ {2,}/).slice(1)
}

beforeAll(() => {
  const r = utblick(["--store", t.store, "import", synthetic])
  expect(r.stderr).toBe("")
  expect(r.code).toBe(0)
}, 120_000)

describe("population figures and per-inhabitant rows (SYNTHETIC regions)", () => {
  it("report side by side: kr per invånare and per 1 000 invånare where population is recorded, – where not", () => {
    const r = utblick(["--store", t.store, "report", "--year", "2023", "--tenant", tenants])
    expect(r.code).toBe(0)
    // 6 000 000 kr / 100 000 = 60 kr; 5 000 000 kr / 250 000 = 20 kr; region C has no figure.
    expect(cells(r.stdout, "Per invånare")).toEqual(["60\u00a0kr", "20\u00a0kr", "–"])
    // Expected jobs 2 + 1 + 3 + 5 = 11 per 100 000 → 0,11 per 1 000; 4 + 4 = 8 per 250 000 → 0,032 → 0,03.
    const jobs = r.stdout
      .split("\n")
      .slice(r.stdout.split("\n").findIndex((l) => l.startsWith("Förväntade nya jobb")))
    expect(cells(jobs.join("\n"), "Per 1 000 invånare")).toEqual(["0,11", "0,03", "–"])
    expect(r.stdout).not.toContain("Per inhabitant")
  }, 60_000)

  it("rank --per-inhabitant: A before B, C unranked for want of a population figure (not ranked as 0)", () => {
    const r = utblick([
      "--store",
      t.store,
      "rank",
      "granted-by-instrument",
      "--year",
      "2023",
      "--tenant",
      tenants,
      "--per-inhabitant"
    ])
    expect(r.code).toBe(0)
    expect(cells(r.stdout, "1")).toEqual(["syntet-region-a", "60\u00a0kr", "6\u00a0000\u00a0000\u00a0kr"])
    expect(cells(r.stdout, "2")).toEqual(["syntet-region-b", "20\u00a0kr", "5\u00a0000\u00a0000\u00a0kr"])
    expect(cells(r.stdout, "–")).toEqual(["syntet-region-c", "– (folkmängd saknas)", "500\u00a0000\u00a0kr"])
  }, 60_000)

  it("a population file for C: imported once, then C (500 000 kr / 2 000 = 250 kr) ranks first", () => {
    const csv = join(t.dir, "folkmangd.csv")
    writeFileSync(csv, "year;inhabitants;source;occurredAt\n2023;2 000;SYNTETISK siffra;2024-02-22\n")
    const args = [
      "--store",
      t.store,
      "import",
      csv,
      "--kind",
      "population",
      "--tenant",
      "syntet-region-c",
      "--actor",
      "analys:officer"
    ]
    expect(utblick(args).code).toBe(0)
    const before = headOf(t.store)
    const again = utblick(args)
    expect(again.code).toBe(0)
    expect(headOf(t.store)).toEqual(before)
    const r = utblick([
      "--store",
      t.store,
      "rank",
      "granted-by-instrument",
      "--year",
      "2023",
      "--tenant",
      tenants,
      "--per-inhabitant",
      "--format",
      "csv",
      "--locale",
      "en"
    ])
    expect(r.code).toBe(0)
    expect(r.stdout.split("\n").slice(0, 4)).toEqual([
      "rank,tenant,indicator,key,value,unit,headline,headline_unit,missing",
      "1,syntet-region-c,granted-by-instrument,per-inhabitant,250.00,kronor,500000.00,kronor,",
      "2,syntet-region-a,granted-by-instrument,per-inhabitant,60.00,kronor,6000000.00,kronor,",
      "3,syntet-region-b,granted-by-instrument,per-inhabitant,20.00,kronor,5000000.00,kronor,"
    ])
  }, 60_000)

  it("rank --format xlsx: rank, tenant, kr per inhabitant and the headline as numbers with formats (read with SheetJS)", () => {
    const file = join(t.dir, "rang.xlsx")
    const r = utblick([
      "--store",
      t.store,
      "rank",
      "granted-by-instrument",
      "--year",
      "2023",
      "--tenant",
      tenants,
      "--per-inhabitant",
      "--format",
      "xlsx",
      "--out",
      file
    ])
    expect(r.code).toBe(0)
    const book = XLSX.read(readFileSync(file), { type: "buffer", cellNF: true })
    expect(book.SheetNames).toEqual(["granted-by-instrument", "Ursprung"])
    const rows = XLSX.utils.sheet_to_json<ReadonlyArray<unknown>>(
      book.Sheets["granted-by-instrument"] as XLSX.WorkSheet,
      { header: 1 }
    )
    // After the population file for C: 250, 60 and 20 kr per inhabitant.
    expect(rows.slice(3, 6)).toEqual([
      [1, "syntet-region-c", 250, 500_000],
      [2, "syntet-region-a", 60, 6_000_000],
      [3, "syntet-region-b", 20, 5_000_000]
    ])
    expect((book.Sheets["granted-by-instrument"] as XLSX.WorkSheet)["C4"]).toMatchObject({
      t: "n",
      z: '#,##0 "kr"'
    })
  }, 60_000)

  it("refuses a forecast and a silent second figure for the same year, naming line, field and value; nothing written", () => {
    const before = headOf(t.store)
    const forecast = join(t.dir, "prognos.csv")
    writeFileSync(forecast, "year;inhabitants;source;occurredAt\n2024;2 100;SYNTETISK prognos;2024-06-01\n")
    const a = utblick([
      "--store",
      t.store,
      "import",
      forecast,
      "--kind",
      "population",
      "--tenant",
      "syntet-region-c",
      "--actor",
      "analys:officer"
    ])
    expect(a.code).not.toBe(0)
    expect(a.stderr).toContain("line 2: RecordPopulation: year = 2024")
    expect(a.stderr).toContain("cannot be known on 2024-06-01")
    const other = join(t.dir, "annan.csv")
    writeFileSync(other, "year;inhabitants;source;occurredAt\n2023;2 050;SYNTETISK siffra;2024-02-22\n")
    const b = utblick([
      "--store",
      t.store,
      "import",
      other,
      "--kind",
      "population",
      "--tenant",
      "syntet-region-c",
      "--actor",
      "analys:officer"
    ])
    expect(b.code).not.toBe(0)
    expect(b.stderr).toContain("inhabitants = 2000 when recorded, 2050 now")
    expect(headOf(t.store)).toEqual(before)
  }, 60_000)

  it("ties share a rank; JSON names the population figures it divided by in the manifest", () => {
    const ties = utblick(["--store", t.store, "rank", "approval-rate", "--year", "2023", "--tenant", tenants])
    expect(ties.stdout.split("\n").filter((l) => /^1 /.test(l))).toHaveLength(3)
    const j = utblick([
      "--store",
      t.store,
      "report",
      "--year",
      "2023",
      "--tenant",
      "syntet-region-a",
      "--format",
      "json"
    ])
    const parsed = JSON.parse(j.stdout) as {
      manifest: { populations: ReadonlyArray<unknown> }
      indicators: ReadonlyArray<{
        id: string
        breakdown: ReadonlyArray<{ key: string; value: number | null; unit: string }>
      }>
    }
    expect(parsed.manifest.populations).toEqual([
      {
        tenant: "syntet-region-a",
        year: 2023,
        inhabitants: 100000,
        source: "SYNTETISK siffra för exemplet (inte SCB)"
      }
    ])
    const granted = parsed.indicators.find((v) => v.id === "granted-by-instrument")
    // 600 000 000 öre / 100 000 = 6 000 öre = 60 kr, kept in öre in JSON.
    expect(granted?.breakdown.find((b) => b.key === "per-inhabitant")).toMatchObject({
      value: 6000,
      unit: "ore"
    })
  }, 60_000)

  it("an unknown row or indicator exits non-zero naming what exists", () => {
    const row = utblick([
      "--store",
      t.store,
      "rank",
      "expected-jobs",
      "--row",
      "jobs",
      "--year",
      "2023",
      "--tenant",
      tenants
    ])
    expect(row.code).toBe(1)
    expect(row.stderr).toContain("rows: women, men, women-share, per-mkr, per-1000-inhabitants")
    const indicator = utblick(["--store", t.store, "rank", "granted", "--year", "2023"])
    expect(indicator.code).not.toBe(0)
    expect(indicator.stderr).toContain("give one of: approval-rate, granted-by-instrument")
  }, 60_000)

  it("trend and compare: a year with grants but no recorded population is –, not 0 and not 2023's figure", () => {
    const file = join(t.dir, "a-2024.jsonl")
    const a = "syntet-region-a"
    writeJsonl(file, [
      {
        _tag: "AllotAppropriation",
        actor: { id: "regeringskansliet", role: "government" },
        tenant: a,
        occurredAt: "2024-01-02",
        regionId: a,
        year: 2024,
        appropriation: "UO19 1:1",
        appropriationName: "Regionala utvecklingsåtgärder",
        amount: 500_000_000
      },
      {
        _tag: "ReceiveApplication",
        actor: { id: `${a}-handlaggare`, role: "officer" },
        tenant: a,
        occurredAt: "2024-02-01",
        applicationId: "a-2024-f-001",
        regionId: a,
        instrument: "business-support",
        applicant: { name: "Syntetby Bageri AB", municipality: "Syntetby" },
        title: "Syntetiskt projekt a-2024-f-001",
        amountApplied: 150_000_000,
        receivedOn: "2024-02-01"
      },
      {
        _tag: "AssessApplication",
        actor: { id: `${a}-handlaggare`, role: "officer" },
        tenant: a,
        occurredAt: "2024-02-10",
        applicationId: "a-2024-f-001",
        criteria: {
          sustainability: "meets",
          genderEquality: "meets",
          environment: "meets",
          territorial: "meets"
        },
        recommendation: "grant"
      },
      {
        _tag: "GrantBusinessSupport",
        actor: { id: `${a}-run`, role: "regional-development-board" },
        tenant: a,
        occurredAt: "2024-03-01",
        decisionRef: "RUN 1-2024",
        decidingBody: "Regionala utvecklingsnämnden",
        applicationId: "a-2024-f-001",
        year: 2024,
        amount: 150_000_000,
        supportType: "investment",
        sector: "food",
        supportArea: "A",
        investment: 300_000_000,
        expectedJobsWomen: 1,
        expectedJobsMen: 1,
        leadership: "man"
      }
    ])
    expect(utblick(["--store", t.store, "import", file]).code).toBe(0)
    const trend = utblick(["--store", t.store, "trend", "--from", "2023", "--to", "2024", "--tenant", a])
    expect(trend.code).toBe(0)
    // 2023: 6 000 000 kr / 100 000 = 60 kr; 2024: 1 500 000 kr granted, no population recorded.
    expect(cells(trend.stdout, "Beviljade medel per stödform")).toEqual([
      `6${NB}000${NB}000${NB}kr`,
      `1${NB}500${NB}000${NB}kr`
    ])
    expect(cells(trend.stdout, "Per invånare")).toEqual([`60${NB}kr`, "–"])
    const compare = utblick(["--store", t.store, "compare", "2023", "2024", "--tenant", a])
    expect(compare.code).toBe(0)
    expect(cells(compare.stdout, "Per invånare")).toEqual([`60${NB}kr`, "–", "–", "–"])
  }, 90_000)

  it("HTML: the per-inhabitant row is in the table, never a segment of a stacked chart", () => {
    const html = join(t.dir, "a.html")
    expect(
      utblick([
        "--store",
        t.store,
        "report",
        "--year",
        "2023",
        "--tenant",
        "syntet-region-a",
        "--format",
        "html",
        "--out",
        html
      ]).code
    ).toBe(0)
    const page = readFileSync(html, "utf8")
    const svgs = page.match(/<svg[\s\S]*?<\/svg>/g) ?? []
    expect(svgs.length).toBeGreaterThan(0)
    expect(svgs.filter((svg) => svg.includes("invånare"))).toEqual([])
    expect(page).toContain('<th scope="row" class="sub">Per invånare</th><td>60\u00a0kr</td>')
  }, 60_000)

  it("nothing to rank exits 1 and says why, per tenant", () => {
    const r = utblick(["--store", t.store, "rank", "trip-co2e", "--year", "2023", "--tenant", tenants])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("nothing to rank: trip-co2e in 2023")
    expect(r.stderr).toContain("syntet-region-b: no value")
  }, 60_000)
})
