import { type ChildProcess, spawn } from "node:child_process"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import type { EventToAppend, StoredEvent } from "@utblick/core/Envelope"
import { EventStoreContract } from "@utblick/core/testing"
import { Effect, Result, Stream } from "effect"
import { describe, expect, it } from "vitest"
import { SqliteEventStore } from "../src/index.js"
import { tempFile } from "./helpers.js"

// Spawning 8 tsx processes on a busy 2-core machine can take most of a minute.
const PROCESS_TEST_TIMEOUT = 180_000

const here = dirname(fileURLToPath(import.meta.url))
const childScript = join(here, "fixtures", "child.ts")

const startChild = (args: ReadonlyArray<string>): ChildProcess =>
  spawn(process.execPath, ["--conditions=@utblick/source", "--import", "tsx", childScript, ...args], {
    cwd: join(here, ".."),
    stdio: ["ignore", "pipe", "pipe"]
  })

const runChild = (args: ReadonlyArray<string>) =>
  new Promise<string>((resolve, reject) => {
    const child = startChild(args)
    let out = ""
    let err = ""
    child.stdout?.on("data", (d: Buffer) => (out += d.toString()))
    child.stderr?.on("data", (d: Buffer) => (err += d.toString()))
    child.on("exit", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`child exited ${code}: ${err}`))
    )
  })

const withStore = <A, E>(
  options: SqliteEventStore.Options,
  f: (store: SqliteEventStore.SqliteEventStoreShape) => Effect.Effect<A, E>
): Promise<A> => Effect.runPromise(Effect.scoped(Effect.flatMap(SqliteEventStore.make(options), f)))

const everything = (store: SqliteEventStore.SqliteEventStoreShape) =>
  Effect.all({
    events: Stream.runCollect(store.readAll()),
    records: Stream.runCollect(store.readRecords()),
    head: store.head
  })

const sample = (payload: Record<string, number | string>): EventToAppend => ({
  type: "ReliabilityEventRecorded",
  schemaVersion: 1,
  occurredAt: "2023-01-15",
  tenant: "region-norrbotten",
  actor: { id: "test", role: "officer" },
  payload
})

const failureOf = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.flatMap(Effect.result(effect), (r) =>
    Result.isFailure(r) ? Effect.succeed(r.failure) : Effect.die(new Error("expected a failure, got success"))
  )

describe("SqliteEventStore reliability", () => {
  it(
    "8 writer processes on one file lose and duplicate nothing",
    async () => {
      const file = tempFile("writers")
      const writers = 8
      const appends = 15
      // Create the file first so that the children do not race to migrate it (they may; this keeps the test about appends).
      await withStore({ filename: file }, (store) => store.head)
      const outs = await Promise.all(
        Array.from({ length: writers }, (_, w) => runChild(["writers", file, String(w), String(appends)]))
      )
      expect(outs.every((o) => o.includes("done"))).toBe(true)
      const { events, records, head } = await withStore({ filename: file }, everything)
      expect(events).toHaveLength(writers * appends * 2)
      expect(head.size).toBe(writers * appends * 2)
      expect(events.map((e) => e.position)).toEqual(events.map((_, i) => i))
      expect(EventStoreContract.checkChain(events, records)).toBeUndefined()
      const shared = events.filter((e) => e.streamId === "shared")
      expect(shared.map((e) => e.streamVersion)).toEqual(shared.map((_, i) => i + 1))
      expect(new Set(shared.map((e) => `${e.payload.w}/${e.payload.k}`)).size).toBe(writers * appends)
      for (let w = 0; w < writers; w++) {
        const own = events.filter((e) => e.streamId === `own-${w}`)
        expect(own.map((e) => e.payload.k)).toEqual(Array.from({ length: appends }, (_, k) => k))
        expect(shared.filter((e) => e.payload.w === w).map((e) => e.payload.k)).toEqual(
          Array.from({ length: appends }, (_, k) => k)
        )
      }
    },
    PROCESS_TEST_TIMEOUT
  )

  it(
    "a writer killed with SIGKILL mid-import leaves exactly its committed batches, none partial",
    async () => {
      const file = tempFile("killed")
      const batchSize = 400
      await withStore({ filename: file }, (store) => store.head)
      const acked = await new Promise<Array<number>>((resolve, reject) => {
        const child = startChild(["import", file, "100000", String(batchSize)])
        const acks: Array<number> = []
        let buffer = ""
        let err = ""
        child.stderr?.on("data", (d: Buffer) => (err += d.toString()))
        child.stdout?.on("data", (d: Buffer) => {
          buffer += d.toString()
          const lines = buffer.split("\n")
          buffer = lines.pop() ?? ""
          for (const line of lines) if (line.startsWith("ack ")) acks.push(Number(line.slice(4)))
          if (acks.length >= 12 && !child.killed) child.kill("SIGKILL")
        })
        child.on("exit", (_code, signal) =>
          signal === "SIGKILL" ? resolve(acks) : reject(new Error(`child was not killed: ${err}`))
        )
      })
      expect(acked).toEqual(acked.map((_, i) => i))
      // Reopen as-is: no repair step, WAL recovery is SQLite's own.
      const { events, records, head } = await withStore({ filename: file }, everything)
      expect(EventStoreContract.checkChain(events, records)).toBeUndefined()
      const byBatch = new Map<number, Array<StoredEvent>>()
      for (const e of events) {
        const b = e.payload.batch as number
        byBatch.set(b, [...(byBatch.get(b) ?? []), e])
      }
      // Every acknowledged batch is there; at most the one batch in flight at the kill was also
      // committed (its ack was not yet out); no batch is partial.
      const present = [...byBatch.keys()].sort((x, y) => x - y)
      expect(present.slice(0, acked.length)).toEqual(acked)
      expect(present.length - acked.length).toBeGreaterThanOrEqual(0)
      expect(present.length - acked.length).toBeLessThanOrEqual(1)
      expect(present).toEqual(present.map((_, i) => i))
      for (const batch of byBatch.values()) {
        expect(batch.map((e) => e.payload.j)).toEqual(Array.from({ length: batchSize }, (_, j) => j))
      }
      expect(head.size).toBe(present.length * batchSize)
      const after = await withStore({ filename: file }, (store) =>
        Effect.andThen(store.append("after-kill", [sample({ n: 1 })]), store.head)
      )
      expect(after.size).toBe(head.size + 1)
    },
    PROCESS_TEST_TIMEOUT
  )

  it("a read-only file fails appends with a retryable Unavailable and writes nothing", async () => {
    const file = tempFile("readonly")
    await withStore({ filename: file }, (store) =>
      store.append("trip-1", [sample({ n: 1 }), sample({ n: 2 })])
    )
    const { error, head, events } = await withStore({ filename: file, readonly: true }, (store) =>
      Effect.all({
        error: failureOf(store.append("trip-1", [sample({ n: 3 })])),
        head: store.head,
        events: Stream.runCollect(store.readAll())
      })
    )
    expect(error.reason._tag).toBe("Unavailable")
    expect(error.isRetryable).toBe(true)
    expect(error.message).toContain("read-only")
    expect(error.message).toContain(file)
    expect(head.size).toBe(2)
    expect(events).toHaveLength(2)
    const after = await withStore({ filename: file }, (store) =>
      Effect.andThen(store.append("trip-1", [sample({ n: 3 })], { expectedVersion: 2 }), everything(store))
    )
    expect(after.head.size).toBe(3)
    expect(EventStoreContract.checkChain(after.events, after.records)).toBeUndefined()
  })

  it("a full disk fails the batch with a retryable Unavailable, writes nothing, and recovers", async () => {
    const file = tempFile("full")
    const result = await withStore({ filename: file }, (store) =>
      Effect.gen(function* () {
        yield* store.append("grant-1", [sample({ n: 0 })])
        const pages = store.database.pragma("page_count", { simple: true }) as number
        store.database.pragma(`max_page_count = ${pages + 2}`)
        const big = Array.from({ length: 500 }, (_, i) => sample({ n: i, text: "x".repeat(2000) }))
        const error = yield* failureOf(store.append("grant-1", big, { expectedVersion: 1 }))
        const during = yield* everything(store)
        store.database.pragma("max_page_count = 4294967294")
        const ok = yield* store.append("grant-1", big, { expectedVersion: 1 })
        return { error, during, ok, after: yield* everything(store) }
      })
    )
    expect(result.error.reason._tag).toBe("Unavailable")
    expect(result.error.isRetryable).toBe(true)
    expect(result.error.message).toContain("full")
    expect(result.during.head.size).toBe(1)
    expect(result.during.events).toHaveLength(1)
    expect(result.ok.lastPosition).toBe(500)
    expect(result.after.events).toHaveLength(501)
    expect(EventStoreContract.checkChain(result.after.events, result.after.records)).toBeUndefined()
  })

  it("a corrupt row fails reads with Corrupt naming position and stream, never skipping it", async () => {
    const file = tempFile("corrupt")
    const outcome = await withStore({ filename: file }, (store) =>
      Effect.gen(function* () {
        for (let i = 0; i < 6; i++) yield* store.append(i % 2 === 0 ? "grant-7" : "trip-3", [sample({ i })])
        store.database.prepare("UPDATE events SET body = 'garbage{' WHERE position = 3").run()
        const all = yield* failureOf(Stream.runCollect(store.readAll()))
        const fromLater = yield* Stream.runCollect(store.readAll({ fromPosition: 4 }))
        const stream = yield* failureOf(store.readStream("trip-3"))
        const tail = yield* failureOf(store.subscribe().pipe(Stream.take(6), Stream.runCollect))
        // Valid JSON that lost an envelope field is corrupt too.
        store.database
          .prepare("UPDATE events SET body = json_remove(body, '$.payload') WHERE position = 4")
          .run()
        const missing = yield* failureOf(Stream.runCollect(store.readAll({ fromPosition: 4 })))
        const records = yield* Stream.runCollect(store.readRecords())
        return { all, fromLater, stream, tail, missing, records }
      })
    )
    for (const error of [outcome.all, outcome.stream, outcome.tail]) {
      expect(error.reason).toMatchObject({ _tag: "Corrupt", position: 3, streamId: "trip-3" })
      expect(error.message).toContain("position 3")
      expect(error.message).toContain("trip-3")
    }
    expect(outcome.fromLater.map((e) => e.position)).toEqual([4, 5])
    expect(outcome.missing.reason).toMatchObject({ _tag: "Corrupt", position: 4, streamId: "grant-7" })
    expect(outcome.missing.message).toContain("payload")
    // The raw records still come out as stored, for the auditor to inspect.
    expect(outcome.records[3]?.canonical).toBe("garbage{")
  })
})
