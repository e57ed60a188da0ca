/**
 * What one SHA-256 costs through Node, per call, for the inputs the verifier hashes: a record of
 * about 640 bytes (the chain hash) and 33/65 bytes (a Merkle leaf/node), through the one-shot
 * `crypto.hash` and through `createHash`, with each output form. Compare with the machine's limit:
 * `openssl speed -bytes 640 sha256` (bytes/s ÷ 640 = hashes/s on one core).
 *
 * Run from packages/audit: `tsx bench/hash.bench.ts [calls]`.
 */
import { createHash, hash } from "node:crypto"

const CALLS = Number(process.argv[2] ?? 1_000_000)
const record = `{"note":"${"x".repeat(640 - 11)}"}`
const recordBytes = Buffer.from(record)
const leaf = Buffer.alloc(33, 7)
const node = Buffer.alloc(65, 9)

const cases: Array<[string, () => unknown]> = [
  ["640 B string, crypto.hash → hex", () => hash("sha256", record)],
  ["640 B string, crypto.hash → Buffer", () => hash("sha256", record, "buffer")],
  ["640 B string, createHash → Buffer", () => createHash("sha256").update(record).digest()],
  ["640 B Buffer, crypto.hash → hex", () => hash("sha256", recordBytes)],
  ["640 B Buffer, createHash → hex", () => createHash("sha256").update(recordBytes).digest("hex")],
  ["33 B leaf, crypto.hash → latin1", () => hash("sha256", leaf, "binary")],
  ["33 B leaf, crypto.hash → Buffer", () => hash("sha256", leaf, "buffer")],
  ["33 B leaf, createHash → Buffer", () => createHash("sha256").update(leaf).digest()],
  ["65 B node, crypto.hash → latin1", () => hash("sha256", node, "binary")],
  ["65 B node, createHash → Buffer", () => createHash("sha256").update(node).digest()]
]

console.log(
  `# SHA-256 per call, node ${process.version}, ${CALLS.toLocaleString("en")} calls, best of 3 (CPU time)`
)
for (const [name, f] of cases) {
  let best = Number.POSITIVE_INFINITY
  for (let round = 0; round < 3; round++) {
    const c0 = process.cpuUsage()
    for (let i = 0; i < CALLS; i++) f()
    const c = process.cpuUsage(c0)
    best = Math.min(best, (c.user + c.system) / CALLS)
  }
  console.log(
    `${name.padEnd(36)} ${(best * 1000).toFixed(0).padStart(5)} ns  ${Math.round(1e6 / best)
      .toLocaleString("en")
      .padStart(10)} /s`
  )
}
