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
 * @category constructors
 * @since 0.2.0
 */
export const title = (v: Pick<Indicator.IndicatorValue, "title" | "titleSv">, locale: Locale): string =>
  locale === "sv" ? v.titleSv : v.title
