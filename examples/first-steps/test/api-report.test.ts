// The public surface of the packages is checked in (packages/<name>/api-report.md): a change to
// it fails here until the report is regenerated, so it is seen and reviewed, like a golden file.
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { expect, it } from "vitest"
import { reports, root } from "./apiReport.js"

const update = process.env["UTBLICK_UPDATE_API"] === "1"

it("every package's public surface equals its checked-in API report", { timeout: 600_000 }, () => {
  const generated = reports()
  expect(Object.keys(generated)).toEqual([
    "audit",
    "core",
    "facade",
    "indicators",
    "projections",
    "store-postgres",
    "store-sqlite"
  ])
  for (const [name, report] of Object.entries(generated)) {
    const file = join(root, "packages", name, "api-report.md")
    if (update) writeFileSync(file, report)
    const checkedIn = existsSync(file) ? readFileSync(file, "utf8") : "(missing)"
    expect(report, `the public surface of @utblick/${name} changed: review it, then regenerate with UTBLICK_UPDATE_API=1`).toBe(checkedIn)
  }
})
