/**
 * Every command of the domain behind one entry point: decode untrusted input by its `_tag`,
 * route it to the decider (or, for grants and amendments, to `Grant.handleApplicationCommand`,
 * which writes the application and the budget in one all-or-nothing append) and summarise what
 * was appended. Registry facts, which no decider owns, are entered with {@link Register}.
 *
 * `@utblick/facade` runs this on a `ManagedRuntime` behind its Promise API; the seed histories of
 * the examples and the CLI's command import use it directly with any `EventStore` layer.
 *
 * @since 0.1.0
 */

import { createHash } from "node:crypto"
import { Array as Arr, Effect, Predicate, Result, Schema } from "effect"
import type { StoredEvent } from "../Envelope.js"
import type { EventDecodeError, EventEncodeError } from "../EventCatalog.js"
import * as EventStore from "../EventStore.js"
import type { EventStoreError } from "../EventStoreError.js"
import type { RegistryEvent } from "../events/Registry.js"
import type * as Aggregate from "./Aggregate.js"
import * as Agreement from "./Agreement.js"
import * as Budget from "./Budget.js"
import * as Command from "./Command.js"
import * as Domain from "./Domain.js"
import * as Grant from "./Grant.js"
import * as Membership from "./Membership.js"
import * as Population from "./Population.js"
import * as Registry from "./Register.js"
import * as RolePolicy from "./RolePolicy.js"
import * as Trip from "./Trip.js"

/**
 * The domain: every aggregate, in one list. Dispatch, decoding, the role policy and the command
 * types below are derived from it; adding an aggregate is its own module and one entry here.
 *
 * @category domain
 * @since 0.2.0
 */
export const domain = Domain.make([
  Membership.aggregate,
  Agreement.aggregate,
  Budget.aggregate,
  Grant.applications,
  Trip.aggregate,
  Population.aggregate,
  Registry.aggregate
])

type Aggregates = typeof domain.aggregates

/**
 * The default role policy: who may give which command, as every aggregate declares it.
 *
 * @category domain
 * @since 0.2.0
 */
export const policy: RolePolicy.RolePolicy = domain.policy

/**
 * A registry entry as a command (see `Register` in the registry aggregate).
 *
 * @category schemas
 * @since 0.1.0
 */
export const Register = Registry.RegisterCommand.cases.Register

/**
 * @category models
 * @since 0.1.0
 */
export type Register = Registry.Register

/**
 * The registry stream of a tenant.
 *
 * @category getters
 * @since 0.1.0
 */
export const registryStreamId = Registry.registryStreamId

/**
 * Any command {@link execute} accepts.
 *
 * @category models
 * @since 0.1.0
 */
export type AnyCommand = Aggregate.CommandOf<Aggregates[number]>

/**
 * The JSON input form of {@link AnyCommand} (dates and ids as strings, money as integer öre).
 *
 * @category models
 * @since 0.1.0
 */
export type CommandInput = Domain.InputOf<Aggregates>

/**
 * Everything {@link execute} can fail with: bad input, a refused role, a domain rule, or the store.
 *
 * @category errors
 * @since 0.1.0
 */
export type CommandFailure =
  | Command.CommandInputError
  | Domain.FailureOf<Aggregates>
  | RolePolicy.NotAuthorized
  | EventStoreError
  | EventDecodeError
  | EventEncodeError
  | IdempotencyConflict

/**
 * The command's idempotency key was recorded before with different content. Names the first
 * field that differs and shows both values (`value`: what was recorded → what was given now);
 * nothing is written.
 *
 * @category errors
 * @since 0.2.0
 */
export class IdempotencyConflict extends Schema.TaggedError<IdempotencyConflict>()("IdempotencyConflict", {
  command: Schema.String,
  idempotencyKey: Schema.String,
  ...Command.ruleFields
}) {
  override get message(): string {
    return `${this.command} conflicts with what was recorded under the key ${JSON.stringify(this.idempotencyKey)}: field "${this.field}" was ${this.value}; ${this.rule}`
  }
}

/**
 * One event a command appended.
 *
 * @category models
 * @since 0.1.0
 */
export interface AppendedEvent {
  readonly type: string
  readonly streamId: string
  readonly streamVersion: number
  readonly position: number
  readonly eventId: string
  readonly occurredAt: string
  readonly recordedAt: string
}

/**
 * What executing a command did.
 *
 * @category models
 * @since 0.1.0
 */
export interface ExecuteResult {
  readonly command: string
  /** The command's idempotency key: given, or derived by {@link idempotencyKeyOf}. */
  readonly idempotencyKey: string
  /** True when the same command was recorded before: nothing was appended this time. */
  readonly alreadyRecorded: boolean
  /** The streams written, in write order (two for a grant: the application and the year's budget). */
  readonly streams: ReadonlyArray<string>
  readonly events: ReadonlyArray<AppendedEvent>
}

/**
 * The `_tag` of every command {@link execute} accepts.
 *
 * @category utils
 * @since 0.1.0
 */
export const commandTags: ReadonlyArray<string> = domain.commandTags

/**
 * A command decoded and ready to handle, with the aggregate that handles it.
 *
 * @category models
 * @since 0.1.0
 */
export type Decoded = Domain.Decoded<Aggregates>

/**
 * Decodes untrusted input into a command. The `_tag` picks the schema, so a bad field is reported
 * against that command's rules rather than as "matches none of 28 commands".
 *
 * @category encoding
 * @since 0.1.0
 */
export const decode: (input: unknown) => Effect.Effect<Decoded, Command.CommandInputError> = domain.decode

/**
 * Every problem of an input that {@link decode} refuses, not only the first: each missing,
 * mistyped, out-of-range or unknown field as its own error (an import reports a line in full, so
 * that one round of fixes is enough). Empty when the input decodes.
 *
 * @category utils
 * @since 0.2.0
 */
export const problems: (input: unknown) => ReadonlyArray<Command.CommandInputError> = domain.problems

const resultOf = (
  command: string,
  writes: ReadonlyArray<EventStore.AppendResult>
): Omit<ExecuteResult, "idempotencyKey" | "alreadyRecorded"> => ({
  command,
  streams: writes.map((w) => w.streamId),
  events: writes.flatMap((w) =>
    w.events.map((e) => ({
      type: e.type,
      streamId: e.streamId,
      streamVersion: e.streamVersion,
      position: e.position,
      eventId: e.eventId,
      occurredAt: e.occurredAt,
      recordedAt: e.recordedAt
    }))
  )
})

// ─── Idempotency ─────────────────────────────────────────────────────────────────────────────

const MAX_KEY = 200

const bounded = (key: string): string =>
  key.length <= MAX_KEY ? key : `${key.slice(0, 150)}#${createHash("sha256").update(key).digest("hex").slice(0, 40)}`

// The registry entry's own id (the switch is exhaustive: a new kind of entry must name its id here).
const entryId = (entry: RegistryEvent): string => {
  switch (entry._tag) {
    case "ActorRegistered":
      return entry.actorId
    case "OrganisationRegistered":
      return entry.organisationId
    case "ClassificationSchemeAdopted":
      return entry.schemeId
    case "SchemeMappingDefined":
      return entry.mappingId
  }
}

/**
 * The stream whose events say whether a command was recorded before: the stream the command
 * addresses (for a grant, its application's stream; for `Register`, the tenant's registry).
 *
 * @category deciding
 * @since 0.2.0
 */
export const primaryStreamOf: (decoded: Decoded) => string = domain.streamOf

/**
 * The idempotency key of a command: its `idempotencyKey` when given, otherwise derived from what
 * identifies the fact — tenant, command and the stream it addresses (membership, application,
 * trip, budget year…); for facts that happen once per stream (a grant or rejection of an
 * application: "application id with the decision kind") nothing more; for recurring ones the
 * fields that tell them apart (a payment's `paymentId`, a role and its body) or else the case
 * number, or the business date when there is none. A `Register` is keyed by the ids of the
 * entries it registers.
 *
 * **Gotchas**
 *
 * Two genuinely different facts with the same derived key (two payments of one application on
 * the same day, without case numbers) need an explicit `idempotencyKey`; an import refuses a file
 * in which two lines share a key, so the clash is shown rather than silently merged.
 *
 * @category deciding
 * @since 0.2.0
 */
export const idempotencyKeyOf = (decoded: Decoded): string => {
  const command = decoded.command
  if (command.idempotencyKey !== undefined) return command.idempotencyKey
  if (decoded.family === "register") {
    return bounded(
      `${decoded.command.tenant}/Register/${decoded.command.events.map((e) => `${e._tag}:${entryId(e)}`).join(",")}`
    )
  }
  const base = `${command.tenant}/${command._tag}/${primaryStreamOf(decoded)}`
  const fields = domain.identityOf(command._tag)
  if (fields === "once") return bounded(base)
  if (fields !== undefined) {
    const values = fields.map((f) => String((command as unknown as Record<string, unknown>)[f] ?? "-"))
    return bounded(`${base}/${values.join("/")}`)
  }
  // The case number the events record, or else the business date.
  return bounded(`${base}/${Command.metadataOf(command).decisionRef ?? command.occurredAt}`)
}

// Canonical JSON (sorted keys) of the command as given, for its content digest.
const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`
  if (value !== null && typeof value === "object") {
    return `{${Object.keys(value)
      .filter((k) => k !== "idempotencyKey")
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`
  }
  return JSON.stringify(value) ?? "null"
}

const digestOf = (input: unknown): string => createHash("sha256").update(canonical(input)).digest("hex").slice(0, 16)

// The correlation id the command's events carry: key and content digest.
const correlationOf = (key: string, input: unknown): string => `${key}#${digestOf(input)}`

const keyOfCorrelation = (correlationId: string): string => {
  const i = correlationId.lastIndexOf("#")
  return i === -1 ? correlationId : correlationId.slice(0, i)
}

const ENVELOPE_FIELDS = ["occurredAt", "decisionRef", "actor"] as const

// The first field whose recorded value differs from the given one, with both values.
const firstDifference = (
  input: Record<string, unknown>,
  recorded: Arr.NonEmptyReadonlyArray<StoredEvent>
): { readonly field: string; readonly recorded: unknown; readonly given: unknown } | undefined => {
  const first = recorded[0]
  for (const field of ENVELOPE_FIELDS) {
    const was = field === "actor" ? first.actor : field === "decisionRef" ? first.decisionRef : first.occurredAt
    const now = field === "decisionRef" ? (input[field] ?? null) : input[field]
    if (canonical(was) !== canonical(now)) return { field, recorded: was, given: now }
  }
  // Only a Register's input lists events (strict decoding refuses the field in any other command).
  const entries =
    Array.isArray(input["events"])
      ? (input["events"] as ReadonlyArray<Record<string, unknown>>).map((e, i) => ({ prefix: `events.${i}.`, fields: e, only: i }))
      : [{ prefix: "", fields: input, only: -1 }]
  for (const { prefix, fields, only } of entries) {
    for (const [field, now] of Object.entries(fields)) {
      // `tenant` and `idempotencyKey` are in no payload, so no event holds them and they pass below.
      if (field === "_tag" || (ENVELOPE_FIELDS as ReadonlyArray<string>).includes(field)) continue
      const holder = only === -1 ? recorded.find((e) => field in e.payload) : recorded[only]
      const was = holder?.payload[field]
      if (holder !== undefined && canonical(was) !== canonical(now)) return { field: `${prefix}${field}`, recorded: was, given: now }
    }
  }
  return undefined
}

/**
 * Handles a decoded command against the store, once: when its idempotency key was recorded
 * before with the same content, nothing is appended and the result says `alreadyRecorded`; with
 * different content it fails with {@link IdempotencyConflict}.
 *
 * `input` is the command as given (before decoding); its digest is what "same content" means.
 *
 * @category deciding
 * @since 0.1.0
 */
export const handle = (
  decoded: Decoded,
  input: unknown = decoded.command
): Effect.Effect<ExecuteResult, CommandFailure, EventStore.EventStore> =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const tag = decoded.command._tag
    // The role policy first: what was recorded under a key is no business of an actor who may
    // not give the command (the deciders check the policy again when they decide).
    const allowed = RolePolicy.authorize(policy, decoded.command)
    if (Result.isFailure(allowed)) return yield* Effect.fail(allowed.failure)
    const key = idempotencyKeyOf(decoded)
    const stored = yield* store.readStream(primaryStreamOf(decoded))
    const recorded = stored.filter((e) => keyOfCorrelation(e.correlationId) === key)
    const correlation = correlationOf(key, input)
    if (Arr.isReadonlyArrayNonEmpty(recorded)) {
      if (recorded.every((e) => e.correlationId === correlation)) {
        return { command: tag, idempotencyKey: key, alreadyRecorded: true, streams: [], events: [] }
      }
      const given = Predicate.isObject(input) ? input : {}
      const diff = firstDifference(given, recorded)
      return yield* Effect.fail(
        new IdempotencyConflict({
          command: tag,
          idempotencyKey: key,
          field: diff?.field ?? "(content)",
          value:
            diff === undefined
              ? `recorded with digest ${recorded[0].correlationId.slice(key.length + 1)}, given ${digestOf(input)}`
              : `${Command.showValue(diff.recorded)} when recorded, ${Command.showValue(diff.given)} now`,
          rule: "one key names one fact: give the correction as its own command (e.g. AmendGrant), or use a new idempotencyKey"
        })
      )
    }
    const keyed = { ...decoded, command: { ...decoded.command, idempotencyKey: correlation } } as Decoded
    const appended = yield* domain.handle(keyed)
    return { ...resultOf(tag, appended), idempotencyKey: key, alreadyRecorded: false }
  })

/**
 * Decodes untrusted input, routes it to its decider and appends what was decided — once per
 * idempotency key (see {@link handle}).
 *
 * @example
 * ```ts
 * import { Commands, EventStore } from "@utblick/core"
 * import { Effect } from "effect"
 *
 * const result = await Effect.runPromise(
 *   Commands.execute({
 *     _tag: "SignMembership",
 *     actor: { id: "lulea-kommunstyrelsen", role: "executive-board" },
 *     tenant: "lulea-kommun", occurredAt: "2003-01-01",
 *     actorId: "lulea-kommun", organisationId: "ubc", kind: "member"
 *   }).pipe(Effect.provide(EventStore.layerMemory()))
 * )
 * result.events[0]?.type // "MembershipSigned"
 * ```
 *
 * @category deciding
 * @since 0.1.0
 */
export const execute = (
  input: unknown
): Effect.Effect<ExecuteResult, CommandFailure, EventStore.EventStore> =>
  Effect.flatMap(decode(input), (decoded) => handle(decoded, input))

/**
 * What a run of commands wrote: a seed history, an import, a batch.
 *
 * @category models
 * @since 0.1.0
 */
export interface Summary {
  /** Commands executed. */
  readonly commands: number
  /** Events written in all. */
  readonly events: number
  /** Distinct streams written to. */
  readonly streams: number
  /** Events written per event type. */
  readonly byType: Readonly<Record<string, number>>
  /** Commands executed per command tag. */
  readonly byCommand: Readonly<Record<string, number>>
}

/**
 * Sums the results of several executed commands.
 *
 * @category deciding
 * @since 0.1.0
 */
export const summarise = (results: ReadonlyArray<ExecuteResult>): Summary => {
  const streams = new Set<string>()
  const byType: Record<string, number> = {}
  const byCommand: Record<string, number> = {}
  let events = 0
  for (const result of results) {
    byCommand[result.command] = (byCommand[result.command] ?? 0) + 1
    for (const event of result.events) {
      streams.add(event.streamId)
      byType[event.type] = (byType[event.type] ?? 0) + 1
      events += 1
    }
  }
  return { commands: results.length, events, streams: streams.size, byType, byCommand }
}

/**
 * Executes typed commands and keeps their results, for code that writes a history command by
 * command (the examples' seeds) and reports what it wrote at the end.
 *
 * @category models
 * @since 0.1.0
 */
export interface Recorder {
  /** Executes a command given in its input form (checked by the compiler, decoded at run time). */
  readonly run: (input: CommandInput) => Effect.Effect<ExecuteResult, CommandFailure, EventStore.EventStore>
  /** What the commands run so far wrote. */
  readonly summary: () => Summary
}

/**
 * Starts a {@link Recorder}. Make one per run, so that running a history twice (into two
 * stores) reports each run on its own.
 *
 * @example
 * ```ts
 * import { Commands, EventStore } from "@utblick/core"
 * import { Effect } from "effect"
 *
 * const history = Effect.gen(function* () {
 *   const recorder = Commands.makeRecorder()
 *   yield* recorder.run({
 *     _tag: "SignMembership",
 *     actor: { id: "lulea-kommunstyrelsen", role: "executive-board" },
 *     tenant: "lulea-kommun", occurredAt: "2003-01-01",
 *     actorId: "lulea-kommun", organisationId: "ubc", kind: "member"
 *   })
 *   return recorder.summary() // { commands: 1, events: 1, streams: 1, … }
 * })
 * Effect.runPromise(history.pipe(Effect.provide(EventStore.layerMemory())))
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeRecorder = (): Recorder => {
  const results: Array<ExecuteResult> = []
  return {
    run: (input) =>
      Effect.tap(execute(input), (result) =>
        Effect.sync(() => {
          results.push(result)
        })
      ),
    summary: () => summarise(results.filter((r) => !r.alreadyRecorded))
  }
}
