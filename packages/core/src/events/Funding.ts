/**
 * The funding family: the year's appropriation (anslag 1:1 *Regionala utvecklingsåtgärder*),
 * the board's split of it between project support, business support and commercial service,
 * and the life of each application: received, assessed, granted or rejected, amended, paid,
 * recovered, reported and closed.
 *
 * Two kinds of stream:
 * - `budget-<regionId>-<year>`: the year's budget (appropriation, allocation frame and the
 *   reservations that grants make against it; see ADR 0011);
 * - `application-<applicationId>`: one application and, once granted, its grant.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { CalendarDate } from "../Envelope.js"
import * as EventCatalog from "../EventCatalog.js"
import { Ore } from "../Money.js"
import { Count, DecidingBody, EntityId, Label, SchemeRef, Year } from "./Common.js"

/**
 * The three support types of anslag 1:1 (Tillväxtverket's *stödformer*).
 *
 * @category schemas
 * @since 0.1.0
 */
export const Instrument = Schema.Literals(["project-support", "business-support", "commercial-service"])

/**
 * @category models
 * @since 0.1.0
 */
export type Instrument = typeof Instrument.Type

/**
 * All instruments, in report order.
 *
 * @category getters
 * @since 0.1.0
 */
export const instruments: ReadonlyArray<Instrument> = ["project-support", "business-support", "commercial-service"]

/**
 * The outcome of one assessment criterion.
 *
 * @category schemas
 * @since 0.1.0
 */
export const CriterionOutcome = Schema.Literals(["meets", "partly-meets", "does-not-meet", "not-applicable"])

/**
 * The horizontal criteria an application is assessed against (003:4543-4544; R5 in 000:39).
 *
 * @category schemas
 * @since 0.1.0
 */
export const AssessmentCriteria = Schema.Struct({
  sustainability: CriterionOutcome,
  genderEquality: CriterionOutcome,
  environment: CriterionOutcome,
  territorial: CriterionOutcome
})

/**
 * The horizontal main purpose of a project (003:3983-3985: 6 gender equality, 4 diversity,
 * 9 environment in 2022).
 *
 * @category schemas
 * @since 0.1.0
 */
export const MainPurpose = Schema.Literals(["gender-equality", "diversity", "environment", "other"])

/**
 * An EU source of money a grant is co-financed with or co-finances.
 *
 * @category schemas
 * @since 0.1.0
 */
export const EuSource = Schema.Literals([
  "eruf",
  "react-eu",
  "covid-framework",
  "esf",
  "fro",
  "interreg-aurora",
  "interreg-nord",
  "kolarctic",
  "other"
])

/**
 * The EU programme a project is co-financed with, and its call.
 *
 * @category schemas
 * @since 0.1.0
 */
export const EuProgramme = Schema.Struct({
  source: EuSource,
  name: Schema.optionalKey(Label),
  call: Schema.optionalKey(Label)
})

/**
 * EU co-financing of a business-support decision: the source and the share in percent that the
 * EU pays (REACT-EU 100 %, the Covid framework 50 %).
 *
 * @category schemas
 * @since 0.1.0
 */
export const EuCoFinancing = Schema.Struct({
  source: EuSource,
  ratePercent: Schema.Int.pipe(
    Schema.check(Schema.isBetween({ minimum: 0, maximum: 100 }, { message: "a rate is a whole percent 0–100" }))
  ),
  frameworkProjectId: Schema.optionalKey(EntityId)
})

/**
 * The sector of a supported firm, as the regional business-support statistics group them.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Sector = Schema.Literals([
  "tourism",
  "manufacturing",
  "services",
  "car-testing",
  "cultural-creative",
  "innovation",
  "food",
  "other"
])

/**
 * The kind of business support.
 *
 * @category schemas
 * @since 0.1.0
 */
export const BusinessSupportType = Schema.Literals([
  "investment",
  "innovation",
  "recruitment-for-diversity",
  "consultancy",
  "other"
])

/**
 * The support area (*stödområde*) a firm lies in; 88 % of 2017's support went to area A.
 *
 * @category schemas
 * @since 0.1.0
 */
export const SupportArea = Schema.Literals(["A", "B", "none"])

/**
 * Who leads a supported firm.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Leadership = Schema.Literals(["woman", "man", "shared"])

/**
 * The kind of commercial-service support (002:1243-1249; 003:3890-3892).
 *
 * @category schemas
 * @since 0.1.0
 */
export const CommercialServiceType = Schema.Literals([
  "service-grant",
  "home-delivery-grant",
  "special-operating-support",
  "investment-support",
  "corrosion-protection"
])

/**
 * Who receives commercial-service support.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Establishment = Schema.Literals(["shop", "fuel-station", "municipality"])

/**
 * The main reasons a business-support application is rejected (003:3909-3911), plus two
 * general ones.
 *
 * @category schemas
 * @since 0.1.0
 */
export const RejectionReason = Schema.Literals([
  "competitive-market",
  "no-need-for-support",
  "incomplete-application",
  "outside-priorities",
  "insufficient-budget",
  "other"
])

/**
 * An applicant: an organisation or firm (not a person, so no personal data).
 *
 * @category schemas
 * @since 0.1.0
 */
export const Applicant = Schema.Struct({
  name: Label,
  organisationNumber: Schema.optionalKey(Schema.NonEmptyString),
  actorId: Schema.optionalKey(EntityId),
  municipality: Schema.optionalKey(Label)
})

/**
 * A planned or achieved output of a project, e.g. "6 technical solutions, 4 adopted".
 *
 * @category schemas
 * @since 0.1.0
 */
export const Output = Schema.Struct({
  description: Label,
  planned: Schema.optionalKey(Count),
  achieved: Schema.optionalKey(Count)
})

/**
 * An expected or observed effect of a project, by horizon.
 *
 * @category schemas
 * @since 0.1.0
 */
export const ProjectEffect = Schema.Struct({
  horizon: Schema.Literals(["short", "medium", "long"]),
  description: Label
})

/**
 * The allocation of a year's appropriation to one priority, tagged with the scheme it uses
 * (003:3869-3880 lists five such lines for 2022).
 *
 * @category schemas
 * @since 0.1.0
 */
export const PriorityAllocation = Schema.Struct({
  ref: SchemeRef,
  amount: Ore
})

const budgetKey = {
  regionId: EntityId,
  year: Year
}

const grantCommon = {
  applicationId: EntityId,
  /** The budget year the grant is charged to. */
  year: Year,
  regionId: EntityId,
  amount: Ore,
  decidingBody: DecidingBody
}

/**
 * The funding family as a tagged union of its events.
 *
 * @category events
 * @since 0.1.0
 */
export const FundingEvent = Schema.TaggedUnion({
  /** The government allotted (or topped up) a year's appropriation to the region. */
  AppropriationAllotted: {
    ...budgetKey,
    appropriation: Label,
    appropriationName: Label,
    amount: Ore,
    source: Schema.optionalKey(Label)
  },
  /**
   * The board split the year's money between the three instruments (RUN, 003:3860-3884);
   * a new frame replaces the previous one.
   */
  AllocationFramed: {
    ...budgetKey,
    projectSupport: Ore,
    businessSupport: Ore,
    commercialService: Ore,
    byPriority: Schema.Array(PriorityAllocation),
    decidingBody: DecidingBody
  },
  /** A grant reserved money of the year's budget for one application. */
  BudgetReserved: {
    ...budgetKey,
    applicationId: EntityId,
    instrument: Instrument,
    amount: Ore
  },
  /** A reservation was given back, wholly or partly (an amendment downwards). */
  BudgetReleased: {
    ...budgetKey,
    applicationId: EntityId,
    instrument: Instrument,
    amount: Ore,
    reason: Label
  },
  /** An application arrived. */
  ApplicationReceived: {
    applicationId: EntityId,
    regionId: EntityId,
    instrument: Instrument,
    applicant: Applicant,
    title: Label,
    amountApplied: Ore,
    receivedOn: CalendarDate
  },
  /** An officer assessed the application against the horizontal criteria. */
  ApplicationAssessed: {
    applicationId: EntityId,
    criteria: AssessmentCriteria,
    recommendation: Schema.Literals(["grant", "reject"]),
    notes: Schema.optionalKey(Schema.String)
  },
  /** Project support was granted. */
  ProjectGranted: {
    ...grantCommon,
    projectName: Label,
    priorityCodes: Schema.Array(SchemeRef),
    smartSpecialisationCodes: Schema.Array(SchemeRef),
    mainPurpose: MainPurpose,
    euProgramme: Schema.optionalKey(EuProgramme),
    periodFrom: Schema.optionalKey(CalendarDate),
    periodTo: Schema.optionalKey(CalendarDate),
    plannedOutputs: Schema.Array(Output)
  },
  /** Business support was granted to a firm. */
  BusinessSupportGranted: {
    ...grantCommon,
    supportType: BusinessSupportType,
    sector: Sector,
    supportArea: SupportArea,
    investment: Ore,
    expectedJobsWomen: Count,
    expectedJobsMen: Count,
    leadership: Leadership,
    euCoFinancing: Schema.optionalKey(EuCoFinancing)
  },
  /** Commercial-service support was granted to a shop, a fuel station or a municipality. */
  CommercialServiceSupportGranted: {
    ...grantCommon,
    supportType: CommercialServiceType,
    establishment: Establishment,
    establishmentName: Schema.optionalKey(Label),
    /** Years the support refers to, when not the budget year (home delivery 2015–2016). */
    forYears: Schema.optionalKey(Schema.Array(Year))
  },
  /** The application was rejected. */
  ApplicationRejected: {
    applicationId: EntityId,
    reason: RejectionReason,
    explanation: Schema.optionalKey(Schema.String),
    decidingBody: DecidingBody
  },
  /** The granted amount was changed. */
  GrantAmended: {
    applicationId: EntityId,
    previousAmount: Ore,
    newAmount: Ore,
    reason: Label,
    decidingBody: DecidingBody
  },
  /** Money was paid out on a grant. */
  PaymentDisbursed: {
    applicationId: EntityId,
    paymentId: EntityId,
    amount: Ore
  },
  /** Paid money was claimed back (*återkrav*). */
  GrantRecovered: {
    applicationId: EntityId,
    amount: Ore,
    reason: Label,
    decidingBody: DecidingBody
  },
  /** The project reported its outputs and effects. */
  ProjectReported: {
    applicationId: EntityId,
    reportId: EntityId,
    kind: Schema.Literals(["interim", "final"]),
    outputs: Schema.Array(Output),
    effects: Schema.Array(ProjectEffect)
  },
  /** The grant was closed; nothing more is paid. */
  ProjectClosed: {
    applicationId: EntityId,
    outcome: Schema.Literals(["completed", "withdrawn", "terminated"])
  }
})

/**
 * @category events
 * @since 0.1.0
 */
export type FundingEvent = typeof FundingEvent.Type

/**
 * The tags of the funding family.
 *
 * @category events
 * @since 0.1.0
 */
export type FundingTag = FundingEvent["_tag"]

/**
 * The events of a year's budget stream.
 *
 * @category events
 * @since 0.1.0
 */
export type BudgetEvent = Extract<
  FundingEvent,
  { readonly _tag: "AppropriationAllotted" | "AllocationFramed" | "BudgetReserved" | "BudgetReleased" }
>

/**
 * The events of an application stream.
 *
 * @category events
 * @since 0.1.0
 */
export type ApplicationEvent = Exclude<FundingEvent, BudgetEvent>

/**
 * The grant events: one per instrument.
 *
 * @category events
 * @since 0.1.0
 */
export type GrantEvent = Extract<
  FundingEvent,
  { readonly _tag: "ProjectGranted" | "BusinessSupportGranted" | "CommercialServiceSupportGranted" }
>

/**
 * The instrument a grant event belongs to.
 *
 * @category utils
 * @since 0.1.0
 */
export const instrumentOfGrant = (event: GrantEvent): Instrument =>
  event._tag === "ProjectGranted"
    ? "project-support"
    : event._tag === "BusinessSupportGranted"
      ? "business-support"
      : "commercial-service"

/**
 * Whether an event belongs to a budget stream.
 *
 * @category guards
 * @since 0.1.0
 */
export const isBudgetEvent = (event: FundingEvent): event is BudgetEvent =>
  event._tag === "AppropriationAllotted" ||
  event._tag === "AllocationFramed" ||
  event._tag === "BudgetReserved" ||
  event._tag === "BudgetReleased"

/**
 * The stream of a region's budget for a year.
 *
 * @category utils
 * @since 0.1.0
 */
export const budgetStreamId = (regionId: string, year: number): string => `budget-${regionId}-${year}`

/**
 * The stream of one application and its grant.
 *
 * @category utils
 * @since 0.1.0
 */
export const applicationStreamId = (applicationId: string): string => `application-${applicationId}`

/**
 * The stream an event of this family belongs to.
 *
 * @category getters
 * @since 0.1.0
 */
export const streamIdOf = (event: FundingEvent): string =>
  isBudgetEvent(event) ? budgetStreamId(event.regionId, event.year) : applicationStreamId(event.applicationId)

/**
 * The funding family's catalogue entries.
 *
 * @category events
 * @since 0.1.0
 */
export const fundingCatalog = EventCatalog.make([
  EventCatalog.define(FundingEvent.cases.AppropriationAllotted, "AppropriationAllotted"),
  EventCatalog.define(FundingEvent.cases.AllocationFramed, "AllocationFramed"),
  EventCatalog.define(FundingEvent.cases.BudgetReserved, "BudgetReserved"),
  EventCatalog.define(FundingEvent.cases.BudgetReleased, "BudgetReleased"),
  EventCatalog.define(FundingEvent.cases.ApplicationReceived, "ApplicationReceived"),
  EventCatalog.define(FundingEvent.cases.ApplicationAssessed, "ApplicationAssessed"),
  EventCatalog.define(FundingEvent.cases.ProjectGranted, "ProjectGranted"),
  EventCatalog.define(FundingEvent.cases.BusinessSupportGranted, "BusinessSupportGranted"),
  EventCatalog.define(FundingEvent.cases.CommercialServiceSupportGranted, "CommercialServiceSupportGranted"),
  EventCatalog.define(FundingEvent.cases.ApplicationRejected, "ApplicationRejected"),
  EventCatalog.define(FundingEvent.cases.GrantAmended, "GrantAmended"),
  EventCatalog.define(FundingEvent.cases.PaymentDisbursed, "PaymentDisbursed"),
  EventCatalog.define(FundingEvent.cases.GrantRecovered, "GrantRecovered"),
  EventCatalog.define(FundingEvent.cases.ProjectReported, "ProjectReported"),
  EventCatalog.define(FundingEvent.cases.ProjectClosed, "ProjectClosed")
])
