/**
 * The registry family: who the actors are (municipalities, regions, boards, companies,
 * universities), which international organisations and networks exist, and the classification
 * schemes (goals, priorities, strategy areas) that decisions are tagged with, with mappings
 * between schemes so that years classified differently can be compared.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import type { JsonObject } from "../CanonicalJson.js"
import * as EventCatalog from "../EventCatalog.js"

/**
 * The kinds of actor that keep a record in Utblick or take decisions in it.
 *
 * @category schemas
 * @since 0.1.0
 */
export const ActorKind = Schema.Literals([
  "municipality",
  "region",
  "regional-association",
  "municipal-company",
  "university",
  "government-agency",
  "board"
])

/**
 * Where an international organisation's work is focused, for the "per focus area" indicators.
 *
 * @category schemas
 * @since 0.1.0
 */
export const FocusArea = Schema.Literals(["regional-arctic", "eu", "other"])

/**
 * @category models
 * @since 0.1.0
 */
export type FocusArea = typeof FocusArea.Type

/**
 * One category of a classification scheme, e.g. `{ code: "G3", label: "Hållbar tillväxt" }`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const SchemeCategory = Schema.Struct({
  code: Schema.NonEmptyString,
  label: Schema.NonEmptyString
})

/**
 * The registry family as a tagged union of its events.
 *
 * @category events
 * @since 0.1.0
 */
export const RegistryEvent = Schema.TaggedUnion({
  /** An actor (municipality, region, board, …) was entered in the registry. */
  ActorRegistered: {
    actorId: Schema.NonEmptyString,
    name: Schema.NonEmptyString,
    kind: ActorKind,
    parentActorId: Schema.optionalKey(Schema.NonEmptyString)
  },
  /**
   * An international organisation or network was entered in the registry (v2: `focusArea` is a
   * closed set; v1 stored free text in `focus`).
   */
  OrganisationRegistered: {
    organisationId: Schema.NonEmptyString,
    name: Schema.NonEmptyString,
    focusArea: FocusArea,
    description: Schema.optionalKey(Schema.String)
  },
  /** A classification scheme with its categories was adopted, valid from a year. */
  ClassificationSchemeAdopted: {
    schemeId: Schema.NonEmptyString,
    name: Schema.NonEmptyString,
    ownerActorId: Schema.NonEmptyString,
    validFrom: Schema.Int,
    validTo: Schema.optionalKey(Schema.Int),
    categories: Schema.Array(SchemeCategory).pipe(Schema.check(Schema.isMinLength(1)))
  },
  /** How the categories of one scheme correspond to those of another. */
  SchemeMappingDefined: {
    mappingId: Schema.NonEmptyString,
    fromSchemeId: Schema.NonEmptyString,
    toSchemeId: Schema.NonEmptyString,
    pairs: Schema.Array(Schema.Struct({ from: Schema.NonEmptyString, to: Schema.NonEmptyString }))
  }
})

/**
 * @category events
 * @since 0.1.0
 */
export type RegistryEvent = typeof RegistryEvent.Type

// Version 1 of OrganisationRegistered carried the focus as free text, as the seeds phrase it.
// Version 2 needs a closed set to count memberships per focus area; the upcaster classifies the
// old text the way the Luleå plan groups its memberships.
const focusAreaFromText = (text: string): FocusArea => {
  const t = text.toLowerCase()
  if (/\beu\b|europ|brussel|bryssel/.test(t)) return "eu"
  if (/arkt|arctic|barents|botnia|bothnia|nord|north|region/.test(t)) return "regional-arctic"
  return "other"
}

/**
 * Upcasts `OrganisationRegistered` v1 (`focus`: free text) to v2 (`focusArea`: a closed set,
 * the text kept as `description`).
 *
 * @category utils
 * @since 0.1.0
 */
export const upcastOrganisationRegisteredV1 = (payload: JsonObject): JsonObject => {
  const { focus, ...rest } = payload
  const text = typeof focus === "string" ? focus : ""
  return { ...rest, focusArea: focusAreaFromText(text), ...(text === "" ? {} : { description: text }) }
}

/**
 * The registry family's catalogue entries.
 *
 * @category events
 * @since 0.1.0
 */
export const registryCatalog = EventCatalog.make([
  EventCatalog.define(RegistryEvent.cases.ActorRegistered, "ActorRegistered"),
  EventCatalog.define(RegistryEvent.cases.OrganisationRegistered, "OrganisationRegistered", {
    version: 2,
    upcasters: { 1: upcastOrganisationRegisteredV1 }
  }),
  EventCatalog.define(RegistryEvent.cases.ClassificationSchemeAdopted, "ClassificationSchemeAdopted"),
  EventCatalog.define(RegistryEvent.cases.SchemeMappingDefined, "SchemeMappingDefined")
])
