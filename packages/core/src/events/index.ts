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

// Every family once: its catalogue and, for families whose events name their stream, the rule.
const families = {
  Registry: { catalog: registryCatalog },
  Membership: { catalog: membershipCatalog, streamIdOf: membershipStreamIdOf },
  Agreement: { catalog: agreementCatalog, streamIdOf: agreementStreamIdOf },
  Funding: { catalog: fundingCatalog, streamIdOf: fundingStreamIdOf },
  Travel: { catalog: travelCatalog, streamIdOf: travelStreamIdOf },
  Privacy: { catalog: privacyCatalog, streamIdOf: privacyStreamIdOf },
  Statistics: { catalog: statisticsCatalog }
} as const

/**
 * The name of an event family.
 *
 * @category events
 * @since 0.2.0
 */
export type Family = keyof typeof families

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
 * The family each event tag belongs to (for fixtures, docs and routing), read from the families'
 * catalogues.
 *
 * @category events
 * @since 0.1.0
 */
export const familyOf = Object.fromEntries(
  (Object.keys(families) as ReadonlyArray<Family>).flatMap((family) =>
    [...families[family].catalog.definitions.keys()].map((tag) => [tag, family] as const)
  )
) as Readonly<Record<EventTag, Family>>

/**
 * The stream a domain event of the membership, agreement, funding, travel or privacy family
 * belongs to; `undefined` for registry and statistics events, whose stream the caller chooses
 * (the tenant's).
 *
 * @category getters
 * @since 0.1.0
 */
export const streamIdOf = (event: Event): string | undefined => {
  const family = families[familyOf[event._tag]]
  return "streamIdOf" in family ? family.streamIdOf(event as never) : undefined
}
