/** JSON commands as a client would POST them. */
const government = { id: "regeringskansliet-naringsdepartementet", role: "government" }
const run = { id: "region-norrbotten-run", role: "regional-development-board" }
const officer = { id: "region-norrbotten-handlaggare", role: "officer" }
const kommunstyrelsen = { id: "lulea-kommunstyrelsen", role: "executive-board" }
const meets = { sustainability: "meets", genderEquality: "meets", environment: "meets", territorial: "meets" }

export const region = "region-norrbotten"
export const lulea = "lulea-kommun"

export const register = {
  _tag: "Register",
  actor: { id: "lulea-kommunstaben", role: "registrar" },
  tenant: lulea,
  occurredAt: "2003-01-01",
  events: [
    { _tag: "ActorRegistered", actorId: "lulea-kommun", name: "Luleå kommun", kind: "municipality" },
    { _tag: "OrganisationRegistered", organisationId: "ubc", name: "Union of the Baltic Cities", focusArea: "eu" }
  ]
}

export const joinUbc = {
  _tag: "SignMembership",
  actor: kommunstyrelsen,
  tenant: lulea,
  occurredAt: "2003-01-01",
  actorId: "lulea-kommun",
  organisationId: "ubc",
  kind: "member",
  joinedYear: 2003
}

export const twinTown = (agreementId = "lulea-tromso-twin") => ({
  _tag: "SignAgreement",
  actor: kommunstyrelsen,
  tenant: lulea,
  occurredAt: "1950-06-01",
  agreementId,
  kind: "twin-town",
  title: "Vänort Tromsø",
  parties: [
    { name: "Luleå kommun", country: "SE" },
    { name: "Tromsø kommune", country: "NO" }
  ],
  priorityAreas: [],
  signedYear: 1950
})

export const allot = (year: number, kronor: number, regionId = region) => ({
  _tag: "AllotAppropriation",
  actor: government,
  tenant: region,
  occurredAt: `${year}-01-01`,
  regionId,
  year,
  appropriation: "UO19 1:1",
  appropriationName: "Regionala utvecklingsåtgärder",
  amount: kronor * 100
})

export const receive = (applicationId: string, kronor: number, receivedOn: string, regionId = region) => ({
  _tag: "ReceiveApplication",
  actor: officer,
  tenant: region,
  occurredAt: receivedOn,
  applicationId,
  regionId,
  instrument: "project-support",
  applicant: { name: "Luleå tekniska universitet" },
  title: "Arktisk testbädd",
  amountApplied: kronor * 100,
  receivedOn
})

export const assess = (applicationId: string, on: string) => ({
  _tag: "AssessApplication",
  actor: officer,
  tenant: region,
  occurredAt: on,
  applicationId,
  criteria: meets,
  recommendation: "grant"
})

export const grantProject = (applicationId: string, year: number, kronor: number, on: string) => ({
  _tag: "GrantProject",
  actor: run,
  tenant: region,
  occurredAt: on,
  decisionRef: `RUN 00060-${year}`,
  decidingBody: "Regionala utvecklingsnämnden (RUN)",
  applicationId,
  year,
  amount: kronor * 100,
  projectName: "Arktisk testbädd",
  priorityCodes: [],
  smartSpecialisationCodes: [],
  mainPurpose: "environment",
  plannedOutputs: []
})
