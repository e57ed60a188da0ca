// The core package's own tests alone (the workspace config runs every project), for mutation testing.
import { defineConfig } from "vitest/config"

export default defineConfig({
  ssr: { resolve: { conditions: ["@utblick/source", "module", "node"] } },
  // The README test and the "Add an aggregate" walk-through (docs/concepts/deciders.md) read files
  // outside the package, which Stryker's sandbox does not copy.
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/readme.test.ts", "test/domain/AddAggregate.test.ts"],
    // A fixed fast-check seed, so that Stryker finds each property test of its dry run again in
    // the mutant runs (`test.prop` names carry the seed).
    setupFiles: ["test/fixedSeed.setup.ts"],
    testTimeout: 60_000
  }
})
