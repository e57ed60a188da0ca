/** Rewrites docs/reference/import-formats.md from the command schemas. */
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { render } from "../src/ImportFormats.js"

writeFileSync(join(import.meta.dirname, "../../../docs/reference/import-formats.md"), render())
