// The core package's own tests alone (the workspace config runs every project), for mutation testing.
import { defineConfig } from "vitest/config"

export default defineConfig({
  ssr: { resolve: { conditions: ["@utblick/source", "module", "node"] } },
  // The README test and the "Add an aggregate" walk-through (docs/concepts/deciders.md) read files
  // outside the package, which Stryker's sandbox does not copy.
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/readme.test.ts", "test/domain/AddAggregate.test.ts"],
    testTimeout: 60_000,
    setupFiles: ["test/fixedSeed.setup.ts"]
  }
})
