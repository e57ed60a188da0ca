/**
 * The figures Luleå kommun's sources publish, as typed constants with their seed citations, so
 * that tests, the demo and the CLI check the replayed history against the same numbers.
 *
 * Citations: `000:n` is line n of the activity plan 2024–2027 (seed `000_9bcb60cb0b9f88f1.txt`),
 * `001:n` line n of the web page *Internationella organisationer* (seed `001_f9930a1ef88cdafb.txt`).
 *
 * @since 0.1.0
 */

/**
 * One published membership: the organisation, how Luleå belongs to it, and the join year where
 * a source gives one.
 *
 * @category models
 * @since 0.1.0
 */
export interface PublishedMembership {
  readonly organisationId: string
  readonly name: string
  readonly kind: "member" | "founder" | "signatory"
  readonly joinedYear: number | undefined
  readonly focusArea: "regional-arctic" | "eu"
  readonly source: string
}

/**
 * One twin town (*vänort*) and its status.
 *
 * @category models
 * @since 0.1.0
 */
export interface PublishedTwinTown {
  readonly agreementId: string
  readonly name: string
  readonly country: string
  readonly status: "active" | "dormant"
  readonly source: string
}

/**
 * The published figures of Luleå kommun's international work.
 *
 * @category models
 * @since 0.1.0
 */
export const published = {
  /** The municipality's own memberships (not those of its company LBR). */
  memberships: [
    {
      organisationId: "ubc",
      name: "Union of the Baltic Cities (UBC)",
      kind: "member",
      joinedYear: 2003,
      focusArea: "eu",
      source: "000:260; 001:48"
    },
    {
      organisationId: "sern",
      name: "SERN – Sweden Emilia-Romagna Network",
      kind: "member",
      joinedYear: 2015,
      focusArea: "eu",
      source: "001:54"
    },
    {
      organisationId: "covenant-of-mayors",
      name: "EU:s Borgmästaravtal (Covenant of Mayors)",
      kind: "signatory",
      joinedYear: 2015,
      focusArea: "eu",
      source: "000:27"
    },
    {
      organisationId: "arctic-mayors-forum",
      name: "Arctic Mayors' Forum (AMF)",
      kind: "member",
      joinedYear: undefined,
      focusArea: "regional-arctic",
      source: "000:118-133; 001:59-63"
    },
    {
      organisationId: "bothnian-arc",
      name: "Bottenviksbågen Bothnian Arc rf",
      kind: "founder",
      joinedYear: undefined,
      focusArea: "regional-arctic",
      source: "000:141, 000:177; 001:5-9"
    },
    {
      organisationId: "barents-road",
      name: "Barents Väg / Barents Road Internationella förening",
      kind: "member",
      joinedYear: undefined,
      focusArea: "regional-arctic",
      source: "000:153-165; 001:11-30"
    }
  ] satisfies ReadonlyArray<PublishedMembership>,
  /** Memberships counted by indicator 1 (member or founder): AMF, Bothnian Arc, Barents Road, SERN, UBC (000:84-88). */
  activeMemberships2024: { value: 5, source: "000:84-88" },
  /** Luleå sits on three UBC commissions. */
  ubcCommissions: {
    value: ["Smart and Prospering Cities Commission", "Planning Cities Commission", "Sustainable Cities Commission"],
    source: "000:262-266"
  },
  /** The Barents Road secretariat (*kanslifunktionen*) is hosted in Luleå. */
  hostedRoles: { value: ["Barents Road secretariat (kanslifunktionen)"], source: "000:157; 001:15" },
  /** Five twin towns, two of them dormant. */
  twinTowns: [
    { agreementId: "lulea-vanort-kemi", name: "Kemi", country: "FI", status: "active", source: "000:320, 000:326-333" },
    { agreementId: "lulea-vanort-tromso", name: "Tromsø", country: "NO", status: "active", source: "000:319, 000:195" },
    {
      agreementId: "lulea-vanort-santa-lucia-de-tirajana",
      name: "Santa Lucía de Tirajana",
      country: "ES",
      status: "active",
      source: "000:322, 000:341"
    },
    {
      agreementId: "lulea-vanort-puerto-cabezas",
      name: "Puerto Cabezas",
      country: "NI",
      status: "dormant",
      source: "000:323, 000:339"
    },
    { agreementId: "lulea-vanort-zenica", name: "Zenica", country: "BA", status: "dormant", source: "000:324, 000:339" }
  ] satisfies ReadonlyArray<PublishedTwinTown>,
  /** Agreements with a signing date or year. */
  agreementsSigned: {
    noveant: { agreementId: "lulea-noveant-sur-moselle", signedOn: "2023-08-01", source: "000:288" },
    joinBoostSustain: {
      agreementId: "lulea-join-boost-sustain",
      signedYear: 2020,
      signedMonth: 1,
      signatories: 73,
      source: "000:298"
    },
    uleaborg: { agreementId: "lulea-uleaborg", priorityAreas: 7, source: "000:169-187" }
  },
  /** The one open intent: a cooperation agreement with Tromsø "when possible". */
  openIntents: { value: ["lulea-tromso-samarbetsavtal"], potentialAreas: 5, source: "000:195, 000:337" },
  /** The nine overarching goals (Vision Luleå 2040, linked to Agenda 2030). */
  goals: {
    value: [
      "Luleås invånare har en god och jämlik hälsa",
      "Luleås invånare är delaktiga i samhällets utveckling",
      "Luleås invånare har ett socialt, kulturellt och fysiskt aktivt liv",
      "Luleås naturvärden finns kvar och har plats att utvecklas",
      "Luleå har ingen påverkan på klimatet",
      "Luleås invånare bor i ett gott grannskap",
      "Luleås invånare har ett hållbart vardagsliv",
      "Luleå är ett ledande nav för tillväxt och innovation",
      "Luleås invånare har arbete"
    ],
    source: "000:45-53"
  },
  /** The plan's three checklist questions every activity and trip is evaluated against. */
  checklistQuestions: { value: 3, source: "000:79-82" }
} as const
