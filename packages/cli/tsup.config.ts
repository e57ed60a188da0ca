import { defineConfig } from "tsup"

export default defineConfig({
  entry: ["src/**/*.ts", "!src/internal/**", "!src/demo.ts"],
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
  tsconfig: "tsconfig.build.json"
})
