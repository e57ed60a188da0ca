/**
 * The export format of a log: JSON Lines, one event per line, each line itself the RFC 8785
 * form of `{ "event": <canonical body>, "hash": <hex>, "prevHash": <hex> }`.
 *
 * Because the keys sort as `event < hash < prevHash`, the canonical body appears verbatim
 * between a fixed prefix and a fixed-length suffix: a verifier slices out the exact bytes the
 * chain hashed without re-serialising anything, and `jq .event` still works. See
 * `docs/reference/export-format.md`.
 *
 * @since 0.1.0
 */
import type { StoredRecord } from "@utblick/core/Envelope"
import { EventStore } from "@utblick/core/EventStore"
import { Effect, Stream } from "effect"

const PREFIX = '{"event":'
const HASH_KEY = ',"hash":"'
const PREV_KEY = '","prevHash":"'
const END = '"}'
const SUFFIX_LENGTH = HASH_KEY.length + 64 + PREV_KEY.length + 64 + END.length
const HEX64 = /^[0-9a-f]{64}$/

/**
 * The longest line a verifier accepts (16 MiB): a bound on memory for hostile input.
 *
 * @category constants
 * @since 0.1.0
 */
export const MAX_LINE_LENGTH = 16 * 1024 * 1024

/**
 * One export line split into the canonical body and the two chain hashes it claims.
 *
 * @category models
 * @since 0.1.0
 */
export interface ExportRecord {
  readonly canonical: string
  readonly prevHash: string
  readonly hash: string
}

/**
 * Formats one stored record as an export line (without the trailing newline).
 *
 * @category formatting
 * @since 0.1.0
 */
export const formatLine = (record: Pick<StoredRecord, "canonical" | "prevHash" | "hash">): string =>
  `${PREFIX}${record.canonical}${HASH_KEY}${record.hash}${PREV_KEY}${record.prevHash}${END}`

/**
 * Splits an export line into its parts, or explains why it is not an export line.
 *
 * @category encoding
 * @since 0.1.0
 */
export const parseLine = (line: string): ExportRecord | string => {
  if (line.length > MAX_LINE_LENGTH) return `the line is longer than ${MAX_LINE_LENGTH} characters`
  if (line.length < PREFIX.length + SUFFIX_LENGTH + 2 || !line.startsWith(PREFIX) || !line.endsWith(END)) {
    return 'the line is not {"event":…,"hash":"…","prevHash":"…"}'
  }
  const suffixStart = line.length - SUFFIX_LENGTH
  if (
    !line.startsWith(HASH_KEY, suffixStart) ||
    !line.startsWith(PREV_KEY, suffixStart + HASH_KEY.length + 64)
  ) {
    return 'the line does not end with ,"hash":"<64 hex>","prevHash":"<64 hex>"}'
  }
  const hash = line.slice(suffixStart + HASH_KEY.length, suffixStart + HASH_KEY.length + 64)
  const prevHash = line.slice(line.length - END.length - 64, line.length - END.length)
  if (!HEX64.test(hash) || !HEX64.test(prevHash)) return "the hashes must be 64 lowercase hex digits"
  return { canonical: line.slice(PREFIX.length, suffixStart), prevHash, hash }
}

/**
 * Exports the whole log of the current {@link EventStore} as export lines, in constant memory.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { EventStore } from "@utblick/core"
 * import { Export } from "@utblick/audit"
 *
 * const text = Export.lines().pipe(Stream.map((l) => `${l}\n`), Stream.mkString)
 * Effect.runPromise(Effect.provide(text, EventStore.layerMemory()))
 * ```
 *
 * @category encoding
 * @since 0.1.0
 */
export const lines = (options?: { readonly fromPosition?: number; readonly toPosition?: number }) =>
  Stream.unwrap(
    Effect.gen(function* () {
      const store = yield* EventStore
      return store.readRecords(options ?? {}).pipe(Stream.map(formatLine))
    })
  )

/**
 * Exports the whole log as one string of newline-terminated lines (convenient for tests and
 * small logs; use {@link lines} for large ones).
 *
 * @category encoding
 * @since 0.1.0
 */
export const toText = Effect.map(Stream.runCollect(lines()), (all) => all.map((l) => `${l}\n`).join(""))
