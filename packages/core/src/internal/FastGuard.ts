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
 * signatures, declarations, recursion) yields no guard at all, and anything unusual in a value
 * (an excess key, an explicit `undefined`, a non-finite number) makes it answer `false`, which
 * only sends the value down the full decoder. It may refuse what the schema accepts; it must
 * never accept what the schema refuses — a property test holds it to that.
 *
 * @since 0.1.0
 */
import { Schema, type SchemaAST } from "effect"

/**
 * A predicate over unknown input.
 *
 * @category models
 * @since 0.1.0
 */
export type Guard = (input: unknown) => boolean

type Filter = {
  readonly run: (input: unknown, self: SchemaAST.AST, options: SchemaAST.ParseOptions) => unknown
  readonly annotations?: { readonly representation?: { readonly id?: unknown; readonly payload?: unknown } } | undefined
}
type Check = { readonly _tag: "Filter" | "FilterGroup"; readonly checks?: ReadonlyArray<Check> }

const OPTIONS: SchemaAST.ParseOptions = { errors: "first" }

const flatten = (checks: ReadonlyArray<Check>, into: Array<Filter>): boolean => {
  for (const check of checks) {
    if (check._tag === "Filter") into.push(check as unknown as Filter)
    else if (check._tag === "FilterGroup" && check.checks !== undefined) {
      if (!flatten(check.checks, into)) return false
    } else return false
  }
  return true
}

const compileBase = (ast: SchemaAST.AST): Guard | undefined => {
  switch (ast._tag) {
    case "String":
      return (u) => typeof u === "string"
    case "Number":
      return (u) => typeof u === "number" && Number.isFinite(u)
    case "Boolean":
      return (u) => typeof u === "boolean"
    case "Null":
      return (u) => u === null
    case "Literal": {
      const literal = ast.literal
      return (u) => u === literal
    }
    case "Union": {
      const members = ast.types.map(compile)
      if (members.some((m) => m === undefined)) return undefined
      const guards = members as ReadonlyArray<Guard>
      return (u) => {
        for (const g of guards) if (g(u)) return true
        return false
      }
    }
    case "Arrays": {
      if (ast.elements.length !== 0 || ast.rest.length !== 1) return undefined
      const item = compile(ast.rest[0] as SchemaAST.AST)
      if (item === undefined) return undefined
      return (u) => {
        if (!Array.isArray(u)) return false
        for (const x of u) if (!item(x)) return false
        return true
      }
    }
    case "Objects": {
      if (ast.indexSignatures.length > 0) return undefined
      const properties: Array<{ readonly name: string; readonly optional: boolean; readonly guard: Guard }> = []
      for (const p of ast.propertySignatures) {
        if (typeof p.name !== "string") return undefined
        const guard = compile(p.type)
        if (guard === undefined) return undefined
        properties.push({ name: p.name, optional: p.type.context?.isOptional === true, guard })
      }
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
    default:
      return undefined
  }
}

/**
 * Compiles a guard for `ast`, or returns `undefined` when the AST has a part the guard does not
 * model.
 *
 * @category constructors
 * @since 0.1.0
 */
export const compile = (ast: SchemaAST.AST): Guard | undefined => {
  if (ast.encoding !== undefined) return undefined
  const base = compileBase(ast)
  if (base === undefined) return undefined
  const checks = ast.checks as ReadonlyArray<Check> | undefined
  if (checks === undefined || checks.length === 0) return base
  const filters: Array<Filter> = []
  if (!flatten(checks, filters)) return undefined
  const tests = filters.map((f) => compileFilter(f) ?? ((u: unknown) => f.run(u, ast, OPTIONS) === undefined))
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

// Predicates registered by `predicate`, keyed by the filter object the schema holds.
const predicates = new WeakMap<object, (u: never) => boolean>()

/**
 * A schema filter whose predicate the guard may call directly, skipping the filter's `run`
 * wrapper (which builds the decoder's issue on failure). Use it for custom checks on hot event
 * fields such as calendar dates.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 *
 * const Even = Schema.Number.pipe(Schema.check(predicate((n: number) => n % 2 === 0, { message: "an even number" })))
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const predicate = <T>(
  test: (value: T) => boolean,
  annotations: { readonly title?: string; readonly message: string }
): SchemaAST.Filter<T> => {
  const filter = Schema.makeFilter<T>((value) => test(value), annotations)
  predicates.set(filter, test)
  return filter
}

const num = (payload: Record<string, unknown>, key: string): number | undefined => {
  const value = payload[key]
  return typeof value === "number" && Number.isFinite(value) ? value : undefined
}

const lengthOf = (u: unknown): number => (u as { readonly length: number }).length

// The filters Effect builds, recognised by their representation (id and payload), as plain tests
// with exactly the filters' semantics. An unknown id or an unexpected payload compiles to nothing,
// and the filter's own `run` is used.
const compileFilter = (filter: Filter): Guard | undefined => {
  const registered = predicates.get(filter)
  if (registered !== undefined) return registered as Guard
  const representation = filter.annotations?.representation
  if (representation === undefined || typeof representation.id !== "string") return undefined
  const payload = (representation.payload ?? {}) as Record<string, unknown>
  switch (representation.id) {
    case "effect/schema/isInt":
      return (u) => Number.isSafeInteger(u)
    case "effect/schema/isFinite":
      return (u) => Number.isFinite(u)
    case "effect/schema/isGreaterThanOrEqualTo": {
      const minimum = num(payload, "minimum")
      return minimum === undefined ? undefined : (u) => (u as number) >= minimum
    }
    case "effect/schema/isGreaterThan": {
      const minimum = num(payload, "exclusiveMinimum")
      return minimum === undefined ? undefined : (u) => (u as number) > minimum
    }
    case "effect/schema/isLessThanOrEqualTo": {
      const maximum = num(payload, "maximum")
      return maximum === undefined ? undefined : (u) => (u as number) <= maximum
    }
    case "effect/schema/isLessThan": {
      const maximum = num(payload, "exclusiveMaximum")
      return maximum === undefined ? undefined : (u) => (u as number) < maximum
    }
    case "effect/schema/isBetween": {
      const minimum = num(payload, "minimum")
      const maximum = num(payload, "maximum")
      if (minimum === undefined || maximum === undefined) return undefined
      const exclusiveMinimum = payload["exclusiveMinimum"] === true
      const exclusiveMaximum = payload["exclusiveMaximum"] === true
      return (u) => {
        const n = u as number
        return (exclusiveMinimum ? n > minimum : n >= minimum) && (exclusiveMaximum ? n < maximum : n <= maximum)
      }
    }
    case "effect/schema/isMinLength": {
      const minimum = num(payload, "minLength")
      return minimum === undefined ? undefined : (u) => lengthOf(u) >= minimum
    }
    case "effect/schema/isMaxLength": {
      const maximum = num(payload, "maxLength")
      return maximum === undefined ? undefined : (u) => lengthOf(u) <= maximum
    }
    case "effect/schema/isBetweenLength": {
      const minimum = num(payload, "minimum")
      const maximum = num(payload, "maximum")
      return minimum === undefined || maximum === undefined ? undefined : (u) => lengthOf(u) >= minimum && lengthOf(u) <= maximum
    }
    case "effect/schema/isPattern": {
      if (typeof payload["source"] !== "string" || typeof payload["flags"] !== "string") return undefined
      const regExp = new RegExp(payload["source"], payload["flags"])
      // A global or sticky expression keeps state between tests; Effect resets it each time.
      if (regExp.global || regExp.sticky) {
        return (u) => {
          regExp.lastIndex = 0
          return regExp.test(u as string)
        }
      }
      return (u) => regExp.test(u as string)
    }
    default:
      return undefined
  }
}
