/**
 * The verifier's native engine (ADR 0052), when this platform has it: the canonical check of a
 * record, its chain hash, its leaf and the Merkle range, in C over the record's code units, with
 * SHA-256 from the OpenSSL that Node.js carries. It is an accelerator, never a second opinion:
 * what it cannot prove is decided by the JavaScript checks, which also word every failure, and
 * property tests hold its answers equal to theirs.
 *
 * `UTBLICK_NATIVE=0` turns it off (an auditor who wants the JavaScript path alone).
 *
 * @since 0.4.0
 */
import { createRequire } from "node:module"
import { fileURLToPath } from "node:url"
import type { EnvelopeFields } from "./CanonicalScan.js"

/**
 * One native verifier. Each function works on the engine's own buffers; `fields` is the array
 * given at {@link open}.
 *
 * @category models
 * @since 0.4.0
 */
export interface NativeEngine {
  /**
   * Whether the text is its own RFC 8785 form with every envelope field typed, provided each
   * number token listed in `fields` (`DECIMALS`) is its value's ECMAScript form: use
   * {@link proves}, which checks those. `false` means "ask the JavaScript checks", not "invalid".
   */
  readonly scan: (canonical: string) => boolean
  /** Makes the text the record {@link NativeEngine.chain} hashes (after a refused scan). */
  readonly load: (canonical: string) => boolean
  /** Whether `SHA-256(prev ‖ record)` is exactly the given 64 lowercase hex digits. */
  readonly chain: (claimedHex: string) => boolean
  /** The hash just chained becomes the previous hash, and its leaf joins the range. */
  readonly accept: () => void
  /** Sets the previous hash (64 lowercase hex digits); false, and unchanged, for anything else. */
  readonly start: (prevHex: string) => boolean
  /** `[size, ...roots]`: the range's size and its subtree roots (latin1), largest first. */
  readonly range: () => Array<number | string>
  /** Replaces the range (roots as latin1 strings, largest first). */
  readonly setRange: (size: number, roots: ReadonlyArray<string>) => boolean
}

/**
 * Slots of the fields array after an accepted {@link NativeEngine.scan}: numbers, and
 * `[start, end)` code-unit ranges of the text for strings (`PREV_START` -1 for `null`).
 *
 * @category constants
 * @since 0.4.0
 */
export const Field = {
  V: 0,
  POSITION: 1,
  STREAM_VERSION: 2,
  ORIGIN_START: 3,
  ORIGIN_END: 4,
  RECORDED_START: 5,
  RECORDED_END: 6,
  STREAM_ID_START: 7,
  STREAM_ID_END: 8,
  PREV_START: 9,
  PREV_END: 10,
  /** The other index columns' fields (ADR 0053): -1 when the value is absent or not a string. */
  EVENT_ID_START: 11,
  EVENT_ID_END: 12,
  TYPE_START: 13,
  TYPE_END: 14,
  TENANT_START: 15,
  TENANT_END: 16,
  OCCURRED_START: 17,
  OCCURRED_END: 18,
  /** How many of the payload's number tokens are not plain integers. */
  DECIMALS: 19,
  /** `[start, end)` of each such token, in turn (at most 8). */
  DECIMAL_SPANS: 20
} as const

interface Module {
  readonly open: (fields: Float64Array) => NativeEngine
}

// Where the compiled engine may be: beside a bundle that copied it (the CLI's dist), or in this
// package's `native/build/`, two folders up from this module in `src/internal/` and in
// `dist/internal/` alike.
const candidates = (): ReadonlyArray<string> => [
  fileURLToPath(new URL("./utblick-engine.node", import.meta.url)),
  fileURLToPath(new URL("../../native/build/engine.node", import.meta.url))
]

/**
 * Whether an environment turns the engine off (`UTBLICK_NATIVE=0`).
 *
 * @category guards
 * @since 0.4.0
 */
export const disabledBy = (env: Readonly<Record<string, string | undefined>>): boolean =>
  env["UTBLICK_NATIVE"] === "0"

let loaded: Module | null | undefined

const load = (): Module | null => {
  if (loaded !== undefined) return loaded
  loaded = null
  if (disabledBy(process.env)) return loaded
  const require = createRequire(import.meta.url)
  for (const candidate of candidates()) {
    try {
      loaded = require(candidate) as Module
      break
    } catch {
      // Not built here, another platform, or a Node.js without OpenSSL's symbols: try the next.
    }
  }
  return loaded
}

/**
 * Whether the native engine loads in this process (for reports and tests).
 *
 * @category guards
 * @since 0.4.0
 */
export const isAvailable = (): boolean => load() !== null

/**
 * A new native engine writing its fields into `fields` (at least 36 slots: see {@link makeFields}),
 * or `undefined` when there is none here.
 *
 * @category constructors
 * @since 0.4.0
 */
export const open = (fields: Float64Array): NativeEngine | undefined => load()?.open(fields)

// The most decimal tokens a scan lists (engine.c's MAX_DECIMALS), and the slots `open` requires:
// the fields above and a span of two for each (engine.c's F_COUNT).
const MAX_DECIMALS = 8
const FIELD_SLOTS = Field.DECIMAL_SPANS + 2 * MAX_DECIMALS

/**
 * A fields array for {@link open}: its own `ArrayBuffer`, so its memory never moves.
 *
 * @category constructors
 * @since 0.4.0
 */
export const makeFields = (): Float64Array => new Float64Array(new ArrayBuffer(FIELD_SLOTS * 8))

/**
 * Whether the engine proves the text its own RFC 8785 form with every envelope field typed: its
 * scan accepts, and each number token it listed that is not a plain integer is the ECMAScript
 * form of its value (RFC 8785 §3.2.2.3), which JavaScript tells at once. Then `fields` holds the
 * envelope fields and the record is ready for {@link NativeEngine.chain}.
 *
 * @category guards
 * @since 0.4.0
 */
export const proves = (engine: NativeEngine, fields: Float64Array, canonical: string): boolean => {
  if (!engine.scan(canonical)) return false
  const decimals = fields[Field.DECIMALS] as number
  for (let i = 0; i < decimals; i++) {
    const at = Field.DECIMAL_SPANS + 2 * i
    const token = canonical.slice(fields[at], fields[at + 1])
    if (String(Number(token)) !== token) return false
  }
  return true
}

/**
 * The envelope fields of a text {@link proves} accepted, read from `fields` into `out` (the
 * shape the JavaScript scan fills).
 *
 * @category getters
 * @since 0.4.0
 */
export const readFields = (fields: Float64Array, canonical: string, out: EnvelopeFields): void => {
  out.v = fields[Field.V]
  out.position = fields[Field.POSITION]
  out.origin = canonical.slice(fields[Field.ORIGIN_START], fields[Field.ORIGIN_END])
  out.recordedAt = canonical.slice(fields[Field.RECORDED_START], fields[Field.RECORDED_END])
  out.streamId = canonical.slice(fields[Field.STREAM_ID_START], fields[Field.STREAM_ID_END])
  out.streamVersion = fields[Field.STREAM_VERSION]
  const prevStart = fields[Field.PREV_START] as number
  out.streamPrev = prevStart === -1 ? null : canonical.slice(prevStart, fields[Field.PREV_END])
}

/**
 * A Merkle range (`LeafHashing.LeafRange`) kept by a native engine while records are accepted,
 * and handed to JavaScript when anything reads it: `stack` takes the engine's roots into a new
 * array (arrays handed out before are never changed under their holder), and the next
 * {@link EngineRange.accept} gives the engine whatever JavaScript made of it.
 *
 * @category models
 * @since 0.4.0
 */
export class EngineRange {
  readonly #engine: NativeEngine
  #stack: Array<string>
  #size: number
  // Whether the engine holds the range (and #stack is behind it).
  #native = false

  constructor(engine: NativeEngine, from: { readonly size: number; readonly stack: ReadonlyArray<string> }) {
    this.#engine = engine
    this.#stack = from.stack.slice()
    this.#size = from.size
  }

  /** The number of leaves. */
  get size(): number {
    return this.#size
  }

  set size(size: number) {
    this.#take()
    this.#size = size
  }

  /** The subtree roots (latin1), largest first. */
  get stack(): Array<string> {
    this.#take()
    return this.#stack
  }

  /** The engine's last chain hash joins the range as a leaf (see {@link NativeEngine.accept}). */
  accept(): void {
    if (!this.#native) {
      // JavaScript's appends keep a compact range; anything else is a defect, not a verdict.
      if (!this.#engine.setRange(this.#size, this.#stack))
        throw new Error(
          `EngineRange: ${this.#stack.length} roots are no compact range of ${this.#size} leaves`
        )
      this.#native = true
    }
    this.#engine.accept()
    this.#size++
  }

  #take(): void {
    if (!this.#native) return
    const [size, ...roots] = this.#engine.range() as [number, ...Array<string>]
    this.#stack = roots
    this.#size = size
    this.#native = false
  }
}
