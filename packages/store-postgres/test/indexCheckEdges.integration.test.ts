/**
 * The PostgreSQL index check's edges, with literal expectations: the whole mismatch as the record
 * and the column give it, the first column in index order when a row disagrees in two, the
 * columns the other test leaves alone (event_id, type), the check over a URL of its own, and the
 * operation a failure names.
 */
import type { IndexMismatch } from "@utblick/core/Envelope"
import { Effect, Exit, Layer, Redacted } from "effect"
import { SqlClient } from "effect/sql"
import { describe, expect, it } from "vitest"
import { PgIndexCheck } from "../src/index.js"
import { appendThreeEvents, clientLayer, DATABASE_URL, dropSchema, freshStore, reachable } from "./helpers.js"

const schema = `it_index_edges_${process.pid}`

// Three events on two streams through the store (positions 0 and 1 on membership-ubc, 2 on
// trip-9), then the statements, then what `after` answers; the schema is dropped at the end.
const withLog = <A>(
  statements: ReadonlyArray<string>,
  after: Effect.Effect<A, unknown, SqlClient.SqlClient>
) =>
  Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        yield* appendThreeEvents
        const sql = yield* SqlClient.SqlClient
        for (const statement of statements)
          yield* sql.unsafe(statement.replaceAll("{events}", `"${schema}".utblick_events`))
        const answer = yield* after
        yield* dropSchema(schema)
        return answer
      }).pipe(Effect.provide(Layer.merge(freshStore(schema), clientLayer(1))))
    ) as Effect.Effect<A, unknown, never>
  )

describe.skipIf(!reachable)("PgIndexCheck edges (needs DATABASE_URL)", () => {
  it("gives the whole mismatch: position as a number, column, and both values as text", async () => {
    expect(
      await withLog(
        ["UPDATE {events} SET stream_version = 9 WHERE position = 1"],
        PgIndexCheck.firstMismatch(schema)
      )
    ).toStrictEqual({
      position: 1,
      column: "stream_version",
      columnValue: "9",
      recordValue: "2"
    })
  })

  it("names the first column in index order when a row disagrees in two", async () => {
    expect(
      await withLog(
        ["UPDATE {events} SET tenant = 'kiruna-kommun', stream_id = 'trip-10' WHERE position = 2"],
        PgIndexCheck.firstMismatch(schema)
      )
    ).toStrictEqual({ position: 2, column: "stream_id", columnValue: "trip-10", recordValue: "trip-9" })
  })

  it("names an altered type, and an altered event id against the id the record holds", async () => {
    expect(
      await withLog(
        ["UPDATE {events} SET type = 'Other' WHERE position = 0"],
        PgIndexCheck.firstMismatch(schema)
      )
    ).toStrictEqual({
      position: 0,
      column: "type",
      columnValue: "Other",
      recordValue: "ContractEventRecorded"
    })
    const [mismatch, recorded] = await withLog(
      ["UPDATE {events} SET event_id = '01890a5d-ac96-774b-bcce-b302099a8057' WHERE position = 1"],
      Effect.all([
        PgIndexCheck.firstMismatch(schema),
        Effect.flatMap(SqlClient.SqlClient, (sql) =>
          sql.unsafe<{ id: string }>(
            `SELECT canonical::json->>'eventId' AS id FROM "${schema}".utblick_events WHERE position = 1`
          )
        )
      ])
    )
    expect(mismatch).toStrictEqual({
      position: 1,
      column: "event_id",
      columnValue: "01890a5d-ac96-774b-bcce-b302099a8057",
      recordValue: recorded[0]?.id
    })
    expect(recorded[0]?.id).not.toBe("01890a5d-ac96-774b-bcce-b302099a8057")
  })

  it("checks the log at a URL, given as text or redacted, over a connection of its own", async () => {
    const expected: IndexMismatch = {
      position: 2,
      column: "tenant",
      columnValue: "kiruna-kommun",
      recordValue: "contract-tenant"
    }
    const [asText, redacted, clean] = await withLog(
      ["UPDATE {events} SET tenant = 'kiruna-kommun' WHERE position = 2"],
      Effect.all([
        PgIndexCheck.firstMismatchAt(DATABASE_URL, schema),
        PgIndexCheck.firstMismatchAt(Redacted.make(DATABASE_URL), schema),
        Effect.flatMap(SqlClient.SqlClient, (sql) =>
          sql.unsafe(`UPDATE "${schema}".utblick_events SET tenant = 'contract-tenant'`)
        ).pipe(Effect.andThen(PgIndexCheck.firstMismatchAt(DATABASE_URL, schema)))
      ])
    )
    expect(asText).toStrictEqual(expected)
    expect(redacted).toStrictEqual(expected)
    expect(clean).toBeUndefined()
  })

  it("names the operation when the log is not there, and looks in the public schema unless told otherwise", async () => {
    const missing = await Effect.runPromise(
      Effect.flip(PgIndexCheck.firstMismatchAt(DATABASE_URL, "it_no_such_schema"))
    )
    expect(missing.reason).toMatchObject({
      _tag: "Unavailable",
      operation: "check the index columns of the log"
    })
    expect(missing.reason._tag === "Unavailable" ? missing.reason.detail : "").toContain(
      'relation "it_no_such_schema.utblick_events" does not exist'
    )
    // Whether this database has a log in public or not, the check looked there.
    const byDefault = await Effect.runPromise(Effect.exit(PgIndexCheck.firstMismatchAt(DATABASE_URL)))
    if (Exit.isFailure(byDefault))
      expect(String(byDefault.cause)).toContain('relation "public.utblick_events" does not exist')
    const onClient = await Effect.runPromise(
      Effect.exit(Effect.scoped(PgIndexCheck.firstMismatch().pipe(Effect.provide(clientLayer(1)))))
    )
    if (Exit.isFailure(onClient))
      expect(String(onClient.cause)).toContain('relation "public.utblick_events" does not exist')
  })

  it("fails as retryable when the server cannot be reached, naming the connection", async () => {
    const unreachable = await Effect.runPromise(
      Effect.flip(PgIndexCheck.firstMismatchAt("postgres://postgres:postgres@127.0.0.1:1/none", schema))
    )
    expect(unreachable.reason).toMatchObject({
      _tag: "Unavailable",
      operation: "connect to PostgreSQL",
      retryable: true
    })
    expect(unreachable.reason._tag === "Unavailable" ? unreachable.reason.detail : "").toMatch(
      /ECONNREFUSED.*; check the URL and that the server is running$/
    )
  })
})
