// Filters an analyst asks for — instrument, sector, support area, municipality of the project —
// on report and list, through the CLI as a child process on a real SQLite file. SYNTHETIC regions
// (docs/guides/analyst-files/synthetic-regions.jsonl); every expected figure is read off that
// file by hand: region A has business support of 1 000 000 kr (tourism, area A, Syntetby,
// investment 6 000 000 kr, 2 + 1 jobs) and 3 000 000 kr (manufacturing, area B, Provstad), and
// project support of 2 000 000 kr (Syntetby).
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { utblick } from "./importProcess.js"
import { tempStore } from "./support.js"

const synthetic = join(import.meta.dirname, "../../../docs/guides/analyst-files/synthetic-regions.jsonl")
const t = tempStore()
const NB = "\u00a0"
const A = ["--store", t.store, "report", "--year", "2023", "--tenant", "syntet-region-a"]

const cellOf = (table: string, label: string): string | undefined =>
  table
    .split("\n")
    .find((l) => l.trim().split(/ {2,}/)[0] === label)
    ?.trim()
    .split(/ {2,}/)[1]

beforeAll(() => {
  expect(utblick(["--store", t.store, "import", synthetic]).code).toBe(0)
}, 120_000)

describe("report filters (SYNTHETIC regions)", () => {
  it("--sector tourism: one grant of 1 000 000 kr, leverage 6,00; no approval rate, frames, memberships or trips", () => {
    const r = utblick([...A, "--sector", "tourism"])
    expect(r.code).toBe(0)
    expect(r.stdout.split("\n")[1]).toBe("Urval: --sector tourism")
    expect(cellOf(r.stdout, "Beviljade medel per stödform")).toBe(`1${NB}000${NB}000${NB}kr`)
    expect(cellOf(r.stdout, "Investeringar per stödkrona")).toBe("6,00")
    expect(cellOf(r.stdout, "Förväntade nya jobb av företagsstöd")).toBe("3")
    // Only grants record a sector, so an approval rate would count no rejection: left out.
    expect(r.stdout).not.toContain("Andel beviljade")
    expect(r.stdout).not.toContain("Budgetram")
  }, 60_000)

  it("--instrument business-support: 2 of 2 decided = 100,0 %, 4 000 000 kr; --support-area B: 3 000 000 kr", () => {
    const r = utblick([...A, "--instrument", "business-support"])
    expect(cellOf(r.stdout, "Andel beviljade ansökningar om företagsstöd")).toBe(`100,0${NB}%`)
    expect(cellOf(r.stdout, "Beviljade medel per stödform")).toBe(`4${NB}000${NB}000${NB}kr`)
    expect(r.stdout).not.toContain("Projekt per horisontellt huvudsyfte")
    const b = utblick([...A, "--support-area", "B"])
    expect(cellOf(b.stdout, "Beviljade medel per stödform")).toBe(`3${NB}000${NB}000${NB}kr`)
  }, 60_000)

  it("--municipality syntetby (any case): 1 000 000 + 2 000 000 kr, one environment project", () => {
    const r = utblick([...A, "--municipality", "syntetby"])
    expect(r.code).toBe(0)
    expect(cellOf(r.stdout, "Beviljade medel per stödform")).toBe(`3${NB}000${NB}000${NB}kr`)
    expect(cellOf(r.stdout, "Projekt per horisontellt huvudsyfte")).toBe("1")
    expect(cellOf(r.stdout, "Miljö")).toBe("1")
  }, 60_000)

  it("HTML and JSON say what the report was narrowed to", () => {
    const html = join(t.dir, "urval.html")
    expect(
      utblick([...A, "--sector", "tourism", "--support-area", "A", "--format", "html", "--out", html]).code
    ).toBe(0)
    expect(readFileSync(html, "utf8")).toContain("Urval: sector = tourism, supportArea = A")
    const j = utblick([...A, "--sector", "tourism", "--format", "json"])
    expect(
      (JSON.parse(j.stdout) as { manifest: { query: { grants: unknown } } }).manifest.query.grants
    ).toEqual({ sector: "tourism" })
  }, 60_000)

  it("side by side, a tenant without matching grants is a column of – and is named on stderr", () => {
    const r = utblick([
      "--store",
      t.store,
      "report",
      "--year",
      "2023",
      "--tenant",
      "syntet-region-a,syntet-region-b",
      "--municipality",
      "Syntetby"
    ])
    expect(r.code).toBe(0)
    expect(r.stderr).toContain(
      "note: no indicator has a value for syntet-region-b in 2023; shown as – (no data)"
    )
    const granted = r.stdout.split("\n").find((l) => l.startsWith("Beviljade medel per stödform"))
    expect(granted?.trim().split(/ {2,}/).slice(1)).toEqual([`3${NB}000${NB}000${NB}kr`, "–"])
  }, 60_000)

  it("a filter matching nothing exits 1 and names the values that exist", () => {
    const r = utblick([...A, "--sector", "turism"])
    expect(r.code).toBe(1)
    expect(r.stdout).toBe("")
    expect(r.stderr).toContain("no grants of syntet-region-a match --sector turism")
    expect(r.stderr).toContain("--sector in syntet-region-a: manufacturing, tourism")
  }, 60_000)
})

describe("list filters", () => {
  it("list grants --municipality Provstad: the one grant, with its municipality", () => {
    const r = utblick([
      "--store",
      t.store,
      "list",
      "grants",
      "--tenant",
      "syntet-region-a",
      "--municipality",
      "Provstad"
    ])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain("a-2023-f-002")
    expect(r.stdout).not.toContain("a-2023-f-001")
    // Swedish by default: the columns and the count read as Swedish; --locale en gives the keys.
    expect(r.stdout.split("\n")[0]?.split(/\s{2,}/)).toEqual([
      "huvudman",
      "ansökan",
      "stödform",
      "år",
      "belopp",
      "bransch",
      "stödområde",
      "kommun",
      "beslut",
      "sökande",
      "händelser",
      "första händelse-id"
    ])
    expect(r.stdout).toContain("\n1 beviljade stöd")
    const en = utblick(["--store", t.store, "list", "grants", "--tenant", "syntet-region-a", "--municipality", "Provstad", "--locale", "en"])
    expect(en.stdout.split("\n")[0]?.startsWith("tenant")).toBe(true)
    expect(en.stdout).toContain("\n1 grants")
  }, 60_000)

  it("list grants as a table, CSV and JSON, to stdout and to files: the same grants and event ids in each", () => {
    const base = ["--store", t.store, "list", "grants", "--tenant", "syntet-region-a", "--locale", "en"]
    const json = utblick([...base, "--format", "json"])
    expect(json.code).toBe(0)
    // Written a line at a time, the document is still what JSON.stringify writes of it.
    const parsed = JSON.parse(json.stdout) as ReadonlyArray<{ application: string; eventIds: ReadonlyArray<string> }>
    expect(json.stdout).toBe(`${JSON.stringify(parsed, null, 2)}\n`)
    // Region A's three applications, all granted (read off the file by hand).
    expect(parsed.map((g) => g.application).sort()).toEqual(["a-2023-f-001", "a-2023-f-002", "a-2023-p-001"])
    for (const g of parsed) expect(g.eventIds.length).toBeGreaterThanOrEqual(2)
    // The table: each grant's count of events and its first event id, as the JSON lists them.
    const table = utblick(base)
    for (const g of parsed) {
      const line = table.stdout.split("\n").find((l) => l.includes(g.application))
      expect(line?.trim().split(/ {2,}/).slice(-2)).toEqual([String(g.eventIds.length), g.eventIds[0]])
    }
    // The CSV: every id, space-separated, in the last column.
    const csv = utblick([...base, "--format", "csv"])
    for (const g of parsed)
      expect(csv.stdout.split("\n").find((l) => l.includes(g.application))?.endsWith(`,${g.eventIds.join(" ")}`)).toBe(true)
    // To a file: the same bytes as stdout (a table's file now ends with its newline too).
    for (const [format, printed] of [
      ["table", table.stdout],
      ["csv", csv.stdout],
      ["json", json.stdout]
    ] as const) {
      const file = join(t.dir, `grants.${format}`)
      expect(utblick([...base, "--format", format, "--out", file]).code).toBe(0)
      expect(readFileSync(file, "utf8")).toBe(printed)
    }
  }, 60_000)

  it("list grants matching nothing exits 1 naming the municipalities that exist", () => {
    const r = utblick([
      "--store",
      t.store,
      "list",
      "grants",
      "--tenant",
      "syntet-region-a",
      "--municipality",
      "Kiruna"
    ])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("--municipality: Provstad, Syntetby")
  }, 60_000)
})
