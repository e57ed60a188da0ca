/**
 * The PostgreSQL checkpoint store's own edges, each with literal expectations: the defaults it
 * takes, what a load answers for each key it does not hold (pieces left without their checkpoint
 * among them), where a state's bytes go at the 1 MiB boundary, and the operation each failure names.
 */
import type { EventStoreError } from "@utblick/core"
import type * as ProjectionCheckpoints from "@utblick/core/ProjectionCheckpoints"
import { Effect, Layer, ManagedRuntime } from "effect"
import { SqlClient } from "effect/sql"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { PgCheckpointStore, PgEventStore } from "../src/index.js"
import { clientLayer, dropSchema, reachable } from "./helpers.js"

const MiB = 1_048_576
const base = `it_cp_edges_${process.pid}`
let made = 0

const key = (filter = "{}", version = 1, projection = "edges"): ProjectionCheckpoints.CheckpointKey => ({
  projection,
  version,
  filter
})
const cp = (
  position: number,
  state: Uint8Array = Uint8Array.of(position)
): ProjectionCheckpoints.Checkpoint => ({
  position,
  hash: position.toString(16).padStart(64, "0"),
  state
})

describe.skipIf(!reachable)("PgCheckpointStore edges", () => {
  let runtime: ManagedRuntime.ManagedRuntime<SqlClient.SqlClient, unknown>
  const schemas: Array<string> = []
  beforeAll(() => {
    runtime = ManagedRuntime.make(clientLayer(2))
  })
  afterAll(async () => {
    for (const schema of schemas) await runtime.runPromise(dropSchema(schema))
    await runtime.dispose()
  })
  const run = <A>(effect: Effect.Effect<A, unknown, SqlClient.SqlClient>): Promise<A> =>
    runtime.runPromise(effect)

  // A freshly migrated schema and a checkpoint store over it.
  const open = async (options: Omit<PgCheckpointStore.CheckpointOptions, "schema"> = {}) => {
    const schema = `${base}_${++made}`
    schemas.push(schema)
    await run(dropSchema(schema))
    await run(Effect.scoped(Layer.build(PgEventStore.layer({ schema }))))
    const checkpoints = await run(PgCheckpointStore.make({ ...options, schema }))
    const query = <R extends object>(text: string) =>
      run(Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe<R>(text.replaceAll("{s}", `"${schema}"`))))
    return { schema, checkpoints, query }
  }
  const filters = (query: <R extends object>(text: string) => Promise<ReadonlyArray<R>>) =>
    query<{ filter_key: string }>(
      "SELECT filter_key FROM {s}.utblick_projection_checkpoints ORDER BY filter_key"
    ).then((rows) => rows.map((r) => r.filter_key))
  const pieceRows = (query: <R extends object>(text: string) => Promise<ReadonlyArray<R>>) =>
    query<{ n: number; bytes: number }>(
      "SELECT n, length(bytes) AS bytes FROM {s}.utblick_projection_state_chunks ORDER BY checkpoint, n"
    ).then((rows) => rows.map((r) => ({ n: r.n, bytes: Number(r.bytes) })))

  it("uses the public schema, rewrites every 1,000 events and keeps 64 unless told otherwise", async () => {
    // make reads nothing: it only names the tables, so the default schema needs no log in it.
    const byDefault = await run(PgCheckpointStore.make())
    expect(byDefault.saveEvery).toBe(1000)
    const { checkpoints, query } = await open()
    expect((await open({ saveEvery: 7 })).checkpoints.saveEvery).toBe(7)
    for (let i = 1; i <= 65; i++)
      await run(checkpoints.save(key(`{"tenant":"t${String(i).padStart(2, "0")}"}`), cp(i)))
    expect(await run(checkpoints.count)).toBe(64)
    // The first saved is the least recently saved: the 65th save dropped it and no other.
    const kept = await filters(query)
    expect(kept).toHaveLength(64)
    expect(kept[0]).toBe('{"tenant":"t02"}')
    expect(kept.at(-1)).toBe('{"tenant":"t65"}')
  })

  it("keeps exactly maxSnapshots: at the bound nothing is dropped, one more drops the least recently saved", async () => {
    const { checkpoints, query } = await open({ maxSnapshots: 3 })
    for (const t of ["a", "b", "c"]) await run(checkpoints.save(key(`{"tenant":"${t}"}`), cp(1)))
    expect(await filters(query)).toEqual(['{"tenant":"a"}', '{"tenant":"b"}', '{"tenant":"c"}'])
    // Saving a held key again refreshes it, so "b" is now the least recently saved.
    await run(checkpoints.save(key('{"tenant":"a"}'), cp(2)))
    await run(checkpoints.save(key('{"tenant":"d"}'), cp(1)))
    expect(await filters(query)).toEqual(['{"tenant":"a"}', '{"tenant":"c"}', '{"tenant":"d"}'])
  })

  it("stores the key, position, hash and state in one row, and gives them back", async () => {
    const { checkpoints, query } = await open()
    await run(checkpoints.save(key('{"asOf":"2022-12-31"}', 3, "trips"), cp(41, Uint8Array.of(9, 8, 7))))
    expect(
      await query(
        "SELECT projection, version, filter_key, position::text AS position, head_hash, encode(state, 'hex') AS state FROM {s}.utblick_projection_checkpoints"
      )
    ).toEqual([
      {
        projection: "trips",
        version: 3,
        filter_key: '{"asOf":"2022-12-31"}',
        position: "41",
        head_hash: "0000000000000000000000000000000000000000000000000000000000000029",
        state: "090807"
      }
    ])
    const loaded = await run(checkpoints.load(key('{"asOf":"2022-12-31"}', 3, "trips")))
    expect(loaded?.position).toBe(41)
    expect(loaded?.hash).toBe("0000000000000000000000000000000000000000000000000000000000000029")
    expect([...(loaded?.state ?? [])]).toEqual([9, 8, 7])
    expect(
      await run(checkpoints.peek?.(key('{"asOf":"2022-12-31"}', 3, "trips")) ?? Effect.die("no peek"))
    ).toStrictEqual({
      position: 41,
      hash: "0000000000000000000000000000000000000000000000000000000000000029"
    })
  })

  it("answers undefined for a key it does not hold: another projection, version or filter, or pieces left without their checkpoint", async () => {
    const { checkpoints, query } = await open()
    await run(checkpoints.save(key("{}", 2, "edges"), cp(5, new Uint8Array(MiB + 3))))
    const peek = checkpoints.peek ?? (() => Effect.die("no peek"))
    for (const other of [
      key("{}", 2, "other"),
      key("{}", 1, "edges"),
      key("{}", 3, "edges"),
      key('{"tenant":"t"}', 2)
    ]) {
      expect(await run(checkpoints.load(other))).toBeUndefined()
      expect(await run(peek(other))).toBeUndefined()
    }
    // The checkpoint's row deleted by hand: its piece (3 bytes) is still there, and is not a checkpoint.
    await query("DELETE FROM {s}.utblick_projection_checkpoints")
    expect(await pieceRows(query)).toEqual([{ n: 1, bytes: 3 }])
    expect(await run(checkpoints.load(key("{}", 2, "edges")))).toBeUndefined()
    expect(await run(checkpoints.count)).toBe(0)
  })

  it("keeps a state of exactly 1 MiB in its row, and 1 MiB + 1 byte as the row and one piece of 1 byte", async () => {
    const { checkpoints, query } = await open()
    const state = (length: number) => Uint8Array.from({ length }, (_, i) => (i * 7) % 256)
    await run(checkpoints.save(key(), cp(1, state(MiB))))
    expect(await pieceRows(query)).toEqual([])
    expect(
      await query<{ bytes: number }>(
        "SELECT length(state) AS bytes FROM {s}.utblick_projection_checkpoints"
      ).then((r) => r.map((x) => Number(x.bytes)))
    ).toEqual([MiB])
    await run(checkpoints.save(key(), cp(2, state(MiB + 1))))
    expect(await pieceRows(query)).toEqual([{ n: 1, bytes: 1 }])
    const loaded = await run(checkpoints.load(key()))
    expect(loaded?.state.byteLength).toBe(MiB + 1)
    // The last byte, in the piece: (1,048,576 × 7) mod 256 = 0; the one before it 249.
    expect(loaded?.state[MiB]).toBe(0)
    expect(loaded?.state[MiB - 1]).toBe(249)
  })

  it("names the operation that failed", async () => {
    const { schema, checkpoints } = await open()
    const rows = checkpoints.rows as ProjectionCheckpoints.CheckpointRows
    await run(dropSchema(schema))
    const failed = async (effect: Effect.Effect<unknown, EventStoreError.EventStoreError, never>) =>
      (await run(Effect.flip(effect))).reason
    const missing = (table: string) => `relation "${schema}.${table}" does not exist`
    const checks: Array<[Effect.Effect<unknown, EventStoreError.EventStoreError, never>, string, string]> = [
      [checkpoints.save(key(), cp(1)), "save a projection checkpoint", "utblick_projection_checkpoints"],
      [checkpoints.load(key()), "load a projection checkpoint", "utblick_projection_checkpoints"],
      [
        checkpoints.peek?.(key()) ?? Effect.die("no peek"),
        "look up a projection checkpoint",
        "utblick_projection_checkpoints"
      ],
      [checkpoints.count, "count the projection checkpoints", "utblick_projection_checkpoints"],
      [rows.load(key(), ["a"]), "load rows of a projection checkpoint", "utblick_projection_rows"],
      [
        rows.save(key(), cp(1), [["a", Uint8Array.of(1)]]),
        "save rows of a projection checkpoint",
        "utblick_projection_rows"
      ],
      [checkpoints.clear, "delete the projection checkpoints", "utblick_projection_checkpoints"]
    ]
    for (const [effect, operation, table] of checks) {
      const reason = await failed(effect)
      expect(reason).toMatchObject({ _tag: "Unavailable", operation })
      expect(reason._tag === "Unavailable" ? reason.detail : "").toContain(missing(table))
    }
  })
})
