/**
 * What every command carries (actor and role, tenant, business date, and for decisions the case
 * number and deciding body), how commands are decoded from untrusted input, and the error bad
 * input gets.
 *
 * @since 0.1.0
 */
import { Effect, Schema, SchemaIssue } from "effect"
import type { CommandMetadata } from "../Decider.js"
import { Actor, CalendarDate, TenantId } from "../Envelope.js"
import { DecidingBody } from "../events/Common.js"

/**
 * A case number (*diarienummer*), e.g. `RUN 00060-2022`, `N2021/03079` or `Ä 2022–4019`:
 * 3–60 characters with at least one digit.
 *
 * @category schemas
 * @since 0.1.0
 */
export const DecisionRef = Schema.String.pipe(
  Schema.check(
    Schema.makeFilter((s: string) => s.trim().length >= 3 && s.length <= 60 && /\d/.test(s), {
      title: "DecisionRef",
      message: "a case number (diarienummer) must be 3–60 characters and contain a digit, e.g. RUN 00060-2022"
    })
  )
)

const hasControl = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x20 || c === 0x7f) return true
  }
  return false
}

/**
 * An idempotency key: names one business fact (e.g. `grant:RUN 00060-2022` or a key column of an
 * import), so that giving the same command twice records it once. 1–200 characters without
 * control characters.
 *
 * **Details**
 *
 * A command without one gets a key derived from what identifies it (see
 * `Commands.idempotencyKeyOf`). The key is stored as the `correlationId` of the events the command
 * causes, so the store itself remembers it: no side table.
 *
 * @category schemas
 * @since 0.2.0
 */
export const IdempotencyKey = Schema.String.pipe(
  Schema.check(
    Schema.makeFilter((s: string) => s.length >= 1 && s.length <= 200 && !hasControl(s), {
      title: "IdempotencyKey",
      message: "an idempotency key must be 1–200 characters without control characters"
    })
  )
)

/**
 * The fields every command carries.
 *
 * @category schemas
 * @since 0.1.0
 */
export const commandFields = {
  actor: Actor,
  tenant: TenantId,
  occurredAt: CalendarDate,
  idempotencyKey: Schema.optionalKey(IdempotencyKey)
}

/**
 * The fields a command that is a formal decision carries: the case number and the deciding body.
 *
 * @category schemas
 * @since 0.1.0
 */
export const decisionFields = {
  decisionRef: DecisionRef,
  decidingBody: DecidingBody
}

/**
 * The same, optional: for relations recorded after the fact whose case number is unknown
 * (UBC 2003, the old twin towns).
 *
 * @category schemas
 * @since 0.1.0
 */
export const optionalDecisionFields = {
  decisionRef: Schema.optionalKey(DecisionRef),
  decidingBody: Schema.optionalKey(DecidingBody)
}

/**
 * The common shape of a decoded command.
 *
 * @category models
 * @since 0.1.0
 */
export interface CommandBase {
  readonly _tag: string
  readonly actor: Actor
  readonly tenant: string
  readonly occurredAt: string
  readonly decisionRef?: string
  readonly idempotencyKey?: string
}

/**
 * The envelope metadata of the events a command causes.
 *
 * @category utils
 * @since 0.1.0
 */
export const metadataOf = (command: CommandBase): CommandMetadata => ({
  tenant: command.tenant,
  actor: command.actor,
  occurredAt: command.occurredAt,
  decisionRef: command.decisionRef ?? null,
  // The idempotency key travels as the correlation id of every event the command causes.
  ...(command.idempotencyKey === undefined ? {} : { correlationId: command.idempotencyKey })
})

/**
 * Untrusted input could not be decoded into a command. Names the field (a dotted path), the value
 * found there and the rule it broke; nothing is decided and nothing is written.
 *
 * @category errors
 * @since 0.1.0
 */
export class CommandInputError extends Schema.TaggedError<CommandInputError>()("CommandInputError", {
  command: Schema.String,
  field: Schema.String,
  value: Schema.String,
  rule: Schema.String
}) {
  override get message(): string {
    return `invalid ${this.command} command: field "${this.field}" has value ${this.value}, but ${this.rule}`
  }
}

const show = (value: unknown): string => {
  if (value === undefined) return "(missing)"
  try {
    const text = JSON.stringify(value)
    if (text === undefined) return String(value)
    return text.length > 120 ? `${text.slice(0, 117)}...` : text
  } catch {
    return String(value)
  }
}

const formatLeaf = SchemaIssue.makeFormatterDefault()

// The first failing leaf of an issue tree, with the path that leads to it.
const firstLeaf = (
  issue: SchemaIssue.Issue,
  path: ReadonlyArray<PropertyKey>
): { readonly path: ReadonlyArray<PropertyKey>; readonly issue: SchemaIssue.Issue } => {
  switch (issue._tag) {
    case "Pointer":
      return firstLeaf(issue.issue, [...path, ...issue.path])
    case "Composite":
    case "AnyOf": {
      const first = issue.issues[0]
      return first === undefined ? { path, issue } : firstLeaf(first, path)
    }
    case "Encoding":
      return firstLeaf(issue.issue, path)
    default:
      return { path, issue }
  }
}

// Every failing leaf of an issue tree (of a union, the alternatives of the case that was tried
// first: they are other readings of the input, not further problems of it).
const allLeaves = (
  issue: SchemaIssue.Issue,
  path: ReadonlyArray<PropertyKey>,
  out: Array<{ readonly path: ReadonlyArray<PropertyKey>; readonly issue: SchemaIssue.Issue }>
): void => {
  switch (issue._tag) {
    case "Pointer":
      allLeaves(issue.issue, [...path, ...issue.path], out)
      return
    case "Composite":
      for (const inner of issue.issues) allLeaves(inner, path, out)
      return
    case "AnyOf": {
      const first = issue.issues[0]
      if (first === undefined) out.push({ path, issue })
      else allLeaves(first, path, out)
      return
    }
    case "Encoding":
      allLeaves(issue.issue, path, out)
      return
    default:
      out.push({ path, issue })
  }
}

const valueAt = (input: unknown, path: ReadonlyArray<PropertyKey>): unknown => {
  let current: unknown = input
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined
    current = (current as Record<PropertyKey, unknown>)[key]
  }
  return current
}

/**
 * Turns a schema issue on `input` into a {@link CommandInputError}.
 *
 * @category utils
 * @since 0.1.0
 */
export const inputErrorFromIssue = (
  command: string,
  input: unknown,
  issue: SchemaIssue.Issue,
  knownFields?: ReadonlyArray<string>
): CommandInputError => fromLeaf(command, input, firstLeaf(issue, []), knownFields)

const fromLeaf = (
  command: string,
  input: unknown,
  leaf: { readonly path: ReadonlyArray<PropertyKey>; readonly issue: SchemaIssue.Issue },
  knownFields: ReadonlyArray<string> | undefined
): CommandInputError => {
  const field = leaf.path.length === 0 ? "(command)" : leaf.path.map(String).join(".")
  const last = leaf.path[leaf.path.length - 1]
  const rule =
    leaf.issue._tag === "UnexpectedKey"
      ? unknownFieldRule(command, String(last), leaf.path.length === 1 ? knownFields : undefined)
      : formatLeaf(leaf.issue).replaceAll("\n", " ")
  return new CommandInputError({ command, field, value: show(valueAt(input, leaf.path)), rule })
}

/**
 * Every problem of `input` against `schema` — each field that is missing, of the wrong type,
 * out of range or unknown — as one {@link CommandInputError} each, in field order. Empty when the
 * input decodes. Slower than {@link decoder} (it does not stop at the first problem): for
 * reporting a refused line in full, after the decoder has refused it.
 *
 * @example
 * ```ts
 * import { Command, Membership } from "@utblick/core"
 * const problems = Command.problems(Membership.MembershipCommand)
 * problems({ _tag: "SignMembership", decisonRef: "KS 1" }).map((e) => e.field)
 * // ["actor", "tenant", …, "decisonRef"]
 * ```
 *
 * @category utils
 * @since 0.2.0
 */
export const problems = <A, I>(schema: Schema.Codec<A, I>) => {
  const decode = Schema.decodeUnknownResult(schema, { errors: "all", onExcessProperty: "error" })
  return (input: unknown): ReadonlyArray<CommandInputError> => {
    const result = decode(input)
    if (result._tag === "Success") return []
    const tag =
      input !== null && typeof input === "object" && typeof (input as { _tag?: unknown })._tag === "string"
        ? (input as { _tag: string })._tag
        : "unknown"
    const leaves: Array<{ readonly path: ReadonlyArray<PropertyKey>; readonly issue: SchemaIssue.Issue }> = []
    allLeaves(result.failure.issue, [], leaves)
    const known = fieldsOf(schema, tag)
    return leaves.map((leaf) => fromLeaf(tag, input, leaf, known))
  }
}

// Edit distance, for "did you mean" on a misspelt field (decisonRef → decisionRef).
const distance = (a: string, b: string): number => {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const next = [i]
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(
        (prev[j] as number) + 1,
        (next[j - 1] as number) + 1,
        (prev[j - 1] as number) + (a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1)
      )
    }
    prev = next
  }
  return prev[b.length] as number
}

const unknownFieldRule = (command: string, key: string, known: ReadonlyArray<string> | undefined): string => {
  const base = `${command} has no field "${key}" (unknown fields are refused, not ignored)`
  if (known === undefined || known.length === 0) return base
  const best = [...known].sort((a, b) => distance(key, a) - distance(key, b))[0] as string
  return distance(key, best) <= Math.max(2, Math.floor(key.length / 4))
    ? `${base}; did you mean "${best}"?`
    : `${base}; its fields are ${known.filter((k) => k !== "_tag").join(", ")}`
}

// The field names of a struct, or of the case a tagged union picks by `_tag`.
const fieldsOf = (schema: unknown, tag: string): ReadonlyArray<string> | undefined => {
  const s = schema as { readonly cases?: Record<string, { readonly fields?: object }>; readonly fields?: object }
  const fields = s.cases?.[tag]?.fields ?? s.fields
  return fields === undefined ? undefined : Object.keys(fields)
}

/**
 * Builds a decoder from untrusted input (JSON from an API, a CLI, an import) to a command.
 * Strict: a field the command does not have (a typo such as `decisonRef` or `amountAplied`) is
 * refused, never silently dropped.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Command, Membership } from "@utblick/core"
 * const decode = Command.decoder(Membership.MembershipCommand)
 * Effect.runSync(Effect.flip(decode({ _tag: "SignMembership" }))).field // "actor"
 * ```
 *
 * @category encoding
 * @since 0.1.0
 */
export const decoder = <A, I>(schema: Schema.Codec<A, I>) => {
  const decode = Schema.decodeUnknownResult(schema, { errors: "first", onExcessProperty: "error" })
  return (input: unknown): Effect.Effect<A, CommandInputError> => {
    const result = decode(input)
    if (result._tag === "Success") return Effect.succeed(result.success)
    const tag =
      input !== null && typeof input === "object" && typeof (input as { _tag?: unknown })._tag === "string"
        ? (input as { _tag: string })._tag
        : "unknown"
    return Effect.fail(inputErrorFromIssue(tag, input, result.failure.issue, fieldsOf(schema, tag)))
  }
}

/**
 * The fields of a refusal: which field of the command, its value, and the rule that refused it
 * (an idempotency conflict's, and every `DomainError` reason's).
 *
 * @category schemas
 * @since 0.1.0
 */
export const ruleFields = {
  field: Schema.String,
  value: Schema.String,
  rule: Schema.String
}

/**
 * Renders a value for an error message.
 *
 * @category formatting
 * @since 0.1.0
 */
export const showValue = (value: unknown): string => show(value)
