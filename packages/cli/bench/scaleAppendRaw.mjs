// The raw baseline of scaleAppend.mjs on PostgreSQL: the same rows written by the same INSERT
// statement through the same driver (@effect/sql-pg), with nothing of the library's work (no
// planning, canonical JSON or hashing). It tells what peak RSS the driver and V8 reach on their
// own for 1,000-row statements of Utblick's rows (docs/reference/performance.md, "Appends, as a
// service runs them").
// Usage: node scaleAppendRaw.mjs SCHEMA EVENTS   (prints {"ms","rssMb"}; needs DATABASE_URL)
// It writes 1,000 events through the library into SCHEMA_src once, then inserts copies of their
// rows into SCHEMA, each copy with its own position, event id, stream id and hashes.
import { PgClient } from "@effect/sql-pg"
import { EventStore } from "@utblick/core"
import * as Synthetic from "@utblick/core/testing/Synthetic"
import { PgEventStore } from "@utblick/store-postgres"
import { Effect, Redacted } from "effect"

const ORIGIN = "bench.utblick.example/scale"
const url = process.env.DATABASE_URL
const [schema, count] = process.argv.slice(2)
const events = Number(count)
const source = `${schema}_src`

const withStore = (target, body) =>
  Effect.runPromise(
    Effect.scoped(
      Effect.provide(
        Effect.flatMap(EventStore.EventStore, body),
        PgEventStore.layerFromUrl(url, { schema: target, origin: ORIGIN })
      )
    )
  )
// The source rows, and the target's table with the library's own migrations (the same indexes).
await withStore(source, (log) =>
  log.appendMany(Array.from({ length: 10 }, (_, k) => ({ streamId: `unit-${k}`, events: Synthetic.unit(k) })))
)
await withStore(schema, () => Effect.void)

const insertSql = `WITH lock AS (SELECT pg_advisory_xact_lock($1::bigint)),
  ins AS (
    INSERT INTO "${schema}".utblick_events (position, event_id, stream_id, stream_version, tenant, type, occurred_at, recorded_at, prev_hash, hash, canonical)
    SELECT u.* FROM lock, unnest($2::int8[], $3::uuid[], $4::text[], $5::int4[], $6::text[], $7::text[], $8::date[],
                                 $9::timestamptz[], $10::text[], $11::text[], $12::text[]) AS u
    RETURNING 1)
  SELECT pg_notify($13, $14), (SELECT count(*) FROM ins)`

const t0 = performance.now()
await Effect.runPromise(
  Effect.scoped(
    Effect.provide(
      Effect.gen(function* () {
        const sql = yield* PgClient.PgClient
        const rows = yield* sql.unsafe(
          `SELECT event_id::text, stream_id, stream_version, tenant, type, occurred_at::text, recorded_at::text, prev_hash, hash, canonical
             FROM "${source}".utblick_events ORDER BY position`
        ).values
        const n = rows.length
        for (let k = 0; k < events / n; k++) {
          // New strings for every statement, as the library makes them: the last 12 characters
          // of each id, hash and record carry the copy's number.
          const tag = String(k).padStart(12, "0")
          const columns = Array.from({ length: 11 }, () => new Array(n))
          for (let i = 0; i < n; i++) {
            const [eventId, streamId, version, tenant, type, occurredAt, recordedAt, prevHash, hash, text] =
              rows[i]
            columns[0][i] = BigInt(k * n + i)
            columns[1][i] = eventId.slice(0, 24) + String(k * n + i).padStart(12, "0")
            columns[2][i] = `${streamId}-${k}`
            columns[3][i] = version
            columns[4][i] = `${tenant}`
            columns[5][i] = `${type}`
            columns[6][i] = occurredAt
            columns[7][i] = recordedAt
            columns[8][i] = prevHash.slice(0, 52) + tag
            columns[9][i] = hash.slice(0, 52) + tag
            columns[10][i] = text.slice(0, text.length - 12) + tag
          }
          yield* sql.unsafe(insertSql, [12345, ...columns, "utblick_raw_bench", String(k)]).values
        }
      }),
      PgClient.layer({ url: Redacted.make(url) })
    )
  )
)
console.log(JSON.stringify({ ms: performance.now() - t0, rssMb: Synthetic.peakRssBytes() / 1e6 }))
