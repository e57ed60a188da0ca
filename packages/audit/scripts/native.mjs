// Compiles the verifier's native engine (native/engine.c, ADR 0052) into native/build/engine.node
// with the machine's C compiler and the Node-API headers of the node-api-headers package. The
// engine is an accelerator: without a compiler the package is whole and the verifier takes its
// JavaScript path, so a failed compile warns and exits 0 unless UTBLICK_NATIVE_REQUIRED is set.
import { execFileSync } from "node:child_process"
import { mkdirSync, rmSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const headers = join(dirname(createRequire(import.meta.url).resolve("node-api-headers/package.json")), "include")
const out = join(root, "native", "build", "engine.node")
mkdirSync(dirname(out), { recursive: true })
// A failed build must not leave an engine built from older sources to be loaded.
rmSync(out, { force: true })
const compiler = process.env.CC ?? "cc"
const args = ["-O2", "-std=c11", "-Wall", "-Wextra", "-Werror", "-shared", "-fPIC", "-I", headers, "-o", out, join(root, "native", "engine.c")]
try {
  execFileSync(compiler, args, { stdio: "inherit" })
  console.log(`native engine: ${out}`)
} catch (cause) {
  const message = `native engine not built (${compiler} ${args.join(" ")}: ${cause instanceof Error ? cause.message : String(cause)}); the verifier will use its JavaScript path`
  if (process.env.UTBLICK_NATIVE_REQUIRED) throw new Error(message)
  console.warn(message)
}
