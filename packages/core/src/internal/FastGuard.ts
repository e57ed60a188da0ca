/**
 * A guard compiled from an Effect Schema AST, for the shapes event payloads are made of: structs
 * of strings, numbers, booleans, literals, unions and arrays, with the schema's own checks (its
 * filters are run as they are). When such a guard accepts a value, decoding it would return an
 * equal value, so the catalogue can skip Effect's general decoder on the hot replay path.
 *
 * The guard is deliberately conservative: anything it does not model (transformations, index
 * signatures, declarations, recursion) yields no guard at all, and anything unusual in a value
 * (an excess key, an explicit `undefined`, a non-finite number) makes it answer `false`, which
 * only sends the value down the full decoder. It may refuse what the schema accepts; it must
 * never accept what the schema refuses — a property test holds it to that.
 *
 * @since 0.1.0
 */
import type { SchemaAST } from "effect"

/**
 * A predicate over unknown input.
 *
 * @category models
 * @since 0.1.0
 */
export type Guard = (input: unknown) => boolean

type Filter = { readonly run: (input: unknown, self: SchemaAST.AST, options: SchemaAST.ParseOptions) => unknown }
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
  return (u) => {
    if (!base(u)) return false
    for (const f of filters) if (f.run(u, ast, OPTIONS) !== undefined) return false
    return true
  }
}
