/**
 * The catalogue of event types a program knows: for each `_tag`, its schema, its current
 * version and the upcasters that bring older stored versions up to date.
 *
 * Events are encoded once on the way in (schema → JSON payload, `_tag` moved to the envelope's
 * `type`) and decoded on the way out (upcast, then validated by the schema). Stored events are
 * never rewritten: an old version stays old on disk and is upcast every time it is read.
 *
 * @since 0.1.0
 */
import { Data, Result, Schema, type SchemaAST, SchemaIssue } from "effect"
import type { JsonObject } from "./CanonicalJson.js"
import type { StoredEvent } from "./Envelope.js"
import * as FastGuard from "./internal/FastGuard.js"

/**
 * A schema of one event: a tagged struct whose encoded form is plain JSON.
 *
 * @category models
 * @since 0.1.0
 */
export type EventSchema = Schema.Codec<{ readonly _tag: string }, { readonly _tag: string }>

/**
 * Rewrites the JSON payload of version `n` into version `n + 1`.
 *
 * @category models
 * @since 0.1.0
 */
export type Upcaster = (payload: JsonObject) => JsonObject

/**
 * One entry of the catalogue.
 *
 * @category models
 * @since 0.1.0
 */
export interface EventDefinition<S extends EventSchema = EventSchema> {
  readonly tag: S["Type"]["_tag"]
  readonly schema: S
  /** The current version, written on every new event (starts at 1). */
  readonly version: number
  /** `upcasters[n]` turns a version-`n` payload into version `n + 1`. */
  readonly upcasters: Readonly<Record<number, Upcaster>>
}

/**
 * Declares an event type for the catalogue.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { EventCatalog } from "@utblick/core"
 *
 * const TripCancelled = Schema.TaggedStruct("TripCancelled", { tripId: Schema.String, reason: Schema.String })
 * const entry = EventCatalog.define(TripCancelled, "TripCancelled", {
 *   version: 2,
 *   upcasters: { 1: (p) => ({ ...p, reason: p["reason"] ?? "not recorded" }) }
 * })
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const define = <S extends EventSchema>(
  schema: S,
  tag: S["Type"]["_tag"],
  options: { readonly version?: number; readonly upcasters?: Readonly<Record<number, Upcaster>> } = {}
): EventDefinition<S> => {
  const version = options.version ?? 1
  const upcasters = options.upcasters ?? {}
  for (let v = 1; v < version; v++) {
    if (upcasters[v] === undefined) {
      throw new Error(`event ${tag} is at version ${version} but has no upcaster from version ${v}`)
    }
  }
  return { tag, schema, version, upcasters }
}

/**
 * A stored event could not be turned into a domain event: unknown type, a version newer than
 * this program, or a payload that fails its schema.
 *
 * @category errors
 * @since 0.1.0
 */
export class EventDecodeError extends Data.TaggedError("EventDecodeError")<{
  readonly position: number
  readonly streamId: string
  readonly type: string
  readonly schemaVersion: number
  readonly detail: string
}> {
  override get message(): string {
    return `event at position ${this.position} (stream "${this.streamId}", ${this.type} v${this.schemaVersion}) cannot be decoded: ${this.detail}`
  }
}

/**
 * A domain event could not be encoded for storage because it does not satisfy its schema.
 *
 * @category errors
 * @since 0.1.0
 */
export class EventEncodeError extends Data.TaggedError("EventEncodeError")<{
  readonly type: string
  readonly detail: string
}> {
  override get message(): string {
    return `event ${this.type} cannot be stored: ${this.detail}`
  }
}

/**
 * The encoded form of a domain event, ready to go into an envelope.
 *
 * @category models
 * @since 0.1.0
 */
export interface EncodedEvent {
  readonly type: string
  readonly schemaVersion: number
  readonly payload: JsonObject
}

/**
 * A catalogue of event types with the union `E` of their domain values.
 *
 * @category models
 * @since 0.1.0
 */
export interface EventCatalog<E extends { readonly _tag: string }> {
  readonly definitions: ReadonlyMap<string, EventDefinition>
  /** Whether `type` is in the catalogue. */
  readonly has: (type: string) => boolean
  /** Encodes a domain event, validating it against its schema first. */
  readonly encode: (event: E) => Result.Result<EncodedEvent, EventEncodeError>
  /** Upcasts and decodes the payload of a stored event. */
  readonly decode: (stored: StoredEvent) => Result.Result<E, EventDecodeError>
  /** Merges with another catalogue. */
  readonly concat: <F extends { readonly _tag: string }>(other: EventCatalog<F>) => EventCatalog<E | F>
}

// A kept event carries two hidden slots: the catalogue that last decoded it and the value it
// decoded to. Reading a property of the event costs a few nanoseconds; the weak maps this replaced
// cost two hash probes per event (a quarter of a warm rebuild). Symbol keys and non-enumerable
// descriptors keep the slots out of `Object.keys`, spreads, JSON and equality checks.
const DECODED_BY = Symbol("decodedBy")
const DECODED = Symbol("decoded")

interface KeptEvent extends StoredEvent {
  [DECODED_BY]: object | null
  [DECODED]: unknown
}

const isKept = (event: StoredEvent): event is KeptEvent => DECODED_BY in event

/**
 * Marks a stored event object as kept by its store and handed out unchanged on every read, so
 * catalogues may remember its decoded value (ADR 0009). The memory store marks its events.
 *
 * @category utils
 * @since 0.1.0
 */
export const markKept = (event: StoredEvent): void => {
  // Marking twice keeps what a catalogue already remembered.
  if (isKept(event)) return
  Object.defineProperty(event, DECODED_BY, { value: null, writable: true, enumerable: false })
  Object.defineProperty(event, DECODED, { value: undefined, writable: true, enumerable: false })
}

const formatIssue = SchemaIssue.makeFormatterDefault()

const explain = (error: unknown): string => {
  if (Schema.isSchemaError(error)) return formatIssue(error.issue).replaceAll("\n", " ")
  return error instanceof Error ? error.message : String(error)
}

interface CompiledDefinition {
  readonly definition: EventDefinition
  /** Builds the event from a payload the decoder would accept unchanged, when the schema allows (FastGuard). */
  readonly tagged: FastGuard.Tagged | undefined
  readonly decodeUnknown: (input: unknown) => Result.Result<{ readonly _tag: string }, Schema.SchemaError>
  readonly encode: (input: unknown) => Result.Result<{ readonly _tag: string }, Schema.SchemaError>
}

const compile = (definition: EventDefinition): CompiledDefinition => ({
  definition,
  tagged: FastGuard.compileTagged((definition.schema as unknown as { readonly ast: SchemaAST.AST }).ast, definition.tag),
  decodeUnknown: Schema.decodeUnknownResult(definition.schema as Schema.Codec<{ readonly _tag: string }>, {
    errors: "first",
    // The value belongs in the message: "got \"mars\"" is what lets a person find the bad row.
    reportInput: true
  }),
  encode: Schema.encodeUnknownResult(definition.schema as Schema.Codec<{ readonly _tag: string }>)
})

const decodeError = (stored: StoredEvent, detail: string): EventDecodeError =>
  new EventDecodeError({
    position: stored.position,
    streamId: stored.streamId,
    type: stored.type,
    schemaVersion: stored.schemaVersion,
    detail
  })

const fromCompiled = <E extends { readonly _tag: string }>(
  compiled: ReadonlyMap<string, CompiledDefinition>
): EventCatalog<E> => {
  // Stored events are immutable and decoding is deterministic, so an object decoded once need not
  // be decoded again: the memory store hands out the same objects on every read. Only objects a
  // store marked as kept (see `markKept`) remember their value, in their own slot, which belongs
  // to the catalogue that filled it last; durable stores build fresh objects per read.
  const definitions = new Map<string, EventDefinition>()
  for (const [tag, c] of compiled) definitions.set(tag, c.definition)
  const catalog: EventCatalog<E> = {
    definitions,
    has: (type) => compiled.has(type),
    encode: (event) => {
      const entry = compiled.get(event._tag)
      if (entry === undefined) {
        return Result.fail(new EventEncodeError({ type: event._tag, detail: "the type is not in the event catalogue" }))
      }
      const encoded = entry.encode(event)
      if (Result.isFailure(encoded)) {
        return Result.fail(new EventEncodeError({ type: event._tag, detail: explain(encoded.failure) }))
      }
      const { _tag, ...payload } = encoded.success as { readonly _tag: string } & JsonObject
      return Result.succeed({ type: _tag, schemaVersion: entry.definition.version, payload: payload as JsonObject })
    },
    decode: (stored) => {
      const kept = isKept(stored) ? stored : undefined
      if (kept !== undefined && kept[DECODED_BY] === catalog) return Result.succeed(kept[DECODED] as E)
      const entry = compiled.get(stored.type)
      if (entry === undefined) return Result.fail(decodeError(stored, "the type is not in the event catalogue"))
      const { definition } = entry
      if (stored.schemaVersion > definition.version) {
        return Result.fail(
          decodeError(stored, `this program knows ${stored.type} only up to version ${definition.version}; upgrade it`)
        )
      }
      let payload = stored.payload
      for (let v = stored.schemaVersion; v < definition.version; v++) {
        payload = (definition.upcasters[v] as Upcaster)(payload)
      }
      // The compiled builder runs the schema's own checks on the payload without the general
      // decoder and builds the event the decoder would return. Anything it refuses takes the full
      // path, which also produces the error message.
      let value: unknown = entry.tagged?.(payload)
      if (value === undefined) {
        const result = entry.decodeUnknown({ _tag: stored.type, ...payload })
        if (Result.isFailure(result)) return Result.fail(decodeError(stored, explain(result.failure)))
        value = result.success
      }
      if (kept !== undefined) {
        kept[DECODED_BY] = catalog
        kept[DECODED] = value
      }
      return Result.succeed(value as unknown as E)
    },
    concat: <F extends { readonly _tag: string }>(other: EventCatalog<F>) => {
      const merged = new Map(compiled)
      for (const [tag, definition] of other.definitions) {
        if (merged.has(tag)) throw new Error(`event type ${tag} is defined twice`)
        merged.set(tag, compile(definition))
      }
      return fromCompiled<E | F>(merged)
    }
  }
  return catalog
}

/**
 * Builds a catalogue from event definitions.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = <const Defs extends ReadonlyArray<EventDefinition<EventSchema>>>(
  definitions: Defs
): EventCatalog<Defs[number]["schema"]["Type"]> => {
  const compiled = new Map<string, CompiledDefinition>()
  for (const definition of definitions) {
    if (compiled.has(definition.tag)) throw new Error(`event type ${definition.tag} is defined twice`)
    compiled.set(definition.tag, compile(definition as EventDefinition))
  }
  return fromCompiled(compiled)
}
