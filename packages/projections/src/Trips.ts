/**
 * The trips read model: every official trip with its evaluation against the plan's three
 * questions and the digital-first rule, its decision, mode, distance and CO2e, and totals per
 * year, mode, purpose and related membership, agreement or project.
 *
 * Personal data stays out: the traveller is kept only as the pseudonymous subject reference, so
 * erasing a person never leaves a name in this read model.
 *
 * @since 0.1.0
 */
import { Decimal, Projection } from "@utblick/core"
import { type ByTenant, type Event, entity, putEntity, type TenantFilter, tenantMaps, yearOf } from "./Shared.js"

/**
 * One trip.
 *
 * @category models
 * @since 0.1.0
 */
export interface TripRecord {
  readonly tenant: string
  readonly tripId: string
  readonly organiserActorId: string
  readonly traveller: string
  readonly purpose: string
  readonly destination: string
  readonly departOn: string
  readonly year: number
  readonly relatedTo: ReadonlyArray<{ readonly kind: string; readonly streamId: string }>
  readonly goalRefs: ReadonlyArray<{ readonly schemeId: string; readonly code: string }>
  status: "proposed" | "evaluated" | "completed" | "cancelled"
  decision: "approved" | "replaced-by-digital" | "declined" | null
  mode: string | null
  distanceKm: number
  /** Estimated at evaluation; replaced by the actual figure when the trip is completed. */
  co2eKg: number
  checklistAllYes: boolean | null
  digitalAlternativeSufficient: boolean | null
}

/**
 * The trips state.
 *
 * @category models
 * @since 0.1.0
 */
export interface TripsState {
  /** By tenant, then by trip id. */
  readonly trips: ByTenant<TripRecord>
}

/**
 * The trips projection.
 *
 * @category projections
 * @since 0.1.0
 */
export const projection = Projection.make<TripsState, Event>({
  name: "trips",
  version: 1,
  handles: ["TripProposed", "TripEvaluated", "TripCompleted", "TripCancelled"],
  initialState: () => ({ trips: new Map() }),
  evolve: (state, event, envelope) => {
    switch (event._tag) {
      case "TripProposed":
        putEntity(state.trips, envelope.tenant, event.tripId, {
          tenant: envelope.tenant,
          tripId: event.tripId,
          organiserActorId: event.organiserActorId,
          traveller: event.traveller,
          purpose: event.purpose,
          destination: event.destination,
          departOn: event.departOn,
          year: yearOf(event.departOn),
          relatedTo: event.relatedTo,
          goalRefs: event.goalRefs,
          status: "proposed",
          decision: null,
          mode: null,
          distanceKm: 0,
          co2eKg: 0,
          checklistAllYes: null,
          digitalAlternativeSufficient: null
        })
        return state
      case "TripEvaluated": {
        const trip = entity(state.trips, envelope.tenant, event.tripId)
        if (trip === undefined) return state
        trip.status = "evaluated"
        trip.decision = event.decision
        trip.mode = event.decision === "replaced-by-digital" ? "digital" : event.mode
        trip.distanceKm = event.decision === "approved" ? event.distanceKm : 0
        trip.co2eKg = event.decision === "approved" ? event.estimatedCo2eKg : 0
        trip.checklistAllYes =
          event.checklist.contributesToDevelopment &&
          event.checklist.partOfExternalMonitoring &&
          event.checklist.opportunityToInfluence
        trip.digitalAlternativeSufficient = event.digitalAlternativeSufficient
        return state
      }
      case "TripCompleted": {
        const trip = entity(state.trips, envelope.tenant, event.tripId)
        if (trip === undefined) return state
        trip.status = "completed"
        trip.mode = event.actualMode
        if (event.actualDistanceKm !== undefined) trip.distanceKm = event.actualDistanceKm
        if (event.actualCo2eKg !== undefined) trip.co2eKg = event.actualCo2eKg
        return state
      }
      case "TripCancelled": {
        const trip = entity(state.trips, envelope.tenant, event.tripId)
        if (trip === undefined) return state
        trip.status = "cancelled"
        trip.co2eKg = 0
        trip.distanceKm = 0
        return state
      }
      default:
        return state
    }
  }
})

/**
 * Counts and totals over a set of trips.
 *
 * @category models
 * @since 0.1.0
 */
export interface TripTotals {
  proposed: number
  evaluated: number
  approved: number
  replacedByDigital: number
  declined: number
  completed: number
  cancelled: number
  distanceKm: number
  co2eKg: number
}

const emptyTotals = (): TripTotals => ({
  proposed: 0,
  evaluated: 0,
  approved: 0,
  replacedByDigital: 0,
  declined: 0,
  completed: 0,
  cancelled: 0,
  distanceKm: 0,
  co2eKg: 0
})

const add = (totals: TripTotals, trip: TripRecord) => {
  totals.proposed += 1
  if (trip.decision !== null) totals.evaluated += 1
  if (trip.decision === "approved") totals.approved += 1
  if (trip.decision === "replaced-by-digital") totals.replacedByDigital += 1
  if (trip.decision === "declined") totals.declined += 1
  if (trip.status === "completed") totals.completed += 1
  if (trip.status === "cancelled") totals.cancelled += 1
  totals.distanceKm += trip.distanceKm
  // As the decimals they stand for: 13,2 + 7,1 kg is 20,3, which binary floats make 20,2999….
  totals.co2eKg = Decimal.add(totals.co2eKg, trip.co2eKg)
}

/**
 * The order {@link all} lists trips in: by departure date, then trip id; a tie (one trip id on one
 * day, in two tenants) is 0, so a stable sort keeps the read model's order. What a reader that
 * keeps only these fields of each trip sorts by to list them the same way.
 *
 * @category projections
 * @since 0.3.0
 */
export const byDeparture = (
  a: Pick<TripRecord, "departOn" | "tripId">,
  b: Pick<TripRecord, "departOn" | "tripId">
): number => (a.departOn < b.departOn ? -1 : a.departOn > b.departOn ? 1 : a.tripId < b.tripId ? -1 : a.tripId > b.tripId ? 1 : 0)

/**
 * Trips matching the filter, by departure date.
 *
 * @category projections
 * @since 0.1.0
 */
export const all = (state: TripsState, filter: TenantFilter & { readonly year?: number } = {}): ReadonlyArray<TripRecord> =>
  [...select(state, filter)].sort(byDeparture)

// Totals do not depend on order, so they read the trips unsorted.
const select = (state: TripsState, filter: TenantFilter & { readonly year?: number }): Array<TripRecord> => {
  const out: Array<TripRecord> = []
  for (const ofTenant of tenantMaps(state.trips, filter.tenant)) {
    for (const t of ofTenant.values()) if (filter.year === undefined || t.year === filter.year) out.push(t)
  }
  return out
}

/**
 * Totals of the trips matching the filter.
 *
 * @category projections
 * @since 0.1.0
 */
export const totals = (state: TripsState, filter: TenantFilter & { readonly year?: number } = {}): TripTotals => {
  const result = emptyTotals()
  for (const trip of select(state, filter)) add(result, trip)
  return result
}

/**
 * Totals grouped by a key of each trip: its year, mode, purpose, or each related record.
 *
 * @category projections
 * @since 0.1.0
 */
export const totalsBy = (
  state: TripsState,
  by: "year" | "mode" | "purpose" | "related",
  filter: TenantFilter & { readonly year?: number } = {}
): Readonly<Record<string, TripTotals>> => totalsAndGroups(state, by, filter).groups

/**
 * The totals of the trips matching the filter and their groups by a key (see {@link totalsBy}),
 * from one scan: what an indicator needing both reads.
 *
 * @category projections
 * @since 0.1.0
 */
export const totalsAndGroups = (
  state: TripsState,
  by: "year" | "mode" | "purpose" | "related",
  filter: TenantFilter & { readonly year?: number } = {}
): { readonly total: TripTotals; readonly groups: Readonly<Record<string, TripTotals>> } => {
  const total = emptyTotals()
  const groups: Record<string, TripTotals> = {}
  for (const trip of select(state, filter)) {
    add(total, trip)
    const keys =
      by === "year"
        ? [String(trip.year)]
        : by === "mode"
          ? [trip.mode ?? "not evaluated"]
          : by === "purpose"
            ? [trip.purpose]
            : trip.relatedTo.length === 0
              ? ["(none)"]
              : trip.relatedTo.map((r) => r.streamId)
    for (const key of keys) {
      const group = groups[key] ?? emptyTotals()
      add(group, trip)
      groups[key] = group
    }
  }
  return { total, groups }
}
