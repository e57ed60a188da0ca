/**
 * A developer's first program: open a store, record a project grant the way a region's
 * regional development board decides it, and read the year's figures back.
 *
 * Run: `node first-grant.js [memory | sqlite:PATH | postgres://…]` (memory by default).
 */
import { type CommandInput, createUtblick, Store, UtblickError } from "@utblick/facade"

const spec = process.argv[2] ?? "memory"
const store = Store.parse(spec)
if (store === undefined) throw new Error(`not a store: ${spec} (memory, sqlite:PATH or postgres://…)`)

const region = "region-norrbotten"
const officer = { id: "region-norrbotten-handlaggare", role: "officer" }

// Every command is typed: a misspelt _tag or field does not compile. Amounts are öre.
const receive = (applicationId: string, title: string, amountApplied: number): CommandInput => ({
  _tag: "ReceiveApplication",
  actor: officer,
  tenant: region,
  occurredAt: "2022-02-01",
  applicationId,
  regionId: region,
  instrument: "project-support",
  applicant: { name: "Luleå tekniska universitet" },
  title,
  amountApplied,
  receivedOn: "2022-02-01"
})

const assess = (applicationId: string): CommandInput => ({
  _tag: "AssessApplication",
  actor: officer,
  tenant: region,
  occurredAt: "2022-02-15",
  applicationId,
  criteria: { sustainability: "meets", genderEquality: "meets", environment: "meets", territorial: "meets" },
  recommendation: "grant"
})

const grant = (applicationId: string, projectName: string, amount: number, decisionRef: string): CommandInput => ({
  _tag: "GrantProject",
  actor: { id: "region-norrbotten-run", role: "regional-development-board" },
  tenant: region,
  occurredAt: "2022-03-10",
  decisionRef,
  decidingBody: "Regionala utvecklingsnämnden",
  applicationId,
  year: 2022,
  amount,
  projectName,
  priorityCodes: [],
  smartSpecialisationCodes: [],
  mainPurpose: "environment",
  plannedOutputs: []
})

const history: ReadonlyArray<CommandInput> = [
  {
    _tag: "AllotAppropriation",
    actor: { id: "regeringskansliet", role: "government" },
    tenant: region,
    occurredAt: "2022-01-15",
    regionId: region,
    year: 2022,
    appropriation: "UO19 1:1",
    appropriationName: "Regionala utvecklingsåtgärder",
    amount: 100_000_000
  },
  receive("nb-2022-p-001", "Arktisk testbädd", 40_000_000),
  assess("nb-2022-p-001"),
  grant("nb-2022-p-001", "Arktisk testbädd", 40_000_000, "RUN 00060-2022"),
  receive("nb-2022-p-002", "Besöksnäring i Tornedalen", 70_000_000),
  assess("nb-2022-p-002")
]

const kronor = (ore: number) => `${(ore / 100).toLocaleString("sv-SE")} kr`

const utblick = await createUtblick({ store })
try {
  for (const command of history) {
    const result = await utblick.execute(command)
    for (const event of result.events) console.log(`${event.type} at position ${event.position}`)
  }

  const year = await utblick.portfolio(2022, { tenant: region })
  console.log(`Granted in 2022: ${kronor(year.total.grantedAmount)} of ${kronor(year.appropriation)}`)
  console.log(`Left to grant: ${kronor(year.remainingAppropriation)}`)

  // 700 000 kr more would exceed the year's appropriation: the decider refuses it, nothing is written.
  await utblick.execute(grant("nb-2022-p-002", "Besöksnäring i Tornedalen", 70_000_000, "RUN 00061-2022"))
} catch (error) {
  if (!(error instanceof UtblickError)) throw error
  console.log(`Refused (${error.code}): ${error.message}`)
} finally {
  await utblick.close()
}
