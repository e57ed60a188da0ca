/**
 * Rebuilds every read model and every indicator from 1,000,000 synthetic events (a realistic mix
 * of all families) in the memory store, against a raw baseline: a hand-written `switch` fold over
 * the same plain objects computing the same headline figures, measured in the same run.
 *
 * Run: `pnpm --filter @utblick/indicators bench` (set UTBLICK_BENCH_EVENTS for another size).
 */
import { type Envelope, EventStore } from "@utblick/core"
import { Indicator } from "@utblick/indicators"
import { ReadModels } from "@utblick/projections"
import { Effect, Stream } from "effect"

const N = Number(process.env["UTBLICK_BENCH_EVENTS"] ?? 1_000_000)
const YEARS = [2021, 2022] as const
const FOCUS = ["regional-arctic", "eu", "other"] as const
const LEAD = ["woman", "man", "shared"] as const
const actor = { id: "bench", role: "officer" }

// One "unit" of activity: 100 events across all five families, in a plausible proportion
// (funding dominates, as in a region's record).
const unit = (u: number): Array<Envelope.EventToAppend> => {
  const year = YEARS[u % 2] as number
  const date = `${year}-0${1 + (u % 9)}-1${u % 10}`
  const base = { occurredAt: date, tenant: `tenant-${u % 4}`, actor }
  const out: Array<Envelope.EventToAppend> = []
  const e = (type: string, schemaVersion: number, payload: Envelope.EventToAppend["payload"]) =>
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

interface Raw {
  granted: Record<string, number>
  grants: Record<string, number>
  rejected: Record<string, number>
  leadership: Record<string, number>
  members: Record<string, boolean>
  agreements: Record<string, string>
  trips: Record<string, string>
  co2e: number
}

// The raw baseline: the same headline figures, by hand, over the same plain objects.
const raw = (events: ReadonlyArray<Envelope.StoredEvent>): Raw => {
  const r: Raw = { granted: {}, grants: {}, rejected: {}, leadership: {}, members: {}, agreements: {}, trips: {}, co2e: 0 }
  const instrumentOf: Record<string, string> = {}
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

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`
const peakRss = () => process.resourceUsage().maxRSS * 1024
const rate = (ms: number) => Math.round((N / ms) * 1000).toLocaleString("en-US")

const program = Effect.gen(function* () {
  const store = yield* EventStore.EventStore
  let t0 = performance.now()
  for (let u = 0; u < N / 100; u++) yield* store.append(`unit-${u % 1000}`, unit(u))
  const loadMs = performance.now() - t0
  const events = yield* Stream.runCollect(store.readAll())
  const rssLoaded = peakRss()

  const rebuild = () =>
    Effect.gen(function* () {
      const snapshot = yield* ReadModels.run()
      return YEARS.flatMap((year) => Indicator.computeAll(snapshot.state, { year }))
    })

  // Cold: the first rebuild decodes every payload through its schema.
  t0 = performance.now()
  const cold = yield* rebuild()
  const coldMs = performance.now() - t0
  let warmMs = Number.POSITIVE_INFINITY
  let rawMs = Number.POSITIVE_INFINITY
  let rawResult: Raw | undefined
  let values = cold
  for (let round = 0; round < 3; round++) {
    t0 = performance.now()
    rawResult = raw(events)
    rawMs = Math.min(rawMs, performance.now() - t0)
    t0 = performance.now()
    values = yield* rebuild()
    warmMs = Math.min(warmMs, performance.now() - t0)
  }
  // Both sides must have computed the same figures.
  for (const year of YEARS) {
    const byInstrument = values.find((v) => v.id === "granted-by-instrument" && v.year === year)
    const expected = ["project-support", "business-support", "commercial-service"].reduce((s, i) => s + (rawResult?.granted[`${year}|${i}`] ?? 0), 0)
    if (byInstrument?.value !== expected) throw new Error(`granted ${year}: indicator ${byInstrument?.value} vs raw ${expected}`)
  }
  const active = Object.values(rawResult?.members ?? {}).filter(Boolean).length
  const activeIndicator = values.find((v) => v.id === "active-memberships" && v.year === YEARS[1])?.value
  if (activeIndicator !== active) throw new Error(`active memberships: indicator ${activeIndicator} vs raw ${active}`)

  console.log(`@utblick/indicators rebuild benchmark — node ${process.version}, ${N.toLocaleString("en-US")} events (all five families), ${values.length} indicator values for ${YEARS.length} years`)
  console.log(`  load the memory store (append, hashing on)         ${rate(loadMs).padStart(10)} events/s`)
  console.log(`  raw baseline: switch fold over plain objects       ${rate(rawMs).padStart(10)} events/s`)
  console.log(`  every read model + indicator, cold (decoding)      ${rate(coldMs).padStart(10)} events/s   ratio ${(rawMs / coldMs).toFixed(2)}`)
  console.log(`  every read model + indicator, warm (best of 3)     ${rate(warmMs).padStart(10)} events/s   ratio ${(rawMs / warmMs).toFixed(2)}`)
  console.log(`  peak RSS: after loading ${mb(rssLoaded)}, after the rebuilds ${mb(peakRss())}`)
})

Effect.runPromise(program.pipe(Effect.provide(EventStore.layerMemory())))
