/**
 * The membership family: an actor (municipality, region, municipal company) joins an
 * international organisation or network, takes on roles in it (hosts its secretariat, sits on a
 * commission, chairs a working group) and eventually leaves.
 *
 * One stream per actor and organisation: `membership-<actorId>-<organisationId>`. Leaving and
 * re-joining stay in the same stream, so the tenure history of one relation reads as one story.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { CalendarDate } from "../Envelope.js"
import * as EventCatalog from "../EventCatalog.js"
import { EntityId, Label, Year } from "./Common.js"

/**
 * How the actor belongs to the organisation: a member, a founder, the signatory of a covenant
 * (EU Covenant of Mayors), a consortium partner or a project partner.
 *
 * @category schemas
 * @since 0.1.0
 */
export const MembershipKind = Schema.Literals([
  "member",
  "founder",
  "signatory",
  "consortium-partner",
  "project-partner"
])

/**
 * @category models
 * @since 0.1.0
 */
export type MembershipKind = typeof MembershipKind.Type

/**
 * A role held inside an organisation: hosting its secretariat (Barents Road in Luleå), sitting
 * on a commission (UBC), chairing a working group (Barents JWGT), a board seat, or another role.
 *
 * @category schemas
 * @since 0.1.0
 */
export const MembershipRole = Schema.Literals([
  "secretariat-host",
  "commission-member",
  "chair",
  "board-member",
  "working-group-member",
  "other"
])

/**
 * @category models
 * @since 0.1.0
 */
export type MembershipRole = typeof MembershipRole.Type

/**
 * Why a membership ended.
 *
 * @category schemas
 * @since 0.1.0
 */
export const MembershipEndReason = Schema.Literals(["resigned", "organisation-dissolved", "expired", "other"])

/**
 * The membership family as a tagged union of its events.
 *
 * @category events
 * @since 0.1.0
 */
export const MembershipEvent = Schema.TaggedUnion({
  /**
   * The actor joined the organisation. The seeds often give only a year (UBC 2003, SERN 2015)
   * or nothing at all (AMF), so both the year and the exact date are optional.
   */
  MembershipSigned: {
    actorId: EntityId,
    organisationId: EntityId,
    kind: MembershipKind,
    joinedYear: Schema.optionalKey(Year),
    joinedOn: Schema.optionalKey(CalendarDate),
    purpose: Schema.optionalKey(Schema.String)
  },
  /** The actor took on a role in the organisation, e.g. one of three UBC commissions. */
  MembershipRoleAssigned: {
    actorId: EntityId,
    organisationId: EntityId,
    role: MembershipRole,
    /** The commission, working group or function, e.g. "Sustainable Cities Commission". */
    body: Schema.optionalKey(Label),
    from: Schema.optionalKey(CalendarDate),
    to: Schema.optionalKey(CalendarDate)
  },
  /** The actor left the organisation. */
  MembershipEnded: {
    actorId: EntityId,
    organisationId: EntityId,
    endedOn: CalendarDate,
    reason: MembershipEndReason,
    explanation: Schema.optionalKey(Schema.String)
  }
})

/**
 * @category events
 * @since 0.1.0
 */
export type MembershipEvent = typeof MembershipEvent.Type

/**
 * The tags of the membership family.
 *
 * @category events
 * @since 0.1.0
 */
export type MembershipTag = MembershipEvent["_tag"]

/**
 * The stream of one actor's membership of one organisation.
 *
 * @category utils
 * @since 0.1.0
 */
export const membershipStreamId = (actorId: string, organisationId: string): string =>
  `membership-${actorId}-${organisationId}`

/**
 * The stream an event of this family belongs to.
 *
 * @category getters
 * @since 0.1.0
 */
export const streamIdOf = (event: MembershipEvent): string => membershipStreamId(event.actorId, event.organisationId)

/**
 * The membership family's catalogue entries.
 *
 * @category events
 * @since 0.1.0
 */
export const membershipCatalog = EventCatalog.make([
  EventCatalog.define(MembershipEvent.cases.MembershipSigned, "MembershipSigned"),
  EventCatalog.define(MembershipEvent.cases.MembershipRoleAssigned, "MembershipRoleAssigned"),
  EventCatalog.define(MembershipEvent.cases.MembershipEnded, "MembershipEnded")
])
