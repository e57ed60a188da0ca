/**
 * The privacy family: the record that a person's personal data was erased (crypto-shredded).
 * It carries no personal data itself — only the pseudonymous subject reference, the key id that
 * was destroyed, the request and its legal basis — so it can stay in the log for ever and explain
 * every field that no longer decrypts (see `@utblick/audit` CryptoShredding).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as EventCatalog from "../EventCatalog.js"
import { Label } from "./Common.js"

/**
 * The privacy family as a tagged union of its events.
 *
 * @category events
 * @since 0.1.0
 */
export const PrivacyEvent = Schema.TaggedUnion({
  /** A subject's data key was destroyed on request; their sealed fields now read as erased. */
  SubjectErased: {
    subjectRef: Schema.NonEmptyString,
    kid: Schema.NonEmptyString,
    requestRef: Label,
    legalBasis: Label
  }
})

/**
 * @category events
 * @since 0.1.0
 */
export type PrivacyEvent = typeof PrivacyEvent.Type

/**
 * The stream of a subject's erasure.
 *
 * @category utils
 * @since 0.1.0
 */
export const erasureStreamId = (subjectRef: string): string =>
  `erasure-${subjectRef.toLowerCase().replace(/[^a-z0-9._:-]/g, "-")}`

/**
 * The stream id of a privacy event.
 *
 * @category getters
 * @since 0.1.0
 */
export const streamIdOf = (event: PrivacyEvent): string => erasureStreamId(event.subjectRef)

/**
 * The privacy family's catalogue entries.
 *
 * @category events
 * @since 0.1.0
 */
export const privacyCatalog = EventCatalog.make([EventCatalog.define(PrivacyEvent.cases.SubjectErased, "SubjectErased")])
