/**
 * The Örebro region's international strategy of 2009 as an event history: a second tenant with
 * its own classification scheme (the företagsam, attraktiv and tillgänglig region), the
 * strategy itself recorded as a joint agreement of the regionförbund, the county council and
 * eleven municipalities, and the one membership the seed supports (Brysselkontoret Central
 * Sweden).
 *
 * @since 0.1.0
 */
import { Commands } from "@utblick/core"
import { Effect } from "effect"
import { published } from "./published.js"

/**
 * The tenant: whose record this is.
 *
 * @category constructors
 * @since 0.1.0
 */
export const tenant = "regionforbundet-orebro"

/**
 * The id of the strategy's classification scheme.
 *
 * @category constructors
 * @since 0.1.0
 */
export const strategySchemeId = "orebro-internationell-strategi-2009"

/**
 * The agreement id of the strategy.
 *
 * @category constructors
 * @since 0.1.0
 */
export const strategyAgreementId = "orebroregionen-internationell-strategi-2009"

// The strategy is signed by regionstyrelsen's chair and vice chair (004:15-21): the binding body
// is regionstyrelsen, so the actor is the board (no personal names in events).
const regionstyrelsen = { id: "regionforbundet-orebro-regionstyrelsen", role: "executive-board" }
const registrar = { id: "regionforbundet-orebro-registrator", role: "registrar" }
const SIGNED = published.signedOn.value

const base = (occurredAt: string, actor: { readonly id: string; readonly role: string }) => ({ tenant, actor, occurredAt })

const slug = (name: string) =>
  name
    .toLowerCase()
    .replaceAll("å", "a")
    .replaceAll("ä", "a")
    .replaceAll("ö", "o")
    .replaceAll(/[^a-z0-9]+/g, "-")

/**
 * What a seed run wrote, for its tenant.
 *
 * @category models
 * @since 0.1.0
 */
export type SeedSummary = Commands.Summary & { readonly tenant: string }

/**
 * Appends the Örebro history to the provided store.
 *
 * @category constructors
 * @since 0.1.0
 */
export const seed = Effect.suspend(() => {
  const tally = Commands.makeRecorder()
  return Effect.gen(function* () {
    yield* tally.run({ _tag: "Register", ...base(SIGNED, registrar), events: [
      {
        _tag: "ActorRegistered",
        actorId: "regionforbundet-orebro",
        name: "Regionförbundet Örebro",
        kind: "regional-association"
      },
      {
        _tag: "ActorRegistered",
        actorId: "regionforbundet-orebro-regionstyrelsen",
        name: "Regionstyrelsen, Regionförbundet Örebro",
        kind: "board",
        parentActorId: "regionforbundet-orebro"
      },
      { _tag: "ActorRegistered", actorId: "orebro-lans-landsting", name: published.coAuthors.county, kind: "region" },
      ...published.coAuthors.municipalities.map(
        (name) =>
          ({
            _tag: "ActorRegistered",
            actorId: `${slug(name)}-kommun`,
            name: `${name} kommun`,
            kind: "municipality"
          }) as const
      ),
      {
        _tag: "OrganisationRegistered",
        organisationId: "central-sweden-brysselkontor",
        name: "Central Sweden European Office (Brysselkontoret Central Sweden)",
        focusArea: "eu",
        description: "Regionens resurs för marknadsföring och påverkan i Bryssel (004:222, 004:226)"
      },
      {
        _tag: "OrganisationRegistered",
        organisationId: "enterprise-europe-network",
        name: "Enterprise Europe Network (via ALMI)",
        focusArea: "eu",
        description: "En av Sveriges noder i kommissionens nätverk (004:194, 004:214)"
      },
      {
        _tag: "ClassificationSchemeAdopted",
        schemeId: strategySchemeId,
        name: "Örebroregionens internationella strategi: tre områden",
        ownerActorId: "regionforbundet-orebro",
        validFrom: 2009,
        categories: published.areas.value.map(({ code, label }) => ({ code, label }))
      }
    ] })
    yield* tally.run({
      _tag: "SignAgreement",
      ...base(SIGNED, regionstyrelsen),
      decidingBody: "Regionstyrelsen, Regionförbundet Örebro",
      agreementId: strategyAgreementId,
      kind: "commitment",
      title: "Örebroregionens internationella strategi",
      parties: [
        { name: "Regionförbundet Örebro", actorId: "regionforbundet-orebro", country: "SE" },
        { name: published.coAuthors.county, actorId: "orebro-lans-landsting", country: "SE" },
        ...published.coAuthors.municipalities.map((name) => ({
          name: `${name} kommun`,
          actorId: `${slug(name)}-kommun`,
          country: "SE"
        }))
      ],
      priorityAreas: published.areas.value.map(({ code, label }) => ({
        label,
        ref: { schemeId: strategySchemeId, code }
      })),
      signedOn: SIGNED
    })
    yield* tally.run({
      _tag: "SignMembership",
      ...base(SIGNED, regionstyrelsen),
      actorId: "regionforbundet-orebro",
      organisationId: "central-sweden-brysselkontor",
      kind: "member",
      purpose: "Marknadsföring (lobbying) och påverkan inom strategiskt identifierade utvecklingsområden (004:222)"
    })
    return { tenant, ...tally.summary() }
  })
})
