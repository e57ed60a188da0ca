/**
 * Crypto-shredding of personal data: each person (a pseudonymous `subjectRef`) gets an AES-256
 * data key (DEK) in a key store kept apart from the log; each personal-data value is sealed with
 * AES-256-GCM, a fresh random 96-bit IV and AAD `origin|eventId|<JSON pointer>|kid`, before the
 * event is canonicalised and hashed. Forgetting a subject deletes its DEK and writes a tombstone.
 *
 * The log keeps the ciphertext, so chain, roots and proofs are untouched by erasure. Unsealing
 * tells *erased* (a tombstone exists, and is cited) from `AUTH_FAILED` (the tag does not verify:
 * tampering, or a value moved to another event or field) from `MISSING_KEY` (an audit finding).
 *
 * @since 0.1.0
 */
import { canonicalize, type JsonObject, type JsonValue } from "@utblick/core/CanonicalJson"
import type BetterSqlite3 from "better-sqlite3"
import { Clock, Context, Data, Effect, Layer } from "effect"
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto"
import { createRequire } from "node:module"

/**
 * A sealed value as it is stored in a payload in place of the plaintext.
 *
 * @category models
 * @since 0.1.0
 */
export interface Sealed {
  readonly $enc: { readonly alg: "A256GCM"; readonly kid: string; readonly iv: string; readonly ct: string }
}

/**
 * The record left when a subject's key is deleted; it contains no personal data.
 *
 * @category models
 * @since 0.1.0
 */
export interface Tombstone {
  readonly kid: string
  readonly subjectRef: string
  /** The erasure request (case number) and its legal basis, e.g. GDPR art. 17. */
  readonly requestRef: string
  readonly legalBasis: string
  readonly erasedAt: string
  /** The `SubjectErased` event recorded in the log, when known. */
  readonly erasedEventId?: string
}

/**
 * Why a key store operation was refused.
 *
 * - `SubjectErased`: sealing for an erased subject (A20: no silent re-provisioning).
 * - `KeyResurrection`: restoring a key whose kid has a tombstone (A20: flagged, refused).
 * - `Unavailable`: the key store could not be read or written.
 *
 * @category errors
 * @since 0.1.0
 */
export class KeyStoreError extends Data.TaggedError("KeyStoreError")<{
  readonly reason: "SubjectErased" | "KeyResurrection" | "Unavailable"
  readonly kid: string
  readonly detail: string
}> {
  override get message(): string {
    return `${this.reason} (${this.kid}): ${this.detail}`
  }
}

/**
 * The state of a key: present, erased (with its tombstone), or unknown.
 *
 * @category models
 * @since 0.1.0
 */
export type KeyState =
  | { readonly status: "active"; readonly key: Uint8Array }
  | { readonly status: "erased"; readonly tombstone: Tombstone }
  | { readonly status: "missing" }

/**
 * What every key store offers.
 *
 * @category models
 * @since 0.1.0
 */
export interface KeyStoreShape {
  /** The subject's DEK, created on first use; refused after erasure. */
  readonly keyFor: (
    subjectRef: string
  ) => Effect.Effect<{ readonly kid: string; readonly key: Uint8Array }, KeyStoreError>
  readonly lookup: (kid: string) => Effect.Effect<KeyState, KeyStoreError>
  /** Deletes the DEK and writes a tombstone; idempotent. */
  readonly forget: (
    subjectRef: string,
    request: { readonly requestRef: string; readonly legalBasis: string; readonly erasedEventId?: string }
  ) => Effect.Effect<Tombstone, KeyStoreError>
  /** Restores a DEK (from a backup); refused and flagged when the kid has a tombstone. */
  readonly restore: (subjectRef: string, key: Uint8Array) => Effect.Effect<void, KeyStoreError>
}

/**
 * The key store service.
 *
 * @category services
 * @since 0.1.0
 */
export class KeyStore extends Context.Service<KeyStore, KeyStoreShape>()("~utblick/audit/KeyStore") {}

/**
 * The key id of a subject's DEK. It carries only the pseudonymous `subjectRef`.
 *
 * @category utils
 * @since 0.1.0
 */
export const kidOf = (subjectRef: string): string => `subj:${subjectRef}`

const nowIso = Effect.map(Clock.currentTimeMillis, (ms) => new Date(ms).toISOString())

const erasedError = (t: Tombstone) =>
  new KeyStoreError({
    reason: "SubjectErased",
    kid: t.kid,
    detail: `the subject was erased at ${t.erasedAt} under ${t.requestRef}; personal data for it may not be written again`
  })

const resurrectionError = (t: Tombstone) =>
  new KeyStoreError({
    reason: "KeyResurrection",
    kid: t.kid,
    detail: `this key was destroyed at ${t.erasedAt} under ${t.requestRef}; restoring it from a backup would undo an erasure. Report it to the data protection officer`
  })

/**
 * An in-memory key store, for tests and examples.
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeMemory = (): KeyStoreShape => {
  const keys = new Map<string, Uint8Array>()
  const tombstones = new Map<string, Tombstone>()
  return {
    keyFor: (subjectRef) =>
      Effect.suspend(() => {
        const kid = kidOf(subjectRef)
        const t = tombstones.get(kid)
        if (t !== undefined) return Effect.fail(erasedError(t))
        let key = keys.get(kid)
        if (key === undefined) {
          key = randomBytes(32)
          keys.set(kid, key)
        }
        return Effect.succeed({ kid, key })
      }),
    lookup: (kid) =>
      Effect.sync((): KeyState => {
        const key = keys.get(kid)
        if (key !== undefined) return { status: "active", key }
        const tombstone = tombstones.get(kid)
        return tombstone !== undefined ? { status: "erased", tombstone } : { status: "missing" }
      }),
    forget: (subjectRef, request) =>
      Effect.flatMap(nowIso, (erasedAt) =>
        Effect.sync(() => {
          const kid = kidOf(subjectRef)
          const existing = tombstones.get(kid)
          if (existing !== undefined) return existing
          const key = keys.get(kid)
          key?.fill(0)
          keys.delete(kid)
          const tombstone: Tombstone = { kid, subjectRef, erasedAt, ...request }
          tombstones.set(kid, tombstone)
          return tombstone
        })
      ),
    restore: (subjectRef, key) =>
      Effect.suspend(() => {
        const kid = kidOf(subjectRef)
        const t = tombstones.get(kid)
        if (t !== undefined) return Effect.fail(resurrectionError(t))
        keys.set(kid, Buffer.from(key))
        return Effect.void
      })
  }
}

/**
 * A layer with an empty in-memory {@link KeyStore}.
 *
 * @category layers
 * @since 0.1.0
 */
export const layerMemory: Layer.Layer<KeyStore> = Layer.sync(KeyStore, () => KeyStore.of(makeMemory()))

/**
 * Options of the SQLite key store.
 *
 * @category models
 * @since 0.1.0
 */
export interface SqliteOptions {
  /** The key store file; keep it apart from the log (and out of the log's backups). */
  readonly filename: string
  /** A 32-byte key-encryption key (from the KMS) that wraps every DEK at rest. */
  readonly kek?: Uint8Array
}

const wrap = (kek: Uint8Array | undefined, kid: string, dek: Uint8Array): Buffer => {
  if (kek === undefined) return Buffer.from(dek)
  const iv = randomBytes(12)
  const cipher = createCipheriv("aes-256-gcm", kek, iv).setAAD(Buffer.from(`dek|${kid}`))
  return Buffer.concat([iv, cipher.update(dek), cipher.final(), cipher.getAuthTag()])
}

const unwrap = (kek: Uint8Array | undefined, kid: string, stored: Buffer): Buffer => {
  if (kek === undefined) return stored
  const decipher = createDecipheriv("aes-256-gcm", kek, stored.subarray(0, 12)).setAAD(
    Buffer.from(`dek|${kid}`)
  )
  decipher.setAuthTag(stored.subarray(stored.length - 16))
  return Buffer.concat([decipher.update(stored.subarray(12, stored.length - 16)), decipher.final()])
}

interface TombstoneRow {
  readonly kid: string
  readonly subject_ref: string
  readonly request_ref: string
  readonly legal_basis: string
  readonly erased_at: string
  readonly erased_event_id: string | null
}

const fromRow = (r: TombstoneRow): Tombstone => ({
  kid: r.kid,
  subjectRef: r.subject_ref,
  requestRef: r.request_ref,
  legalBasis: r.legal_basis,
  erasedAt: r.erased_at,
  ...(r.erased_event_id === null ? {} : { erasedEventId: r.erased_event_id })
})

// better-sqlite3 is an optional peer of this package: only the SQLite key store needs it, so it is
// loaded when one is opened and a service that keeps its keys elsewhere installs nothing native.
const openDatabase = (filename: string): BetterSqlite3.Database => {
  const Database = createRequire(import.meta.url)("better-sqlite3") as typeof BetterSqlite3
  return new Database(filename)
}

/**
 * A SQLite key store in its own file (better-sqlite3). `secure_delete` is on and the journal is
 * a rollback journal, so a deleted DEK is overwritten on disk rather than lingering in free pages
 * or a WAL file.
 *
 * @category layers
 * @since 0.1.0
 */
export const layerSqlite = (options: SqliteOptions): Layer.Layer<KeyStore, KeyStoreError> =>
  Layer.effect(
    KeyStore,
    Effect.gen(function* () {
      const db = yield* Effect.acquireRelease(
        Effect.try({
          try: () => openDatabase(options.filename),
          catch: (cause) =>
            new KeyStoreError({
              reason: "Unavailable",
              kid: "",
              detail: `cannot open ${options.filename}: ${String(cause)}`
            })
        }),
        (d) => Effect.sync(() => d.close())
      )
      db.pragma("journal_mode = DELETE")
      db.pragma("secure_delete = ON")
      db.exec(`
        CREATE TABLE IF NOT EXISTS audit_keys (
          kid TEXT PRIMARY KEY, subject_ref TEXT NOT NULL, dek BLOB NOT NULL, created_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS audit_key_tombstones (
          kid TEXT PRIMARY KEY, subject_ref TEXT NOT NULL, request_ref TEXT NOT NULL, legal_basis TEXT NOT NULL,
          erased_at TEXT NOT NULL, erased_event_id TEXT);`)
      const selectKey = db.prepare<[string], { dek: Buffer }>("SELECT dek FROM audit_keys WHERE kid = ?")
      const selectTomb = db.prepare<[string], TombstoneRow>(
        "SELECT * FROM audit_key_tombstones WHERE kid = ?"
      )
      const insertKey = db.prepare(
        "INSERT INTO audit_keys (kid, subject_ref, dek, created_at) VALUES (?, ?, ?, ?)"
      )
      const deleteKey = db.prepare("DELETE FROM audit_keys WHERE kid = ?")
      const insertTomb = db.prepare(
        "INSERT INTO audit_key_tombstones (kid, subject_ref, request_ref, legal_basis, erased_at, erased_event_id) VALUES (?, ?, ?, ?, ?, ?)"
      )
      const run = <A>(kid: string, f: () => A) =>
        Effect.try({
          try: f,
          catch: (cause) =>
            cause instanceof KeyStoreError
              ? cause
              : new KeyStoreError({ reason: "Unavailable", kid, detail: String(cause) })
        })
      const tombstone = (kid: string) => {
        const row = selectTomb.get(kid)
        return row === undefined ? undefined : fromRow(row)
      }
      const shape: KeyStoreShape = {
        keyFor: (subjectRef) =>
          Effect.flatMap(nowIso, (now) => {
            const kid = kidOf(subjectRef)
            return run(
              kid,
              db.transaction(() => {
                const t = tombstone(kid)
                if (t !== undefined) throw erasedError(t)
                const row = selectKey.get(kid)
                if (row !== undefined) return { kid, key: unwrap(options.kek, kid, row.dek) as Uint8Array }
                const key = randomBytes(32)
                insertKey.run(kid, subjectRef, wrap(options.kek, kid, key), now)
                return { kid, key: key as Uint8Array }
              })
            )
          }),
        lookup: (kid) =>
          run(kid, (): KeyState => {
            const row = selectKey.get(kid)
            if (row !== undefined) return { status: "active", key: unwrap(options.kek, kid, row.dek) }
            const t = tombstone(kid)
            return t !== undefined ? { status: "erased", tombstone: t } : { status: "missing" }
          }),
        forget: (subjectRef, request) =>
          Effect.flatMap(nowIso, (erasedAt) => {
            const kid = kidOf(subjectRef)
            return run(
              kid,
              db.transaction(() => {
                const existing = tombstone(kid)
                if (existing !== undefined) return existing
                deleteKey.run(kid)
                insertTomb.run(
                  kid,
                  subjectRef,
                  request.requestRef,
                  request.legalBasis,
                  erasedAt,
                  request.erasedEventId ?? null
                )
                return tombstone(kid) as Tombstone
              })
            )
          }),
        restore: (subjectRef, key) =>
          Effect.flatMap(nowIso, (now) => {
            const kid = kidOf(subjectRef)
            return run(
              kid,
              db.transaction(() => {
                const t = tombstone(kid)
                if (t !== undefined) throw resurrectionError(t)
                deleteKey.run(kid)
                insertKey.run(kid, subjectRef, wrap(options.kek, kid, key), now)
              })
            )
          })
      }
      return KeyStore.of(shape)
    })
  )

/**
 * Where a sealed value sits: the log, the event and the JSON pointer of the field. All three are
 * bound into the AAD so that a ciphertext cannot be moved (A17).
 *
 * @category models
 * @since 0.1.0
 */
export interface SealContext {
  readonly origin: string
  readonly eventId: string
  readonly pointer: string
}

const aad = (ctx: SealContext, kid: string) =>
  Buffer.from(`${ctx.origin}|${ctx.eventId}|${ctx.pointer}|${kid}`, "utf8")

/**
 * Seals one personal-data value for `subjectRef`. Fails with `SubjectErased` after erasure.
 *
 * @category verification
 * @since 0.1.0
 */
export const seal = (
  value: JsonValue,
  subjectRef: string,
  ctx: SealContext
): Effect.Effect<Sealed, KeyStoreError, KeyStore> =>
  Effect.gen(function* () {
    const store = yield* KeyStore
    const { kid, key } = yield* store.keyFor(subjectRef)
    // A fresh random IV per value: GCM with a repeated IV under one key leaks the XOR of
    // plaintexts and the authentication key (the regression test is A18).
    const iv = randomBytes(12)
    const cipher = createCipheriv("aes-256-gcm", key, iv).setAAD(aad(ctx, kid))
    const ct = Buffer.concat([
      cipher.update(canonicalize(value), "utf8"),
      cipher.final(),
      cipher.getAuthTag()
    ])
    return { $enc: { alg: "A256GCM", kid, iv: iv.toString("base64"), ct: ct.toString("base64") } }
  })

/**
 * The outcome of unsealing: the value, *erased* (citing the tombstone), `AUTH_FAILED`
 * (tampering or a moved ciphertext, never reported as erased), or `MISSING_KEY` (an audit
 * finding: no key and no tombstone).
 *
 * @category models
 * @since 0.1.0
 */
export type Unsealed =
  | { readonly status: "ok"; readonly value: JsonValue }
  | { readonly status: "erased"; readonly tombstone: Tombstone }
  | { readonly status: "AUTH_FAILED"; readonly kid: string }
  | { readonly status: "MISSING_KEY"; readonly kid: string }

/**
 * Whether a JSON value is a sealed value.
 *
 * @category guards
 * @since 0.1.0
 */
export const isSealed = (value: unknown): value is Sealed => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false
  const enc = (value as Record<string, unknown>).$enc
  if (typeof enc !== "object" || enc === null) return false
  const e = enc as Record<string, unknown>
  return (
    e.alg === "A256GCM" && typeof e.kid === "string" && typeof e.iv === "string" && typeof e.ct === "string"
  )
}

/**
 * Unseals one value in its context.
 *
 * @category utils
 * @since 0.1.0
 */
export const unseal = (sealed: Sealed, ctx: SealContext): Effect.Effect<Unsealed, KeyStoreError, KeyStore> =>
  Effect.gen(function* () {
    const store = yield* KeyStore
    const { kid } = sealed.$enc
    const state = yield* store.lookup(kid)
    if (state.status === "erased") return { status: "erased", tombstone: state.tombstone } as const
    if (state.status === "missing") return { status: "MISSING_KEY", kid } as const
    try {
      const iv = Buffer.from(sealed.$enc.iv, "base64")
      const ct = Buffer.from(sealed.$enc.ct, "base64")
      if (iv.length !== 12 || ct.length < 16) return { status: "AUTH_FAILED", kid } as const
      const decipher = createDecipheriv("aes-256-gcm", state.key, iv).setAAD(aad(ctx, kid))
      decipher.setAuthTag(ct.subarray(ct.length - 16))
      const plain = Buffer.concat([decipher.update(ct.subarray(0, ct.length - 16)), decipher.final()])
      return { status: "ok", value: JSON.parse(plain.toString("utf8")) as JsonValue } as const
    } catch {
      return { status: "AUTH_FAILED", kid } as const
    }
  })

const token = (key: string) => key.replaceAll("~", "~0").replaceAll("/", "~1")

/**
 * Every sealed value inside a JSON value, with its JSON pointer (relative to `base`).
 *
 * @category getters
 * @since 0.1.0
 */
export const findSealed = (
  value: unknown,
  base = ""
): Array<{ readonly pointer: string; readonly sealed: Sealed }> => {
  if (isSealed(value)) return [{ pointer: base, sealed: value }]
  if (Array.isArray(value)) return value.flatMap((v, i) => findSealed(v, `${base}/${i}`))
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => findSealed(v, `${base}/${token(k)}`))
  }
  return []
}

/**
 * The personal-data part of an audit: how many sealed fields, how many read as erased (with the
 * tombstones cited), how many lack a key without a tombstone, and how many failed authentication.
 *
 * @category models
 * @since 0.1.0
 */
export interface PersonalDataReport {
  readonly sealed: number
  readonly readable: number
  readonly erased: number
  readonly unexplained: ReadonlyArray<{
    readonly position: number
    readonly pointer: string
    readonly kid: string
  }>
  readonly authFailures: ReadonlyArray<{
    readonly position: number
    readonly pointer: string
    readonly kid: string
  }>
  readonly tombstones: ReadonlyArray<Tombstone>
}

/**
 * Checks every sealed field of the given events (checklist item 6). Pointers are relative to the
 * event body, e.g. `/payload/travellerName`.
 *
 * @category verification
 * @since 0.1.0
 */
export const auditPersonalData = (
  events: Iterable<{
    readonly origin: string
    readonly eventId: string
    readonly position: number
    readonly payload: JsonObject
  }>
): Effect.Effect<PersonalDataReport, KeyStoreError, KeyStore> =>
  Effect.gen(function* () {
    let sealed = 0
    let readable = 0
    let erased = 0
    const unexplained: Array<{ position: number; pointer: string; kid: string }> = []
    const authFailures: Array<{ position: number; pointer: string; kid: string }> = []
    const tombstones = new Map<string, Tombstone>()
    for (const e of events) {
      for (const { pointer, sealed: s } of findSealed(e.payload, "/payload")) {
        sealed++
        const r = yield* unseal(s, { origin: e.origin, eventId: e.eventId, pointer })
        if (r.status === "ok") readable++
        else if (r.status === "erased") {
          erased++
          tombstones.set(r.tombstone.kid, r.tombstone)
        } else if (r.status === "MISSING_KEY") unexplained.push({ position: e.position, pointer, kid: r.kid })
        else authFailures.push({ position: e.position, pointer, kid: r.kid })
      }
    }
    return { sealed, readable, erased, unexplained, authFailures, tombstones: [...tombstones.values()] }
  })
