/**
 * A small Norrbotten-and-Luleå scenario as JSON commands (the form an API receives), shared by
 * the facade's tests and README example. Each is checked against the facade's typed command input
 * (`satisfies CommandInput`), as a TypeScript caller's would be.
 */
import type { CommandInput } from "@utblick/facade"

const government = { id: "regeringskansliet-naringsdepartementet", role: "government" }
const run = { id: "region-norrbotten-run", role: "regional-development-board" }
const officer = { id: "region-norrbotten-handlaggare", role: "officer" }
const finance = { id: "region-norrbotten-ekonomi", role: "finance-officer" }
const kommunstyrelsen = { id: "lulea-kommunstyrelsen", role: "executive-board" }
const RUN = "Regionala utvecklingsnämnden (RUN)"
const meets = { sustainability: "meets", genderEquality: "meets", environment: "meets", territorial: "meets" } as const

export const region = "region-norrbotten"
export const lulea = "lulea-kommun"

/** Luleå joins UBC. */
export const signUbc = {
  _tag: "SignMembership",
  actor: kommunstyrelsen,
  tenant: lulea,
  occurredAt: "2003-01-01",
  actorId: "lulea-kommun",
  organisationId: "ubc",
  kind: "member",
  joinedYear: 2003
} satisfies CommandInput

/** Registers Luleå and UBC, then joins UBC. */
export const memberships: ReadonlyArray<CommandInput> = [
  {
    _tag: "Register",
    actor: { id: "lulea-kommunstaben", role: "registrar" },
    tenant: lulea,
    occurredAt: "2003-01-01",
    events: [
      { _tag: "ActorRegistered", actorId: "lulea-kommun", name: "Luleå kommun", kind: "municipality" },
      { _tag: "OrganisationRegistered", organisationId: "ubc", name: "Union of the Baltic Cities", focusArea: "eu" }
    ]
  },
  signUbc
]

/** A twin town. */
export const agreement = {
  _tag: "SignAgreement",
  actor: kommunstyrelsen,
  tenant: lulea,
  occurredAt: "1950-06-01",
  agreementId: "lulea-tromso-twin",
  kind: "twin-town",
  title: "Vänort Tromsø",
  parties: [
    { name: "Luleå kommun", country: "SE" },
    { name: "Tromsø kommune", country: "NO" }
  ],
  priorityAreas: [],
  signedYear: 1950
} satisfies CommandInput

export const allot = (year: number, kronor: number) => ({
  _tag: "AllotAppropriation",
  actor: government,
  tenant: region,
  occurredAt: `${year}-01-01`,
  regionId: region,
  year,
  appropriation: "UO19 1:1",
  appropriationName: "Regionala utvecklingsåtgärder",
  amount: kronor * 100
}) satisfies CommandInput

export const receive = (applicationId: string, kronor: number, receivedOn: string) => ({
  _tag: "ReceiveApplication",
  actor: officer,
  tenant: region,
  occurredAt: receivedOn,
  applicationId,
  regionId: region,
  instrument: "project-support",
  applicant: { name: "Luleå tekniska universitet" },
  title: "Arktiskt testbädd",
  amountApplied: kronor * 100,
  receivedOn
}) satisfies CommandInput

export const assess = (applicationId: string, on: string) => ({
  _tag: "AssessApplication",
  actor: officer,
  tenant: region,
  occurredAt: on,
  applicationId,
  criteria: meets,
  recommendation: "grant"
}) satisfies CommandInput

export const grantProject = (applicationId: string, year: number, kronor: number, on: string) => ({
  _tag: "GrantProject",
  actor: run,
  tenant: region,
  occurredAt: on,
  decisionRef: `RUN 000${applicationId.length}-${year}`,
  decidingBody: RUN,
  applicationId,
  year,
  amount: kronor * 100,
  projectName: "Arktiskt testbädd",
  priorityCodes: [],
  smartSpecialisationCodes: [],
  mainPurpose: "environment",
  plannedOutputs: []
}) satisfies CommandInput

export const disburse = (applicationId: string, paymentId: string, kronor: number, on: string) => ({
  _tag: "DisbursePayment",
  actor: finance,
  tenant: region,
  occurredAt: on,
  applicationId,
  paymentId,
  amount: kronor * 100
}) satisfies CommandInput

/** One granted project of 2022: 1 mkr appropriation, 400 000 kr granted, 100 000 kr paid. */
export const funding2022: ReadonlyArray<CommandInput> = [
  allot(2022, 1_000_000),
  receive("nb-2022-p-001", 400_000, "2022-02-01"),
  assess("nb-2022-p-001", "2022-02-15"),
  grantProject("nb-2022-p-001", 2022, 400_000, "2022-03-10"),
  disburse("nb-2022-p-001", "pay-1", 100_000, "2022-06-30")
]

/** A proposed trip to the UBC general conference. */
export const trip = {
  _tag: "ProposeTrip",
  actor: { id: "subject-traveller-1", role: "traveller" },
  tenant: lulea,
  occurredAt: "2024-03-01",
  tripId: "trip-2024-ubc",
  organiserActorId: "lulea-kommun",
  traveller: "subject-traveller-1",
  purpose: "UBC General Conference",
  destination: "Gdynia",
  departOn: "2024-10-01",
  returnOn: "2024-10-04",
  relatedTo: [{ kind: "membership", streamId: "membership-lulea-kommun-ubc" }],
  goalRefs: []
} satisfies CommandInput

/** Everything above, in order. */
export const all: ReadonlyArray<CommandInput> = [...memberships, agreement, ...funding2022, trip]
