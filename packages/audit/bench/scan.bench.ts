/**
 * Per-record costs of the verifier's steps over rows held in memory (no reading), to see where a
 * record's time goes: the canonical scan, the chain hash, the whole engine, and the raw
 * baseline's one `crypto.hash`. CPU time per record, best of the rounds, phases alternating.
 *
 * Run from packages/audit: `npx tsx --conditions=@utblick/source bench/scan.bench.ts --db FILE [rows] [--rounds N]`
 * (FILE: a Utblick SQLite log, e.g. the one `bench/verify.bench.ts --db FILE` keeps).
 */
import { hash } from "node:crypto"
import Database from "better-sqlite3"
import { type EnvelopeFields, scanEnvelope } from "../src/internal/CanonicalScan.js"
import { makeRecordHasher } from "../src/internal/LeafHashing.js"
import { makeEngine } from "../src/internal/LogVerifier.js"
import { learn, makeTemplates, matchAny } from "../src/internal/RecordTemplates.js"

// A/B: set AB_DIR to a copy of an earlier src/ (e.g. \`git archive REV src | tar -x -C DIR\`).
const baseline =
  process.env.AB_DIR === undefined
    ? undefined
    : ((await import(`${process.env.AB_DIR}/internal/LogVerifier.ts`)) as { makeEngine: typeof makeEngine })

const args = process.argv.slice(2)
const flag = (name: string) => {
  const i = args.indexOf(name)
  return i === -1 ? undefined : args[i + 1]
}
const FILE = flag("--db") ?? "/tmp/bench1m.db"
const N = Number(args.find((a, i) => /^\d+$/.test(a) && !(args[i - 1] ?? "").startsWith("--")) ?? 200_000)
const ROUNDS = Number(flag("--rounds") ?? 5)

const db = new Database(FILE, { readonly: true })
const rows = db
  .prepare("SELECT body, prev_hash, hash FROM events WHERE position < ? ORDER BY position")
  .raw(true)
  .all(N) as Array<[string, string, string]>
db.close()

const fields: EnvelopeFields = {
  v: 0,
  position: 0,
  origin: "",
  recordedAt: "",
  streamId: "",
  streamVersion: 0,
  streamPrev: null
}
let sink = 0
const phases: Array<[string, () => void]> = [
  [
    "raw: crypto.hash hex",
    () => {
      for (const r of rows) sink += hash("sha256", r[0]).length
    }
  ],
  [
    "canonical scan",
    () => {
      for (const r of rows) if (!scanEnvelope(r[0], fields)) throw new Error("scan refused a record")
    }
  ],
  [
    "templates (+ scan on a miss)",
    () => {
      const templates = makeTemplates()
      for (const r of rows) {
        if (matchAny(templates, r[0], fields)) continue
        if (!scanEnvelope(r[0], fields)) throw new Error("scan refused a record")
        learn(templates, r[0])
      }
    }
  ],
  [
    "chain + leaf hash",
    () => {
      const hasher = makeRecordHasher()
      hasher.start("0".repeat(64))
      for (const r of rows) hasher.accept(hasher.chain(r[0]))
    }
  ],
  [
    "engine (all checks)",
    () => {
      const engine = makeEngine({ origin: undefined, checkpoint: undefined, previous: [], warnings: [] })
      for (const r of rows) {
        const f = engine.pushParts(r[0], r[1], r[2])
        if (f !== undefined) throw new Error(f.detail)
      }
    }
  ]
]
const only = flag("--only")
if (baseline !== undefined)
  phases.push([
    "engine A (AB_DIR)",
    () => {
      const engine = baseline.makeEngine({
        origin: undefined,
        checkpoint: undefined,
        previous: [],
        warnings: []
      })
      for (const r of rows) {
        const f = engine.pushParts(r[0], r[1], r[2])
        if (f !== undefined) throw new Error(f.detail)
      }
    }
  ])
const best: Record<string, number> = {}
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, f] of phases) {
    if (only !== undefined && !name.startsWith(only)) continue
    const c0 = process.cpuUsage()
    f()
    const c = process.cpuUsage(c0)
    const ns = ((c.user + c.system) * 1000) / rows.length
    best[name] = Math.min(best[name] ?? Number.POSITIVE_INFINITY, ns)
  }
}
for (const [name] of phases)
  if (best[name] !== undefined)
    console.log(`${name.padEnd(22)} ${(best[name] as number).toFixed(0).padStart(6)} ns/record`)
console.log(`(${rows.length} rows; sink ${sink})`)
