/**
 * The agreement aggregate: one cooperation agreement, twin town, twin region or declaration of
 * intent, in the stream `agreement-<agreementId>`.
 *
 * Rules: an intent is recorded only on a fresh stream; an agreement is signed once (fulfilling
 * an intent if there was one); only a signed agreement changes between active and dormant, so a
 * dormant twin town can be reactivated; an agreement cannot be ended twice.
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import { CalendarDate } from "../Envelope.js"
import {
  AgreementActivity,
  AgreementEvent,
  agreementCatalog,
  AgreementKind,
  Party,
  PriorityArea,
  agreementStreamId
} from "../events/Agreement.js"
import { EntityId, Label, Year } from "../events/Common.js"
import * as Aggregate from "./Aggregate.js"
import {commandFields, optionalDecisionFields, showValue } from "./Command.js"
import * as DomainError from "./DomainError.js"
import * as RolePolicy from "./RolePolicy.js"

// ─── Events ──────────────────────────────────────────────────────────────────────────────────

/**
 * The events of this aggregate.
 *
 * @category events
 * @since 0.1.0
 */
export type Event = AgreementEvent

// ─── State ───────────────────────────────────────────────────────────────────────────────────

/**
 * The state of one agreement.
 *
 * @category models
 * @since 0.1.0
 */
export type State =
  | { readonly status: "none" }
  | { readonly status: "intended"; readonly kind: AgreementKind }
  | { readonly status: "active"; readonly kind: AgreementKind }
  | { readonly status: "dormant"; readonly kind: AgreementKind }
  | { readonly status: "ended"; readonly kind: AgreementKind; readonly endedOn: string }

/**
 * The state before any event.
 *
 * @category constructors
 * @since 0.1.0
 */
export const initialState = (): State => ({ status: "none" })

// ─── evolve ──────────────────────────────────────────────────────────────────────────────────

/**
 * Applies one event.
 *
 * @category folding
 * @since 0.1.0
 */
export const evolve = (state: State, event: Event): State => {
  switch (event._tag) {
    case "AgreementIntentRecorded":
      return { status: "intended", kind: event.kind }
    case "AgreementSigned":
      return { status: event.activity, kind: event.kind }
    case "AgreementStatusChanged":
      return state.status === "active" || state.status === "dormant" ? { status: event.to, kind: state.kind } : state
    case "AgreementEnded":
      return state.status === "none" || state.status === "ended"
        ? state
        : { status: "ended", kind: state.kind, endedOn: event.endedOn }
    default: {
      const unreachable: never = event
      return unreachable
    }
  }
}

// ─── Commands ────────────────────────────────────────────────────────────────────────────────

const parties = Schema.Array(Party).pipe(
  Schema.check(Schema.isMinLength(2, { message: "an agreement has at least two parties" }))
)

/**
 * The agreement commands.
 *
 * @category schemas
 * @since 0.1.0
 */
export const AgreementCommand = Schema.TaggedUnion({
  /** Record an ambition to sign an agreement. */
  RecordAgreementIntent: {
    ...commandFields,
    ...optionalDecisionFields,
    agreementId: EntityId,
    kind: AgreementKind,
    title: Label,
    parties,
    potentialAreas: Schema.Array(PriorityArea),
    ambition: Schema.String
  },
  /** Sign an agreement (or record one that exists from before). */
  SignAgreement: {
    ...commandFields,
    ...optionalDecisionFields,
    agreementId: EntityId,
    kind: AgreementKind,
    title: Label,
    parties,
    priorityAreas: Schema.Array(PriorityArea),
    signedOn: Schema.optionalKey(CalendarDate),
    signedYear: Schema.optionalKey(Year),
    activity: Schema.optionalKey(AgreementActivity)
  },
  /** Put an agreement to rest or reactivate it. */
  ChangeAgreementStatus: {
    ...commandFields,
    ...optionalDecisionFields,
    agreementId: EntityId,
    to: AgreementActivity,
    reason: Schema.optionalKey(Schema.String)
  },
  /** End an agreement or abandon an intent. */
  EndAgreement: {
    ...commandFields,
    ...optionalDecisionFields,
    agreementId: EntityId,
    endedOn: CalendarDate,
    reason: Label
  }
})

/**
 * @category models
 * @since 0.1.0
 */
export type Command = typeof AgreementCommand.Type

// ─── Errors ──────────────────────────────────────────────────────────────────────────────────

/**
 * Every refusal of the agreement decider.
 *
 * @category errors
 * @since 0.1.0
 */
export type AgreementError = DomainError.Refusal<"AgreementAlreadySigned" | "AgreementNotFound" | "AgreementAlreadyEnded" | "InvalidAgreementStatusChange">

// ─── decide ──────────────────────────────────────────────────────────────────────────────────

const decide = (command: Command, state: State): Effect.Effect<ReadonlyArray<Event>, AgreementError> => {
  const id = showValue(command.agreementId)
  switch (command._tag) {
    case "RecordAgreementIntent": {
      if (state.status !== "none") {
        return Effect.fail(
          DomainError.make("AgreementAlreadySigned", {
            field: "agreementId",
            value: id,
            rule: `an intent is recorded only for a new agreement (this one is ${state.status})`
          })
        )
      }
      return Effect.succeed([
        AgreementEvent.cases.AgreementIntentRecorded.make({
          agreementId: command.agreementId,
          kind: command.kind,
          title: command.title,
          parties: command.parties,
          potentialAreas: command.potentialAreas,
          ambition: command.ambition
        })
      ])
    }
    case "SignAgreement": {
      if (state.status !== "none" && state.status !== "intended") {
        return Effect.fail(
          DomainError.make("AgreementAlreadySigned", {
            field: "agreementId",
            value: id,
            rule: `an agreement is signed once (this one is ${state.status})`
          })
        )
      }
      return Effect.succeed([
        AgreementEvent.cases.AgreementSigned.make({
          agreementId: command.agreementId,
          kind: command.kind,
          title: command.title,
          parties: command.parties,
          priorityAreas: command.priorityAreas,
          ...(command.signedOn === undefined ? {} : { signedOn: command.signedOn }),
          ...(command.signedYear === undefined ? {} : { signedYear: command.signedYear }),
          ...(command.decidingBody === undefined ? {} : { decidingBody: command.decidingBody }),
          activity: command.activity ?? "active"
        })
      ])
    }
    case "ChangeAgreementStatus": {
      if (state.status === "none") {
        return Effect.fail(DomainError.make("AgreementNotFound", { field: "agreementId", value: id, rule: "no such agreement" }))
      }
      if (state.status !== "active" && state.status !== "dormant") {
        return Effect.fail(
          DomainError.make("InvalidAgreementStatusChange", {
            field: "to",
            value: showValue(command.to),
            rule: `only a signed, not ended agreement can be active or dormant (this one is ${state.status})`
          })
        )
      }
      if (state.status === command.to) {
        return Effect.fail(
          DomainError.make("InvalidAgreementStatusChange", {
            field: "to",
            value: showValue(command.to),
            rule: `the agreement is already ${state.status}`
          })
        )
      }
      return Effect.succeed([
        AgreementEvent.cases.AgreementStatusChanged.make({
          agreementId: command.agreementId,
          from: state.status,
          to: command.to,
          ...(command.reason === undefined ? {} : { reason: command.reason })
        })
      ])
    }
    case "EndAgreement": {
      if (state.status === "none") {
        return Effect.fail(DomainError.make("AgreementNotFound", { field: "agreementId", value: id, rule: "no such agreement" }))
      }
      if (state.status === "ended") {
        return Effect.fail(
          DomainError.make("AgreementAlreadyEnded", {
            field: "agreementId",
            value: id,
            rule: `an agreement cannot be ended twice (it ended on ${state.endedOn})`
          })
        )
      }
      return Effect.succeed([
        AgreementEvent.cases.AgreementEnded.make({
          agreementId: command.agreementId,
          endedOn: command.endedOn,
          reason: command.reason,
          ...(command.decidingBody === undefined ? {} : { decidingBody: command.decidingBody })
        })
      ])
    }
    default: {
      const unreachable: never = command
      return unreachable
    }
  }
}

/**
 * The agreement aggregate.
 *
 * @category aggregates
 * @since 0.2.0
 */
export const aggregate: Aggregate.Aggregate<"agreement", Command, typeof AgreementCommand.Encoded, Event, State, AgreementError> = Aggregate.make({
  name: "agreement",
  commands: AgreementCommand,
  events: agreementCatalog,
  streamOf: (command) => agreementStreamId(command.agreementId),
  roles: {
    RecordAgreementIntent: [...RolePolicy.bindingBodies, "international-coordinator"],
    SignAgreement: RolePolicy.bindingBodies,
    ChangeAgreementStatus: [...RolePolicy.bindingBodies, "international-coordinator"],
    EndAgreement: RolePolicy.bindingBodies
  },
  // Intent, signature and end happen once in an agreement's life; status changes recur.
  identity: {
    RecordAgreementIntent: "once",
    SignAgreement: "once",
    EndAgreement: "once",
    ChangeAgreementStatus: ["to", "occurredAt"]
  },
  initialState,
  evolve,
  decide
})
