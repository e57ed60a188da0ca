/**
 * A year (2024) of official trips, evaluated under the plan's travel rules: the three checklist
 * questions (000:79-82), digital meetings first when a physical meeting is not necessary
 * (000:31, 000:35), and a stated reason for every flight.
 *
 * **Gotchas**
 *
 * The seeds name no individual trips. These twelve are synthesised (deterministic, no
 * randomness): destinations and purposes follow the memberships and agreements of the seeds;
 * distances are round-trip road/rail/air kilometres rounded to 10 km; CO2e uses fixed factors
 * per passenger-kilometre (flight 0.15, car 0.12, bus 0.03, train 0.01 kg) so the figures can be
 * recomputed. Travellers are pseudonymous subject references; no names are stored.
 *
 * @since 0.1.0
 */

/**
 * How one synthesised trip goes.
 *
 * @category models
 * @since 0.1.0
 */
export interface TripPlan {
  readonly tripId: string
  readonly traveller: string
  readonly purpose: string
  readonly destination: string
  readonly departOn: string
  readonly returnOn: string
  readonly relatedTo: ReadonlyArray<{ readonly kind: "membership" | "agreement"; readonly streamId: string }>
  /** Codes of Luleå's nine goals (`M1`…`M9`) the trip serves. */
  readonly goals: ReadonlyArray<string>
  readonly checklist: readonly [boolean, boolean, boolean]
  readonly physicalMeetingNecessary: boolean
  readonly digitalAlternativeSufficient: boolean
  readonly mode: "flight" | "train" | "bus" | "car" | "mixed"
  readonly distanceKm: number
  readonly decision: "approved" | "replaced-by-digital" | "declined"
  readonly reason?: string
  /** What happened afterwards: it took place, it was called off, or nothing (declined). */
  readonly afterwards: "completed" | "cancelled" | "none"
  readonly outcome?: string
}

/**
 * kg CO2e per passenger-kilometre by mode; fixed so the synthesised figures can be recomputed.
 *
 * @category constructors
 * @since 0.1.0
 */
export const co2eFactorKg: Readonly<Record<TripPlan["mode"] | "digital", number>> = {
  flight: 0.15,
  train: 0.01,
  bus: 0.03,
  car: 0.12,
  mixed: 0.08,
  digital: 0
}

/**
 * The estimated emissions of a plan, in whole kilograms.
 *
 * @category constructors
 * @since 0.1.0
 */
export const estimatedCo2eKg = (plan: Pick<TripPlan, "mode" | "distanceKm">): number =>
  Math.round(plan.distanceKm * co2eFactorKg[plan.mode])

const m = (organisationId: string) => ({ kind: "membership" as const, streamId: `membership-lulea-kommun-${organisationId}` })
const a = (agreementId: string) => ({ kind: "agreement" as const, streamId: `agreement-${agreementId}` })

/**
 * The twelve trips of 2024 (synthesised; see the module notes).
 *
 * @category constructors
 * @since 0.1.0
 */
export const trips2024: ReadonlyArray<TripPlan> = [
  {
    tripId: "lulea-2024-01-bothnian-arc-oulu",
    traveller: "subject-lulea-t01",
    purpose: "Bottenviksbågen Bothnian Arc: styrelsemöte och logistikarbetsgrupp",
    destination: "Uleåborg (Oulu), FI",
    departOn: "2024-02-08",
    returnOn: "2024-02-09",
    relatedTo: [m("bothnian-arc"), a("lulea-uleaborg")],
    goals: ["M8"],
    checklist: [true, true, true],
    physicalMeetingNecessary: true,
    digitalAlternativeSufficient: false,
    mode: "bus",
    distanceKm: 680,
    decision: "approved",
    afterwards: "completed",
    outcome: "Gemensam prioritering av infrastruktur och logistik i Bottenviksbågen"
  },
  {
    tripId: "lulea-2024-02-sern-bologna",
    traveller: "subject-lulea-t02",
    purpose: "SERN: nätverksmöte om utbildning och kultur",
    destination: "Bologna, IT",
    departOn: "2024-03-12",
    returnOn: "2024-03-14",
    relatedTo: [m("sern")],
    goals: ["M2", "M3"],
    checklist: [true, true, false],
    physicalMeetingNecessary: false,
    digitalAlternativeSufficient: true,
    mode: "flight",
    distanceKm: 5600,
    decision: "replaced-by-digital",
    reason: "Mötet erbjöds hybrid; digitalt deltagande räcker (digitala möten prioriteras, 000:31)",
    afterwards: "completed",
    outcome: "Deltog via Teams"
  },
  {
    tripId: "lulea-2024-03-kemi",
    traveller: "subject-lulea-t01",
    purpose: "Vänort Kemi: samråd om Smart Arctic och logistik",
    destination: "Kemi, FI",
    departOn: "2024-04-04",
    returnOn: "2024-04-04",
    relatedTo: [a("lulea-vanort-kemi")],
    goals: ["M8", "M9"],
    checklist: [true, false, true],
    physicalMeetingNecessary: true,
    digitalAlternativeSufficient: false,
    mode: "car",
    distanceKm: 520,
    decision: "approved",
    afterwards: "completed"
  },
  {
    tripId: "lulea-2024-04-barents-road-bodo",
    traveller: "subject-lulea-t03",
    purpose: "Barents Road: årsmöte, Luleå har kanslifunktionen",
    destination: "Bodø, NO",
    departOn: "2024-05-21",
    returnOn: "2024-05-23",
    relatedTo: [m("barents-road")],
    goals: ["M8"],
    checklist: [true, true, true],
    physicalMeetingNecessary: true,
    digitalAlternativeSufficient: false,
    mode: "train",
    distanceKm: 1380,
    decision: "approved",
    afterwards: "completed",
    outcome: "Kansliet redovisade verksamhetsåret"
  },
  {
    tripId: "lulea-2024-05-ubc-commission",
    traveller: "subject-lulea-t04",
    purpose: "UBC Sustainable Cities Commission: arbetsmöte",
    destination: "Åbo (Turku), FI",
    departOn: "2024-06-11",
    returnOn: "2024-06-13",
    relatedTo: [m("ubc")],
    goals: ["M5", "M7"],
    checklist: [true, true, true],
    physicalMeetingNecessary: true,
    digitalAlternativeSufficient: false,
    mode: "flight",
    distanceKm: 1160,
    decision: "approved",
    reason: "Workshop på plats; tåg och färja tar två dagar per riktning",
    afterwards: "completed"
  },
  {
    tripId: "lulea-2024-06-covenant-brussels",
    traveller: "subject-lulea-t05",
    purpose: "EU:s Borgmästaravtal: informationsdag om rapportering",
    destination: "Bryssel, BE",
    departOn: "2024-06-25",
    returnOn: "2024-06-26",
    relatedTo: [m("covenant-of-mayors")],
    goals: ["M5"],
    checklist: [false, true, false],
    physicalMeetingNecessary: false,
    digitalAlternativeSufficient: true,
    mode: "flight",
    distanceKm: 4400,
    decision: "declined",
    reason: "Informationen finns som webbinarium; resan bidrar inte till utveckling eller påverkan",
    afterwards: "none"
  },
  {
    tripId: "lulea-2024-07-noveant-exchange",
    traveller: "subject-lulea-t06",
    purpose: "Novéant-sur-Moselle: planering av medborgarutbyte ANEA–PAUSE",
    destination: "Novéant-sur-Moselle, FR",
    departOn: "2024-09-10",
    returnOn: "2024-09-13",
    relatedTo: [a("lulea-noveant-sur-moselle")],
    goals: ["M2", "M3"],
    checklist: [true, false, true],
    physicalMeetingNecessary: true,
    digitalAlternativeSufficient: true,
    mode: "mixed",
    distanceKm: 5000,
    decision: "approved",
    reason: "Värdfamiljer och skolor ska mötas på plats; flyg Luleå–Stockholm, därefter tåg",
    afterwards: "completed"
  },
  {
    tripId: "lulea-2024-08-tromso-talks",
    traveller: "subject-lulea-t01",
    purpose: "Tromsø: samtal om samarbetsavtal (regional samarbetspartner)",
    destination: "Tromsø, NO",
    departOn: "2024-09-24",
    returnOn: "2024-09-25",
    relatedTo: [a("lulea-tromso-samarbetsavtal"), a("lulea-vanort-tromso")],
    goals: ["M8"],
    checklist: [true, true, true],
    physicalMeetingNecessary: false,
    digitalAlternativeSufficient: true,
    mode: "car",
    distanceKm: 1300,
    decision: "replaced-by-digital",
    reason: "Ett första samtal kan hållas digitalt",
    afterwards: "completed",
    outcome: "Videomöte; fysiskt möte när avtalet är moget"
  },
  {
    tripId: "lulea-2024-09-amf-annual",
    traveller: "subject-lulea-t02",
    purpose: "Arctic Mayors' Forum: årsmöte",
    destination: "Rovaniemi, FI",
    departOn: "2024-10-02",
    returnOn: "2024-10-04",
    relatedTo: [m("arctic-mayors-forum")],
    goals: ["M4", "M8"],
    checklist: [true, true, true],
    physicalMeetingNecessary: true,
    digitalAlternativeSufficient: false,
    mode: "bus",
    distanceKm: 700,
    decision: "approved",
    afterwards: "completed"
  },
  {
    tripId: "lulea-2024-10-eu-week-regions",
    traveller: "subject-lulea-t05",
    purpose: "European Week of Regions and Cities: arktisk policy",
    destination: "Bryssel, BE",
    departOn: "2024-10-08",
    returnOn: "2024-10-10",
    relatedTo: [],
    goals: ["M8"],
    checklist: [true, true, true],
    physicalMeetingNecessary: false,
    digitalAlternativeSufficient: true,
    mode: "flight",
    distanceKm: 4400,
    decision: "replaced-by-digital",
    reason: "Seminarierna sänds; påverkan sker via North Sweden European Office",
    afterwards: "completed"
  },
  {
    tripId: "lulea-2024-11-sern-annual",
    traveller: "subject-lulea-t02",
    purpose: "SERN: årsmöte med styrelseval",
    destination: "Göteborg, SE",
    departOn: "2024-11-14",
    returnOn: "2024-11-15",
    relatedTo: [m("sern")],
    goals: ["M2"],
    checklist: [true, false, true],
    physicalMeetingNecessary: true,
    digitalAlternativeSufficient: false,
    mode: "train",
    distanceKm: 2200,
    decision: "approved",
    afterwards: "cancelled"
  },
  {
    tripId: "lulea-2024-12-ubc-planning",
    traveller: "subject-lulea-t04",
    purpose: "UBC Planning Cities Commission: studiebesök",
    destination: "Gdańsk, PL",
    departOn: "2024-12-03",
    returnOn: "2024-12-05",
    relatedTo: [m("ubc")],
    goals: ["M6", "M7"],
    checklist: [true, true, false],
    physicalMeetingNecessary: true,
    digitalAlternativeSufficient: false,
    mode: "flight",
    distanceKm: 2400,
    decision: "approved",
    reason: "Studiebesök kräver närvaro; inget rimligt tåg- eller färjealternativ inom tre dagar",
    afterwards: "completed"
  }
]
