/**
 * A stored row whose text no longer is an event envelope fails every read of it with `Corrupt`,
 * naming the position, the stream and what is wrong; the other rows still read. Each case below
 * breaks one field of one row with SQLite's own JSON functions and states the detail the reader
 * must give, worded as the store documents it ("its body says …", "envelope field … is missing …"). The field checks
 * are core's `envelopeProblem`, which the PostgreSQL store makes too.
 */
import type { EventToAppend } from "@utblick/core/Envelope"
import { Effect, Result, Stream } from "effect"
import { describe, expect, it } from "vitest"
import { SqliteEventStore } from "../src/index.js"
import { tempFile } from "./helpers.js"

const sample = (n: number): EventToAppend => ({
  type: "CorruptRowsProbed",
  schemaVersion: 1,
  occurredAt: "2023-01-15",
  tenant: "region-norrbotten",
  actor: { id: "test", role: "officer" },
  payload: { n }
})

// Three events in stream "grant-1" (positions 0–2); the middle one is broken by `breakIt`.
const readBroken = (breakIt: string) =>
  Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const store = yield* SqliteEventStore.make({ filename: tempFile("corrupt-rows") })
        yield* store.append("grant-1", [sample(0), sample(1), sample(2)])
        const stored = yield* Stream.runCollect(store.readAll())
        store.database.prepare(`UPDATE events SET body = ${breakIt} WHERE position = 1`).run()
        const all = yield* Effect.result(Stream.runCollect(store.readAll()))
        const stream = yield* Effect.result(store.readStream("grant-1"))
        const after = yield* Stream.runCollect(store.readAll({ fromPosition: 2 }))
        return { stored, all, stream, after }
      })
    )
  )

const cases: ReadonlyArray<readonly [string, string, string]> = [
  ["text that is not JSON", "'{\"position\":1,'", "its text is not JSON ("],
  ["a JSON array", "'[1]'", "its text is not a JSON object"],
  ["JSON null", "'null'", "its text is not a JSON object"],
  ["a JSON string", `'"event"'`, "its text is not a JSON object"],
  ["another position", "json_set(body, '$.position', 7)", "its body says position 7"],
  ["a position as text", "json_set(body, '$.position', '1')", "its body says position 1"],
  ["another stream", "json_set(body, '$.streamId', 'grant-2')", 'its body says stream "grant-2"'],
  ["no eventId", "json_remove(body, '$.eventId')", "envelope field eventId is missing or not a string"],
  ["an eventId that is a number", "json_set(body, '$.eventId', 5)", "envelope field eventId is missing or not a string"],
  ["no type", "json_remove(body, '$.type')", "envelope field type is missing or not a string"],
  ["a streamVersion as text", "json_set(body, '$.streamVersion', '2')", "envelope field streamVersion is missing or not a number"],
  ["no schemaVersion", "json_remove(body, '$.schemaVersion')", "envelope field schemaVersion is missing or not a number"],
  ["an occurredAt that is a number", "json_set(body, '$.occurredAt', 20230115)", "envelope field occurredAt is missing or not a string"],
  ["no recordedAt", "json_remove(body, '$.recordedAt')", "envelope field recordedAt is missing or not a string"],
  ["a tenant that is null", "json_set(body, '$.tenant', json('null'))", "envelope field tenant is missing or not a string"],
  ["an actor that is an array", "json_set(body, '$.actor', json('[]'))", "envelope field actor is missing or not an object"],
  ["an actor that is text", "json_set(body, '$.actor', 'test')", "envelope field actor is missing or not an object"],
  ["a payload that is null", "json_set(body, '$.payload', json('null'))", "envelope field payload is missing or not an object"],
  ["a payload that is an array", "json_set(body, '$.payload', json('[1]'))", "envelope field payload is missing or not an object"],
  ["no origin", "json_remove(body, '$.origin')", "envelope field origin is missing or not a string"],
  ["a correlationId that is null", "json_set(body, '$.correlationId', json('null'))", "envelope field correlationId is missing or not a string"],
  ["a v as text", "json_set(body, '$.v', '1')", "envelope field v is missing or not a number"],
  ["no streamPrev", "json_remove(body, '$.streamPrev')", "envelope field streamPrev is missing"],
  ["no decisionRef", "json_remove(body, '$.decisionRef')", "envelope field decisionRef is missing"],
  ["no causationId", "json_remove(body, '$.causationId')", "envelope field causationId is missing"]
]

describe("SqliteEventStore: corrupt rows", () => {
  it.each(cases)("a row with %s fails its reads with Corrupt, naming what is wrong", async (_, breakIt, detail) => {
    const { stored, all, stream, after } = await readBroken(breakIt)
    expect(stored.map((e) => e.position)).toEqual([0, 1, 2])
    for (const read of [all, stream]) {
      expect(Result.isFailure(read)).toBe(true)
      if (Result.isFailure(read)) {
        expect(read.failure.reason).toMatchObject({ _tag: "Corrupt", position: 1, streamId: "grant-1" })
        expect((read.failure.reason as { readonly detail: string }).detail.startsWith(detail)).toBe(true)
      }
    }
    // The rows after it still read, with their own hashes attached.
    expect(after.map((e) => [e.position, e.hash])).toEqual([[2, stored[2]?.hash]])
  })

  it("an intact row reads as the stored envelope with the row's two hashes attached", async () => {
    const { stored } = await readBroken("body")
    const [first, second] = stored
    expect(first?.prevHash).toBe("0".repeat(64))
    expect(second?.prevHash).toBe(first?.hash)
    expect(second?.payload).toEqual({ n: 1 })
    expect(second?.streamVersion).toBe(2)
  })
})
