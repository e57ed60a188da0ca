// The audit package's own tests alone (the workspace config runs every project), for mutation testing.
import { defineConfig } from "vitest/config"

export default defineConfig({
  ssr: { resolve: { conditions: ["@utblick/source", "module", "node"] } },
  // The parallel verifier's tests start worker threads that load the sources unmutated: they cannot
  // kill a mutant, and under instrumentation they outlast any timeout. The sequential tests cover
  // the same findings.
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/ParallelVerify*.test.ts"],
    testTimeout: 120_000,
    setupFiles: ["test/fixedSeed.setup.ts"]
  }
})
