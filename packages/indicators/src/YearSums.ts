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
import {
  type Agreements,
  type FundingPortfolio,
  Memberships,
  type ReadModels,
  RegistryModel,
  type Trips
} from "@utblick/projections"
import type { Context, Definition, IndicatorValue, Row } from "./Definition.js"
import * as GrantFilter from "./GrantFilter.js"
import * as Indicator from "./Indicator.js"
import { instrumentLabels, shareRows, value } from "./internal/value.js"
import * as Share from "./Share.js"

/**
 * The integer sums of a year: namespace → key → non-zero integer (see {@link contribute} for
 * the namespaces). A key at 0 is absent, and so is a namespace without keys. Two levels so that
 * an indicator reads only its own namespaces, and the large ones (the first-seen positions, one
 * per (scheme, code)) can be read or stored apart.
 *
 * @category models
 * @since 0.3.0
 */
export type Sums = Map<string, Map<string, number>>

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
 * What `finish` reads whole: the registry, the organisations' focus areas and the budgets.
 *
 * @category models
 * @since 0.3.0
 */
export interface Whole {
  readonly registry: RegistryModel.RegistryState
  readonly organisations: Memberships.MembershipsState["organisations"]
  readonly budgets: FundingPortfolio.PortfolioState["budgets"]
}

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

// The separator of key parts: ids do not contain control characters.
const S = "\u001f"

const pad = (order: number): string => String(order).padStart(16, "0")

// A finite number as exact decimal digits over 10^scale (from its shortest round-trip text,
// which is the decimal a person reads), as `Share` reads numbers.
const exactDecimal = (x: number): { readonly digits: bigint; readonly scale: number } => {
  const [mantissa, exponentText] = String(x).toLowerCase().split("e") as [string, string | undefined]
  const exponent = exponentText === undefined ? 0 : Number(exponentText)
  const [int, frac = ""] = mantissa.split(".") as [string, string | undefined]
  let digits = BigInt(`${int}${frac}`)
  let scale = frac.length - exponent
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale)
    scale = 0
  }
  return { digits, scale }
}

const CHUNK = 1_000_000_000n

// Emits kilograms as exact base-10⁹ chunks per decimal scale: namespace, scale → chunk.
const emitKg = (emit: Emit, namespace: string, kg: number) => {
  if (kg === 0) return
  let { digits, scale } = exactDecimal(kg)
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
 * One sum (0 when absent).
 *
 * @category getters
 * @since 0.3.0
 */
export const valueAt = (sums: Sums, namespace: string, key = ""): number => sums.get(namespace)?.get(key) ?? 0

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

// --- finish --------------------------------------------------------------------------------------

type Read = Sums

const get = (sums: Read, namespace: string, key = ""): number => valueAt(sums, namespace, key)

// Every key of a namespace, as its parts and value.
const under = (sums: Read, namespace: string): Array<readonly [ReadonlyArray<string>, number]> => {
  const out: Array<readonly [ReadonlyArray<string>, number]> = []
  for (const [key, n] of sums.get(namespace) ?? []) out.push([key.split(S), n])
  return out
}

// The kilograms of a namespace of chunks as the nearest number (exact sum, one rounding).
const kgOf = (sums: Read, namespace: string): number => {
  const parts = under(sums, namespace).map(([[scale = "0"], n]) => [BigInt(n), Number(scale)] as const)
  const top = parts.reduce((m, [, scale]) => Math.max(m, scale), 0)
  let total = 0n
  for (const [n, scale] of parts) total += n * 10n ** BigInt(top - scale)
  return Number(`${total}e-${top}`)
}

const instruments: ReadonlyArray<FundingPortfolio.Instrument> = [
  "project-support",
  "business-support",
  "commercial-service"
]

// The year's appropriation and frame, read from the budgets as `FundingPortfolio.yearOverview`
// reads them (the last framed budget of the year in the state's order).
const budgetOf = (whole: Whole, context: Context) => {
  let appropriation = 0
  let frame: FundingPortfolio.BudgetRecord["frame"] = null
  for (const [tenant, ofTenant] of whole.budgets) {
    if (context.tenant !== undefined && tenant !== context.tenant) continue
    for (const b of ofTenant.values()) {
      if (b.year === context.year) {
        appropriation += b.appropriation
        frame = b.frame ?? frame
      }
    }
  }
  return { appropriation, frame }
}

const bySwedishTitle = new Intl.Collator("sv")

// Orders two goal positions as goal coverage meets its items: trips by departure and id, then
// agreements by Swedish title (ties in the state's order), then projects in the state's order.
const comparePosition = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): number => {
  const [ka = "", ga = "", xa = "", ya = ""] = a
  const [kb = "", gb = "", xb = "", yb = ""] = b
  if (ga !== gb) return ga < gb ? -1 : 1
  let c = 0
  if (ga === "0") c = xa < xb ? -1 : xa > xb ? 1 : ya < yb ? -1 : ya > yb ? 1 : 0
  else if (ga === "1") c = bySwedishTitle.compare(ya, yb) || (xa < xb ? -1 : xa > xb ? 1 : 0)
  else c = xa < xb ? -1 : xa > xb ? 1 : 0
  if (c !== 0) return c
  return ka < kb ? -1 : ka > kb ? 1 : 0
}

type Finish = (sums: Read, whole: Whole, context: Context) => ReadonlyArray<IndicatorValue>

/**
 * How one indicator is finished from the sums.
 *
 * @category models
 * @since 0.3.0
 */
export interface Summed {
  readonly definition: Definition
  /** The indicator's values, equal to `definition.compute` over the state the sums are of. */
  readonly finish: (sums: Sums, whole: Whole, context: Context) => ReadonlyArray<IndicatorValue>
}

const approvalRate: Finish = (sums, _whole, context) => {
  const applications = get(sums, "app", "business-support")
  const granted = get(sums, "grant", "business-support")
  const rejected = get(sums, "rej", "business-support")
  const decided = granted + rejected
  if (applications === 0 && decided === 0) return []
  return [
    value(Indicator.approvalRate, context, Share.percent(granted, decided), {
      numerator: granted,
      denominator: decided,
      rowUnit: "count",
      breakdown: [
        { key: "applications", label: "Applications received", value: applications },
        { key: "granted", label: "Granted (bifallna)", value: granted },
        { key: "rejected", label: "Rejected (avslagna)", value: rejected }
      ]
    })
  ]
}

const grantedByInstrument: Finish = (sums, whole, context) => {
  const amounts = Object.fromEntries(instruments.map((i) => [i, get(sums, "amount", i)]))
  let decisions = 0
  for (const i of instruments) decisions += get(sums, "app", i) + get(sums, "grant", i) + get(sums, "rej", i)
  const { appropriation, frame } = budgetOf(whole, context)
  if (appropriation === 0 && frame === null && decisions === 0) return []
  const total = instruments.reduce((n, i) => n + get(sums, "amount", i), 0)
  return [
    value(Indicator.grantedByInstrument, context, total, {
      rowUnit: "percent",
      breakdown: shareRows(amounts, (k) => instrumentLabels[k] ?? k)
    })
  ]
}

// The two frame indicators read no sum: the year's frame is the last framed budget.
const allocationByInstrument: Finish = (_sums, whole, context) => {
  const { frame } = budgetOf(whole, context)
  if (frame === null) return []
  const amounts = {
    "project-support": frame.projectSupport,
    "business-support": frame.businessSupport,
    "commercial-service": frame.commercialService
  }
  return [
    value(
      Indicator.allocationByInstrument,
      context,
      frame.projectSupport + frame.businessSupport + frame.commercialService,
      { rowUnit: "whole-percent", breakdown: shareRows(amounts, (k) => instrumentLabels[k] ?? k, 0) }
    )
  ]
}

const allocationByPriority: Finish = (_sums, whole, context) => {
  const { frame } = budgetOf(whole, context)
  if (frame === null) return []
  const bySchemes = new Map<string, Record<string, number>>()
  for (const p of frame.byPriority) {
    const amounts = bySchemes.get(p.ref.schemeId) ?? {}
    amounts[p.ref.code] = (amounts[p.ref.code] ?? 0) + p.amount
    bySchemes.set(p.ref.schemeId, amounts)
  }
  return [...bySchemes].map(([scheme, amounts]) =>
    value(
      Indicator.allocationByPriority,
      context,
      Object.values(amounts).reduce((a, b) => a + b, 0),
      {
        scheme,
        rowUnit: "percent",
        breakdown: shareRows(amounts, (k) => RegistryModel.categoryLabel(whole.registry, scheme, k))
      }
    )
  )
}

const grantedByCategory: Finish = (sums, whole, context) => {
  const codes = new Map<string, Map<string, number>>()
  for (const [[scheme = "", code = ""], n] of under(sums, "cat")) {
    if (n <= 0) continue
    const ofScheme = codes.get(scheme) ?? new Map<string, number>()
    ofScheme.set(code, get(sums, "cat-amount", `${scheme}${S}${code}`))
    codes.set(scheme, ofScheme)
  }
  // The first grant (in the state's order) that carries each code: its least position.
  const first = new Map<string, string>()
  for (const [scheme, ofScheme] of codes) {
    for (const code of ofScheme.keys()) {
      let least: string | undefined
      for (const order of sums.get(`cat-first${S}${scheme}${S}${code}`)?.keys() ?? [])
        if (least === undefined || order < least) least = order
      first.set(`${scheme}${S}${code}`, least ?? "")
    }
  }
  const total = get(sums, "amount", "project-support")
  return [...codes.keys()].sort().map((scheme) => {
    const ofScheme = codes.get(scheme) as Map<string, number>
    const ordered = [...ofScheme.keys()].sort((a, b) => {
      const x = first.get(`${scheme}${S}${a}`) ?? ""
      const y = first.get(`${scheme}${S}${b}`) ?? ""
      return x < y ? -1 : x > y ? 1 : 0
    })
    const amounts: Record<string, number> = {}
    let classified = 0
    for (const code of ordered) {
      amounts[code] = ofScheme.get(code) as number
      classified += ofScheme.get(code) as number
    }
    if (total - classified > 0) amounts["unclassified"] = total - classified
    return value(Indicator.grantedByCategory, context, total, {
      scheme,
      rowUnit: "percent",
      breakdown: shareRows(amounts, (k) =>
        k === "unclassified"
          ? "Not classified in this scheme"
          : RegistryModel.categoryLabel(whole.registry, scheme, k)
      )
    })
  })
}

const leadershipShares: Finish = (sums, _whole, context) => {
  const grants = get(sums, "grant", "business-support")
  if (grants === 0) return []
  const counts: Record<string, number> = {
    woman: get(sums, "lead", "woman"),
    man: get(sums, "lead", "man"),
    shared: get(sums, "lead", "shared")
  }
  const labels: Record<string, string> = {
    woman: "Led by a woman",
    man: "Led by a man",
    shared: "Shared leadership"
  }
  return [
    value(Indicator.leadershipShares, context, grants, {
      rowUnit: "whole-percent",
      breakdown: shareRows(counts, (k) => labels[k] ?? k, 0)
    })
  ]
}

const expectedJobs: Finish = (sums, _whole, context) => {
  if (get(sums, "grant", "business-support") === 0) return []
  const women = get(sums, "jobs-women")
  const men = get(sums, "jobs-men")
  const granted = get(sums, "amount", "business-support")
  return [
    value(Indicator.expectedJobs, context, women + men, {
      breakdown: [
        { key: "women", label: "Jobs for women", value: women },
        { key: "men", label: "Jobs for men", value: men },
        {
          key: "women-share",
          label: "Women's share",
          value: Share.percent(women, women + men),
          unit: "percent"
        },
        {
          key: "per-mkr",
          label: "Jobs per mkr granted",
          value: Share.ratio((women + men) * 100_000_000, granted),
          unit: "ratio"
        }
      ]
    })
  ]
}

const investmentLeverage: Finish = (sums, _whole, context) => {
  const grants = get(sums, "grant", "business-support")
  if (grants === 0) return []
  const investment = get(sums, "investment")
  const granted = get(sums, "amount", "business-support")
  return [
    value(Indicator.investmentLeverage, context, Share.ratio(investment, granted), {
      numerator: investment,
      denominator: granted,
      rowUnit: "ore",
      breakdown: [
        { key: "granted", label: "Granted", value: granted },
        { key: "investment", label: "Investment", value: investment },
        { key: "average-grant", label: "Average grant", value: Share.roundQuotient(granted, grants, 0) }
      ]
    })
  ]
}

const euCoFinancing: Finish = (sums, _whole, context) => {
  const cofinanced = get(sums, "eu")
  if (cofinanced === 0) return []
  const grants = get(sums, "grant", "business-support")
  const granted = get(sums, "amount", "business-support")
  const euOre = get(sums, "eu-ore")
  const bySource: Record<string, number> = {}
  for (const [[source = ""], n] of under(sums, "eu-source")) bySource[source] = n
  return [
    value(Indicator.euCoFinancing, context, Share.percent(cofinanced, grants), {
      numerator: cofinanced,
      denominator: grants,
      breakdown: [
        { key: "decisions", label: "Co-financed decisions", value: cofinanced, unit: "count" },
        {
          key: "equivalents",
          label: "Decision-equivalents (Σ rate)",
          value: get(sums, "eu-rate") / 100,
          unit: "count"
        },
        {
          key: "eu-share-of-money",
          label: "EU share of granted money",
          value: Share.percent(euOre, granted),
          unit: "percent"
        },
        {
          key: "leverage",
          label: "Support per krona of own money",
          value: Share.ratio(granted, granted - euOre),
          unit: "ratio"
        },
        ...Object.entries(bySource)
          .sort()
          .map(([source, n]) => ({
            key: `source:${source}`,
            label: `Decisions via ${source}`,
            value: n,
            unit: "count" as const
          }))
      ]
    })
  ]
}

const projectsByMainPurpose: Finish = (sums, _whole, context) => {
  if (get(sums, "grant", "project-support") === 0) return []
  const counts: Record<string, number> = {
    "gender-equality": get(sums, "purpose", "gender-equality"),
    diversity: get(sums, "purpose", "diversity"),
    environment: get(sums, "purpose", "environment")
  }
  const labels: Record<string, string> = {
    "gender-equality": "Gender equality (jämställdhet)",
    diversity: "Diversity (mångfald)",
    environment: "Environment (miljö)"
  }
  return [
    value(
      Indicator.projectsByMainPurpose,
      context,
      (counts["gender-equality"] as number) +
        (counts["diversity"] as number) +
        (counts["environment"] as number),
      { breakdown: Object.entries(counts).map(([key, n]) => ({ key, label: labels[key] ?? key, value: n })) }
    )
  ]
}

const activeMemberships: Finish = (sums, whole, context) => {
  const ofActor = (actor: string) => context.actorId === undefined || actor === context.actorId
  // Focus areas are joined here: re-registering an organisation moves no membership sum.
  const counts: Record<string, number> = { "regional-arctic": 0, eu: 0, other: 0 }
  let total = 0
  for (const [[actor = "", organisation = ""], n] of under(sums, "member")) {
    if (!ofActor(actor)) continue
    const focusArea = whole.organisations.get(organisation)?.focusArea ?? "unknown"
    counts[focusArea] = (counts[focusArea] ?? 0) + n
    total += n
  }
  const others: Record<string, number> = {}
  for (const [[actor = "", kind = ""], n] of under(sums, "relation"))
    if (ofActor(actor)) others[kind] = (others[kind] ?? 0) + n
  if (total === 0 && Object.keys(others).length === 0) return []
  const labels: Record<string, string> = { "regional-arctic": "Regional / Arctic", eu: "EU", other: "Other" }
  let undated = 0
  const dates = new Set<string>()
  for (const [[actor = "", on = ""], n] of under(sums, "undated")) {
    if (!ofActor(actor)) continue
    undated += n
    dates.add(on)
  }
  const evidence = [...dates].sort()
  return [
    value(Indicator.activeMemberships, context, total, {
      breakdown: [
        ...Object.entries(counts).map(([key, n]) => ({ key, label: labels[key] ?? key, value: n })),
        {
          key: "join-date-unknown",
          label:
            evidence.length === 0
              ? "Of which join date unknown"
              : `Of which join date unknown (first documented ${evidence.join(", ")})`,
          value: undated
        },
        ...Object.entries(others)
          .sort()
          .map(([kind, n]) => ({ key: `relation:${kind}`, label: `Other relations: ${kind}`, value: n }))
      ]
    })
  ]
}

const STATUSES: ReadonlyArray<Agreements.AgreementStatus> = ["intended", "active", "dormant", "ended"]

const agreementsByStatus: Finish = (sums, _whole, context) => {
  const counts: Record<string, Record<string, number>> = {}
  for (const [[kind = "", status = ""], n] of under(sums, "agreement")) {
    const byStatus = counts[kind] ?? { intended: 0, active: 0, dormant: 0, ended: 0 }
    byStatus[status] = n
    counts[kind] = byStatus
  }
  const rows: Array<Row> = []
  let total = 0
  for (const [kind, byStatus] of Object.entries(counts).sort()) {
    for (const status of STATUSES) {
      const n = byStatus[status] as number
      if (n > 0) rows.push({ key: `${kind}:${status}`, label: `${kind}, ${status}`, value: n })
      total += n
    }
  }
  return rows.length === 0 ? [] : [value(Indicator.agreementsByStatus, context, total, { breakdown: rows })]
}

const trip = (sums: Read, count: keyof Trips.TripTotals) => get(sums, "trip", count)

const tripsReplacedByDigital: Finish = (sums, _whole, context) => {
  if (trip(sums, "proposed") === 0) return []
  return [
    value(
      Indicator.tripsReplacedByDigital,
      context,
      Share.percent(trip(sums, "replacedByDigital"), trip(sums, "evaluated")),
      {
        numerator: trip(sums, "replacedByDigital"),
        denominator: trip(sums, "evaluated"),
        rowUnit: "count",
        breakdown: [
          { key: "proposed", label: "Proposed", value: trip(sums, "proposed") },
          { key: "approved", label: "Approved", value: trip(sums, "approved") },
          {
            key: "replaced-by-digital",
            label: "Replaced by digital meeting",
            value: trip(sums, "replacedByDigital")
          },
          { key: "declined", label: "Declined", value: trip(sums, "declined") },
          { key: "completed", label: "Completed", value: trip(sums, "completed") },
          { key: "cancelled", label: "Cancelled", value: trip(sums, "cancelled") }
        ]
      }
    )
  ]
}

const tripEmissions: Finish = (sums, _whole, context) => {
  if (trip(sums, "proposed") === 0) return []
  const co2e = kgOf(sums, "co2e")
  // Sorted as compute sorts its [mode, totals] entries (by their text).
  const modes = under(sums, "mode")
    .map(([[mode = ""]]) => [mode, {}] as const)
    .sort()
  return [
    value(Indicator.tripEmissions, context, Share.roundHalfUp(co2e, 1), {
      breakdown: [
        { key: "per-trip", label: "Per approved trip", value: Share.ratio(co2e, trip(sums, "approved"), 1) },
        ...modes.map(([mode]) => ({
          key: `mode:${mode}`,
          label: `By ${mode}`,
          value: Share.roundHalfUp(kgOf(sums, `mode-co2e${S}${mode}`), 1)
        }))
      ]
    })
  ]
}

const goalCoverage: Finish = (sums, whole, context) => {
  const scheme = context.goalsSchemeId
  if (scheme === undefined) return []
  const items = get(sums, "goal-items")
  if (items === 0) return []
  const perGoal: Record<string, number> = {}
  for (const c of whole.registry.schemes[scheme]?.categories ?? []) perGoal[c.code] = 0
  // Codes outside the scheme's categories follow in the order the items first carry them.
  const first = new Map<string, ReadonlyArray<string>>()
  for (const [[goalScheme = "", code = ""]] of under(sums, "goal")) {
    if (goalScheme !== scheme) continue
    for (const [position] of under(sums, `goal-first${S}${scheme}${S}${code}`)) {
      const seen = first.get(code)
      if (seen === undefined || comparePosition(position, seen) < 0) first.set(code, position)
    }
  }
  const codes = [...first.keys()].sort((a, b) =>
    comparePosition(first.get(a) as ReadonlyArray<string>, first.get(b) as ReadonlyArray<string>)
  )
  for (const code of codes) perGoal[code] = get(sums, "goal", `${scheme}${S}${code}`)
  const covered = get(sums, "goal-covered", scheme)
  return [
    value(Indicator.goalCoverage, context, Share.percent(covered, items), {
      scheme,
      numerator: covered,
      denominator: items,
      rowUnit: "count",
      breakdown: Object.entries(perGoal).map(([code, n]) => ({
        key: code,
        label: RegistryModel.categoryLabel(whole.registry, scheme, code),
        value: n
      }))
    })
  ]
}

const finishing: ReadonlyArray<readonly [Definition, Finish]> = [
  [Indicator.approvalRate, approvalRate],
  [Indicator.grantedByInstrument, grantedByInstrument],
  [Indicator.allocationByInstrument, allocationByInstrument],
  [Indicator.allocationByPriority, allocationByPriority],
  [Indicator.grantedByCategory, grantedByCategory],
  [Indicator.leadershipShares, leadershipShares],
  [Indicator.expectedJobs, expectedJobs],
  [Indicator.investmentLeverage, investmentLeverage],
  [Indicator.euCoFinancing, euCoFinancing],
  [Indicator.projectsByMainPurpose, projectsByMainPurpose],
  [Indicator.activeMemberships, activeMemberships],
  [Indicator.agreementsByStatus, agreementsByStatus],
  [Indicator.tripsReplacedByDigital, tripsReplacedByDigital],
  [Indicator.tripEmissions, tripEmissions],
  [Indicator.goalCoverage, goalCoverage]
]

const finishers = new Map(finishing.map(([definition, f]) => [definition.id, f]))

/**
 * How every indicator of `Indicator.definitions` is finished from the sums, by indicator id.
 *
 * @category definitions
 * @since 0.3.0
 */
export const summed: ReadonlyMap<string, Summed> = new Map(
  finishing.map(([definition, f]) => [
    definition.id,
    { definition, finish: (sums: Sums, whole: Whole, context: Context) => f(sums, whole, context) }
  ])
)

/**
 * Finishes the `selected` indicators (default: all) of the context's year from its sums and the
 * whole models, in the order given: what `Indicator.computeAll` gives over the state the sums
 * are of. An indicator without a finish is an error of the caller (every definition has one).
 *
 * @category running
 * @since 0.3.0
 */
export const finish = (
  sums: Sums,
  whole: Whole,
  context: Context,
  selected: ReadonlyArray<Definition> = Indicator.definitions
): ReadonlyArray<IndicatorValue> => {
  return selected.flatMap((d) => {
    const f = finishers.get(d.id)
    if (f === undefined) throw new Error(`indicator "${d.id}" has no finish from sums (YearSums.summed)`)
    return f(sums, whole, context)
  })
}
