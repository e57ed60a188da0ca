/**
 * Restoring a verified log into an empty PostgreSQL log, record by record, exactly as exported:
 * same origin, positions, event ids, `recordedAt` and hashes, so that every checkpoint and
 * receipt of the original still verifies on the restored store.
 *
 * **Details**
 *
 * This bypasses the append planner on purpose: a restore must not re-stamp anything. The caller
 * verifies the records first (`@utblick/audit` `Verify.verifyExport`); this module refuses a log
 * that already holds events or another origin, and writes everything in one transaction.
 *
 * @since 0.2.0
 */
import { fromReason, Unavailable, type EventStoreError } from "@utblick/core/EventStoreError"
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import { urlClient } from "./internal/connect.js"
import { fromSqlError } from "./internal/errors.js"
import { logNames } from "./internal/names.js"
import * as PgMigrator from "./PgMigrator.js"

/**
 * One record to restore: the stored columns, all taken from the verified export line.
 *
 * @category models
 * @since 0.2.0
 */
export interface RestoreRecord {
  readonly position: number
  readonly eventId: string
  readonly streamId: string
  readonly streamVersion: number
  readonly tenant: string
  readonly type: string
  readonly occurredAt: string
  readonly recordedAt: string
  readonly prevHash: string
  readonly hash: string
  readonly canonical: string
}

const BATCH = 1000

const refuse = (detail: string) =>
  Effect.fail(fromReason(new Unavailable({ operation: "restore the log", detail, retryable: false })))

/**
 * Restores `records` (position order, from 0) into the log in `schema`, which must be empty and
 * either new or of the same origin, in one transaction, a batch of 1,000 at a time as `records` gives them
 * (an iterable: a restore of any size need not be held in memory). Returns how many records were written.
 *
 * @category verification
 * @since 0.2.0
 */
export const restore = (
  records: Iterable<RestoreRecord>,
  options: { readonly origin: string; readonly schema?: string }
): Effect.Effect<number, EventStoreError, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const schema = options.schema ?? "public"
    const s = yield* PgMigrator.quoteSchema(schema)
    yield* PgMigrator.run({ schema })
    const write = Effect.gen(function* () {
      yield* sql.unsafe(`INSERT INTO ${s}.utblick_log (origin) VALUES ($1) ON CONFLICT DO NOTHING`, [
        options.origin
      ])
      const rows = yield* sql.unsafe<{ readonly origin: string }>(`SELECT origin FROM ${s}.utblick_log`)
      const origin = rows[0]?.origin
      if (origin !== options.origin) {
        return yield* refuse(
          `the log in schema "${schema}" has origin "${origin}", the export "${options.origin}"; restore into an empty schema`
        )
      }
      // The appenders' own lock first, so no append can slip in between the count and the inserts.
      yield* sql.unsafe(`SELECT pg_advisory_xact_lock($1::bigint)`, [logNames(schema).appendLockKey])
      yield* sql.unsafe(`LOCK TABLE ${s}.utblick_events IN EXCLUSIVE MODE`)
      const count = yield* sql.unsafe<{ readonly n: string | number }>(
        `SELECT count(*) AS n FROM ${s}.utblick_events`
      )
      const held = Number(count[0]?.n ?? 0)
      if (held > 0) {
        return yield* refuse(
          `the log in schema "${schema}" already holds ${held} events; restore only into an empty log`
        )
      }
      // Batches taken from the records as they come: a restore of any size holds one batch.
      let written = 0
      let batch: Array<RestoreRecord> = []
      const insert = (batch: ReadonlyArray<RestoreRecord>) =>
        sql.unsafe(
          `INSERT INTO ${s}.utblick_events (position, event_id, stream_id, stream_version, tenant, type, occurred_at, recorded_at, prev_hash, hash, canonical)
           SELECT * FROM unnest($1::int8[], $2::uuid[], $3::text[], $4::int4[], $5::text[], $6::text[], $7::date[], $8::timestamptz[], $9::text[], $10::text[], $11::text[])`,
          [
            batch.map((r) => r.position),
            batch.map((r) => r.eventId),
            batch.map((r) => r.streamId),
            batch.map((r) => r.streamVersion),
            batch.map((r) => r.tenant),
            batch.map((r) => r.type),
            batch.map((r) => r.occurredAt),
            batch.map((r) => r.recordedAt),
            batch.map((r) => r.prevHash),
            batch.map((r) => r.hash),
            batch.map((r) => r.canonical)
          ]
        )
      for (const record of records) {
        batch.push(record)
        if (batch.length === BATCH) {
          yield* insert(batch)
          written += batch.length
          batch = []
        }
      }
      if (batch.length > 0) {
        yield* insert(batch)
        written += batch.length
      }
      return written
    })
    return yield* sql
      .withTransaction(write)
      .pipe(Effect.catchTag("SqlError", (e: SqlError) => Effect.fail(fromSqlError("restore the log")(e))))
  })

/**
 * {@link restore} over its own connection to `url`.
 *
 * @category verification
 * @since 0.2.0
 */
export const restoreFromUrl = (
  url: string,
  records: Iterable<RestoreRecord>,
  options: { readonly origin: string; readonly schema?: string }
): Effect.Effect<number, EventStoreError> =>
  restore(records, options).pipe(Effect.provide(urlClient(url, 1)))
