/**
 * The registry read model: actors, international organisations, classification schemes and the
 * mappings between schemes. Indicators use it to name categories and to compare years that are
 * classified under different schemes.
 *
 * @since 0.1.0
 */
import { Projection } from "@utblick/core"
import type { Event } from "./Shared.js"

/**
 * A classification scheme as adopted.
 *
 * @category models
 * @since 0.1.0
 */
export interface SchemeInfo {
  readonly schemeId: string
  readonly name: string
  readonly ownerActorId: string
  readonly validFrom: number
  readonly validTo: number | null
  readonly categories: ReadonlyArray<{ readonly code: string; readonly label: string }>
}

/**
 * A mapping between the categories of two schemes.
 *
 * @category models
 * @since 0.1.0
 */
export interface MappingInfo {
  readonly mappingId: string
  readonly fromSchemeId: string
  readonly toSchemeId: string
  readonly pairs: ReadonlyArray<{ readonly from: string; readonly to: string }>
}

/**
 * The registry's state.
 *
 * @category models
 * @since 0.1.0
 */
export interface RegistryState {
  actors: Record<string, { readonly actorId: string; readonly name: string; readonly kind: string; readonly tenant: string }>
  organisations: Record<string, { readonly organisationId: string; readonly name: string; readonly focusArea: string }>
  schemes: Record<string, SchemeInfo>
  mappings: Record<string, MappingInfo>
}

/**
 * The registry projection.
 *
 * @category projections
 * @since 0.1.0
 */
export const projection = Projection.make<RegistryState, Event>({
  name: "registry",
  version: 1,
  handles: ["ActorRegistered", "OrganisationRegistered", "ClassificationSchemeAdopted", "SchemeMappingDefined"],
  initialState: () => ({ actors: {}, organisations: {}, schemes: {}, mappings: {} }),
  evolve: (state, event, envelope) => {
    switch (event._tag) {
      case "ActorRegistered":
        state.actors[event.actorId] = { actorId: event.actorId, name: event.name, kind: event.kind, tenant: envelope.tenant }
        return state
      case "OrganisationRegistered":
        state.organisations[event.organisationId] = {
          organisationId: event.organisationId,
          name: event.name,
          focusArea: event.focusArea
        }
        return state
      case "ClassificationSchemeAdopted":
        state.schemes[event.schemeId] = {
          schemeId: event.schemeId,
          name: event.name,
          ownerActorId: event.ownerActorId,
          validFrom: event.validFrom,
          validTo: event.validTo ?? null,
          categories: event.categories
        }
        return state
      case "SchemeMappingDefined":
        state.mappings[event.mappingId] = {
          mappingId: event.mappingId,
          fromSchemeId: event.fromSchemeId,
          toSchemeId: event.toSchemeId,
          pairs: event.pairs
        }
        return state
      default:
        return state
    }
  }
})

/**
 * The label of a category, or the code itself when the scheme or code is unknown.
 *
 * @category projections
 * @since 0.1.0
 */
export const categoryLabel = (state: RegistryState, schemeId: string, code: string): string =>
  state.schemes[schemeId]?.categories.find((c) => c.code === code)?.label ?? code

/**
 * The mapping from one scheme to another, if one was defined.
 *
 * @category projections
 * @since 0.1.0
 */
export const findMapping = (state: RegistryState, fromSchemeId: string, toSchemeId: string): MappingInfo | undefined =>
  Object.values(state.mappings).find((m) => m.fromSchemeId === fromSchemeId && m.toSchemeId === toSchemeId)
