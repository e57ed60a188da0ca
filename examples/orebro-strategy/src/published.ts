/**
 * The figures and structure of *Örebroregionens internationella strategi* (seed
 * `004_eeb65eb7cd8a7a12.txt`, cited `004:n`), as typed constants with their citations.
 *
 * @since 0.1.0
 */

/**
 * The published facts.
 *
 * @category models
 * @since 0.1.0
 */
export const published = {
  /** Signed in Örebro on 29 January 2009 by regionstyrelsen's chair and vice chair. */
  signedOn: { value: "2009-01-29", source: "004:15-21" },
  /** The three areas agreed by Regionfullmäktige. */
  areas: {
    value: [
      { code: "F", label: "Den företagsamma regionen" },
      { code: "A", label: "Den attraktiva regionen" },
      { code: "T", label: "Den tillgängliga regionen" }
    ],
    source: "004:64-68, 004:80"
  },
  /** The vision names four attributes, one more than the areas (I-22). */
  visionAttributes: { value: ["tillgänglig", "attraktiv", "synlig", "företagsam"], source: "004:54" },
  /** Co-authors: the county council and eleven municipalities (Laxå is missing, I-23). */
  coAuthors: {
    county: "Örebro läns landsting",
    municipalities: [
      "Askersund",
      "Degerfors",
      "Hallsberg",
      "Hällefors",
      "Karlskoga",
      "Kumla",
      "Lekeberg",
      "Lindesberg",
      "Ljusnarsberg",
      "Nora",
      "Örebro"
    ],
    source: "004:232-305"
  },
  /** Twin towns in the region in all; normally not part of the joint strategy. */
  twinTownsInRegion: { value: 54, source: "004:176" },
  /** Share of the activities of municipalities, the landsting and the regionförbund affected by EU decisions. */
  euAffectedActivitiesPercent: { value: 75, source: "004:156" },
  /** The four tools of the strategy. */
  tools: {
    value: ["Samverkan", "Politisk medverkan och förankring", "Nätverksbyggande och påverkan", "Projektverksamhet"],
    source: "004:142-162"
  }
} as const
