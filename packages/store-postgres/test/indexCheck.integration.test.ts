import type { IndexMismatch } from "@utblick/core/Envelope"
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { describe, expect, it } from "vitest"
import { PgIndexCheck } from "../src/index.js"
import { appendThreeEvents, clientLayer, freshStore, reachable } from "./helpers.js"

const schema = "it_index_check"

// Three events on two streams through the store, then one column altered (or none), then the check.
const checkAfter = (statement: string | undefined) =>
  Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        yield* appendThreeEvents
        if (statement !== undefined) yield* (yield* SqlClient.SqlClient).unsafe(statement.replace("{events}", `"${schema}".utblick_events`))
        return yield* PgIndexCheck.firstMismatch(schema)
      }).pipe(Effect.provide(Layer.merge(freshStore(schema), clientLayer(1))))
    ) as Effect.Effect<IndexMismatch | undefined, unknown, never>
  )

describe.skipIf(!reachable)("PgIndexCheck (needs DATABASE_URL)", () => {
  it("finds nothing in a log written by the store (dates, instants and uuids read as the record writes them)", async () => {
    expect(await checkAfter(undefined)).toBeUndefined()
  })
  it.each([
    ["stream_id", "stream_id = 'membership-other'", 1, "membership-ubc", "membership-other"],
    ["stream_version", "stream_version = 7", 2, "1", "7"],
    ["tenant", "tenant = 'kiruna-kommun'", 2, "contract-tenant", "kiruna-kommun"],
    ["occurred_at", "occurred_at = '2099-01-01'", 1, "2022-06-30", "2099-01-01"],
    ["recorded_at", "recorded_at = '2030-01-01T00:00:00Z'", 0, undefined, "2030-01-01T00:00:00.000Z"]
  ] as const)("names the first row whose %s was altered, with both values", async (column, assignment, position, recorded, altered) => {
    const mismatch = await checkAfter(`UPDATE {events} SET ${assignment} WHERE position >= ${position}`)
    expect(mismatch).toMatchObject({ position, column, columnValue: altered })
    if (recorded !== undefined) expect(mismatch?.recordValue).toBe(recorded)
  })
})
