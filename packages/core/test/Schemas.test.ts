import { fc, test } from "@fast-check/vitest"
import { CanonicalJson, Envelope, EventStore, Money } from "@utblick/core"
import * as Registry from "@utblick/core/events/Registry"
import { Arbitraries } from "@utblick/core/testing"
import { Effect, Result, Schema, Stream } from "effect"
import { describe, expect, it } from "vitest"
import { catalog } from "./fixtures.js"

describe("schema round trips", () => {
  for (const [tag, schema] of Object.entries(Registry.RegistryEvent.cases)) {
    test.prop([Arbitraries.fromSchema(schema)], { numRuns: 100 })(`${tag}: encode → decode is the identity`, (event) => {
      const encoded = Schema.encodeSync(schema)(event)
      expect(Schema.decodeUnknownSync(schema)(JSON.parse(JSON.stringify(encoded)))).toEqual(event)
    })
  }

  test.prop([Arbitraries.fromSchema(Registry.RegistryEvent)], { numRuns: 200 })(
    "every registry event survives the catalogue and the store unchanged",
    async (event) => {
      const violation = CanonicalJson.findIJsonViolation(event)
      const outcome = await Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const encoded = catalog.encode(event)
        if (Result.isFailure(encoded)) return yield* Effect.fail(encoded.failure)
        const appended = yield* Effect.result(
          store.append("s-1", [
            { ...encoded.success, occurredAt: "2020-01-01", tenant: "t", actor: { id: "a", role: "r" } }
          ])
        )
        const [stored] = yield* Stream.runCollect(store.readAll())
        return { appended, decoded: stored === undefined ? undefined : catalog.decode(stored) }
      }).pipe(Effect.provide(EventStore.layerMemory()), Effect.runPromise)
      if (violation === undefined) {
        expect(outcome.decoded !== undefined && Result.isSuccess(outcome.decoded) && outcome.decoded.success).toEqual(event)
      } else {
        // Schemas allow any string; the store still refuses what is not I-JSON (e.g. lone surrogates).
        expect(Result.isFailure(outcome.appended) && outcome.appended.failure.reason._tag).toBe("InvalidEvent")
        expect(outcome.decoded).toBeUndefined()
      }
    }
  )

  test.prop([fc.integer({ min: 0, max: 2 ** 40 })])("öre format keeps every öre", (ore) => {
    const text = Money.formatSek(ore)
    expect(Number(text.replace(" kr", "").replaceAll("\u00a0", "").replace(",", ""))).toBe(ore)
  })

  it("names the field, the value and the rule of a bad envelope value", () => {
    const result = Schema.decodeUnknownResult(Envelope.CalendarDate)("2022-02-30", { reportInput: true } as never)
    expect(Result.isFailure(result) && result.failure.message).toContain("YYYY-MM-DD")
    expect(Schema.is(Envelope.Instant)("2023-03-15T09:30:00.000Z")).toBe(true)
    expect(Schema.is(Envelope.Instant)("2023-03-15T09:30:00Z")).toBe(false)
    expect(Schema.is(Envelope.StreamId)("Trip 1")).toBe(false)
    expect(Schema.is(Money.Ore)(-1)).toBe(false)
    expect(Schema.is(Money.Ore)(1.5)).toBe(false)
  })
})

describe("calendar dates", () => {
  // The definition the hand-written parser replaced: a regular expression and a round trip
  // through Date.UTC (which reads years 0–99 as 1900–1999, so they are refused).
  const byDate = (value: string): boolean => {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
    if (match === null) return false
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
    const date = new Date(Date.UTC(year, month - 1, day))
    return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  }
  const pad = (n: number, width: number) => String(n).padStart(width, "0")
  const dateLike = fc
    .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
    .map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`)
  const nearMiss = fc
    .tuple(dateLike, fc.nat({ max: 9 }), fc.constantFrom("", "x", "/", "٣", " ", "\n", "-0"))
    .map(([s, i, c]) => s.slice(0, i) + c + s.slice(i + (c === "" ? 1 : 0)))

  test.prop([fc.oneof(dateLike, nearMiss, fc.string({ maxLength: 12 }))], { numRuns: 3000 })(
    "isRealCalendarDate agrees with the Date-based definition",
    (value) => {
      expect(Envelope.isRealCalendarDate(value)).toBe(byDate(value))
    }
  )

  it("knows leap years and month lengths", () => {
    expect(["2024-02-29", "2000-02-29", "2023-04-30", "0100-01-01", "9999-12-31"].map(Envelope.isRealCalendarDate)).toEqual([true, true, true, true, true])
    expect(["1900-02-29", "2023-02-29", "2023-04-31", "0099-12-31", "2023-13-01", "2023-00-10", "2023-1-01"].map(Envelope.isRealCalendarDate)).toEqual([false, false, false, false, false, false, false])
  })
})
