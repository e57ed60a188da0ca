// Year figures as sums of per-entity contributions (ADR 0046 step 2). The oracle is today's
// `Indicator.computeAll` over the folded read models: for random interleavings and prefixes of the
// fixture histories, random clocks, time filters and contexts, `finish` of the summed
// contributions must deep-equal it (breakdown order included), and so must sums moved by the
// entities a further chunk of events names. The hand-computed cases pin what the sums hold.
import { fc, test } from "@fast-check/vitest"
import { EventStore, Events } from "@utblick/core"
import { GrantFilter, Indicator, YearSums } from "@utblick/indicators"
import { ReadModels } from "@utblick/projections"
import { Effect, Layer } from "effect"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "vitest"
import { events as allocationEvents, C, GOALS } from "./fixtures/allocationGoals.js"
import { A, B, type FixtureEvent, events as handEvents } from "./fixtures/handComputed.js"
import { R1, R2, randomHistoryArb, SCHEME_R } from "./fixtures/randomHistory.js"
import { D, GOALS_D, events as trickyEvents, trip } from "./fixtures/tricky.js"

const START = Date.parse("2024-01-01T00:00:00.000Z")
const minutes = (n: number) => new Date(START + n * 60_000).toISOString()

interface Fold {
  readonly toPosition: number
  readonly asOf?: string
  readonly knownAt?: string
  readonly tenant?: string
}

// Appends the rows (event i recorded at minute i) and folds the read models at each `folds`.
const foldAll = (
  rows: ReadonlyArray<FixtureEvent>,
  folds: ReadonlyArray<Fold>
): Promise<ReadonlyArray<ReadModels.ReadModelsState>> =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    for (const [i, { streamId, ...e }] of rows.entries()) {
      yield* TestClock.setTime(START + i * 60_000)
      yield* store.append(streamId, [
        { ...e, schemaVersion: Events.eventCatalog.definitions.get(e.type)?.version ?? 1 }
      ])
    }
    const states: Array<ReadModels.ReadModelsState> = []
    for (const fold of folds) states.push((yield* ReadModels.run(fold)).state)
    return states
  }).pipe(
    Effect.provide(
      Layer.mergeAll(EventStore.layerMemory({ catalog: Events.eventCatalog }), TestClock.layer())
    ),
    Effect.runPromise as (
      e: Effect.Effect<Array<ReadModels.ReadModelsState>, unknown>
    ) => Promise<Array<ReadModels.ReadModelsState>>
  )

type Grants = GrantFilter.GrantFilter | undefined

const definitionsFor = (grants: Grants) =>
  grants === undefined ? Indicator.definitions : GrantFilter.definitionsFor(grants)

// Today's figures: the oracle.
const computed = (state: ReadModels.ReadModelsState, context: Indicator.Context, grants: Grants) =>
  Indicator.computeAll(
    grants === undefined ? state : GrantFilter.apply(state, grants),
    context,
    definitionsFor(grants)
  )

const finished = (
  sums: YearSums.Sums,
  state: ReadModels.ReadModelsState,
  context: Indicator.Context,
  grants: Grants
) => YearSums.finish(sums, YearSums.wholeOf(state, grants), context, definitionsFor(grants))

const sorted = (sums: YearSums.Sums) => YearSums.entries(sums)
// One sum by its flat key (`namespace␟key`).
const at = (sums: YearSums.Sums, flat: string) => new Map(YearSums.entries(sums)).get(flat)

const TENANTS = [A, B, C, D, R1, R2] as const

// One history: the three fixtures and a random history interleaved at random, each in its order.
const interleave = (
  picks: ReadonlyArray<number>,
  random: ReadonlyArray<FixtureEvent>
): ReadonlyArray<FixtureEvent> => {
  const lists = [[...handEvents], [...allocationEvents], [...trickyEvents], [...random]]
  const out: Array<FixtureEvent> = []
  let k = 0
  while (lists.some((l) => l.length > 0)) {
    const open = lists.filter((l) => l.length > 0)
    const list = open[(picks[k % Math.max(1, picks.length)] ?? 0) % open.length] as Array<FixtureEvent>
    out.push(list.shift() as FixtureEvent)
    k += 1
  }
  return out
}

const TOTAL = handEvents.length + allocationEvents.length + trickyEvents.length

const contextArb = fc.record(
  {
    // Mostly the years the fixtures fill, sometimes any year of their range.
    year: fc.oneof(fc.integer({ min: 2021, max: 2023 }), fc.integer({ min: 2017, max: 2027 })),
    tenant: fc.constantFrom(...TENANTS),
    goalsSchemeId: fc.constantFrom(GOALS, GOALS_D, SCHEME_R, "rus-c", "rus-d", "test-rus", "s3-c"),
    actorId: fc.constantFrom(A, C, "test-energi-ab", "test-bolag-c", R1, `bolag-${R2}`)
  },
  { requiredKeys: ["year"] }
)

const grantsArb: fc.Arbitrary<Grants> = fc.option(
  fc.constantFrom<GrantFilter.GrantFilter>(
    { instrument: "business-support" },
    { instrument: "project-support" },
    { sector: "services" },
    { supportArea: "A" }
  ),
  { nil: undefined }
)

const foldArb = fc.record(
  {
    asOf: fc.constantFrom("2019-12-31", "2022-06-30", "2022-12-31", "2023-04-15"),
    knownAtMinutes: fc.integer({ min: 0, max: TOTAL + 80 })
  },
  { requiredKeys: [] }
)

const foldOf = (
  toPosition: number,
  spec: { asOf?: string; knownAtMinutes?: number },
  tenantInFilter: boolean,
  context: Indicator.Context
): Fold => ({
  toPosition,
  ...(spec.asOf === undefined ? {} : { asOf: spec.asOf }),
  ...(spec.knownAtMinutes === undefined ? {} : { knownAt: minutes(spec.knownAtMinutes) }),
  ...(tenantInFilter && context.tenant !== undefined ? { tenant: context.tenant } : {})
})

describe("YearSums: finish of the summed contributions equals computeAll", () => {
  test.prop(
    [
      fc.array(fc.nat(3), { minLength: 1, maxLength: 40 }),
      randomHistoryArb(),
      fc.integer({ min: 0, max: TOTAL + 80 }),
      fc.array(contextArb, { minLength: 1, maxLength: 6 }),
      grantsArb,
      foldArb,
      fc.boolean()
    ],
    { numRuns: 60 }
  )(
    "for random interleavings and prefixes of the histories, clocks, time filters and contexts",
    async (picks, random, prefix, contexts, grants, spec, tenantInFilter) => {
      const rows = interleave(picks, random)
      const folds = contexts.map((c) => foldOf(prefix, spec, tenantInFilter, c))
      const states = await foldAll(rows, folds)
      const pairs = contexts.map((context, i) => {
        const state = states[i] as ReadModels.ReadModelsState
        return {
          sums: finished(YearSums.sumsOf(state, context, grants), state, context, grants),
          oracle: computed(state, context, grants)
        }
      })
      expect(pairs).toHaveLength(contexts.length)
      expect(pairs.map((p) => p.sums)).toStrictEqual(pairs.map((p) => p.oracle))
    }
  )

  it("on the whole histories: every indicator of each tenant's years is produced and equal", async () => {
    const rows = [...handEvents, ...allocationEvents, ...trickyEvents]
    const [state] = await foldAll(rows, [{ toPosition: rows.length }])
    const s = state as ReadModels.ReadModelsState
    const contexts: Array<Indicator.Context> = []
    for (const tenant of [...TENANTS, undefined])
      for (let year = 2017; year <= 2027; year++)
        contexts.push({
          year,
          ...(tenant === undefined ? {} : { tenant }),
          goalsSchemeId: tenant === D ? GOALS_D : GOALS
        })
    const fromSums = contexts.flatMap((c) => finished(YearSums.sumsOf(s, c), s, c, undefined))
    const oracle = contexts.flatMap((c) => computed(s, c, undefined))
    expect(fromSums).toStrictEqual(oracle)
    // Each indicator's own finish, one at a time, gives the same.
    const one = contexts.flatMap((c) =>
      Indicator.definitions.flatMap((d) =>
        (YearSums.summed.get(d.id) as YearSums.Summed).finish(YearSums.sumsOf(s, c), YearSums.wholeOf(s), c)
      )
    )
    expect(one).toStrictEqual(oracle)
    // A group: the sums of every tenant are the sum of each tenant's, and x − x is empty.
    for (const year of [2022, 2023]) {
      const each = TENANTS.reduce(
        (acc, tenant) => YearSums.add(acc, YearSums.sumsOf(s, { year, tenant })),
        YearSums.empty()
      )
      expect(sorted(each)).toStrictEqual(sorted(YearSums.sumsOf(s, { year })))
      expect(YearSums.add(each, YearSums.sumsOf(s, { year }), -1).size).toBe(0)
    }
    // Every one of the fifteen indicators is exercised somewhere (none passes by being absent).
    expect(new Set(oracle.map((v) => v.id))).toStrictEqual(new Set(Indicator.definitions.map((d) => d.id)))
  })
})

describe("YearSums: a further chunk of events moves the sums by the entities it names", () => {
  test.prop(
    [
      fc.array(fc.nat(3), { minLength: 1, maxLength: 40 }),
      randomHistoryArb(),
      fc.integer({ min: 0, max: TOTAL + 80 }),
      fc.integer({ min: 1, max: 60 }),
      fc.array(contextArb, { minLength: 1, maxLength: 4 }),
      grantsArb,
      foldArb,
      fc.boolean()
    ],
    { numRuns: 60 }
  )(
    "sums(S) − Σ contribution(before) + Σ contribution(after) = sums(S'), which finishes to computeAll(S')",
    async (picks, random, prefix, size, contexts, grants, spec, tenantInFilter) => {
      const rows = interleave(picks, random)
      const end = Math.min(rows.length, prefix + size)
      const states = await foldAll(
        rows,
        contexts.flatMap((c) => [
          foldOf(prefix, spec, tenantInFilter, c),
          foldOf(end, spec, tenantInFilter, c)
        ])
      )
      const pairs = contexts.map((context, i) => {
        const before = states[2 * i] as ReadModels.ReadModelsState
        const after = states[2 * i + 1] as ReadModels.ReadModelsState
        const sums = YearSums.sumsOf(before, context, grants)
        const seen = new Set<string>()
        for (const row of rows.slice(prefix, end)) {
          const named = YearSums.entityNamed(row.type, row.payload, row.tenant)
          // Sums are per tenant: an entity moves its tenant's sums (and those of every tenant).
          if (named === undefined || (context.tenant !== undefined && named.tenant !== context.tenant))
            continue
          const key = `${named.model}|${named.tenant}|${named.id}`
          if (seen.has(key)) continue
          seen.add(key)
          YearSums.move(
            sums,
            context.year,
            YearSums.entityOf(before, named.model, named.tenant, named.id),
            YearSums.entityOf(after, named.model, named.tenant, named.id),
            grants
          )
        }
        return {
          moved: sorted(sums),
          rebuilt: sorted(YearSums.sumsOf(after, context, grants)),
          finished: finished(sums, after, context, grants),
          oracle: computed(after, context, grants)
        }
      })
      expect(pairs).toHaveLength(contexts.length)
      expect(pairs.map((p) => p.moved)).toStrictEqual(pairs.map((p) => p.rebuilt))
      expect(pairs.map((p) => p.finished)).toStrictEqual(pairs.map((p) => p.oracle))
    }
  )
})

// ── hand-computed cases ──────────────────────────────────────────────────────────────────────
const S = "\u001f"
const byKey = (rows: ReadonlyArray<Indicator.Row>) => Object.fromEntries(rows.map((r) => [r.key, r.value]))
const indicatorOf = (values: ReadonlyArray<Indicator.IndicatorValue>, id: string, scheme?: string) => {
  const found = values.find((v) => v.id === id && (scheme === undefined || v.scheme === scheme))
  if (found === undefined) throw new Error(`no ${id}`)
  return found
}
const tricky = (type: string, id?: string) =>
  trickyEvents.filter((e) => e.type === type && (id === undefined || JSON.stringify(e.payload).includes(id)))

describe("YearSums: hand-computed", () => {
  it("an amendment lowering a grant moves the granted and EU sums down; a recovery moves none", async () => {
    const amend = tricky("GrantAmended")
    const recover = tricky("GrantRecovered")
    const rows = [...handEvents, ...amend, ...recover]
    const n = handEvents.length
    const [s0, s1, s2] = (await foldAll(rows, [
      { toPosition: n },
      { toPosition: n + 1 },
      { toPosition: n + 2 }
    ])) as [ReadModels.ReadModelsState, ReadModels.ReadModelsState, ReadModels.ReadModelsState]
    const context = { year: 2022, tenant: A }
    const b1 = (s: ReadModels.ReadModelsState) => YearSums.entityOf(s, "application", A, "b1")
    // b1: 100 000 kr = 10 000 000 öre at 100 % EU; amended to 8 000 000 öre.
    const moved = YearSums.move(YearSums.empty(), 2022, b1(s0), b1(s1))
    expect(sorted(moved)).toStrictEqual([
      ["amount\u001fbusiness-support", -2_000_000],
      ["eu-ore", -2_000_000]
    ])
    // b1 8 000 000 + b2 6 000 000 + b3 4 000 000 öre; EU 8 000 000 + 3 000 000 (50 % of b2).
    const sums = YearSums.sumsOf(s1, context)
    expect(at(sums, `amount${S}business-support`)).toBe(18_000_000)
    expect(at(sums, "eu-ore")).toBe(11_000_000)
    const values = finished(sums, s1, context, undefined)
    // 11 000 000 / 18 000 000 = 61,11… % → 61,1; 18 / (18 − 11) = 2,571… → 2,57.
    expect(byKey(indicatorOf(values, "eu-co-financing").breakdown)).toMatchObject({
      "eu-share-of-money": 61.1,
      leverage: 2.57
    })
    // Investment 15 000 000 + 3 000 000 + 2 100 000 = 20 100 000 ÷ 18 000 000 = 1,1166… → 1,12.
    expect(indicatorOf(values, "investment-leverage").value).toBe(1.12)
    expect(values).toStrictEqual(computed(s1, context, undefined))
    // The recovery of b2 changes its record (recovered) but no sum.
    const b2 = (s: ReadModels.ReadModelsState) => YearSums.entityOf(s, "application", A, "b2")
    expect(b2(s2)?.record).not.toStrictEqual(b2(s1)?.record)
    expect(YearSums.contribution(b2(s2) as YearSums.Entity, 2022)).toStrictEqual(
      YearSums.contribution(b2(s1) as YearSums.Entity, 2022)
    )
    expect(sorted(YearSums.sumsOf(s2, context))).toStrictEqual(sorted(sums))
  })

  it("a membership ended then re-signed counts again; re-registering its organisation moves no sum", async () => {
    const resign = tricky("MembershipSigned")
    const reregister = tricky("OrganisationRegistered")
    const rows = [...handEvents, ...resign, ...reregister]
    const n = handEvents.length
    const [s0, s1, s2] = (await foldAll(rows, [
      { toPosition: n },
      { toPosition: n + 1 },
      { toPosition: n + 2 }
    ])) as [ReadModels.ReadModelsState, ReadModels.ReadModelsState, ReadModels.ReadModelsState]
    const key = `${A}|org-gammal`
    const gammal = (s: ReadModels.ReadModelsState) => YearSums.entityOf(s, "membership", A, key)
    // Ended in 2020: it contributes nothing; re-signed 2023-02-01 without a join date.
    expect(sorted(YearSums.contribution(gammal(s0) as YearSums.Entity, 2023))).toStrictEqual([])
    expect(sorted(YearSums.contribution(gammal(s1) as YearSums.Entity, 2023))).toStrictEqual([
      [`member${S}${A}${S}org-gammal`, 1],
      [`undated${S}${A}${S}2023-02-01`, 1]
    ])
    const context = { year: 2023, tenant: A }
    // Proper and active: org-eu (eu), org-arktis (regional-arctic), org-energi (eu, the company),
    // org-gammal (other) = 4; the signatory of org-avtal is another relation.
    const v1 = indicatorOf(
      finished(YearSums.sumsOf(s1, context), s1, context, undefined),
      "active-memberships"
    )
    expect(v1.value).toBe(4)
    expect(v1.breakdown.map((r) => [r.key, r.value])).toStrictEqual([
      ["regional-arctic", 1],
      ["eu", 2],
      ["other", 1],
      ["join-date-unknown", 1],
      ["relation:signatory", 1]
    ])
    expect(v1.breakdown[3]?.label).toBe("Of which join date unknown (first documented 2023-02-01)")
    // org-eu re-registered as regional-arctic: the same sums, another breakdown.
    expect(sorted(YearSums.sumsOf(s2, context))).toStrictEqual(sorted(YearSums.sumsOf(s1, context)))
    const v2 = indicatorOf(
      finished(YearSums.sumsOf(s2, context), s2, context, undefined),
      "active-memberships"
    )
    expect(byKey(v2.breakdown)).toMatchObject({ "regional-arctic": 2, eu: 1, other: 1 })
    expect([v1, v2]).toStrictEqual([
      indicatorOf(computed(s1, context, undefined), "active-memberships"),
      indicatorOf(computed(s2, context, undefined), "active-memberships")
    ])
  })

  it("sums CO2e with decimals exactly, and a key back at 0 is a key never seen", async () => {
    const [s] = (await foldAll(trickyEvents, [{ toPosition: trickyEvents.length }])) as [
      ReadModels.ReadModelsState
    ]
    const context = { year: 2023, tenant: D }
    const sums = YearSums.sumsOf(s, context)
    // 0,1 + 0,2 kg in tenths; 7,25 + 2,35 (td4's actual) in hundredths: 0,3 + 9,60 = 9,9 kg.
    expect(at(sums, `co2e${S}1`)).toBe(3)
    expect(at(sums, `co2e${S}2`)).toBe(960)
    const v = indicatorOf(finished(sums, s, context, undefined), "trip-co2e")
    expect(v.value).toBe(9.9)
    // Per approved trip 9,9 / 4 = 2,475 → 2,5; car 0,2 + 2,35 = 2,55 → 2,6; train 7,35 → 7,4;
    // td5 (not evaluated) 0. Modes in text order.
    expect(v.breakdown.map((r) => [r.key, r.value])).toStrictEqual([
      ["per-trip", 2.5],
      ["mode:car", 2.6],
      ["mode:not evaluated", 0],
      ["mode:train", 7.4]
    ])
    expect(v).toStrictEqual(indicatorOf(computed(s, context, undefined), "trip-co2e"))
    // td5 out and back in: the same map, with no key at 0; without it, no "not evaluated" row.
    const td5 = YearSums.entityOf(s, "trip", D, "td5") as YearSums.Entity
    const without = YearSums.move(YearSums.copy(sums), 2023, td5, undefined)
    expect(YearSums.entries(without).every(([, n]) => n !== 0)).toBe(true)
    expect(at(without, `mode${S}not evaluated`)).toBeUndefined()
    expect(without.has("mode")).toBe(true)
    const rows = indicatorOf(finished(without, s, context, undefined), "trip-co2e").breakdown.map(
      (r) => r.key
    )
    expect(rows).toStrictEqual(["per-trip", "mode:car", "mode:train"])
    expect(sorted(YearSums.move(without, 2023, undefined, td5))).toStrictEqual(sorted(sums))
  })

  it("keeps CO2e exact beyond one chunk: 1 234 567 890,125 kg as 567 890 125 thousandths + 1 234 × 10⁶ kg", async () => {
    const [s] = (await foldAll(trickyEvents, [{ toPosition: trickyEvents.length }])) as [
      ReadModels.ReadModelsState
    ]
    const context = { year: 2024, tenant: D }
    const sums = YearSums.sumsOf(s, context)
    expect(at(sums, `co2e${S}3`)).toBe(567_890_125)
    expect(at(sums, `co2e${S}-6`)).toBe(1234)
    // ,125 rounds half away from zero at one decimal to ,1.
    const v = indicatorOf(finished(sums, s, context, undefined), "trip-co2e")
    expect(v.value).toBe(1_234_567_890.1)
    expect(v).toStrictEqual(indicatorOf(computed(s, context, undefined), "trip-co2e"))
  })

  it("sums CO2e exactly, as the trip totals now do: 13,2 + 7,1 kg over 2 trips is 10,15 → 10,2", async () => {
    // Two trips of tenant D in 2025, approved with 13,2 and 7,1 kg.
    const trips = [...trip("te1", "2025-03-01", [], 13.2), ...trip("te2", "2025-03-01", [], 7.1)]
    const [s] = (await foldAll(trips, [{ toPosition: trips.length }])) as [ReadModels.ReadModelsState]
    const context = { year: 2025, tenant: D }
    const v = indicatorOf(finished(YearSums.sumsOf(s, context), s, context, undefined), "trip-co2e")
    // 20,3 kg in all; per approved trip 20,3 / 2 = 10,15, half away from zero → 10,2.
    expect([v.value, v.breakdown[0]?.value]).toStrictEqual([20.3, 10.2])
    // The indicator's own compute, once 13.2 + 7.1 = 20.299999999999997 and 10,1 (found by the
    // sums, docs/decisions/0046, step 2), reads the trip totals summed as decimals since 0.3.
    const oracle = indicatorOf(computed(s, context, undefined), "trip-co2e")
    expect([oracle.value, oracle.breakdown[0]?.value]).toStrictEqual([20.3, 10.2])
  })

  it("rounds a grant's EU money per grant, as the indicator does: 101 öre at 50 % is 51 öre", async () => {
    const [s] = (await foldAll(trickyEvents, [{ toPosition: trickyEvents.length }])) as [
      ReadModels.ReadModelsState
    ]
    const context = { year: 2023, tenant: D }
    const sums = YearSums.sumsOf(s, context)
    expect(at(sums, "eu-ore")).toBe(51)
    const v = indicatorOf(finished(sums, s, context, undefined), "eu-co-financing")
    // 51 / 101 = 50,495… % → 50,5; 101 / (101 − 51) = 2,02; Σ rate 50 / 100 = 0,5.
    expect(v.breakdown.map((r) => [r.key, r.value])).toStrictEqual([
      ["decisions", 1],
      ["equivalents", 0.5],
      ["eu-share-of-money", 50.5],
      ["leverage", 2.02],
      ["source:react-eu", 1]
    ])
    expect(v).toStrictEqual(indicatorOf(computed(s, context, undefined), "eu-co-financing"))
  })

  it("orders categories and goals as compute first meets them", async () => {
    const [s] = (await foldAll(trickyEvents, [{ toPosition: trickyEvents.length }])) as [
      ReadModels.ReadModelsState
    ]
    const context = { year: 2023, tenant: D, goalsSchemeId: GOALS_D }
    const values = finished(YearSums.sumsOf(s, context), s, context, undefined)
    // rus-d: pd1 Z 3 000 000, pd2 "10" 1 000 000, pd3 "9" 2 000 000, pd4 unclassified 1 000 000 öre
    // of 7 000 000. Object keys that are integers come first, ascending: 9, 10, Z, unclassified.
    // Units of 0,1 %: 285,7 / 142,9 / 428,6 / 142,9 → floors 285 + 142 + 428 + 142 = 997; the 3
    // missing go to the largest remainders ,857 ("10", then unclassified by key) and ,714 ("9").
    const category = indicatorOf(values, "granted-by-category", "rus-d")
    expect(category.breakdown.map((r) => [r.key, r.value])).toStrictEqual([
      ["9", 28.6],
      ["10", 14.3],
      ["Z", 42.8],
      ["unclassified", 14.3]
    ])
    // Items: trips td1–td5, agreements ad1–ad3, projects pd1–pd4 = 12. Categories K1, K2 first;
    // then codes outside them as first met: trips by departure (td2 2023-02-01: K2; td1 03-01:
    // X2, K1, X1; td5 06-01: X3 (td3 04-01 carries X1 again)), agreements by Swedish title
    // (Avtal A: X6, K1; Ålandsavtalet: X5; Östersjöavtalet: X4).
    const goals = indicatorOf(values, "goal-coverage")
    expect(goals.breakdown.map((r) => [r.key, r.value])).toStrictEqual([
      ["K1", 2],
      ["K2", 1],
      ["X2", 1],
      ["X1", 2],
      ["X3", 1],
      ["X6", 1],
      ["X5", 1],
      ["X4", 1]
    ])
    // Covered: td1, td2, td3, td5, ad1, ad2, ad3 = 7 of 12 = 58,3 %.
    expect([goals.numerator, goals.denominator, goals.value]).toStrictEqual([7, 12, 58.3])
    expect(values).toStrictEqual(computed(s, context, undefined))
  })

  it("reads the year's frame from the budgets whole: the last framed budget in the state's order", async () => {
    const [s] = (await foldAll(trickyEvents, [{ toPosition: trickyEvents.length }])) as [
      ReadModels.ReadModelsState
    ]
    const context = { year: 2023, tenant: D }
    // d-syd's frame 60 000 + 30 000 + 10 000 öre = 60 / 30 / 10 %, though d-norr was framed later.
    const v = indicatorOf(
      finished(YearSums.sumsOf(s, context), s, context, undefined),
      "allocation-by-instrument"
    )
    expect([v.value, ...v.breakdown.map((r) => r.value)]).toStrictEqual([100_000, 60, 30, 10])
    expect(v).toStrictEqual(indicatorOf(computed(s, context, undefined), "allocation-by-instrument"))
    // Budgets contribute no sum: they are read whole.
    const budget = YearSums.entityOf(s, "budget", D, "d-syd|2023") as YearSums.Entity
    expect(YearSums.entries(YearSums.contribution(budget, 2023))).toStrictEqual([])
  })

  it("a largest-remainder share whose rounding changes with the entities moved in", async () => {
    const business = (id: string, leadership: string): FixtureEvent => ({
      streamId: `application-${id}`,
      type: "BusinessSupportGranted",
      occurredAt: "2022-08-01",
      tenant: A,
      actor: { id: "board", role: "board" },
      decisionRef: null,
      payload: {
        applicationId: id,
        year: 2022,
        regionId: A,
        amount: 1_000_000,
        decidingBody: "board",
        supportType: "investment",
        sector: "services",
        supportArea: "A",
        investment: 1_000_000,
        expectedJobsWomen: 0,
        expectedJobsMen: 0,
        leadership
      }
    })
    const added = [
      business("n1", "woman"),
      business("n2", "woman"),
      business("n3", "man"),
      business("n4", "shared")
    ]
    const rows = [...handEvents, ...added]
    const [s0, s1] = (await foldAll(rows, [
      { toPosition: handEvents.length },
      { toPosition: rows.length }
    ])) as [ReadModels.ReadModelsState, ReadModels.ReadModelsState]
    const context = { year: 2022, tenant: A }
    const shares = (sums: YearSums.Sums, s: ReadModels.ReadModelsState) =>
      indicatorOf(finished(sums, s, context, undefined), "leadership-shares").breakdown.map((r) => [
        r.key,
        r.value
      ])
    // 1/1/1: 33 each and one unit left; equal remainders and amounts: the first key, "man", gets it.
    const sums = YearSums.sumsOf(s0, context)
    expect(shares(sums, s0)).toStrictEqual([
      ["woman", 33],
      ["man", 34],
      ["shared", 33]
    ])
    for (const id of ["n1", "n2", "n3", "n4"])
      YearSums.move(sums, 2022, undefined, YearSums.entityOf(s1, "application", A, id))
    // 3/2/2 of 7: 42,86 / 28,57 / 28,57 → 42 + 28 + 28 = 98; the 2 units go to woman (,86) and
    // man (,57, tied with shared, first by key).
    expect(shares(sums, s1)).toStrictEqual([
      ["woman", 43],
      ["man", 29],
      ["shared", 28]
    ])
    expect(finished(sums, s1, context, undefined)).toStrictEqual(computed(s1, context, undefined))
  })
})
