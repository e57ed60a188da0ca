/**
 * Restoring a verified export into an empty store, and migrating a log from one store to another,
 * without re-stamping anything: origin, positions, event ids, `recordedAt` and hashes are kept,
 * so every old checkpoint, receipt and "known at" answer stays valid on the restored store.
 *
 * The export is verified as a chain first (canonical bytes, positions, links, hashes, stream
 * links); the first mismatch refuses the whole restore and names its line. Optionally it is also
 * checked against checkpoints the auditor kept.
 *
 * @since 0.2.0
 */
import { Extension, Verify } from "@utblick/audit"
import { EventStore } from "@utblick/core"
import { PgRestore } from "@utblick/store-postgres"
import { SqliteEventStore } from "@utblick/store-sqlite"
import { Effect } from "effect"
import { Finding, UsageFailure } from "./CliFailure.js"
import * as Store from "./Store.js"

/**
 * An export that verified as a chain: its origin and the records to write.
 *
 * @category models
 * @since 0.2.0
 */
export interface VerifiedExport {
  readonly origin: string
  readonly records: ReadonlyArray<PgRestore.RestoreRecord>
}

const PREFIX = '{"event":'
// The fixed-length tail of an export line: `,"hash":"<64>","prevHash":"<64>"}`.
const SUFFIX = ',"hash":"'.length + 64 + '","prevHash":"'.length + 64 + '"}'.length

/**
 * Verifies an export (as `Verify.verifyExport` does) and, when it passes, returns its records.
 * `name` is used in messages. A failure names the line (position + 1) and the rule broken.
 *
 * @category verification
 * @since 0.2.0
 */
export const verifyExport = (
  name: string,
  input: string | Uint8Array
): Effect.Effect<VerifiedExport, UsageFailure | Finding> =>
  Effect.gen(function* () {
    // Bytes as they lie in the file: the verifier decodes them strictly (not valid UTF-8 is
    // MALFORMED, a byte order mark is kept and refused), which a lenient read would hide.
    const report = Verify.verifyExport(input)
    if (!report.ok) {
      const f = report.failure as Verify.Failure
      const where = f.position === undefined ? "" : ` line ${f.position + 1}`
      const problem = `${name}${where}: ${f.class}: ${f.detail}; nothing was restored`
      return yield* f.class === "MALFORMED"
        ? new UsageFailure({ problem, hint: "pass an export written by `utblick export`, unchanged" })
        : new Finding({
            problem,
            hint: "the export was altered or damaged after it was written: restore from another copy, and keep this one as evidence"
          })
    }
    if (report.records === 0 || report.origin === undefined) {
      return yield* new UsageFailure({
        problem: `${name} holds no events`,
        hint: "check that you passed the right file"
      })
    }
    // Verified above as strict UTF-8, so this decoding cannot fail or change a byte.
    const text = typeof input === "string" ? input : new TextDecoder("utf-8", { ignoreBOM: true }).decode(input)
    const records: Array<PgRestore.RestoreRecord> = []
    let start = 0
    while (start < text.length) {
      const end = text.indexOf("\n", start)
      const line = text.slice(start, end)
      start = end + 1
      const canonical = line.slice(PREFIX.length, line.length - SUFFIX)
      const hash = line.slice(
        line.length - SUFFIX + ',"hash":"'.length,
        line.length - SUFFIX + ',"hash":"'.length + 64
      )
      const prevHash = line.slice(line.length - 2 - 64, line.length - 2)
      // Verified above: every line is canonical JSON of an envelope with these fields.
      const body = JSON.parse(canonical) as {
        readonly position: number
        readonly eventId: string
        readonly streamId: string
        readonly streamVersion: number
        readonly tenant: string
        readonly type: string
        readonly occurredAt: string
        readonly recordedAt: string
      }
      records.push({
        position: body.position,
        eventId: body.eventId,
        streamId: body.streamId,
        streamVersion: body.streamVersion,
        tenant: body.tenant,
        type: body.type,
        occurredAt: body.occurredAt,
        recordedAt: body.recordedAt,
        prevHash,
        hash,
        canonical
      })
    }
    return { origin: report.origin, records }
  })

/**
 * Checks a verified export against checkpoints (and exports) the auditor kept.
 *
 * @category verification
 * @since 0.2.0
 */
export const checkKept = (
  verified: VerifiedExport,
  trust: Parameters<typeof Extension.check>[0]["trust"],
  kept: Pick<Parameters<typeof Extension.check>[0], "checkpoints" | "exports">
): Effect.Effect<void, Finding> => {
  const outcome = Extension.check({ hashes: verified.records.map((r) => r.hash), trust, ...kept })
  return outcome.ok
    ? Effect.void
    : Effect.fail(
        new Finding({
          problem: `the export is not what you kept: ${outcome.failure.class}: ${outcome.failure.detail}; nothing was restored`,
          hint: "restore from another copy, and keep this one and the notes named above as evidence"
        })
      )
}

/**
 * Writes verified records, unchanged, into the empty store named by `target` (created with the
 * export's origin if new), then verifies the restored store. Returns the verify report.
 *
 * @category encoding
 * @since 0.2.0
 */
export const write = (target: string, verified: VerifiedExport): Effect.Effect<Verify.Report, UsageFailure> =>
  Effect.gen(function* () {
    const spec = Store.parse(target)
    if (spec instanceof UsageFailure) return yield* spec
    const refused = (detail: string) =>
      new UsageFailure({
        problem: `cannot restore into ${Store.describe(spec)}: ${detail}; nothing was restored`,
        hint: "restore into a new file or an empty PostgreSQL schema (utblick init is not needed: restore creates the log with the export's origin)"
      })
    if (spec.kind === "sqlite") {
      yield* Effect.gen(function* () {
        const { database } = yield* SqliteEventStore.SqliteDatabase
        const insert = database.prepare(
          "INSERT INTO events (position, event_id, stream_id, stream_version, type, tenant, occurred_at, recorded_at, body, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
        const count = database.prepare("SELECT count(*) FROM events").pluck()
        const held = database
          .transaction(() => {
            const n = count.get() as number
            if (n > 0) return n
            for (const r of verified.records) {
              insert.run(
                r.position,
                r.eventId,
                r.streamId,
                r.streamVersion,
                r.type,
                r.tenant,
                r.occurredAt,
                r.recordedAt,
                r.canonical,
                r.prevHash,
                r.hash
              )
            }
            return 0
          })
          .immediate()
        if (held > 0) return yield* refused(`the log already holds ${held} events`)
      }).pipe(
        Effect.provide(SqliteEventStore.layer({ filename: spec.filename, origin: verified.origin })),
        Effect.mapError((e) => (e instanceof UsageFailure ? e : refused(e.message)))
      )
    } else {
      yield* PgRestore.restoreFromUrl(spec.url, verified.records, {
        origin: verified.origin,
        ...(spec.schema === undefined ? {} : { schema: spec.schema })
      }).pipe(Effect.mapError((e) => refused(e.message)))
    }
    return yield* Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      if (store.origin !== verified.origin) {
        return yield* refused(`the restored log reports origin ${store.origin}, not ${verified.origin}`)
      }
      return yield* Verify.verifyStore({ origin: verified.origin })
    }).pipe(Store.withStore(target, { mustExist: true }))
  })
