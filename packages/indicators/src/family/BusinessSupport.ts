/**
 * Indicators of business support (företagsstöd), the funding family's grants to firms: the
 * approval rate, the leadership of the firms, expected jobs, investment leverage and EU
 * co-financing. Fed by `BusinessSupportGranted`, `ApplicationRejected` and `GrantAmended`.
 *
 * @since 0.2.0
 */

import { define, shareRows, value } from "../internal/value.js"
import * as Share from "../Share.js"

/**
 * Share of decided business-support applications that were granted in the year.
 *
 * Formula: grants charged to the year ÷ (grants charged to the year + rejections decided in it),
 * in percent (one decimal, half up). Fed by `BusinessSupportGranted`, `ApplicationRejected`.
 * Seeds: 2017 138/169 = 81.7 %; 2022 125/164 = 76.2 %.
 *
 * @category definitions
 * @since 0.1.0
 */
export const approvalRate = define({
  id: "approval-rate",
  version: 1,
  title: "Approval rate of business-support applications",
  titleSv: "Andel beviljade ansökningar om företagsstöd",
  unit: "percent",
  formula: "granted ÷ (granted + rejected) among business-support decisions of the year",
  feeds: ["BusinessSupportGranted", "ApplicationRejected"],
  compute: (view) => {
    const { context } = view
    const totals = view.summary().byInstrument["business-support"]
    const decided = totals.granted + totals.rejected
    // A tenant or year without business support has no approval rate, not a rate over zeros.
    if (totals.applications === 0 && decided === 0) return []
    return [
      value(approvalRate, context, Share.percent(totals.granted, decided), {
        numerator: totals.granted,
        denominator: decided,
        rowUnit: "count",
        breakdown: [
          { key: "applications", label: "Applications received", value: totals.applications },
          { key: "granted", label: "Granted (bifallna)", value: totals.granted },
          { key: "rejected", label: "Rejected (avslagna)", value: totals.rejected }
        ]
      })
    ]
  }
})

/**
 * Leadership of the firms granted business support: led by a woman, a man, or shared.
 *
 * Formula: firms per leadership ÷ firms granted, whole percent by largest remainder (sums to 100).
 * Fed by `BusinessSupportGranted`. Seeds: 2017 29/56/15 %; 2022 24/66/10 %.
 *
 * @category definitions
 * @since 0.1.0
 */
export const leadershipShares = define({
  id: "leadership-shares",
  version: 1,
  title: "Leadership of supported firms",
  titleSv: "Ledarskap i stödda företag",
  unit: "count",
  formula: "firms granted business support per leadership ÷ all of them (whole percent, largest remainder)",
  feeds: ["BusinessSupportGranted"],
  compute: (view) => {
    const { context } = view
    const grants = view.grants("business-support")
    if (grants.length === 0) return []
    const counts: Record<string, number> = { woman: 0, man: 0, shared: 0 }
    for (const g of grants)
      if (g.grant.leadership !== null) counts[g.grant.leadership] = (counts[g.grant.leadership] ?? 0) + 1
    const labels: Record<string, string> = {
      woman: "Led by a woman",
      man: "Led by a man",
      shared: "Shared leadership"
    }
    return [
      value(leadershipShares, context, grants.length, {
        rowUnit: "whole-percent",
        breakdown: shareRows(counts, (k) => labels[k] ?? k, 0)
      })
    ]
  }
})

/**
 * Expected new jobs in the firms granted business support, by gender, and per million kronor.
 *
 * Formula: Σ expected jobs (women + men); women's share = Σ women ÷ Σ jobs; jobs per mkr =
 * Σ jobs ÷ (Σ granted öre ÷ 10^8). Fed by `BusinessSupportGranted`.
 *
 * @category definitions
 * @since 0.1.0
 */
export const expectedJobs = define({
  id: "expected-jobs",
  version: 1,
  title: "Expected new jobs from business support",
  titleSv: "Förväntade nya jobb av företagsstöd",
  unit: "jobs",
  formula: "Σ expected jobs; women's share; jobs per mkr granted",
  feeds: ["BusinessSupportGranted", "GrantAmended"],
  compute: (view) => {
    const { context } = view
    const grants = view.grants("business-support")
    if (grants.length === 0) return []
    const women = grants.reduce((n, g) => n + g.grant.expectedJobsWomen, 0)
    const men = grants.reduce((n, g) => n + g.grant.expectedJobsMen, 0)
    const granted = grants.reduce((n, g) => n + g.grant.amount, 0)
    return [
      value(expectedJobs, context, women + men, {
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
})

/**
 * How much investment each krona of business support goes with, and the average grant.
 *
 * Formula: Σ investment öre ÷ Σ granted öre (two decimals); average = Σ granted ÷ grants.
 * Fed by `BusinessSupportGranted`, `GrantAmended`. Seeds: 2017 280/85 = 3.29; 2022 183/58.7 = 3.12.
 *
 * @category definitions
 * @since 0.1.0
 */
export const investmentLeverage = define({
  id: "investment-leverage",
  version: 1,
  title: "Investment leverage of business support",
  titleSv: "Investeringar per stödkrona",
  unit: "ratio",
  formula: "Σ investment ÷ Σ granted business support",
  feeds: ["BusinessSupportGranted", "GrantAmended"],
  compute: (view) => {
    const { context } = view
    const grants = view.grants("business-support")
    if (grants.length === 0) return []
    const investment = grants.reduce((n, g) => n + g.grant.investment, 0)
    const granted = grants.reduce((n, g) => n + g.grant.amount, 0)
    return [
      value(investmentLeverage, context, Share.ratio(investment, granted), {
        numerator: investment,
        denominator: granted,
        rowUnit: "ore",
        breakdown: [
          { key: "granted", label: "Granted", value: granted },
          { key: "investment", label: "Investment", value: investment },
          {
            key: "average-grant",
            label: "Average grant",
            value: Share.roundQuotient(granted, grants.length, 0)
          }
        ]
      })
    ]
  }
})

/**
 * EU co-financing of business support: the share of grants that are EU co-financed, their
 * decision-equivalents (Σ rate), the EU-financed part of the money, and the leverage.
 *
 * Formula: co-financed grants ÷ grants; equivalents = Σ rate ÷ 100; EU öre = Σ amount × rate ÷ 100;
 * leverage = Σ granted ÷ (Σ granted − EU öre), i.e. kronor of support per krona of the region's
 * own money (`null` when all of it is EU money). Fed by `BusinessSupportGranted`.
 * Seeds: 2022 46 of 125 (36.8 %), 39 × 1.0 + 7 × 0.5 = 42.5 equivalents.
 *
 * @category definitions
 * @since 0.1.0
 */
export const euCoFinancing = define({
  id: "eu-co-financing",
  version: 1,
  title: "EU co-financing of business support",
  titleSv: "EU-medfinansiering av företagsstöd",
  unit: "percent",
  formula: "co-financed grants ÷ grants; Σ rate ÷ 100; Σ amount × rate ÷ 100; granted ÷ own money",
  feeds: ["BusinessSupportGranted"],
  compute: (view) => {
    const { context } = view
    const grants = view.grants("business-support")
    // The read model sets a grant's EU source and rate together, from one `euCoFinancing`.
    const cofinanced = grants.filter((g) => g.grant.euSource !== null)
    // The grant event records EU co-financing only where there is some, so a year in which no
    // grant records it cannot tell "none" from "not recorded": it is no data, not 0 % (ADR 0020).
    // (A year without grants has none co-financed either.)
    if (cofinanced.length === 0) return []
    const ratePoints = cofinanced.reduce((n, g) => n + (g.grant.euRatePercent ?? 0), 0)
    const granted = grants.reduce((n, g) => n + g.grant.amount, 0)
    const euOre = cofinanced.reduce(
      (n, g) => n + Math.round((g.grant.amount * (g.grant.euRatePercent ?? 0)) / 100),
      0
    )
    const bySource: Record<string, number> = {}
    for (const g of cofinanced)
      bySource[g.grant.euSource as string] = (bySource[g.grant.euSource as string] ?? 0) + 1
    return [
      value(euCoFinancing, context, Share.percent(cofinanced.length, grants.length), {
        numerator: cofinanced.length,
        denominator: grants.length,
        breakdown: [
          { key: "decisions", label: "Co-financed decisions", value: cofinanced.length, unit: "count" },
          {
            key: "equivalents",
            label: "Decision-equivalents (Σ rate)",
            value: ratePoints / 100,
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
})
