import { spawnSync } from "node:child_process"
import { join } from "node:path"
import { fc, test } from "@fast-check/vitest"
import { Events } from "@utblick/core"
import { Arbitraries } from "@utblick/core/testing"
import { Result, Schema, type SchemaAST } from "effect"
import { describe, expect, it } from "vitest"
import * as FastGuard from "../src/internal/FastGuard.js"
import { examples } from "./domain/examples.js"

const definitions = [...Events.eventCatalog.definitions.values()]
const astOf = (schema: unknown) => (schema as { readonly ast: SchemaAST.AST }).ast

// Both ways of building a guard are held to the same properties: generated code (what `compile`
// uses where it may) and the closures it falls back to where code generation is forbidden.
const modes: ReadonlyArray<readonly [string, FastGuard.CompileOptions]> = [
  ["generated code", { codegen: true }],
  ["closures", { codegen: false }]
]

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

// Per event type: the decoder, and the bases to mutate — the committed golden example of the
// type, and generated values where Effect's own generator can sample the schema (it cannot for
// filtered date strings such as CalendarDate).
const cases = definitions.map((definition) => {
  const decode = Schema.decodeUnknownResult(definition.schema as Schema.Codec<unknown>)
  const encode = Schema.encodeSync(definition.schema as Schema.Codec<unknown>)
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
  return { definition, decode, candidates: base.chain(mutate) }
})

for (const [mode, options] of modes) {
  const compile = (ast: SchemaAST.AST) => FastGuard.compileWith(ast, options)

  describe(`the compiled fast guard (${mode})`, () => {
    it("compiles for every event type of the catalogue (so replays use it)", () => {
      const missing = definitions.filter((d) => compile(astOf(d.schema)) === undefined).map((d) => d.tag)
      expect(missing).toEqual([])
    })

    for (const { definition, decode, candidates } of cases) {
      const guard = compile(astOf(definition.schema)) as FastGuard.Guard
      test.prop([candidates], { numRuns: 200 })(`${definition.tag}: never accepts what the decoder refuses, and agrees on what it accepts`, (candidate) => {
        const decoded = decode(candidate)
        if (guard(candidate)) {
          expect(Result.isSuccess(decoded)).toBe(true)
          expect(Result.isSuccess(decoded) && decoded.success).toEqual(candidate)
        }
      })
    }

    test.prop([fc.anything()], { numRuns: 300 })("refuses arbitrary garbage that the decoder refuses", (garbage) => {
      for (const definition of definitions) {
        const guard = compile(astOf(definition.schema)) as FastGuard.Guard
        if (guard(garbage)) {
          expect(Result.isSuccess(Schema.decodeUnknownResult(definition.schema as Schema.Codec<unknown>)(garbage))).toBe(true)
        }
      }
    })

    it("accepts every golden example: the fast path is taken for real events", () => {
      const refused = definitions.filter((d) => {
        const guard = compile(astOf(d.schema)) as FastGuard.Guard
        const golden = examples.find((e) => (e as { _tag: string })._tag === d.tag)
        return !guard(golden)
      })
      expect(refused.map((d) => d.tag)).toEqual([])
    })
  })

  describe(`the tagged builder (${mode})`, () => {
    const taggedOf = (d: (typeof definitions)[number]) => FastGuard.compileTaggedWith(astOf(d.schema), d.tag, options)

    it("compiles for every event type, and only for its own tag", () => {
      expect(definitions.filter((d) => taggedOf(d) === undefined).map((d) => d.tag)).toEqual([])
      expect(definitions.filter((d) => FastGuard.compileTaggedWith(astOf(d.schema), `${d.tag}X`, options) !== undefined)).toEqual([])
    })

    for (const { definition, decode, candidates } of cases) {
      const tagged = taggedOf(definition) as FastGuard.Tagged
      // The payload as stored: the candidate without its tag (mutations may have dropped it).
      test.prop([candidates], { numRuns: 200 })(`${definition.tag}: builds only events the decoder accepts, equal to what it returns`, (candidate) => {
        const { _tag: _ignored, ...payload } = candidate
        const built = tagged(payload)
        if (built !== undefined) {
          const decoded = decode({ _tag: definition.tag, ...payload })
          expect(Result.isSuccess(decoded)).toBe(true)
          expect(Result.isSuccess(decoded) && decoded.success).toEqual(built)
          expect(built._tag).toBe(definition.tag)
        }
      })
    }

    test.prop([fc.anything()], { numRuns: 300 })("refuses garbage payloads that the decoder refuses", (garbage) => {
      for (const definition of definitions) {
        const built = taggedOf(definition)?.(garbage)
        if (built !== undefined) {
          const input = typeof garbage === "object" && garbage !== null ? { _tag: definition.tag, ...garbage } : garbage
          expect(Result.isSuccess(Schema.decodeUnknownResult(definition.schema as Schema.Codec<unknown>)(input))).toBe(true)
        }
      }
    })

    it("builds every golden example, as a fresh object with the tag first", () => {
      for (const d of definitions) {
        const { _tag, ...payload } = examples.find((e) => (e as { _tag: string })._tag === d.tag) as Record<string, unknown>
        const built = taggedOf(d)?.(payload)
        expect(built).toEqual({ _tag, ...payload })
        expect(built).not.toBe(payload)
        expect(Object.keys(built ?? {})[0]).toBe("_tag")
      }
    })
  })

  describe(`checks compiled from their representation (${mode})`, () => {
    // For plain schemas the compiled guard should be exact: it accepts precisely what the decoder
    // accepts, so a mistake in a compiled comparison (an off-by-one bound, a lost flag) shows here.
    const schemas: ReadonlyArray<readonly [string, Schema.Top]> = [
      ["int ≥ 0", Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0)))],
      ["> 2.5", Schema.Number.pipe(Schema.check(Schema.isGreaterThan(2.5)))],
      ["< 10", Schema.Number.pipe(Schema.check(Schema.isLessThan(10)))],
      ["≤ 10", Schema.Number.pipe(Schema.check(Schema.isLessThanOrEqualTo(10)))],
      ["1900..2100", Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1900, maximum: 2100 })))],
      ["(0, 1) exclusive", Schema.Number.pipe(Schema.check(Schema.isBetween({ minimum: 0, maximum: 1, exclusiveMinimum: true, exclusiveMaximum: true })))],
      ["≥ -2.5 (a negative bound)", Schema.Number.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(-2.5)))],
      ["pattern", Schema.String.pipe(Schema.check(Schema.isPattern(/^[a-c]{1,3}$/)))],
      ["global pattern", Schema.String.pipe(Schema.check(Schema.isPattern(/a/g)))],
      ["string length ≥ 2", Schema.String.pipe(Schema.check(Schema.isMinLength(2)))],
      ["string length ≤ 2", Schema.String.pipe(Schema.check(Schema.isMaxLength(2)))],
      ["array length 1..2", Schema.Array(Schema.Number).pipe(Schema.check(Schema.isBetweenLength(1, 2)))],
      ["predicate", Schema.Number.pipe(Schema.check(FastGuard.predicate((n: number) => n % 2 === 0, { message: "an even number" })))],
      ["a filter run as it is", Schema.Number.pipe(Schema.check(Schema.makeFilter((n: number) => n !== 3)))],
      [
        "two checks on a union",
        Schema.Union([Schema.Int, Schema.Literal("x")]).pipe(
          Schema.check(Schema.makeFilter((u: number | string) => u !== 4)),
          Schema.check(FastGuard.predicate((u: number | string) => u !== 6, { message: "not 6" }))
        )
      ]
    ]
    const values = fc.oneof(
      fc.integer({ min: -5, max: 2105 }),
      fc.double(),
      fc.constantFrom(0, 1, 2.5, -2.5, 3, 4, 6, 10, 1900, 2100, -0, Number.MAX_SAFE_INTEGER + 2, Number.NaN, "x"),
      fc.string({ maxLength: 4 }),
      fc.stringMatching(/^[a-d]{0,4}$/),
      fc.array(fc.integer(), { maxLength: 3 }),
      fc.anything()
    )
    for (const [name, schema] of schemas) {
      const guard = compile(astOf(schema)) as FastGuard.Guard
      const decode = Schema.decodeUnknownResult(schema as Schema.Codec<unknown>)
      test.prop([values], { numRuns: 400 })(`${name}: the guard accepts exactly what the decoder accepts`, (value) => {
        // By design the guard leaves NaN and ±Infinity to the decoder (which, e.g., lets NaN pass
        // `isLessThan`): it refuses them, which is the safe side.
        if (typeof value === "number" && !Number.isFinite(value)) expect(guard(value)).toBe(false)
        else expect(guard(value)).toBe(Result.isSuccess(decode(value)))
      })
    }
  })

  describe(`structs with awkward names and literals (${mode})`, () => {
    // Names and literals that would break, or change, generated code if they were written into it
    // as anything but JSON string literals: quotes, backslashes, line terminators, code.
    const injected = `"]; throw new Error("injected"); u["`
    // A template placeholder, spelled so that it is one in no source but generated code.
    const placeholder = "$" + "{u}"
    const text = "\u2029</script>'`" + placeholder
    const quoted = 'x"y\\z\u2028'
    const schema = Schema.Struct({
      'a"b': Schema.String,
      "line\nbreak\u2028\u2029": Schema.optionalKey(Schema.Number),
      [injected]: Schema.Boolean,
      "": Schema.NullOr(Schema.Literals([0, -1.5, text, true, 10n, 1e21])),
      "\\": Schema.optionalKey(Schema.Array(Schema.Struct({ ["`" + placeholder + "`"]: Schema.Literal(quoted) })))
    })
    const guard = compile(astOf(schema)) as FastGuard.Guard
    const decode = Schema.decodeUnknownResult(schema as unknown as Schema.Codec<unknown>)
    const garbage = fc.oneof(
      fc.constantFrom(undefined, null, 0, -0, -1.5, 1e21, 10n, 11n, true, "", quoted, text, [], {}),
      fc.anything()
    )
    const field = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: garbage, weight: 1 })
    const candidate = fc
      .tuple(
        fc.record(
          {
            'a"b': field(fc.string()),
            "line\nbreak\u2028\u2029": field(fc.double({ noNaN: true, noDefaultInfinity: true })),
            [injected]: field(fc.boolean()),
            "": field(fc.constantFrom(null, 0, -1.5, text, true, 10n, 1e21)),
            "\\": field(fc.array(fc.record({ ["`" + placeholder + "`"]: field(fc.constant(quoted)) }), { maxLength: 3 }))
          },
          { requiredKeys: [] }
        ),
        fc.option(fc.tuple(fc.string(), fc.jsonValue()))
      )
      .map(([record, excess]) => (excess === null ? record : { ...record, [excess[0]]: excess[1] }))
    // Equal as the event suites above compare (`toEqual`: a null prototype is no difference).
    const equal = (a: unknown, b: unknown): boolean => {
      try {
        expect(a).toEqual(b)
        return true
      } catch {
        return false
      }
    }
    const nonFinite = (u: unknown): boolean =>
      typeof u === "number"
        ? !Number.isFinite(u)
        : typeof u === "object" && u !== null && Object.values(u).some((v) => nonFinite(v))

    it("compiles", () => {
      expect(guard).toBeTypeOf("function")
    })

    test.prop([candidate], { numRuns: 500 })("accepts exactly what the decoder returns unchanged", (value) => {
      const decoded = decode(value)
      const unchanged = Result.isSuccess(decoded) && equal(decoded.success, value)
      // Non-finite numbers are left to the decoder by design (see above).
      if (nonFinite(value)) expect(guard(value) && !unchanged).toBe(false)
      else expect(guard(value)).toBe(unchanged)
    })
  })

  describe(`edge values (${mode})`, () => {
    const schema = Schema.Struct({ a: Schema.String, b: Schema.optionalKey(Schema.String) })
    const guard = compile(astOf(schema)) as FastGuard.Guard
    const decodes = (value: unknown) => Result.isSuccess(Schema.decodeUnknownResult(schema)(value))

    it("refuses a present undefined for an optional key, even one Object.keys does not count", () => {
      const hidden = Object.defineProperty({ a: "x" }, "b", { value: undefined, enumerable: false })
      expect(decodes(hidden)).toBe(false)
      expect(guard(hidden)).toBe(false)
      expect(guard({ a: "x", b: undefined })).toBe(false)
      expect(guard({ a: "x" })).toBe(true)
    })

    it("refuses arrays, null and other non-objects for a struct", () => {
      for (const value of [null, undefined, [], ["x"], "x", 1, true, () => ({ a: "x" })]) expect(guard(value)).toBe(false)
    })
  })

  describe(`what gets no guard (${mode})`, () => {
    it("a oneOf union, which refuses a value two members accept", () => {
      const oneOf = Schema.Union([Schema.String, Schema.NonEmptyString], { mode: "oneOf" })
      expect(Result.isSuccess(Schema.decodeUnknownResult(oneOf)("x"))).toBe(false)
      expect(compile(astOf(oneOf))).toBeUndefined()
      expect(compile(astOf(Schema.Struct({ a: oneOf })))).toBeUndefined()
    })

    it("a key named __proto__, which a read would take from the prototype when absent", () => {
      expect(compile(astOf(Schema.Struct({ ["__proto__"]: Schema.Struct({}) })))).toBeUndefined()
    })

    it("a transformation or an index signature", () => {
      expect(compile(astOf(Schema.NumberFromString))).toBeUndefined()
      expect(compile(astOf(Schema.Record(Schema.String, Schema.Number)))).toBeUndefined()
      expect(compile(astOf(Schema.Struct({ a: Schema.optionalKey(Schema.NumberFromString) })))).toBeUndefined()
    })
  })
}

describe("generated code or closures", () => {
  it("compile generates code where the platform allows it", () => {
    // Generated functions are named guard0, guard1, …; the closures are anonymous.
    for (const d of definitions) expect(FastGuard.compile(astOf(d.schema))?.name).toMatch(/^guard\d+$/)
    expect(FastGuard.compileWith(astOf(definitions[0]?.schema), { codegen: false })?.name).toBe("")
  })

  it("compile falls back to closures where code generation is forbidden, and they still accept real events", () => {
    const script = `
      const { Events } = await import("@utblick/core")
      const FastGuard = await import("./src/internal/FastGuard.ts")
      const { examples } = await import("./test/domain/examples.ts")
      let forbidden = false
      try { new Function("return true") } catch { forbidden = true }
      const guards = [...Events.eventCatalog.definitions.values()].map((d) => [d.tag, FastGuard.compile(d.schema.ast)])
      console.log(JSON.stringify({
        forbidden,
        missing: guards.filter(([, g]) => g === undefined).map(([tag]) => tag),
        generated: guards.filter(([, g]) => g !== undefined && g.name !== "").map(([tag]) => tag),
        refused: guards.filter(([tag, g]) => g !== undefined && !g(examples.find((e) => e._tag === tag))).map(([tag]) => tag)
      }))
    `
    const run = spawnSync(
      process.execPath,
      [
        "--disallow-code-generation-from-strings",
        "--conditions=@utblick/source",
        "--import",
        "tsx",
        "--input-type=module",
        "--eval",
        script
      ],
      { cwd: join(import.meta.dirname, ".."), encoding: "utf8" }
    )
    expect(run.status, run.stderr).toBe(0)
    expect(JSON.parse(run.stdout)).toEqual({ forbidden: true, missing: [], generated: [], refused: [] })
  })
})
