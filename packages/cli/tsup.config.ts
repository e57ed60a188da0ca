import { copyFileSync, existsSync } from "node:fs"
import { defineConfig } from "tsup"

// The verifier's native engine (ADR 0052), built by @utblick/audit's `build:native`: copied beside
// the bundle, where the bundled audit code looks for it first. Without it the CLI verifies on the
// JavaScript path.
const engine = new URL("../audit/native/build/engine.node", import.meta.url)

// The CLI is an application: its executable is one bundled, tree-shaken ESM file, which starts in
// a fraction of the time that loading every module of effect and the @utblick packages takes.
// It is bundled from the workspace sources (the @utblick/source condition), so it needs no other
// package built first. better-sqlite3 stays external: it is a native addon resolved at run time.
export default defineConfig({
  // VerifyWorker: the entry of `verify`'s worker threads, which ParallelVerify resolves beside
  // the bundle (new URL("./VerifyWorker.js", import.meta.url)).
  entry: { utblick: "src/bin.ts", VerifyWorker: "src/VerifyWorker.ts" },
  bundle: true,
  // Everything but the native addon (and pg's optional native binding, which is never installed);
  // tsup lets `noExternal` win over `external`, so the exclusion lives in the pattern.
  noExternal: [/^(?!better-sqlite3$|pg-native$)/],
  platform: "node",
  format: ["esm"],
  dts: false,
  sourcemap: true,
  minify: true,
  clean: true,
  target: "node22",
  tsconfig: "tsconfig.build.json",
  esbuildOptions(options) {
    options.conditions = ["@utblick/source", "module", "node"]
  },
  // Some bundled dependencies call require(); give the ESM bundle one.
  onSuccess: async () => {
    if (existsSync(engine)) copyFileSync(engine, new URL("./dist/utblick-engine.node", import.meta.url))
  },
  banner: {
    js: 'import { createRequire as __utblickRequire } from "node:module"; const require = __utblickRequire(import.meta.url);'
  }
})
