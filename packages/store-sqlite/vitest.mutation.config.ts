// The store-sqlite package's own tests alone (the workspace config runs every project), for
// mutation testing of the checkpoint store, the index check and the row decoding (stryker.config.json
// "mutate").
import { defineConfig } from "vitest/config"

export default defineConfig({
  ssr: { resolve: { conditions: ["@utblick/source", "module", "node"] } },
  // The reliability tests spawn writer processes (tsx, one to eight at a time) and kill them: 6 s
  // on a quiet machine, up to their 180 s limit on a loaded one. They exercise the event store's
  // writes, never the checkpoint store or the index check; the one corrupt row they read is one of
  // the cases of corruptRows.test.ts, which runs here.
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/reliability.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    setupFiles: ["test/fixedSeed.setup.ts"]
  }
})
