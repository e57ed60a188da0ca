/**
 * The plumbing every seed history shares: command handlers wired to the event store through
 * core's deciders, a direct writer for registry events (the one family without commands), and a
 * tally of what a seed run wrote.
 *
 * @since 0.1.0
 */
import { EventStore, Events } from "@utblick/core"
import * as Application from "@utblick/core/domain/Application"
import * as Budget from "@utblick/core/domain/Budget"
import * as Command from "@utblick/core/domain/Command"
import * as Grant from "@utblick/core/domain/Grant"
import { Effect, Result } from "effect"

/**
 * What a seed run wrote.
 *
 * @category models
 * @since 0.1.0
 */
export interface SeedSummary {
  readonly tenant: string
  /** Commands handled through a decider. */
  readonly commands: number
  /** Registry events appended directly (no registry commands exist in core). */
  readonly directAppends: number
  /** Events written in all. */
  readonly events: number
  /** Distinct streams written to. */
  readonly streams: number
  /** Events written per event type. */
  readonly byType: Readonly<Record<string, number>>
}

/**
 * A mutable tally, created fresh inside each seed run so that running a seed twice (into two
 * stores) counts each run on its own.
 *
 * @category models
 * @since 0.1.0
 */
export interface Tally {
  command: (streamId: string, types: ReadonlyArray<string>) => void
  direct: (streamId: string, types: ReadonlyArray<string>) => void
  /** Events a counted command also wrote to a second stream (a grant's budget reservation). */
  also: (streamId: string, types: ReadonlyArray<string>) => void
  summary: (tenant: string) => SeedSummary
}

/**
 * Starts a tally.
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeTally = (): Tally => {
  let commands = 0
  let direct = 0
  let events = 0
  const streams = new Set<string>()
  const byType: Record<string, number> = {}
  const add = (streamId: string, types: ReadonlyArray<string>) => {
    streams.add(streamId)
    events += types.length
    for (const type of types) byType[type] = (byType[type] ?? 0) + 1
  }
  return {
    command: (streamId, types) => {
      commands += 1
      add(streamId, types)
    },
    also: add,
    direct: (streamId, types) => {
      direct += types.length
      add(streamId, types)
    },
    summary: (tenant) => ({ tenant, commands, directAppends: direct, events, streams: streams.size, byType: { ...byType } })
  }
}

const decodeBudget = Command.decoder(Budget.BudgetCommand)
const decodeApplication = Command.decoder(Application.ApplicationCommand)

/**
 * The input form of a budget command (plain strings and numbers; decoded, so every schema rule
 * of the command applies before the decider sees it).
 *
 * @category models
 * @since 0.1.0
 */
export type BudgetInput = typeof Budget.BudgetCommand.Encoded

/**
 * The input form of an application command.
 *
 * @category models
 * @since 0.1.0
 */
export type ApplicationInput = typeof Application.ApplicationCommand.Encoded

/**
 * Decodes and handles a budget command (appropriation, allocation frame), counting it.
 *
 * @category constructors
 * @since 0.1.0
 */
export const budget = (tally: Tally, input: BudgetInput) =>
  decodeBudget(input).pipe(
    Effect.flatMap(Budget.handle),
    Effect.tap((r) => Effect.sync(() => tally.command(r.streamId, r.events.map((e) => e._tag))))
  )

/**
 * Decodes and handles an application command. Grants and amendments go through core's grant
 * workflow (`Grant.handle`), which writes the grant and the budget reservation in one atomic
 * unit, so a grant above the year's appropriation or the board's frame is refused.
 *
 * @category constructors
 * @since 0.1.0
 */
export const application = (tally: Tally, input: ApplicationInput) =>
  decodeApplication(input).pipe(
    // Core's one entry point: grants and amendments write the application and the year's budget.
    Effect.flatMap(Grant.handleApplicationCommand),
    Effect.map((appended) => {
      for (const [i, r] of appended.entries()) {
        const count = i === 0 ? tally.command : tally.also
        count(r.streamId, r.events.map((e) => e.type))
      }
      return appended.reduce((n, r) => n + r.events.length, 0)
    })
  )

/**
 * The registry stream of a tenant. Core has no registry commands and no stream rule for registry
 * events, so each example keeps its tenant's actors, organisations, schemes and mappings in one
 * stream of its own; tenant-scoped so that several examples can share one store.
 *
 * @category constructors
 * @since 0.1.0
 */
export const registryStreamId = (tenant: string): string => `registry-${tenant}`

/**
 * Appends registry events directly (there is no command for them), encoded and validated through
 * core's event catalogue.
 *
 * @category constructors
 * @since 0.1.0
 */
export const register = (
  tally: Tally,
  meta: { readonly tenant: string; readonly actor: { readonly id: string; readonly role: string }; readonly occurredAt: string },
  events: ReadonlyArray<Events.Registry.RegistryEvent>
) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const streamId = registryStreamId(meta.tenant)
    const toAppend = []
    for (const event of events) {
      const encoded = Events.eventCatalog.encode(event)
      if (Result.isFailure(encoded)) return yield* Effect.fail(encoded.failure)
      toAppend.push({ ...encoded.success, occurredAt: meta.occurredAt, tenant: meta.tenant, actor: meta.actor })
    }
    const result = yield* store.append(streamId, toAppend)
    tally.direct(streamId, events.map((e) => e._tag))
    return result
  })
