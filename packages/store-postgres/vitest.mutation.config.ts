// The store-postgres package's own tests alone (the workspace config runs every project), for
// mutation testing of the checkpoint store and the index check (stryker.config.json "mutate"), or
// of the files named with --mutate.
import { defineConfig } from "vitest/config"

// The tests create and drop schemas on the server at DATABASE_URL. A mutation run takes a database
// of its own (docs/reference/mutation.md), never the one CI's tests use, which test/helpers.ts
// falls back to: so it is required here rather than defaulted.
if (process.env.DATABASE_URL === undefined || process.env.DATABASE_URL === "") {
  throw new Error(
    "store-postgres mutation runs need DATABASE_URL, a database of their own (e.g. postgres://postgres:postgres@127.0.0.1:5432/utblick_mut)"
  )
}

// UTBLICK_MUTATION_TESTS (comma-separated globs, e.g. "test/contract.integration.test.ts") runs
// only those test files against each mutant, the contract suite included when named: to measure
// what appends go through (the groups, the rows, the error mapping), which only it and the store's
// own tests reach. A score measured so is a lower bound for the whole suite.
const only = process.env.UTBLICK_MUTATION_TESTS?.split(",").filter((glob) => glob.length > 0)
const named = only !== undefined && only.length > 0

export default defineConfig({
  ssr: { resolve: { conditions: ["@utblick/source", "module", "node"] } },
  test: {
    include: named ? only : ["test/**/*.test.ts"],
    // The event-store contract builds its stores with PgEventStore.make, which does not build the
    // checkpoint store, and never checks the index columns: its property runs (each a round trip
    // to the server, 4 s in all) kill no mutant of these files.
    exclude: named ? [] : ["test/contract.integration.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // test/helpers.ts fails instead of skipping when the server is unreachable and CI is set: an
    // unreachable server must fail the dry run, not leave every mutant uncovered.
    env: { CI: "true" },
    setupFiles: ["test/fixedSeed.setup.ts"]
  }
})
