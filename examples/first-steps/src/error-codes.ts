/**
 * A developer's second program: every way a call can fail, and the `code` to switch on. Each
 * refused call writes nothing; the last line shows the log is as it was after the first grant.
 *
 * Run: `node error-codes.js`.
 */
import { type CommandInput, createUtblick, UtblickError } from "@utblick/facade"

const region = "region-norrbotten"
const officer = { id: "region-norrbotten-handlaggare", role: "officer" }
const board = { id: "region-norrbotten-run", role: "regional-development-board" }

const allot: CommandInput = {
  _tag: "AllotAppropriation",
  actor: { id: "regeringskansliet", role: "government" },
  tenant: region,
  occurredAt: "2022-01-15",
  regionId: region,
  year: 2022,
  appropriation: "UO19 1:1",
  appropriationName: "Regionala utvecklingsåtgärder",
  amount: 100_000_000
}
const receive: CommandInput = {
  _tag: "ReceiveApplication",
  actor: officer,
  tenant: region,
  occurredAt: "2022-02-01",
  applicationId: "nb-2022-p-001",
  regionId: region,
  instrument: "project-support",
  applicant: { name: "Luleå tekniska universitet" },
  title: "Arktisk testbädd",
  amountApplied: 40_000_000,
  receivedOn: "2022-02-01"
}
const assess: CommandInput = {
  _tag: "AssessApplication",
  actor: officer,
  tenant: region,
  occurredAt: "2022-02-15",
  applicationId: "nb-2022-p-001",
  criteria: { sustainability: "meets", genderEquality: "meets", environment: "meets", territorial: "meets" },
  recommendation: "grant"
}
const grant = (amount: number, actor = board): CommandInput => ({
  _tag: "GrantProject",
  actor,
  tenant: region,
  occurredAt: "2022-03-10",
  decisionRef: "RUN 00060-2022",
  decidingBody: "Regionala utvecklingsnämnden",
  applicationId: "nb-2022-p-001",
  year: 2022,
  amount,
  projectName: "Arktisk testbädd",
  priorityCodes: [],
  smartSpecialisationCodes: [],
  mainPurpose: "environment",
  plannedOutputs: []
})

const pay = (paymentId: string, amount: number): CommandInput => ({
  _tag: "DisbursePayment",
  actor: { id: "region-norrbotten-ekonomi", role: "finance-officer" },
  tenant: region,
  occurredAt: "2022-06-30",
  applicationId: "nb-2022-p-001",
  paymentId,
  amount
})

const attempt = async (what: string, call: () => Promise<unknown>) => {
  try {
    const result = await call()
    const again = typeof result === "object" && result !== null && "alreadyRecorded" in result && result.alreadyRecorded === true
    console.log(`${what}: ${again ? "already recorded, nothing written" : "accepted"}`)
  } catch (error) {
    if (!(error instanceof UtblickError)) throw error
    const detail = error.field === undefined ? "" : ` (${error.field} = ${error.value})`
    console.log(`${what}: ${error.code}${detail}${error.retryable ? ", retryable" : ""}`)
  }
}

const utblick = await createUtblick({ store: { kind: "memory" } })
for (const command of [allot, receive, assess, grant(40_000_000)]) await utblick.execute(command)
await attempt("the same grant again", () => utblick.execute(grant(40_000_000)))
await attempt("a negative amount", () => utblick.execute({ ...allot, amount: -1 }))
await attempt("an unknown command", () => utblick.executeJson({ _tag: "GrantEverything" }))
await attempt("a grant by an officer", () => utblick.execute(grant(40_000_000, officer)))
await attempt("the same grant with another amount", () => utblick.execute(grant(45_000_000)))
await attempt("a payment above the grant", () => utblick.execute(pay("pay-1", 50_000_000)))
const year = await utblick.portfolio(2022, { tenant: region })
console.log(`granted ${year.total.grantedAmount} öre in ${year.total.granted} decision`)
await utblick.close()
await attempt("a call after close", () => utblick.portfolio(2022))
await attempt("a store that cannot be opened", () =>
  createUtblick({ store: { kind: "sqlite", filename: "/nonexistent-directory/utblick.db" } })
)
