/**
 * All event families: the `Event` union of every domain event, one catalogue of all of them,
 * and `streamIdOf` for any event.
 *
 * Registry events (actors, organisations, schemes) and statistics (population) have no stream
 * rule here: they are written by their own callers (`Register`, `RecordPopulation`), which choose
 * the tenant's stream.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { AgreementEvent, agreementCatalog, streamIdOf as agreementStreamIdOf } from "./Agreement.js"
import { FundingEvent, fundingCatalog, streamIdOf as fundingStreamIdOf } from "./Funding.js"
import { MembershipEvent, membershipCatalog, streamIdOf as membershipStreamIdOf } from "./Membership.js"
import { PrivacyEvent, privacyCatalog, streamIdOf as privacyStreamIdOf } from "./Privacy.js"
import { RegistryEvent, registryCatalog } from "./Registry.js"
import { StatisticsEvent, statisticsCatalog } from "./Statistics.js"
import { TravelEvent, travelCatalog, streamIdOf as travelStreamIdOf } from "./Travel.js"

export * as Agreement from "./Agreement.js"
export * as Common from "./Common.js"
export * as Funding from "./Funding.js"
export * as Membership from "./Membership.js"
export * as Privacy from "./Privacy.js"
export * as Registry from "./Registry.js"
export * as Statistics from "./Statistics.js"
export * as Travel from "./Travel.js"

/**
 * Every domain event, of every family.
 *
 * @category events
 * @since 0.1.0
 */
export const Event = Schema.Union([
  RegistryEvent,
  MembershipEvent,
  AgreementEvent,
  FundingEvent,
  TravelEvent,
  PrivacyEvent,
  StatisticsEvent
])

/**
 * @category events
 * @since 0.1.0
 */
export type Event = typeof Event.Type

/**
 * The tag of any domain event.
 *
 * @category events
 * @since 0.1.0
 */
export type EventTag = Event["_tag"]

/**
 * The catalogue of every event of every family, with versions and upcasters.
 *
 * @category events
 * @since 0.1.0
 */
export const eventCatalog = registryCatalog
  .concat(membershipCatalog)
  .concat(agreementCatalog)
  .concat(fundingCatalog)
  .concat(travelCatalog)
  .concat(privacyCatalog)
  .concat(statisticsCatalog)

/**
 * The family each event tag belongs to (for fixtures, docs and routing).
 *
 * @category events
 * @since 0.1.0
 */
export const familyOf: Readonly<Record<EventTag, "Registry" | "Membership" | "Agreement" | "Funding" | "Travel" | "Privacy" | "Statistics">> = {
  ActorRegistered: "Registry",
  OrganisationRegistered: "Registry",
  ClassificationSchemeAdopted: "Registry",
  SchemeMappingDefined: "Registry",
  MembershipSigned: "Membership",
  MembershipRoleAssigned: "Membership",
  MembershipEnded: "Membership",
  AgreementSigned: "Agreement",
  AgreementIntentRecorded: "Agreement",
  AgreementStatusChanged: "Agreement",
  AgreementEnded: "Agreement",
  AppropriationAllotted: "Funding",
  AllocationFramed: "Funding",
  BudgetReserved: "Funding",
  BudgetReleased: "Funding",
  ApplicationReceived: "Funding",
  ApplicationAssessed: "Funding",
  ProjectGranted: "Funding",
  BusinessSupportGranted: "Funding",
  CommercialServiceSupportGranted: "Funding",
  ApplicationRejected: "Funding",
  GrantAmended: "Funding",
  PaymentDisbursed: "Funding",
  GrantRecovered: "Funding",
  ProjectReported: "Funding",
  ProjectClosed: "Funding",
  TripProposed: "Travel",
  TripEvaluated: "Travel",
  TripCompleted: "Travel",
  TripCancelled: "Travel",
  SubjectErased: "Privacy",
  PopulationRecorded: "Statistics"
}

/**
 * The stream a domain event of the membership, agreement, funding or travel family belongs to;
 * `undefined` for registry events, whose stream the caller chooses.
 *
 * @category constructors
 * @since 0.1.0
 */
export const streamIdOf = (event: Event): string | undefined => {
  switch (familyOf[event._tag]) {
    case "Membership":
      return membershipStreamIdOf(event as MembershipEvent)
    case "Agreement":
      return agreementStreamIdOf(event as AgreementEvent)
    case "Funding":
      return fundingStreamIdOf(event as FundingEvent)
    case "Travel":
      return travelStreamIdOf(event as TravelEvent)
    case "Privacy":
      return privacyStreamIdOf(event as PrivacyEvent)
    case "Registry":
    case "Statistics":
      return undefined
  }
}
