/**
 * Persisted read models in the SQLite file (ADR 0035): a run resumes from the snapshot in
 * `projection_checkpoints`, folds only the tail, survives a reopen, never reuses a snapshot of a
 * replaced log, and `clear` leaves no byte of an old state in the file or its WAL.
 */
import { EventCatalog, EventStore, LiveStates, Projection, ProjectionCheckpoints } from "@utblick/core"
import { EventStoreContract } from "@utblick/core/testing"
import Database from "better-sqlite3"
import { existsSync, readFileSync } from "node:fs"
import { deserialize, serialize } from "node:v8"
import { Effect, Layer, ManagedRuntime, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { SqliteCheckpointStore, SqliteEventStore } from "../src/index.js"
import { tempFile } from "./helpers.js"

const sample = EventStoreContract.sampleEvent
type Recorded = { readonly _tag: "ContractEventRecorded"; readonly n: number; readonly name?: string }
const catalog = EventCatalog.make([
  EventCatalog.define(
    Schema.TaggedStruct("ContractEventRecorded", { n: Schema.Number, name: Schema.optionalKey(Schema.String) }),
    "ContractEventRecorded"
  )
])

// Counts its folds, so a test sees how much a run read; holds the names it saw (as a careless
// projection of personal data might), so the erasure test has bytes to look for.
const folds = { n: 0 }
const counter = (version = 1) =>
  Projection.make<{ count: number; last: number; names: Array<string> }, Recorded>({
    name: "counter",
    version,
    handles: ["ContractEventRecorded"],
    initialState: () => ({ count: 0, last: 0, names: [] }),
    evolve: (s, e) => {
      folds.n++
      return { count: s.count + 1, last: e.n, names: e.name === undefined ? s.names : [...s.names, e.name] }
    }
  })

const withFile = <A, E>(
  filename: string,
  program: Effect.Effect<A, E, EventStore.EventStore>,
  saveEvery = 1,
  maxSnapshots = 64
) =>
  Effect.runPromise(
    Effect.scoped(
      Effect.provide(
        program,
        SqliteCheckpointStore.layer({ saveEvery, maxSnapshots }).pipe(Layer.provideMerge(SqliteEventStore.layer({ filename })))
      )
    )
  )

const append = (from: number, to: number, name?: string) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    for (let n = from; n <= to; n++) {
      yield* store.append("s-1", [sample({ payload: name === undefined ? { n } : { n, name } })])
    }
  })

const rows = (filename: string) => {
  const db = new Database(filename, { readonly: true })
  try {
    return db.prepare("SELECT projection, version, filter_key, position FROM projection_checkpoints ORDER BY 1, 2, 3").all()
  } finally {
    db.close()
  }
}

describe("SqliteCheckpointStore", () => {
  it("resumes from the snapshot in the file after a reopen and folds only the tail", async () => {
    const file = tempFile("resume")
    folds.n = 0
    const first = await withFile(file, Effect.andThen(append(1, 5), Projection.run(counter(), catalog)))
    expect(first.state).toEqual({ count: 5, last: 5, names: [] })
    expect(rows(file)).toEqual([{ projection: "counter", version: 1, filter_key: "{}", position: 5 }])
    const second = await withFile(file, Effect.andThen(append(6, 9), Projection.run(counter(), catalog)))
    // 5 + 4 events, and the second process folded only the 4 new ones.
    expect(second.state).toEqual({ count: 9, last: 9, names: [] })
    expect(folds.n).toBe(5 + 4)
    // Per filter: a tenant no event has gets its own (empty) fold, and a row of its own.
    const other = await withFile(file, Projection.run(counter(), catalog, { tenant: "someone-else" }))
    expect(other.state).toEqual({ count: 0, last: 0, names: [] })
    // A new projection version rebuilds from zero: 9 folds more.
    const rebuilt = await withFile(file, Projection.run(counter(2), catalog))
    expect(rebuilt.state.count).toBe(9)
    expect(folds.n).toBe(9 + 9)
    expect(rows(file)).toEqual([
      { projection: "counter", version: 1, filter_key: '{"tenant":"someone-else"}', position: 9 },
      { projection: "counter", version: 1, filter_key: "{}", position: 9 },
      { projection: "counter", version: 2, filter_key: "{}", position: 9 }
    ])
  })

  it("does not reuse the snapshot of a log that was replaced by another of the same length", async () => {
    const file = tempFile("replaced")
    const other = tempFile("other")
    await withFile(file, Effect.andThen(append(1, 5), Projection.run(counter(), catalog)))
    await withFile(other, append(51, 55))
    // Someone swaps the events under the snapshot (a restore into the file, a copied table).
    const db = new Database(file)
    db.exec(`ATTACH DATABASE '${other}' AS other; DELETE FROM events; INSERT INTO events SELECT * FROM other.events; DETACH DATABASE other;`)
    db.close()
    const after = await withFile(file, Projection.run(counter(), catalog))
    // Reused, the snapshot at position 5 would answer last = 5; the log's last n is 55.
    expect(after.state).toEqual({ count: 5, last: 55, names: [] })
  })

  it("does not reuse a snapshot ahead of a truncated log", async () => {
    const file = tempFile("truncated")
    await withFile(file, Effect.andThen(append(1, 5), Projection.run(counter(), catalog)))
    const db = new Database(file)
    db.exec("DELETE FROM events WHERE position >= 3")
    db.close()
    const after = await withFile(file, Projection.run(counter(), catalog))
    expect(after.state).toEqual({ count: 3, last: 3, names: [] })
  })

  it("runMany keeps one snapshot per filter and resumes each from its own position", async () => {
    const file = tempFile("many")
    folds.n = 0
    // Filter A is run after 3 events, B only after 6; then both together after 8.
    await withFile(file, Effect.andThen(append(1, 3), Projection.run(counter(), catalog, { asOf: "2100-01-01" })))
    await withFile(file, Effect.andThen(append(4, 6), Projection.run(counter(), catalog, { tenant: "contract-tenant" })))
    const both = await withFile(
      file,
      Effect.andThen(append(7, 8), Projection.runMany(counter(), catalog, [{ asOf: "2100-01-01" }, { tenant: "contract-tenant" }]))
    )
    expect(both.map((s) => [s.state.count, s.position])).toEqual([
      [8, 8],
      [8, 8]
    ])
    // A: 3, then 5 more; B: 6, then 2 more.
    expect(folds.n).toBe(3 + 6 + 5 + 2)
  })

  it("does not wait for a writer holding the lock: answers, and saves on a later run", async () => {
    const file = tempFile("busy")
    await withFile(file, append(1, 3), 1)
    // Another process's import holds the write lock for its whole transaction.
    const writer = new Database(file)
    writer.exec("BEGIN IMMEDIATE")
    try {
      // better-sqlite3 waits synchronously: a save that waited for the lock would take the whole
      // 20 s busy timeout; one that does not wait takes a fraction of it, even on a loaded machine.
      const started = performance.now()
      const answer = await Effect.runPromise(
        Effect.scoped(
          Effect.provide(
            Projection.run(counter(), catalog),
            SqliteCheckpointStore.layer({ saveEvery: 1 }).pipe(
              Layer.provideMerge(SqliteEventStore.layer({ filename: file, busyTimeoutMillis: 20_000 }))
            )
          )
        )
      )
      expect(answer.state.count).toBe(3)
      expect(performance.now() - started).toBeLessThan(10_000)
    } finally {
      writer.exec("ROLLBACK")
      writer.close()
    }
    expect(rows(file)).toEqual([])
    await withFile(file, Projection.run(counter(), catalog))
    expect(rows(file)).toEqual([{ projection: "counter", version: 1, filter_key: "{}", position: 3 }])
  })

  it("keeps at most maxSnapshots: a save drops the least recently saved", async () => {
    const file = tempFile("bounded")
    const byTenant = (tenant: string) => Projection.run(counter(), catalog, { tenant })
    await withFile(
      file,
      Effect.gen(function* () {
        yield* append(1, 2)
        yield* byTenant("a")
        yield* byTenant("b")
        yield* byTenant("c")
      }),
      1,
      2
    )
    expect((rows(file) as Array<{ filter_key: string }>).map((r) => r.filter_key)).toEqual([
      '{"tenant":"b"}',
      '{"tenant":"c"}'
    ])
  })

  it("keeps Maps, Sets and undefined in a saved state (read models hold their collections in Maps)", async () => {
    const state = {
      trips: new Map([["lulea|t-1", { decision: "approved", co2eKg: 7.5 }]]),
      years: new Set([2017, 2022]),
      nested: { byTenant: new Map([["lulea", new Map([["k", [1, 2]]])]]) },
      missing: undefined
    }
    const file = tempFile("maps")
    const key = { projection: "maps", version: 1, filter: ProjectionCheckpoints.filterKey({ asOf: "2022-12-31" }) }
    const loaded = await withFile(
      file,
      Effect.gen(function* () {
        const checkpoints = yield* ProjectionCheckpoints.ProjectionCheckpoints
        yield* checkpoints.save(key, { position: 4, hash: "h", state: serialize(state) })
        return yield* checkpoints.load(key)
      })
    )
    expect(loaded?.position).toBe(4)
    const back = deserialize(loaded?.state ?? serialize(null)) as typeof state
    expect(back).toEqual(state)
    expect(back.trips).toBeInstanceOf(Map)
    expect(back.years).toBeInstanceOf(Set)
    expect("missing" in back).toBe(true)
  })

  it("keeps a state over 1 MiB in pieces: read back byte for byte, replaced, evicted and cleared with no piece left", async () => {
    const file = tempFile("pieces")
    const MARKER = Buffer.from("Piece-Marker-Åsa", "utf8")
    // 2.5 MiB = 2,621,440 bytes: 1,048,576 in the checkpoint's row, then pieces 1 (1,048,576)
    // and 2 (524,288). The marker sits in piece 2.
    const large = Buffer.alloc(2_621_440)
    for (let i = 0; i < large.length; i++) large[i] = (i * 31) % 251
    MARKER.copy(large, 2_600_000)
    const key = (tenant: string) => ({
      projection: "pieces",
      version: 1,
      filter: ProjectionCheckpoints.filterKey({ tenant })
    })
    const pieces = () => {
      const db = new Database(file, { readonly: true })
      try {
        return db
          .prepare("SELECT n, length(bytes) AS bytes FROM projection_state_chunks ORDER BY checkpoint, n")
          .all()
      } finally {
        db.close()
      }
    }
    const using = <A>(program: Effect.Effect<A, unknown, EventStore.EventStore>) =>
      withFile(file, program, 1, 1)
    const save = (tenant: string, state: Uint8Array) =>
      using(
        Effect.flatMap(ProjectionCheckpoints.ProjectionCheckpoints, (c) =>
          c.save(key(tenant), { position: 1, hash: "h", state })
        )
      )
    const load = (tenant: string) =>
      using(Effect.flatMap(ProjectionCheckpoints.ProjectionCheckpoints, (c) => c.load(key(tenant))))

    await save("a", large)
    expect(pieces()).toEqual([
      { n: 1, bytes: 1_048_576 },
      { n: 2, bytes: 524_288 }
    ])
    expect(Buffer.from((await load("a"))?.state ?? []).equals(large)).toBe(true)
    // A smaller state saved over it: one row, no piece.
    await save("a", Uint8Array.of(1, 2, 3))
    expect(pieces()).toEqual([])
    expect([...((await load("a"))?.state ?? [])]).toEqual([1, 2, 3])
    // Saved again, then evicted by another key (at most one snapshot): its pieces go with it.
    await save("a", large)
    await save("b", large.subarray(0, 1_048_577))
    expect(await load("a")).toBeUndefined()
    expect(pieces()).toEqual([{ n: 1, bytes: 1 }])
    expect(Buffer.from((await load("b"))?.state ?? []).equals(large.subarray(0, 1_048_577))).toBe(true)
    await save("b", large)
    await using(Effect.flatMap(ProjectionCheckpoints.ProjectionCheckpoints, (c) => c.clear))
    expect(pieces()).toEqual([])
    const holding = [file, `${file}-wal`].filter((f) => existsSync(f) && readFileSync(f).includes(MARKER))
    expect(holding).toEqual([])
  })

  it("clear leaves no byte of a saved state in the file or its write-ahead log", async () => {
    const file = tempFile("erasure")
    const NAME = "Åsa Nordström"
    // Several rewrites of the snapshot, so old versions of it sat in pages that were freed.
    await withFile(file, Effect.andThen(append(1, 2, NAME), Projection.run(counter(), catalog)))
    await withFile(file, Effect.andThen(append(3, 4), Projection.run(counter(), catalog)))
    await withFile(file, Effect.andThen(append(5, 6), Projection.run(counter(), catalog)))
    // V8 writes a string as Latin-1 when it fits, else as UTF-16; the events hold it as UTF-8.
    const encodings = (["utf8", "latin1", "utf16le"] as const).map((e) => Buffer.from(NAME, e))
    const holding = () =>
      [file, `${file}-wal`].filter((f) => existsSync(f) && encodings.some((bytes) => readFileSync(f).includes(bytes)))
    // The events hold the name too (this test's store seals nothing): remove them from the
    // search by looking only for the snapshot's bytes after the events are gone.
    const db = new Database(file)
    db.pragma("secure_delete = ON")
    db.exec("DELETE FROM events")
    db.pragma("wal_checkpoint(TRUNCATE)")
    db.close()
    expect(holding()).toEqual([file])
    await withFile(
      file,
      Effect.flatMap(ProjectionCheckpoints.ProjectionCheckpoints, (c) => c.clear)
    )
    expect(rows(file)).toEqual([])
    expect(holding()).toEqual([])
  })
  it("a service's live state (ADR 0042) folds only new events, and is dropped once another process clears the snapshots", async () => {
    const file = tempFile("live")
    folds.n = 0
    await withFile(file, append(1, 4, "Anna Svensson"))
    // The service: one runtime for its whole life, as the facade and the HTTP example have.
    const service = ManagedRuntime.make(
      Layer.mergeAll(
        SqliteCheckpointStore.layer({ saveEvery: 1_000 }).pipe(Layer.provideMerge(SqliteEventStore.layer({ filename: file }))),
        LiveStates.layer()
      )
    )
    const report = Projection.runManyWith(counter(), catalog, [{}], (s) => {
      const { state } = s[0] as Projection.Snapshot<{ count: number; names: Array<string> }>
      return { count: state.count, names: [...state.names] }
    })
    const peek = Effect.flatMap(ProjectionCheckpoints.ProjectionCheckpoints, (c) =>
      c.peek === undefined ? Effect.die("the SQLite store has no peek") : c.peek({ projection: "counter", version: 1, filter: "{}" })
    )
    try {
      expect(await service.runPromise(report)).toEqual({ count: 4, names: ["Anna Svensson", "Anna Svensson", "Anna Svensson", "Anna Svensson"] })
      expect(folds.n).toBe(4)
      const saved = await service.runPromise(peek)
      expect(saved).toMatchObject({ position: 4 })
      expect(saved?.hash).toMatch(/^[0-9a-f]{64}$/)
      // Another process appends: the service folds the 2 new events only.
      await withFile(file, append(5, 6))
      expect((await service.runPromise(report)).count).toBe(6)
      expect(folds.n).toBe(6)
      // Another process forgets (deletes every snapshot, as `utblick forget` does): the service's
      // state, which holds the name, is dropped and the log folded again from zero.
      const db = new Database(file)
      await Effect.runPromise(SqliteCheckpointStore.clear(db))
      db.close()
      expect(await service.runPromise(peek)).toBeUndefined()
      expect((await service.runPromise(report)).count).toBe(6)
      expect(folds.n).toBe(12)
    } finally {
      await service.dispose()
    }
  })
})
