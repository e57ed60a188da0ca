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
import { Effect, Result, Schema } from "effect"
import { Actor, CalendarDate, type StoredEvent, TenantId } from "../Envelope.js"
import type { EventDecodeError, EventEncodeError } from "../EventCatalog.js"
import * as EventStore from "../EventStore.js"
import type { EventStoreError } from "../EventStoreError.js"
import { RegistryEvent, registryCatalog } from "../events/Registry.js"
import * as Agreement from "./Agreement.js"
import * as Application from "./Application.js"
import * as Budget from "./Budget.js"
import * as Command from "./Command.js"
import * as Grant from "./Grant.js"
import * as Membership from "./Membership.js"
import * as Population from "./Population.js"
import * as RolePolicy from "./RolePolicy.js"
import * as Trip from "./Trip.js"

/**
 * A registry entry as a command. Registry facts (actors, organisations, classification schemes,
 * scheme mappings) are reference data, not decisions, so no decider weighs them: they are
 * decoded through the registry event schemas and appended to one stream per tenant,
 * {@link registryStreamId}.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Register = Schema.TaggedStruct("Register", {
  actor: Actor,
  tenant: TenantId,
  occurredAt: CalendarDate,
  idempotencyKey: Schema.optionalKey(Command.IdempotencyKey),
  events: Schema.Array(RegistryEvent).pipe(Schema.check(Schema.isMinLength(1)))
})

/**
 * @category models
 * @since 0.1.0
 */
export type Register = typeof Register.Type

/**
 * Any command {@link execute} accepts: the decided commands plus {@link Register}.
 *
 * @category models
 * @since 0.1.0
 */
export type AnyCommand =
  | Membership.Command
  | Agreement.Command
  | Budget.Command
  | Application.Command
  | Trip.Command
  | Population.Command
  | Register

/**
 * The JSON input form of {@link AnyCommand} (dates and ids as strings, money as integer öre).
 *
 * @category models
 * @since 0.1.0
 */
export type CommandInput =
  | typeof Membership.MembershipCommand.Encoded
  | typeof Agreement.AgreementCommand.Encoded
  | typeof Budget.BudgetCommand.Encoded
  | typeof Application.ApplicationCommand.Encoded
  | typeof Trip.TripCommand.Encoded
  | typeof Population.PopulationCommand.Encoded
  | typeof Register.Encoded

/**
 * Everything {@link execute} can fail with: bad input, a refused role, a domain rule, or the store.
 *
 * @category errors
 * @since 0.1.0
 */
export type CommandFailure =
  | Command.CommandInputError
  | Membership.MembershipError
  | Agreement.AgreementError
  | Budget.BudgetError
  | Application.ApplicationError
  | Trip.TripError
  | Population.PopulationError
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

const decoders = {
  membership: Command.decoder(Membership.MembershipCommand),
  agreement: Command.decoder(Agreement.AgreementCommand),
  budget: Command.decoder(Budget.BudgetCommand),
  application: Command.decoder(Application.ApplicationCommand),
  trip: Command.decoder(Trip.TripCommand),
  population: Command.decoder(Population.PopulationCommand),
  register: Command.decoder(Register)
}

type Family = keyof typeof decoders

const families: ReadonlyArray<readonly [Family, ReadonlyArray<string>]> = [
  ["membership", Object.keys(Membership.MembershipCommand.cases)],
  ["agreement", Object.keys(Agreement.AgreementCommand.cases)],
  ["budget", Object.keys(Budget.BudgetCommand.cases)],
  ["application", Object.keys(Application.ApplicationCommand.cases)],
  ["trip", Object.keys(Trip.TripCommand.cases)],
  ["population", Object.keys(Population.PopulationCommand.cases)],
  ["register", ["Register"]]
]

const familyByTag = new Map<string, Family>(
  families.flatMap(([family, tags]) => tags.map((tag) => [tag, family] as const))
)

/**
 * The `_tag` of every command {@link execute} accepts.
 *
 * @category constructors
 * @since 0.1.0
 */
export const commandTags: ReadonlyArray<string> = [...familyByTag.keys()]

/**
 * A command decoded and ready to handle, with the family that handles it.
 *
 * @category models
 * @since 0.1.0
 */
export type Decoded =
  | { readonly family: "membership"; readonly command: Membership.Command }
  | { readonly family: "agreement"; readonly command: Agreement.Command }
  | { readonly family: "budget"; readonly command: Budget.Command }
  | { readonly family: "application"; readonly command: Application.Command }
  | { readonly family: "trip"; readonly command: Trip.Command }
  | { readonly family: "population"; readonly command: Population.Command }
  | { readonly family: "register"; readonly command: Register }

/**
 * Decodes untrusted input into a command. The `_tag` picks the schema, so a bad field is reported
 * against that command's rules rather than as "matches none of 26 commands".
 *
 * @category constructors
 * @since 0.1.0
 */
export const decode = (input: unknown): Effect.Effect<Decoded, Command.CommandInputError> => {
  const tag =
    input !== null && typeof input === "object" && !Array.isArray(input)
      ? (input as { readonly _tag?: unknown })._tag
      : undefined
  const family = typeof tag === "string" ? familyByTag.get(tag) : undefined
  if (family === undefined) {
    return Effect.fail(
      new Command.CommandInputError({
        command: typeof tag === "string" ? tag : "unknown",
        field: input !== null && typeof input === "object" && !Array.isArray(input) ? "_tag" : "(command)",
        value: Command.showValue(
          input !== null && typeof input === "object" && !Array.isArray(input) ? tag : input
        ),
        rule:
          input !== null && typeof input === "object" && !Array.isArray(input)
            ? `a command must have a _tag naming one of: ${commandTags.join(", ")}`
            : "a command must be a JSON object with a _tag"
      })
    )
  }
  switch (family) {
    case "membership":
      return Effect.map(decoders.membership(input), (command) => ({ family, command }))
    case "agreement":
      return Effect.map(decoders.agreement(input), (command) => ({ family, command }))
    case "budget":
      return Effect.map(decoders.budget(input), (command) => ({ family, command }))
    case "application":
      return Effect.map(decoders.application(input), (command) => ({ family, command }))
    case "trip":
      return Effect.map(decoders.trip(input), (command) => ({ family, command }))
    case "population":
      return Effect.map(decoders.population(input), (command) => ({ family, command }))
    case "register":
      return Effect.map(decoders.register(input), (command) => ({ family, command }))
  }
}

const problemFinders = {
  membership: Command.problems(Membership.MembershipCommand),
  agreement: Command.problems(Agreement.AgreementCommand),
  budget: Command.problems(Budget.BudgetCommand),
  application: Command.problems(Application.ApplicationCommand),
  trip: Command.problems(Trip.TripCommand),
  population: Command.problems(Population.PopulationCommand),
  register: Command.problems(Register)
}

/**
 * Every problem of an input that {@link decode} refuses, not only the first: each missing,
 * mistyped, out-of-range or unknown field as its own error (an import reports a line in full, so
 * that one round of fixes is enough). Empty when the input decodes.
 *
 * @category constructors
 * @since 0.2.0
 */
export const problems = (input: unknown): ReadonlyArray<Command.CommandInputError> => {
  const tag =
    input !== null && typeof input === "object" && !Array.isArray(input)
      ? (input as { readonly _tag?: unknown })._tag
      : undefined
  const family = typeof tag === "string" ? familyByTag.get(tag) : undefined
  if (family === undefined) {
    // No command of that name: decode refuses it (one problem, the _tag), synchronously.
    return [Effect.runSync(Effect.flip(decode(input)))]
  }
  return problemFinders[family](input)
}

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

/**
 * The registry stream of a tenant: its actors, organisations, schemes and mappings, in one stream
 * of their own, tenant-scoped so that several tenants may share one store.
 *
 * @category constructors
 * @since 0.1.0
 */
export const registryStreamId = (tenant: string): string => `registry-${tenant}`

const register = (command: Register) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const toAppend = []
    for (const event of command.events) {
      const encoded = registryCatalog.encode(event)
      if (Result.isFailure(encoded)) return yield* Effect.fail(encoded.failure)
      toAppend.push({
        ...encoded.success,
        occurredAt: command.occurredAt,
        tenant: command.tenant,
        actor: command.actor,
        ...(command.idempotencyKey === undefined ? {} : { correlationId: command.idempotencyKey })
      })
    }
    return yield* store.append(registryStreamId(command.tenant), toAppend)
  })

/**
 * Handles a decoded command against the store.
 *
 * @category constructors
 * @since 0.1.0
 */
const handleDecided = (
  decoded: Decoded
): Effect.Effect<Omit<ExecuteResult, "idempotencyKey" | "alreadyRecorded">, CommandFailure, EventStore.EventStore> => {
  const tag = decoded.command._tag
  switch (decoded.family) {
    case "membership":
      return Effect.map(Membership.handle(decoded.command), (r) => resultOf(tag, [r.append]))
    case "agreement":
      return Effect.map(Agreement.handle(decoded.command), (r) => resultOf(tag, [r.append]))
    case "budget":
      return Effect.map(Budget.handle(decoded.command), (r) => resultOf(tag, [r.append]))
    case "application":
      // Grants and amendments go through the budget with the application (core's one entry point).
      return Effect.map(Grant.handleApplicationCommand(decoded.command), (appended) =>
        resultOf(tag, appended)
      )
    case "trip":
      return Effect.map(Trip.handle(decoded.command), (r) => resultOf(tag, [r.append]))
    case "population":
      return Effect.map(Population.handle(decoded.command), (r) => resultOf(tag, [r.append]))
    case "register":
      return Effect.map(register(decoded.command), (r) => resultOf(tag, [r]))
  }
}

// ─── Idempotency ─────────────────────────────────────────────────────────────────────────────

const MAX_KEY = 200

const bounded = (key: string): string =>
  key.length <= MAX_KEY ? key : `${key.slice(0, 150)}#${createHash("sha256").update(key).digest("hex").slice(0, 40)}`

// The registry entry's own id: the first *Id field of its payload (actorId, organisationId, …).
const entryId = (entry: RegistryEvent): string => {
  const id = Object.entries(entry).find(([k, v]) => k !== "_tag" && k.endsWith("Id") && typeof v === "string")
  return id === undefined ? "?" : String(id[1])
}

/**
 * The stream whose events say whether a command was recorded before: the stream the command
 * addresses (for a grant, its application's stream; for `Register`, the tenant's registry).
 *
 * @category constructors
 * @since 0.2.0
 */
export const primaryStreamOf = (decoded: Decoded): string => {
  switch (decoded.family) {
    case "membership":
      return Membership.streamIdOfCommand(decoded.command)
    case "agreement":
      return Agreement.streamIdOfCommand(decoded.command)
    case "budget":
      return Budget.streamIdOfCommand(decoded.command)
    case "application":
      return Application.streamIdOfCommand(decoded.command)
    case "trip":
      return Trip.streamIdOfCommand(decoded.command)
    case "population":
      return Population.streamIdOfCommand(decoded.command)
    case "register":
      return registryStreamId(decoded.command.tenant)
  }
}

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
 * @category constructors
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
  if (ONCE_PER_STREAM.has(command._tag)) return bounded(base)
  const fields = IDENTITY_FIELDS[command._tag]
  if (fields !== undefined) {
    const values = fields.map((f) => String((command as unknown as Record<string, unknown>)[f] ?? "-"))
    return bounded(`${base}/${values.join("/")}`)
  }
  const ref = "decisionRef" in command && typeof command.decisionRef === "string" ? command.decisionRef : command.occurredAt
  return bounded(`${base}/${ref}`)
}

// Facts that happen once in their stream: the stream names them (an application is granted or
// rejected once, a trip proposed once), so a changed case number or date is a conflict to show.
const ONCE_PER_STREAM: ReadonlySet<string> = new Set([
  "RecordAgreementIntent",
  "SignAgreement",
  "EndAgreement",
  "ReceiveApplication",
  "AssessApplication",
  "GrantProject",
  "GrantBusinessSupport",
  "GrantCommercialService",
  "RejectApplication",
  "CloseProject",
  "ProposeTrip",
  "EvaluateTrip",
  "CompleteTrip",
  "CancelTrip"
])

// Facts that recur in their stream, told apart by these fields rather than by date or case number.
const IDENTITY_FIELDS: Readonly<Record<string, ReadonlyArray<string>>> = {
  AssignMembershipRole: ["role", "body"],
  ChangeAgreementStatus: ["to", "occurredAt"],
  AllotAppropriation: ["appropriation"],
  ReserveBudget: ["applicationId"],
  ReleaseBudget: ["applicationId", "occurredAt"],
  DisbursePayment: ["paymentId"],
  ReportProject: ["reportId"],
  RecordPopulation: ["year"]
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
  recorded: ReadonlyArray<StoredEvent>
): { readonly field: string; readonly recorded: unknown; readonly given: unknown } | undefined => {
  const first = recorded[0]
  if (first === undefined) return undefined
  for (const field of ENVELOPE_FIELDS) {
    const was = field === "actor" ? first.actor : field === "decisionRef" ? first.decisionRef : first.occurredAt
    const now = field === "decisionRef" ? (input[field] ?? null) : input[field]
    if (canonical(was) !== canonical(now)) return { field, recorded: was, given: now }
  }
  const entries =
    input["_tag"] === "Register" && Array.isArray(input["events"])
      ? (input["events"] as ReadonlyArray<Record<string, unknown>>).map((e, i) => ({ prefix: `events.${i}.`, fields: e, only: i }))
      : [{ prefix: "", fields: input, only: -1 }]
  for (const { prefix, fields, only } of entries) {
    for (const [field, now] of Object.entries(fields)) {
      if (field === "_tag" || field === "idempotencyKey" || field === "tenant" || (ENVELOPE_FIELDS as ReadonlyArray<string>).includes(field)) continue
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
 * @category constructors
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
    if (decoded.family !== "register") {
      const allowed = RolePolicy.authorize(RolePolicy.defaultPolicy, decoded.command)
      if (Result.isFailure(allowed)) return yield* Effect.fail(allowed.failure)
    }
    const key = idempotencyKeyOf(decoded)
    const stored = yield* store.readStream(primaryStreamOf(decoded))
    const recorded = stored.filter((e) => keyOfCorrelation(e.correlationId) === key)
    const correlation = correlationOf(key, input)
    if (recorded.length > 0) {
      if (recorded.every((e) => e.correlationId === correlation)) {
        return { command: tag, idempotencyKey: key, alreadyRecorded: true, streams: [], events: [] }
      }
      const given = input !== null && typeof input === "object" ? (input as Record<string, unknown>) : {}
      const diff = firstDifference(given, recorded)
      return yield* Effect.fail(
        new IdempotencyConflict({
          command: tag,
          idempotencyKey: key,
          field: diff?.field ?? "(content)",
          value:
            diff === undefined
              ? `recorded with digest ${recorded[0]?.correlationId.slice(key.length + 1) ?? "?"}, given ${digestOf(input)}`
              : `${Command.showValue(diff.recorded)} when recorded, ${Command.showValue(diff.given)} now`,
          rule: "one key names one fact: give the correction as its own command (e.g. AmendGrant), or use a new idempotencyKey"
        })
      )
    }
    const keyed = { ...decoded, command: { ...decoded.command, idempotencyKey: correlation } } as Decoded
    const result = yield* handleDecided(keyed)
    return { ...result, idempotencyKey: key, alreadyRecorded: false }
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
 * @category constructors
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
 * @category constructors
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
