/**
 * A service's reports: the year's indicators, a new grant, the indicators again. A long-running
 * process keeps the read models of its reports in memory (ADR 0042), so the second report folds
 * only the new grant's events into them instead of loading the persisted snapshot again.
 *
 * Run: `node reports.js [memory | sqlite:PATH | postgres://…]` (memory by default).
 */
import { type CommandInput, createUtblick, Store } from "@utblick/facade"

const spec = process.argv[2] ?? "memory"
const store = Store.parse(spec)
if (store === undefined) throw new Error(`not a store: ${spec} (memory, sqlite:PATH or postgres://…)`)

const region = "region-norrbotten"
const officer = { id: "region-norrbotten-handlaggare", role: "officer" }
const board = { id: "region-norrbotten-run", role: "regional-development-board" }

// An application received, assessed and granted: five events (the grant also reserves the budget).
const funded = (applicationId: string, amount: number, decisionRef: string): ReadonlyArray<CommandInput> => [
  {
    _tag: "ReceiveApplication",
    actor: officer,
    tenant: region,
    occurredAt: "2022-02-01",
    applicationId,
    regionId: region,
    instrument: "project-support",
    applicant: { name: "Luleå tekniska universitet" },
    title: applicationId,
    amountApplied: amount,
    receivedOn: "2022-02-01"
  },
  {
    _tag: "AssessApplication",
    actor: officer,
    tenant: region,
    occurredAt: "2022-02-15",
    applicationId,
    criteria: { sustainability: "meets", genderEquality: "meets", environment: "meets", territorial: "meets" },
    recommendation: "grant"
  },
  {
    _tag: "GrantProject",
    actor: board,
    tenant: region,
    occurredAt: "2022-03-10",
    decisionRef,
    decidingBody: "Regionala utvecklingsnämnden",
    applicationId,
    year: 2022,
    amount,
    projectName: applicationId,
    priorityCodes: [],
    smartSpecialisationCodes: [],
    mainPurpose: "environment",
    plannedOutputs: []
  }
]

const kronor = (ore: number | null | undefined) => `${((ore ?? 0) / 100).toLocaleString("sv-SE")} kr`

const utblick = await createUtblick({ store })
try {
  await utblick.execute({
    _tag: "AllotAppropriation",
    actor: { id: "regeringskansliet", role: "government" },
    tenant: region,
    occurredAt: "2022-01-15",
    regionId: region,
    year: 2022,
    appropriation: "UO19 1:1",
    appropriationName: "Regionala utvecklingsåtgärder",
    amount: 100_000_000
  })
  for (const command of funded("nb-2022-p-001", 40_000_000, "RUN 00060-2022")) await utblick.execute(command)
  const granted = async () => {
    const report = await utblick.indicators(2022, { tenant: region })
    const value = report.values.find((v) => v.id === "granted-by-instrument")?.value
    return `granted in 2022 as of ${report.asOf}: ${kronor(value)} (the log up to position ${report.position})`
  }
  console.log(`First report:  ${await granted()}`)
  for (const command of funded("nb-2022-p-002", 25_000_000, "RUN 00061-2022")) await utblick.execute(command)
  console.log(`Second report: ${await granted()}`)
} finally {
  await utblick.close()
}
