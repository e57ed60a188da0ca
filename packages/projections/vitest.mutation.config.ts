// The projections package's own tests alone (the workspace config runs every project), for mutation testing.
import { defineConfig } from "vitest/config"

export default defineConfig({
  ssr: { resolve: { conditions: ["@utblick/source", "module", "node"] } },
  // The README test reads files outside the package, which Stryker's sandbox does not copy.
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/readme.test.ts"],
    testTimeout: 60_000,
    setupFiles: ["test/fixedSeed.setup.ts"]
  }
})
