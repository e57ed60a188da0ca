/**
 * The finish of the year sums (ADR 0046): each indicator's values from the sums of its year and
 * the models read whole, equal to its `compute` over the state the sums are of. Exposed through
 * `YearSums.finish` and `YearSums.summed`.
 *
 * @since 0.3.0
 */
import type { Agreements, FundingPortfolio, Trips } from "@utblick/projections"
import { RegistryModel } from "@utblick/projections"
import type { Context, Definition, IndicatorValue, Row } from "../Definition.js"
import * as Indicator from "../Indicator.js"
import * as Share from "../Share.js"
import { S, type Sums, valueAt, type Whole } from "./sumsShape.js"
import { instrumentLabels, shareRows, value } from "./value.js"

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
