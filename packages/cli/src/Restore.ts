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
import { closeSync, createReadStream, openSync, readSync } from "node:fs"
import { Extension, Verify } from "@utblick/audit"
import { EventStore } from "@utblick/core"
import { PgRestore } from "@utblick/store-postgres"
import { SqliteEventStore } from "@utblick/store-sqlite"
import { Effect } from "effect"
import { Finding, UsageFailure } from "./CliFailure.js"
import * as Store from "./Store.js"

/**
 * An export file that verified as a chain: where it lies, its origin and how many records it
 * holds. Its records are read from the file again when they are written, a piece at a time.
 *
 * @category models
 * @since 0.2.0
 */
export interface VerifiedExport {
  readonly path: string
  readonly origin: string
  readonly records: number
}

const PREFIX = '{"event":'
// The fixed-length tail of an export line: `,"hash":"<64>","prevHash":"<64>"}`.
const SUFFIX = ',"hash":"'.length + 64 + '","prevHash":"'.length + 64 + '"}'.length

// The lines of a file, read a megabyte at a time: an export of any size is never held whole.
const linesOf = function* (path: string): Generator<string> {
  const fd = openSync(path, "r")
  try {
    const chunk = Buffer.alloc(1 << 20)
    let rest: Array<Buffer> = []
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null)
      if (n === 0) break
      let start = 0
      for (;;) {
        const nl = chunk.indexOf(0x0a, start)
        if (nl === -1 || nl >= n) break
        const piece = chunk.subarray(start, nl)
        yield (rest.length === 0 ? piece : Buffer.concat([...rest, piece])).toString("utf8")
        rest = []
        start = nl + 1
      }
      // The chunk is read into again: what is left of a line is copied.
      if (start < n) rest.push(Buffer.from(chunk.subarray(start, n)))
    }
  } finally {
    closeSync(fd)
  }
}

// A record to write, from a line of an export that verified.
const recordOf = (line: string): PgRestore.RestoreRecord => {
  const canonical = line.slice(PREFIX.length, line.length - SUFFIX)
  const hash = line.slice(
    line.length - SUFFIX + ',"hash":"'.length,
    line.length - SUFFIX + ',"hash":"'.length + 64
  )
  const prevHash = line.slice(line.length - 2 - 64, line.length - 2)
  // Verified: every line is canonical JSON of an envelope with these fields.
  const { position, eventId, streamId, streamVersion, tenant, type, occurredAt, recordedAt } = JSON.parse(
    canonical
  ) as Omit<PgRestore.RestoreRecord, "prevHash" | "hash" | "canonical">
  return {
    position,
    eventId,
    streamId,
    streamVersion,
    tenant,
    type,
    occurredAt,
    recordedAt,
    prevHash,
    hash,
    canonical
  }
}

/**
 * Verifies the export file at `path` (as `Verify.verifyExportStream` does, reading it a piece at a
 * time) and, when it passes, returns its origin and size. `name` is used in messages. A failure
 * names the line (position + 1) and the rule broken.
 *
 * @category verification
 * @since 0.2.0
 */
export const verifyExport = (
  name: string,
  path: string
): Effect.Effect<VerifiedExport, UsageFailure | Finding> =>
  Effect.gen(function* () {
    // Bytes as they lie in the file: the verifier decodes them strictly (not valid UTF-8 is
    // MALFORMED, a byte order mark is kept and refused), which a lenient read would hide.
    const report = yield* Effect.tryPromise({
      try: () => Verify.verifyExportStream(createReadStream(path, { highWaterMark: 1 << 20 })),
      catch: (e) =>
        new UsageFailure({
          problem: `cannot read export ${name}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
          hint: "check the path of the export"
        })
    })
    if (!report.ok) {
      const f = report.failure as Verify.Failure
      // A framing problem (bytes, line ends) is found in the line after the records read.
      const problem =
        f.position === undefined
          ? `${name}: ${f.class}: line ${report.records + 1}: ${f.detail}; nothing was restored`
          : `${name} line ${f.position + 1}: ${f.class}: ${f.detail}; nothing was restored`
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
    return { path, origin: report.origin, records: report.records }
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
  // The records' hashes alone (64 characters each), read from the file again.
  const hashes: Array<string> = []
  for (const line of linesOf(verified.path)) hashes.push(recordOf(line).hash)
  const outcome = Extension.check({ hashes, trust, ...kept })
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
 * What a restore wrote: how many records, the last one's hash, whether any record holds encrypted
 * personal data (its keys must travel with it), and the verification of the restored store.
 *
 * @category models
 * @since 0.3.0
 */
export interface Restored {
  readonly records: number
  readonly lastHash: string
  readonly encrypted: boolean
  readonly report: Verify.Report
}

/**
 * Writes the verified export's records, unchanged, into the empty store named by `target`
 * (created with the export's origin if new), read from the file a piece at a time, then verifies
 * the restored store.
 *
 * @category encoding
 * @since 0.2.0
 */
export const write = (target: string, verified: VerifiedExport): Effect.Effect<Restored, UsageFailure> =>
  Effect.gen(function* () {
    const spec = Store.parse(target)
    if (spec instanceof UsageFailure) return yield* spec
    const refused = (
      detail: string,
      hint = "restore into a new file or an empty PostgreSQL schema (utblick init is not needed: restore creates the log with the export's origin)"
    ) => new UsageFailure({ problem: `cannot restore into ${Store.describe(spec)}: ${detail}; nothing was restored`, hint })
    let records = 0
    let lastHash = ""
    let encrypted = false
    // Each record as it is written; what the summary needs is noted on the way.
    const each = function* () {
      for (const line of linesOf(verified.path)) {
        const record = recordOf(line)
        records++
        lastHash = record.hash
        encrypted ||= record.canonical.includes('"$enc":')
        yield record
      }
    }
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
            for (const r of each()) {
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
      yield* PgRestore.restoreFromUrl(spec.url, each(), {
        origin: verified.origin,
        ...(spec.schema === undefined ? {} : { schema: spec.schema })
      }).pipe(
        // A server that cannot be reached is no reason to pick another schema.
        Effect.mapError((e) =>
          Store.isConnectFailure(e) ? refused(e.message, Store.POSTGRES_HINT)
            : refused(e.message)
        )
      )
    }
    const report = yield* Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      if (store.origin !== verified.origin) {
        return yield* refused(`the restored log reports origin ${store.origin}, not ${verified.origin}`)
      }
      return yield* Verify.verifyStore({ origin: verified.origin })
    }).pipe(Store.withStore(target, { mustExist: true }))
    return { records, lastHash, encrypted, report }
  })
