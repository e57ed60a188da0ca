/**
 * The demo: a fresh embedded SQLite store built from the three seed examples (Luleå, Norrbotten,
 * Örebro), then what an analyst and an auditor would look at first — run with `pnpm demo`.
 *
 * @since 0.1.0
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { NodeServices } from "@effect/platform-node"
import { Verify } from "@utblick/audit"
import { EventStore } from "@utblick/core"
import * as Lulea from "@utblick/example-lulea-international"
import * as Norrbotten from "@utblick/example-norrbotten-funding"
import * as Orebro from "@utblick/example-orebro-strategy"
import { Agreements, Memberships, ReadModels } from "@utblick/projections"
import { SqliteEventStore } from "@utblick/store-sqlite"
import { Console, Effect } from "effect"
import { main } from "./Cli.js"
import * as Provenance from "./Provenance.js"

const dir = mkdtempSync(join(tmpdir(), "utblick-demo-"))
const db = join(dir, "utblick.db")
const store = `sqlite:${db}`
const htmlOut = resolve(process.env["UTBLICK_DEMO_HTML"] ?? "utblick-report-2017-2022.html")

const seedAll = Effect.gen(function* () {
  for (const [name, seed] of [
    ["Luleå kommun", Lulea.seed],
    ["Region Norrbotten", Norrbotten.seed],
    ["Regionförbundet Örebro", Orebro.seed]
  ] as const) {
    const t0 = Date.now()
    const summary = yield* seed
    yield* Console.log(`  ${name}: ${summary.events} events in ${summary.streams} streams (${Date.now() - t0} ms)`)
  }
  const head = yield* (yield* EventStore.EventStore).head
  yield* Console.log(`  the log holds ${head.size} events, head ${head.lastHash.slice(0, 16)}…`)
})

const luleaNow = Effect.gen(function* () {
  const snapshot = yield* ReadModels.run({ tenant: Lulea.tenant })
  const memberships = Memberships.active(snapshot.state.memberships, { tenant: Lulea.tenant, actorId: "lulea-kommun" })
  yield* Console.log(`Luleå kommun: current memberships (medlemskap), ${memberships.length}:`)
  for (const m of memberships) {
    yield* Console.log(`  - ${m.organisationName} (${m.kind}, since ${m.since.slice(0, m.sincePrecision === "year" ? 4 : 10)})`)
  }
  const twins = Agreements.twinTowns(snapshot.state.agreements, { tenant: Lulea.tenant })
  yield* Console.log(`Luleå kommun: twin towns (vänorter), ${twins.length}:`)
  for (const t of twins) {
    yield* Console.log(`  - ${t.parties.filter((p) => !p.name.startsWith("Luleå")).map((p) => `${p.name}${p.country === undefined ? "" : ` (${p.country})`}`).join(", ")}: ${t.status}`)
  }
})

const audit = Effect.gen(function* () {
  const report = yield* Verify.verifyStore()
  const log = yield* Provenance.logState()
  yield* Console.log(
    `Audit: hash chain ${report.ok ? "verifies" : `FAILS (${report.failure?.class} at ${report.failure?.position})`}: ${report.records} records in ${report.streams} streams`
  )
  yield* Console.log(`  RFC 9162 Merkle root over ${log.size} events: ${log.merkleRoot}`)
  yield* Console.log(`  head hash ${log.headHash}`)
  return report.ok
})

const run = (args: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    yield* Console.log(`\n$ utblick ${args.join(" ")}`)
    const code = yield* main(args)
    if (code !== 0) yield* Console.log(`(exit code ${code})`)
    return code
  })

const program = Effect.gen(function* () {
  yield* Console.log(`Building a fresh embedded SQLite store at ${db}`)
  yield* seedAll.pipe(Effect.provide(SqliteEventStore.layer({ filename: db, origin: "demo.utblick.example/log" })))
  yield* Console.log("")
  const ok = yield* Effect.gen(function* () {
    yield* luleaNow
    yield* Console.log("")
    return yield* audit
  }).pipe(Effect.provide(SqliteEventStore.layer({ filename: db })))
  yield* run(["--store", store, "compare", "2017", "2022", "--tenant", Norrbotten.tenant])
  const keyFile = join(dir, "demo.key")
  yield* run(["--store", store, "keygen", "--name", "demo.utblick.example", "--out", keyFile])
  yield* run(["--store", store, "checkpoint", "--key", keyFile])
  // An auditor verifies against the checkpoints they kept themselves, never the copy beside the database.
  const kept = join(dir, "auditor-kept")
  mkdirSync(kept)
  for (const n of readdirSync(`${db}.utblick/checkpoints`)) copyFileSync(join(`${db}.utblick/checkpoints`, n), join(kept, n))
  yield* run(["--store", store, "verify", "--trust", `${keyFile}.vkey`, "--previous", kept])
  yield* run([
    "--store",
    store,
    "compare",
    "2017",
    "2022",
    "--tenant",
    Norrbotten.tenant,
    "--format",
    "html",
    "--out",
    htmlOut
  ])
  yield* Console.log(`\nThe HTML report is at ${htmlOut} — open it in a browser (it needs no network).`)
  yield* Console.log(`The demo database is at ${db}; try: pnpm --filter @utblick/cli run utblick --store sqlite:${db} status`)
  if (!ok) process.exitCode = 1
})

Effect.runPromise(program.pipe(Effect.provide(NodeServices.layer))).catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
