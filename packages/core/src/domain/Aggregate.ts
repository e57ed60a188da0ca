/**
 * An aggregate declared once. {@link make} takes what is particular to one aggregate — its
 * commands, its events, the stream a command addresses, who may give each command, and the
 * pure `initialState` / `evolve` / `decide` — and derives everything that used to be written out
 * by hand in each aggregate's module: the decider under a role policy, the command handler that
 * loads, decides, appends and retries, the strict decoder and the problem finder of its commands.
 *
 * `Domain.make` then takes a list of aggregates and derives the domain's dispatch, role policy,
 * catalogue and command types from it (ADR 0037).
 *
 * @since 0.2.0
 */
import { Effect, Result, type Schema } from "effect"
import type { AppendResult } from "../AppendPlanner.js"
import * as Decider from "../Decider.js"
import type { EventCatalog, EventDecodeError, EventEncodeError } from "../EventCatalog.js"
import type { EventStore } from "../EventStore.js"
import type { EventStoreError } from "../EventStoreError.js"
import * as Command from "./Command.js"
import * as RolePolicy from "./RolePolicy.js"

/**
 * Who may give each command of an aggregate: one entry per command tag, so a misspelt or missing
 * tag is a compile error rather than a command that nobody may give.
 *
 * @category models
 * @since 0.2.0
 */
export type Roles<C extends { readonly _tag: string }> = {
  readonly [K in C["_tag"]]: ReadonlyArray<RolePolicy.Role> | typeof RolePolicy.anyone
}

/**
 * How a command of the aggregate is recognised when it is given again (its idempotency key, see
 * `Commands.idempotencyKeyOf`): `"once"` for facts that happen once in their stream (a grant, a
 * signature), or the fields that tell recurring facts apart (a payment's `paymentId`). A command
 * not listed is told apart by its case number, or else its business date.
 *
 * @category models
 * @since 0.2.0
 */
export type Identity<C extends { readonly _tag: string }> = {
  readonly [K in C["_tag"]]?: "once" | ReadonlyArray<Exclude<keyof Extract<C, { readonly _tag: K }>, symbol>>
}

/**
 * What one aggregate declares.
 *
 * @category models
 * @since 0.2.0
 */
export interface Declaration<Name extends string, C extends Command.CommandBase, I, E extends { readonly _tag: string }, S, Err> {
  /** The aggregate's name, also its family in dispatch (`membership`, `application`, …). */
  readonly name: Name
  /** The schema of its commands (a tagged union): decoding, problems and the input type come from it. */
  readonly commands: Schema.Codec<C, I>
  /** The catalogue of the events it writes. */
  readonly events: EventCatalog<E>
  /** The stream a command addresses. */
  readonly streamOf: (command: C) => string
  /** The roles that may give each command under the default policy. */
  readonly roles: Roles<C>
  /** How a command given twice is recognised (see {@link Identity}). */
  readonly identity?: Identity<C>
  readonly initialState: () => S
  readonly evolve: (state: S, event: E) => S
  /** The rules, for a command whose actor is already authorised. */
  readonly decide: (command: C, state: S) => Effect.Effect<ReadonlyArray<E>, Err>
}

/**
 * What handling a command can fail with: the aggregate's rules, the role policy, or the store.
 *
 * @category errors
 * @since 0.2.0
 */
export type Failure<Err> = Err | RolePolicy.NotAuthorized | EventStoreError | EventDecodeError | EventEncodeError

/**
 * An aggregate: its declaration and everything derived from it.
 *
 * @category models
 * @since 0.2.0
 */
export interface Aggregate<Name extends string, C extends Command.CommandBase, I, E extends { readonly _tag: string }, S, Err>
  extends Declaration<Name, C, I, E, S, Err> {
  /** The tags of its commands. */
  readonly tags: ReadonlyArray<C["_tag"]>
  /** Its roles as a role policy. */
  readonly policy: RolePolicy.RolePolicy
  /** Decides under a role policy: the actor's role first, then the rules. */
  readonly decideWith: (
    policy: RolePolicy.RolePolicy
  ) => (command: C, state: S) => Effect.Effect<ReadonlyArray<E>, Err | RolePolicy.NotAuthorized>
  /** The decider under a role policy. */
  readonly makeDecider: (policy: RolePolicy.RolePolicy) => Decider.Decider<C, E, S, Err | RolePolicy.NotAuthorized>
  /** The decider under the aggregate's own roles. */
  readonly decider: Decider.Decider<C, E, S, Err | RolePolicy.NotAuthorized>
  /** Handles a command against the store and returns what was appended, per stream. */
  readonly handle: (command: C) => Effect.Effect<ReadonlyArray<AppendResult>, Failure<Err>, EventStore>
  /** Decodes untrusted input into one of its commands (strict: unknown fields are refused). */
  readonly decode: (input: unknown) => Effect.Effect<C, Command.CommandInputError>
  /** Every problem of an input that {@link Aggregate.decode} refuses. */
  readonly problems: (input: unknown) => ReadonlyArray<Command.CommandInputError>
}

/**
 * Any aggregate, for code that handles a list of them (`Domain.make`).
 *
 * @category models
 * @since 0.2.0
 */
export interface Any {
  readonly name: string
  readonly tags: ReadonlyArray<string>
  readonly roles: Readonly<Record<string, ReadonlyArray<string>>>
  readonly identity?: Readonly<Record<string, "once" | ReadonlyArray<string>>>
  readonly streamOf: (command: never) => string
  readonly handle: (command: never) => Effect.Effect<ReadonlyArray<AppendResult>, unknown, EventStore>
  readonly decode: (input: unknown) => Effect.Effect<Command.CommandBase, Command.CommandInputError>
  readonly problems: (input: unknown) => ReadonlyArray<Command.CommandInputError>
}

/**
 * The commands of an aggregate.
 *
 * @category models
 * @since 0.2.0
 */
export type CommandOf<A> = A extends { readonly commands: Schema.Codec<infer C, infer _I> } ? C : never

/**
 * The input (JSON) form of an aggregate's commands.
 *
 * @category models
 * @since 0.2.0
 */
export type InputOf<A> = A extends { readonly commands: Schema.Codec<infer _C, infer I> } ? I : never

/**
 * What handling an aggregate's commands can fail with.
 *
 * @category models
 * @since 0.2.0
 */
export type FailureOf<A> = A extends { readonly handle: (command: never) => Effect.Effect<infer _R, infer F, infer _Q> } ? F : never

/**
 * Declares an aggregate.
 *
 * @example
 * ```ts
 * import { Effect, Schema } from "effect"
 * import { Aggregate, Command, EventCatalog } from "@utblick/core"
 *
 * const Tally = Schema.TaggedUnion({ CountVisit: { ...Command.commandFields, place: Schema.String } })
 * const Visited = Schema.TaggedStruct("Visited", { place: Schema.String })
 * const tally = Aggregate.make({
 *   name: "tally",
 *   commands: Tally,
 *   events: EventCatalog.make([EventCatalog.define(Visited, "Visited")]),
 *   streamOf: (command) => `tally-${command.place}`,
 *   roles: { CountVisit: ["officer"] },
 *   initialState: () => 0,
 *   evolve: (count) => count + 1,
 *   decide: (command) => Effect.succeed([Visited.make({ place: command.place })])
 * })
 * tally.tags // ["CountVisit"]
 * ```
 *
 * @category constructors
 * @since 0.2.0
 */
export const make = <Name extends string, C extends Command.CommandBase, I, E extends { readonly _tag: string }, S, Err>(
  declaration: Declaration<Name, C, I, E, S, Err>
): Aggregate<Name, C, I, E, S, Err> => {
  const cases = (declaration.commands as unknown as { readonly cases?: Readonly<Record<string, unknown>> }).cases
  const tags = Object.keys(cases ?? declaration.roles) as ReadonlyArray<C["_tag"]>
  const policy: RolePolicy.RolePolicy = declaration.roles
  const decideWith =
    (policy: RolePolicy.RolePolicy) =>
    (command: C, state: S): Effect.Effect<ReadonlyArray<E>, Err | RolePolicy.NotAuthorized> => {
      const allowed = RolePolicy.authorize(policy, command)
      return Result.isFailure(allowed) ? Effect.fail(allowed.failure) : declaration.decide(command, state)
    }
  const makeDecider = (policy: RolePolicy.RolePolicy) =>
    Decider.make<C, E, S, Err | RolePolicy.NotAuthorized>({
      name: declaration.name,
      initialState: declaration.initialState,
      evolve: declaration.evolve,
      decide: decideWith(policy)
    })
  const decider = makeDecider(policy)
  const handler = Decider.makeCommandHandler({
    decider,
    catalog: declaration.events,
    streamId: declaration.streamOf,
    metadata: Command.metadataOf
  })
  return {
    ...declaration,
    tags,
    policy,
    decideWith,
    makeDecider,
    decider,
    handle: (command) => Effect.map(handler(command), (result) => [result.append]),
    decode: Command.decoder(declaration.commands),
    problems: Command.problems(declaration.commands)
  }
}

/**
 * The same aggregate with another way of handling its commands: for a workflow that writes
 * more than the aggregate's own stream (a grant reserves money in the year's budget in the same
 * append, see `Grant`). Decoding, roles and rules stay the aggregate's.
 *
 * @category combinators
 * @since 0.2.0
 */
export const withHandler = <Name extends string, C extends Command.CommandBase, I, E extends { readonly _tag: string }, S, Err, Err2>(
  aggregate: Aggregate<Name, C, I, E, S, Err>,
  handle: (command: C) => Effect.Effect<ReadonlyArray<AppendResult>, Err2, EventStore>
): WithHandler<Aggregate<Name, C, I, E, S, Err>, C, Err2> => ({ ...aggregate, handle })

/**
 * An aggregate whose commands are handled by a workflow of its own (see {@link withHandler}).
 *
 * @category models
 * @since 0.2.0
 */
export type WithHandler<A, C, Err2> = Omit<A, "handle"> & {
  readonly handle: (command: C) => Effect.Effect<ReadonlyArray<AppendResult>, Err2, EventStore>
}
