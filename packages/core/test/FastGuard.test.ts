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

describe("checks compiled from their representation", () => {
  // For plain schemas the compiled guard should be exact: it accepts precisely what the decoder
  // accepts, so a mistake in a compiled comparison (an off-by-one bound, a lost flag) shows here.
  const schemas: ReadonlyArray<readonly [string, Schema.Top]> = [
    ["int ≥ 0", Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0)))],
    ["> 2.5", Schema.Number.pipe(Schema.check(Schema.isGreaterThan(2.5)))],
    ["< 10", Schema.Number.pipe(Schema.check(Schema.isLessThan(10)))],
    ["≤ 10", Schema.Number.pipe(Schema.check(Schema.isLessThanOrEqualTo(10)))],
    ["1900..2100", Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1900, maximum: 2100 })))],
    ["(0, 1) exclusive", Schema.Number.pipe(Schema.check(Schema.isBetween({ minimum: 0, maximum: 1, exclusiveMinimum: true, exclusiveMaximum: true })))],
    ["pattern", Schema.String.pipe(Schema.check(Schema.isPattern(/^[a-c]{1,3}$/)))],
    ["global pattern", Schema.String.pipe(Schema.check(Schema.isPattern(/a/g)))],
    ["string length ≥ 2", Schema.String.pipe(Schema.check(Schema.isMinLength(2)))],
    ["string length ≤ 2", Schema.String.pipe(Schema.check(Schema.isMaxLength(2)))],
    ["array length 1..2", Schema.Array(Schema.Number).pipe(Schema.check(Schema.isBetweenLength(1, 2)))],
    ["predicate", Schema.Number.pipe(Schema.check(FastGuard.predicate((n: number) => n % 2 === 0, { message: "an even number" })))]
  ]
  const values = fc.oneof(
    fc.integer({ min: -5, max: 2105 }),
    fc.double(),
    fc.constantFrom(0, 1, 2.5, 10, 1900, 2100, -0, Number.MAX_SAFE_INTEGER + 2, Number.NaN),
    fc.string({ maxLength: 4 }),
    fc.stringMatching(/^[a-d]{0,4}$/),
    fc.array(fc.integer(), { maxLength: 3 }),
    fc.anything()
  )
  for (const [name, schema] of schemas) {
    const guard = FastGuard.compile(astOf(schema)) as FastGuard.Guard
    const decode = Schema.decodeUnknownResult(schema as Schema.Codec<unknown>)
    test.prop([values], { numRuns: 400 })(`${name}: the guard accepts exactly what the decoder accepts`, (value) => {
      // By design the guard leaves NaN and ±Infinity to the decoder (which, e.g., lets NaN pass
      // `isLessThan`): it refuses them, which is the safe side.
      if (typeof value === "number" && !Number.isFinite(value)) expect(guard(value)).toBe(false)
      else expect(guard(value)).toBe(Result.isSuccess(decode(value)))
    })
  }
})
