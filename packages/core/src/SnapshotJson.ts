/**
 * JSON text for projection snapshots, for durable checkpoint stores. Read-model states keep their
 * collections in `Map`s (ADR 0014), which `JSON.stringify` would silently write as `{}`; this
 * module writes `Map` and `Set` as tagged arrays and reads them back, so a saved snapshot loads
 * equal to the one saved.
 *
 * @since 0.1.0
 */

// The tags are keys no state in this repository uses; an object that happens to carry one of them
// as its only key would be read back as a Map or Set.
const MAP = "~utblick/Map"
const SET = "~utblick/Set"

/**
 * Writes a projection state as JSON, with `Map` and `Set` kept.
 *
 * @example
 * ```ts
 * import * as SnapshotJson from "@utblick/core/SnapshotJson"
 *
 * const text = SnapshotJson.stringify({ trips: new Map([["t|1", { co2eKg: 7.5 }]]) })
 * const state = SnapshotJson.parse(text) as { trips: Map<string, { co2eKg: number }> }
 * state.trips.get("t|1") // { co2eKg: 7.5 }
 * ```
 *
 * @category encoding
 * @since 0.1.0
 */
export const stringify = (state: unknown): string =>
  JSON.stringify(state, (_key, value: unknown) => {
    if (value instanceof Map) return { [MAP]: [...value.entries()] }
    if (value instanceof Set) return { [SET]: [...value.values()] }
    return value
  })

/**
 * Reads JSON written by {@link stringify}; throws `SyntaxError` on text that is not JSON.
 *
 * @category encoding
 * @since 0.1.0
 */
export const parse = (text: string): unknown =>
  JSON.parse(text, (_key, value: unknown) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return value
    const keys = Object.keys(value)
    if (keys.length !== 1) return value
    const inner = (value as Record<string, unknown>)[keys[0] as string]
    if (keys[0] === MAP && Array.isArray(inner)) return new Map(inner as Array<[unknown, unknown]>)
    if (keys[0] === SET && Array.isArray(inner)) return new Set(inner)
    return value
  })
