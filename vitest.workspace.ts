/**
 * The test projects of the workspace, one per package and example.
 *
 * Vitest 4 no longer discovers a `vitest.workspace.ts` on its own, so this file is itself the
 * config: root scripts pass it with `--config vitest.workspace.ts` (see ADR 0002). Every folder
 * under packages/ and examples/ that has a `test/` directory becomes a project named after it.
 */
import { existsSync, readdirSync } from "node:fs"
import { join } from "node:path"
import { defineConfig, defineProject } from "vitest/config"

// Workspace packages resolve to their src/ through this export condition: no build before tests.
const ssr = { resolve: { conditions: ["@utblick/source", "module", "node"] } }

const projectsUnder = (folder: string) =>
  existsSync(folder)
    ? readdirSync(folder, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && existsSync(join(folder, entry.name, "test")))
        .map((entry) =>
          defineProject({
            ssr,
            test: {
              name: entry.name,
              root: `./${folder}/${entry.name}`,
              include: ["test/**/*.test.ts"],
              testTimeout: 60_000,
              hookTimeout: 60_000
            }
          })
        )
    : []

// The verifier's JavaScript path, which the native engine (ADR 0052) takes over where it loads:
// the verification tests again with the engine turned off, so both paths answer every case.
const auditJavaScript = defineProject({
  ssr,
  test: {
    name: "audit-js",
    root: "./packages/audit",
    include: [
      "test/Adversarial.test.ts",
      "test/Verify*.test.ts",
      "test/LogVerifierEdges.test.ts",
      "test/LeafRangeCopy.test.ts",
      "test/NativeEngine.test.ts",
      "test/ParallelVerify*.test.ts",
      "test/ChunksSeams.test.ts",
      "test/ChunkAnswer.test.ts",
      "test/IndexColumns.test.ts",
      "test/SqliteStore.test.ts"
    ],
    env: { UTBLICK_NATIVE: "0" },
    testTimeout: 60_000,
    hookTimeout: 60_000
  }
})

export default defineConfig({
  test: {
    projects: [...projectsUnder("packages"), auditJavaScript, ...projectsUnder("examples")]
  }
})
