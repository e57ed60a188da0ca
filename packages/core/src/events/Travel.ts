/**
 * The travel family: an official trip is proposed, evaluated against the plan's three questions
 * and the digital-first rule (Luleå, 000:31-37 and 000:79-82), then completed or cancelled.
 *
 * One stream per trip: `trip-<tripId>`.
 *
 * **Gotchas**
 *
 * The traveller is a pseudonymous subject reference (`subject-…`). A personal name, when kept at
 * all, goes only in the separate optional `travellerName` field of `TripProposed`, so that the
 * audit package can seal it with the person's key and forget it without touching anything else.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { CalendarDate } from "../Envelope.js"
import { PersonalText } from "../PersonalData.js"
import * as EventCatalog from "../EventCatalog.js"
import { Count, EntityId, Label, SchemeRef } from "./Common.js"

/**
 * A pseudonymous reference to a person: `subject-` followed by an opaque id.
 *
 * @category schemas
 * @since 0.1.0
 */
export const SubjectRef = Schema.String.pipe(
  Schema.check(
    Schema.isPattern(/^subject-[a-z0-9][a-z0-9_-]{0,63}$/, {
      message: "a subject reference must be 'subject-' followed by 1–64 characters of a–z, 0–9, _ and -"
    })
  )
)

/**
 * What a trip relates to: a membership, an agreement, a funded project or application.
 *
 * @category schemas
 * @since 0.1.0
 */
export const TripRelation = Schema.Struct({
  kind: Schema.Literals(["membership", "agreement", "application"]),
  /** The stream id of the related record, e.g. `membership-lulea-kommun-ubc`. */
  streamId: Schema.NonEmptyString
})

/**
 * How the trip travels.
 *
 * @category schemas
 * @since 0.1.0
 */
export const TravelMode = Schema.Literals(["flight", "train", "bus", "car", "boat", "mixed", "digital"])

/**
 * @category models
 * @since 0.1.0
 */
export type TravelMode = typeof TravelMode.Type

/**
 * The outcome of an evaluation.
 *
 * @category schemas
 * @since 0.1.0
 */
export const TripDecision = Schema.Literals(["approved", "replaced-by-digital", "declined"])

/**
 * The plan's three yes/no questions (000:79-82).
 *
 * @category schemas
 * @since 0.1.0
 */
export const TripChecklist = Schema.Struct({
  /** Bidrar aktiviteten till samhälls- och näringslivsutveckling eller verksamhetsutveckling? */
  contributesToDevelopment: Schema.Boolean,
  /** Är den ett led i vår omvärldsbevakning? */
  partOfExternalMonitoring: Schema.Boolean,
  /** Är aktiviteten en möjlighet att påverka inom ett för kommunen viktigt område? */
  opportunityToInfluence: Schema.Boolean
})

/**
 * Estimated emissions in kilograms of CO2-equivalents (a non-negative number).
 *
 * @category schemas
 * @since 0.1.0
 */
export const Co2eKg = Schema.Number.pipe(
  Schema.check(Schema.isFinite(), Schema.isGreaterThanOrEqualTo(0, { message: "CO2e must be ≥ 0 kg" }))
)

/**
 * The fields of each travel event, by tag. The commands that decide them (`Trip.TripCommand`)
 * take the same fields plus who gave the command, when and for which tenant, so each field is
 * defined once, here.
 *
 * @category schemas
 * @since 0.1.0
 */
export const travelFields = {
  /** A trip was proposed. */
  TripProposed: {
    tripId: EntityId,
    organiserActorId: EntityId,
    traveller: SubjectRef,
    /**
     * Personal data of the person named by `traveller`: plain text in a command, sealed with their
     * key in the log (`PersonalData.fields`), unreadable once they are forgotten.
     */
    travellerName: Schema.optionalKey(PersonalText),
    purpose: Label,
    destination: Label,
    departOn: CalendarDate,
    returnOn: CalendarDate,
    relatedTo: Schema.Array(TripRelation),
    goalRefs: Schema.Array(SchemeRef)
  },
  /** The trip was evaluated: the three questions, digital first, mode, distance, emissions. */
  TripEvaluated: {
    tripId: EntityId,
    checklist: TripChecklist,
    physicalMeetingNecessary: Schema.Boolean,
    digitalAlternativeSufficient: Schema.Boolean,
    mode: TravelMode,
    distanceKm: Count,
    estimatedCo2eKg: Co2eKg,
    decision: TripDecision,
    reason: Schema.optionalKey(Label)
  },
  /** The trip took place (or, when replaced, the digital meeting did). */
  TripCompleted: {
    tripId: EntityId,
    completedOn: CalendarDate,
    actualMode: TravelMode,
    actualDistanceKm: Schema.optionalKey(Count),
    actualCo2eKg: Schema.optionalKey(Co2eKg),
    outcome: Schema.optionalKey(Schema.String)
  },
  /** The trip was called off. */
  TripCancelled: {
    tripId: EntityId,
    reason: Label
  }
} as const

/**
 * The travel family as a tagged union of its events.
 *
 * @category events
 * @since 0.1.0
 */
export const TravelEvent = Schema.TaggedUnion(travelFields)

/**
 * @category events
 * @since 0.1.0
 */
export type TravelEvent = typeof TravelEvent.Type

/**
 * The tags of the travel family.
 *
 * @category events
 * @since 0.1.0
 */
export type TravelTag = TravelEvent["_tag"]

/**
 * The stream of one trip.
 *
 * @category utils
 * @since 0.1.0
 */
export const tripStreamId = (tripId: string): string => `trip-${tripId}`

/**
 * The stream an event of this family belongs to.
 *
 * @category getters
 * @since 0.1.0
 */
export const streamIdOf = (event: TravelEvent): string => tripStreamId(event.tripId)

/**
 * The travel family's catalogue entries.
 *
 * @category events
 * @since 0.1.0
 */
export const travelCatalog = EventCatalog.make([
  EventCatalog.define(TravelEvent.cases.TripProposed, "TripProposed"),
  EventCatalog.define(TravelEvent.cases.TripEvaluated, "TripEvaluated"),
  EventCatalog.define(TravelEvent.cases.TripCompleted, "TripCompleted"),
  EventCatalog.define(TravelEvent.cases.TripCancelled, "TripCancelled")
])
