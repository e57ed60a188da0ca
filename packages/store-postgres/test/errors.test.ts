/**
 * How the store words and classifies the driver's failures: a caller's retry loop decides on
 * `isRetryable`, and an operator reads the message. Expectations are literal: PostgreSQL's SQLSTATE
 * classes as its manual lists them, and the words the store gives.
 */
import { ConcurrencyConflict, Unavailable } from "@utblick/core/EventStoreError"
import {
  ConnectionError,
  ConstraintError,
  SqlError,
  UniqueViolation,
  UnknownError
} from "effect/sql/SqlError"
import { describe, expect, it } from "vitest"
import { describeSqlError, fromSqlError, isDataError } from "../src/internal/errors.js"

// What the driver puts in a reason's cause: PostgreSQL's error fields.
const pg = (code: string, message: string, detail?: string) => ({
  code,
  message,
  ...(detail === undefined ? {} : { detail })
})
const unknown = (cause: unknown, message?: string) =>
  new SqlError({ reason: new UnknownError({ cause, ...(message === undefined ? {} : { message }) }) })

// A collision on `constraint`, as the driver reports PostgreSQL's 23505 with `detail`.
const collision = (constraint: string, message: string, detail?: string) =>
  new SqlError({ reason: new UniqueViolation({ cause: pg("23505", message, detail), constraint }) })

describe("describeSqlError", () => {
  it("gives the reason, the SQLSTATE, PostgreSQL's message and its detail, joined by colons", () => {
    const error = collision(
      "utblick_events_event_id_key",
      "duplicate key value violates unique constraint",
      "Key (event_id)=(x) already exists."
    )
    expect(describeSqlError(error)).toBe(
      "UniqueViolation: 23505: duplicate key value violates unique constraint: Key (event_id)=(x) already exists."
    )
  })

  it("falls back to the reason's message when the cause is not PostgreSQL's fields", () => {
    expect(describeSqlError(unknown("socket hang up", "read ECONNRESET"))).toBe(
      "UnknownError: read ECONNRESET"
    )
    expect(describeSqlError(unknown(null, "the pool is closed"))).toBe("UnknownError: the pool is closed")
    // A cause that is an object but carries no fields of PostgreSQL's.
    expect(describeSqlError(unknown(new Error("boom"), "query failed"))).toBe("UnknownError: boom")
  })

  it("gives the reason alone when nothing else was said (not a colon followed by nothing)", () => {
    expect(describeSqlError(unknown(undefined))).toBe("UnknownError")
    expect(describeSqlError(unknown({ code: "08006" }))).toBe("UnknownError: 08006")
  })
})

describe("fromSqlError", () => {
  const map = fromSqlError("append")

  it("reports a collision on a stream version as the conflict, naming stream and version", () => {
    const error = map(
      collision(
        "utblick_events_stream_version_key",
        "duplicate key value violates unique constraint",
        "Key (stream_id, stream_version)=(grant-1, 3) already exists."
      )
    )
    expect(error.reason).toStrictEqual(
      new ConcurrencyConflict({
        streamId: "grant-1",
        expected: "the version read before the append",
        actual: 3
      })
    )
    expect(error.isRetryable).toBe(true)
  })

  it("still reports the conflict when PostgreSQL gave no detail to read the stream from", () => {
    const error = map(collision("utblick_events_stream_version_key", "duplicate key"))
    expect(error.reason).toStrictEqual(
      new ConcurrencyConflict({
        streamId: "unknown",
        expected: "the version read before the append",
        actual: -1
      })
    )
  })

  it("words every other failure as Unavailable, with the operation and PostgreSQL's text", () => {
    const cause = new SqlError({
      reason: new ConstraintError({ cause: pg("23514", "new row violates check constraint") })
    })
    const error = map(cause)
    expect(error.reason).toBeInstanceOf(Unavailable)
    expect(error.reason).toMatchObject({
      operation: "append",
      detail: "PostgreSQL: ConstraintError: 23514: new row violates check constraint",
      retryable: false
    })
    expect((error.reason as Unavailable).cause).toBe(cause)
    expect(error.message).toBe(
      "the store could not append: PostgreSQL: ConstraintError: 23514: new row violates check constraint"
    )
  })

  it.each([
    ["08006", "connection failure", true],
    ["08P01", "protocol violation", true],
    ["40001", "could not serialize access", true],
    ["40P01", "deadlock detected", true],
    ["53300", "too many connections", true],
    ["57P01", "terminating connection due to administrator command", true],
    ["22P02", "invalid input syntax for type uuid", false],
    ["42P01", "relation does not exist", false],
    ["23502", "null value violates not-null constraint", false],
    ["XX000", "internal error", false],
    // A class is its first two characters: these only contain a transient class's digits.
    ["10840", "not a class of faults of the moment", false],
    ["20857", "not a class of faults of the moment", false]
  ] as const)("SQLSTATE %s (%s) is retryable: %s", (code, message, retryable) => {
    expect(map(unknown(pg(code, message))).isRetryable).toBe(retryable)
  })

  it("takes a lost connection and the driver's own retryable reasons as retryable, whatever the code", () => {
    expect(
      map(new SqlError({ reason: new ConnectionError({ cause: pg("XX000", "gone") }) })).isRetryable
    ).toBe(true)
    expect(map(new SqlError({ reason: new ConnectionError({ cause: "ECONNREFUSED" }) })).isRetryable).toBe(
      true
    )
    expect(map(unknown({ code: 40001 })).isRetryable).toBe(false)
  })

  it("never takes a URL the driver cannot parse as retryable, though the driver reports a lost connection", () => {
    const malformed = new SqlError({
      reason: new ConnectionError({ cause: pg("ERR_INVALID_URL", "Invalid URL") })
    })
    expect(malformed.isRetryable).toBe(true)
    expect(map(malformed).isRetryable).toBe(false)
    expect(map(malformed).message).toBe(
      "the store could not append: PostgreSQL: ConnectionError: ERR_INVALID_URL: Invalid URL"
    )
  })

  it("takes a collision on any other key as retryable (another writer took the position or the id)", () => {
    const error = map(collision("utblick_events_pkey", "duplicate key"))
    expect(error.reason._tag).toBe("Unavailable")
    expect(error.isRetryable).toBe(true)
  })
})

describe("isDataError", () => {
  it("is true of a collision, a constraint failure and a conflict; false of everything else", () => {
    const sql = (reason: SqlError["reason"]) => new SqlError({ reason })
    expect(isDataError(sql(new UniqueViolation({ cause: null, constraint: "k" })))).toBe(true)
    expect(isDataError(sql(new ConstraintError({ cause: null })))).toBe(true)
    expect(isDataError(sql(new ConnectionError({ cause: null })))).toBe(false)
    expect(isDataError(sql(new UnknownError({ cause: null })))).toBe(false)
    const conflict = fromSqlError("append")(
      collision("x_stream_version_key", "d", "Key (stream_id, stream_version)=(s, 1) already exists.")
    )
    expect(isDataError(conflict)).toBe(true)
    expect(isDataError(fromSqlError("append")(sql(new ConnectionError({ cause: null }))))).toBe(false)
  })
})
