import type { FundingPortfolio } from "@utblick/projections"
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
