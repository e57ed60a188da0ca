import { fc, test } from "@fast-check/vitest"
import { Events } from "@utblick/core"
import { Arbitraries } from "@utblick/core/testing"
import { Result, Schema, type SchemaAST } from "effect"
import { describe, expect, it } from "vitest"
import * as FastGuard from "../src/internal/FastGuard.js"
import { examples } from "./domain/examples.js"

const definitions = [...Events.eventCatalog.definitions.values()]
const astOf = (schema: unknown) => (schema as { readonly ast: SchemaAST.AST }).ast

// A mutation of a valid encoded event: drop a key, replace a value (deeply), add a key, or keep it.
const mutate = (value: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> =>
  fc.oneof(
    fc.constant(value),
    fc.constantFrom(...Object.keys(value)).map((k) => {
      const { [k]: _dropped, ...rest } = value
      return rest
    }),
    fc.tuple(fc.constantFrom(...Object.keys(value)), fc.oneof(fc.jsonValue(), fc.anything())).map(([k, v]) => ({ ...value, [k]: v })),
    fc.tuple(fc.string(), fc.jsonValue()).map(([k, v]) => ({ ...value, [k]: v })),
    fc.constantFrom(...Object.keys(value)).chain((k) =>
      typeof value[k] === "object" && value[k] !== null && !Array.isArray(value[k])
        ? mutate(value[k] as Record<string, unknown>).map((inner) => ({ ...value, [k]: inner }))
        : fc.constant(value)
    )
  )

describe("the compiled fast guard", () => {
  it("compiles for every event type of the catalogue (so replays use it)", () => {
    const missing = definitions.filter((d) => FastGuard.compile(astOf(d.schema)) === undefined).map((d) => d.tag)
    expect(missing).toEqual([])
  })

  for (const definition of definitions) {
    const guard = FastGuard.compile(astOf(definition.schema)) as FastGuard.Guard
    const decode = Schema.decodeUnknownResult(definition.schema as Schema.Codec<unknown>)
    const encode = Schema.encodeSync(definition.schema as Schema.Codec<unknown>)
    // Bases: the committed golden example of the type, and generated values where Effect's own
    // generator can sample the schema (it cannot for filtered date strings such as CalendarDate).
    const golden = examples.find((e) => (e as { _tag: string })._tag === definition.tag) as Record<string, unknown>
    let generated: fc.Arbitrary<Record<string, unknown>> | undefined = Arbitraries.fromSchema(definition.schema).map(
      (event) => JSON.parse(JSON.stringify(encode(event))) as Record<string, unknown>
    )
    try {
      fc.sample(generated, 1)
    } catch {
      generated = undefined
    }
    const base = generated === undefined ? fc.constant(golden) : fc.oneof(fc.constant(golden), generated)
    test.prop([base.chain(mutate)], { numRuns: 200 })(`${definition.tag}: never accepts what the decoder refuses, and agrees on what it accepts`, (candidate) => {
      const decoded = decode(candidate)
      if (guard(candidate)) {
        expect(Result.isSuccess(decoded)).toBe(true)
        expect(Result.isSuccess(decoded) && decoded.success).toEqual(candidate)
      }
    })
  }

  test.prop([fc.anything()], { numRuns: 300 })("refuses arbitrary garbage that the decoder refuses", (garbage) => {
    for (const definition of definitions) {
      const guard = FastGuard.compile(astOf(definition.schema)) as FastGuard.Guard
      if (guard(garbage)) {
        expect(Result.isSuccess(Schema.decodeUnknownResult(definition.schema as Schema.Codec<unknown>)(garbage))).toBe(true)
      }
    }
  })

  it("accepts every golden example: the fast path is taken for real events", () => {
    const refused = definitions.filter((d) => {
      const guard = FastGuard.compile(astOf(d.schema)) as FastGuard.Guard
      const golden = examples.find((e) => (e as { _tag: string })._tag === d.tag)
      return !guard(golden)
    })
    expect(refused.map((d) => d.tag)).toEqual([])
  })
})
