/**
 * Personal data in events: which fields are personal (and whose), and the shape a sealed value
 * takes in the log, so that every event schema decodes a sealed or erased value as well as the
 * plain one that a command carries before it is sealed.
 *
 * **Details**
 *
 * A personal field is sealed at the store boundary (`@utblick/audit` `Sealing`), with the key of
 * the subject named by another field of the same payload, before the event is canonicalised and
 * hashed: no plaintext personal value reaches the log, a snapshot, a read model or an export.
 * After erasure the key is gone and the sealed value stays, unreadable; the hash chain is
 * untouched.
 *
 * @since 0.2.0
 */
import { Schema } from "effect"

/**
 * A sealed value (AES-256-GCM, JWE-like): `{ "$enc": { alg, kid, iv, ct } }`.
 *
 * @category schemas
 * @since 0.2.0
 */
export const Sealed = Schema.Struct({
  $enc: Schema.Struct({
    alg: Schema.Literal("A256GCM"),
    kid: Schema.String,
    iv: Schema.String,
    ct: Schema.String
  })
})

/**
 * The type of a sealed value.
 *
 * @category models
 * @since 0.2.0
 */
export type Sealed = typeof Sealed.Type

/**
 * A personal text field: plain text while a command carries it, a {@link Sealed} value once
 * stored. Mark personal fields of event schemas with it (and list them in {@link fields}).
 *
 * @category schemas
 * @since 0.2.0
 */
export const PersonalText = Schema.Union([Schema.String, Sealed])

/**
 * One personal field of an event type: the payload field and the payload field that names the
 * person (their pseudonymous subject reference, whose key seals the value).
 *
 * @category models
 * @since 0.2.0
 */
export interface PersonalField {
  readonly field: string
  readonly subject: string
}

/**
 * Every personal field of every event type. The sealing store seals exactly these; a test
 * checks that each is declared with {@link PersonalText} in its schema.
 *
 * @category utils
 * @since 0.2.0
 */
export const fields: Readonly<Record<string, ReadonlyArray<PersonalField>>> = {
  TripProposed: [{ field: "travellerName", subject: "traveller" }]
}

/**
 * Whether a value is a sealed value.
 *
 * @category guards
 * @since 0.2.0
 */
export const isSealed = (value: unknown): value is Sealed => Schema.is(Sealed)(value)
