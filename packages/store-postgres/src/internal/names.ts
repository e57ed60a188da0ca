/**
 * Names derived from the PostgreSQL schema that holds one log: the qualified table names, the
 * advisory lock keys and the notification channel.
 */
import { createHash } from "node:crypto"

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/

/** Whether `schema` is a plain lowercase identifier we can quote without surprises. */
export const isSchemaName = (schema: string): boolean => SCHEMA_NAME.test(schema)

// One 64-bit key per log and purpose. Deriving it from the schema (not the origin) ties the lock
// to the table it protects, so two stores that disagree on the origin still serialise.
const key = (schema: string, purpose: string): string => {
  const digest = createHash("sha256").update(`utblick:${purpose}:${schema}`).digest()
  return digest.readBigInt64BE(0).toString()
}

/** Everything named after one log's schema. */
export interface LogNames {
  readonly schema: string
  readonly appendLockKey: string
  readonly migrateLockKey: string
  readonly channel: string
}

/** Derives the names of the log kept in `schema`. */
export const logNames = (schema: string): LogNames => ({
  schema,
  appendLockKey: key(schema, "append"),
  migrateLockKey: key(schema, "migrate"),
  // Channel names are identifiers (≤ 63 bytes); a digest keeps long schema names within that.
  channel: `utblick_${createHash("sha256").update(schema).digest("hex").slice(0, 16)}`
})
