// The facade's own tests alone (the workspace config runs every project), for mutation testing of
// the Promise API, its queries, its store choice and its errors (stryker.config.json "mutate").
import { defineConfig } from "vitest/config"

export default defineConfig({
  ssr: { resolve: { conditions: ["@utblick/source", "module", "node"] } },
  // readme.test.ts runs the README's example as a child process from the built package (dist/),
  // which a mutant of src/ never reaches: it would only slow every run.
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/readme.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000
  }
})
