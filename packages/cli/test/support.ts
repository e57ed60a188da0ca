import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { NodeServices } from "@effect/platform-node"
import { EventStore, Events } from "@utblick/core"
import { SqliteEventStore } from "@utblick/store-sqlite"
import { Effect, Layer } from "effect"
import { TestClock, TestConsole } from "effect/testing"
import { main } from "../src/Cli.js"

/** Runs the CLI in-process with explicit argv; captures stdout and stderr lines. */
export const runCli = (args: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const code = yield* main(args)
    const out = (yield* TestConsole.logLines).map(String)
    const err = (yield* TestConsole.errorLines).map(String)
    return { code, out, err, stdout: out.join("\n"), stderr: err.join("\n") }
  }).pipe(Effect.provide(Layer.mergeAll(NodeServices.layer, TestConsole.layer)), Effect.runPromise)

/**
 * Runs the CLI in-process with its clock (and so every `recordedAt` it stamps) set to `instant`:
 * for tests about transaction time, which must not depend on how fast the machine is.
 */
export const runCliAt = (instant: string, args: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    yield* TestClock.setTime(Date.parse(instant))
    const code = yield* main(args)
    const out = (yield* TestConsole.logLines).map(String)
    const err = (yield* TestConsole.errorLines).map(String)
    return { code, out, err, stdout: out.join("\n"), stderr: err.join("\n") }
  }).pipe(Effect.provide(Layer.mergeAll(NodeServices.layer, TestConsole.layer, TestClock.layer())), Effect.runPromise)

/**
 * Writes a synthetic history straight into a new SQLite log, below the domain (each event on its
 * own stream, at the current schema version). For tests of what the CLI reads and renders; what
 * it lets in through `import` is tested in the import tests, where every line is decided.
 */
export const seedSqlite = (
  filename: string,
  events: ReadonlyArray<{ readonly streamId: string; readonly type: string } & Omit<EventStore.StreamWrite["events"][number], "schemaVersion">>
) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    for (const { streamId, ...event } of events) {
      yield* store.append(streamId, [{ ...event, schemaVersion: Events.eventCatalog.definitions.get(event.type)?.version ?? 1 }])
    }
  }).pipe(Effect.provide(SqliteEventStore.layer({ filename })), Effect.runPromise)

/** A fresh temporary directory and a store spec for a database in it. */
export const tempStore = () => {
  const dir = mkdtempSync(join(tmpdir(), "utblick-cli-"))
  return { dir, db: join(dir, "t.db"), store: `sqlite:${join(dir, "t.db")}` }
}

/** Four good events for the Luleå tenant. */
export const goodEvents = [
  {
    type: "ActorRegistered",
    occurredAt: "2020-01-01",
    tenant: "lulea-kommun",
    actor: { id: "registrar", role: "registrar" },
    decisionRef: null,
    payload: { actorId: "lulea-kommun", name: "Luleå kommun", kind: "municipality" }
  },
  {
    type: "OrganisationRegistered",
    occurredAt: "2020-01-01",
    tenant: "lulea-kommun",
    actor: { id: "registrar", role: "registrar" },
    decisionRef: null,
    payload: { organisationId: "ubc", name: "Union of the Baltic Cities", focusArea: "eu" }
  },
  {
    type: "MembershipSigned",
    occurredAt: "2021-03-01",
    tenant: "lulea-kommun",
    actor: { id: "lulea-ks", role: "executive-board" },
    decisionRef: "KS 2021/123",
    payload: { actorId: "lulea-kommun", organisationId: "ubc", kind: "member", joinedYear: 1991 }
  }
]

export const jsonl = (xs: ReadonlyArray<unknown>) => `${xs.map((x) => JSON.stringify(x)).join("\n")}\n`
