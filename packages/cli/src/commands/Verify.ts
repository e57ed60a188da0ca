/**
 * `utblick verify`: the log's records, then the auditor's kept checkpoints and exports, then the
 * index columns.
 *
 * @since 0.2.0
 */
import { Extension, ParallelVerify, Verify } from "@utblick/audit"
import { EventStore } from "@utblick/core"
import { Console, Effect, Option, Stream } from "effect"
import { Command, Flag } from "effect/cli"
import { Finding, UsageFailure } from "../CliFailure.js"
import * as Kept from "../Kept.js"
import { root } from "../Root.js"
import * as Store from "../Store.js"
import { favourMemory, json, storeProblem, trustFrom } from "./Shared.js"
/**
 * `utblick verify`: the chain, canonical bytes and stream links of the log, then, against the
 * checkpoints (and exports) the auditor kept, whether the log is a consistent extension of each
 * (growth) or not (tampering). Nothing kept beside the database is ever used.
 *
 * @category verification
 * @since 0.1.0
 */
export const verify = Command.make(
  "verify",
  {
    checkpoint: Flag.String("checkpoint").pipe(
      Flag.withDescription("A signed checkpoint note you kept (the same as one --previous FILE)"),
      Flag.optional
    ),
    previous: Flag.String("previous").pipe(
      Flag.withDescription(
        "Checkpoint notes or earlier exports you kept yourself, or a folder of them; repeat the flag for several"
      ),
      Flag.atLeast(0)
    ),
    trust: Flag.String("trust").pipe(
      Flag.withDescription("The log's verifier key (.vkey), obtained out of band"),
      Flag.optional
    ),
    jobs: Flag.Int("jobs").pipe(
      Flag.withDescription(
        "Worker threads for a SQLite log (default: one per core, and one thread for logs under 100,000 events); 1 verifies in one thread"
      ),
      Flag.optional
    ),
    json
  },
  (flags) =>
    Effect.gen(function* () {
      const { store: where } = yield* root
      if (Option.isSome(flags.checkpoint) && flags.checkpoint.value === "latest") {
        return yield* new UsageFailure({
          problem:
            "--checkpoint latest would read the checkpoint kept beside the database, which whoever can change the database can also change",
          hint: "pass the checkpoints you kept yourself: --previous FILE (repeatable) or --previous FOLDER"
        })
      }
      const paths = [...Option.toArray(flags.checkpoint), ...flags.previous]
      if (paths.length > 0 && Option.isNone(flags.trust)) {
        return yield* new UsageFailure({
          problem: "checking against kept checkpoints needs --trust",
          hint: "pass the log's .vkey with --trust (obtained out of band, never a key shipped with the log)"
        })
      }
      if (Option.isSome(flags.jobs) && flags.jobs.value < 1) {
        return yield* new UsageFailure({
          problem: `--jobs ${flags.jobs.value} is not a number of threads: it must be 1 or more`,
          hint: "leave --jobs out for one thread per core, or give --jobs 1 to verify in one thread"
        })
      }
      const kept = yield* Kept.load(paths)
      const file = Store.sqliteFile(where)
      // One pass over the whole log that keeps little: worker threads bound their young generation
      // themselves (ParallelVerify); this thread verifies PostgreSQL, small logs and --jobs 1.
      yield* Effect.sync(favourMemory)
      const { report, outcome, origin } = yield* Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        // A SQLite file is verified by worker threads over chunks of the log (the same findings
        // as one thread, ADR 0028); an explicit --jobs applies whatever the log's size. The
        // workers also check each chunk's index columns against its records (ADR 0033, 0053).
        const report: ParallelVerify.SqliteReport =
          file === undefined
            ? yield* Verify.verifyStore({})
            : yield* ParallelVerify.verifySqlite(file, {
                origin: store.origin,
                indexColumns: true,
                ...(Option.isSome(flags.jobs) ? { jobs: flags.jobs.value, sequentialBelow: 0 } : {})
              })
        if (!report.ok || paths.length === 0 || Option.isNone(flags.trust)) {
          return { report, outcome: undefined, origin: store.origin }
        }
        // A second pass over exactly the records just verified (the log may grow meanwhile), kept
        // in O(log n) memory: collecting a million hashes and a tree over them took over 1 GB.
        const checking = Extension.begin(report.records, {
          trust: yield* trustFrom(store.origin, flags.trust.value),
          ...kept
        })
        if (checking.settled === undefined) {
          yield* EventStore.readHashes(store, { batchSize: 1024, toPosition: report.records }).pipe(
            Stream.runForEachArray((chunk) =>
              Effect.sync(() => {
                for (const r of chunk) checking.add(r.hash)
              })
            ),
            Effect.mapError(storeProblem)
          )
          if (checking.added() !== report.records) {
            return yield* new Finding({
              problem: `the log held ${report.records} events when verified but ${checking.added()} when read again: it shrank while it was being verified`,
              hint: "keep this database as evidence and verify a copy taken while nothing writes to it; see docs/guides/auditor.md"
            })
          }
        }
        return { report, outcome: checking.finish(), origin: store.origin }
      }).pipe(Store.withStore(where, { mustExist: true }))
      const recordsFailure = !report.ok ? report.failure : outcome?.ok === false ? outcome.failure : undefined
      // The columns a store finds events by are not hashed: once the records verify, check that
      // each column still says what its record says.
      const mismatch =
        recordsFailure !== undefined
          ? undefined
          : file === undefined
            ? yield* Store.indexMismatch(where).pipe(Effect.mapError(storeProblem))
            : report.rowCheckFailedAt === undefined
              ? undefined
              : yield* Store.indexMismatchAt(file, report.rowCheckFailedAt).pipe(
                  Effect.mapError(storeProblem)
                )
      const failure: Verify.Failure | undefined =
        recordsFailure ??
        (mismatch === undefined
          ? undefined
          : {
              class: "INDEX",
              position: mismatch.position,
              detail: `the ${mismatch.column} column says ${JSON.stringify(mismatch.columnValue)} but the hashed record says ${JSON.stringify(mismatch.recordValue)}: the row's index was altered, so reads by ${mismatch.column} miss or misplace this event`
            })
      if (flags.json) {
        yield* Console.log(
          JSON.stringify({ ...report, ok: failure === undefined, kept: outcome ?? null }, null, 2)
        )
      } else {
        yield* Console.log(`origin        ${report.origin ?? origin}`)
        yield* Console.log(`records       ${report.records} in ${report.streams} streams`)
        if (report.root !== undefined) yield* Console.log(`merkle root   ${report.root}`)
        for (const c of outcome?.consistent ?? []) {
          yield* Console.log(
            c.kind === "checkpoint"
              ? `kept          ${c.name}: size ${c.size}, consistent${c.grewBy === 0 ? " (same size, same root)" : ` (RFC 9162 consistency proof ${c.size} → ${c.size + c.grewBy} verified)`}`
              : `kept          ${c.name}: export of ${c.size} events, identical to positions 0 to ${c.size - 1}`
          )
        }
        if (outcome?.ok === true) {
          const newest = outcome.newest
          yield* Console.log(
            newest === undefined
              ? "growth        no kept checkpoint: nothing signed to compare sizes with"
              : newest.grewBy === 0
                ? `growth        none: ${newest.name} covers all ${newest.size} events`
                : `growth        the log grew by ${newest.grewBy} event${newest.grewBy === 1 ? "" : "s"} since checkpoint ${newest.name} (size ${newest.size}); ${newest.grewBy === 1 ? `position ${newest.size} is` : `positions ${newest.size} to ${newest.size + newest.grewBy - 1} are`} not yet covered by a signed checkpoint`
          )
        }
        for (const w of report.warnings) yield* Console.log(`warning       ${w}`)
        if (file === undefined && Option.isSome(flags.jobs) && flags.jobs.value > 1)
          yield* Console.log(
            "warning       --jobs applies to SQLite files; this PostgreSQL log was verified in one thread"
          )
        yield* Console.log(
          failure === undefined
            ? "RESULT        PASS"
            : `RESULT        FAIL ${failure.class}${failure.position === undefined ? "" : ` at position ${failure.position}`}: ${failure.detail}`
        )
      }
      if (failure === undefined) return
      if (failure.class === "MALFORMED") {
        return yield* new UsageFailure({
          problem: failure.detail,
          hint: "pass checkpoint notes written by utblick checkpoint, and exports written by utblick export"
        })
      }
      return yield* new Finding({
        problem: `verification failed: ${failure.class}${failure.position === undefined ? "" : ` at position ${failure.position}`}`,
        hint:
          failure.class === "INCONSISTENT_WITH_PREVIOUS" ||
          failure.class === "ROLLBACK" ||
          failure.class === "FORK"
            ? "keep the database and the kept notes named above as evidence; see docs/guides/auditor.md"
            : "keep this database as evidence and compare it with a backup or an earlier export; see docs/guides/auditor.md"
      })
    })
).pipe(
  Command.withDescription(
    "Verify the hash chain, canonical bytes and stream links of the log and, with --previous, that it extends every checkpoint you kept (growth) rather than rewriting it (tampering). Exit 0 pass, 1 failure, 2 bad input"
  ),
  Command.withExamples([
    { command: "utblick verify", description: "Chain, canonical bytes and streams" },
    {
      command: "utblick verify --jobs 1",
      description: "The same in one thread (default: one worker thread per core)"
    },
    {
      command: "utblick verify --trust audit.key.vkey --previous ~/revision/checkpoints/",
      description: "Also against every checkpoint you kept"
    }
  ])
)
