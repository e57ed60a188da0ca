// The CLI's tests that call its modules in the test's own process, for mutation testing of the
// modules they read (stryker.config.json "mutate"). The CLI's other tests run `utblick` as a child
// process, where no mutant is ever active (the vitest runner switches mutants on in the test's
// own process): they would only slow every run. UTBLICK_MUTATION_TESTS (comma-separated globs)
// names other files instead.
import { defineConfig } from "vitest/config"

const only = process.env.UTBLICK_MUTATION_TESTS?.split(",").filter((glob) => glob.length > 0)

export default defineConfig({
  ssr: { resolve: { conditions: ["@utblick/source", "module", "node"] } },
  test: {
    include: only !== undefined && only.length > 0 ? only : ["test/csv.test.ts", "test/signing-key.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000
  }
})
