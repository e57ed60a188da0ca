// Appends, Utblick against its closest TypeScript peer (Emmett 0.42), in one process, phase by
// phase and alternating (peer, ours, raw, …) for ROUNDS rounds; the median of each is reported.
// Same workload for both: N events of one 200-character-note payload over 1,000 streams, either
// one event per append call with an expected version (single) or 100 per call to a new stream
// (batched). Same durability: one commit per append call; SQLite in WAL with synchronous=NORMAL
// for both; PostgreSQL defaults. Utblick keeps canonicalisation, SHA-256 chaining and UUIDv7 on.
// Each store is timed from opening to closing, so the checkpoint SQLite runs at close counts.
//
// The raw baseline is the least a store can do for the same call: in memory, keep the payload's
// JSON and one SHA-256 of it; on SQLite, one prepared INSERT of it per call in its own transaction;
// on PostgreSQL, one auto-committed INSERT of the call's rows through node-postgres (Emmett's
// driver), with a named (prepared) statement. The raw baseline with Utblick's record does the same
// with the canonical record and its chained hash (in memory: only those, see rawMemoryRecord; on
// PostgreSQL through the store's own driver, see rawPostgresRecord).
//
// Utblick is measured as users get it, built (tsup's output through the packages' exports), as
// Emmett is: run from the sources through tsx, every closure Utblick makes also pays esbuild's
// keepNames helper (`__name`: 4.5 % of a CPU profile of batched appends in memory, 7.8 % of
// single ones).
//
// Run: pnpm --filter @utblick/facade bench:peer   (builds the packages first; PostgreSQL phases
// when DATABASE_URL is set)
// Env: N (events per phase, default 20000), ROUNDS (default 3), PHASES (comma list).
import { PgClient } from "@effect/sql-pg"
import { getInMemoryEventStore } from "@event-driven-io/emmett"
import { getPostgreSQLEventStore } from "@event-driven-io/emmett-postgresql"
import { getSQLiteEventStore, sqliteConnection } from "@event-driven-io/emmett-sqlite"
import { EventStore } from "@utblick/core"
import * as BenchSummary from "@utblick/core/testing/BenchSummary"
import * as Uuid from "@utblick/core/Uuid"
import { PgEventStore } from "@utblick/store-postgres"
import { SqliteEventStore } from "@utblick/store-sqlite"
import { Effect, type Layer, Redacted } from "effect"
import { hash, randomUUID } from "node:crypto"
import { mkdtempSync, rmSync } from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { payload, toAppend } from "./workload.js"

// better-sqlite3 is the SQLite store's dependency: load the same copy it uses.
const Database = createRequire(import.meta.resolve("@utblick/store-sqlite"))("better-sqlite3") as typeof import("better-sqlite3")

const N = Number(process.env["N"] ?? 20_000)
const ROUNDS = Number(process.env["ROUNDS"] ?? 3)
const STREAMS = 1_000
const BATCH = 100
const DATABASE_URL = process.env["DATABASE_URL"]

// node-postgres, the driver Emmett uses, from this benchmark's own npm install.
const pg = createRequire(import.meta.url)("pg") as {
  Client: new (config: {
    connectionString: string
  }) => {
    connect: () => Promise<void>
    query: (
      query: { name: string; text: string; values: ReadonlyArray<unknown> } | string
    ) => Promise<unknown>
    end: () => Promise<void>
  }
}


/** What one append call of the workload gets: its stream, the event indexes, and the expected version. */
interface Call {
  readonly stream: string
  readonly first: number
  readonly count: number
  readonly version: number
}

// Every run writes streams of its own, named by the process too: Emmett keeps its PostgreSQL
// tables in the public schema across runs and processes.
let runs = 0
const calls = (batched: boolean): ReadonlyArray<Call> => {
  const run = runs++
  if (batched) return Array.from({ length: N / BATCH }, (_, c) => ({ stream: `grant-${process.pid}-${run}-${c}`, first: c * BATCH, count: BATCH, version: 0 }))
  return Array.from({ length: N }, (_, i) => ({ stream: `grant-${process.pid}-${run}-${i % STREAMS}`, first: i, count: 1, version: Math.floor(i / STREAMS) }))
}

type EmmettStore = {
  appendToStream: (
    stream: string,
    events: ReadonlyArray<{ type: string; data: Record<string, unknown> }>,
    options?: { expectedStreamVersion: bigint | "STREAM_DOES_NOT_EXIST" }
  ) => Promise<unknown>
}

// CPU time of the whole process per event (the peer's SQLite driver works on libuv's threads,
// which this counts too): unlike events per second, it hardly moves with the machine's load.
let lastCpuMicros = Number.NaN
const timed = async (run: () => Promise<void>): Promise<number> => {
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  await run()
  const cpu = process.cpuUsage(cpu0)
  lastCpuMicros = (cpu.user + cpu.system) / N
  return N / ((performance.now() - t0) / 1000)
}

// Timed from opening the store to closing it, for both stores: closing a SQLite file copies its
// write-ahead log back (a checkpoint), work a larger log only defers.
const emmett = (open: () => Promise<{ store: EmmettStore; close: () => Promise<void> }>, batched: boolean) =>
  timed(async () => {
    const { store, close } = await open()
    for (const call of calls(batched)) {
      const events = Array.from({ length: call.count }, (_, k) => ({ type: "PaymentDisbursed", data: payload(call.first + k) }))
      await store.appendToStream(call.stream, events, batched ? undefined : { expectedStreamVersion: call.version === 0 ? "STREAM_DOES_NOT_EXIST" : BigInt(call.version) })
    }
    await close()
  })

const utblick = (layer: Layer.Layer<EventStore.EventStore, unknown>, batched: boolean) =>
  timed(() =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      for (const call of calls(batched)) {
        const events = Array.from({ length: call.count }, (_, k) => toAppend(call.first + k))
        yield* store.append(call.stream, events, batched ? {} : { expectedVersion: call.version === 0 ? "no-stream" : call.version })
      }
    }).pipe(Effect.scoped, Effect.provide(layer), Effect.runPromise)
  )

const rawMemory = (batched: boolean) =>
  timed(async () => {
    const kept: Array<string> = []
    const digests: Array<string> = []
    for (const call of calls(batched)) {
      for (let k = 0; k < call.count; k++) {
        const json = JSON.stringify(payload(call.first + k))
        kept.push(json)
        digests.push(hash("sha256", json))
      }
    }
  })

// The least an in-memory store that keeps Utblick's promises must do per event: the canonical
// record (one JSON.stringify of an object written in RFC 8785 key order, the payload's keys sorted
// here by hand, so no sorting or validation is paid) and its SHA-256 chained to the previous
// hash (one-shot crypto.hash, hex), both kept. No ids drawn, no checks, no store. If this alone is
// not 1.2× Emmett's whole append, no store that canonicalises and chains in JavaScript can be.
const rawMemoryRecord = (batched: boolean) =>
  timed(async () => {
    const kept: Array<string> = []
    const digests: Array<string> = []
    const recordedAt = new Date().toISOString()
    const eventId = randomUUID()
    let prev = "0".repeat(64)
    let position = 0
    for (const call of calls(batched)) {
      for (let k = 0; k < call.count; k++) {
        const { grantId, amount, note } = payload(call.first + k)
        const body = JSON.stringify({
          actor: { id: "bench", role: "officer" },
          causationId: null,
          correlationId: eventId,
          decisionRef: null,
          eventId,
          occurredAt: "2022-06-30",
          origin: "bench.utblick.example/log",
          payload: { amount, grantId, note },
          position,
          recordedAt,
          schemaVersion: 1,
          streamId: call.stream,
          streamPrev: k === 0 ? null : prev,
          streamVersion: call.version + k + 1,
          tenant: "region-norrbotten",
          type: "PaymentDisbursed",
          v: 1
        })
        prev = hash("sha256", prev + body)
        kept.push(body)
        digests.push(prev)
        position += 1
      }
    }
  })

const rawSqlite = (file: string, batched: boolean) =>
  timed(async () => {
    const db = new Database(file)
    db.pragma("journal_mode = WAL")
    db.pragma("synchronous = NORMAL")
    db.exec("CREATE TABLE events (position INTEGER PRIMARY KEY, stream TEXT NOT NULL, payload TEXT NOT NULL)")
    const insert = db.prepare("INSERT INTO events (stream, payload) VALUES (?, ?)")
    const appendCall = db.transaction((call: Call) => {
      for (let k = 0; k < call.count; k++) insert.run(call.stream, JSON.stringify(payload(call.first + k)))
    })
    for (const call of calls(batched)) appendCall(call)
    db.close()
  })

// Utblick's row for event k of a call, for both baselines that write its record: the record as
// one JSON.stringify (every envelope field, keys as written), its SHA-256 chained to the previous
// hash, and a UUIDv7 as the store draws (time-ordered, so the event-id key grows at its end as
// the store's does; a random UUID would cost the baseline B-tree inserts the store does not pay).
// Each baseline run starts its own chain at position 0.
const recordChain = () => {
  let position = 0
  let prev = "0".repeat(64)
  return (call: Call, k: number, recordedAt: string) => {
    const eventId = Uuid.uuidV7At(Date.now())
    const streamVersion = call.version + k + 1
    const body = JSON.stringify({ ...toAppend(call.first + k), eventId, position, recordedAt, streamId: call.stream, streamVersion, prevHash: prev, origin: "bench.utblick.example/log", correlationId: eventId, causationId: null, decisionRef: null, v: 1 })
    const row = { position, eventId, streamVersion, prevHash: prev, hash: hash("sha256", prev + body), body }
    prev = row.hash
    position += 1
    return row
  }
}

// The least a store can do that keeps Utblick's record: the same table, indexes and row (the
// canonical record of about 750 bytes, its chained SHA-256, the previous hash), nothing else.
// The gap between it and the plain baseline is the price of the verifiable record on SQLite.
const rawSqliteRecord = (file: string, batched: boolean) =>
  timed(async () => {
    const db = new Database(file)
    db.pragma("journal_mode = WAL")
    db.pragma("synchronous = NORMAL")
    db.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, stream_id TEXT NOT NULL,
      stream_version INTEGER NOT NULL, type TEXT NOT NULL, tenant TEXT NOT NULL, occurred_at TEXT NOT NULL,
      recorded_at TEXT NOT NULL, body TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL,
      UNIQUE (stream_id, stream_version)) STRICT;`)
    const insert = db.prepare("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
    const next = recordChain()
    const appendCall = db.transaction((call: Call) => {
      const recordedAt = new Date().toISOString()
      for (let k = 0; k < call.count; k++) {
        const row = next(call, k, recordedAt)
        insert.run(row.position, row.eventId, call.stream, row.streamVersion, "PaymentDisbursed", "region-norrbotten", "2022-06-30", recordedAt, row.body, row.prevHash, row.hash)
      }
    })
    for (const call of calls(batched)) appendCall(call)
    db.close()
  })

// The PostgreSQL baselines: one auto-committed INSERT per append call (a commit, hence a WAL
// flush, per call, as both stores do). The plain one writes the payload alone through
// node-postgres (Emmett's driver), with a named (prepared) statement. Each baseline's table is
// made before its clock starts and dropped after it stops: the clock sees the connection and the
// statements.
const rawPostgres = async (url: string, schema: string, batched: boolean) => {
  await postgresAdmin([
    `CREATE SCHEMA ${schema}`,
    `CREATE TABLE ${schema}.events (position bigserial PRIMARY KEY, stream text NOT NULL, payload text NOT NULL)`
  ])
  const rate = await timed(async () => {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    const text = `INSERT INTO ${schema}.events (stream, payload) SELECT * FROM unnest($1::text[], $2::text[])`
    for (const call of calls(batched)) {
      const rows = Array.from({ length: call.count }, (_, k) => call.first + k)
      await client.query({ name: "raw", text, values: [rows.map(() => call.stream), rows.map((i) => JSON.stringify(payload(i)))] })
    }
    await client.end()
  })
  await postgresAdmin([`DROP SCHEMA ${schema} CASCADE`])
  return rate
}

// Utblick's rows for every call of a phase, as the store would write them (the canonical record,
// its chained SHA-256, the previous hash, a UUID), in the eleven column arrays of the insert.
const recordColumns = (batched: boolean): ReadonlyArray<ReadonlyArray<ReadonlyArray<unknown>>> => {
  const next = recordChain()
  return calls(batched).map((call) => {
    const recordedAt = new Date().toISOString()
    const columns: Array<Array<unknown>> = Array.from({ length: 11 }, () => [])
    for (let k = 0; k < call.count; k++) {
      const r = next(call, k, recordedAt)
      const row = [BigInt(r.position), r.eventId, call.stream, r.streamVersion, "region-norrbotten", "PaymentDisbursed", "2022-06-30", recordedAt, r.prevHash, r.hash, r.body]
      for (let c = 0; c < row.length; c++) (columns[c] as Array<unknown>).push(row[c])
    }
    return columns
  })
}

// The floor of a client that writes Utblick's record: its table and indexes, and per call one
// INSERT … unnest of the call's rows through the store's own driver (@effect/sql-pg, arrays sent
// in binary). The rows and the table are made before the clock starts, so only the connection and
// the statements are timed: what is left when a client does no work of its own. (Built in the
// loop and sent through node-postgres as text arrays, the same rows ran slower than the store
// itself: no floor; performance.md, "Seventh pass".)
const rawPostgresRecord = async (url: string, schema: string, batched: boolean) => {
  const rows = recordColumns(batched)
  await postgresAdmin([
    `CREATE SCHEMA ${schema}`,
    `CREATE TABLE ${schema}.events (position bigint PRIMARY KEY, event_id uuid NOT NULL UNIQUE, stream_id text NOT NULL,
      stream_version integer NOT NULL, tenant text NOT NULL, type text NOT NULL, occurred_at date NOT NULL,
      recorded_at timestamptz NOT NULL, prev_hash text NOT NULL, hash text NOT NULL, canonical text NOT NULL,
      UNIQUE (stream_id, stream_version))`
  ])
  const unnested = `unnest($1::int8[], $2::uuid[], $3::text[], $4::int4[], $5::text[], $6::text[], $7::date[], $8::timestamptz[], $9::text[], $10::text[], $11::text[])`
  // PG_RAW_STATEMENT=utblick: the store's own statement (the log's advisory lock and the
  // notification in the same statement), to tell the server's cost of those from the client's.
  const text =
    process.env["PG_RAW_STATEMENT"] === "utblick"
      ? `WITH lock AS (SELECT pg_advisory_xact_lock(4242)), ins AS (INSERT INTO ${schema}.events SELECT u.* FROM lock, ${unnested} AS u RETURNING 1)
         SELECT pg_notify('raw_${schema}', '1'), (SELECT count(*) FROM ins)`
      : `INSERT INTO ${schema}.events SELECT * FROM ${unnested}`
  const rate = await timed(() =>
    Effect.gen(function* () {
      const sql = yield* PgClient.PgClient
      for (const columns of rows) yield* sql.unsafe(text, columns).values
    }).pipe(Effect.provide(PgClient.layer({ url: Redacted.make(url), maxConnections: 1 })), Effect.runPromise)
  )
  await postgresAdmin([`DROP SCHEMA ${schema} CASCADE`])
  return rate
}

const dir = mkdtempSync(join(tmpdir(), "utblick-peer-"))
let files = 0
const file = (name: string) => join(dir, `${name}-${files++}.db`)

// Emmett keeps its tables in the public schema: its first open in a process creates them (after
// the truncation below), and every later open finds them and checks its migrations. Utblick gets
// the same: one schema per phase and process, created by the first round's open, inside its clock
// as Emmett's first migration is, and found by the later rounds' opens. PG_SCHEMAS=fresh gives
// Utblick a new schema every round instead, so each of its timings includes its six migrations
// while Emmett's include only a check (how this benchmark ran up to 2026-12-07).
const ourSchemas = new Map<string, string>()
const ourSchema = (phase: string): string => {
  const existing = process.env["PG_SCHEMAS"] === "fresh" ? undefined : ourSchemas.get(phase)
  if (existing !== undefined) return existing
  const schema = `peer_${process.pid}_${files++}`
  ourSchemas.set(process.env["PG_SCHEMAS"] === "fresh" ? schema : phase, schema)
  return schema
}

// Both stores start empty in every process: Emmett's rows of earlier runs go, and Utblick's
// schemas are dropped at the end.
const postgresAdmin = async (statements: ReadonlyArray<string>): Promise<void> => {
  const client = new pg.Client({ connectionString: DATABASE_URL as string })
  await client.connect()
  for (const statement of statements) await client.query(statement)
  await client.end()
}

interface Measured {
  readonly peer: number
  readonly ours: number
  /** CPU µs per event. */
  readonly peerCpu: number
  readonly oursCpu: number
  readonly raw: number | undefined
  /** The same work as `raw` with Utblick's record: its canonical text and chained hash in memory, its row and indexes on SQLite and PostgreSQL. */
  readonly record?: number
}

// Runs the peer, then Utblick, then the baselines, keeping each one's CPU per event.
const withCpu = async (rate: Promise<number>, into: Array<number>): Promise<number> => {
  const value = await rate
  into.push(lastCpuMicros)
  return value
}

const phaseRates = async (name: string): Promise<Measured> => {
  const cpu: Array<number> = []
  const batched = name.endsWith("batched")
  if (name.startsWith("memory")) {
    return {
      peer: await withCpu(emmett(async () => ({ store: getInMemoryEventStore() as unknown as EmmettStore, close: async () => {} }), batched), cpu),
      ours: await withCpu(utblick(EventStore.layerMemory(), batched), cpu),
      raw: await rawMemory(batched),
      record: await rawMemoryRecord(batched),
      peerCpu: cpu[0] as number,
      oursCpu: cpu[1] as number
    }
  }
  if (name.startsWith("sqlite")) {
    const peer = await withCpu(emmett(async () => {
      const connection = sqliteConnection({ fileName: file("emmett") })
      await connection.command("PRAGMA synchronous = NORMAL")
      const store = getSQLiteEventStore({
        fileName: undefined,
        schema: { autoMigration: "CreateOrUpdate" },
        connectionOptions: { singleton: true, connection }
      })
      return { store: store as unknown as EmmettStore, close: async () => connection.close() }
    }, batched), cpu)
    return {
      peer,
      ours: await withCpu(utblick(SqliteEventStore.layer({ filename: file("utblick"), origin: "bench.utblick.example/log" }), batched), cpu),
      raw: await rawSqlite(file("raw"), batched),
      record: await rawSqliteRecord(file("record"), batched),
      peerCpu: cpu[0] as number,
      oursCpu: cpu[1] as number
    }
  }
  const url = DATABASE_URL as string
  const schema = ourSchema(name)
  const peer = await withCpu(emmett(async () => {
    const store = getPostgreSQLEventStore(url, { schema: { autoMigration: "CreateOrUpdate" } } as never)
    return { store: store as unknown as EmmettStore, close: () => (store as unknown as { close: () => Promise<void> }).close() }
  }, batched), cpu)
  return {
    peer,
    ours: await withCpu(utblick(PgEventStore.layerFromUrl(url, { schema, origin: "bench.utblick.example/log" }), batched), cpu),
    raw: await rawPostgres(url, `raw_${process.pid}_${files++}`, batched),
    record: await rawPostgresRecord(url, `record_${process.pid}_${files++}`, batched),
    peerCpu: cpu[0] as number,
    oursCpu: cpu[1] as number
  }
}

const phases = (process.env["PHASES"] ?? `memory-single,memory-batched,sqlite-single,sqlite-batched${DATABASE_URL === undefined ? "" : ",postgres-single,postgres-batched"}`).split(",")
const results = new Map<string, Array<Measured>>()
const postgresPhases = DATABASE_URL !== undefined && phases.some((name) => name.startsWith("postgres"))
if (postgresPhases) {
  await postgresAdmin([
    `DO $$ BEGIN IF to_regclass('public.emt_messages') IS NOT NULL THEN TRUNCATE public.emt_messages, public.emt_streams; END IF; END $$`
  ])
}
for (let round = 0; round < ROUNDS; round++) {
  for (const name of phases) {
    const measured = await phaseRates(name)
    results.set(name, [...(results.get(name) ?? []), measured])
    console.error(
      `round ${round + 1}/${ROUNDS} ${name}: peer ${measured.peer.toFixed(0)}/s (${measured.peerCpu.toFixed(1)} µs CPU/event), ours ${measured.ours.toFixed(0)}/s (${measured.oursCpu.toFixed(1)} µs CPU/event), raw ${measured.raw?.toFixed(0) ?? "–"}/s, raw row ${measured.record?.toFixed(0) ?? "–"}/s`
    )
  }
}
rmSync(dir, { recursive: true, force: true })
if (postgresPhases) await postgresAdmin([...ourSchemas.values()].map((schema) => `DROP SCHEMA IF EXISTS ${schema} CASCADE`))

const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] as number
}
const fmt = (n: number | undefined) => (n === undefined ? "–" : Math.round(n).toLocaleString("sv-SE"))
console.log(`\nappends, events/s (median of ${ROUNDS} alternating rounds, ${N.toLocaleString("sv-SE")} events per phase)\n`)
console.log("| phase | Utblick | Emmett 0.42 | raw baseline | raw with Utblick's row | Utblick ÷ Emmett | Utblick ÷ raw | Utblick ÷ raw row | CPU µs/event Utblick | Emmett | Emmett ÷ Utblick |")
console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for (const [name, runs] of results) {
  const ours = median(runs.map((r) => r.ours))
  const peer = median(runs.map((r) => r.peer))
  const raws = runs.flatMap((r) => (r.raw === undefined ? [] : [r.raw]))
  const raw = raws.length === 0 ? undefined : median(raws)
  const records = runs.flatMap((r) => (r.record === undefined ? [] : [r.record]))
  const record = records.length === 0 ? undefined : median(records)
  const ratio = (base: number | undefined) => (base === undefined ? "–" : (ours / base).toFixed(2))
  const oursCpu = median(runs.map((r) => r.oursCpu))
  const peerCpu = median(runs.map((r) => r.peerCpu))
  console.log(
    `| ${name} | ${fmt(ours)} | ${fmt(peer)} | ${fmt(raw)} | ${fmt(record)} | ${(ours / peer).toFixed(2)} | ${ratio(raw)} | ${ratio(record)} | ${oursCpu.toFixed(1)} | ${peerCpu.toFixed(1)} | ${(peerCpu / oursCpu).toFixed(2)} |`
  )
  BenchSummary.record({ bench: "facade (peer)", phase: `appends, ${name}, ${N.toLocaleString("sv-SE")} events`, unit: "events/s", ours, peer, raw })
}
console.log(`\npeak RSS of the process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`)
