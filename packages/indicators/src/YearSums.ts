/**
 * Year figures as sums of per-entity contributions (ADR 0046, step 2): the pure layer under
 * entity rows. Every entity of the read models (an application, a budget, a membership, an
 * agreement, a trip) contributes a small record of integer sums to a year; the sums of all
 * entities, with the few models every indicator reads whole, give exactly the values
 * `Indicator.computeAll` gives. A catch-up that touches an entity moves the sums by
 * `contribution(after) − contribution(before)`, so it costs what the change costs, not the log.
 *
 * **Details**
 *
 * - **A group.** {@link Sums} is a map of integer sums by namespace and key; {@link add} adds or
 *   subtracts a contribution and drops a key that returns to 0, so a key never seen and a key back
 *   at 0 are the same map, and `finish` reads presence only from non-zero counts.
 * - **Exact.** Counts, öre and jobs are integers in the events. CO2e is any finite number of kg in
 *   the events (`Co2eKg` bounds neither its decimals nor its digits), so a trip's CO2e is split
 *   into exact base-10⁹ chunks per decimal scale; `finish` adds them as a `bigint` decimal. Rates,
 *   ratios and largest-remainder shares are computed only in `finish`, from the sums.
 * - **Order.** Two breakdowns list keys in the order `compute` first meets them (a scheme's
 *   categories among the year's grants, an actor's goals outside its scheme among trips,
 *   agreements and projects). The sums keep, per such key, a count per position of the entities
 *   that carry it (the entity's {@link Entity.order}): the first one is the least position with a
 *   count, which subtracting keeps exact. These are the only sums that grow with the entities.
 * - **Whole.** The registry (labels, a goal scheme's categories), the organisations' focus areas
 *   and the budgets are read whole at `finish` ({@link Whole}): labels and focus areas are
 *   joined there, so re-registering an organisation moves no sum; the frame of a year is the
 *   last framed budget in the state's order, which no sum can say (a tenant has one budget per
 *   region and year: a few rows).
 * - **Key.** The sums of a (time filter, tenant, year, grant filter) are one figure: `asOf`,
 *   `knownAt` and a grant filter select the state (the sums of a filtered state, see
 *   `GrantFilter.apply`), the tenant and the year select the entities. `goalsSchemeId` and
 *   `actorId` are NOT part of the key: the sums are kept per scheme and per actor, `finish` picks.
 *
 * @since 0.3.0
 */
import { Decimal } from "@utblick/core"
import {
  type Agreements,
  type FundingPortfolio,
  Memberships,
  type ReadModels,
  type Trips
} from "@utblick/projections"
import type { Context } from "./Definition.js"
import * as GrantFilter from "./GrantFilter.js"
import { S, type Sums, type Whole } from "./internal/sumsShape.js"

export { finish, type Summed, summed } from "./internal/finishSums.js"
export type { Sums, Whole } from "./internal/sumsShape.js"
export { valueAt } from "./internal/sumsShape.js"

/**
 * One entity of the read models, as a row would hold it: its model, tenant, id, record, and its
 * position in the state's order (tenants in the order first seen, then entities in the order
 * first seen; a new entity comes after every other). Entities are never removed, so the order of
 * an entity never changes.
 *
 * @category models
 * @since 0.3.0
 */
export type Entity =
  | EntityOf<"application", FundingPortfolio.ApplicationRecord>
  | EntityOf<"budget", FundingPortfolio.BudgetRecord>
  | EntityOf<"membership", Memberships.MembershipRecord>
  | EntityOf<"agreement", Agreements.AgreementRecord>
  | EntityOf<"trip", Trips.TripRecord>

/**
 * An entity of one model.
 *
 * @category models
 * @since 0.3.0
 */
export interface EntityOf<M extends string, R> {
  readonly model: M
  readonly tenant: string
  readonly id: string
  readonly record: R
  /** `tenant position × 2³² + position in the tenant`, both in the state's order. */
  readonly order: number
}

/**
 * The entity models, in the order {@link entities} lists them.
 *
 * @category models
 * @since 0.3.0
 */
export type Model = Entity["model"]

/**
 * The whole part of a state (under a grant filter: without budgets).
 *
 * @category constructors
 * @since 0.3.0
 */
export const wholeOf = (state: ReadModels.ReadModelsState, grants?: GrantFilter.GrantFilter): Whole => ({
  registry: state.registry,
  organisations: state.memberships.organisations,
  // A grant filter leaves the budgets out, as `GrantFilter.apply` does.
  budgets: GrantFilter.isEmpty(grants) ? state.portfolio.budgets : new Map()
})

const TENANT_STRIDE = 2 ** 32

function* entitiesOfModel<M extends Model, R>(
  model: M,
  index: Map<string, Map<string, R>>,
  tenant: string | undefined
): Generator<EntityOf<M, R>> {
  let t = 0
  for (const [name, ofTenant] of index) {
    if (tenant === undefined || name === tenant) {
      let i = 0
      for (const [id, record] of ofTenant) {
        yield { model, tenant: name, id, record, order: t * TENANT_STRIDE + i }
        i += 1
      }
    }
    t += 1
  }
}

/**
 * Every entity of a state (of one tenant, or of every tenant), model by model.
 *
 * @category constructors
 * @since 0.3.0
 */
export function* entities(state: ReadModels.ReadModelsState, tenant?: string): Generator<Entity> {
  yield* entitiesOfModel("application", state.portfolio.applications, tenant)
  yield* entitiesOfModel("budget", state.portfolio.budgets, tenant)
  yield* entitiesOfModel("membership", state.memberships.memberships, tenant)
  yield* entitiesOfModel("agreement", state.agreements.agreements, tenant)
  yield* entitiesOfModel("trip", state.trips.trips, tenant)
}

/**
 * One entity of a state by model, tenant and id, with its order (`undefined` when absent). It
 * finds the order by walking the tenant's entities, so it is for tests and tools; rows of a
 * store keep the order beside the record.
 *
 * @category getters
 * @since 0.3.0
 */
export const entityOf = (
  state: ReadModels.ReadModelsState,
  model: Model,
  tenant: string,
  id: string
): Entity | undefined => {
  const index: Map<string, Map<string, unknown>> = model === "application"
    ? state.portfolio.applications
    : model === "budget"
      ? state.portfolio.budgets
      : model === "membership"
        ? state.memberships.memberships
        : model === "agreement"
          ? state.agreements.agreements
          : state.trips.trips
  let t = 0
  for (const [name, ofTenant] of index) {
    if (name === tenant) {
      if (!ofTenant.has(id)) return undefined
      let i = 0
      for (const key of ofTenant.keys()) {
        if (key === id)
          return { model, tenant, id, record: ofTenant.get(id), order: t * TENANT_STRIDE + i } as Entity
        i += 1
      }
    }
    t += 1
  }
  return undefined
}

/**
 * The entity an event names, by the ids the read models route it by: `undefined` for the events
 * that change only the whole models (the registry; an organisation's focus area). A catch-up
 * moves the sums by the entities its new events name (a superset of those that changed: an
 * entity named but unchanged moves nothing).
 *
 * @category getters
 * @since 0.3.0
 */
export const entityNamed = (
  type: string,
  payload: Readonly<Record<string, unknown>>,
  tenant: string
): { readonly model: Model; readonly tenant: string; readonly id: string } | undefined => {
  if (type === "AppropriationAllotted" || type === "AllocationFramed")
    return { model: "budget", tenant, id: `${String(payload["regionId"])}|${String(payload["year"])}` }
  if (typeof payload["applicationId"] === "string")
    return { model: "application", tenant, id: payload["applicationId"] }
  if (type.startsWith("Membership"))
    return {
      model: "membership",
      tenant,
      id: `${String(payload["actorId"])}|${String(payload["organisationId"])}`
    }
  if (type.startsWith("Agreement")) return { model: "agreement", tenant, id: String(payload["agreementId"]) }
  if (type.startsWith("Trip")) return { model: "trip", tenant, id: String(payload["tripId"]) }
  return undefined
}

const pad = (order: number): string => String(order).padStart(16, "0")

const CHUNK = 1_000_000_000n

// Emits kilograms as exact base-10⁹ chunks per decimal scale: namespace, scale → chunk.
const emitKg = (emit: Emit, namespace: string, kg: number) => {
  if (kg === 0) return
  let { digits, scale } = Decimal.exactDecimal(kg)
  while (digits !== 0n) {
    const chunk = digits % CHUNK
    if (chunk !== 0n) emit(namespace, String(scale), Number(chunk))
    digits /= CHUNK
    scale -= 9
  }
}

/**
 * Where a contribution goes: one call per (namespace, key, integer); the key is `""` in a
 * namespace of one sum.
 *
 * @category models
 * @since 0.3.0
 */
export type Emit = (namespace: string, key: string, n: number) => void

const applicationYear = (a: FundingPortfolio.ApplicationRecord, year: number, order: number, emit: Emit) => {
  const i = a.instrument
  if (a.receivedOn !== null && Number(a.receivedOn.slice(0, 4)) === year) emit("app", i, 1)
  if (a.rejection !== null && Number(a.rejection.decidedOn.slice(0, 4)) === year) emit("rej", i, 1)
  const g = a.grant
  if (g === null || g.year !== year) return
  emit("grant", i, 1)
  emit("amount", i, g.amount)
  if (i === "business-support") {
    if (g.leadership !== null) emit("lead", g.leadership, 1)
    emit("jobs-women", "", g.expectedJobsWomen)
    emit("jobs-men", "", g.expectedJobsMen)
    emit("investment", "", g.investment)
    if (g.euSource !== null) {
      const rate = g.euRatePercent ?? 0
      emit("eu", "", 1)
      emit("eu-rate", "", rate)
      // Rounded per grant, as the indicator rounds it: the sum of integers stays exact.
      emit("eu-ore", "", Math.round((g.amount * rate) / 100))
      emit("eu-source", g.euSource, 1)
    }
  }
  if (i === "project-support") {
    if (g.mainPurpose !== null && g.mainPurpose !== "other") emit("purpose", g.mainPurpose, 1)
    const schemes = new Set<string>()
    for (const c of [...g.priorityCodes, ...g.smartSpecialisationCodes]) schemes.add(c.schemeId)
    for (const scheme of schemes) {
      const code = (
        g.priorityCodes.find((c) => c.schemeId === scheme) ??
        g.smartSpecialisationCodes.find((c) => c.schemeId === scheme)
      )?.code as string
      emit("cat", `${scheme}${S}${code}`, 1)
      emit("cat-amount", `${scheme}${S}${code}`, g.amount)
      emit(`cat-first${S}${scheme}${S}${code}`, pad(order), 1)
    }
    goalItem(g.priorityCodes, `2${S}${pad(order)}`, emit)
  }
}

// One item of goal coverage: counted, and per scheme covered once and once per distinct code.
const goalItem = (
  refs: ReadonlyArray<{ readonly schemeId: string; readonly code: string }>,
  position: string,
  emit: Emit
) => {
  emit("goal-items", "", 1)
  const bySchemes = new Map<string, Set<string>>()
  for (const r of refs) {
    const codes = bySchemes.get(r.schemeId) ?? new Set()
    codes.add(r.code)
    bySchemes.set(r.schemeId, codes)
  }
  for (const [scheme, codes] of bySchemes) {
    emit("goal-covered", scheme, 1)
    let k = 0
    for (const code of codes) {
      emit("goal", `${scheme}${S}${code}`, 1)
      emit(`goal-first${S}${scheme}${S}${code}`, `${String(k).padStart(4, "0")}${S}${position}`, 1)
      k += 1
    }
  }
}

/**
 * Adds the contribution of one entity to a year into `emit` (namespace, key, integer). The
 * namespaces (keys after the colon, parts joined by U+001F):
 *
 * - applications: `app`, `rej`, `grant`, `amount`: instrument (received, rejected, granted in
 *   the year, granted öre); of business support `lead`: leadership, `jobs-women`, `jobs-men`,
 *   `investment`, `eu`, `eu-rate`, `eu-ore`, `eu-source`: source; of project support `purpose`:
 *   main purpose, `cat` and `cat-amount`: scheme, code, `cat-first|scheme|code`: the grant's
 *   order, and a goal item;
 * - budgets: nothing (read whole);
 * - memberships (the state at the filter's end, whatever the year): active proper ones
 *   `member`: actor, organisation; of them those dated by their record `undated`: actor, date;
 *   other active relations `relation`: actor, kind;
 * - agreements (likewise): `agreement`: kind, status; a goal item when active or intended;
 * - trips departing in the year: `trip`: each count of `Trips.TripTotals`, `mode`: mode, CO2e
 *   chunks `co2e`: scale and `mode-co2e|mode`: scale, and a goal item;
 * - a goal item: `goal-items`, `goal-covered`: scheme, `goal`: scheme, code,
 *   `goal-first|scheme|code`: the code's place in the item and the item's position.
 *
 * Under a grant filter an application that does not match it contributes nothing: the sums are
 * those of the filtered state, with every entity keeping its order in the whole state (so the
 * order of an entity does not move when another tenant's first matching grant arrives).
 *
 * @category contributions
 * @since 0.3.0
 */
export const contribute = (
  entity: Entity,
  year: number,
  emit: Emit,
  grants?: GrantFilter.GrantFilter
): void => {
  switch (entity.model) {
    case "application":
      if (grants !== undefined && !GrantFilter.isEmpty(grants) && !GrantFilter.matches(grants, entity.record))
        return
      applicationYear(entity.record, year, entity.order, emit)
      return
    case "budget":
      return
    case "membership": {
      const m = entity.record
      if (!m.active) return
      if (Memberships.PROPER.includes(m.kind)) {
        emit("member", `${m.actorId}${S}${m.organisationId}`, 1)
        if (m.sincePrecision === "recorded") emit("undated", `${m.actorId}${S}${m.since}`, 1)
      } else emit("relation", `${m.actorId}${S}${m.kind}`, 1)
      return
    }
    case "agreement": {
      const a = entity.record
      emit("agreement", `${a.kind}${S}${a.status}`, 1)
      if (a.status === "active" || a.status === "intended")
        goalItem(
          a.priorityAreas.flatMap((p) => (p.ref === undefined ? [] : [p.ref])),
          `1${S}${pad(entity.order)}${S}${a.title}`,
          emit
        )
      return
    }
    case "trip": {
      const t = entity.record
      if (t.year !== year) return
      emit("trip", "proposed", 1)
      if (t.decision !== null) emit("trip", "evaluated", 1)
      if (t.decision === "approved") emit("trip", "approved", 1)
      if (t.decision === "replaced-by-digital") emit("trip", "replacedByDigital", 1)
      if (t.decision === "declined") emit("trip", "declined", 1)
      if (t.status === "completed") emit("trip", "completed", 1)
      if (t.status === "cancelled") emit("trip", "cancelled", 1)
      const mode = t.mode ?? "not evaluated"
      emit("mode", mode, 1)
      emitKg(emit, "co2e", t.co2eKg)
      emitKg(emit, `mode-co2e${S}${mode}`, t.co2eKg)
      goalItem(t.goalRefs, `0${S}${t.departOn}${S}${t.tripId}`, emit)
      return
    }
  }
}

/**
 * An empty {@link Sums}.
 *
 * @category constructors
 * @since 0.3.0
 */
export const empty = (): Sums => new Map()

/**
 * Adds `n` to `key` of `namespace` in `sums` (in place), dropping the key when it returns to 0
 * and the namespace when it has no key left.
 *
 * @category combinators
 * @since 0.3.0
 */
export const addTo = (sums: Sums, namespace: string, key: string, n: number): void => {
  if (n === 0) return
  let keys = sums.get(namespace)
  if (keys === undefined) {
    keys = new Map()
    sums.set(namespace, keys)
  }
  const next = (keys.get(key) ?? 0) + n
  if (next !== 0) keys.set(key, next)
  else {
    keys.delete(key)
    if (keys.size === 0) sums.delete(namespace)
  }
}

/**
 * Every sum as one flat `[namespace␟key, n]` (just the namespace when the key is `""`), in key
 * order: for comparing and showing sums.
 *
 * @category getters
 * @since 0.3.0
 */
export const entries = (sums: Sums): Array<readonly [string, number]> => {
  const out: Array<readonly [string, number]> = []
  for (const [namespace, keys] of sums)
    for (const [key, n] of keys) out.push([key === "" ? namespace : `${namespace}${S}${key}`, n])
  return out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
}

/**
 * A copy of `sums` that moving does not share.
 *
 * @category constructors
 * @since 0.3.0
 */
export const copy = (sums: Sums): Sums =>
  new Map([...sums].map(([namespace, keys]) => [namespace, new Map(keys)]))

/**
 * The contribution of one entity to a year, as sums.
 *
 * @category contributions
 * @since 0.3.0
 */
export const contribution = (entity: Entity, year: number, grants?: GrantFilter.GrantFilter): Sums => {
  const sums = empty()
  contribute(entity, year, (namespace, key, n) => addTo(sums, namespace, key, n), grants)
  return sums
}

/**
 * Adds `other` times `sign` into `sums` (in place) and returns `sums`: `sign` −1 subtracts, so
 * `add(add(s, after), before, -1)` moves `s` by an entity's change.
 *
 * @category combinators
 * @since 0.3.0
 */
export const add = (sums: Sums, other: Sums, sign: 1 | -1 = 1): Sums => {
  for (const [namespace, keys] of other) for (const [key, n] of keys) addTo(sums, namespace, key, sign * n)
  return sums
}

/**
 * Moves `sums` (in place) by one entity's change: `+ contribution(after) − contribution(before)`;
 * `undefined` is an entity that did not exist.
 *
 * @category combinators
 * @since 0.3.0
 */
export const move = (
  sums: Sums,
  year: number,
  before: Entity | undefined,
  after: Entity | undefined,
  grants?: GrantFilter.GrantFilter
): Sums => {
  if (after !== undefined)
    contribute(after, year, (namespace, key, n) => addTo(sums, namespace, key, n), grants)
  if (before !== undefined)
    contribute(before, year, (namespace, key, n) => addTo(sums, namespace, key, -n), grants)
  return sums
}

/**
 * The sums of a year over every entity of a state (of the context's tenant, or of every tenant),
 * under a grant filter those of `GrantFilter.apply(state, grants)`.
 *
 * @category constructors
 * @since 0.3.0
 */
export const sumsOf = (
  state: ReadModels.ReadModelsState,
  context: Pick<Context, "year" | "tenant">,
  grants?: GrantFilter.GrantFilter
): Sums => {
  const sums = empty()
  const emit: Emit = (namespace, key, n) => addTo(sums, namespace, key, n)
  for (const e of entities(state, context.tenant)) contribute(e, context.year, emit, grants)
  return sums
}
