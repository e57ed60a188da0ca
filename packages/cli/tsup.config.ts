import { defineConfig } from "tsup"

// One output file per source file (bundle: false): `export * from` another package and
// `export * as X` keep their ESM meaning, which esbuild's chunking lost (the built facade's
// `Commands` namespace was empty). Declarations come from tsc (see the build script).
export default defineConfig({
  entry: ["src/**/*.ts", "!src/demo.ts"],
  bundle: false,
  format: ["esm"],
  dts: false,
  sourcemap: true,
  clean: true,
  target: "node22",
  tsconfig: "tsconfig.build.json"
})
