/**
 * Building blocks shared by the event families: identifiers that can be part of a stream id,
 * years, references to classification-scheme codes and the deciding body of a decision.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * The identifier of an entity (actor, organisation, agreement, application, trip, …): lowercase
 * letters, digits and `.` `_` `-`, 1–100 characters. Restricted so that every stream id built
 * from it is a valid {@link StreamId}.
 *
 * @category schemas
 * @since 0.1.0
 */
export const EntityId = Schema.String.pipe(
  Schema.check(
    Schema.isPattern(/^[a-z0-9][a-z0-9._-]{0,99}$/, {
      message: "an id must be 1–100 characters of a–z, 0–9 and . _ -, starting with a letter or digit"
    })
  )
)

/**
 * @category models
 * @since 0.1.0
 */
export type EntityId = typeof EntityId.Type

/**
 * The rule a {@link Year} follows, in the words every refusal of one uses.
 *
 * @category schemas
 * @since 0.4.0
 */
export const yearRule = "a year must be an integer from 1900 to 2100"

/**
 * A calendar year of a decision, budget or membership (1900–2100).
 *
 * @category schemas
 * @since 0.1.0
 */
export const Year = Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1900, maximum: 2100 }, { message: yearRule })))

/**
 * Whether `value` is a {@link Year}: what the facade's queries and the CLI's year arguments accept.
 *
 * @category guards
 * @since 0.4.0
 */
export const isYear: (value: unknown) => value is number = Schema.is(Year)

/**
 * A count of things (jobs, firms, kilometres): a non-negative integer.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Count = Schema.Int.pipe(
  Schema.check(Schema.isGreaterThanOrEqualTo(0, { message: "a count must be a non-negative integer" }))
)

/**
 * A code in a classification scheme, tagged with the scheme it belongs to, so that codes of
 * different scheme versions (national strategy 2015–2020 vs 2021–2030, S3 labels of 2017 vs
 * 2022) are never mixed up.
 *
 * @category schemas
 * @since 0.1.0
 */
export const SchemeRef = Schema.Struct({
  schemeId: Schema.NonEmptyString,
  code: Schema.NonEmptyString
})

/**
 * @category models
 * @since 0.1.0
 */
export type SchemeRef = typeof SchemeRef.Type

/**
 * The body that took a decision, e.g. `Regionala utvecklingsnämnden` or `Kommunstyrelsen`.
 * Kept in the payload because reports name the body; the envelope's actor says who recorded it.
 *
 * @category schemas
 * @since 0.1.0
 */
export const DecidingBody = Schema.NonEmptyString

/**
 * A free-text label in the source language (a priority area, a purpose, a reason).
 *
 * @category schemas
 * @since 0.1.0
 */
export const Label = Schema.NonEmptyString
