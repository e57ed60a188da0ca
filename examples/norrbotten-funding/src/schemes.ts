/**
 * The classification schemes the two reports classify money by, and the mappings between them
 * that a year comparison needs (national strategy 2015–2020 vs 2021–2030, the RUS in force in
 * 2017, the 2017 project classification table and the 2022 allocation lines).
 *
 * @since 0.1.0
 */
import { published } from "./published.js"

/**
 * The scheme ids.
 *
 * @category constructors
 * @since 0.1.0
 */
export const schemeIds = {
  national2015: "nationell-strategi-2015-2020",
  national2021: "nationell-strategi-2021-2030",
  rus2020: "rus-norrbotten-2020",
  classification2017: "norrbotten-klassificering-projekt-2017",
  allocation2022: "norrbotten-anslag-1-1-prioriteringar-2022"
} as const

/**
 * A scheme as adopted.
 *
 * @category models
 * @since 0.1.0
 */
export interface SchemeDefinition {
  readonly schemeId: string
  readonly name: string
  readonly ownerActorId: string
  readonly validFrom: number
  readonly validTo?: number
  readonly categories: ReadonlyArray<{ readonly code: string; readonly label: string }>
  readonly source: string
}

/**
 * The five schemes.
 *
 * @category constructors
 * @since 0.1.0
 */
export const schemes: ReadonlyArray<SchemeDefinition> = [
  {
    schemeId: schemeIds.national2015,
    name: "En nationell strategi för hållbar regional tillväxt och attraktionskraft 2015–2020",
    ownerActorId: "regeringen",
    validFrom: 2015,
    validTo: 2020,
    categories: [
      { code: "N15-1", label: "Innovation och företagande" },
      { code: "N15-2", label: "Attraktiva miljöer och tillgänglighet" },
      { code: "N15-3", label: "Kompetensförsörjning" },
      { code: "N15-4", label: "Internationellt samarbete" }
    ],
    source: "002:74-89; 002:1297-1299"
  },
  {
    schemeId: schemeIds.national2021,
    name: "Nationell strategi för hållbar regional utveckling i hela landet 2021–2030 (Skr. 2020/21:133)",
    ownerActorId: "regeringen",
    validFrom: 2021,
    validTo: 2030,
    categories: [
      { code: "N21-1", label: "Innovation och förnyelse samt entreprenörskap och företagande i hela landet" },
      { code: "N21-2", label: "Likvärdiga möjligheter till boende, arbete och välfärd i hela landet" },
      { code: "N21-3", label: "Kompetensförsörjning och kompetensutveckling i hela landet" },
      { code: "N21-4", label: "Tillgänglighet i hela landet genom digital kommunikation och transportsystemet" }
    ],
    source: "003:120-130; 003:42-49"
  },
  {
    schemeId: schemeIds.rus2020,
    name: "Regional utvecklingsstrategi för hållbar framtid i Norrbotten 2020 (RUS)",
    ownerActorId: "region-norrbotten",
    validFrom: 2017,
    validTo: 2020,
    categories: [
      { code: "R1", label: "Livsmiljöer" },
      { code: "R2", label: "Innovation och förnyelse" },
      { code: "R3", label: "Tillgänglighet" },
      { code: "R4", label: "Kompetensförsörjning och ökat arbetskraftsutbud" },
      { code: "R5", label: "Strategiskt gränsöverskridande samarbete" }
    ],
    source: "002:37, 002:55-67"
  },
  {
    schemeId: schemeIds.classification2017,
    name: "Klassificering projekt, anslag 1:1 Regionala tillväxtåtgärder 2017",
    ownerActorId: "region-norrbotten",
    validFrom: 2017,
    validTo: 2017,
    categories: published.classification2017.rows.map(({ code, label }) => ({ code, label })),
    source: "002:947-962"
  },
  {
    schemeId: schemeIds.allocation2022,
    name: "Fördelning av anslag 1:1 Regionala utvecklingsåtgärder per prioritering 2022",
    ownerActorId: "region-norrbotten",
    validFrom: 2022,
    validTo: 2022,
    categories: published.allocation2022.lines.map(({ code, label }) => ({ code, label })),
    source: "003:3865-3880"
  }
]

/**
 * A mapping between two schemes, with the categories that have no counterpart spelled out.
 *
 * @category models
 * @since 0.1.0
 */
export interface MappingDefinition {
  readonly mappingId: string
  readonly fromSchemeId: string
  readonly toSchemeId: string
  readonly pairs: ReadonlyArray<{ readonly from: string; readonly to: string }>
  /** Codes of the source scheme with no counterpart (not in any pair). */
  readonly unmappedFrom: ReadonlyArray<string>
  /** Codes of the target scheme nothing maps to. */
  readonly unmappedTo: ReadonlyArray<string>
  readonly basis: string
}

/**
 * The mappings.
 *
 * @category constructors
 * @since 0.1.0
 */
export const mappings: ReadonlyArray<MappingDefinition> = [
  {
    mappingId: "nationell-2015-till-2021",
    fromSchemeId: schemeIds.national2015,
    toSchemeId: schemeIds.national2021,
    pairs: [
      { from: "N15-1", to: "N21-1" },
      { from: "N15-2", to: "N21-2" },
      { from: "N15-2", to: "N21-4" },
      { from: "N15-3", to: "N21-3" }
    ],
    unmappedFrom: ["N15-4"],
    unmappedTo: [],
    basis:
      "Attraktiva miljöer och tillgänglighet is split in two; Internationellt samarbete is no longer a strategic area (seed-facts §4.2)"
  },
  {
    mappingId: "rus-2020-till-nationell-2015",
    fromSchemeId: schemeIds.rus2020,
    toSchemeId: schemeIds.national2015,
    pairs: [
      { from: "R2", to: "N15-1" },
      { from: "R1", to: "N15-2" },
      { from: "R3", to: "N15-2" },
      { from: "R4", to: "N15-3" },
      { from: "R5", to: "N15-4" }
    ],
    unmappedFrom: [],
    unmappedTo: [],
    basis: "The report's own correspondence table (002:72-89); Tillgänglighet is a separate RUS priority (002:61-62)"
  },
  {
    mappingId: "klassificering-2017-till-nationell-2015",
    fromSchemeId: schemeIds.classification2017,
    toSchemeId: schemeIds.national2015,
    pairs: [
      ...["K1", "K2", "K3", "K4", "K5", "K6"].map((from) => ({ from, to: "N15-1" })),
      { from: "K7", to: "N15-2" },
      { from: "K7", to: "N15-3" },
      { from: "K7", to: "N15-4" }
    ],
    unmappedFrom: [],
    unmappedTo: [],
    basis:
      "K1–K6 are the innovation strategy's focus areas (002:91-108); K7 covers attraktiva livsmiljöer och tillgänglighet, kompetensförsörjning och internationellt samarbete (002:940-944)"
  },
  {
    mappingId: "prioriteringar-2022-till-nationell-2021",
    fromSchemeId: schemeIds.allocation2022,
    toSchemeId: schemeIds.national2021,
    pairs: [
      { from: "P1", to: "N21-2" },
      { from: "P1", to: "N21-4" },
      { from: "P2", to: "N21-1" },
      { from: "P4", to: "N21-3" }
    ],
    unmappedFrom: ["P3", "P5"],
    unmappedTo: [],
    basis:
      "The 2022 lines use 2015–2020 names (I-7): Internationellt samarbete has no 2021–2030 area; Övriga (Regional förnyelse, follow-up) is no strategy area"
  },
  {
    mappingId: "prioriteringar-2022-till-nationell-2015",
    fromSchemeId: schemeIds.allocation2022,
    toSchemeId: schemeIds.national2015,
    pairs: [
      { from: "P1", to: "N15-2" },
      { from: "P2", to: "N15-1" },
      { from: "P3", to: "N15-4" },
      { from: "P4", to: "N15-3" }
    ],
    unmappedFrom: ["P5"],
    unmappedTo: [],
    basis: "Same names as the 2015–2020 areas (003:3865-3880 vs 002:74-89); lets 2017 and 2022 be compared on one scheme"
  }
]
