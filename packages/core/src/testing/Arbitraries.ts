/**
 * fast-check arbitraries for Utblick's values, including a bridge from any Effect Schema.
 *
 * @since 0.1.0
 */
import { fc } from "@fast-check/vitest"
import { Arbitrary, Effect, type Schema } from "effect"

/**
 * A fast-check arbitrary drawing values from an Effect Schema through Effect's own generator.
 * fast-check chooses the seed, so failures replay, but shrinking only moves between seeds.
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromSchema = <S extends Schema.Top>(schema: S, size = 20): fc.Arbitrary<S["Type"]> => {
  const arbitrary = Arbitrary.schema(schema)
  return fc
    .integer()
    .map((seed) => Effect.runSync(Arbitrary.sampleEffect(arbitrary, { count: 1, seed, size }))[0] as S["Type"])
}

/**
 * A calendar date `YYYY-MM-DD` between two years (inclusive).
 *
 * @category utils
 * @since 0.1.0
 */
export const calendarDate = (fromYear = 2010, toYear = 2030): fc.Arbitrary<string> =>
  fc
    .date({ min: new Date(Date.UTC(fromYear, 0, 1)), max: new Date(Date.UTC(toYear, 11, 31)), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10))

/**
 * An amount in öre up to `max` kronor (default 10 million).
 *
 * @category utils
 * @since 0.1.0
 */
export const ore = (maxKronor = 10_000_000): fc.Arbitrary<number> => fc.integer({ min: 0, max: maxKronor * 100 })
