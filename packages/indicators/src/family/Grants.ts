/**
 * Indicators of granted money (beviljade medel) across the funding family's instruments: the
 * year's grants by instrument, project support by classification, and projects by horizontal
 * main purpose. Fed by `ProjectGranted`, `BusinessSupportGranted`,
 * `CommercialServiceSupportGranted`, `GrantAmended` and `ClassificationSchemeAdopted`.
 *
 * @since 0.2.0
 */
import { FundingPortfolio, RegistryModel } from "@utblick/projections"
import { define, instrumentLabels, shareRows, value } from "../internal/value.js"

/**
 * Granted money of the year split by instrument, with shares that sum to 100 %.
 *
 * Formula: Σ current grant amounts per instrument ÷ Σ over instruments. Fed by `ProjectGranted`,
 * `BusinessSupportGranted`, `CommercialServiceSupportGranted`, `GrantAmended`.
 *
 * @category definitions
 * @since 0.1.0
 */
export const grantedByInstrument = define({
  id: "granted-by-instrument",
  version: 1,
  title: "Granted money by instrument",
  titleSv: "Beviljade medel per stödform",
  unit: "ore",
  formula: "Σ granted öre per instrument (shares by largest remainder, one decimal)",
  feeds: ["ProjectGranted", "BusinessSupportGranted", "CommercialServiceSupportGranted", "GrantAmended"],
  compute: (view) => {
    const { context } = view
    const summary = view.summary()
    const amounts = Object.fromEntries(
      FundingPortfolio.instruments.map((i) => [i, summary.byInstrument[i].grantedAmount])
    )
    // No funding recorded for the year at all (no appropriation, frame, application, grant or
    // rejection): no data — a block of zeros would claim the tenant funds nothing. With an
    // appropriation or applications but no grant, 0 kr granted is a true zero.
    const t = summary.total
    if (
      summary.appropriation === 0 &&
      summary.frame === null &&
      t.applications + t.granted + t.rejected === 0
    )
      return []
    return [
      value(grantedByInstrument, context, summary.total.grantedAmount, {
        rowUnit: "percent",
        breakdown: shareRows(amounts, (k) => instrumentLabels[k] ?? k)
      })
    ]
  }
})

/**
 * Granted project-support money of the year per category of each classification scheme the
 * grants are tagged with (e.g. the 2017 smart-specialisation table).
 *
 * Formula: Σ grant öre per primary code of the scheme, plus `unclassified`, ÷ Σ granted project
 * support. Fed by `ProjectGranted`, `GrantAmended`, `ClassificationSchemeAdopted`.
 *
 * @category definitions
 * @since 0.1.0
 */
export const grantedByCategory = define({
  id: "granted-by-category",
  version: 1,
  title: "Granted project support by classification",
  titleSv: "Beviljat projektstöd per klassificering",
  unit: "ore",
  formula: "Σ granted öre per primary code of the scheme (+ unclassified) ÷ Σ granted project support",
  feeds: ["ProjectGranted", "GrantAmended", "ClassificationSchemeAdopted"],
  compute: (view) => {
    const { models, context } = view
    const schemes = new Set<string>()
    for (const g of view.grants("project-support")) {
      for (const c of [...g.grant.priorityCodes, ...g.grant.smartSpecialisationCodes]) schemes.add(c.schemeId)
    }
    return [...schemes].sort().map((scheme) => {
      const result = FundingPortfolio.categoryTotals(view.grants("project-support"), scheme)
      const amounts: Record<string, number> = { ...result.categories }
      if (result.unclassified > 0) amounts["unclassified"] = result.unclassified
      return value(grantedByCategory, context, result.total, {
        scheme,
        rowUnit: "percent",
        breakdown: shareRows(amounts, (k) =>
          k === "unclassified"
            ? "Not classified in this scheme"
            : RegistryModel.categoryLabel(models.registry, scheme, k)
        )
      })
    })
  }
})

/**
 * Projects granted in the year whose main purpose is gender equality, diversity or environment.
 *
 * Formula: count of `ProjectGranted` by `mainPurpose`. Seeds: 2022 6 / 4 / 9.
 *
 * @category definitions
 * @since 0.1.0
 */
export const projectsByMainPurpose = define({
  id: "projects-by-main-purpose",
  version: 1,
  title: "Projects by horizontal main purpose",
  titleSv: "Projekt per horisontellt huvudsyfte",
  unit: "count",
  formula: "count of granted projects per main purpose",
  feeds: ["ProjectGranted"],
  compute: (view) => {
    const { context } = view
    const grants = view.grants("project-support")
    if (grants.length === 0) return []
    const counts: Record<string, number> = { "gender-equality": 0, diversity: 0, environment: 0 }
    for (const g of grants)
      if (g.grant.mainPurpose !== null && g.grant.mainPurpose !== "other")
        counts[g.grant.mainPurpose] = (counts[g.grant.mainPurpose] ?? 0) + 1
    const labels: Record<string, string> = {
      "gender-equality": "Gender equality (jämställdhet)",
      diversity: "Diversity (mångfald)",
      environment: "Environment (miljö)"
    }
    return [
      value(
        projectsByMainPurpose,
        context,
        counts["gender-equality"]! + counts["diversity"]! + counts["environment"]!,
        {
          breakdown: Object.entries(counts).map(([key, n]) => ({ key, label: labels[key] ?? key, value: n }))
        }
      )
    ]
  }
})
