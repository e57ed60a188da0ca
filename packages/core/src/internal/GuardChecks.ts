/**
 * The checks of a schema (its filters) as plain tests for the compiled guard (`FastGuard.ts`):
 * the filters Effect builds itself, recognised by their `representation` annotation, become a
 * comparison (and an expression that generated code inlines); a filter made with
 * {@link predicate} runs its predicate directly. Everything else is left to the filter's own `run`.
 */
import { Schema, type SchemaAST } from "effect"

/** A test over unknown input (structurally the guard's own type). */
type Run = (input: unknown) => boolean

/** A schema filter, as the guard reads it. */
export type Filter = {
  readonly run: (input: unknown, self: SchemaAST.AST, options: SchemaAST.ParseOptions) => unknown
  readonly annotations?:
    | { readonly representation?: { readonly id?: unknown; readonly payload?: unknown } }
    | undefined
}
/** A check of a schema: a filter, or a group of them. */
export type Check = { readonly _tag: "Filter" | "FilterGroup"; readonly checks?: ReadonlyArray<Check> }

/**
 * The source of a generated function under construction. Values that are not plain JSON literals
 * are captured: the generated code names them `c0`, `c1`, …, never spells them out.
 */
export class Source {
  readonly captured: Array<unknown> = []

  capture(value: unknown): string {
    let index = this.captured.indexOf(value)
    if (index < 0) {
      index = this.captured.length
      this.captured.push(value)
    }
    return `c${index}`
  }
}

/**
 * One compiled check: a function, and where it is a plain comparison, the same test as a
 * JavaScript expression over the variable named `v`, for generated code to inline.
 */
export type Test = {
  readonly run: Run
  readonly inline?: (v: string, source: Source) => string
}

/**
 * Collects the filters of `checks` into `into`, groups flattened; false if a check is neither.
 */
export const flatten = (checks: ReadonlyArray<Check>, into: Array<Filter>): boolean => {
  for (const check of checks) {
    if (check._tag === "Filter") into.push(check as unknown as Filter)
    else if (check._tag === "FilterGroup" && check.checks !== undefined) {
      if (!flatten(check.checks, into)) return false
    } else return false
  }
  return true
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
 * @category utils
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

// A finite number as source text: `JSON.stringify` writes it as an exact JavaScript literal.
const numberSource = (value: number): string => `(${JSON.stringify(value)})`

/**
 * The filters Effect builds, recognised by their representation (id and payload), as plain tests
 * with exactly the filters' semantics. An unknown id or an unexpected payload compiles to nothing,
 * and the filter's own `run` is used. Each test also comes as an expression, for generated code;
 * the bounds in it are finite numbers (see `num`), written by `JSON.stringify`.
 */
export const compileFilter = (filter: Filter): Test | undefined => {
  const registered = predicates.get(filter)
  if (registered !== undefined) return { run: registered as Run }
  const representation = filter.annotations?.representation
  if (representation === undefined || typeof representation.id !== "string") return undefined
  const payload = (representation.payload ?? {}) as Record<string, unknown>
  switch (representation.id) {
    case "effect/schema/isInt":
      return { run: (u) => Number.isSafeInteger(u), inline: (v) => `Number.isSafeInteger(${v})` }
    case "effect/schema/isFinite":
      return { run: (u) => Number.isFinite(u), inline: (v) => `Number.isFinite(${v})` }
    case "effect/schema/isGreaterThanOrEqualTo": {
      const minimum = num(payload, "minimum")
      return minimum === undefined
        ? undefined
        : { run: (u) => (u as number) >= minimum, inline: (v) => `${v} >= ${numberSource(minimum)}` }
    }
    case "effect/schema/isGreaterThan": {
      const minimum = num(payload, "exclusiveMinimum")
      return minimum === undefined
        ? undefined
        : { run: (u) => (u as number) > minimum, inline: (v) => `${v} > ${numberSource(minimum)}` }
    }
    case "effect/schema/isLessThanOrEqualTo": {
      const maximum = num(payload, "maximum")
      return maximum === undefined
        ? undefined
        : { run: (u) => (u as number) <= maximum, inline: (v) => `${v} <= ${numberSource(maximum)}` }
    }
    case "effect/schema/isLessThan": {
      const maximum = num(payload, "exclusiveMaximum")
      return maximum === undefined
        ? undefined
        : { run: (u) => (u as number) < maximum, inline: (v) => `${v} < ${numberSource(maximum)}` }
    }
    case "effect/schema/isBetween": {
      const minimum = num(payload, "minimum")
      const maximum = num(payload, "maximum")
      if (minimum === undefined || maximum === undefined) return undefined
      const exclusiveMinimum = payload["exclusiveMinimum"] === true
      const exclusiveMaximum = payload["exclusiveMaximum"] === true
      return {
        run: (u) => {
          const x = u as number
          return (
            (exclusiveMinimum ? x > minimum : x >= minimum) && (exclusiveMaximum ? x < maximum : x <= maximum)
          )
        },
        inline: (v) =>
          `${v} ${exclusiveMinimum ? ">" : ">="} ${numberSource(minimum)} && ${v} ${exclusiveMaximum ? "<" : "<="} ${numberSource(maximum)}`
      }
    }
    case "effect/schema/isMinLength": {
      const minimum = num(payload, "minLength")
      return minimum === undefined
        ? undefined
        : { run: (u) => lengthOf(u) >= minimum, inline: (v) => `${v}.length >= ${numberSource(minimum)}` }
    }
    case "effect/schema/isMaxLength": {
      const maximum = num(payload, "maxLength")
      return maximum === undefined
        ? undefined
        : { run: (u) => lengthOf(u) <= maximum, inline: (v) => `${v}.length <= ${numberSource(maximum)}` }
    }
    case "effect/schema/isBetweenLength": {
      const minimum = num(payload, "minimum")
      const maximum = num(payload, "maximum")
      return minimum === undefined || maximum === undefined
        ? undefined
        : {
            run: (u) => lengthOf(u) >= minimum && lengthOf(u) <= maximum,
            inline: (v) =>
              `${v}.length >= ${numberSource(minimum)} && ${v}.length <= ${numberSource(maximum)}`
          }
    }
    case "effect/schema/isPattern": {
      if (typeof payload["source"] !== "string" || typeof payload["flags"] !== "string") return undefined
      const regExp = new RegExp(payload["source"], payload["flags"])
      // A global or sticky expression keeps state between tests; Effect resets it each time. The
      // expression itself is captured, never written into the source.
      if (regExp.global || regExp.sticky) {
        return {
          run: (u) => {
            regExp.lastIndex = 0
            return regExp.test(u as string)
          },
          inline: (v, source) => {
            const r = source.capture(regExp)
            return `${r}.lastIndex = 0, ${r}.test(${v})`
          }
        }
      }
      return {
        run: (u) => regExp.test(u as string),
        inline: (v, source) => `${source.capture(regExp)}.test(${v})`
      }
    }
    default:
      return undefined
  }
}
