/**
 * What these tests show, and what they cannot. The seed (src/seed.ts) builds Norrbotten's history
 * from the published totals in src/published.ts: amounts, counts, investments, jobs and
 * leadership counts are split over synthetic decisions so that each total is exact. A test that
 * compares a replayed total with the same published total therefore checks **conservation** only:
 * every krona and decision the seed sent through the domain rules comes back from the log once.
 * The **independent** checks are the figures the seed never reads: the classification table's
 * stated percentages (recomputed here from the amounts and rounded, against the published
 * rounding, which sums to 101 %), the 2022 split of 61 / 34 / 5 % (from the frame's amounts), and
 * the budget rules refusing what the seeded history leaves no room for.
 */
import { Commands, DomainError, EventStore, Events } from "@utblick/core"
import type { StoredEvent } from "@utblick/core/Envelope"
import { Effect, Result, Stream } from "effect"
import { fc, test } from "@fast-check/vitest"
import { beforeAll, describe, expect, it } from "vitest"
import { frame2022Sek, mappings, published, regionId, schemeIds, schemes, seed, splitProportionally, tenant } from "../src/index.js"

interface Replay {
  readonly stored: ReadonlyArray<StoredEvent>
  readonly events: ReadonlyArray<Events.Event>
  readonly summaryEvents: number
}

const replay = Effect.gen(function* () {
  const summary = yield* seed
  const store = yield* EventStore.EventStore
  const stored = yield* Stream.runCollect(store.readAll())
  const events = stored.map((e) => {
    const decoded = Events.eventCatalog.decode(e)
    if (Result.isFailure(decoded)) throw new Error(decoded.failure.detail)
    return decoded.success
  })
  return { stored, events, summaryEvents: summary.events }
})

let history: Replay
beforeAll(async () => {
  history = await Effect.runPromise(replay.pipe(Effect.provide(EventStore.layerMemory())))
})

const only = <T extends Events.EventTag>(tag: T) =>
  history.events.filter((e): e is Extract<Events.Event, { _tag: T }> => e._tag === tag)
const sum = (xs: ReadonlyArray<{ readonly amount: number }>) => xs.reduce((a, x) => a + x.amount, 0)
const ore = (sek: number) => sek * 100
const rounded = (part: number, whole: number) => Math.round((100 * part) / whole)

// Which instrument each application asked for, from its ApplicationReceived.
const instrumentOf = () => new Map(only("ApplicationReceived").map((e) => [e.applicationId, e] as const))

describe("Norrbotten history: storage", () => {
  it("every stored event decodes through core's eventCatalog and belongs to the tenant", () => {
    expect(history.stored.length).toBe(history.summaryEvents)
    expect(history.stored.every((e) => e.tenant === tenant)).toBe(true)
  })

  it("every grant and rejection was decided by RUN with a case number, after an officer's assessment", () => {
    const decisions = history.stored.filter((e) =>
      ["ProjectGranted", "BusinessSupportGranted", "CommercialServiceSupportGranted", "ApplicationRejected"].includes(e.type)
    )
    expect(decisions.every((e) => e.actor.role === "regional-development-board" && e.decisionRef !== null)).toBe(true)
    const assessed = new Set(only("ApplicationAssessed").map((e) => e.applicationId))
    expect(only("ApplicationReceived").every((e) => assessed.has(e.applicationId))).toBe(true)
  })

  it("every grant reserved exactly its amount of the year's budget", () => {
    const reserved = only("BudgetReserved")
    const grants = history.events.filter(
      (e) => e._tag === "ProjectGranted" || e._tag === "BusinessSupportGranted" || e._tag === "CommercialServiceSupportGranted"
    )
    expect(reserved.length).toBe(grants.length)
    expect(sum(reserved)).toBe(sum(grants as ReadonlyArray<{ readonly amount: number }>))
  })
})

describe("Norrbotten 2017", () => {
  it("project grants per category sum to the classification table, 88 340 842 kr exactly", () => {
    const projects = only("ProjectGranted").filter((p) => p.year === 2017)
    for (const row of published.classification2017.rows) {
      const inCategory = projects.filter((p) =>
        p.smartSpecialisationCodes.some((c) => c.schemeId === schemeIds.classification2017 && c.code === row.code)
      )
      expect(sum(inCategory)).toBe(ore(row.amountSek))
      // The stated percentages are the rounded shares of the amounts (I-1: they add up to 101).
      expect(rounded(sum(inCategory), ore(published.classification2017.totalSek))).toBe(row.statedPercent)
    }
    expect(sum(projects)).toBe(ore(88_340_842))
    expect(published.classification2017.rows.reduce((a, r) => a + r.statedPercent, 0)).toBe(101)
  })

  it("business support: 138 of 169 applications granted, 85 mkr, 280 mkr invested, 392 jobs (48 % women)", () => {
    const apps = [...instrumentOf().values()].filter((a) => a.instrument === "business-support" && a.receivedOn.startsWith("2017"))
    const grants = only("BusinessSupportGranted").filter((g) => g.year === 2017)
    const bs = published.businessSupport2017
    expect(apps.length).toBe(bs.applications)
    expect(grants.length).toBe(bs.granted)
    expect(only("ApplicationRejected").filter((r) => r.applicationId.startsWith("nb-2017")).length).toBe(bs.rejected)
    expect(sum(grants)).toBe(ore(bs.grantedSek))
    expect(grants.reduce((a, g) => a + g.investment, 0)).toBe(ore(bs.investmentSek))
    const women = grants.reduce((a, g) => a + g.expectedJobsWomen, 0)
    const jobs = women + grants.reduce((a, g) => a + g.expectedJobsMen, 0)
    expect(jobs).toBe(bs.expectedJobs)
    expect(rounded(women, jobs)).toBe(bs.womenJobsPercent)
  })

  it("leadership shares round to 29 / 56 / 15 %", () => {
    const grants = only("BusinessSupportGranted").filter((g) => g.year === 2017)
    const share = (who: string) => rounded(grants.filter((g) => g.leadership === who).length, grants.length)
    expect({ women: share("woman"), men: share("man"), shared: share("shared") }).toEqual(published.businessSupport2017.leadership)
  })

  it("sector and area figures: food 13 firms / 5 mkr / 15 mkr / 27 jobs; tourism + car testing 33 %; 87 % of funds; area A 88 %", () => {
    const grants = only("BusinessSupportGranted").filter((g) => g.year === 2017)
    const bs = published.businessSupport2017
    const food = grants.filter((g) => g.sector === "food")
    expect(food.length).toBe(bs.food.firms)
    expect(sum(food)).toBe(ore(bs.food.grantSek))
    expect(food.reduce((a, g) => a + g.investment, 0)).toBe(ore(bs.food.investmentSek))
    expect(food.reduce((a, g) => a + g.expectedJobsWomen + g.expectedJobsMen, 0)).toBe(bs.food.jobs)
    expect(food.reduce((a, g) => a + g.expectedJobsWomen, 0)).toBe(bs.food.jobsWomen)
    const tourismCar = grants.filter((g) => g.sector === "tourism" || g.sector === "car-testing").length
    expect(rounded(tourismCar, grants.length)).toBe(bs.tourismAndCarTestingFirmsPercent)
    const heavy = grants.filter((g) => ["manufacturing", "food", "tourism", "car-testing"].includes(g.sector))
    expect(rounded(sum(heavy), sum(grants))).toBe(bs.manufacturingTourismCarTestingFundsPercent)
    expect(rounded(sum(grants.filter((g) => g.supportArea === "A")), sum(grants))).toBe(bs.supportAreaAPercent)
  })

  it("commercial service: 9 shops 1 219 580 kr, 33 shops 5 640 313 kr, home delivery 1 633 346 kr paid for 2015–2016", () => {
    const cs = only("CommercialServiceSupportGranted").filter((g) => g.year === 2017)
    const of = (t: string) => cs.filter((g) => g.supportType === t)
    expect(of("service-grant").length).toBe(9)
    expect(sum(of("service-grant"))).toBe(ore(1_219_580))
    expect(of("special-operating-support").length).toBe(33)
    expect(sum(of("special-operating-support"))).toBe(ore(5_640_313))
    expect(of("home-delivery-grant")[0]?.forYears).toEqual([2015, 2016])
    expect(sum(only("PaymentDisbursed"))).toBe(ore(1_633_346))
    expect(sum(cs)).toBe(ore(published.commercialService2017.totalSek))
  })
})

describe("Norrbotten 2022", () => {
  it("the allocation frame equals the five priority lines (171.1 mkr) and splits 61 / 34 / 5 %", () => {
    const frame = only("AllocationFramed").find((f) => f.year === 2022)
    expect(frame).toBeDefined()
    if (frame === undefined) return
    const total = frame.projectSupport + frame.businessSupport + frame.commercialService
    expect(total).toBe(ore(published.allocation2022.totalSek))
    expect(frame.byPriority.map((l) => [l.ref.code, l.amount])).toEqual(
      published.allocation2022.lines.map((l) => [l.code, ore(l.amountSek)])
    )
    expect(sum(frame.byPriority)).toBe(total)
    expect({
      projects: rounded(frame.projectSupport, total),
      businessSupport: rounded(frame.businessSupport, total),
      commercialService: rounded(frame.commercialService, total)
    }).toEqual(published.allocation2022.split)
    expect(frame.businessSupport).toBe(ore(frame2022Sek.businessSupport))
    const allotted = only("AppropriationAllotted").find((a) => a.year === 2022)
    expect(allotted?.amount).toBe(total)
    expect(history.stored.find((e) => e.type === "AllocationFramed")?.decisionRef).toBe("RUN 00060-2022")
  })

  it("business support: 125 of 164 granted, 39 rejected (≈ 24 %), 58.7 mkr, 183 mkr, 200 jobs evenly split", () => {
    const bs = published.businessSupport2022
    const apps = [...instrumentOf().values()].filter((a) => a.instrument === "business-support" && a.receivedOn.startsWith("2022"))
    const grants = only("BusinessSupportGranted").filter((g) => g.year === 2022)
    const rejected = only("ApplicationRejected").filter((r) => r.applicationId.startsWith("nb-2022"))
    expect(apps.length).toBe(bs.applications)
    expect(grants.length).toBe(bs.granted)
    expect(rejected.length).toBe(bs.rejected)
    expect(rounded(rejected.length, apps.length)).toBe(bs.rejectedPercentApprox)
    expect(sum(grants)).toBe(ore(bs.grantedSek))
    expect(grants.reduce((a, g) => a + g.investment, 0)).toBe(ore(bs.investmentSek))
    const women = grants.reduce((a, g) => a + g.expectedJobsWomen, 0)
    const men = grants.reduce((a, g) => a + g.expectedJobsMen, 0)
    expect(women + men).toBe(bs.expectedJobs)
    expect(women).toBe(men)
    const share = (who: string) => rounded(grants.filter((g) => g.leadership === who).length, grants.length)
    expect({ women: share("woman"), men: share("man"), shared: share("shared") }).toEqual(bs.leadership)
  })

  it("EU co-financing: 46 decisions, 39 REACT-EU at 100 % and 7 Covid framework at 50 %", () => {
    const grants = only("BusinessSupportGranted").filter((g) => g.year === 2022)
    const eu = grants.filter((g) => g.euCoFinancing !== undefined)
    expect(eu.length).toBe(published.euCoFinancing2022.decisions)
    expect(eu.filter((g) => g.euCoFinancing?.source === "react-eu" && g.euCoFinancing.ratePercent === 100).length).toBe(39)
    expect(eu.filter((g) => g.euCoFinancing?.source === "covid-framework" && g.euCoFinancing.ratePercent === 50).length).toBe(7)
  })

  it("EU programme projects: 15 ERUF (46 mkr), 11 Interreg Aurora (12.3 mkr); purposes 6 / 4 / 9", () => {
    const projects = only("ProjectGranted").filter((p) => p.year === 2022)
    const eruf = projects.filter((p) => p.euProgramme?.source === "eruf")
    const aurora = projects.filter((p) => p.euProgramme?.source === "interreg-aurora")
    expect([eruf.length, sum(eruf)]).toEqual([15, ore(46_000_000)])
    expect([aurora.length, sum(aurora)]).toEqual([11, ore(12_300_000)])
    const count = (p: string) => projects.filter((x) => x.mainPurpose === p).length
    expect([count("gender-equality"), count("diversity"), count("environment")]).toEqual([6, 4, 9])
  })

  it("project grants per priority stay within each line's project part", () => {
    const projects = only("ProjectGranted").filter((p) => p.year === 2022)
    const byLine = (code: string) =>
      sum(projects.filter((p) => p.priorityCodes.some((c) => c.schemeId === schemeIds.allocation2022 && c.code === code)))
    const line = (code: string) => ore(published.allocation2022.lines.find((l) => l.code === code)?.amountSek ?? 0)
    // P2 includes all business support; P1 all commercial service (003:3869-3875).
    expect(byLine("P2")).toBeLessThanOrEqual(line("P2") - ore(frame2022Sek.businessSupport))
    expect(byLine("P1")).toBeLessThanOrEqual(line("P1") - ore(frame2022Sek.commercialService))
    for (const code of ["P3", "P4", "P5"]) expect(byLine(code)).toBeLessThanOrEqual(line(code))
  })
})

describe("Norrbotten schemes and mappings", () => {
  it("adopts the national strategies, the RUS, the 2017 table and the 2022 lines", () => {
    expect(only("ClassificationSchemeAdopted").map((s) => s.schemeId)).toEqual(schemes.map((s) => s.schemeId))
  })

  it("maps only codes that exist, and leaves exactly the declared categories without counterpart", () => {
    const codes = new Map(only("ClassificationSchemeAdopted").map((s) => [s.schemeId, s.categories.map((c) => c.code)]))
    for (const m of mappings) {
      const stored = only("SchemeMappingDefined").find((x) => x.mappingId === m.mappingId)
      expect(stored?.pairs).toEqual(m.pairs)
      const from = codes.get(m.fromSchemeId) ?? []
      const to = codes.get(m.toSchemeId) ?? []
      expect(m.pairs.every((p) => from.includes(p.from) && to.includes(p.to))).toBe(true)
      expect(from.filter((c) => !m.pairs.some((p) => p.from === c))).toEqual(m.unmappedFrom)
      expect(to.filter((c) => !m.pairs.some((p) => p.to === c))).toEqual(m.unmappedTo)
    }
    // Internationellt samarbete has no counterpart in the 2021–2030 strategy.
    expect(mappings.find((m) => m.mappingId === "nationell-2015-till-2021")?.unmappedFrom).toEqual(["N15-4"])
  })
})

// A domain rule's refusal is named by its reason; any other refusal by its tag.
const reasonOf = (failure: { readonly _tag: string }): string =>
  DomainError.is(failure) ? failure.reason._tag : failure._tag

describe("Norrbotten: the budget rules hold on top of the seeded history", () => {
  const tally = Commands.makeRecorder()
  const base = { tenant: "region-norrbotten", occurredAt: "2022-12-01" }
  const attempt = (command: Effect.Effect<unknown, { readonly _tag: string }, EventStore.EventStore>) =>
    Effect.runPromise(
      Effect.gen(function* () {
        yield* seed
        const result = yield* Effect.result(command)
        return Result.isFailure(result) ? reasonOf(result.failure) : "accepted"
      }).pipe(Effect.provide(EventStore.layerMemory()))
    )
  const extraBusinessGrant = (role: string) =>
    Effect.gen(function* () {
      const officer = { id: "region-norrbotten-handlaggare", role: "officer" }
      yield* tally.run({
        _tag: "ReceiveApplication",
        ...base,
        actor: officer,
        applicationId: "nb-2022-extra",
        regionId,
        instrument: "business-support",
        applicant: { name: "Extra AB" },
        title: "Ett stöd för mycket",
        amountApplied: 100_000,
        receivedOn: "2022-12-01"
      })
      yield* tally.run({
        _tag: "AssessApplication",
        ...base,
        actor: officer,
        applicationId: "nb-2022-extra",
        criteria: { sustainability: "meets", genderEquality: "meets", environment: "meets", territorial: "meets" },
        recommendation: "grant"
      })
      return yield* tally.run({
        _tag: "GrantBusinessSupport",
        ...base,
        actor: { id: "x", role },
        decisionRef: "TEST-2022-1",
        decidingBody: "RUN",
        applicationId: "nb-2022-extra",
        year: 2022,
        amount: 100_000,
        supportType: "investment",
        sector: "services",
        supportArea: "A",
        investment: 300_000,
        expectedJobsWomen: 1,
        expectedJobsMen: 0,
        leadership: "woman"
      })
    })

  it("refuses one more krona of business support above the board's 2022 frame", async () => {
    expect(await attempt(extraBusinessGrant("regional-development-board"))).toBe("AllocationFrameExceeded")
  })

  it("refuses a grant given by an officer", async () => {
    expect(await attempt(extraBusinessGrant("officer"))).toBe("NotAuthorized")
  })
})

describe("splitProportionally", () => {
  test.prop([fc.integer({ min: 0, max: 10_000_000_000 }), fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 60 })])(
    "parts are non-negative integers that sum to the total exactly",
    (total, weights) => {
      const parts = splitProportionally(total, weights)
      expect(parts.length).toBe(weights.length)
      expect(parts.every((p) => Number.isInteger(p) && p >= 0)).toBe(true)
      expect(parts.reduce((a, b) => a + b, 0)).toBe(total)
    }
  )
})
