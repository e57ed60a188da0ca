import { readFileSync } from "node:fs"
import { join } from "node:path"
import { expect, it } from "vitest"
import { renderReference } from "./reference.js"

it("docs/reference/indicators.md is generated from the current definitions", () => {
  const committed = readFileSync(
    join(import.meta.dirname, "..", "..", "..", "docs", "reference", "indicators.md"),
    "utf8"
  )
  expect(
    committed,
    "run: npx tsx --conditions=@utblick/source packages/indicators/scripts/reference.ts"
  ).toBe(renderReference())
})
