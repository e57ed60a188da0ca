// The audit package's own tests alone (the workspace config runs every project), for mutation testing.
import { defineConfig } from "vitest/config"

export default defineConfig({
  ssr: { resolve: { conditions: ["@utblick/source", "module", "node"] } },
  test: { include: ["test/**/*.test.ts"], exclude: [], testTimeout: 60_000 }
})
