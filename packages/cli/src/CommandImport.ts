/**
 * Importing JSON Lines of domain commands, whole or not at all.
 *
 * Commands are decided against an in-memory copy of the log (the real log's events replayed into a
 * memory store), one after the other, through the same deciders and role policy as everywhere
 * else. Every refused or malformed command is reported with its line; only when all of them pass
 * are the events they caused appended to the real store, in ONE `appendMany` whose expected
 * versions are the streams' versions when the copy was taken — so a concurrent writer turns the
 * import into a conflict instead of a half-applied file.
 *
 * @since 0.1.0
 */
import { type Envelope, EventStore, type EventStoreError } from "@utblick/core"
import { Commands, fromError } from "@utblick/facade"
import { Effect, Stream } from "effect"
import type { RowError } from "./Import.js"

/**
 * Whether a JSON Lines file holds commands (`_tag`) rather than events (`type`): decided by its
 * first non-empty line.
 *
 * @category guards
 * @since 0.1.0
 */
export const isCommandFile = (text: string): boolean => {
  const first = text.split(/\r?\n/).find((l) => l.trim() !== "")
  if (first === undefined) return false
  try {
    const value: unknown = JSON.parse(first)
    return typeof value === "object" && value !== null && "_tag" in value && !("type" in value)
  } catch {
    return false
  }
}

/**
 * The outcome of planning a command file.
 *
 * @category models
 * @since 0.1.0
 */
export interface CommandPlan {
  readonly commands: number
  readonly errors: ReadonlyArray<RowError>
  readonly writes: ReadonlyArray<EventStore.StreamWrite>
  readonly events: number
}

const toAppend = (e: Envelope.StoredEvent): Envelope.EventToAppend => ({
  eventId: e.eventId,
  type: e.type,
  schemaVersion: e.schemaVersion,
  occurredAt: e.occurredAt,
  tenant: e.tenant,
  actor: e.actor,
  decisionRef: e.decisionRef,
  correlationId: e.correlationId,
  causationId: e.causationId,
  payload: e.payload
})

/**
 * Decides every command of the file against a copy of `existing` and returns the writes that
 * would apply them, or the line-numbered errors.
 *
 * @category constructors
 * @since 0.1.0
 */
export const plan = (
  text: string,
  existing: ReadonlyArray<Envelope.StoredEvent>
): Effect.Effect<CommandPlan, EventStoreError.EventStoreError> =>
  Effect.gen(function* () {
    const copy = yield* EventStore.makeMemory()
    // Replay the log into the copy stream by stream, in log order: versions come out the same.
    for (const event of existing) yield* copy.append(event.streamId, [toAppend(event)])
    const before = (yield* copy.head).size
    const versionsBefore = new Map<string, number>()
    for (const event of existing) versionsBefore.set(event.streamId, event.streamVersion)

    const errors: Array<RowError> = []
    let commands = 0
    const lines = text.split(/\r?\n/)
    for (let i = 0; i < lines.length; i++) {
      const raw = (lines[i] as string).trim()
      if (raw === "") continue
      commands += 1
      let input: unknown
      try {
        input = JSON.parse(raw)
      } catch (error) {
        errors.push({ line: i + 1, field: "(line)", value: JSON.stringify(raw.slice(0, 40)), rule: `not JSON: ${(error as Error).message}` })
        continue
      }
      const outcome = yield* Effect.result(
        Commands.execute(input).pipe(Effect.provideService(EventStore.EventStore, EventStore.EventStore.of(copy)))
      )
      if (outcome._tag === "Failure") {
        const failure = fromError(outcome.failure)
        errors.push({
          line: i + 1,
          field: failure.field ?? failure.code,
          value: failure.value ?? JSON.stringify((input as { _tag?: unknown })?._tag ?? null),
          rule: failure.rule ?? failure.message
        })
      }
    }
    if (errors.length > 0) return { commands, errors, writes: [], events: 0 }

    const added = yield* Stream.runCollect(copy.readAll({ fromPosition: before }))
    const byStream = new Map<string, Array<Envelope.EventToAppend>>()
    for (const event of added) byStream.set(event.streamId, [...(byStream.get(event.streamId) ?? []), toAppend(event)])
    const writes = [...byStream].map(([streamId, events]) => ({
      streamId,
      events,
      expectedVersion: versionsBefore.get(streamId) ?? ("no-stream" as const)
    }))
    return { commands, errors: [], writes, events: added.length }
  })
