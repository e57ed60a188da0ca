/**
 * The PostgreSQL store's appends: optimistic single-statement inserts planned on cached state,
 * group commit of concurrent appends, the locked path after a collision, and joining a caller's
 * transaction (ADR 0010, ADR 0023). `PgEventStore.make` builds one per store instance.
 */
import {
  type AppendResult,
  EMPTY_HEAD,
  type LogHead,
  type PreparedRecord,
  type StreamTip,
  type StreamWrite
} from "@utblick/core/AppendPlanner"
import type { StoredEvent } from "@utblick/core/Envelope"
import { Corrupt, type EventStoreError, fromReason } from "@utblick/core/EventStoreError"
import { Cause, Clock, Deferred, Effect, Exit, Option, Queue, Result, type Scope } from "effect"
import type { SqlClient } from "effect/sql"
import { isSqlError, type SqlError } from "effect/sql/SqlError"
import { fromSqlError, isDataError, unavailable } from "./errors.js"
import { EMPTY_TIP, insertColumns, keysOf, planGroup, type Writes } from "./groups.js"
import type { LogNames } from "./names.js"
import { decodeRow, type RowValues } from "./rows.js"

const CONTENDED_GROUPS = 16
const MAX_CACHED_STREAMS = 100_000
const NO_EVENTS: ReadonlyMap<string, StoredEvent> = new Map()

interface Pending extends Writes {
  readonly done: Deferred.Deferred<ReadonlyArray<AppendResult>, EventStoreError>
}

interface GroupOutcome {
  readonly outcomes: ReadonlyArray<Result.Result<ReadonlyArray<AppendResult>, EventStoreError>>
  readonly head: LogHead
}

const fromJsonColumn = (value: unknown): unknown => (typeof value === "string" ? JSON.parse(value) : value)

/** What the append path needs of its store. */
export interface AppendsContext {
  readonly sql: SqlClient.SqlClient
  /** The qualified events table. */
  readonly table: string
  readonly names: LogNames
  readonly origin: string
  /** The head read when the store opened. */
  readonly initialHead: LogHead
  /** The most appends one statement writes together. */
  readonly maxGroupSize: number
  /** Called with the log's size after each commit of ours (it may not have grown). */
  readonly committed: (size: number) => void
}

/**
 * Starts the group-commit writer in the scope and returns the store's `appendMany`.
 */
export const makeAppends = ({
  committed,
  initialHead,
  maxGroupSize,
  names,
  origin,
  sql,
  table
}: AppendsContext): Effect.Effect<
  (writes: ReadonlyArray<StreamWrite>) => Effect.Effect<ReadonlyArray<AppendResult>, EventStoreError>,
  never,
  Scope.Scope
> =>
  Effect.gen(function* () {
    // The head and the tips in a first row; each stored event carrying one of the group's ids in a
    // row of its own after it. (As one aggregated value, a retried batch whose records add up to
    // over 16 MiB was a message the driver refuses, and the retry could never succeed.)
    const stateSql = `SELECT 0 AS k,
      (SELECT json_build_array(position, hash, canonical::json->>'recordedAt') FROM ${table} ORDER BY position DESC LIMIT 1) AS head,
      (SELECT coalesce(json_agg(json_build_array(s.id, t.stream_version, t.hash)), '[]'::json)
         FROM json_array_elements_text($1::json) AS s(id)
         CROSS JOIN LATERAL (SELECT stream_version, hash FROM ${table} WHERE stream_id = s.id
                             ORDER BY stream_version DESC LIMIT 1) AS t) AS tips,
      NULL::bigint AS position, NULL::text AS stream_id, NULL::text AS canonical, NULL::text AS prev_hash, NULL::text AS hash
    UNION ALL
    SELECT 1, NULL, NULL, position, stream_id, canonical, prev_hash, hash
      FROM ${table} WHERE event_id IN (SELECT e.x::uuid FROM json_array_elements_text($2::json) AS e(x))
    ORDER BY k`

    // What this instance knows of the committed log. Both only ever hold committed facts (an
    // acknowledged commit of ours, or a read), and a log only grows, so they are lower bounds
    // of the truth: planning on them either is right, or collides with a committed row on a
    // unique key (position, (stream_id, stream_version), event_id) and is refreshed (ADR 0010).
    let cachedHead: LogHead | undefined = initialHead
    const cachedTips = new Map<string, StreamTip>()

    const insertSql = `WITH lock AS (SELECT pg_advisory_xact_lock($1::bigint)),
      ins AS (
        INSERT INTO ${table} (position, event_id, stream_id, stream_version, tenant, type, occurred_at, recorded_at, prev_hash, hash, canonical)
        SELECT u.* FROM lock, unnest($2::int8[], $3::uuid[], $4::text[], $5::int4[], $6::text[], $7::text[], $8::date[],
                                     $9::timestamptz[], $10::text[], $11::text[], $12::text[]) AS u
        RETURNING 1)
      SELECT pg_notify($13, $14), (SELECT count(*) FROM ins)`

    // One autocommitted statement, so one consistent snapshot of the head, the group's stream
    // tips and the stored events carrying the group's event ids.
    const readState = (group: ReadonlyArray<Writes>) =>
      Effect.gen(function* () {
        const { streams, ids } = keysOf(group)
        const stateRows = yield* sql.unsafe(stateSql, [
          JSON.stringify([...streams]),
          JSON.stringify([...ids])
        ]).values
        const state = stateRows[0] ?? [0, null, [], null, null, null, null, null]
        const headRow = fromJsonColumn(state[1]) as [number, string, string] | null
        const head: LogHead =
          headRow === null
            ? EMPTY_HEAD
            : { size: headRow[0] + 1, lastHash: headRow[1], lastRecordedAt: headRow[2] }
        const tips = new Map<string, StreamTip>()
        for (const [id, version, hash] of fromJsonColumn(state[2]) as Array<[string, number, string]>) {
          tips.set(id, { version, lastHash: hash })
        }
        const found = new Map<string, StoredEvent>()
        for (const row of stateRows.slice(1)) {
          const decoded = decodeRow((row as RowValues).slice(3))
          if (decoded instanceof Corrupt) return yield* Effect.fail(fromReason(decoded))
          found.set(decoded.eventId, decoded)
        }
        return { head, tips, found }
      })

    const insert = (records: ReadonlyArray<PreparedRecord>, head: LogHead) => {
      const n = records.length
      const columns = insertColumns(records)
      // The notification rides in the same statement; PostgreSQL delivers it only on commit.
      return sql
        .unsafe(insertSql, [names.appendLockKey, ...columns, names.channel, String(head.size)])
        .values.pipe(
          Effect.flatMap((rows) =>
            Number(rows[0]?.[1]) === n
              ? Effect.void
              : Effect.fail(
                  unavailable("append", `the insert reported ${String(rows[0]?.[1])} rows, not ${n}`, false)
                )
          )
        )
    }

    const isUniqueViolation = (error: EventStoreError | SqlError): boolean =>
      error._tag === "SqlError" && error.reason._tag === "UniqueViolation"

    /**
     * Plans the group on the cached state and inserts it in one statement. A conflict or duplicate
     * found in the cache is decided on a fresh read; a collision with a committed row (another
     * instance wrote, or an event id is already stored) is retried under the log's lock, which
     * always succeeds or fails on the log's own state, so an append never spins.
     */
    // After a collision, the next appends of this instance take the log's lock in a transaction
    // first and read the state under it: slower when alone (five round trips), but certain when
    // other instances keep moving the head, where optimistic attempts would keep colliding.
    let contended = 0
    // Plans a group on a state read from the database (not on the caches).
    const planOn = (
      group: ReadonlyArray<Writes>,
      state: { head: LogHead; tips: ReadonlyMap<string, StreamTip>; found: ReadonlyMap<string, StoredEvent> },
      nowMillis: number
    ) => planGroup(origin, group, state.head, (id) => state.tips.get(id) ?? EMPTY_TIP, state.found, nowMillis)

    // Inside a transaction: takes the log's lock, reads the state afresh under it and plans the
    // group on it. Every append statement takes this lock before its first row, so while we hold
    // it nobody inserts; the next statement's snapshot shows everything committed before.
    const planLocked = (group: ReadonlyArray<Writes>, nowMillis: number) =>
      Effect.gen(function* () {
        yield* sql.unsafe(`SELECT pg_advisory_xact_lock($1::bigint)`, [names.appendLockKey]).values
        const state = yield* readState(group)
        const plan = planOn(group, state, nowMillis)
        return { state, plan }
      })

    const viaLock = (group: ReadonlyArray<Pending>, nowMillis: number) =>
      sql
        .withTransaction(
          Effect.gen(function* () {
            const { state, plan } = yield* planLocked(group, nowMillis)
            if (plan.records.length > 0) yield* insert(plan.records, plan.head)
            return { state, plan }
          })
        )
        .pipe(
          Effect.map(({ state, plan }): GroupOutcome => {
            remember(state.tips)
            remember(plan.tips)
            cachedHead = plan.head
            return { outcomes: plan.outcomes, head: plan.head }
          })
        )

    const transact = (
      group: ReadonlyArray<Pending>
    ): Effect.Effect<GroupOutcome, EventStoreError | SqlError> =>
      Effect.gen(function* () {
        const nowMillis = yield* Clock.currentTimeMillis
        if (contended > 0) {
          contended--
          return yield* viaLock(group, nowMillis)
        }
        // Without a cached head (the first append, or after a failure) the state is read first.
        let state = cachedHead === undefined ? yield* readState(group) : undefined
        let plan =
          state !== undefined
            ? planOn(group, state, nowMillis)
            : planGroup(
                origin,
                group,
                cachedHead as LogHead,
                (id) => cachedTips.get(id) ?? EMPTY_TIP,
                NO_EVENTS,
                nowMillis
              )
        if (state === undefined && plan.stateFailure) {
          // A conflict or duplicate seen in the cache may be stale: only a fresh read decides.
          state = yield* readState(group)
          plan = planOn(group, state, nowMillis)
        }
        if (state !== undefined) {
          // What was just read is committed; keep it for the next appends.
          cachedHead = state.head
          remember(state.tips)
        }
        if (plan.records.length === 0) return { outcomes: plan.outcomes, head: plan.head }
        const inserted = yield* Effect.exit(insert(plan.records, plan.head))
        if (Exit.isSuccess(inserted)) {
          cachedHead = plan.head
          remember(plan.tips)
          return { outcomes: plan.outcomes, head: plan.head }
        }
        cachedHead = undefined
        const error = Cause.findErrorOption(inserted.cause)
        if (Option.isSome(error) && isUniqueViolation(error.value)) {
          contended = CONTENDED_GROUPS
          return yield* viaLock(group, nowMillis)
        }
        return yield* Effect.failCause(inserted.cause)
      })

    const remember = (tips: ReadonlyMap<string, StreamTip>) => {
      if (cachedTips.size + tips.size > MAX_CACHED_STREAMS) cachedTips.clear()
      for (const [id, tip] of tips) {
        const known = cachedTips.get(id)
        if (known === undefined || known.version < tip.version) cachedTips.set(id, tip)
      }
    }

    const finish = (group: ReadonlyArray<Pending>, error: EventStoreError) =>
      Effect.forEach(group, (p) => Deferred.fail(p.done, error), { discard: true })

    const commitGroup = (group: ReadonlyArray<Pending>): Effect.Effect<void> =>
      Effect.gen(function* () {
        const exit = yield* Effect.exit(transact(group))
        if (Exit.isSuccess(exit)) {
          const { outcomes, head } = exit.value
          committed(head.size)
          for (let i = 0; i < group.length; i++) {
            const p = group[i] as Pending
            const outcome = outcomes[i] as Result.Result<ReadonlyArray<AppendResult>, EventStoreError>
            yield* Result.isSuccess(outcome)
              ? Deferred.succeed(p.done, outcome.success)
              : Deferred.fail(p.done, outcome.failure)
          }
          return
        }
        cachedHead = undefined
        const failure = Cause.findErrorOption(exit.cause)
        if (Option.isSome(failure)) {
          const error = failure.value
          // A constraint failure other than a collision (handled above) is a bad row; retrying
          // each append on its own keeps one bad write from failing the others.
          if (group.length > 1 && isDataError(error)) {
            for (const p of group) yield* commitGroup([p])
            return
          }
          return yield* finish(group, error._tag === "SqlError" ? fromSqlError("append")(error) : error)
        }
        // A connection that dies inside the statement can surface as a defect; it is still an
        // SqlError and still means nothing we know of was committed.
        const squashed = Cause.squash(exit.cause)
        if (isSqlError(squashed)) return yield* finish(group, fromSqlError("append")(squashed))
        return yield* finish(
          group,
          unavailable("append", `unexpected failure: ${Cause.pretty(exit.cause)}`, false)
        )
      })

    const queue = yield* Queue.unbounded<Pending>()
    const maxGroup = Math.max(1, maxGroupSize)
    yield* Queue.takeBetween(queue, 1, maxGroup).pipe(
      Effect.flatMap(commitGroup),
      Effect.forever,
      Effect.forkScoped
    )

    const enqueue = (
      writes: ReadonlyArray<StreamWrite>
    ): Effect.Effect<ReadonlyArray<AppendResult>, EventStoreError> =>
      Effect.flatMap(Deferred.make<ReadonlyArray<AppendResult>, EventStoreError>(), (done) =>
        Effect.andThen(Queue.offer(queue, { writes, done }), Deferred.await(done))
      )

    // An append made inside a transaction the caller opened on this store's own client
    // (`sql.withTransaction`) joins it, as a savepoint, instead of committing on its own through
    // the group-commit writer (ADR 0023: an import writes a whole file into one transaction). It
    // takes the log's lock — held until the caller's transaction ends, so other writers wait for
    // it as they wait for a SQLite write lock — and reads the head and tips under it, through the
    // transaction, so it plans on top of what the transaction has written. Nothing of it enters
    // the caches: those hold committed facts only, and the caller may still roll back.
    const appendJoined = (
      writes: ReadonlyArray<StreamWrite>
    ): Effect.Effect<ReadonlyArray<AppendResult>, EventStoreError> =>
      sql
        .withTransaction(
          Effect.gen(function* () {
            const nowMillis = yield* Clock.currentTimeMillis
            const { plan } = yield* planLocked([{ writes }], nowMillis)
            const outcome = plan.outcomes[0] as Result.Result<ReadonlyArray<AppendResult>, EventStoreError>
            if (Result.isFailure(outcome)) return yield* Effect.fail(outcome.failure)
            if (plan.records.length > 0) yield* insert(plan.records, plan.head)
            return outcome.success
          })
        )
        .pipe(Effect.catchTag("SqlError", (e: SqlError) => Effect.fail(fromSqlError("append")(e))))

    const appendMany = (
      writes: ReadonlyArray<StreamWrite>
    ): Effect.Effect<ReadonlyArray<AppendResult>, EventStoreError> =>
      Effect.flatMap(Effect.serviceOption(sql.transactionService), (transaction) =>
        Option.isSome(transaction) ? appendJoined(writes) : enqueue(writes)
      )

    return appendMany
  })
