/**
 * Persisted year figures: a year's computed indicator values, kept beside the read-model
 * snapshots so that a report over an unchanged log answers from a few kilobytes instead of
 * loading and re-reading the whole read-model state (ADR 0038, extending ADR 0035).
 *
 * **Details**
 *
 * A figure is stored through the same seam as the read-model snapshots
 * (`ProjectionCheckpoints`: SQLite, PostgreSQL or memory), under the pseudo-projection
 * {@link PROJECTION}, keyed by the read-models version and a canonical key of everything the
 * values depend on (year, business date, recorded-time cut, tenant, goals scheme, actor, grant
 * filter, and the id and version of every indicator definition). It is tied to the log by the
 * hash of the last event its state folded, exactly like a snapshot.
 *
 * The indicator values are a pure function of the read-model state and the request, and the
 * state changes only through events the read models handle AND the request's time filter
 * passes. So a figure saved at position P still answers at the head when no event in P..head is
 * both: the runtime scans that tail (no decoding) and, if nothing in it counts, answers from the
 * figure and moves it to the head. Any event that counts sends the request down the full path.
 *
 * @since 0.2.0
 */
import { createHash } from "node:crypto"
import { deserialize, serialize } from "node:v8"
import {
  CanonicalJson,
  EventStore,
  type EventStoreError,
  Projection,
  type ProjectionCheckpoints
} from "@utblick/core"
import type { RegistryModel } from "@utblick/projections"
import { ReadModels } from "@utblick/projections"
import { Data, Effect, Stream } from "effect"
import type * as GrantFilter from "./GrantFilter.js"
import * as Indicator from "./Indicator.js"

/**
 * The classification part of the registry that a report's consumers need (scheme names for the
 * provenance manifest, mappings for comparisons): small, and free of actor or organisation names.
 *
 * @category models
 * @since 0.2.0
 */
export type Classifications = Pick<RegistryModel.RegistryState, "schemes" | "mappings">

/**
 * What a persisted figure holds: the values as computed from the read models (before
 * per-inhabitant rows, which depend on population figures outside the log) and the
 * classifications they refer to.
 *
 * @category models
 * @since 0.2.0
 */
export interface Figure {
  readonly values: ReadonlyArray<Indicator.IndicatorValue>
  readonly registry: Classifications
}

/**
 * The pseudo-projection name under which figures are kept beside the read-model snapshots.
 *
 * @category constants
 * @since 0.2.0
 */
export const PROJECTION = "year-figures"

/**
 * The format of a stored figure; bump it when {@link Figure} or the way values are computed from
 * the read models changes meaning without an indicator version changing: every figure misses.
 *
 * @category constants
 * @since 0.2.0
 */
export const FORMAT = 1

/**
 * What a figure depends on besides the log.
 *
 * @category models
 * @since 0.2.0
 */
export interface FigureRequest {
  readonly year: number
  readonly asOf: string
  readonly knownAt?: string | undefined
  readonly tenant?: string | undefined
  readonly goalsSchemeId?: string | undefined
  readonly actorId?: string | undefined
  readonly grants?: GrantFilter.GrantFilter | undefined
}

/**
 * Every indicator's id and version, hashed: part of every key of what is kept from indicators, so
 * a new version of any definition changes every key.
 *
 * @category constants
 * @since 0.3.0
 */
export const definitionsSignature: string = createHash("sha256")
  .update(Indicator.definitions.map((d) => `${d.id}@${d.version}`).join("\n"))
  .digest("hex")
  .slice(0, 16)

const defined = (record: Readonly<Record<string, string | undefined>>): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(record)) if (v !== undefined) out[k] = v
  return out
}

/**
 * The checkpoint key of a request's figure.
 *
 * @category utils
 * @since 0.2.0
 */
export const keyOf = (request: FigureRequest): ProjectionCheckpoints.CheckpointKey => {
  const grants =
    request.grants === undefined
      ? {}
      : defined(request.grants as Readonly<Record<string, string | undefined>>)
  return {
    projection: PROJECTION,
    version: ReadModels.projection.version,
    filter: CanonicalJson.canonicalize({
      format: FORMAT,
      indicators: definitionsSignature,
      year: request.year,
      ...defined({
        asOf: request.asOf,
        knownAt: request.knownAt,
        tenant: request.tenant,
        goalsSchemeId: request.goalsSchemeId,
        actorId: request.actorId
      }),
      ...(Object.keys(grants).length === 0 ? {} : { grants })
    })
  }
}

/**
 * The time filter of the read models a request's figure was computed from.
 *
 * @category utils
 * @since 0.2.0
 */
export const timeFilterOf = (request: FigureRequest): Projection.TimeFilter => ({
  asOf: request.asOf,
  ...(request.knownAt === undefined ? {} : { knownAt: request.knownAt }),
  ...(request.tenant === undefined ? {} : { tenant: request.tenant })
})

/**
 * A figure found for the log as it is now.
 *
 * @category models
 * @since 0.2.0
 */
export interface Found extends Figure {
  /** The log's size: the figure covers every event below it. */
  readonly position: number
  /** Whether the log grew past the saved figure by events that do not count for it. */
  readonly moved: boolean
}

const handled: ReadonlySet<string> = new Set(ReadModels.projection.handles)

// Ends the scan of the tail at its first event that decides (a page at a time, not per event).
class ScanStopped extends Data.TaggedError("ScanStopped") {}

/**
 * Looks up a request's figure and checks it against the log: absent, unreadable, of another log,
 * or behind an event that counts for it, it is `undefined` (compute it in full). A figure behind
 * only events that do not count is moved to the head (saved again, same bytes).
 *
 * @category persistence
 * @since 0.2.0
 */
export const lookup = (
  store: EventStore.EventStoreShape,
  checkpoints: ProjectionCheckpoints.ProjectionCheckpointsShape,
  request: FigureRequest
): Effect.Effect<Found | undefined, EventStoreError.EventStoreError> =>
  Effect.gen(function* () {
    if (!checkpoints.enabled) return undefined
    const key = keyOf(request)
    const saved = yield* checkpoints.load(key).pipe(Effect.orElseSucceed(() => undefined))
    if (saved === undefined || saved.position < 1) return undefined
    const head = yield* store.head
    if (saved.position > head.size) return undefined
    let figure: Figure
    try {
      figure = deserialize(saved.state) as Figure
    } catch {
      return undefined
    }
    if (saved.position === head.size) {
      return head.lastHash === saved.hash ? { ...figure, position: head.size, moved: false } : undefined
    }
    // The tail: the event before the figure's position must still carry its hash (same log),
    // and no later event may count for the request. Stop at the first that does.
    const filter = timeFilterOf(request)
    let tied = false
    let lastHash = saved.hash
    let seen = -1
    // Envelope fields only where the store can give them (SQLite's indexed columns): no payload
    // is parsed to decide.
    const range = { fromPosition: saved.position - 1, toPosition: head.size }
    const heads: Stream.Stream<EventStore.EventHead, EventStoreError.EventStoreError> =
      store.readHeads?.(range) ?? store.readAll(range)
    yield* heads.pipe(
      Stream.runForEachArray((chunk) => {
        for (let i = 0; i < chunk.length; i++) {
          const event = chunk[i] as (typeof chunk)[number]
          seen = event.position
          if (event.position === saved.position - 1) tied = event.hash === saved.hash
          else if (handled.has(event.type) && Projection.matches(filter, event)) tied = false
          else lastHash = event.hash
          // Not tied (another log, or an event that counts): stop reading; the full path answers.
          if (!tied) return Effect.fail(new ScanStopped())
        }
        return Effect.void
      }),
      Effect.catchTag("ScanStopped", () => Effect.void)
    )
    if (!tied || seen !== head.size - 1) return undefined
    yield* checkpoints
      .save(key, { position: head.size, hash: lastHash, state: saved.state })
      .pipe(Effect.ignore)
    return { ...figure, position: head.size, moved: true }
  })

/**
 * Saves a request's figure computed from the read models as of `position` (the next position
 * after the last event folded). Failures are ignored: figures are a cache.
 *
 * @category persistence
 * @since 0.2.0
 */
export const save = (
  store: EventStore.EventStoreShape,
  checkpoints: ProjectionCheckpoints.ProjectionCheckpointsShape,
  request: FigureRequest,
  position: number,
  figure: Figure
): Effect.Effect<void> =>
  Effect.gen(function* () {
    if (!checkpoints.enabled || position < 1) return
    const hash = yield* hashBefore(store, position)
    if (hash === undefined) return
    const bytes = serialize({ values: figure.values, registry: figure.registry } satisfies Figure)
    yield* checkpoints.save(keyOf(request), { position, hash, state: bytes })
  }).pipe(Effect.ignore)

/**
 * The hash of the event before `position` (what ties something kept as of `position` to this
 * log): at the head, the log's last hash (for an empty log, the genesis hash); `undefined` when the
 * log holds no event before `position`.
 *
 * @category persistence
 * @since 0.3.0
 */
export const hashBefore = (
  store: EventStore.EventStoreShape,
  position: number
): Effect.Effect<string | undefined, EventStoreError.EventStoreError> =>
  Effect.gen(function* () {
    const head = yield* store.head
    if (position === head.size) return head.lastHash
    let hash: string | undefined
    yield* EventStore.readHashes(store, { fromPosition: position - 1, toPosition: position }).pipe(
      Stream.runForEach((event) => {
        if (event.position === position - 1) hash = event.hash
        return Effect.void
      })
    )
    return hash
  })

/**
 * The classifications of a read-model state.
 *
 * @category utils
 * @since 0.2.0
 */
export const classificationsOf = (models: ReadModels.ReadModelsState): Classifications => ({
  // Copies: the registry records are updated in place by later folds (a live state, ADR 0042),
  // and a figure handed out must not change with them. Their entries are replaced, not edited.
  schemes: { ...models.registry.schemes },
  mappings: { ...models.registry.mappings }
})
