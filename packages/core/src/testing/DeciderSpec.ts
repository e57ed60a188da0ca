/**
 * Given/when/then specifications for deciders and projections.
 *
 * @example
 * ```ts
 * import { DeciderSpec } from "@utblick/core/testing"
 *
 * const spec = DeciderSpec.forDecider(registryDecider)
 * spec.given([actorRegistered]).when(registerAgain).thenFails("AlreadyRegistered")
 * ```
 *
 * @since 0.1.0
 */
import { Result } from "effect"
import { expect } from "vitest"
import type { StoredEvent } from "../Envelope.js"
import * as Decider from "../Decider.js"
import type { EventCatalog } from "../EventCatalog.js"
import * as Projection from "../Projection.js"

/**
 * A specification over one decider.
 *
 * @category models
 * @since 0.1.0
 */
export interface DeciderSpecification<C, E, Err> {
  readonly given: (events: ReadonlyArray<E>) => {
    readonly when: (command: C) => {
      /**
       * Asserts the command produced exactly these events, strictly: a key present with the value
       * `undefined` differs from an absent key, as it does in the stored canonical JSON.
       */
      readonly then: (expected: ReadonlyArray<E>) => void
      /**
       * Asserts the command was refused for this reason — a `DomainError`'s reason
       * (`AppropriationExceeded`) or another error's tag (`NotAuthorized`) — and optionally checks it.
       */
      readonly thenFails: (tag: string, check?: (error: Err) => void) => void
    }
  }
}

/**
 * Starts a specification for a decider.
 *
 * @category utils
 * @since 0.1.0
 */
export const forDecider = <C, E, S, Err>(
  decider: Decider.Decider<C, E, S, Err>
): DeciderSpecification<C, E, Err> => ({
  given: (events) => ({
    when: (command) => {
      const result = Decider.decideSync(decider, command, Decider.fold(decider, events))
      return {
        // biome-ignore lint/suspicious/noThenProperty: given/when/then is the established vocabulary of decider specifications; the step is never awaited.
        then: (expected) => {
          if (Result.isFailure(result)) {
            throw new Error(`expected events, but the command was refused: ${describeError(result.failure)}`)
          }
          expect(result.success).toStrictEqual(expected)
        },
        thenFails: (tag, check) => {
          if (Result.isSuccess(result)) {
            throw new Error(`expected ${tag}, but the command produced ${JSON.stringify(result.success)}`)
          }
          expect(reasonOf(result.failure)).toBe(tag)
          check?.(result.failure)
        }
      }
    }
  })
})

// A domain rule's refusal is named by its reason; any other error by its tag.
const reasonOf = (error: unknown): unknown => {
  const tagged = error as { readonly _tag?: unknown; readonly reason?: { readonly _tag?: unknown } }
  return tagged._tag === "DomainError" ? tagged.reason?._tag : tagged._tag
}

const describeError = (error: unknown): string =>
  error instanceof Error ? `${String(reasonOf(error) ?? error.name)}: ${error.message}` : String(error)

/**
 * A specification over one projection: given stored events, the folded state must satisfy
 * the expectation.
 *
 * @category utils
 * @since 0.1.0
 */
export const givenEvents = <E extends { readonly _tag: string }>(
  catalog: EventCatalog<E>,
  events: ReadonlyArray<StoredEvent>
) => ({
  project: <S>(projection: Projection.Projection<S, E>, filter: Projection.TimeFilter = {}) => {
    const result = Projection.foldEvents(projection, catalog, events, filter)
    if (Result.isFailure(result)) throw result.failure
    return {
      state: result.success,
      expectState: (check: (state: S) => void) => check(result.success)
    }
  }
})
