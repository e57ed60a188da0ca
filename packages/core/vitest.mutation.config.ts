// The core package's own tests alone (the workspace config runs every project), for mutation testing.
import { defineConfig } from "vitest/config"

// UTBLICK_MUTATION_TESTS (comma-separated globs, e.g. "test/EnvelopeDates.test.ts") runs only those
// test files against each mutant: for code every decoded event passes through, which every test
// covers, so that a run of a few functions takes minutes, not hours. A score measured so is a lower
// bound for the whole suite.
const only = process.env.UTBLICK_MUTATION_TESTS?.split(",").filter((glob) => glob.length > 0)

export default defineConfig({
  ssr: { resolve: { conditions: ["@utblick/source", "module", "node"] } },
  // The README test and the "Add an aggregate" walk-through (docs/concepts/deciders.md) read files
  // outside the package, which Stryker's sandbox does not copy.
  test: {
    include: only !== undefined && only.length > 0 ? only : ["test/**/*.test.ts"],
    exclude: ["test/readme.test.ts", "test/domain/AddAggregate.test.ts"],
    testTimeout: 60_000,
    setupFiles: ["test/fixedSeed.setup.ts"]
  }
})
