/**
 * `close-year` and `check-year`: seal a year's figures (their hash, the log head and Merkle root
 * they were computed at, optionally signed), and later recompute them from the log to show
 * whether anything recorded after the seal changed them — and which events did.
 *
 * @since 0.1.0
 */
import { createHash } from "node:crypto"
import { CanonicalJson, type Envelope, EventStore } from "@utblick/core"
import { YearReport } from "@utblick/indicators"
import { Clock, Console, Effect, Option, Stream } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import * as Analysis from "../Analysis.js"
import { Finding, UsageFailure } from "../CliFailure.js"
import * as Extent from "../Extent.js"
import * as Provenance from "../Provenance.js"
import { root } from "../Root.js"
import * as Sidecar from "../Sidecar.js"
import * as Store from "../Store.js"
import { signerFrom, storeProblem, yearOf } from "./Shared.js"

/**
 * A sealed year.
 *
 * @category models
 * @since 0.1.0
 */
export interface Seal {
  readonly year: number
  readonly tenant: string | null
  readonly sealedAt: string
  readonly valuesHash: string
  readonly values: ReadonlyArray<{ readonly id: string; readonly scheme?: string; readonly value: number | null }>
  readonly log: Provenance.LogState
  readonly signature?: { readonly keyName: string; readonly ed25519: string }
}

const sealName = (year: number, tenant: string | undefined) => `${tenant ?? "all"}-${year}.json`

const figures = (report: YearReport.YearFigures) =>
  report.values.map((v) => ({
    id: v.id,
    ...(v.scheme === undefined ? {} : { scheme: v.scheme }),
    value: v.value,
    breakdown: v.breakdown.map((b) => [b.key, b.value, b.amount ?? null])
  }))

const hashOf = (report: YearReport.YearFigures): string =>
  createHash("sha256")
    .update(CanonicalJson.canonicalize(figures(report) as unknown as CanonicalJson.JsonValue))
    .digest("hex")

const year = Argument.Int("year").pipe(Argument.withDescription("The year"))
const tenant = Flag.String("tenant").pipe(Flag.withDescription("Only this tenant"), Flag.optional)

/**
 * `utblick close-year YEAR`.
 *
 * @category utils
 * @since 0.1.0
 */
export const closeYear = Command.make(
  "close-year",
  { year, tenant, key: Flag.String("key").pipe(Flag.withDescription("Sign the seal with this key (utblick keygen)"), Flag.optional) },
  (flags) =>
    Effect.gen(function* () {
      const { store: where } = yield* root
      const t = Option.getOrUndefined(flags.tenant)
      // The key is read before the year is computed: a wrong file fails at once, nothing sealed.
      const signer = Option.isSome(flags.key) ? yield* signerFrom(flags.key.value) : undefined
      const y = yield* yearOf(flags.year)
      const now = new Date(yield* Clock.currentTimeMillis).toISOString()
      // A seal is a figure someone will quote: a year or a tenant the log holds nothing for, or a
      // year nothing counts towards, is refused as a report of it is, not sealed as zeros.
      const { report, log } = yield* Effect.gen(function* () {
        yield* Extent.checkScope(yield* Extent.extent.pipe(Effect.mapError(storeProblem)), t, [y], yield* Analysis.currentYear)
        const report = yield* YearReport.figures(y, t === undefined ? {} : { tenant: t }).pipe(Effect.mapError(storeProblem))
        yield* Analysis.checkNotEmpty([report], t)
        const log = yield* Provenance.logState(report.position).pipe(Effect.mapError(storeProblem))
        return { report, log }
      }).pipe(Store.withStore(where, { mustExist: true }))
      const valuesHash = hashOf(report)
      const signature: Seal["signature"] =
        signer === undefined
          ? undefined
          : { keyName: signer.name, ed25519: Buffer.from(signer.sign(Buffer.from(valuesHash, "hex"))).toString("base64") }
      // Every event in the report was recorded before this instant, so knownAt = sealedAt replays it.
      const sealedAt = now
      const seal: Seal = {
        year: flags.year,
        tenant: t ?? null,
        sealedAt,
        valuesHash,
        values: report.values.map((v) => ({ id: v.id, ...(v.scheme === undefined ? {} : { scheme: v.scheme }), value: v.value })),
        log,
        ...(signature === undefined ? {} : { signature })
      }
      // Beside the SQLite file, or in the log's own origin folder for PostgreSQL.
      const path = Sidecar.write(where, "seals", sealName(flags.year, t), `${JSON.stringify(seal, null, 2)}\n`, log.origin)
      yield* Console.log(`Sealed ${flags.year}${t === undefined ? "" : ` for ${t}`} at ${sealedAt}: ${report.values.length} indicators, hash ${valuesHash.slice(0, 16)}…`)
      yield* Console.log(`  computed at log size ${log.size}, head ${log.headHash?.slice(0, 16) ?? "–"}…, Merkle root ${log.merkleRoot}`)
      yield* Console.log(`  kept at ${path}${signature === undefined ? "" : `, signed by ${signature.keyName}`}`)
    })
).pipe(
  Command.withDescription("Seal a year-end snapshot: the year's indicator values, their hash and the log head they were computed at"),
  Command.withExamples([{ command: "utblick close-year 2022 --tenant region-norrbotten --key audit.key", description: "Seal 2022" }])
)

/**
 * `utblick check-year YEAR`.
 *
 * @category verification
 * @since 0.1.0
 */
export const checkYear = Command.make("check-year", { year, tenant }, (flags) =>
  Effect.gen(function* () {
    const { store: where } = yield* root
    yield* yearOf(flags.year)
    const t = Option.getOrUndefined(flags.tenant)
    const origin = yield* Effect.map(EventStore.EventStore, (store) => store.origin).pipe(
      Effect.mapError(storeProblem),
      Store.withStore(where, { mustExist: true })
    )
    const text = Sidecar.read(where, "seals", sealName(flags.year, t), origin)
    if (text === undefined) {
      return yield* new UsageFailure({
        problem: `${flags.year}${t === undefined ? "" : ` for ${t}`} has not been sealed`,
        hint: `run \`utblick close-year ${flags.year}${t === undefined ? "" : ` --tenant ${t}`}\` first`
      })
    }
    const seal = JSON.parse(text) as Seal
    const opts = t === undefined ? {} : { tenant: t }
    const { then, now, late } = yield* Effect.gen(function* () {
      // The year as sealed and as known now, in one pass over the log.
      const [then, now] = (yield* YearReport.figuresForRequests([
        { year: flags.year, ...opts, knownAt: seal.sealedAt },
        { year: flags.year, ...opts }
      ])) as readonly [YearReport.YearFigures, YearReport.YearFigures]
      // Counted as the log is read; the first 30 are kept to be named.
      const store = yield* EventStore.EventStore
      const late = { count: 0, first: [] as Array<Envelope.StoredEvent> }
      yield* Stream.runForEach(store.readAll(), (e) =>
        Effect.sync(() => {
          if (e.recordedAt > seal.sealedAt && e.occurredAt <= `${flags.year}-12-31` && (t === undefined || e.tenant === t)) {
            late.count++
            if (late.first.length < 30) late.first.push(e)
          }
        })
      )
      return { then, now, late }
    }).pipe(Effect.mapError(storeProblem), Store.withStore(where, { mustExist: true }))
    const thenHash = hashOf(then)
    const nowHash = hashOf(now)
    yield* Console.log(`Seal of ${flags.year}${t === undefined ? "" : ` for ${t}`}: ${seal.valuesHash.slice(0, 16)}… at ${seal.sealedAt}`)
    if (thenHash !== seal.valuesHash) {
      return yield* new Finding({
        problem: `replaying the log as known at ${seal.sealedAt} no longer gives the sealed figures`,
        hint: "the log itself may have been altered or the indicator definitions changed; run utblick verify and compare the manifest versions"
      })
    }
    if (nowHash === seal.valuesHash) {
      yield* Console.log(`UNCHANGED: recomputed from the log, ${flags.year}'s figures equal the seal${late.count > 0 ? ` (${late.count} later events touch the year but change no figure)` : ""}`)
      return
    }
    const sealed = new Map(seal.values.map((v) => [`${v.id}${v.scheme === undefined ? "" : `[${v.scheme}]`}`, v.value]))
    const changed = now.values.flatMap((v) => {
      const k = `${v.id}${v.scheme === undefined ? "" : `[${v.scheme}]`}`
      return sealed.get(k) === v.value ? [] : [`${k}: ${sealed.get(k) ?? "–"} → ${v.value ?? "–"}`]
    })
    return yield* new Finding({
      problem: `${flags.year}'s figures changed after the seal: ${late.count} event(s) recorded after ${seal.sealedAt} are dated in or before ${flags.year}`,
      details: [
        ...late.first.map((e) => `position ${e.position} ${e.type} occurred ${e.occurredAt} recorded ${e.recordedAt} by ${e.actor.id} (${e.actor.role})${e.decisionRef === null ? "" : ` case ${e.decisionRef}`} id ${e.eventId}`),
        ...(changed.length === 0 ? [] : ["headline changes:", ...changed.map((c) => `  ${c}`)])
      ],
      hint: "these back-dated events are legitimate only if they correct the record; check their trail (utblick trail) and re-seal with close-year"
    })
  })
).pipe(
  Command.withDescription("Recompute a sealed year from the log and report whether anything recorded later changed its figures, and which events did"),
  Command.withExamples([{ command: "utblick check-year 2022 --tenant region-norrbotten", description: "Exit 0 unchanged, 1 changed" }])
)
