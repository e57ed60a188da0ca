/**
 * The rows and header of ADR 0046 as the checkpoint store keeps them: a row's id and bytes, the
 * header of a time filter's rows, and the keys of its sums. Shared by `RowFigures` and the fold
 * and scan that move rows on (`segmentFold`, `rowScan`).
 *
 * @since 0.3.0
 */
import { deserialize, serialize } from "node:v8"
import { CanonicalJson } from "@utblick/core"
import { EntityRows, ReadModels } from "@utblick/projections"
import * as GrantFilter from "../GrantFilter.js"
import type * as PersistedFigures from "../PersistedFigures.js"
import * as YearSums from "../YearSums.js"

// Entities keep `tenant position × 2³² + position in the tenant` (YearSums.Entity.order).
export const TENANT_STRIDE = 2 ** 32

const modelOf: Readonly<Record<EntityRows.Model, YearSums.Model>> = {
  "portfolio.applications": "application",
  "memberships.memberships": "membership",
  "agreements.agreements": "agreement",
  "trips.trips": "trip"
}

/** The header kept over a time filter's rows. */
export interface Header {
  /** The parts read whole, as their own structured-clone bytes: each fold takes a fresh copy. */
  readonly whole: Uint8Array
  /** Per model, its tenants in order with how many entities each holds. */
  readonly tenants: Readonly<Record<EntityRows.Model, ReadonlyArray<readonly [string, number]>>>
  /** The sums of each (year, grant filter) asked so far, by {@link sumsKeyOf}. */
  readonly sums: ReadonlyArray<readonly [string, YearSums.Sums]>
}

/**
 * A row's id in the store, `[model, tenant, id]` as JSON: unambiguous for ids of any characters.
 * A row's bytes are `[record, order]` as JSON text in UTF-8 (see {@link readRow}).
 *
 * @category utils
 * @since 0.3.0
 */
export const rowId = (key: EntityRows.RowKey): string => JSON.stringify([key.model, key.tenant, key.id])

/** The key of a row from its id (see {@link rowId}). */
export const keyOfId = (id: string): EntityRows.RowKey => {
  const [model, tenant, entityId] = JSON.parse(id) as [EntityRows.Model, string, string]
  return { model, tenant, id: entityId }
}

// Rows are JSON, not structured clones: entity records hold only JSON values, `JSON.stringify`
// costs a fraction of a `v8.serialize` call per row, and a structured clone keeps a serializer
// buffer larger than its content (building 78,833 rows took 4 s and 765 MB that way).
/** A row's bytes from its record and order. */
export const rowBytes = (record: unknown, order: number): Uint8Array =>
  Buffer.from(JSON.stringify([record, order]), "utf8")

/**
 * A row's record and order from its bytes.
 *
 * @category utils
 * @since 0.3.0
 */
export const readRow = (bytes: Uint8Array): readonly [record: unknown, order: number] =>
  JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8")) as [
    unknown,
    number
  ]

/** A row read back, with its order, as the year sums count it. */
export const entityOf = (row: EntityRows.Row, order: number): YearSums.Entity =>
  ({
    model: modelOf[row.model],
    tenant: row.tenant,
    id: row.id,
    record: row.record,
    order
  }) as YearSums.Entity

/** A request's grant filter, unless it has none or an empty one. */
export const grantsOf = (request: PersistedFigures.FigureRequest) =>
  GrantFilter.isEmpty(request.grants) ? undefined : request.grants

/** The sums a request reads: its year under its grant filter. */
export const sumsKeyOf = (request: PersistedFigures.FigureRequest): string => {
  const grants = grantsOf(request)
  const given: Record<string, string> = {}
  for (const [k, v] of Object.entries(grants ?? {})) if (typeof v === "string") given[k] = v
  return CanonicalJson.canonicalize({
    year: request.year,
    ...(grants === undefined ? {} : { grants: given })
  })
}

/** The year and grant filter of a sums key (see {@link sumsKeyOf}). */
export const sumsAsked = (
  sumsKey: string
): { readonly year: number; readonly grants?: GrantFilter.GrantFilter } =>
  JSON.parse(sumsKey) as { year: number; grants?: GrantFilter.GrantFilter }

/** The sums a header keeps under a key its requests asked for. */
export const sumsIn = (header: Header, sumsKey: string): YearSums.Sums =>
  header.sums.find(([k]) => k === sumsKey)?.[1] as YearSums.Sums

/** A header from its bytes, or `undefined` when they cannot be read. */
export const readHeader = (bytes: Uint8Array): Header | undefined => {
  try {
    return deserialize(bytes) as Header
  } catch {
    return undefined
  }
}

/**
 * Where a catch-up stands: a header as of a log position, tied to the log by the hash of the
 * event before it ("" at position 0).
 */
export interface At {
  readonly header: Header
  /** The parts read whole, as of the position: each round of a fold starts from a copy. */
  readonly whole: EntityRows.Whole
  readonly position: number
  readonly hash: string
}

/**
 * The header of rows built from zero: no entity yet, the parts read whole as an empty log leaves
 * them, and empty sums for every (year, grant filter) to keep.
 */
export const zero = (sumsKeys: ReadonlyArray<string>): At => {
  const whole = EntityRows.split(ReadModels.projection.initialState()).whole
  const header: Header = {
    whole: serialize(whole),
    tenants: Object.fromEntries(EntityRows.models.map((m) => [m, []])) as unknown as Header["tenants"],
    sums: sumsKeys.map((k) => [k, YearSums.empty()] as const)
  }
  return { header, whole, position: 0, hash: "" }
}
