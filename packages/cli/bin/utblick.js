#!/usr/bin/env node
// The `utblick` executable: loads the bundled CLI that `pnpm build` writes to dist/. One file,
// tree-shaken, so a command starts without resolving hundreds of modules (see ADR 0031).
import module from "node:module"

// V8's code cache for the bundle (Node >= 22.1): later starts skip compiling it again.
module.enableCompileCache?.()

import("../dist/utblick.js").catch((error) => {
  if (error?.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes("utblick.js")) {
    console.error("error: the utblick CLI is not built (packages/cli/dist/utblick.js is missing)")
    console.error("hint: run `pnpm install` (it builds it) or `pnpm --filter @utblick/cli run build`")
    process.exit(2)
  }
  // Print the stack only: Node's default would echo a line of the minified bundle.
  console.error(error instanceof Error ? error.stack : error)
  process.exit(2)
})
