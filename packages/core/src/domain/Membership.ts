/**
 * The membership aggregate: one actor's membership of one international organisation, in the
 * stream `membership-<actorId>-<organisationId>`.
 *
 * Rules: an organisation cannot be joined twice while a membership is active; roles are taken
 * and memberships ended only while active; the same role in the same body is not assigned twice.
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import { CalendarDate } from "../Envelope.js"
import { EntityId, Label, Year } from "../events/Common.js"
import {
  MembershipEndReason,
  MembershipEvent,
  membershipCatalog,
  MembershipKind,
  MembershipRole,
  membershipStreamId
} from "../events/Membership.js"
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
export type Event = MembershipEvent

// ─── State ───────────────────────────────────────────────────────────────────────────────────

/**
 * A role held in the organisation.
 *
 * @category models
 * @since 0.1.0
 */
export interface HeldRole {
  readonly role: MembershipRole
  readonly body: string | undefined
}

/**
 * The state of one membership.
 *
 * @category models
 * @since 0.1.0
 */
export type State =
  | { readonly status: "none" }
  | {
      readonly status: "active"
      readonly actorId: string
      readonly organisationId: string
      readonly kind: MembershipKind
      readonly roles: ReadonlyArray<HeldRole>
      readonly terms: number
    }
  | {
      readonly status: "ended"
      readonly actorId: string
      readonly organisationId: string
      readonly endedOn: string
      readonly terms: number
    }

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
    case "MembershipSigned":
      return {
        status: "active",
        actorId: event.actorId,
        organisationId: event.organisationId,
        kind: event.kind,
        roles: [],
        terms: state.status === "none" ? 1 : state.terms + 1
      }
    case "MembershipRoleAssigned":
      return state.status === "active"
        ? { ...state, roles: [...state.roles, { role: event.role, body: event.body }] }
        : state
    case "MembershipEnded":
      return state.status === "active"
        ? {
            status: "ended",
            actorId: state.actorId,
            organisationId: state.organisationId,
            endedOn: event.endedOn,
            terms: state.terms
          }
        : state
    default: {
      const unreachable: never = event
      return unreachable
    }
  }
}

// ─── Commands ────────────────────────────────────────────────────────────────────────────────

const key = { actorId: EntityId, organisationId: EntityId }

/**
 * The membership commands.
 *
 * @category schemas
 * @since 0.1.0
 */
export const MembershipCommand = Schema.TaggedUnion({
  /** Join an organisation. */
  SignMembership: {
    ...commandFields,
    ...optionalDecisionFields,
    ...key,
    kind: MembershipKind,
    joinedYear: Schema.optionalKey(Year),
    joinedOn: Schema.optionalKey(CalendarDate),
    purpose: Schema.optionalKey(Schema.String)
  },
  /** Take on a role in an organisation (host its secretariat, join a commission, …). */
  AssignMembershipRole: {
    ...commandFields,
    ...key,
    role: MembershipRole,
    body: Schema.optionalKey(Label),
    from: Schema.optionalKey(CalendarDate),
    to: Schema.optionalKey(CalendarDate)
  },
  /** Leave an organisation. */
  EndMembership: {
    ...commandFields,
    ...optionalDecisionFields,
    ...key,
    endedOn: CalendarDate,
    reason: MembershipEndReason,
    explanation: Schema.optionalKey(Schema.String)
  }
})

/**
 * @category models
 * @since 0.1.0
 */
export type Command = typeof MembershipCommand.Type

// ─── Errors ──────────────────────────────────────────────────────────────────────────────────

/**
 * Every refusal of the membership decider.
 *
 * @category errors
 * @since 0.1.0
 */
export type MembershipError = DomainError.Refusal<"MembershipAlreadyActive" | "MembershipNotActive" | "RoleAlreadyAssigned">

// ─── decide ──────────────────────────────────────────────────────────────────────────────────

const notActive = (command: Command, state: State) =>
  Effect.fail(
    DomainError.make("MembershipNotActive", {
      field: "organisationId",
      value: showValue(command.organisationId),
      rule: `${command._tag} needs an active membership of ${command.organisationId} by ${command.actorId} (it is ${state.status})`
    })
  )

const decide = (command: Command, state: State): Effect.Effect<ReadonlyArray<Event>, MembershipError> => {
  switch (command._tag) {
    case "SignMembership": {
      if (state.status === "active") {
        return Effect.fail(
          DomainError.make("MembershipAlreadyActive", {
            field: "organisationId",
            value: showValue(command.organisationId),
            rule: `an organisation cannot be joined twice while a membership is active (${command.actorId} is already a ${state.kind})`
          })
        )
      }
      return Effect.succeed([
        MembershipEvent.cases.MembershipSigned.make({
          actorId: command.actorId,
          organisationId: command.organisationId,
          kind: command.kind,
          ...(command.joinedYear === undefined ? {} : { joinedYear: command.joinedYear }),
          ...(command.joinedOn === undefined ? {} : { joinedOn: command.joinedOn }),
          ...(command.purpose === undefined ? {} : { purpose: command.purpose })
        })
      ])
    }
    case "AssignMembershipRole": {
      if (state.status !== "active") return notActive(command, state)
      if (state.roles.some((held) => held.role === command.role && held.body === command.body)) {
        return Effect.fail(
          DomainError.make("RoleAlreadyAssigned", {
            field: "role",
            value: showValue(command.role),
            rule: `the role is already held${command.body === undefined ? "" : ` in ${command.body}`}`
          })
        )
      }
      return Effect.succeed([
        MembershipEvent.cases.MembershipRoleAssigned.make({
          actorId: command.actorId,
          organisationId: command.organisationId,
          role: command.role,
          ...(command.body === undefined ? {} : { body: command.body }),
          ...(command.from === undefined ? {} : { from: command.from }),
          ...(command.to === undefined ? {} : { to: command.to })
        })
      ])
    }
    case "EndMembership": {
      if (state.status !== "active") return notActive(command, state)
      return Effect.succeed([
        MembershipEvent.cases.MembershipEnded.make({
          actorId: command.actorId,
          organisationId: command.organisationId,
          endedOn: command.endedOn,
          reason: command.reason,
          ...(command.explanation === undefined ? {} : { explanation: command.explanation })
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
 * The membership aggregate.
 *
 * @category aggregates
 * @since 0.2.0
 */
export const aggregate: Aggregate.Aggregate<"membership", Command, typeof MembershipCommand.Encoded, Event, State, MembershipError> = Aggregate.make({
  name: "membership",
  commands: MembershipCommand,
  events: membershipCatalog,
  streamOf: (command) => membershipStreamId(command.actorId, command.organisationId),
  roles: {
    SignMembership: RolePolicy.bindingBodies,
    AssignMembershipRole: [...RolePolicy.bindingBodies, "international-coordinator"],
    EndMembership: RolePolicy.bindingBodies
  },
  // A role recurs in a membership, told apart by the role and its body.
  identity: { AssignMembershipRole: ["role", "body"] },
  initialState,
  evolve,
  decide
})
