// The indicators' own tests alone (the workspace config runs every project), for mutation testing.
import { defineConfig } from "vitest/config"

// UTBLICK_MUTATION_TESTS (comma-separated globs, e.g. "test/YearSums*.test.ts") runs only those
// test files against each mutant, as in the audit package: a mutant of the year sums is otherwise
// also run against RowFigures' property tests (200 folds of a history each), hours a file on the
// shared 2-core machine. A score measured so is a lower bound for the whole suite;
// docs/reference/mutation.md names the files.
const only = process.env.UTBLICK_MUTATION_TESTS?.split(",").filter((glob) => glob.length > 0)

export default defineConfig({
  ssr: { resolve: { conditions: ["@utblick/source", "module", "node"] } },
  // The docs-freshness test reads files outside the package, which Stryker's sandbox does not copy.
  test: {
    include: only !== undefined && only.length > 0 ? only : ["test/**/*.test.ts"],
    exclude: ["test/reference.test.ts"],
    testTimeout: 60_000,
    setupFiles: ["test/fixedSeed.setup.ts"]
  }
})
