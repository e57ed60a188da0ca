#!/usr/bin/env node
// The `utblick` executable: loads the bundled CLI that `pnpm build` writes to dist/. One file,
// tree-shaken, so a command starts without resolving hundreds of modules (see ADR 0031).
import module from "node:module"

// A command streams a whole log or file and keeps most of what it allocates for a moment only.
// V8, on a machine with memory to spare, then grows its young generation to two semi-spaces of
// 32–64 MB, mostly garbage: 100 MB of a report's peak. And what outlives a scavenge (a segment of
// rows being built, ADR 0046) is garbage in the old generation soon after, which V8 lets grow to
// several times what is live before it collects it. The flags that bound both are read only when
// Node starts, so a command starts Node again with them, in the same process (`process.execve`:
// same process id, stdio and environment; Unix, Node >= 22.15). Help and version need no data and
// start once. A young-generation bound given by the caller (flag or NODE_OPTIONS) is kept with
// V8's sizing otherwise, and UTBLICK_YOUNG_GENERATION=default keeps V8's own sizing. ADR 0048.
const YOUNG = "--max-semi-space-size"
const GROWTH = "--heap-growing-percent"
const AGAIN = "UTBLICK_YOUNG_GENERATION"
const args = process.argv.slice(2)
const light = args.length === 0 || args.some((a) => a === "--help" || a === "-h" || a === "--version")
const given = (flag) =>
  [...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/)].some((a) => a.startsWith(flag))
const bounded = given(YOUNG)
// "started-again" marks the second start, so that nothing can start it a third time; it is not
// passed on to what the command itself starts.
const again = process.env[AGAIN]
if (again === "started-again") delete process.env[AGAIN]
else if (!light && !bounded && again !== "default" && typeof process.execve === "function") {
  try {
    process.execve(
      process.execPath,
      [
        process.execPath,
        `${YOUNG}=16`,
        ...(given(GROWTH) ? [] : [`${GROWTH}=50`]),
        ...process.execArgv,
        ...process.argv.slice(1)
      ],
      {
        ...process.env,
        [AGAIN]: "started-again"
      }
    )
  } catch {
    // Not replaced (a sandbox refusing exec): run here with V8's defaults.
  }
}

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
