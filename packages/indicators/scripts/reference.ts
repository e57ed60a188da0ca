// Writes docs/reference/indicators.md from the indicator definitions, so the reference and the
// code cannot disagree; test/reference.test.ts fails when the committed file is stale.
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { renderReference } from "../test/reference.js"

writeFileSync(join(import.meta.dirname, "..", "..", "..", "docs", "reference", "indicators.md"), renderReference())
