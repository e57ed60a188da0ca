/**
 * A synthetic but realistic history for benchmarks: every family of the domain in the proportions
 * of a region's record (funding dominates), valid against every schema, deterministic; plus the
 * hand-written "raw" fold that benchmarks compare the runtime with.
 *
 * @since 0.1.0
 */
import { readFileSync } from "node:fs"
import type { EventToAppend, StoredEvent } from "../Envelope.js"
import type { RegistryEvent } from "../events/Registry.js"
import * as Projection from "../Projection.js"

/**
 * The business years the synthetic history covers.
 *
 * @category constants
 * @since 0.1.0
 */
export const YEARS = [2021, 2022] as const
const FOCUS = ["regional-arctic", "eu", "other"] as const
const LEAD = ["woman", "man", "shared"] as const
const actor = { id: "bench", role: "officer" }

/**
 * One unit of activity: exactly 100 events across all five families (funding dominates, as in
 * a region's record). Unit `u` is the same on every call.
 *
 * @category formatting
 * @since 0.1.0
 */
export const unit = (u: number): Array<EventToAppend> => {
  const year = YEARS[u % 2] as number
  const date = `${year}-0${1 + (u % 9)}-1${u % 10}`
  const base = { occurredAt: date, tenant: `tenant-${u % 4}`, actor }
  const out: Array<EventToAppend> = []
  const e = (type: string, schemaVersion: number, payload: EventToAppend["payload"]) =>
    out.push({ ...base, type, schemaVersion, payload })
  e("OrganisationRegistered", 2, { organisationId: `org-${u}`, name: `Network ${u}`, focusArea: FOCUS[u % 3] as string })
  e("MembershipSigned", 1, { actorId: `actor-${u % 50}`, organisationId: `org-${u}`, kind: "member", joinedYear: year })
  if (u % 5 === 0) e("MembershipEnded", 1, { actorId: `actor-${u % 50}`, organisationId: `org-${u}`, endedOn: date, reason: "resigned" })
  e("AgreementSigned", 1, {
    agreementId: `ag-${u}`, kind: u % 2 === 0 ? "twin-town" : "cooperation-agreement", title: `Agreement ${u}`,
    parties: [{ name: "Us" }, { name: `Them ${u}` }], priorityAreas: [{ label: "Kultur" }], signedYear: year, activity: "active"
  })
  if (u % 3 === 0) e("AgreementStatusChanged", 1, { agreementId: `ag-${u}`, from: "active", to: "dormant" })
  for (let a = 0; a < 14; a++) {
    const id = `app-${u}-${a}`
    const instrument = a < 8 ? "business-support" : a < 13 ? "project-support" : "commercial-service"
    const amount = 100_000_00 + ((u * 7 + a * 13) % 900) * 1_000_00
    e("ApplicationReceived", 1, { applicationId: id, regionId: "r", instrument, applicant: { name: `Firm ${a}` }, title: `Application ${a}`, amountApplied: amount, receivedOn: date })
    e("ApplicationAssessed", 1, { applicationId: id, criteria: { sustainability: "meets", genderEquality: "meets", environment: "partly-meets", territorial: "meets" }, recommendation: a % 5 === 4 ? "reject" : "grant" })
    if (a % 5 === 4) {
      e("ApplicationRejected", 1, { applicationId: id, reason: "no-need-for-support", decidingBody: "RUN" })
      continue
    }
    const grant = { applicationId: id, year, regionId: "r", amount, decidingBody: "RUN" }
    if (instrument === "business-support") {
      e("BusinessSupportGranted", 1, { ...grant, supportType: "investment", sector: "tourism", supportArea: "A", investment: amount * 3, expectedJobsWomen: a % 3, expectedJobsMen: 1, leadership: LEAD[(u + a) % 3] as string })
    } else if (instrument === "project-support") {
      e("ProjectGranted", 1, { ...grant, projectName: `Project ${a}`, priorityCodes: [{ schemeId: "rus", code: `P${a % 5}` }], smartSpecialisationCodes: [], mainPurpose: a % 2 === 0 ? "environment" : "other", plannedOutputs: [] })
    } else {
      e("CommercialServiceSupportGranted", 1, { ...grant, supportType: "service-grant", establishment: "shop" })
    }
    e("PaymentDisbursed", 1, { applicationId: id, paymentId: `pay-${u}-${a}`, amount: Math.floor(amount / 2) })
    e("PaymentDisbursed", 1, { applicationId: id, paymentId: `pay2-${u}-${a}`, amount: Math.floor(amount / 4) })
  }
  while (out.length < 100) {
    const t = `trip-${u}-${out.length}`
    const replaced = out.length % 4 === 0
    e("TripProposed", 1, { tripId: t, organiserActorId: "actor-1", traveller: "subject-a", purpose: "Network meeting", destination: "Bryssel", departOn: date, returnOn: date, relatedTo: [], goalRefs: [] })
    if (out.length < 100) {
      e("TripEvaluated", 1, { tripId: t, checklist: { contributesToDevelopment: true, partOfExternalMonitoring: true, opportunityToInfluence: !replaced }, physicalMeetingNecessary: !replaced, digitalAlternativeSufficient: replaced, mode: "train", distanceKm: 900, estimatedCo2eKg: 7.5, decision: replaced ? "replaced-by-digital" : "approved" })
    }
  }
  return out.slice(0, 100)
}

/**
 * The headline figures the raw fold computes.
 *
 * @category models
 * @since 0.1.0
 */
export interface RawFigures {
  granted: Record<string, number>
  grants: Record<string, number>
  rejected: Record<string, number>
  leadership: Record<string, number>
  members: Record<string, boolean>
  agreements: Record<string, string>
  trips: Record<string, string>
  co2e: number
}

/**
 * The raw baseline: the headline figures (granted per year and instrument, rejections,
 * leadership, active memberships, agreement status, trip decisions, CO2e) by a hand-written
 * `switch` over stored events, as a reader with no runtime would compute them.
 *
 * @category utils
 * @since 0.1.0
 */
export const rawFold = (events: Iterable<StoredEvent>, into?: RawFigures): RawFigures => {
  const r: RawFigures = into ?? { granted: {}, grants: {}, rejected: {}, leadership: {}, members: {}, agreements: {}, trips: {}, co2e: 0 }
  const instrumentOf = instrumentIndex(r)
  for (const ev of events) {
    const p = ev.payload as Record<string, string>
    const n = (key: string) => ev.payload[key] as number
    switch (ev.type) {
      case "ApplicationReceived":
        instrumentOf[p["applicationId"] as string] = p["instrument"] as string
        break
      case "BusinessSupportGranted":
      case "ProjectGranted":
      case "CommercialServiceSupportGranted": {
        const key = `${n("year")}|${instrumentOf[p["applicationId"] as string]}`
        r.granted[key] = (r.granted[key] ?? 0) + n("amount")
        r.grants[key] = (r.grants[key] ?? 0) + 1
        if (ev.type === "BusinessSupportGranted") r.leadership[`${n("year")}|${p["leadership"]}`] = (r.leadership[`${n("year")}|${p["leadership"]}`] ?? 0) + 1
        break
      }
      case "ApplicationRejected": {
        const key = `${ev.occurredAt.slice(0, 4)}|${instrumentOf[p["applicationId"] as string]}`
        r.rejected[key] = (r.rejected[key] ?? 0) + 1
        break
      }
      case "MembershipSigned":
        r.members[`${ev.tenant}|${p["actorId"]}|${p["organisationId"]}`] = true
        break
      case "MembershipEnded":
        r.members[`${ev.tenant}|${p["actorId"]}|${p["organisationId"]}`] = false
        break
      case "AgreementSigned":
        r.agreements[`${ev.tenant}|${p["agreementId"]}`] = p["activity"] as string
        break
      case "AgreementStatusChanged":
        r.agreements[`${ev.tenant}|${p["agreementId"]}`] = p["to"] as string
        break
      case "TripEvaluated":
        r.trips[`${ev.tenant}|${p["tripId"]}`] = p["decision"] as string
        if (p["decision"] === "approved") r.co2e += n("estimatedCo2eKg")
        break
    }
  }
  return r
}


// The raw fold needs each application's instrument across calls (a replay may come in chunks).
const instruments = new WeakMap<RawFigures, Record<string, string>>()
const instrumentIndex = (figures: RawFigures): Record<string, string> => {
  let index = instruments.get(figures)
  if (index === undefined) {
    index = {}
    instruments.set(figures, index)
  }
  return index
}

/**
 * The peak resident set of this process, in bytes. Reads `VmHWM` from `/proc/self/status`, which
 * belongs to the current address space and so starts afresh at `exec`; `resourceUsage().maxRSS`
 * would also count the parent's peak for a child started with fork + exec.
 *
 * @category utils
 * @since 0.1.0
 */
export const peakRssBytes = (): number => {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))
    if (match !== null) return Number(match[1]) * 1024
  } catch {
    // Not Linux: fall back below.
  }
  return process.resourceUsage().maxRSS * 1024
}

/**
 * What the registry benchmarks count: organisations per focus area, actors, mappings.
 *
 * @category models
 * @since 0.1.0
 */
export interface RegistryCounts {
  organisations: Record<string, number>
  actors: number
  mappings: number
}

/**
 * Empty {@link RegistryCounts}.
 *
 * @category constructors
 * @since 0.1.0
 */
export const emptyRegistryCounts = (): RegistryCounts => ({
  organisations: { "regional-arctic": 0, eu: 0, other: 0 },
  actors: 0,
  mappings: 0
})

/**
 * One step of the raw registry baseline: counts an event given by its type and plain payload, with
 * no schema, no decoding and no runtime.
 *
 * @category getters
 * @since 0.1.0
 */
export const countRegistryRaw = (state: RegistryCounts, type: string, payload: Readonly<Record<string, unknown>>): void => {
  switch (type) {
    case "OrganisationRegistered": {
      const focus = payload["focusArea"] as string
      state.organisations[focus] = (state.organisations[focus] ?? 0) + 1
      break
    }
    case "ActorRegistered":
      state.actors += 1
      break
    case "SchemeMappingDefined":
      state.mappings += 1
      break
  }
}

/**
 * The projection the registry benchmarks replay: the same arithmetic as {@link countRegistryRaw},
 * through the runtime (decode, then evolve).
 *
 * @category getters
 * @since 0.1.0
 */
export const registryCounts = Projection.make<RegistryCounts, RegistryEvent>({
  name: "bench/counts",
  version: 1,
  handles: ["OrganisationRegistered", "ActorRegistered", "SchemeMappingDefined"],
  initialState: emptyRegistryCounts,
  evolve: (state, event) => {
    switch (event._tag) {
      case "OrganisationRegistered":
        state.organisations[event.focusArea] = (state.organisations[event.focusArea] ?? 0) + 1
        return state
      case "ActorRegistered":
        state.actors += 1
        return state
      case "SchemeMappingDefined":
        state.mappings += 1
        return state
      default:
        return state
    }
  }
})

const REGISTRY_FOCUS = ["regional-arctic", "eu", "other"] as const

/**
 * The `i`-th event of the registry benchmarks' history: organisations, actors and scheme
 * mappings in turn (about 350 canonical bytes each). The same on every call.
 *
 * @category getters
 * @since 0.1.0
 */
export const registryEvent = (i: number): EventToAppend => {
  const common = { occurredAt: "2022-06-30", tenant: "bench", actor: { id: "registrar", role: "registrar" } }
  switch (i % 3) {
    case 0:
      return {
        ...common,
        type: "OrganisationRegistered",
        schemaVersion: 2,
        payload: { organisationId: `org-${i}`, name: `Organisation ${i}`, focusArea: REGISTRY_FOCUS[(i % 7) % 3] as string }
      }
    case 1:
      return {
        ...common,
        type: "ActorRegistered",
        schemaVersion: 1,
        payload: { actorId: `actor-${i}`, name: `Kommun ${i}`, kind: "municipality" }
      }
    default:
      return {
        ...common,
        type: "SchemeMappingDefined",
        schemaVersion: 1,
        payload: { mappingId: `m-${i}`, fromSchemeId: "a", toSchemeId: "b", pairs: [{ from: "x", to: "y" }] }
      }
  }
}

