// The analyst's output driven as a user drives it: `utblick` as a child process on a real SQLite
// file, several commands in a row, on the SYNTHETIC two-tenant data of
// packages/indicators/test/fixtures/handComputed.ts. Every expected string is written by hand
// from the figures worked out there (U+00A0 = no-break space, U+2212 = minus sign).
import { spawnSync } from "node:child_process"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { A, B, events } from "../../indicators/test/fixtures/handComputed.js"
import { D, trip } from "../../indicators/test/fixtures/tricky.js"
import { seedSqlite, tempStore } from "./support.js"

const NB = "\u00a0"
const MINUS = "\u2212"
const bin = ["--conditions=@utblick/source", "--import", "tsx", join(import.meta.dirname, "../src/bin.ts")]
const t = tempStore()
const utblickOn = (store: string, ...args: ReadonlyArray<string>) => {
  const r = spawnSync(process.execPath, [...bin, "--store", store, ...args], {
    encoding: "utf8",
    cwd: join(import.meta.dirname, "..")
  })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}
const utblick = (...args: ReadonlyArray<string>) => utblickOn(t.store, ...args)
// The table row of a label: its cells, split on the two-space column gaps.
const rowOf = (table: string, label: string): ReadonlyArray<string> => {
  const line = table.split("\n").find((l) => l.trim().split(/ {2,}/)[0] === label)
  if (line === undefined) throw new Error(`no row "${label}" in:\n${table}`)
  return line
    .trim()
    .split(/ {2,}/)
    .map((c) => c.trim())
}

beforeAll(async () => {
  await seedSqlite(t.db, events)
}, 60_000)

describe("report: every figure in its unit, Swedish by default", () => {
  it("counts as counts, ratios as ratios, money in kronor with no-break spaces, halves rounded up", () => {
    const r = utblick("report", "--year", "2022", "--tenant", A)
    expect(r.code).toBe(0)
    const out = r.stdout
    // Approval rate 3 / (3 + 1): the undecided application is not in the denominator.
    expect(rowOf(out, "Andel beviljade ansökningar om företagsstöd")).toEqual([
      "Andel beviljade ansökningar om företagsstöd",
      `75,0${NB}%`
    ])
    // 201 000 / 200 000 = 1,005 → 1,01 (half up, exact).
    expect(rowOf(out, "Investeringar per stödkrona")).toEqual(["Investeringar per stödkrona", "1,01"])
    // Kronor, not "(öre)": 200 000 kr granted, 66 666,67 kr average → 66 667 kr.
    expect(rowOf(out, "Beviljat")).toEqual(["Beviljat", `200${NB}000${NB}kr`])
    expect(rowOf(out, "Genomsnittligt stöd")).toEqual(["Genomsnittligt stöd", `66${NB}667${NB}kr`])
    expect(out).not.toContain("(öre)")
    // Breakdown rows in Swedish under sv (English under --locale en, below).
    expect(out).not.toContain("Granted")
    // Counts and ratios among percentages are not percentages.
    expect(rowOf(out, "Medfinansierade beslut")).toEqual(["Medfinansierade beslut", "2"])
    expect(rowOf(out, "Beslutsekvivalenter (Σ andel)")).toEqual(["Beslutsekvivalenter (Σ andel)", "1,5"])
    expect(rowOf(out, "Stöd per krona egna medel")).toEqual(["Stöd per krona egna medel", "2,86"])
    expect(rowOf(out, "Beslut via react-eu")).toEqual(["Beslut via react-eu", "1"])
    expect(rowOf(out, "EU:s andel av beviljade medel")).toEqual([
      "EU:s andel av beviljade medel",
      `65,0${NB}%`
    ])
    // The agreements headline is the sum of its rows (1 + 1 + 1 + 1 + 1).
    expect(rowOf(out, "Avtal och vänorter per status")).toEqual(["Avtal och vänorter per status", "5"])
    // CO2e: 410 + 10,25 = 420,25 → 420,3 kg.
    expect(rowOf(out, "CO2e från tjänsteresor")).toEqual(["CO2e från tjänsteresor", `420,3${NB}kg CO2e`])
  })

  it("English with --locale en", () => {
    const r = utblick("report", "--year", "2022", "--tenant", A, "--locale", "en")
    expect(r.code).toBe(0)
    expect(rowOf(r.stdout, "Approval rate of business-support applications")[1]).toBe("75.0%")
    expect(rowOf(r.stdout, "Granted")[1]).toBe(`SEK${NB}200,000`)
    expect(rowOf(r.stdout, "Investment leverage of business support")[1]).toBe("1.01")
  })

  it("a tenant without funding or trips gets no block of zeros", () => {
    // Tenant B has business support only: no trips, no projects, no agreements.
    const r = utblick("report", "--year", "2022", "--tenant", B)
    expect(r.code).toBe(0)
    expect(rowOf(r.stdout, "Andel beviljade ansökningar om företagsstöd")[1]).toBe(`50,0${NB}%`)
    expect(r.stdout).not.toContain("CO2e")
    expect(r.stdout).not.toContain("Projekt per horisontellt huvudsyfte")
    expect(r.stdout).not.toContain("EU-medfinansiering")
  })
})

describe("compare: the same figure looks the same as in report", () => {
  it("2021 → 2022: leverage 3,00 → 1,01; EU co-financing not recorded in 2021 is –, not 0", () => {
    const r = utblick("compare", "2021", "2022", "--tenant", A)
    expect(r.code).toBe(0)
    // 2021: 30 000 / 10 000 = 3,00. Change 1,01 − 3,00 = −1,99; relative −1,99 / 3 = −66,33 % → −66,3 %.
    expect(rowOf(r.stdout, "Investeringar per stödkrona")).toEqual([
      "Investeringar per stödkrona",
      "3,00",
      "1,01",
      `${MINUS}1,99`,
      `${MINUS}66,3${NB}%`
    ])
    // Granted business support 10 000 → 200 000 kr: +190 000 kr, +1 900,0 %.
    expect(rowOf(r.stdout, "Beviljat")).toEqual([
      "Beviljat",
      `10${NB}000${NB}kr`,
      `200${NB}000${NB}kr`,
      `+190${NB}000${NB}kr`,
      `+1${NB}900,0${NB}%`
    ])
    expect(r.stdout).toContain("eu-co-financing 2022: no value in 2021")
  })

  it("HTML: lang=sv, the same strings, the relative column in Swedish format, the not-comparable list", () => {
    const file = join(t.dir, "compare.html")
    expect(utblick("compare", "2021", "2022", "--tenant", A, "--format", "html", "--out", file).code).toBe(0)
    const html = readFileSync(file, "utf8")
    expect(html).toContain('<html lang="sv">')
    expect(html).toContain(`<td>3,00</td><td>1,01</td><td>${MINUS}1,99</td><td>${MINUS}66,3${NB}%</td>`)
    expect(html).toContain("eu-co-financing 2022: no value in 2021")
    const en = join(t.dir, "compare-en.html")
    expect(
      utblick("compare", "2021", "2022", "--tenant", A, "--format", "html", "--locale", "en", "--out", en)
        .code
    ).toBe(0)
    expect(readFileSync(en, "utf8")).toContain(
      `<td>3.00</td><td>1.01</td><td>${MINUS}1.99</td><td>${MINUS}66.3%</td>`
    )
  })
})

describe("CSV and JSON", () => {
  it("CSV under sv opens in Excel: BOM, ';', decimal comma, kronor; empty cell for no data", () => {
    const r = utblick("compare", "2021", "2022", "--tenant", A, "--format", "csv")
    expect(r.code).toBe(0)
    expect(r.stdout.startsWith("\ufeff#")).toBe(true)
    const lines = r.stdout.split("\n")
    expect(lines).toContain("investment-leverage;;Investeringar per stödkrona;ratio;3;1,01;-1,99;-66,3")
    expect(lines).toContain("investment-leverage;granted;Beviljat;kronor;10000,00;200000,00;190000,00;1900")
    expect(lines).toContain("eu-co-financing;;EU-medfinansiering av företagsstöd;percent;;66,7;;")
  })

  it("CSV under en is plain RFC 4180", () => {
    const r = utblick("report", "--year", "2022", "--tenant", A, "--format", "csv", "--locale", "en")
    expect(r.stdout.startsWith("#")).toBe(true)
    expect(r.stdout.split("\n")).toContain(
      "investment-leverage,,,Investment leverage of business support,ratio,2022,1.01,,"
    )
  })

  it("JSON keeps exact values and gives every row its unit and its printed form", () => {
    const r = utblick("report", "--year", "2022", "--tenant", A, "--format", "json")
    const json = JSON.parse(r.stdout) as {
      indicators: ReadonlyArray<{
        id: string
        value: number
        formatted: string
        breakdown: ReadonlyArray<{ key: string; value: number; unit: string; formatted: string }>
      }>
    }
    const eu = json.indicators.find((v) => v.id === "eu-co-financing")
    expect(eu?.formatted).toBe(`66,7${NB}%`)
    expect(eu?.breakdown.map((b) => [b.key, b.unit, b.formatted])).toEqual([
      ["decisions", "count", "2"],
      ["equivalents", "count", "1,5"],
      ["eu-share-of-money", "percent", `65,0${NB}%`],
      ["leverage", "ratio", "2,86"],
      ["source:covid-framework", "count", "1"],
      ["source:react-eu", "count", "1"]
    ])
  })
})

describe("loud about nothing: exit 1 with what exists", () => {
  it("a misspelt tenant names the tenants the store holds", () => {
    const r = utblick("report", "--year", "2022", "--tenant", "Test-Kommun-A")
    expect(r.code).toBe(1)
    expect(r.stdout).not.toContain("Indikatorer")
    expect(r.stderr).toContain('no events for tenant "Test-Kommun-A"')
    expect(r.stderr).toContain(`${A}: `)
    expect(r.stderr).toContain(`${B}: 5 events dated 2020–2022`)
    expect(r.stderr).toContain(`did you mean --tenant ${A}?`)
  })

  it("a year outside the data names the years", () => {
    const r = utblick("compare", "1990", "2022", "--tenant", B)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`no data for 1990: the events of ${B} are dated 2020–2022`)
    // After the last event the state carries forward, but not past the current year (a year
    // past 2100 is no year at all: exit 2, in usage-errors.test.ts).
    const future = utblick("report", "--year", "2099")
    expect(future.code).toBe(1)
    expect(future.stderr).toContain("no data for 2099")
  })

  it("a year within the data with nothing to report", () => {
    // Tenant B has only its registration (2020) and its 2022 applications: nothing counts in 2021.
    const r = utblick("report", "--year", "2021", "--tenant", B)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`no indicator has a value for 2021 (tenant ${B})`)
  })
})

describe("list: the records behind a figure, down to the event id", () => {
  it("the municipality's memberships at the end of 2022, with their events; a filter matching nothing exits 1", () => {
    const r = utblick(
      "list",
      "memberships",
      "--tenant",
      A,
      "--actor",
      A,
      "--year",
      "2022",
      "--format",
      "json"
    )
    expect(r.code).toBe(0)
    const rows = JSON.parse(r.stdout) as ReadonlyArray<{
      organisation: string
      kind: string
      status: string
      since: string
      eventIds: ReadonlyArray<string>
    }>
    // org-eu (member), org-arktis (founder), org-avtal (signatory) active; org-gammal ended
    // 2020-12-31 (signed + ended = 2 events). The company's org-energi is not the municipality's.
    expect(rows.map((m) => [m.organisation, m.kind, m.status, m.eventIds.length])).toEqual([
      ["Gamla nätverket", "member", "ended 2020-12-31", 2],
      ["EU-nätverket", "member", "active", 1],
      ["Arktiska forumet", "founder", "active", 1],
      ["Klimatavtalet", "signatory", "active", 1]
    ])
    expect(
      rows
        .flatMap((m) => m.eventIds)
        .every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id))
    ).toBe(true)
    const none = utblick("list", "grants", "--tenant", A, "--sector", "tourism")
    expect(none.code).toBe(1)
    expect(none.stderr).toContain(`no grants match --tenant ${A} --sector tourism`)
  })
})

describe("several tenants side by side", () => {
  it("--tenant a,b: the same indicators in a column each (SYNTHETIC tenants)", () => {
    const r = utblick("report", "--year", "2022", "--tenant", `${A},${B}`)
    expect(r.code).toBe(0)
    expect(rowOf(r.stdout, "Indikator")).toEqual(["Indikator", A, B])
    // A: 3 / (3 + 1) = 75,0 %; B: 1 / (1 + 1) = 50,0 %. B has no trips: –, not 0.
    expect(rowOf(r.stdout, "Andel beviljade ansökningar om företagsstöd")).toEqual([
      "Andel beviljade ansökningar om företagsstöd",
      `75,0${NB}%`,
      `50,0${NB}%`
    ])
    expect(rowOf(r.stdout, "CO2e från tjänsteresor")).toEqual([
      "CO2e från tjänsteresor",
      `420,3${NB}kg CO2e`,
      "–"
    ])
    const wrong = utblick("report", "--year", "2022", "--tenant", `${A},test-kommun-x`)
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toContain('no events for tenant "test-kommun-x"')
  })
})

describe("CO2e added as the decimals it is given in", () => {
  it("two trips of 13,2 and 7,1 kg: 20,3 kg, 10,2 kg per approved trip (not 10,1)", async () => {
    const own = tempStore()
    await seedSqlite(own.db, [...trip("te1", "2025-03-01", [], 13.2), ...trip("te2", "2025-04-01", [], 7.1)])
    const r = utblickOn(own.store, "report", "--year", "2025", "--tenant", D)
    expect(r.code).toBe(0)
    // 13,2 + 7,1 = 20,3 kg; 20,3 / 2 = 10,15, half up → 10,2. Binary floats give 20,2999… and 10,1.
    expect(rowOf(r.stdout, "CO2e från tjänsteresor")).toEqual(["CO2e från tjänsteresor", `20,3${NB}kg CO2e`])
    expect(rowOf(r.stdout, "Per godkänd resa")[1]).toBe(`10,2${NB}kg CO2e`)
  }, 120_000)
})
