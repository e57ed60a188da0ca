// The audit package's own tests alone (the workspace config runs every project), for mutation testing.
import { defineConfig } from "vitest/config"

// UTBLICK_MUTATION_TESTS (comma-separated globs, e.g. "test/Checkpoint*.test.ts") runs only those
// test files against each mutant: on the shared 2-core machine a mutant of a module that every
// verification touches otherwise runs most of the suite (about 8 s a mutant, hours a file). A score
// measured so is a lower bound for the whole suite; docs/reference/mutation.md names the files.
const only = process.env.UTBLICK_MUTATION_TESTS?.split(",").filter((glob) => glob.length > 0)

// At most this many cases per property test against each mutant (test/numRuns.ts); ordinary runs
// keep each test's own count. Set UTBLICK_MUTATION_NUM_RUNS=0 to lift the cap. A score measured
// with it is a lower bound for the full counts.
const numRuns = process.env.UTBLICK_MUTATION_NUM_RUNS ?? "50"

// UTBLICK_MUTATION_PARALLEL=1 lets the parallel verifier's tests run (with UTBLICK_MUTATION_TESTS
// naming them): to measure ParallelVerify.ts's main-thread parts, which its `threads: false` cases
// run in this thread. Unset, they stay out (below).
const parallel = process.env.UTBLICK_MUTATION_PARALLEL === "1"

export default defineConfig({
  ssr: { resolve: { conditions: ["@utblick/source", "module", "node"] } },
  // The parallel verifier's tests start worker threads, in which no mutant is active: a mutant of
  // what only workers run (`serveWorker`) cannot be killed, and a run of every audit file with them
  // spends most of its time starting workers. By default they stay out (the sequential tests cover
  // the same findings); runs hM17-3 to hM17-5 (docs/reference/mutation.md) measured
  // ParallelVerify.ts's main-thread parts with them, through UTBLICK_MUTATION_PARALLEL.
  test: {
    include: only !== undefined && only.length > 0 ? only : ["test/**/*.test.ts"],
    exclude: parallel ? [] : ["test/ParallelVerify*.test.ts"],
    testTimeout: 120_000,
    env: { UTBLICK_MUTATION_NUM_RUNS: numRuns },
    setupFiles: ["test/fixedSeed.setup.ts"]
  }
})
