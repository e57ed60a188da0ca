/**
 * A domain as one list of aggregates. {@link make} derives from the list what used to be kept by
 * hand beside it: the command tags and which aggregate handles each, strict decoding by `_tag`,
 * the problem finder, dispatch, the stream a command addresses, the role policy, the idempotency
 * identity of each command and the types `Decoded`, `InputOf` and `FailureOf` (ADR 0037).
 *
 * Adding an aggregate is its own module and one entry in the list (`Commands.domain`).
 *
 * @since 0.2.0
 */
import { Effect } from "effect"
import type { AppendResult } from "../AppendPlanner.js"
import type { EventStore } from "../EventStore.js"
import type * as Aggregate from "./Aggregate.js"
import * as Command from "./Command.js"
import type * as RolePolicy from "./RolePolicy.js"

/**
 * A command decoded and ready to handle, with the name of the aggregate that handles it.
 *
 * @category models
 * @since 0.2.0
 */
export type Decoded<As extends ReadonlyArray<Aggregate.Any>> = {
  readonly [K in keyof As]: { readonly family: As[K]["name"]; readonly command: Aggregate.CommandOf<As[K]> }
}[number]

/**
 * The input (JSON) form of every command of a domain.
 *
 * @category models
 * @since 0.2.0
 */
export type InputOf<As extends ReadonlyArray<Aggregate.Any>> = Aggregate.InputOf<As[number]>

/**
 * What handling any command of a domain can fail with (besides bad input).
 *
 * @category models
 * @since 0.2.0
 */
export type FailureOf<As extends ReadonlyArray<Aggregate.Any>> = Aggregate.FailureOf<As[number]>

/**
 * A domain: its aggregates and what is derived from them.
 *
 * @category models
 * @since 0.2.0
 */
export interface Domain<As extends ReadonlyArray<Aggregate.Any>> {
  readonly aggregates: As
  /** Every command tag, in the order of the aggregates. */
  readonly commandTags: ReadonlyArray<string>
  /** The default role policy: every aggregate's roles. */
  readonly policy: RolePolicy.RolePolicy
  /** The aggregate that handles a command tag. */
  readonly aggregateOf: (tag: string) => As[number] | undefined
  /** How a command given twice is recognised (`"once"`, its identity fields, or `undefined`). */
  readonly identityOf: (tag: string) => "once" | ReadonlyArray<string> | undefined
  /**
   * Decodes untrusted input: the `_tag` picks the schema, so a bad field is reported against that
   * command's rules rather than as "matches none of 28 commands".
   */
  readonly decode: (input: unknown) => Effect.Effect<Decoded<As>, Command.CommandInputError>
  /** Every problem of an input that {@link Domain.decode} refuses; empty when it decodes. */
  readonly problems: (input: unknown) => ReadonlyArray<Command.CommandInputError>
  /** The stream a command addresses. */
  readonly streamOf: (decoded: Decoded<As>) => string
  /** Handles a decoded command with its aggregate; what was appended, per stream. */
  readonly handle: (decoded: Decoded<As>) => Effect.Effect<ReadonlyArray<AppendResult>, FailureOf<As>, EventStore>
}

/**
 * Two aggregates of one domain declare the same command tag.
 *
 * @category errors
 * @since 0.2.0
 */
export class DuplicateCommandTag extends Error {
  readonly tag: string
  constructor(tag: string, first: string, second: string) {
    super(`the command tag "${tag}" is declared by both the ${first} and the ${second} aggregate`)
    this.tag = tag
  }
}

const isObject = (input: unknown): input is Readonly<Record<string, unknown>> =>
  input !== null && typeof input === "object" && !Array.isArray(input)

/**
 * Builds a domain from its aggregates.
 *
 * @throws {DuplicateCommandTag} when two aggregates declare the same command tag.
 *
 * @category constructors
 * @since 0.2.0
 */
export const make = <const As extends ReadonlyArray<Aggregate.Any>>(aggregates: As): Domain<As> => {
  const byTag = new Map<string, As[number]>()
  const policy: Record<string, ReadonlyArray<string>> = {}
  for (const aggregate of aggregates) {
    for (const tag of aggregate.tags) {
      const first = byTag.get(tag)
      if (first !== undefined) throw new DuplicateCommandTag(tag, first.name, aggregate.name)
      byTag.set(tag, aggregate)
      policy[tag] = aggregate.roles[tag] ?? []
    }
  }
  const commandTags = [...byTag.keys()]
  const aggregateOf = (tag: string) => (Object.hasOwn(policy, tag) ? byTag.get(tag) : undefined)

  const unknownTag = (input: unknown): Command.CommandInputError => {
    const tag = isObject(input) ? input["_tag"] : undefined
    return new Command.CommandInputError({
      command: typeof tag === "string" ? tag : "unknown",
      field: isObject(input) ? "_tag" : "(command)",
      value: Command.showValue(isObject(input) ? tag : input),
      rule: isObject(input)
        ? `a command must have a _tag naming one of: ${commandTags.join(", ")}`
        : "a command must be a JSON object with a _tag"
    })
  }
  const aggregateOfInput = (input: unknown): As[number] | undefined => {
    const tag = isObject(input) ? input["_tag"] : undefined
    return typeof tag === "string" ? aggregateOf(tag) : undefined
  }
  // The aggregate of a decoded command: its tag was looked up when it was decoded.
  const owner = (decoded: Decoded<As>): As[number] => byTag.get((decoded.command as Command.CommandBase)._tag) as As[number]

  return {
    aggregates,
    commandTags,
    policy,
    aggregateOf,
    identityOf: (tag) => aggregateOf(tag)?.identity?.[tag],
    decode: (input) => {
      const aggregate = aggregateOfInput(input)
      if (aggregate === undefined) return Effect.fail(unknownTag(input))
      return Effect.map(aggregate.decode(input), (command) => ({ family: aggregate.name, command }) as Decoded<As>)
    },
    problems: (input) => {
      const aggregate = aggregateOfInput(input)
      return aggregate === undefined ? [unknownTag(input)] : aggregate.problems(input)
    },
    streamOf: (decoded) => (owner(decoded).streamOf as (command: unknown) => string)(decoded.command),
    handle: (decoded) =>
      (
        owner(decoded).handle as (
          command: unknown
        ) => Effect.Effect<ReadonlyArray<AppendResult>, FailureOf<As>, EventStore>
      )(decoded.command)
  }
}
