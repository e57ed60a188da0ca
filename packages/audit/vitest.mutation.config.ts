// The audit package's own tests alone (the workspace config runs every project), for mutation testing.
import { defineConfig } from "vitest/config"

export default defineConfig({
  ssr: { resolve: { conditions: ["@utblick/source", "module", "node"] } },
  // The parallel verifier's tests start worker threads that load the sources unmutated: they cannot
  // kill a mutant, and under instrumentation they outlast any timeout. The sequential tests cover
  // the same findings.
  // A fixed fast-check seed (test/fixedSeed.setup.ts), so that Stryker finds each property test
  // of its dry run again in the mutant runs.
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/ParallelVerify*.test.ts"],
    setupFiles: ["test/fixedSeed.setup.ts"],
    testTimeout: 120_000
  }
})
