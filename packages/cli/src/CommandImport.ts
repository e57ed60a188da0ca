/**
 * Importing a file of commands, whole or not at all, through the one path in: every line is a
 * command decoded strictly, keyed for idempotency and decided by its aggregate under the role
 * policy (`Commands.handle` in core, the same call the facade and the HTTP example make).
 *
 * **Why a staging store.** The commands are decided against the real store's own streams, read
 * on demand (only the streams the commands address), with the events decided so far kept in
 * memory on top of them; the staged events go into the real store in one `appendMany` whose
 * expected versions are the versions read, so a concurrent writer on the same streams turns into
 * a conflict rather than a half-applied file. The cost grows with the file, not the log.
 *
 * The real store is inside one open transaction on its own connection (`ImportTransaction`, ADR
 * 0023: SQLite's database or PostgreSQL's client) and the staging layer is handed over every few
 * thousand lines (`flush`), so memory stays constant and nothing is committed until every line
 * has passed. A store that lends no connection gets it once, at the end (or per `--batch`).
 *
 * @since 0.1.0
 */
import { Commands, type Envelope, EventStore, type EventStoreError } from "@utblick/core"
import { createHash } from "node:crypto"
import { Effect, Stream } from "effect"
import { excerpt, type Item, type RowError } from "./Import.js"

/**
 * The real store with a layer of staged, not yet written, events on top. Reads see both; writes
 * go to the staging layer only.
 *
 * @category models
 * @since 0.2.0
 */
export interface Staging {
  /** The store the deciders see. */
  readonly store: EventStore.EventStoreShape
  /** The staged events as writes against the real store, with the versions they were read at. */
  readonly writes: () => Effect.Effect<ReadonlyArray<EventStore.StreamWrite>, EventStoreError.EventStoreError>
  /** How many events are staged. */
  readonly staged: () => number
}

const toAppend = (e: Envelope.StoredEvent): Envelope.EventToAppend => ({
  eventId: e.eventId,
  type: e.type,
  schemaVersion: e.schemaVersion,
  occurredAt: e.occurredAt,
  tenant: e.tenant,
  actor: e.actor,
  decisionRef: e.decisionRef,
  correlationId: e.correlationId,
  causationId: e.causationId,
  payload: e.payload
})

/**
 * Stages writes on top of `base`. A stream is copied from `base` into the staging layer the first
 * time a command reads or writes it (one stream, never the whole log).
 *
 * @category constructors
 * @since 0.2.0
 */
export const makeStaging = (base: EventStore.EventStoreShape): Effect.Effect<Staging> =>
  Effect.gen(function* () {
    const layer = yield* EventStore.makeMemory({ origin: base.origin })
    // The version each stream had in the real store when first read: the commit's expected version.
    const baseVersion = new Map<string, number>()
    // Streams written, in first-write order (a Set: a file may touch a million streams).
    const order = new Set<string>()
    let staged = 0
    const load = (streamId: string) =>
      Effect.gen(function* () {
        if (baseVersion.has(streamId)) return
        const events = yield* base.readStream(streamId)
        baseVersion.set(streamId, events.length)
        if (events.length > 0) yield* layer.append(streamId, events.map(toAppend), { expectedVersion: "no-stream" })
      })
    const note = (results: ReadonlyArray<EventStore.AppendResult>) => {
      for (const r of results) {
        if (r.events.length > 0) order.add(r.streamId)
        staged += r.events.length
      }
    }
    const store: EventStore.EventStoreShape = {
      origin: base.origin,
      append: (streamId, events, options) =>
        Effect.gen(function* () {
          yield* load(streamId)
          const result = yield* layer.append(streamId, events, options)
          note([result])
          return result
        }),
      appendMany: (writes) =>
        Effect.gen(function* () {
          for (const w of writes) yield* load(w.streamId)
          const results = yield* layer.appendMany(writes)
          note(results)
          return results
        }),
      readStream: (streamId, options) => Effect.flatMap(load(streamId), () => layer.readStream(streamId, options)),
      // Deciders read streams only; a whole-log read here would defeat the point, so it is refused.
      readAll: () => Stream.die(new Error("an import decides against streams, never the whole log")),
      readRecords: () => Stream.die(new Error("an import decides against streams, never the whole log")),
      subscribe: () => Stream.die(new Error("an import does not subscribe")),
      head: base.head
    }
    return {
      store,
      staged: () => staged,
      writes: () =>
        Effect.forEach([...order], (streamId) =>
          Effect.map(layer.readStream(streamId, { fromVersion: (baseVersion.get(streamId) ?? 0) + 1 }), (events) => {
            const version = baseVersion.get(streamId) ?? 0
            return {
              streamId,
              events: events.map(toAppend),
              expectedVersion: version === 0 ? ("no-stream" as const) : version
            }
          })
        )
    }
  })

/**
 * The line on which each idempotency key of a file was first seen, in a few bytes per line: keys
 * are hashed to 52 bits (a double holds them exactly) in an open-addressing table of two typed
 * arrays (12 bytes a slot), rather than a Map of strings. A
 * false "same fact as line N" needs two keys to share 52 bits of SHA-256: about one chance in
 * 10^4 for a billion lines.
 *
 * @category constructors
 * @since 0.2.0
 */
export const makeKeyLines = (): { readonly firstLine: (key: string, line: number) => number | undefined } => {
  let capacity = 1 << 16
  let hashes = new Float64Array(capacity)
  let lines = new Uint32Array(capacity)
  let size = 0
  const slotOf = (h: number, table: Float64Array): number => {
    let i = h % table.length
    while (table[i] !== 0 && table[i] !== h) i = (i + 1) % table.length
    return i
  }
  const grow = () => {
    const [oldHashes, oldLines] = [hashes, lines]
    capacity *= 2
    hashes = new Float64Array(capacity)
    lines = new Uint32Array(capacity)
    for (let j = 0; j < oldHashes.length; j++) {
      const h = oldHashes[j] as number
      if (h === 0) continue
      const i = slotOf(h, hashes)
      hashes[i] = h
      lines[i] = oldLines[j] as number
    }
  }
  return {
    firstLine: (key, line) => {
      // 52 bits of SHA-256, never 0 (0 marks an empty slot).
      const h = Math.max(1, parseInt(createHash("sha256").update(key).digest("hex").slice(0, 13), 16))
      const i = slotOf(h, hashes)
      if (hashes[i] === h) return lines[i]
      hashes[i] = h
      lines[i] = line
      size += 1
      if (size * 2 > capacity) grow()
      return undefined
    }
  }
}

/**
 * What deciding a file's commands came to.
 *
 * @category models
 * @since 0.2.0
 */
export interface Outcome {
  readonly commands: number
  readonly alreadyRecorded: number
  readonly events: number
  readonly errors: ReadonlyArray<RowError>
  /** Errors beyond the ones kept (the first {@link MAX_ERRORS}). */
  readonly moreErrors: number
  /** How many lines were refused (a line may have several errors). */
  readonly refusedLines: number
}

/**
 * How many refused lines an import keeps to show; the rest are counted.
 *
 * @category models
 * @since 0.2.0
 */
export const MAX_ERRORS = 50

/**
 * How many problems of one line an import reports (each with field, value and rule); a line with
 * more says how many more, so that one bad line cannot crowd out the others.
 *
 * @category models
 * @since 0.2.0
 */
export const MAX_PROBLEMS_PER_LINE = 10

/**
 * Options of {@link decideAll}.
 *
 * @category models
 * @since 0.2.0
 */
export interface DecideOptions<E> {
  /** Tenants the import may begin (the `--new-tenant` flag). */
  readonly newTenants: ReadonlySet<string>
  /** Called after each batch of lines, for progress. */
  readonly onProgress?: (lines: number) => Effect.Effect<void, E>
  /**
   * Commit every this many lines (the `--batch` flag) while no line has been refused, through
   * `commit`; each commit is all-or-nothing, and a re-run skips what was committed (its keys are
   * recorded), so a committed batch is a resumable checkpoint. Without it the file is one unit.
   */
  readonly batch?: {
    readonly lines: number
    readonly commit: (staging: Staging) => Effect.Effect<void, E | EventStoreError.EventStoreError>
  }
  /**
   * Hand the staged events over every this many lines, refused lines or not, through `write` —
   * into a transaction that is only committed if the whole file (or batch) passes (see
   * `ImportTransaction`), so that the staging layer never holds more than this many lines.
   */
  readonly flush?: {
    readonly lines: number
    readonly write: (staging: Staging) => Effect.Effect<void, E | EventStoreError.EventStoreError>
  }
}

// Field, value and rule of a refusal; the role policy's refusal names the role and who may act.
const explain = (failure: Commands.CommandFailure): { readonly field: string; readonly value: string; readonly rule: string } => {
  if (failure._tag === "NotAuthorized") {
    const allowed = failure.allowedRoles.length === 0 ? "nobody" : failure.allowedRoles.join(", ")
    return {
      field: "actor.role",
      value: excerpt(failure.role),
      rule: `${failure.command} may only be given by: ${allowed} (NotAuthorized, actor ${excerpt(failure.actorId)})`
    }
  }
  if (failure._tag === "DomainError") {
    const { _tag, field, value, rule } = failure.reason
    return { field, value, rule: `${rule} (${_tag})` }
  }
  const f = failure as { readonly _tag: string; readonly field?: unknown; readonly value?: unknown; readonly rule?: unknown; readonly message: string }
  return typeof f.field === "string" && typeof f.rule === "string"
    ? { field: f.field, value: typeof f.value === "string" ? f.value : "", rule: `${f.rule} (${f._tag})` }
    : { field: `(${f._tag})`, value: "", rule: f.message }
}

const tenantOf = (input: unknown): string | undefined => {
  const t = input !== null && typeof input === "object" ? (input as { readonly tenant?: unknown }).tenant : undefined
  return typeof t === "string" ? t : undefined
}

/**
 * Decides every command of `items` against the staging store. A line's refusal is recorded and
 * the next line decided (so one run names every bad line); the caller writes nothing unless the
 * outcome has no errors.
 *
 * Besides the aggregates' rules, the file itself must be consistent: two lines with the same
 * idempotency key are refused (naming both lines), and a tenant must already have a registry in
 * the log, be registered by an earlier `Register` line, or be named with `--new-tenant`.
 *
 * @category deciding
 * @since 0.2.0
 */
export const decideAll = <E = never>(
  items: AsyncIterable<ReadonlyArray<Item>>,
  base: EventStore.EventStoreShape,
  options: DecideOptions<E>
): Effect.Effect<
  Outcome & { readonly staging: Staging; readonly committed: number; readonly flushed: number },
  EventStoreError.EventStoreError | E
> =>
  Effect.gen(function* () {
    let staging = yield* makeStaging(base)
    let committed = 0
    let flushed = 0
    let sinceCommit = 0
    let sinceFlush = 0
    const errors: Array<RowError> = []
    let moreErrors = 0
    let refusedLines = 0
    let lastRefused = -1
    const refuse = (e: RowError) => {
      if (e.line !== lastRefused) refusedLines += 1
      lastRefused = e.line
      if (errors.length < MAX_ERRORS) errors.push(e)
      else moreErrors += 1
    }
    const keys = makeKeyLines()
    const knownTenants = new Map<string, boolean>()
    let commands = 0
    let alreadyRecorded = 0
    let lines = 0
    const iterator = items[Symbol.asyncIterator]()
    while (true) {
      const next = yield* Effect.promise(() => iterator.next())
      if (next.done === true) break
      for (const item of next.value) {
        lines += 1
        if (item._tag === "Refused") {
          refuse(item.error)
          continue
        }
        commands += 1
        const { line, input } = item
        const decoded = yield* Effect.result(Commands.decode(input))
        if (decoded._tag === "Failure") {
          // Every problem of the line, not only the first, so that one round of fixes is enough.
          const all = Commands.problems(input)
          const shown = all.length === 0 ? [decoded.failure] : all.slice(0, MAX_PROBLEMS_PER_LINE)
          for (const f of shown) refuse({ line, command: f.command, field: f.field, value: f.value, rule: f.rule })
          if (all.length > MAX_PROBLEMS_PER_LINE) {
            refuse({ line, command: decoded.failure.command, field: "(line)", value: "", rule: `${all.length - MAX_PROBLEMS_PER_LINE} more problems on this line` })
          }
          continue
        }
        const command = decoded.success.command
        const key = Commands.idempotencyKeyOf(decoded.success)
        const first = keys.firstLine(key, line)
        if (first !== undefined) {
          refuse({
            line,
            command: command._tag,
            field: "idempotencyKey",
            value: excerpt(key),
            rule: `the same fact as line ${first} (one key, one line: give repeated facts their own idempotencyKey)`
          })
          continue
        }
        const tenant = tenantOf(input) as string
        if (!options.newTenants.has(tenant)) {
          let known = knownTenants.get(tenant)
          if (known === undefined || !known) {
            known = (yield* staging.store.readStream(Commands.registryStreamId(tenant))).length > 0
            knownTenants.set(tenant, known)
          }
          if (!known && command._tag !== "Register") {
            refuse({
              line,
              command: command._tag,
              field: "tenant",
              value: excerpt(tenant),
              rule: "is not a tenant of this log (no registry entries); register it first (a Register line) or pass --new-tenant " + tenant
            })
            continue
          }
        }
        const outcome = yield* Effect.result(
          Commands.handle(decoded.success, input).pipe(Effect.provideService(EventStore.EventStore, staging.store))
        )
        if (outcome._tag === "Failure") {
          const failure = outcome.failure
          if (failure._tag === "EventStoreError") return yield* Effect.fail(failure)
          refuse({ line, command: command._tag, ...explain(failure) })
          continue
        }
        if (outcome.success.alreadyRecorded) alreadyRecorded += 1
        if (command._tag === "Register") knownTenants.set(tenant, true)
      }
      if (options.onProgress !== undefined) yield* options.onProgress(lines)
      sinceCommit += next.value.length
      sinceFlush += next.value.length
      if (options.batch !== undefined && sinceCommit >= options.batch.lines && errors.length === 0 && moreErrors === 0) {
        yield* options.batch.commit(staging)
        // What earlier flushes wrote is made permanent with this batch.
        committed += flushed + staging.staged()
        flushed = 0
        staging = yield* makeStaging(base)
        sinceCommit = 0
        sinceFlush = 0
      } else if (options.flush !== undefined && sinceFlush >= options.flush.lines) {
        yield* options.flush.write(staging)
        flushed += staging.staged()
        staging = yield* makeStaging(base)
        sinceFlush = 0
      }
    }
    return { commands, alreadyRecorded, events: committed + flushed + staging.staged(), errors, moreErrors, refusedLines, staging, committed, flushed }
  })
