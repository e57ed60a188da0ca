/**
 * Small helpers shared by the read models: the catalogue they decode with, keys, years.
 *
 * @since 0.1.0
 */
import { Events } from "@utblick/core"

/**
 * Every domain event, as the read models see it.
 *
 * @category models
 * @since 0.1.0
 */
export type Event = Events.Event

/**
 * The catalogue of every event family; pass it to `Projection.run`.
 *
 * @category utils
 * @since 0.1.0
 */
export const catalog = Events.eventCatalog

/**
 * Entities of every tenant, by tenant and then by id, so two tenants may reuse ids.
 *
 * **Details**
 *
 * Two levels rather than one map keyed by `tenant|id`: a fold looks an entity up for nearly every
 * event, and a combined key is a new string to build and hash each time, whereas the ids that
 * events carry hash once. Lookups were 3.5× faster measured in isolation (147 against 507 ns over
 * 140,000 entities).
 *
 * @category models
 * @since 0.1.0
 */
export type ByTenant<V> = Map<string, Map<string, V>>

/**
 * The entity `id` of `tenant`, if any.
 *
 * @category getters
 * @since 0.1.0
 */
export const entity = <V>(index: ByTenant<V>, tenant: string, id: string): V | undefined => index.get(tenant)?.get(id)

/**
 * Stores the entity `id` of `tenant`, replacing any before it.
 *
 * @category utils
 * @since 0.1.0
 */
export const putEntity = <V>(index: ByTenant<V>, tenant: string, id: string, value: V): void => {
  let ofTenant = index.get(tenant)
  if (ofTenant === undefined) {
    ofTenant = new Map()
    index.set(tenant, ofTenant)
  }
  ofTenant.set(id, value)
}

/**
 * The entity `id` of `tenant`, created with `make(tenant, id)` and stored first if there is none.
 * One lookup where `entity` then `putEntity` would take two.
 *
 * @category getters
 * @since 0.1.0
 */
export const entityOrNew = <V>(
  index: ByTenant<V>,
  tenant: string,
  id: string,
  make: (tenant: string, id: string) => V
): V => {
  let ofTenant = index.get(tenant)
  if (ofTenant === undefined) {
    ofTenant = new Map()
    index.set(tenant, ofTenant)
  }
  let value = ofTenant.get(id)
  if (value === undefined) {
    value = make(tenant, id)
    ofTenant.set(id, value)
  }
  return value
}

/**
 * The per-tenant maps to scan: the one of `tenant`, or every tenant's when it is undefined. Hot
 * queries loop over these directly, which is several times faster than iterating a generator.
 *
 * @category utils
 * @since 0.1.0
 */
export const tenantMaps = <V>(index: ByTenant<V>, tenant?: string): ReadonlyArray<Map<string, V>> => {
  if (tenant === undefined) return [...index.values()]
  const ofTenant = index.get(tenant)
  return ofTenant === undefined ? [] : [ofTenant]
}

/**
 * The entities of one tenant, or of every tenant when `tenant` is undefined.
 *
 * @category constructors
 * @since 0.1.0
 */
export function* entities<V>(index: ByTenant<V>, tenant?: string): Generator<V, void, undefined> {
  if (tenant !== undefined) {
    const ofTenant = index.get(tenant)
    if (ofTenant !== undefined) yield* ofTenant.values()
    return
  }
  for (const ofTenant of index.values()) yield* ofTenant.values()
}

/**
 * The year of a calendar date `YYYY-MM-DD` (as the event schemas guarantee).
 *
 * Read from the four digits directly: queries call this for every application or trip they
 * scan, and slicing plus `Number` cost about ten times more.
 *
 * @category getters
 * @since 0.1.0
 */
export const yearOf = (date: string): number =>
  (date.charCodeAt(0) - 48) * 1000 + (date.charCodeAt(1) - 48) * 100 + (date.charCodeAt(2) - 48) * 10 + (date.charCodeAt(3) - 48)

/**
 * Whole days from `from` to `to` (calendar dates).
 *
 * @category utils
 * @since 0.1.0
 */
export const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)

/**
 * A filter on tenant shared by the queries.
 *
 * @category models
 * @since 0.1.0
 */
export interface TenantFilter {
  readonly tenant?: string
}
