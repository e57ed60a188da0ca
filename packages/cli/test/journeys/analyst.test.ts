/**
 * The analyst's journey through the real `utblick` process: import a year of applications (JSON
 * Lines) and the board's decisions as Swedish Excel writes them (CSV with `;`, decimal comma and
 * spaces in amounts); report, trend and compare; export for Excel; import both files again and
 * see nothing change; a file with a bad line is refused whole and changes nothing.
 *
 * The data is a synthetic region ("Region Testlän (syntetisk)"), built below so that every figure
 * asserted is computed by hand in the comments: 2022 has five applications, three granted, one
 * rejected and one still undecided (so ÷ decided and ÷ received differ), and an amount with öre
 * (250 000,50 kr) to show that money stays exact. Runs on SQLite, and on PostgreSQL when
 * `DATABASE_URL` is set.
 */
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { utblick } from "../process.js"

const DATABASE_URL = process.env.DATABASE_URL
const T = "region-testlan"
const criteria = { sustainability: "meets", genderEquality: "meets", environment: "meets", territorial: "meets" }
const officer = { id: "testlan-handlaggare", role: "officer" }
const board = { id: "testlan-run", role: "regional-development-board" }

// 2022: tl-2022-01..05 received; 01–04 assessed; 04 rejected; 05 neither assessed nor decided.
// 2023: tl-2023-01..02 received and assessed; 02 rejected.
const applications = [
  ["tl-2022-01", 2022],
  ["tl-2022-02", 2022],
  ["tl-2022-03", 2022],
  ["tl-2022-04", 2022],
  ["tl-2022-05", 2022],
  ["tl-2023-01", 2023],
  ["tl-2023-02", 2023]
] as const
const jsonLines = [
  {
    _tag: "Register",
    actor: { id: "testlan-kansli", role: "registrar" },
    tenant: T,
    occurredAt: "2022-01-01",
    events: [{ _tag: "ActorRegistered", actorId: T, name: "Region Testlän (syntetisk)", kind: "region" }]
  },
  ...[2022, 2023].map((year) => ({
    _tag: "AllotAppropriation",
    actor: { id: "regeringskansliet", role: "government" },
    tenant: T,
    occurredAt: `${year}-01-01`,
    regionId: T,
    year,
    appropriation: "UO19 1:1",
    appropriationName: "Regionala utvecklingsåtgärder",
    amount: 10_000_000_00
  })),
  ...applications.flatMap(([applicationId, year]) => [
    {
      _tag: "ReceiveApplication",
      actor: officer,
      tenant: T,
      occurredAt: `${year}-02-01`,
      applicationId,
      regionId: T,
      instrument: "business-support",
      applicant: { name: `Företag ${applicationId}` },
      title: "Investering",
      amountApplied: 1_000_000_00,
      receivedOn: `${year}-02-01`
    },
    ...(applicationId === "tl-2022-05"
      ? []
      : [{ _tag: "AssessApplication", actor: officer, tenant: T, occurredAt: `${year}-02-10`, applicationId, criteria, recommendation: "grant" }])
  ]),
  ...(["tl-2022-04", "tl-2023-02"] as const).map((applicationId) => ({
    _tag: "RejectApplication",
    actor: board,
    tenant: T,
    occurredAt: `${applicationId.slice(3, 7)}-03-01`,
    applicationId,
    reason: "competitive-market",
    decisionRef: `RUN ${applicationId}`,
    decidingBody: "Regionala utvecklingsnämnden"
  }))
]
// 1 Register + 2 appropriations + 7 received + 6 assessed + 2 rejected = 18 lines, 18 events.
const JSONL_LINES = 18

// Granted 2022: 1 000 000,00 + 250 000,50 + 400 000,00 = 1 650 000,50 kr = 165 000 050 öre.
// Investment 2022: 3 000 000 + 1 000 000 + 400 000 = 4 400 000 kr. Jobs: women 2+0+1 = 3, men 1+2+1 = 4.
// Granted 2023: 750 000,00 kr. Each grant also reserves the budget: 4 lines, 8 events.
const decisionsCsv = `\uFEFFapplicationId;year;amount;decisionRef;decidingBody;supportType;sector;supportArea;investment;expectedJobsWomen;expectedJobsMen;leadership;occurredAt
tl-2022-01;2022;1 000 000,00;RUN 2022/1;Regionala utvecklingsnämnden;investment;tourism;A;3 000 000,00;2;1;woman;2022-03-01
tl-2022-02;2022;250 000,50;RUN 2022/2;Regionala utvecklingsnämnden;investment;manufacturing;B;1 000 000,00;0;2;man;2022-03-01
tl-2022-03;2022;400 000,00;RUN 2022/3;Regionala utvecklingsnämnden;consultancy;services;none;400 000,00;1;1;shared;2022-03-02
tl-2023-01;2023;750 000,00;RUN 2023/1;Regionala utvecklingsnämnden;investment;tourism;A;2 000 000,00;1;0;woman;2023-03-01
`

interface Indicator {
  readonly id: string
  readonly value: number | null
  readonly numerator?: number
  readonly denominator?: number
}

const journey = (store: (dir: string) => string) => () => {
  const dir = mkdtempSync(join(tmpdir(), "utblick-analyst-"))
  const log = store(dir)
  const at = (...args: Array<string>) => utblick(["--store", log, ...args], dir)
  const applicationsFile = join(dir, "ansokningar.jsonl")
  const decisionsFile = join(dir, "beslut.csv")
  writeFileSync(applicationsFile, jsonLines.map((l) => JSON.stringify(l)).join("\n") + "\n")
  writeFileSync(decisionsFile, decisionsCsv)
  const importDecisions = () =>
    at("import", decisionsFile, "--kind", "business-support", "--tenant", T, "--actor", "testlan-run:regional-development-board")

  // 1. Import: the applications, then the board's decisions from Excel.
  expect(at("init", "--origin", "analys.example/testlan").code).toBe(0)
  const first = at("import", applicationsFile, "--new-tenant", T)
  expect(first.stderr).not.toMatch(/error/i)
  expect(first.stdout).toContain(`Imported ${JSONL_LINES} commands: ${JSONL_LINES} events`)
  const decided = importDecisions()
  expect(decided.code).toBe(0)
  expect(decided.stdout).toContain("Imported 4 commands: 8 events")
  const status = at("status")
  expect(status.stdout).toMatch(new RegExp(`^events +${JSONL_LINES + 8} in`, "m"))
  const head = /^head +([0-9a-f]{64})$/m.exec(status.stdout)?.[1]
  expect(head).toBeDefined()

  // 2. The year's report, as JSON for exact values.
  const report = at("report", "--year", "2022", "--tenant", T, "--format", "json")
  expect(report.code).toBe(0)
  const indicators = (JSON.parse(report.stdout) as { indicators: ReadonlyArray<Indicator> }).indicators
  const byId = (id: string) => indicators.find((i) => i.id === id)
  // Approval rate = granted ÷ decided = 3 ÷ (3 + 1) = 75 %, not 3 ÷ 5 received = 60 %.
  expect(byId("approval-rate")).toMatchObject({ value: 75, numerator: 3, denominator: 4 })
  expect(byId("granted-by-instrument")?.value).toBe(165_000_050)
  const text = at("report", "--year", "2022", "--tenant", T)
  expect(text.stdout).toMatch(/Andel beviljade ansökningar om företagsstöd +75,0\s%/)
  expect(text.stdout).toMatch(/Beviljade medel per stödform +1\s650\s001\skr/) // 1 650 000,50 kr, whole kronor half-up

  // 3. Trend over both years, each as of its own year end.
  const trend = JSON.parse(at("trend", "--from", "2022", "--to", "2023", "--tenant", T, "--format", "json").stdout) as {
    years: ReadonlyArray<number>
    rows: ReadonlyArray<{ indicator: string; key: string | null; values: ReadonlyArray<number | null> }>
  }
  expect(trend.years).toEqual([2022, 2023])
  const trendOf = (indicator: string) => trend.rows.find((r) => r.indicator === indicator && r.key === null)?.values
  expect(trendOf("approval-rate")).toEqual([75, 50]) // 2023: 1 ÷ (1 + 1)
  expect(trendOf("granted-by-instrument")).toEqual([165_000_050, 75_000_000])

  // 4. Compare the two years.
  const compare = JSON.parse(at("compare", "2022", "2023", "--tenant", T, "--format", "json").stdout) as {
    rows: ReadonlyArray<{ indicator: string; key: string | null; a: number; b: number; absoluteChange: number; relativeChange: number }>
  }
  // −25 percentage points; relative (50 − 75) ÷ 75 = −33,33… % → −33,3.
  expect(compare.rows.find((r) => r.indicator === "approval-rate" && r.key === null)).toMatchObject({
    a: 75,
    b: 50,
    absoluteChange: -25,
    relativeChange: -33.3
  })

  // 5. Export for Excel: BOM, semicolons, decimal comma.
  const csv = at("report", "--year", "2022", "--tenant", T, "--format", "csv")
  expect(csv.code).toBe(0)
  expect(csv.stdout.startsWith("\uFEFF")).toBe(true)
  const header = "indicator;scheme;key;label;unit;year;value;amount;amount_unit"
  expect(csv.stdout).toContain(`\n${header}\n`)
  expect(csv.stdout).toMatch(/^approval-rate;;;[^;]+;percent;2022;75;;$/m)
  // Money in kronor with its öre after a decimal comma, no thousands separator (Excel reads it as a number).
  expect(csv.stdout).toMatch(/^investment-leverage;;granted;[^;]+;kronor;2022;1650000,50;;$/m)

  // 6. Importing both files again changes nothing.
  const again = at("import", applicationsFile, "--new-tenant", T)
  expect(again.code).toBe(0)
  expect(again.stdout).toContain(`already recorded: ${JSONL_LINES}`)
  const againDecisions = importDecisions()
  expect(againDecisions.code).toBe(0)
  expect(againDecisions.stdout).toContain("already recorded: 4")
  expect(/^head +([0-9a-f]{64})$/m.exec(at("status").stdout)?.[1]).toBe(head)
  const figures = (json: string) => (JSON.parse(json) as { indicators: unknown }).indicators
  const reportAgain = at("report", "--year", "2022", "--tenant", T, "--format", "json").stdout
  expect(figures(reportAgain)).toEqual(figures(report.stdout))

  // 7. A file with a misspelt column is refused whole, naming the field and the one it meant;
  // the log is unchanged.
  const bad = join(dir, "beslut-2.csv")
  writeFileSync(
    bad,
    "applicationId;year;amount;decisonRef;decidingBody;supportType;sector;supportArea;investment;expectedJobsWomen;expectedJobsMen;leadership;occurredAt\n" +
      "tl-2023-02;2023;100,00;RUN 2023/9;Regionala utvecklingsnämnden;investment;tourism;A;100,00;0;0;man;2023-04-01\n"
  )
  const refused = at("import", bad, "--kind", "business-support", "--tenant", T, "--actor", "testlan-run:regional-development-board")
  expect(refused.code).toBe(2) // bad input, as every refused import
  expect(refused.stderr).toContain("decisonRef")
  expect(refused.stderr).toContain("decisionRef")
  expect(/^head +([0-9a-f]{64})$/m.exec(at("status").stdout)?.[1]).toBe(head)
}

describe("the analyst's journey", () => {
  it("SQLite: import JSON Lines and Swedish CSV, report, trend, compare, export, re-import is a no-op", journey((dir) => `sqlite:${join(dir, "testlan.db")}`), 600_000)
  it.skipIf(DATABASE_URL === undefined)(
    "PostgreSQL (needs DATABASE_URL): the same journey on a server",
    journey(() => `${DATABASE_URL}${DATABASE_URL?.includes("?") ? "&" : "?"}schema=analyst_${process.pid}_${Date.now().toString(36)}`),
    600_000
  )
})

// Keeps the synthetic data honest: the file really has the lines the comments count.
it("the synthetic data has the lines the figures above are computed from", () => {
  expect(jsonLines).toHaveLength(JSONL_LINES)
  expect(decisionsCsv.trim().split("\n")).toHaveLength(5)
})
