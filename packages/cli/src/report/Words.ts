/**
 * The words of the reports in Swedish (the default) and English: headings, column heads, captions
 * and the indicators' titles. Category labels come from the registry as recorded (Swedish).
 *
 * @since 0.2.0
 */
import type { Indicator } from "@utblick/indicators"
import type { Locale } from "./Format.js"

const sv = {
  indicator: "Indikator",
  indicators: "Indikatorer",
  year: "År",
  change: "Förändring",
  relative: "Relativ",
  allTenants: "Alla huvudmän",
  asOf: "per",
  knownAt: "som det var känt",
  comparison: "Jämförelse",
  charts: "Diagram",
  noCharts: "Inga data att rita för dessa år.",
  mappingsUsed: "Klassificeringar som översatts",
  unmapped: "utan motsvarighet",
  notComparable: "Inte jämförbart",
  provenance: "Ursprung",
  provenanceText:
    "Beräknat ur loggen nedan; den som har loggen kan räkna om siffrorna med utblick och kontrollera Merkle-roten mot en signerad kontrollpunkt.",
  manifest: "Ursprungsmanifest (JSON)",
  log: "logg",
  events: "händelser",
  head: "senaste",
  reportTitle: "Utblick indikatorer",
  comparisonTitle: "Utblick jämförelse",
  trendTitle: "Utblick trend",
  sideBySide: "sida vid sida",
  allIndicators: "Alla indikatorer",
  noData: "– = uppgift saknas; 0 = noll"
} as const

type Words = { readonly [K in keyof typeof sv]: string }

const en: Words = {
  indicator: "Indicator",
  indicators: "Indicators",
  year: "Year",
  change: "Change",
  relative: "Relative",
  allTenants: "All tenants",
  asOf: "as of",
  knownAt: "as known at",
  comparison: "Comparison",
  charts: "Charts",
  noCharts: "No chartable data for these years.",
  mappingsUsed: "Classification mappings used",
  unmapped: "unmapped",
  notComparable: "Not comparable",
  provenance: "Provenance",
  provenanceText:
    "Computed from the log below; anyone holding it can recompute these figures with utblick and check the Merkle root against a signed checkpoint.",
  manifest: "Provenance manifest (JSON)",
  log: "log",
  events: "events",
  head: "head",
  reportTitle: "Utblick indicators",
  comparisonTitle: "Utblick comparison",
  trendTitle: "Utblick trend",
  sideBySide: "side by side",
  allIndicators: "All indicators",
  noData: "– = no data; 0 = zero"
}

/**
 * The words of a locale.
 *
 * @category constructors
 * @since 0.2.0
 */
export const of = (locale: Locale): Words => (locale === "sv" ? sv : en)

/**
 * An indicator's title in the locale.
 *
 * @category formatting
 * @since 0.2.0
 */
export const title = (v: Pick<Indicator.IndicatorValue, "title" | "titleSv">, locale: Locale): string =>
  locale === "sv" ? v.titleSv : v.title

// The Swedish labels of breakdown rows, by indicator and row key (glossary:
// docs/domain/glossary.md). The indicators define their rows in English; category rows of a
// classification scheme carry the registry's own (Swedish) labels and are left as they are.
const instrumentSv: Readonly<Record<string, string>> = {
  "project-support": "Projektstöd",
  "business-support": "Företagsstöd",
  "commercial-service": "Kommersiell service"
}
const rowsSv: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  "approval-rate": { applications: "Inkomna ansökningar", granted: "Bifallna", rejected: "Avslagna" },
  "granted-by-instrument": instrumentSv,
  "allocation-by-instrument": instrumentSv,
  "granted-by-category": { unclassified: "Ej klassificerat i detta schema" },
  "leadership-shares": { woman: "Leds av en kvinna", man: "Leds av en man", shared: "Delat ledarskap" },
  "expected-jobs": {
    women: "Jobb för kvinnor",
    men: "Jobb för män",
    "women-share": "Kvinnors andel",
    "per-mkr": "Jobb per beviljad mkr"
  },
  "investment-leverage": {
    granted: "Beviljat",
    investment: "Investering",
    "average-grant": "Genomsnittligt stöd"
  },
  "eu-co-financing": {
    decisions: "Medfinansierade beslut",
    equivalents: "Beslutsekvivalenter (Σ andel)",
    "eu-share-of-money": "EU:s andel av beviljade medel",
    leverage: "Stöd per krona egna medel"
  },
  "projects-by-main-purpose": {
    "gender-equality": "Jämställdhet",
    diversity: "Mångfald",
    environment: "Miljö"
  },
  "active-memberships": { "regional-arctic": "Regionalt / arktiskt", eu: "EU", other: "Övrigt" },
  "trips-replaced-by-digital": {
    proposed: "Föreslagna",
    approved: "Godkända",
    "replaced-by-digital": "Ersatta av digitalt möte",
    declined: "Avslagna",
    completed: "Genomförda",
    cancelled: "Inställda"
  },
  "trip-co2e": { "per-trip": "Per godkänd resa" }
}
const relationSv: Readonly<Record<string, string>> = {
  member: "medlem",
  founder: "grundare",
  signatory: "undertecknare",
  "consortium-partner": "konsortiepartner",
  "project-partner": "projektpartner"
}
// Plural forms, so that the status agrees with every kind (en vänort, ett samarbetsavtal).
const agreementKindSv: Readonly<Record<string, string>> = {
  "cooperation-agreement": "Samarbetsavtal",
  "twin-town": "Vänorter",
  "twin-region": "Vänregioner",
  "declaration-of-intent": "Avsiktsförklaringar",
  commitment: "Åtaganden"
}
const agreementStatusSv: Readonly<Record<string, string>> = {
  intended: "planerade",
  active: "aktiva",
  dormant: "vilande",
  ended: "avslutade"
}
const modeSv: Readonly<Record<string, string>> = {
  flight: "Med flyg",
  train: "Med tåg",
  bus: "Med buss",
  car: "Med bil",
  boat: "Med båt",
  mixed: "Blandade färdsätt",
  digital: "Digitalt"
}

const swedishRow = (indicator: string, key: string, label: string): string | undefined => {
  if (key === "per-inhabitant") return "Per invånare"
  if (key === "per-1000-inhabitants") return "Per 1 000 invånare"
  const fixed = rowsSv[indicator]?.[key]
  if (fixed !== undefined) return fixed
  const [prefix, rest] = key.includes(":")
    ? [key.slice(0, key.indexOf(":")), key.slice(key.indexOf(":") + 1)]
    : [key, ""]
  switch (indicator) {
    case "active-memberships":
      if (key === "join-date-unknown") {
        const documented = /\(first documented (.*)\)$/.exec(label)
        return documented === null
          ? "Varav anslutningsdatum okänt"
          : `Varav anslutningsdatum okänt (först dokumenterat ${documented[1]})`
      }
      return prefix === "relation" ? `Andra relationer: ${relationSv[rest] ?? rest}` : undefined
    case "agreements-by-status":
      return agreementKindSv[prefix] === undefined
        ? undefined
        : `${agreementKindSv[prefix]}, ${agreementStatusSv[rest] ?? rest}`
    case "eu-co-financing":
      return prefix === "source" ? `Beslut via ${rest}` : undefined
    case "trip-co2e":
      return prefix === "mode" ? (modeSv[rest] ?? `Med ${rest}`) : undefined
    default:
      return undefined
  }
}

/**
 * The label of a breakdown row in the locale: under `sv` the Swedish label of the indicator's
 * row (instruments, statuses, trip decisions and modes, relations …), under `en` the label the
 * indicator gives. Rows without a Swedish label (the categories of a classification scheme,
 * already in the scheme's language) keep theirs.
 *
 * @category formatting
 * @since 0.2.0
 */
export const row = (indicator: string, key: string, label: string, locale: Locale): string =>
  locale === "sv" ? (swedishRow(indicator, key, label) ?? label) : label
