/**
 * The store boundary where personal data is sealed: an `EventStore` that seals every personal
 * field (`PersonalData.fields` in core) with the subject's key before the inner store plans,
 * canonicalises and hashes the event. Every channel that appends through it (facade, commands,
 * CLI JSON Lines and CSV import, HTTP) stores only sealed values.
 *
 * **Details**
 *
 * Sealing binds the ciphertext to the log's origin, the event id and the field's JSON pointer
 * (AAD), so an event without an id gets a UUIDv7 here, before sealing. A plain value for a
 * subject already forgotten is refused (`KeyStoreError` `SubjectErased`), and nothing is written.
 *
 * @since 0.2.0
 */
import type { EventToAppend } from "@utblick/core/Envelope"
import { appendViaMany, type EventStoreShape, type StreamWrite } from "@utblick/core/EventStore"
import { type EventStoreError, fromReason, InvalidEvent } from "@utblick/core/EventStoreError"
import * as PersonalData from "@utblick/core/PersonalData"
import { uuidV7At } from "@utblick/core/Uuid"
import { mkdirSync } from "node:fs"
import { dirname } from "node:path"
import { Clock, Effect } from "effect"
import { type KeyStore, KeyStoreError, layerSqlite, seal } from "./CryptoShredding.js"

/**
 * Runs an effect that needs the key store: how the sealing store reaches the keys (e.g. by
 * providing `CryptoShredding.layerSqlite` for the one append that needs them).
 *
 * @category models
 * @since 0.2.0
 */
export type WithKeys = <A, E>(effect: Effect.Effect<A, E, KeyStore>) => Effect.Effect<A, E | KeyStoreError>

/**
 * Where the key store of an SQLite log lives by convention: `<filename>.utblick/keys.db`, beside
 * the log, where the CLI (`utblick forget`) and the facade both look for it.
 *
 * @category getters
 * @since 0.2.0
 */
export const keyStoreBeside = (filename: string): string => `${filename}.utblick/keys.db`

/**
 * Reaches the keys in the SQLite key store `file` (its folder is created on first use; the file
 * is opened only for an append that holds personal data).
 *
 * @category constructors
 * @since 0.2.0
 */
export const withKeyFile =
  (file: string): WithKeys =>
  (effect) =>
    Effect.suspend(() => {
      mkdirSync(dirname(file), { recursive: true })
      return Effect.provide(effect, layerSqlite({ filename: file }))
    })

const refused = (streamId: string, index: number, field: string, rule: string): EventStoreError =>
  fromReason(
    new InvalidEvent({
      streamId,
      index,
      field: `payload.${field}`,
      value: "(personal data, not shown)",
      rule
    })
  )

/**
 * Whether any event of the writes carries a personal field in plain text.
 *
 * @category guards
 * @since 0.2.0
 */
export const needsSealing = (writes: ReadonlyArray<StreamWrite>): boolean =>
  writes.some((w) =>
    w.events.some((e) =>
      (PersonalData.fields[e.type] ?? []).some(
        (f) => typeof (e.payload as Record<string, unknown>)[f.field] === "string"
      )
    )
  )

/**
 * Seals the personal fields of the events of `writes` for the log `origin`.
 *
 * @category verification
 * @since 0.2.0
 */
export const sealWrites = (
  origin: string,
  writes: ReadonlyArray<StreamWrite>
): Effect.Effect<ReadonlyArray<StreamWrite>, EventStoreError, KeyStore> =>
  Effect.gen(function* () {
    const now = yield* Clock.currentTimeMillis
    const out: Array<StreamWrite> = []
    for (const w of writes) {
      const events: Array<EventToAppend> = []
      for (const [index, e] of w.events.entries()) {
        const personal = PersonalData.fields[e.type] ?? []
        const payload = e.payload as Record<string, unknown>
        if (!personal.some((f) => typeof payload[f.field] === "string")) {
          events.push(e)
          continue
        }
        const eventId = e.eventId ?? uuidV7At(now)
        const sealedPayload: Record<string, unknown> = { ...payload }
        for (const f of personal) {
          const value = payload[f.field]
          if (typeof value !== "string") continue
          const subject = payload[f.subject]
          if (typeof subject !== "string" || subject.length === 0) {
            return yield* Effect.fail(
              refused(
                w.streamId,
                index,
                f.field,
                `personal data needs the person's subject reference in payload.${f.subject}`
              )
            )
          }
          sealedPayload[f.field] = yield* seal(value, subject, {
            origin,
            eventId,
            pointer: `/payload/${f.field}`
          }).pipe(
            Effect.mapError((k) =>
              refused(
                w.streamId,
                index,
                f.field,
                k.reason === "SubjectErased"
                  ? `subject ${subject} was forgotten; personal data for them is no longer accepted`
                  : `cannot seal it: ${k.detail}`
              )
            )
          )
        }
        events.push({ ...e, eventId, payload: sealedPayload as EventToAppend["payload"] })
      }
      out.push({ ...w, events })
    }
    return out
  })

/**
 * Wraps a store so that every append seals personal fields first; reads are unchanged.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { EventStore } from "@utblick/core"
 * import { CryptoShredding, Sealing } from "@utblick/audit"
 *
 * const program = Effect.gen(function* () {
 *   const inner = yield* EventStore.EventStore
 *   const keys = CryptoShredding.makeMemory()
 *   return Sealing.wrap(inner, (effect) => Effect.provideService(effect, CryptoShredding.KeyStore, keys))
 * })
 * ```
 *
 * @category utils
 * @since 0.2.0
 */
export const wrap = (inner: EventStoreShape, withKeys: WithKeys): EventStoreShape => {
  const appendMany: EventStoreShape["appendMany"] = (writes) =>
    needsSealing(writes)
      ? withKeys(sealWrites(inner.origin, writes)).pipe(
          Effect.mapError(
            (e): EventStoreError =>
              e instanceof KeyStoreError
                ? fromReason(
                    new InvalidEvent({
                      streamId: "",
                      index: 0,
                      field: "payload",
                      value: "(personal data)",
                      rule: `the key store refused: ${e.message}`
                    })
                  )
                : e
          ),
          Effect.flatMap(inner.appendMany)
        )
      : inner.appendMany(writes)
  return {
    ...inner,
    appendMany,
    append: appendViaMany(appendMany)
  }
}
