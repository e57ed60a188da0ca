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
 * @category constructors
 * @since 0.1.0
 */
export const catalog = Events.eventCatalog

/**
 * A key that scopes an entity id to its tenant, so two tenants may reuse ids.
 *
 * @category constructors
 * @since 0.1.0
 */
export const tenantKey = (tenant: string, id: string | number): string => `${tenant}|${id}`

/**
 * The year of a calendar date `YYYY-MM-DD` (as the event schemas guarantee).
 *
 * Read from the four digits directly: queries call this for every application or trip they
 * scan, and slicing plus `Number` cost about ten times more.
 *
 * @category constructors
 * @since 0.1.0
 */
export const yearOf = (date: string): number =>
  (date.charCodeAt(0) - 48) * 1000 + (date.charCodeAt(1) - 48) * 100 + (date.charCodeAt(2) - 48) * 10 + (date.charCodeAt(3) - 48)

/**
 * Whole days from `from` to `to` (calendar dates).
 *
 * @category constructors
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
