/**
 * The agreement family: cooperation agreements, twin towns (vänorter), twin regions and
 * declarations of intent (avsiktsförklaringar), plus recorded ambitions to sign one that are not
 * yet signed, dormancy and reactivation, and the end of an agreement.
 *
 * One stream per agreement: `agreement-<agreementId>`. An intent and the agreement that fulfils
 * it share the stream, so "open intents" are the streams whose last word is the intent.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { CalendarDate } from "../Envelope.js"
import * as EventCatalog from "../EventCatalog.js"
import { DecidingBody, EntityId, Label, SchemeRef, Year } from "./Common.js"

/**
 * What kind of agreement it is.
 *
 * @category schemas
 * @since 0.1.0
 */
export const AgreementKind = Schema.Literals([
  "cooperation-agreement",
  "twin-town",
  "twin-region",
  "declaration-of-intent",
  "commitment"
])

/**
 * @category models
 * @since 0.1.0
 */
export type AgreementKind = typeof AgreementKind.Type

/**
 * Whether an agreement is being worked on (`active`) or kept but idle (`dormant`, *vilande*).
 *
 * @category schemas
 * @since 0.1.0
 */
export const AgreementActivity = Schema.Literals(["active", "dormant"])

/**
 * @category models
 * @since 0.1.0
 */
export type AgreementActivity = typeof AgreementActivity.Type

/**
 * A party to an agreement: a registered actor, or a counterpart named in the source (a foreign
 * town, an association such as ANEA or PAUSE), with its country (ISO 3166-1 alpha-2).
 *
 * @category schemas
 * @since 0.1.0
 */
export const Party = Schema.Struct({
  name: Label,
  actorId: Schema.optionalKey(EntityId),
  country: Schema.optionalKey(
    Schema.String.pipe(Schema.check(Schema.isPattern(/^[A-Z]{2}$/, { message: "a country is two capital letters" })))
  )
})

/**
 * @category models
 * @since 0.1.0
 */
export type Party = typeof Party.Type

/**
 * A priority area of an agreement: the text of the source, optionally tagged with a scheme code.
 *
 * @category schemas
 * @since 0.1.0
 */
export const PriorityArea = Schema.Struct({
  label: Label,
  ref: Schema.optionalKey(SchemeRef)
})

/**
 * The agreement family as a tagged union of its events.
 *
 * @category events
 * @since 0.1.0
 */
export const AgreementEvent = Schema.TaggedUnion({
  /**
   * The agreement was signed (or, for an old twin town, is recorded as existing). Date
   * precision varies in the sources: a full date (Novéant 2023-08-01), a year (JOIN, BOOST,
   * SUSTAIN 2020) or nothing ("about 25 years" with Uleåborg).
   */
  AgreementSigned: {
    agreementId: EntityId,
    kind: AgreementKind,
    title: Label,
    parties: Schema.Array(Party).pipe(Schema.check(Schema.isMinLength(2))),
    priorityAreas: Schema.Array(PriorityArea),
    signedOn: Schema.optionalKey(CalendarDate),
    signedYear: Schema.optionalKey(Year),
    decidingBody: Schema.optionalKey(DecidingBody),
    activity: AgreementActivity
  },
  /** An ambition to sign an agreement was recorded; nothing is signed yet (Tromsø, 000:195). */
  AgreementIntentRecorded: {
    agreementId: EntityId,
    kind: AgreementKind,
    title: Label,
    parties: Schema.Array(Party).pipe(Schema.check(Schema.isMinLength(2))),
    potentialAreas: Schema.Array(PriorityArea),
    ambition: Schema.String
  },
  /** The agreement went dormant or was reactivated. */
  AgreementStatusChanged: {
    agreementId: EntityId,
    from: AgreementActivity,
    to: AgreementActivity,
    reason: Schema.optionalKey(Schema.String)
  },
  /** The agreement (or an unfulfilled intent) ended. */
  AgreementEnded: {
    agreementId: EntityId,
    endedOn: CalendarDate,
    reason: Label,
    decidingBody: Schema.optionalKey(DecidingBody)
  }
})

/**
 * @category events
 * @since 0.1.0
 */
export type AgreementEvent = typeof AgreementEvent.Type

/**
 * The tags of the agreement family.
 *
 * @category events
 * @since 0.1.0
 */
export type AgreementTag = AgreementEvent["_tag"]

/**
 * The stream of one agreement.
 *
 * @category utils
 * @since 0.1.0
 */
export const agreementStreamId = (agreementId: string): string => `agreement-${agreementId}`

/**
 * The stream an event of this family belongs to.
 *
 * @category getters
 * @since 0.1.0
 */
export const streamIdOf = (event: AgreementEvent): string => agreementStreamId(event.agreementId)

/**
 * The agreement family's catalogue entries.
 *
 * @category events
 * @since 0.1.0
 */
export const agreementCatalog = EventCatalog.make([
  EventCatalog.define(AgreementEvent.cases.AgreementSigned, "AgreementSigned"),
  EventCatalog.define(AgreementEvent.cases.AgreementIntentRecorded, "AgreementIntentRecorded"),
  EventCatalog.define(AgreementEvent.cases.AgreementStatusChanged, "AgreementStatusChanged"),
  EventCatalog.define(AgreementEvent.cases.AgreementEnded, "AgreementEnded")
])
