/**
 * Luleå kommun's international work as an event history: registry (actors, organisations, the
 * nine goals), memberships with join years and roles, agreements and twin towns, the Tromsø
 * intent, and a year of evaluated trips. Everything except the registry goes through core's
 * deciders as commands, so role policy and domain rules apply to every fact.
 *
 * @since 0.1.0
 */
import { Commands } from "@utblick/core"
import { Effect } from "effect"
import { published } from "./published.js"
import { estimatedCo2eKg, trips2024 } from "./trips.js"

/**
 * The tenant: whose record this is.
 *
 * @category constructors
 * @since 0.1.0
 */
export const tenant = "lulea-kommun"

/**
 * The id of Luleå's goal scheme (the nine overarching goals).
 *
 * @category constructors
 * @since 0.1.0
 */
export const goalSchemeId = "lulea-overgripande-mal-2040"

// Who gives the commands. The seeds name the bodies (kommunstyrelsen decides twin-town policy,
// 000:310; a kommunalråd signed JOIN, BOOST, SUSTAIN, 000:298; kommunstaben coordinates, 000:59)
// but not persons, so the actors are the bodies themselves.
const kommunstyrelsen = { id: "lulea-kommunstyrelsen", role: "executive-board" }
const kommunalrad = { id: "lulea-kommunalrad", role: "councillor" }
const kommunstaben = { id: "lulea-kommunstaben", role: "international-coordinator" }
const registrar = { id: "lulea-kommunstaben", role: "registrar" }
const lbrStyrelse = { id: "lulea-business-region-styrelse", role: "executive-board" }
const manager = { id: "lulea-kommunstaben-chef", role: "manager" }

// Business dates where the sources give none. A year-only fact is dated 1 January of that year
// (the payload keeps the year as the precise fact); an undated fact is dated by the source that
// reports it: the web page of 2021-10-07 (001:65) or the 2024–2027 plan (dated 2024-01-01 here).
const WEB_PAGE_2021 = "2021-10-07"
const PLAN_2024 = "2024-01-01"
const TWIN_TOWN_REVIEW_2017 = "2017-01-01"

const base = (occurredAt: string, actor: { readonly id: string; readonly role: string }) => ({
  tenant,
  actor,
  occurredAt
})

const lulea = { name: "Luleå kommun", actorId: "lulea-kommun", country: "SE" }

const goalRef = (code: string) => ({ schemeId: goalSchemeId, code })

/**
 * What a seed run wrote, for its tenant.
 *
 * @category models
 * @since 0.1.0
 */
export type SeedSummary = Commands.Summary & { readonly tenant: string }

/**
 * Appends Luleå's whole history to the provided store.
 *
 * @category constructors
 * @since 0.1.0
 */
export const seed = Effect.suspend(() => {
  const tally = Commands.makeRecorder()
  return Effect.gen(function* () {
    // ── Registry (Register commands: reference data, no decider) ────────────────────────────
    yield* tally.run({ _tag: "Register", ...base("2003-01-01", registrar), events: [
      { _tag: "ActorRegistered", actorId: "lulea-kommun", name: "Luleå kommun", kind: "municipality" },
      {
        _tag: "ActorRegistered",
        actorId: "lulea-kommunstyrelsen",
        name: "Kommunstyrelsen, Luleå kommun",
        kind: "board",
        parentActorId: "lulea-kommun"
      },
      {
        _tag: "ActorRegistered",
        actorId: "lulea-business-region",
        name: "Luleå Business Region AB (LBR)",
        kind: "municipal-company",
        parentActorId: "lulea-kommun"
      },
      {
        _tag: "ActorRegistered",
        actorId: "lulea-science-park",
        name: "Luleå Science Park (LSP), enhet inom LBR",
        kind: "municipal-company",
        parentActorId: "lulea-business-region"
      },
      ...published.memberships.map(
        (o) =>
          ({
            _tag: "OrganisationRegistered",
            organisationId: o.organisationId,
            name: o.name,
            focusArea: o.focusArea,
            description: `Källa ${o.source}`
          }) as const
      ),
      {
        _tag: "OrganisationRegistered",
        organisationId: "sncvb",
        name: "Swedish Network of Convention Bureaus (SNCVB)",
        focusArea: "other"
      },
      {
        _tag: "OrganisationRegistered",
        organisationId: "iasp",
        name: "International Association of Science Parks and Areas of Innovation (IASP)",
        focusArea: "other"
      },
      {
        _tag: "OrganisationRegistered",
        organisationId: "sweden-ict",
        name: "Sweden ICT (EDIH Sweden Secure Tech Hub)",
        focusArea: "eu"
      },
      {
        _tag: "OrganisationRegistered",
        organisationId: "arctic-europe-tourism-cluster",
        name: "Interreg Arctic Europe Tourism Cluster 2023–2026",
        focusArea: "regional-arctic"
      },
      {
        _tag: "OrganisationRegistered",
        organisationId: "bothnian-coastal-route",
        name: "Interreg Bothnian Coastal Route (BCR) 2023–2025, led by Kvarkenrådet",
        focusArea: "regional-arctic"
      }
    ] })
    yield* tally.run({ _tag: "Register", ...base(PLAN_2024, registrar), events: [
      {
        _tag: "ClassificationSchemeAdopted",
        schemeId: goalSchemeId,
        name: "Luleå kommuns nio övergripande mål (Vision Luleå 2040, Agenda 2030)",
        ownerActorId: "lulea-kommun",
        validFrom: 2024,
        validTo: 2027,
        categories: published.goals.value.map((label, i) => ({ code: `M${i + 1}`, label }))
      }
    ] })

    // ── Memberships ───────────────────────────────────────────────────────────────────────
    yield* tally.run({
      _tag: "SignMembership",
      ...base("2003-01-01", kommunstyrelsen),
      actorId: "lulea-kommun",
      organisationId: "ubc",
      kind: "member",
      joinedYear: 2003,
      purpose: "Demokratisk, ekonomisk, social, kulturell och miljövänlig utveckling av Östersjöregionen (000:260)"
    })
    yield* tally.run({
      _tag: "SignMembership",
      ...base("2015-01-01", kommunstyrelsen),
      actorId: "lulea-kommun",
      organisationId: "sern",
      kind: "member",
      joinedYear: 2015,
      purpose: "Bilateralt svensk–italienskt nätverk (001:54)"
    })
    yield* tally.run({
      _tag: "SignMembership",
      ...base("2015-01-01", kommunstyrelsen),
      actorId: "lulea-kommun",
      organisationId: "covenant-of-mayors",
      kind: "signatory",
      joinedYear: 2015,
      purpose: "Klimatåtaganden; förstärkt 2020 bl.a. för resor, måltider och plast (000:27)"
    })
    for (const organisationId of ["arctic-mayors-forum", "barents-road"] as const) {
      yield* tally.run({
        _tag: "SignMembership",
        ...base(WEB_PAGE_2021, kommunstyrelsen),
        actorId: "lulea-kommun",
        organisationId,
        kind: "member"
      })
    }
    yield* tally.run({
      _tag: "SignMembership",
      ...base(WEB_PAGE_2021, kommunstyrelsen),
      actorId: "lulea-kommun",
      organisationId: "bothnian-arc",
      kind: "founder",
      purpose: "Luleå och Uleåborg är grundare av Bottenviksbågen (000:177)"
    })
    yield* tally.run({
      _tag: "AssignMembershipRole",
      ...base(WEB_PAGE_2021, kommunstyrelsen),
      actorId: "lulea-kommun",
      organisationId: "barents-road",
      role: "secretariat-host",
      body: "Kanslifunktionen (secretariat)"
    })
    for (const body of published.ubcCommissions.value) {
      yield* tally.run({
        _tag: "AssignMembershipRole",
        ...base(PLAN_2024, kommunstaben),
        actorId: "lulea-kommun",
        organisationId: "ubc",
        role: "commission-member",
        body
      })
    }
    // Luleå Business Region and Luleå Science Park (000:343-366).
    for (const [actorId, organisationId, kind, occurredAt] of [
      ["lulea-business-region", "sncvb", "member", PLAN_2024],
      ["lulea-science-park", "iasp", "member", PLAN_2024],
      ["lulea-science-park", "sweden-ict", "consortium-partner", PLAN_2024],
      ["lulea-business-region", "arctic-europe-tourism-cluster", "project-partner", "2023-01-01"],
      ["lulea-business-region", "bothnian-coastal-route", "project-partner", "2023-01-01"]
    ] as const) {
      yield* tally.run({
        _tag: "SignMembership",
        ...base(occurredAt, lbrStyrelse),
        actorId,
        organisationId,
        kind
      })
    }

    // ── Agreements ────────────────────────────────────────────────────────────────────────
    yield* tally.run({
      _tag: "SignAgreement",
      ...base(PLAN_2024, kommunstyrelsen),
      agreementId: "lulea-uleaborg",
      kind: "cooperation-agreement",
      title: "Samarbetsavtal Luleå–Uleåborg (viljeinriktning, nästan 25 års samverkan)",
      parties: [lulea, { name: "Uleåborg (Oulu)", country: "FI" }],
      priorityAreas: [
        { label: "Tillväxt, konkurrenskraft och attraktivitet" },
        { label: "Infrastruktur och logistik" },
        { label: "Hållbar digitalisering" },
        { label: "Kommunikation, marknadsföring, nätverk, intressebevakning" },
        { label: "Främjande av språklärande" },
        { label: "Kulturutbyte mellan städerna" },
        { label: "Övriga områden som båda parter ger hög prioritet" }
      ]
    })
    yield* tally.run({
      _tag: "SignAgreement",
      ...base("2020-01-01", kommunalrad),
      decidingBody: "Kommunalråd, Luleå kommun",
      agreementId: "lulea-join-boost-sustain",
      kind: "declaration-of-intent",
      title: "JOIN, BOOST, SUSTAIN – avsiktsförklaring om hållbar digital omvandling (first-wave signatory)",
      parties: [lulea, { name: "JOIN, BOOST, SUSTAIN – 73 undertecknare (DG CONNECT)" }],
      priorityAreas: [{ label: "Hållbar digital omvandling av städer och samhällen i EU" }],
      signedYear: 2020
    })
    yield* tally.run({
      _tag: "SignAgreement",
      ...base("2023-08-01", kommunstyrelsen),
      agreementId: "lulea-noveant-sur-moselle",
      kind: "cooperation-agreement",
      title: "Samarbetsavtal för utbyten Luleå–Novéant-sur-Moselle (ANEA–PAUSE)",
      parties: [lulea, { name: "Novéant-sur-Moselle", country: "FR" }],
      priorityAreas: [
        { label: "Utbyten av medborgargrupper under ett antal veckor" },
        { label: "Utbyten för personer 50 år eller äldre" },
        { label: "Volontärutbyte för unga med värdfamiljer" },
        { label: "Digitala kontaktformer ANEA–PAUSE" },
        { label: "Kontakter mellan skolor, idrottsföreningar och kulturföreningar" }
      ],
      signedOn: "2023-08-01"
    })
    // The five twin towns, kept by kommunstyrelsen after the 2017 review (000:310).
    const twinTownAreas: Readonly<Record<string, ReadonlyArray<string>>> = {
      "lulea-vanort-kemi": [
        "Tillväxt, konkurrenskraft och attraktivitet",
        "Infrastruktur och logistik",
        "Smart Arctic",
        "Kommunikation, marknadsföring, nätverk, intressebevakning"
      ]
    }
    for (const town of published.twinTowns) {
      yield* tally.run({
        _tag: "SignAgreement",
        ...base(TWIN_TOWN_REVIEW_2017, kommunstyrelsen),
        decidingBody: "Kommunstyrelsen, Luleå kommun",
        agreementId: town.agreementId,
        kind: "twin-town",
        title: `Vänort ${town.name}`,
        parties: [lulea, { name: town.name, country: town.country }],
        priorityAreas: (twinTownAreas[town.agreementId] ?? []).map((label) => ({ label }))
      })
    }
    for (const town of published.twinTowns.filter((t) => t.status === "dormant")) {
      yield* tally.run({
        _tag: "ChangeAgreementStatus",
        ...base(PLAN_2024, kommunstyrelsen),
        agreementId: town.agreementId,
        to: "dormant",
        reason: "Vilande status tills aktivt samarbete blir aktuellt igen (000:339)"
      })
    }
    yield* tally.run({
      _tag: "RecordAgreementIntent",
      ...base(PLAN_2024, kommunstyrelsen),
      agreementId: "lulea-tromso-samarbetsavtal",
      kind: "cooperation-agreement",
      title: "Samarbetsavtal Luleå–Tromsø (Tromsø som regional samarbetspartner)",
      parties: [lulea, { name: "Tromsø kommune", country: "NO" }],
      potentialAreas: [
        { label: "Näringslivsutveckling" },
        { label: "Turism och marknadsföring" },
        { label: "Smarta städer" },
        { label: "Kultur" },
        { label: "Samarbete i det Arktiska området" }
      ],
      ambition: "Teckna samarbetsavtal med Tromsø när det blir möjligt (000:195, 000:337)"
    })

    // ── A year of evaluated trips (synthesised, see trips.ts) ────────────────────────────
    for (const plan of trips2024) {
      const traveller = { id: plan.traveller, role: "traveller" }
      yield* tally.run({
        _tag: "ProposeTrip",
        ...base(plan.departOn, traveller),
        tripId: plan.tripId,
        organiserActorId: "lulea-kommun",
        traveller: plan.traveller,
        purpose: plan.purpose,
        destination: plan.destination,
        departOn: plan.departOn,
        returnOn: plan.returnOn,
        relatedTo: plan.relatedTo,
        goalRefs: plan.goals.map(goalRef)
      })
      yield* tally.run({
        _tag: "EvaluateTrip",
        ...base(plan.departOn, manager),
        tripId: plan.tripId,
        checklist: {
          contributesToDevelopment: plan.checklist[0],
          partOfExternalMonitoring: plan.checklist[1],
          opportunityToInfluence: plan.checklist[2]
        },
        physicalMeetingNecessary: plan.physicalMeetingNecessary,
        digitalAlternativeSufficient: plan.digitalAlternativeSufficient,
        mode: plan.mode,
        distanceKm: plan.distanceKm,
        estimatedCo2eKg: estimatedCo2eKg(plan),
        decision: plan.decision,
        ...(plan.reason === undefined ? {} : { reason: plan.reason })
      })
      if (plan.afterwards === "completed") {
        const digital = plan.decision === "replaced-by-digital"
        yield* tally.run({
          _tag: "CompleteTrip",
          ...base(plan.returnOn, traveller),
          tripId: plan.tripId,
          completedOn: plan.returnOn,
          actualMode: digital ? "digital" : plan.mode,
          actualDistanceKm: digital ? 0 : plan.distanceKm,
          actualCo2eKg: digital ? 0 : estimatedCo2eKg(plan),
          ...(plan.outcome === undefined ? {} : { outcome: plan.outcome })
        })
      } else if (plan.afterwards === "cancelled") {
        yield* tally.run({
          _tag: "CancelTrip",
          ...base(plan.departOn, traveller),
          tripId: plan.tripId,
          reason: "Mötet ställdes in av arrangören"
        })
      }
    }
    return { tenant, ...tally.summary() }
  })
})
