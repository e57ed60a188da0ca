import { Schema } from "effect"
import * as Agreement from "../../src/domain/Agreement.js"
import * as Application from "../../src/domain/Application.js"
import * as Budget from "../../src/domain/Budget.js"
import * as Membership from "../../src/domain/Membership.js"
import * as Trip from "../../src/domain/Trip.js"

export const base = (role: string, occurredAt = "2022-03-15", id = "someone") => ({
  actor: { id, role },
  tenant: "region-norrbotten",
  occurredAt
})
export const board = base("regional-development-board", "2022-03-15", "run")
export const run = { ...board, decisionRef: "RUN 00060-2022", decidingBody: "Regionala utvecklingsnämnden" }
export const officer = base("officer", "2022-03-01", "handlaggare-1")
export const finance = base("finance-officer", "2022-06-01", "ekonomi-1")
export const ks = { ...base("executive-board", "2023-08-01", "ks-lulea"), tenant: "lulea-kommun" }
export const traveller = { ...base("traveller", "2023-05-02", "subject-7f3a"), tenant: "lulea-kommun" }
export const manager = { ...base("manager", "2023-05-03", "chef-1"), tenant: "lulea-kommun" }

export const membership = Schema.decodeUnknownSync(Membership.MembershipCommand)
export const agreement = Schema.decodeUnknownSync(Agreement.AgreementCommand)
export const trip = Schema.decodeUnknownSync(Trip.TripCommand)
export const budget = Schema.decodeUnknownSync(Budget.BudgetCommand)
export const application = Schema.decodeUnknownSync(Application.ApplicationCommand)

const asGrant = (command: Application.Command): Application.GrantCommand => {
  if (!Application.isGrantCommand(command)) throw new Error("not a grant")
  return command
}

export const criteria = {
  sustainability: "meets",
  genderEquality: "meets",
  environment: "partly-meets",
  territorial: "meets"
}

export const receive = (applicationId: string, instrument: string, amountApplied = 100_000_00) =>
  application({
    _tag: "ReceiveApplication",
    ...officer,
    applicationId,
    regionId: "region-norrbotten",
    instrument,
    applicant: { name: "Exempel AB" },
    title: "Investering",
    amountApplied,
    receivedOn: "2022-02-01"
  })
export const assess = (applicationId: string) =>
  application({ _tag: "AssessApplication", ...officer, applicationId, criteria, recommendation: "grant" })

export const grantProject = (applicationId: string, amount: number, year = 2022): Application.GrantCommand =>
  asGrant(application({
    _tag: "GrantProject",
    ...run,
    applicationId,
    year,
    amount,
    projectName: "Arctic 6G",
    priorityCodes: [{ schemeId: "national-2021-2030", code: "innovation" }],
    smartSpecialisationCodes: [{ schemeId: "s3-norrbotten-2022", code: "smart-samhalle" }],
    mainPurpose: "other",
    euProgramme: { source: "interreg-aurora" },
    plannedOutputs: [{ description: "technical solutions", planned: 6 }]
  }))
export const grantBusiness = (applicationId: string, amount: number, year = 2022): Application.GrantCommand =>
  asGrant(application({
    _tag: "GrantBusinessSupport",
    ...run,
    applicationId,
    year,
    amount,
    supportType: "investment",
    sector: "tourism",
    supportArea: "A",
    investment: amount * 3,
    expectedJobsWomen: 1,
    expectedJobsMen: 1,
    leadership: "shared",
    euCoFinancing: { source: "react-eu", ratePercent: 100 }
  }))
export const grantCommercial = (applicationId: string, amount: number, year = 2022): Application.GrantCommand =>
  asGrant(application({
    _tag: "GrantCommercialService",
    ...run,
    applicationId,
    year,
    amount,
    supportType: "special-operating-support",
    establishment: "shop"
  }))
export const grantFor = (instrument: string) =>
  instrument === "project-support" ? grantProject : instrument === "business-support" ? grantBusiness : grantCommercial
