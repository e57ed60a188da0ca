// `--format xlsx`: the workbook written by the CLI (a child process on a real SQLite file), opened
// with an independent reader (SheetJS). Expected figures are the published ones of the seeds —
// Region Norrbotten's business support 2017 and 2022 (approval 138 of 169 and 125 of 164, granted
// 85 000 000 and 58 700 000 kr, leverage 280/85 and 183/58,7) — and hand-computed ones of the
// SYNTHETIC regions (docs/guides/analyst-files/synthetic-regions.jsonl).
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import * as XLSX from "xlsx"
import { seededStore } from "./guide.js"
import { headOf, utblick } from "./importProcess.js"
import { utblick as utblickIn } from "./process.js"

let store: { readonly dir: string; readonly store: string }

beforeAll(async () => {
  store = await seededStore()
  const r = utblick([
    "--store",
    store.store,
    "import",
    join(import.meta.dirname, "../../../docs/guides/analyst-files/synthetic-regions.jsonl")
  ])
  expect(r.code).toBe(0)
}, 180_000)

const open = (file: string) => XLSX.read(readFileSync(file), { type: "buffer", cellNF: true })

// The row of a sheet whose first cell (trimmed) is `label`, below the title (row 1, the same
// words as the headline) and the blank row 2.
const rowOf = (sheet: XLSX.WorkSheet, label: string): ReadonlyArray<XLSX.CellObject | undefined> => {
  const range = XLSX.utils.decode_range(sheet["!ref"] ?? "A1")
  for (let r = 2; r <= range.e.r; r++) {
    const first = sheet[XLSX.utils.encode_cell({ r, c: 0 })] as XLSX.CellObject | undefined
    if (typeof first?.v === "string" && first.v.trim() === label) {
      return Array.from(
        { length: range.e.c + 1 },
        (_, c) => sheet[XLSX.utils.encode_cell({ r, c })] as XLSX.CellObject | undefined
      )
    }
  }
  throw new Error(`no row ${label}`)
}

describe("compare 2017 2022 --format xlsx (Region Norrbotten, published figures)", () => {
  it("a sheet per indicator and the manifest; numbers as numbers with a number format; no data is an empty cell", () => {
    const file = join(store.dir, "jamforelse.xlsx")
    const r = utblick([
      "--store",
      store.store,
      "compare",
      "2017",
      "2022",
      "--tenant",
      "region-norrbotten",
      "--format",
      "xlsx",
      "--out",
      file
    ])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`Wrote the workbook to ${file}`)
    const book = open(file)
    expect(book.SheetNames).toEqual(
      expect.arrayContaining([
        "approval-rate",
        "granted-by-instrument",
        "investment-leverage",
        "leadership-shares",
        "eu-co-financing",
        "Ursprung"
      ])
    )
    expect(book.SheetNames.at(-1)).toBe("Ursprung")

    const approval = rowOf(
      book.Sheets["approval-rate"] as XLSX.WorkSheet,
      "Andel beviljade ansökningar om företagsstöd"
    )
    // 138 / 169 = 0,8166 → 81,7 %; 125 / 164 = 0,7622 → 76,2 %: stored as fractions, shown as percent.
    expect(approval[3]).toMatchObject({ t: "n", v: 0.817, z: "0.0%" })
    expect(approval[4]).toMatchObject({ t: "n", v: 0.762, z: "0.0%" })
    const applications = rowOf(book.Sheets["approval-rate"] as XLSX.WorkSheet, "Inkomna ansökningar")
    expect([applications[3]?.v, applications[4]?.v]).toEqual([169, 164])

    const leverage = book.Sheets["investment-leverage"] as XLSX.WorkSheet
    expect(rowOf(leverage, "Investeringar per stödkrona")[3]).toMatchObject({ t: "n", v: 3.29, z: "0.00" })
    expect(rowOf(leverage, "Beviljat")[3]).toMatchObject({ t: "n", v: 85_000_000, z: '#,##0 "kr"' })
    expect(rowOf(leverage, "Beviljat")[4]).toMatchObject({ t: "n", v: 58_700_000 })

    // EU co-financing was not recorded for 2017: an empty cell, not 0; 2022: 46 of 125 = 36,8 %.
    const eu = rowOf(book.Sheets["eu-co-financing"] as XLSX.WorkSheet, "EU-medfinansiering av företagsstöd")
    expect(eu[3]).toBeUndefined()
    expect(eu[4]).toMatchObject({ t: "n", v: 0.368 })

    // The manifest sheet names the log the figures came from: its head is the store's.
    const manifest = XLSX.utils.sheet_to_json<ReadonlyArray<string>>(
      book.Sheets["Ursprung"] as XLSX.WorkSheet,
      { header: 1 }
    )
    const log = manifest.find((row) => row[0] === "log")
    expect(JSON.parse(log?.[1] ?? "{}")).toMatchObject({ headHash: headOf(store.store).head })
  }, 120_000)
})

describe("report --tenant a,b,c --format xlsx (SYNTHETIC regions)", () => {
  it("a column per tenant; kronor per inhabitant 60 and 20, an empty cell where no population is recorded", () => {
    const file = join(store.dir, "regioner.xlsx")
    const r = utblick([
      "--store",
      store.store,
      "report",
      "--year",
      "2023",
      "--tenant",
      "syntet-region-a,syntet-region-b,syntet-region-c",
      "--format",
      "xlsx",
      "--out",
      file,
      "--locale",
      "en"
    ])
    expect(r.code).toBe(0)
    const sheet = open(file).Sheets["granted-by-instrument"] as XLSX.WorkSheet
    const head = rowOf(sheet, "Indicator")
    expect(head.slice(3).map((c) => c?.v)).toEqual(["syntet-region-a", "syntet-region-b", "syntet-region-c"])
    const granted = rowOf(sheet, "Granted money by instrument")
    expect(granted.slice(3).map((c) => c?.v)).toEqual([6_000_000, 5_000_000, 500_000])
    expect(granted[3]?.z).toBe('"SEK "#,##0')
    const per = rowOf(sheet, "Per inhabitant")
    expect([per[3]?.v, per[4]?.v, per[5]]).toEqual([60, 20, undefined])
  }, 120_000)
})

describe("report --format xlsx without --out (SYNTHETIC region A)", () => {
  it("is named after the question; one year's column; the filter and the population in the manifest", () => {
    const r = utblickIn(
      [
        "--store",
        store.store,
        "report",
        "--year",
        "2023",
        "--tenant",
        "syntet-region-a",
        "--sector",
        "tourism",
        "--format",
        "xlsx"
      ],
      store.dir
    )
    expect(r.code).toBe(0)
    const book = open(join(store.dir, "utblick-report-2023.xlsx"))
    const sheet = book.Sheets["granted-by-instrument"] as XLSX.WorkSheet
    // Tourism only: 1 000 000 kr, over 100 000 inhabitants 10 kr.
    expect(rowOf(sheet, "Beviljade medel per stödform")[3]).toMatchObject({ t: "n", v: 1_000_000 })
    expect(rowOf(sheet, "Per invånare")[3]).toMatchObject({ t: "n", v: 10, z: '#,##0 "kr"' })
    const manifest = XLSX.utils.sheet_to_json<ReadonlyArray<string>>(
      book.Sheets["Ursprung"] as XLSX.WorkSheet,
      { header: 1 }
    )
    const query = JSON.parse(manifest.find((row) => row[0] === "query")?.[1] ?? "{}") as { grants?: unknown }
    expect(query.grants).toEqual({ sector: "tourism" })
    expect(manifest.find((row) => row[0] === "populations")?.[1]).toContain('"inhabitants":100000')
  }, 120_000)
})

// The store of this file holds the seed tenants and the synthetic regions (events from 2023 on).
describe("rank with no --tenant: every tenant of the store", () => {
  it("a tenant whose events do not reach the year is unranked ('no value'), not an error", () => {
    const r = utblick(["--store", store.store, "rank", "approval-rate", "--year", "2022"])
    expect(r.code).toBe(0)
    const lines = r.stdout.split("\n")
    // Region Norrbotten 2022: 125 granted of 164 decided = 76,2 % (published).
    expect(
      lines
        .find((l) => l.startsWith("1 "))
        ?.trim()
        .split(/ {2,}/)
    ).toEqual(["1", "region-norrbotten", "76,2\u00a0%"])
    expect(
      lines
        .find((l) => l.includes("syntet-region-a"))
        ?.trim()
        .split(/ {2,}/)
    ).toEqual(["–", "syntet-region-a", "– (inget värde)"])
  }, 120_000)
})
