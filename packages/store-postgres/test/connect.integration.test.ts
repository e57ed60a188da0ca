/**
 * The package's functions that open a pool of their own to a URL (`PgRestore.restoreFromUrl`,
 * `PgIndexCheck.firstMismatchAt`) name a failed connection as the connection, as the store's URL
 * layers do. The driver connects at the first query, so until 2026-12-07 a server that was down
 * failed a restore as "could not migrate the log" and an index check as "check the index columns
 * of the log", and a refused login was marked worth retrying. Each URL below fails for a reason
 * worked out by hand: nothing listens on port 1; the text is no URL; the password is wrong.
 */
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { PgIndexCheck, PgRestore } from "../src/index.js"
import { DATABASE_URL, reachable } from "./helpers.js"

const urls = [
  "postgres://postgres:postgres@127.0.0.1:1/none",
  "not a url",
  DATABASE_URL.replace(/:\/\/([^:@/]+):[^@]*@/, "://$1:not-the-password@")
]

describe.skipIf(!reachable)("connecting to a URL", () => {
  it("restoreFromUrl and firstMismatchAt name the connection, retryable only while the server is away", async () => {
    const failures = await Effect.runPromise(
      Effect.forEach(urls, (url) =>
        Effect.all([
          Effect.flip(
            PgRestore.restoreFromUrl(url, [], { origin: "connect.test.example/log", schema: "it_connect" })
          ),
          Effect.flip(PgIndexCheck.firstMismatchAt(url, "it_connect"))
        ])
      )
    )
    const seen = failures
      .flat()
      .map((e) => [e.reason._tag, (e.reason as { readonly operation?: string }).operation, e.isRetryable])
    expect(seen).toEqual([
      ["Unavailable", "connect to PostgreSQL", true],
      ["Unavailable", "connect to PostgreSQL", true],
      ["Unavailable", "connect to PostgreSQL", false],
      ["Unavailable", "connect to PostgreSQL", false],
      ["Unavailable", "connect to PostgreSQL", false],
      ["Unavailable", "connect to PostgreSQL", false]
    ])
    const [refused, , malformed, , login] = failures.flat().map((e) => e.message)
    expect(refused).toContain("ECONNREFUSED")
    expect(malformed).toContain("Invalid URL")
    expect(login).toContain("28P01: password authentication failed")
    for (const e of failures.flat())
      expect(e.message).toContain("; check the URL and that the server is running")
  })
})
