/**
 * The memberships read model: which organisations each actor belongs to, since when, in which
 * roles, with the history of joins and exits, and the focus area of each organisation.
 *
 * @since 0.1.0
 */
import { Projection } from "@utblick/core"
import { type ByTenant, type Event, entities, entity, putEntity, type TenantFilter } from "./Shared.js"

/**
 * One step in a membership's history.
 *
 * @category models
 * @since 0.1.0
 */
export interface MembershipStep {
  readonly on: string
  readonly what: "joined" | "role" | "ended"
  readonly detail: string
}

/**
 * One actor's membership of one organisation.
 *
 * @category models
 * @since 0.1.0
 */
export interface MembershipRecord {
  readonly tenant: string
  readonly actorId: string
  readonly organisationId: string
  kind: string
  /** The most precise join date known: a date, else 1 January of the join year, else the business date. */
  since: string
  /** Whether the join date is exact (`date`), only a year (`year`) or the date it was recorded (`recorded`). */
  sincePrecision: "date" | "year" | "recorded"
  active: boolean
  endedOn: string | null
  roles: Array<{ readonly role: string; readonly body: string | null; readonly from: string | null; readonly to: string | null }>
  history: Array<MembershipStep>
}

/**
 * The memberships state: organisations (with their focus areas) and memberships.
 *
 * @category models
 * @since 0.1.0
 */
export interface MembershipsState {
  /** Keyed by organisation id. */
  readonly organisations: Map<string, { readonly name: string; readonly focusArea: string }>
  /** By tenant, then by `actorId|organisationId`. */
  readonly memberships: ByTenant<MembershipRecord>
}

/**
 * The memberships projection.
 *
 * @category projections
 * @since 0.1.0
 */
export const projection = Projection.make<MembershipsState, Event>({
  name: "memberships",
  version: 1,
  handles: ["OrganisationRegistered", "MembershipSigned", "MembershipRoleAssigned", "MembershipEnded"],
  initialState: () => ({ organisations: new Map(), memberships: new Map() }),
  evolve: (state, event, envelope) => {
    switch (event._tag) {
      case "OrganisationRegistered":
        state.organisations.set(event.organisationId, { name: event.name, focusArea: event.focusArea })
        return state
      case "MembershipSigned": {
        const key = `${event.actorId}|${event.organisationId}`
        const since =
          event.joinedOn ?? (event.joinedYear === undefined ? envelope.occurredAt : `${event.joinedYear}-01-01`)
        const precision = event.joinedOn !== undefined ? "date" : event.joinedYear !== undefined ? "year" : "recorded"
        const existing = entity(state.memberships, envelope.tenant, key)
        const record: MembershipRecord = existing ?? {
          tenant: envelope.tenant,
          actorId: event.actorId,
          organisationId: event.organisationId,
          kind: event.kind,
          since,
          sincePrecision: precision,
          active: true,
          endedOn: null,
          roles: [],
          history: []
        }
        // A rejoin after an exit starts a new term: the membership counts from the new date.
        record.kind = event.kind
        record.since = since
        record.sincePrecision = precision
        record.active = true
        record.endedOn = null
        record.history.push({ on: since, what: "joined", detail: event.kind })
        putEntity(state.memberships, envelope.tenant, key, record)
        return state
      }
      case "MembershipRoleAssigned": {
        const record = entity(state.memberships, envelope.tenant, `${event.actorId}|${event.organisationId}`)
        if (record === undefined) return state
        record.roles.push({ role: event.role, body: event.body ?? null, from: event.from ?? null, to: event.to ?? null })
        record.history.push({
          on: event.from ?? envelope.occurredAt,
          what: "role",
          detail: event.body === undefined ? event.role : `${event.role}: ${event.body}`
        })
        return state
      }
      case "MembershipEnded": {
        const record = entity(state.memberships, envelope.tenant, `${event.actorId}|${event.organisationId}`)
        if (record === undefined) return state
        record.active = false
        record.endedOn = event.endedOn
        record.history.push({ on: event.endedOn, what: "ended", detail: event.reason })
        return state
      }
      default:
        return state
    }
  }
})

/**
 * A membership with its organisation's name and focus area resolved.
 *
 * @category models
 * @since 0.1.0
 */
export interface MembershipView extends MembershipRecord {
  readonly organisationName: string
  readonly focusArea: string
}

/**
 * An organisation's registered name, or its id where none is registered: the name a
 * {@link MembershipView} gives.
 *
 * @category projections
 * @since 0.3.0
 */
export const organisationName = (
  organisations: MembershipsState["organisations"],
  organisationId: string
): string => organisations.get(organisationId)?.name ?? organisationId

const view = (state: MembershipsState, record: MembershipRecord): MembershipView => {
  const organisation = state.organisations.get(record.organisationId)
  return {
    ...record,
    organisationName: organisationName(state.organisations, record.organisationId),
    focusArea: organisation?.focusArea ?? "unknown"
  }
}

/**
 * Which memberships a query looks at.
 *
 * @category models
 * @since 0.1.0
 */
export interface MembershipFilter extends TenantFilter {
  readonly actorId?: string
  /** Only these kinds, e.g. `PROPER` for memberships proper (member, founder). */
  readonly kinds?: ReadonlyArray<string>
}

const matches = (filter: MembershipFilter, m: MembershipRecord): boolean =>
  (filter.tenant === undefined || m.tenant === filter.tenant) &&
  (filter.actorId === undefined || m.actorId === filter.actorId) &&
  (filter.kinds === undefined || filter.kinds.includes(m.kind))

/**
 * The kinds that make a membership proper, as the Luleå plan counts them (000:84-88): a member
 * or a founder. Signatories of a declaration and project or consortium partners are relations,
 * not memberships.
 *
 * @category constants
 * @since 0.1.0
 */
export const PROPER: ReadonlyArray<string> = ["member", "founder"]

/**
 * The order {@link all} lists memberships in: by join date, then organisation id; a tie (two
 * actors' memberships of one organisation from one day) is 0, so a stable sort keeps the read
 * model's order. What a reader that keeps only these fields of each membership sorts by to list
 * them the same way.
 *
 * @category projections
 * @since 0.3.0
 */
export const bySince = (
  a: Pick<MembershipRecord, "since" | "organisationId">,
  b: Pick<MembershipRecord, "since" | "organisationId">
): number => (a.since < b.since ? -1 : a.since > b.since ? 1 : a.organisationId < b.organisationId ? -1 : a.organisationId > b.organisationId ? 1 : 0)

/**
 * Every membership matching the filter, active or not, sorted by join date.
 *
 * @category projections
 * @since 0.1.0
 */
export const all = (state: MembershipsState, filter: MembershipFilter = {}): ReadonlyArray<MembershipView> =>
  [...entities(state.memberships, filter.tenant)]
    .filter((m) => matches(filter, m))
    .sort(bySince)
    .map((m) => view(state, m))

/**
 * The active memberships matching the filter, sorted by join date.
 *
 * @category projections
 * @since 0.1.0
 */
export const active = (state: MembershipsState, filter: MembershipFilter = {}): ReadonlyArray<MembershipView> => all(state, filter).filter((m) => m.active)

/**
 * Active memberships counted per focus area (`regional-arctic`, `eu`, `other`, or `unknown` when
 * the organisation is not in the registry).
 *
 * @category projections
 * @since 0.1.0
 */
export const countByFocusArea = (
  state: MembershipsState,
  filter: MembershipFilter = {}
): Readonly<Record<string, number>> => {
  const counts: Record<string, number> = { "regional-arctic": 0, eu: 0, other: 0 }
  // Counting needs neither the order nor the resolved view that `active` builds.
  for (const m of entities(state.memberships, filter.tenant)) {
    if (!m.active || !matches(filter, m)) continue
    const focusArea = state.organisations.get(m.organisationId)?.focusArea ?? "unknown"
    counts[focusArea] = (counts[focusArea] ?? 0) + 1
  }
  return counts
}

/**
 * Active memberships counted per kind (`member`, `founder`, `signatory`, `partner`, …).
 *
 * @category projections
 * @since 0.1.0
 */
export const countByKind = (state: MembershipsState, filter: MembershipFilter = {}): Readonly<Record<string, number>> => {
  const counts: Record<string, number> = {}
  for (const m of entities(state.memberships, filter.tenant)) {
    if (m.active && matches(filter, m)) counts[m.kind] = (counts[m.kind] ?? 0) + 1
  }
  return counts
}

/**
 * The roles held in active memberships (secretariats, commissions, chairs).
 *
 * @category projections
 * @since 0.1.0
 */
export const rolesHeld = (
  state: MembershipsState,
  filter: MembershipFilter = {}
): ReadonlyArray<{ readonly organisationName: string; readonly role: string; readonly body: string | null }> =>
  active(state, filter).flatMap((m) =>
    m.roles.map((r) => ({ organisationName: m.organisationName, role: r.role, body: r.body }))
  )
