/**
 * The application aggregate: one application for anslag 1:1 money and, once granted, its grant,
 * in the stream `application-<applicationId>`.
 *
 * Rules: an application is received once; it is assessed by an officer before any decision; a
 * rejected or unknown application cannot be granted and a decided one is not decided again; the
 * grant must use the instrument applied for; a payment never exceeds what remains of the grant;
 * a recovery never exceeds what was paid; an amendment never goes below what was paid; a closed
 * grant takes no more payments. The year's caps are the budget aggregate's (see `Grant.ts`).
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import { CalendarDate } from "../Envelope.js"
import { Count, EntityId, Label, SchemeRef, Year } from "../events/Common.js"
import {
  type ApplicationEvent,
  Applicant,
  AssessmentCriteria,
  BusinessSupportType,
  CommercialServiceType,
  Establishment,
  EuCoFinancing,
  EuProgramme,
  FundingEvent,
  fundingCatalog,
  type GrantEvent,
  isBudgetEvent,
  Instrument,
  Leadership,
  MainPurpose,
  Output,
  ProjectEffect,
  RejectionReason,
  Sector,
  SupportArea,
  applicationStreamId,
  instrumentOfGrant
} from "../events/Funding.js"
import { Ore } from "../Money.js"
import * as Aggregate from "./Aggregate.js"
import {commandFields, decisionFields, showValue } from "./Command.js"
import * as DomainError from "./DomainError.js"
import * as RolePolicy from "./RolePolicy.js"

// ─── Events ──────────────────────────────────────────────────────────────────────────────────

/**
 * The events of this aggregate.
 *
 * @category events
 * @since 0.1.0
 */
export type Event = ApplicationEvent

// ─── State ───────────────────────────────────────────────────────────────────────────────────

/**
 * The money of a grant: granted, paid (gross) and recovered, in öre.
 *
 * @category models
 * @since 0.1.0
 */
export interface GrantMoney {
  readonly instrument: Instrument
  readonly regionId: string
  readonly year: number
  readonly granted: number
  readonly paid: number
  readonly recovered: number
  readonly paymentIds: ReadonlyArray<string>
}

/**
 * The state of one application.
 *
 * @category models
 * @since 0.1.0
 */
export type State =
  | { readonly status: "none" }
  | {
      readonly status: "received"
      readonly instrument: Instrument
      readonly regionId: string
      readonly amountApplied: number
      readonly recommendation: "grant" | "reject" | undefined
    }
  | { readonly status: "rejected"; readonly instrument: Instrument }
  | ({ readonly status: "granted" } & GrantMoney)
  | ({ readonly status: "closed" } & GrantMoney)

/**
 * The state before any event.
 *
 * @category constructors
 * @since 0.1.0
 */
export const initialState = (): State => ({ status: "none" })

// ─── evolve ──────────────────────────────────────────────────────────────────────────────────

const granted = (event: GrantEvent): State => ({
  status: "granted",
  instrument: instrumentOfGrant(event),
  regionId: event.regionId,
  year: event.year,
  granted: event.amount,
  paid: 0,
  recovered: 0,
  paymentIds: []
})

/**
 * Applies one event.
 *
 * @category folding
 * @since 0.1.0
 */
export const evolve = (state: State, event: Event): State => {
  switch (event._tag) {
    case "ApplicationReceived":
      return {
        status: "received",
        instrument: event.instrument,
        regionId: event.regionId,
        amountApplied: event.amountApplied,
        recommendation: undefined
      }
    case "ApplicationAssessed":
      return state.status === "received" ? { ...state, recommendation: event.recommendation } : state
    case "ProjectGranted":
    case "BusinessSupportGranted":
    case "CommercialServiceSupportGranted":
      return granted(event)
    case "ApplicationRejected":
      return state.status === "received" ? { status: "rejected", instrument: state.instrument } : state
    case "GrantAmended":
      return state.status === "granted" ? { ...state, granted: event.newAmount } : state
    case "PaymentDisbursed":
      return state.status === "granted"
        ? { ...state, paid: state.paid + event.amount, paymentIds: [...state.paymentIds, event.paymentId] }
        : state
    case "GrantRecovered":
      return state.status === "granted" || state.status === "closed"
        ? { ...state, recovered: state.recovered + event.amount }
        : state
    case "ProjectReported":
      return state
    case "ProjectClosed":
      return state.status === "granted" ? { ...state, status: "closed" } : state
    default: {
      const unreachable: never = event
      return unreachable
    }
  }
}

// ─── Commands ────────────────────────────────────────────────────────────────────────────────

const grantFields = {
  ...commandFields,
  ...decisionFields,
  applicationId: EntityId,
  /** The budget year the grant is charged to. */
  year: Year,
  amount: Ore
}

/**
 * The application commands.
 *
 * @category schemas
 * @since 0.1.0
 */
export const ApplicationCommand = Schema.TaggedUnion({
  /** Register an incoming application. */
  ReceiveApplication: {
    ...commandFields,
    applicationId: EntityId,
    regionId: EntityId,
    instrument: Instrument,
    applicant: Applicant,
    title: Label,
    amountApplied: Ore,
    receivedOn: CalendarDate
  },
  /** Assess an application against the horizontal criteria. */
  AssessApplication: {
    ...commandFields,
    applicationId: EntityId,
    criteria: AssessmentCriteria,
    recommendation: Schema.Literals(["grant", "reject"]),
    notes: Schema.optionalKey(Schema.String)
  },
  /** Grant project support. */
  GrantProject: {
    ...grantFields,
    projectName: Label,
    priorityCodes: Schema.Array(SchemeRef),
    smartSpecialisationCodes: Schema.Array(SchemeRef),
    mainPurpose: MainPurpose,
    euProgramme: Schema.optionalKey(EuProgramme),
    periodFrom: Schema.optionalKey(CalendarDate),
    periodTo: Schema.optionalKey(CalendarDate),
    plannedOutputs: Schema.Array(Output)
  },
  /** Grant business support. */
  GrantBusinessSupport: {
    ...grantFields,
    supportType: BusinessSupportType,
    sector: Sector,
    supportArea: SupportArea,
    investment: Ore,
    expectedJobsWomen: Count,
    expectedJobsMen: Count,
    leadership: Leadership,
    euCoFinancing: Schema.optionalKey(EuCoFinancing)
  },
  /** Grant commercial-service support. */
  GrantCommercialService: {
    ...grantFields,
    supportType: CommercialServiceType,
    establishment: Establishment,
    establishmentName: Schema.optionalKey(Label),
    forYears: Schema.optionalKey(Schema.Array(Year))
  },
  /** Reject the application. */
  RejectApplication: {
    ...commandFields,
    ...decisionFields,
    applicationId: EntityId,
    reason: RejectionReason,
    explanation: Schema.optionalKey(Schema.String)
  },
  /** Change the granted amount. */
  AmendGrant: {
    ...commandFields,
    ...decisionFields,
    applicationId: EntityId,
    newAmount: Ore,
    reason: Label
  },
  /** Pay out money on the grant. */
  DisbursePayment: {
    ...commandFields,
    applicationId: EntityId,
    paymentId: EntityId,
    amount: Ore
  },
  /** Claim paid money back. */
  RecoverGrant: {
    ...commandFields,
    ...decisionFields,
    applicationId: EntityId,
    amount: Ore,
    reason: Label
  },
  /** Report outputs and effects. */
  ReportProject: {
    ...commandFields,
    applicationId: EntityId,
    reportId: EntityId,
    kind: Schema.Literals(["interim", "final"]),
    outputs: Schema.Array(Output),
    effects: Schema.Array(ProjectEffect)
  },
  /** Close the grant. */
  CloseProject: {
    ...commandFields,
    applicationId: EntityId,
    outcome: Schema.Literals(["completed", "withdrawn", "terminated"])
  }
})

/**
 * @category models
 * @since 0.1.0
 */
export type Command = typeof ApplicationCommand.Type

/**
 * The three grant commands.
 *
 * @category models
 * @since 0.1.0
 */
export type GrantCommand = Extract<
  Command,
  { readonly _tag: "GrantProject" | "GrantBusinessSupport" | "GrantCommercialService" }
>

/**
 * The instrument a grant command grants under.
 *
 * @category utils
 * @since 0.1.0
 */
export const instrumentOfCommand = (command: GrantCommand): Instrument =>
  command._tag === "GrantProject"
    ? "project-support"
    : command._tag === "GrantBusinessSupport"
      ? "business-support"
      : "commercial-service"

/**
 * Whether a command is a grant.
 *
 * @category guards
 * @since 0.1.0
 */
export const isGrantCommand = (command: Command): command is GrantCommand =>
  command._tag === "GrantProject" || command._tag === "GrantBusinessSupport" || command._tag === "GrantCommercialService"

// ─── Errors ──────────────────────────────────────────────────────────────────────────────────

/**
 * Every refusal of the application decider.
 *
 * @category errors
 * @since 0.1.0
 */
export type ApplicationError = DomainError.Refusal<"ApplicationNotFound" | "ApplicationStatusConflict" | "ApplicationNotAssessed" | "InstrumentMismatch" | "GrantAmountInvalid">

// ─── decide ──────────────────────────────────────────────────────────────────────────────────

const notFound = (command: Command) =>
  Effect.fail(
    DomainError.make("ApplicationNotFound", {
      field: "applicationId",
      value: showValue(command.applicationId),
      rule: `${command._tag} needs a received application`
    })
  )

const statusConflict = (command: Command, state: State, rule: string) =>
  Effect.fail(
    DomainError.make("ApplicationStatusConflict", {
      field: "applicationId",
      value: showValue(command.applicationId),
      rule: `${rule} (the application is ${state.status})`
    })
  )

const amountInvalid = (field: string, value: number, rule: string) =>
  Effect.fail(DomainError.make("GrantAmountInvalid", { field, value: showValue(value), rule }))

// Checks shared by every decision on an open application.
const checkDecidable = (command: Command, state: State): Effect.Effect<Extract<State, { status: "received" }>, ApplicationError> => {
  if (state.status === "none") return notFound(command)
  if (state.status !== "received") {
    return statusConflict(command, state, "a rejected or already decided application cannot be decided again")
  }
  if (state.recommendation === undefined) {
    return Effect.fail(
      DomainError.make("ApplicationNotAssessed", {
        field: "applicationId",
        value: showValue(command.applicationId),
        rule: "an officer assesses an application before the board decides on it"
      })
    )
  }
  return Effect.succeed(state)
}

const grantEvent = (command: GrantCommand, regionId: string): GrantEvent => {
  const { _tag, actor, tenant, occurredAt, decisionRef, ...rest } = command
  switch (_tag) {
    case "GrantProject":
      return FundingEvent.cases.ProjectGranted.make({ ...(rest as Omit<Extract<GrantCommand, { _tag: "GrantProject" }>, "_tag" | "actor" | "tenant" | "occurredAt" | "decisionRef">), regionId })
    case "GrantBusinessSupport":
      return FundingEvent.cases.BusinessSupportGranted.make({ ...(rest as Omit<Extract<GrantCommand, { _tag: "GrantBusinessSupport" }>, "_tag" | "actor" | "tenant" | "occurredAt" | "decisionRef">), regionId })
    case "GrantCommercialService":
      return FundingEvent.cases.CommercialServiceSupportGranted.make({ ...(rest as Omit<Extract<GrantCommand, { _tag: "GrantCommercialService" }>, "_tag" | "actor" | "tenant" | "occurredAt" | "decisionRef">), regionId })
  }
}

const decide = (command: Command, state: State): Effect.Effect<ReadonlyArray<Event>, ApplicationError> => {
  switch (command._tag) {
    case "ReceiveApplication": {
      if (state.status !== "none") return statusConflict(command, state, "an application is received once")
      const { _tag, actor, tenant, occurredAt, ...payload } = command
      return Effect.succeed([FundingEvent.cases.ApplicationReceived.make(payload)])
    }
    case "AssessApplication": {
      if (state.status === "none") return notFound(command)
      if (state.status !== "received") return statusConflict(command, state, "only an undecided application is assessed")
      const { _tag, actor, tenant, occurredAt, ...payload } = command
      return Effect.succeed([FundingEvent.cases.ApplicationAssessed.make(payload)])
    }
    case "GrantProject":
    case "GrantBusinessSupport":
    case "GrantCommercialService":
      return Effect.flatMap(checkDecidable(command, state), (open): Effect.Effect<ReadonlyArray<Event>, ApplicationError> => {
        const instrument = instrumentOfCommand(command)
        if (instrument !== open.instrument) {
          return Effect.fail(
            DomainError.make("InstrumentMismatch", {
              field: "_tag",
              value: showValue(command._tag),
              rule: `the application asks for ${open.instrument}, not ${instrument}`
            })
          )
        }
        if (command.amount <= 0) return amountInvalid("amount", command.amount, "a grant must be more than 0 öre")
        return Effect.succeed([grantEvent(command, open.regionId)])
      })
    case "RejectApplication":
      return Effect.map(checkDecidable(command, state), () => [
        FundingEvent.cases.ApplicationRejected.make({
          applicationId: command.applicationId,
          reason: command.reason,
          ...(command.explanation === undefined ? {} : { explanation: command.explanation }),
          decidingBody: command.decidingBody
        })
      ])
    case "AmendGrant": {
      if (state.status === "none") return notFound(command)
      if (state.status !== "granted") return statusConflict(command, state, "only an open grant is amended")
      if (command.newAmount < state.paid) {
        return amountInvalid("newAmount", command.newAmount, `a grant cannot be amended below the ${state.paid} öre already paid`)
      }
      if (command.newAmount === state.granted) {
        return amountInvalid("newAmount", command.newAmount, "an amendment must change the granted amount")
      }
      return Effect.succeed([
        FundingEvent.cases.GrantAmended.make({
          applicationId: command.applicationId,
          previousAmount: Ore.make(state.granted),
          newAmount: command.newAmount,
          reason: command.reason,
          decidingBody: command.decidingBody
        })
      ])
    }
    case "DisbursePayment": {
      if (state.status === "none") return notFound(command)
      if (state.status !== "granted") return statusConflict(command, state, "payments are made only on an open grant")
      if (state.paymentIds.includes(command.paymentId)) {
        return statusConflict(command, state, `payment ${command.paymentId} is already recorded`)
      }
      if (command.amount <= 0) return amountInvalid("amount", command.amount, "a payment must be more than 0 öre")
      const remaining = state.granted - state.paid
      if (command.amount > remaining) {
        return amountInvalid("amount", command.amount, `a payment cannot exceed the ${remaining} öre that remain of the grant`)
      }
      return Effect.succeed([
        FundingEvent.cases.PaymentDisbursed.make({
          applicationId: command.applicationId,
          paymentId: command.paymentId,
          amount: command.amount
        })
      ])
    }
    case "RecoverGrant": {
      if (state.status === "none") return notFound(command)
      if (state.status !== "granted" && state.status !== "closed") {
        return statusConflict(command, state, "only a grant can be recovered")
      }
      if (command.amount <= 0) return amountInvalid("amount", command.amount, "a recovery must be more than 0 öre")
      const recoverable = state.paid - state.recovered
      if (command.amount > recoverable) {
        return amountInvalid("amount", command.amount, `a recovery cannot exceed the ${recoverable} öre paid and not yet recovered`)
      }
      return Effect.succeed([
        FundingEvent.cases.GrantRecovered.make({
          applicationId: command.applicationId,
          amount: command.amount,
          reason: command.reason,
          decidingBody: command.decidingBody
        })
      ])
    }
    case "ReportProject": {
      if (state.status === "none") return notFound(command)
      if (state.status !== "granted") return statusConflict(command, state, "only an open grant reports")
      const { _tag, actor, tenant, occurredAt, ...payload } = command
      return Effect.succeed([FundingEvent.cases.ProjectReported.make(payload)])
    }
    case "CloseProject": {
      if (state.status === "none") return notFound(command)
      if (state.status !== "granted") return statusConflict(command, state, "only an open grant is closed")
      return Effect.succeed([
        FundingEvent.cases.ProjectClosed.make({ applicationId: command.applicationId, outcome: command.outcome })
      ])
    }
    default: {
      const unreachable: never = command
      return unreachable
    }
  }
}

/**
 * The application aggregate. Grants and amendments also reserve or release money in the year's
 * budget: `Grant.applications` is this aggregate with the workflow that writes both streams in
 * one append, and is what the domain dispatches to.
 *
 * @category aggregates
 * @since 0.2.0
 */
export const aggregate: Aggregate.Aggregate<"application", Command, typeof ApplicationCommand.Encoded, FundingEvent, State, ApplicationError> = Aggregate.make({
  name: "application",
  commands: ApplicationCommand,
  events: fundingCatalog,
  streamOf: (command) => applicationStreamId(command.applicationId),
  roles: {
    ReceiveApplication: ["officer"],
    AssessApplication: ["officer"],
    GrantProject: RolePolicy.board,
    GrantBusinessSupport: RolePolicy.board,
    GrantCommercialService: RolePolicy.board,
    RejectApplication: RolePolicy.board,
    AmendGrant: RolePolicy.board,
    RecoverGrant: RolePolicy.board,
    DisbursePayment: ["finance-officer"],
    ReportProject: ["project-owner", "officer"],
    CloseProject: ["officer"]
  },
  // An application is received, assessed, granted or rejected and closed once; payments and
  // reports recur, told apart by their own ids.
  identity: {
    ReceiveApplication: "once",
    AssessApplication: "once",
    GrantProject: "once",
    GrantBusinessSupport: "once",
    GrantCommercialService: "once",
    RejectApplication: "once",
    CloseProject: "once",
    DisbursePayment: ["paymentId"],
    ReportProject: ["reportId"]
  },
  initialState,
  // Typed over the whole funding family, as its catalogue is; budget events never occur in an
  // application stream and are ignored.
  evolve: (state: State, event: FundingEvent) => (isBudgetEvent(event) ? state : evolve(state, event as Event)),
  decide
})
