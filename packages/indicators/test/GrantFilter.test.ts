import type { FundingPortfolio, ReadModels } from "@utblick/projections"
import { describe, expect, it } from "vitest"
import * as GrantFilter from "../src/GrantFilter.js"

const application = (
  over: Partial<FundingPortfolio.ApplicationRecord>,
  grant: Partial<FundingPortfolio.GrantRecord> | null
): FundingPortfolio.ApplicationRecord =>
  ({
    tenant: "t",
    applicationId: "x",
    instrument: "business-support",
    applicantMunicipality: "Kiruna",
    grant: grant === null ? null : { sector: "tourism", supportArea: "A", ...grant },
    ...over
  }) as FundingPortfolio.ApplicationRecord

describe("GrantFilter", () => {
  it("every given field must match; the municipality without regard to case", () => {
    const a = application({}, {})
    expect(GrantFilter.matches({ sector: "tourism", municipality: "KIRUNA" }, a)).toBe(true)
    expect(GrantFilter.matches({ sector: "tourism", supportArea: "B" }, a)).toBe(false)
    expect(GrantFilter.matches({ instrument: "project-support" }, a)).toBe(false)
    expect(
      GrantFilter.matches({ municipality: "Kiruna" }, application({ applicantMunicipality: null }, {}))
    ).toBe(false)
  })

  it("a support area matches the grant's own area, alone or with the other fields", () => {
    const a = application({}, {})
    expect(GrantFilter.matches({ supportArea: "A" }, a)).toBe(true)
    expect(GrantFilter.matches({ supportArea: "A", sector: "tourism", municipality: "kiruna" }, a)).toBe(true)
    expect(GrantFilter.matches({ supportArea: "B" }, a)).toBe(false)
    expect(GrantFilter.matches({ supportArea: "A" }, application({}, null))).toBe(false)
  })

  it("a rejected application (no grant) has no sector, so a sector filter never matches it", () => {
    expect(GrantFilter.matches({ sector: "tourism" }, application({}, null))).toBe(false)
    expect(GrantFilter.matches({ municipality: "Kiruna" }, application({}, null))).toBe(true)
  })

  it("leaves the approval rate out under --sector and --support-area, keeps it under the others", () => {
    const ids = (f: GrantFilter.GrantFilter) => GrantFilter.definitionsFor(f).map((d) => d.id)
    expect(ids({ sector: "tourism" })).not.toContain("approval-rate")
    expect(ids({ supportArea: "A" })).not.toContain("approval-rate")
    expect(ids({ municipality: "Kiruna" })).toContain("approval-rate")
    expect(ids({ instrument: "business-support" })).not.toContain("active-memberships")
    expect(ids({ instrument: "business-support" })).not.toContain("allocation-by-instrument")
    expect(GrantFilter.isEmpty({})).toBe(true)
    expect(GrantFilter.isEmpty({ sector: undefined })).toBe(true)
  })
})

describe("GrantFilter over a portfolio", () => {
  // Tenant t: a1 business support in Kiruna (tourism, area A); a2 project support in Ängelholm,
  // rejected (no grant); a3 business support in Åre (industry, area B). Tenant u: a4 in Arjeplog.
  const a1 = application({ applicationId: "a1" }, {})
  const a2 = application(
    { applicationId: "a2", instrument: "project-support", applicantMunicipality: "Ängelholm" },
    null
  )
  const a3 = application(
    { applicationId: "a3", applicantMunicipality: "Åre" },
    { sector: "industry", supportArea: "B" }
  )
  const a4 = application({ tenant: "u", applicationId: "a4", applicantMunicipality: "Arjeplog" }, {})
  const portfolio: FundingPortfolio.PortfolioState = {
    applications: new Map([
      [
        "t",
        new Map([
          ["a1", a1],
          ["a2", a2],
          ["a3", a3]
        ])
      ],
      ["u", new Map([["a4", a4]])]
    ]),
    budgets: new Map([["t", new Map()]])
  }

  it("existing: the values each field takes, in Swedish order (Å before Ä), granted ones for sector and area", () => {
    expect(GrantFilter.existing(portfolio, "t")).toEqual({
      instrument: ["business-support", "project-support"],
      sector: ["industry", "tourism"],
      supportArea: ["A", "B"],
      // The Swedish alphabet ends … X, Y, Z, Å, Ä, Ö (code-unit order would put Ä before Å).
      municipality: ["Kiruna", "Åre", "Ängelholm"]
    })
    // Every tenant when none is given.
    expect(GrantFilter.existing(portfolio, undefined).municipality).toEqual([
      "Arjeplog",
      "Kiruna",
      "Åre",
      "Ängelholm"
    ])
  })

  it("apply: only the matching applications, tenants with none left out, and no budgets", () => {
    const models = { portfolio } as unknown as ReadModels.ReadModelsState
    const filtered = GrantFilter.apply(models, { sector: "tourism" })
    // a1 (t) and a4 (u) are tourism; a2 has no grant, a3 is industry.
    expect([...filtered.portfolio.applications].map(([tenant, m]) => [tenant, [...m.keys()]])).toEqual([
      ["t", ["a1"]],
      ["u", ["a4"]]
    ])
    expect(filtered.portfolio.budgets.size).toBe(0)
    const inAre = GrantFilter.apply(models, { municipality: "åre" })
    expect([...inAre.portfolio.applications].map(([tenant, m]) => [tenant, [...m.keys()]])).toEqual([
      ["t", ["a3"]]
    ])
  })

  it("definitionsFor: the funding indicators computed from grants, in reporting order", () => {
    expect(GrantFilter.definitionsFor({ municipality: "Kiruna" }).map((d) => d.id)).toEqual([
      "approval-rate",
      "granted-by-instrument",
      "granted-by-category",
      "leadership-shares",
      "expected-jobs",
      "investment-leverage",
      "eu-co-financing",
      "projects-by-main-purpose"
    ])
    expect(GrantFilter.definitionsFor({ supportArea: "A" })[0]?.id).toBe("granted-by-instrument")
  })

  it("isEmpty: any one field given makes a filter", () => {
    expect(
      [{ instrument: "x" }, { sector: "x" }, { supportArea: "x" }, { municipality: "x" }].map((f) =>
        GrantFilter.isEmpty(f)
      )
    ).toEqual([false, false, false, false])
    expect(GrantFilter.isEmpty(undefined)).toBe(true)
  })
})
