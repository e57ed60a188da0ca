/**
 * Indicators of the memberships family (medlemskap in international organisations and networks):
 * active memberships by focus area. Fed by `MembershipSigned`, `MembershipEnded` and
 * `OrganisationRegistered`.
 *
 * @since 0.2.0
 */
import { Memberships } from "@utblick/projections"
import { define, filterOf, value } from "../internal/value.js"

/**
 * Active memberships at the end of the year, per focus area.
 *
 * Formula: memberships proper (member or founder) signed and not ended, counted by the
 * organisation's focus area; other active relations (signatory, project or consortium partner)
 * are counted per kind beside them. Fed by `MembershipSigned`, `MembershipEnded`,
 * `OrganisationRegistered`. Seed: Luleå kommun 2024 = 5 (000:84-88).
 *
 * @category definitions
 * @since 0.1.0
 */
export const activeMemberships = define({
  id: "active-memberships",
  version: 1,
  title: "Active memberships by focus area",
  titleSv: "Aktiva medlemskap per inriktning",
  unit: "count",
  formula:
    "memberships proper (member, founder) signed and not ended, per focus area; of which with an unknown join date; other relations per kind",
  feeds: ["MembershipSigned", "MembershipEnded", "OrganisationRegistered"],
  compute: (view) => {
    const { models, context } = view
    const filter = {
      ...filterOf(context),
      ...(context.actorId === undefined ? {} : { actorId: context.actorId })
    }
    const counts = Memberships.countByFocusArea(models.memberships, { ...filter, kinds: Memberships.PROPER })
    const total = Object.values(counts).reduce((a, b) => a + b, 0)
    const others: Record<string, number> = {}
    for (const [kind, n] of Object.entries(Memberships.countByKind(models.memberships, filter))) {
      if (!Memberships.PROPER.includes(kind)) others[kind] = n
    }
    if (total === 0 && Object.keys(others).length === 0) return []
    const labels: Record<string, string> = {
      "regional-arctic": "Regional / Arctic",
      eu: "EU",
      other: "Other"
    }
    // Memberships whose join date the sources do not give are dated by the document that first
    // shows them (e.g. a web page of 2021-10-07): they are members "by" that date, maybe long
    // before. Saying how many of the count are such keeps a year comparison honest (ADR 0021).
    const undated = Memberships.active(models.memberships, { ...filter, kinds: Memberships.PROPER }).filter(
      (m) => m.sincePrecision === "recorded"
    )
    const evidence = [...new Set(undated.map((m) => m.since))].sort()
    return [
      value(activeMemberships, context, total, {
        breakdown: [
          ...Object.entries(counts).map(([key, n]) => ({ key, label: labels[key] ?? key, value: n })),
          {
            key: "join-date-unknown",
            label:
              evidence.length === 0
                ? "Of which join date unknown"
                : `Of which join date unknown (first documented ${evidence.join(", ")})`,
            value: undated.length
          },
          ...Object.entries(others)
            .sort()
            .map(([kind, n]) => ({ key: `relation:${kind}`, label: `Other relations: ${kind}`, value: n }))
        ]
      })
    ]
  }
})
