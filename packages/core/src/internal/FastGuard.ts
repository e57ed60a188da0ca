/**
 * A guard compiled from an Effect Schema AST, for the shapes event payloads are made of: structs
 * of strings, numbers, booleans, literals, unions and arrays, with the schema's own checks (its
 * filters are run as they are). When such a guard accepts a value, decoding it would return an
 * equal value, so the catalogue can skip Effect's general decoder on the hot replay path.
 *
 * Checks are compiled too, where that is safe: the filters Effect builds itself (`isPattern`,
 * `isInt`, `isBetween`, `isGreaterThanOrEqualTo`, the length checks, …) are recognised by the
 * `representation` annotation Effect gives them for JSON Schema export and code generation, and
 * become a plain comparison; a filter made with {@link predicate} runs its predicate directly.
 * Every other filter runs through its own `run`, as the decoder would run it.
 *
 * The guard is deliberately conservative: anything it does not model (transformations, index
 * signatures, declarations, recursion, `oneOf` unions, a key named `__proto__`) yields no guard
 * at all, and anything unusual in a value (an excess key, an explicit `undefined`, a non-finite
 * number) makes it answer `false`, which only sends the value down the full decoder. It may
 * refuse what the schema accepts; it must never accept what the schema refuses — a property test
 * holds it to that.
 *
 * Where the platform allows it, each struct and array of the schema becomes one function
 * generated with `new Function` (as Ajv, TypeBox's compiler and Zod 4 do): it reads every
 * property with a constant key and tests scalars inline, so each property read and each call is
 * a site of its own that V8 keeps monomorphic. A guard built from shared closures instead runs
 * every struct of every schema through the same code, whose reads and calls V8 then sees as
 * megamorphic, which made the guard about twice as slow. Into the generated source go only our
 * own fixed text and names, and string, boolean and finite number literals written by
 * `JSON.stringify` (property names included); every other value (regular expressions,
 * predicates, other literals) is passed in as a captured constant. So no text a schema provides
 * is evaluated as code, except as a JSON string literal. Where code generation is forbidden (a
 * Content-Security-Policy without `unsafe-eval`, `node --disallow-code-generation-from-strings`),
 * the closures are used; see ADR 0013.
 *
 * For event payloads, {@link compileTagged} goes one step further: it checks a stored payload
 * where it lies and builds the tagged event in the same pass, so replay does not copy the payload
 * into `{ _tag, ...payload }` first.
 *
 * @since 0.1.0
 */
import type { SchemaAST } from "effect"
import { type Check, compileFilter, type Filter, flatten, Source, type Test } from "./GuardChecks.js"

export { predicate } from "./GuardChecks.js"

/**
 * A predicate over unknown input.
 *
 * @category models
 * @since 0.1.0
 */
export type Guard = (input: unknown) => boolean

/**
 * How {@link compileWith} builds a guard.
 *
 * @category models
 * @since 0.1.0
 */
export interface CompileOptions {
  /**
   * Generate specialised code with `new Function` (`true`), or compose closures (`false`). Both
   * accept exactly the same values; {@link compile} chooses code generation where the platform
   * allows it.
   */
  readonly codegen: boolean
}

const OPTIONS: SchemaAST.ParseOptions = { errors: "first" }

/** A property of a struct, as the guard needs it. */
type Property = { readonly name: string; readonly optional: boolean; readonly node: Node }

/**
 * What the guard models of a schema: the AST reduced to the supported kinds, each with its
 * compiled checks. Both back ends (closures and generated code) work from this one analysis, so
 * they support, and accept, exactly the same things.
 */
type Node = { readonly tests: ReadonlyArray<Test> } & (
  | { readonly _tag: "String" | "Number" | "Boolean" | "Null" }
  | { readonly _tag: "Literal"; readonly literal: SchemaAST.LiteralValue }
  | { readonly _tag: "Union"; readonly members: ReadonlyArray<Node> }
  | { readonly _tag: "Arrays"; readonly item: Node }
  | { readonly _tag: "Objects"; readonly properties: ReadonlyArray<Property> }
)

type Shape = Node extends infer N ? (N extends Node ? Omit<N, "tests"> : never) : never

const analyseShape = (ast: SchemaAST.AST): Shape | undefined => {
  switch (ast._tag) {
    case "String":
    case "Number":
    case "Boolean":
    case "Null":
      return { _tag: ast._tag }
    case "Literal":
      return { _tag: "Literal", literal: ast.literal }
    case "Union": {
      // A `oneOf` union refuses a value that two members accept; the guard, which stops at the
      // first member that accepts, would not.
      if (ast.options?.mode === "oneOf") return undefined
      const members: Array<Node> = []
      for (const type of ast.types) {
        const member = analyse(type)
        if (member === undefined) return undefined
        members.push(member)
      }
      return { _tag: "Union", members }
    }
    case "Arrays": {
      if (ast.elements.length !== 0 || ast.rest.length !== 1) return undefined
      const item = analyse(ast.rest[0] as SchemaAST.AST)
      return item === undefined ? undefined : { _tag: "Arrays", item }
    }
    case "Objects": {
      if (ast.indexSignatures.length > 0) return undefined
      const properties: Array<Property> = []
      for (const p of ast.propertySignatures) {
        // Reading `__proto__` of a value without that own key yields its prototype, an object
        // the decoder never sees; such a schema is left to the decoder.
        if (typeof p.name !== "string" || p.name === "__proto__") return undefined
        const node = analyse(p.type)
        if (node === undefined) return undefined
        properties.push({ name: p.name, optional: p.type.context?.isOptional === true, node })
      }
      return { _tag: "Objects", properties }
    }
    default:
      return undefined
  }
}

const analyse = (ast: SchemaAST.AST): Node | undefined => {
  if (ast.encoding !== undefined) return undefined
  const shape = analyseShape(ast)
  if (shape === undefined) return undefined
  const checks = ast.checks as ReadonlyArray<Check> | undefined
  if (checks === undefined || checks.length === 0) return { ...shape, tests: [] }
  const filters: Array<Filter> = []
  if (!flatten(checks, filters)) return undefined
  const tests = filters.map(
    (f): Test => compileFilter(f) ?? { run: (u) => f.run(u, ast, OPTIONS) === undefined }
  )
  return { ...shape, tests }
}

// ---------------------------------------------------------------------------------------------
// Closures: the fallback where code generation is forbidden.

const closureOfShape = (node: Node): Guard => {
  switch (node._tag) {
    case "String":
      return (u) => typeof u === "string"
    case "Number":
      return (u) => typeof u === "number" && Number.isFinite(u)
    case "Boolean":
      return (u) => typeof u === "boolean"
    case "Null":
      return (u) => u === null
    case "Literal": {
      const literal = node.literal
      return (u) => u === literal
    }
    case "Union": {
      const guards = node.members.map(closure)
      return (u) => {
        for (const g of guards) if (g(u)) return true
        return false
      }
    }
    case "Arrays": {
      const item = closure(node.item)
      return (u) => {
        if (!Array.isArray(u)) return false
        for (const x of u) if (!item(x)) return false
        return true
      }
    }
    case "Objects": {
      const properties = node.properties.map((p) => ({
        name: p.name,
        optional: p.optional,
        guard: closure(p.node)
      }))
      return (u) => {
        if (typeof u !== "object" || u === null || Array.isArray(u)) return false
        const record = u as Record<string, unknown>
        let present = 0
        for (const p of properties) {
          const value = record[p.name]
          if (value === undefined) {
            // Absent is fine for an optional key; a present `undefined` goes to the full decoder.
            if (p.optional && !Object.hasOwn(record, p.name)) continue
            return false
          }
          if (!p.guard(value)) return false
          present += 1
        }
        // Excess keys are stripped by the decoder; leave such values to it.
        return Object.keys(record).length === present
      }
    }
  }
}

const closure = (node: Node): Guard => {
  const base = closureOfShape(node)
  const tests = node.tests.map((t) => t.run)
  if (tests.length === 0) return base
  if (tests.length === 1) {
    const only = tests[0] as Guard
    return (u) => base(u) && only(u)
  }
  return (u) => {
    if (!base(u)) return false
    for (const t of tests) if (!t(u)) return false
    return true
  }
}

// ---------------------------------------------------------------------------------------------
// Generated code. Every struct and array becomes a function of its own; scalars, literals,
// unions and the comparisons of compiled checks are inlined as expressions over a variable.

// Each generated function gets a distinct name, so that no two sources are equal: V8 may reuse
// what it compiled for an equal text (its eval cache), and two guards that differ only in their
// captured predicates should not share what V8 learns about their call sites.
let generated = 0

const build = <F = Guard>(source: Source, body: string): F => {
  const name = `guard${generated++}`
  const constants = source.captured.map((_, i) => `c${i} = captured[${i}]`)
  const text = `"use strict";\n${constants.length > 0 ? `const ${constants.join(", ")};\n` : ""}return function ${name}(u) {\n${body}\n}`
  const factory = new Function("captured", text) as (captured: ReadonlyArray<unknown>) => F
  return factory(source.captured)
}

// A literal as source: only what `JSON.stringify` writes as an exact JavaScript literal (strings,
// booleans, finite numbers; `-0` becomes `0`, which `===` does not tell apart); the rest is captured.
const literalSource = (literal: SchemaAST.LiteralValue, source: Source): string =>
  typeof literal === "string" ||
  typeof literal === "boolean" ||
  (typeof literal === "number" && Number.isFinite(literal))
    ? JSON.stringify(literal)
    : source.capture(literal)

const expressionOfShape = (node: Node, v: string, source: Source): string => {
  switch (node._tag) {
    case "String":
      return `typeof ${v} === "string"`
    case "Number":
      return `(typeof ${v} === "number" && Number.isFinite(${v}))`
    case "Boolean":
      return `typeof ${v} === "boolean"`
    case "Null":
      return `${v} === null`
    case "Literal":
      return `${v} === ${literalSource(node.literal, source)}`
    case "Union":
      return node.members.length === 0
        ? "false"
        : `(${node.members.map((m) => expression(m, v, source)).join(" || ")})`
    case "Arrays":
    case "Objects":
      return `${source.capture(generateShape(node))}(${v})`
  }
}

const expression = (node: Node, v: string, source: Source): string => {
  const base = expressionOfShape(node, v, source)
  if (node.tests.length === 0) return base
  const tests = node.tests.map((t) =>
    t.inline === undefined ? `${source.capture(t.run)}(${v})` : `(${t.inline(v, source)})`
  )
  return `(${base} && ${tests.join(" && ")})`
}

// The function for a struct or an array, without the node's own checks.
const generateShape = (node: Node & { readonly _tag: "Arrays" | "Objects" }): Guard => {
  const source = new Source()
  if (node._tag === "Arrays") {
    return build(
      source,
      `if (!Array.isArray(u)) return false;
for (let i = 0; i < u.length; i++) {
  const v = u[i];
  if (!(${expression(node.item, "v", source)})) return false;
}
return true;`
    )
  }
  return build(source, structChecks(node.properties, source, "false").concat("return true;").join("\n"))
}

// The statements that check a struct `u` against `properties`, answering `refuse` (an expression)
// on the first failure; they fall through when `u` passes.
const structChecks = (properties: ReadonlyArray<Property>, source: Source, refuse: string): Array<string> => {
  const checks: Array<string> = []
  let required = 0
  for (const p of properties) {
    // The name only ever appears as a JSON string literal.
    const key = JSON.stringify(p.name)
    const test = expression(p.node, "v", source)
    checks.push(`v = u[${key}];`)
    if (p.optional) {
      // Absent is fine for an optional key; a present `undefined` goes to the full decoder.
      checks.push(`if (v === undefined) { if (Object.hasOwn(u, ${key})) return ${refuse}; }`)
      checks.push(`else if (!(${test})) return ${refuse}; else n++;`)
    } else {
      required += 1
      checks.push(`if (v === undefined || !(${test})) return ${refuse};`)
    }
  }
  // Excess keys are stripped by the decoder; leave such values to it. Every required key has
  // been found by then, and `n` adds the optional keys that are present.
  return [
    `if (typeof u !== "object" || u === null || Array.isArray(u)) return ${refuse};`,
    `let n = ${required}, v;`,
    ...checks,
    `if (Object.keys(u).length !== n) return ${refuse};`
  ]
}

// The generated builder of a tagged struct: the struct's checks over the payload, then the event
// as one object literal of a fixed shape (the tag first, then every required key, then the
// optional keys present), which V8 allocates in one piece, unlike a spread.
const generateTagged = (tag: string, properties: ReadonlyArray<Property>): Tagged => {
  const source = new Source()
  const required = properties.filter((p) => !p.optional)
  const optional = properties.filter((p) => p.optional)
  const fields = [
    `"_tag": ${JSON.stringify(tag)}`,
    ...required.map((p) => `${JSON.stringify(p.name)}: u[${JSON.stringify(p.name)}]`)
  ]
  const lines = [
    ...structChecks(properties, source, "undefined"),
    `const o = { ${fields.join(", ")} };`,
    ...optional.map((p) => {
      const key = JSON.stringify(p.name)
      return `v = u[${key}]; if (v !== undefined) o[${key}] = v;`
    }),
    "return o;"
  ]
  return build<Tagged>(source, lines.join("\n"))
}

const generate = (node: Node): Guard => {
  if ((node._tag === "Objects" || node._tag === "Arrays") && node.tests.length === 0)
    return generateShape(node)
  const source = new Source()
  return build(source, `return ${expression(node, "u", source)};`)
}

let codegenAllowed: boolean | undefined

// Tried once: a platform that forbids code generation throws here (an EvalError, or a
// Content-Security-Policy violation), and the closures are used from then on.
const allowsCodegen = (): boolean => {
  if (codegenAllowed === undefined) {
    try {
      codegenAllowed = (new Function("return true") as () => unknown)() === true
    } catch {
      codegenAllowed = false
    }
  }
  return codegenAllowed
}

/**
 * Compiles a guard for `ast` the way `options` say, or returns `undefined` when the AST has a
 * part the guard does not model. For tests and benchmarks, which hold both ways to the same
 * answers; everything else uses {@link compile}. With `codegen: true` on a platform that forbids
 * code generation, it throws.
 *
 * @category utils
 * @since 0.1.0
 */
export const compileWith = (ast: SchemaAST.AST, options: CompileOptions): Guard | undefined => {
  const node = analyse(ast)
  if (node === undefined) return undefined
  return options.codegen ? generate(node) : closure(node)
}

/**
 * Validates an event payload (the encoded event without its `_tag`) and returns the event with
 * its tag, or `undefined` where the guard of the tagged struct would refuse `{ _tag, ...payload }`.
 * What it returns is equal to what the schema's decoder returns for that input.
 *
 * @category models
 * @since 0.1.0
 */
export type Tagged = (payload: unknown) => { readonly _tag: string } | undefined

/**
 * Compiles a {@link Tagged} builder for a struct schema whose `_tag` is the literal `tag` and that
 * has no checks of its own, or returns `undefined` for any other schema (or one the guard does
 * not model).
 *
 * **Details**
 *
 * On replay, the catalogue would otherwise copy each payload into `{ _tag, ...payload }` and then
 * guard the copy; a spread into a literal is one of the slowest ways V8 has to build an object.
 * The generated builder checks the payload where it lies and builds the event as a literal of a
 * fixed shape. The closure fallback does the spread and the guard.
 *
 * @category utils
 * @since 0.1.0
 */
export const compileTaggedWith = (
  ast: SchemaAST.AST,
  tag: string,
  options: CompileOptions
): Tagged | undefined => {
  const node = analyse(ast)
  if (node === undefined || node._tag !== "Objects" || node.tests.length > 0) return undefined
  const tagProperty = node.properties.find((p) => p.name === "_tag")
  if (
    tagProperty === undefined ||
    tagProperty.optional ||
    tagProperty.node._tag !== "Literal" ||
    tagProperty.node.tests.length > 0 ||
    tagProperty.node.literal !== tag
  ) {
    return undefined
  }
  const rest = node.properties.filter((p) => p !== tagProperty)
  if (options.codegen) return generateTagged(tag, rest)
  const guard = closure(node)
  return (payload) => {
    if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return undefined
    const input = { _tag: tag, ...payload }
    return guard(input) ? input : undefined
  }
}

/**
 * {@link compileTaggedWith} with code generation where the platform allows it.
 *
 * @category utils
 * @since 0.1.0
 */
export const compileTagged = (ast: SchemaAST.AST, tag: string): Tagged | undefined =>
  compileTaggedWith(ast, tag, { codegen: allowsCodegen() })

/**
 * Compiles a guard for `ast`, or returns `undefined` when the AST has a part the guard does not
 * model. The guard is generated code where the platform allows `new Function`, composed closures
 * where it does not.
 *
 * @category utils
 * @since 0.1.0
 */
export const compile = (ast: SchemaAST.AST): Guard | undefined =>
  compileWith(ast, { codegen: allowsCodegen() })
