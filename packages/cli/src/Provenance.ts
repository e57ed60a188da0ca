/**
 * The provenance manifest every machine-readable report carries: which log, up to which position
 * and head hash, under which Merkle root, by which projection and indicator versions, in which
 * classification schemes and mappings. With it a figure can be traced back and recomputed.
 *
 * @since 0.1.0
 */
import { deserialize, serialize } from "node:v8"
import { MerkleTree } from "@utblick/audit"
import { EventStore, type EventStoreError, ProjectionCheckpoints } from "@utblick/core"
import { GrantFilter, Indicator } from "@utblick/indicators"
import type { Compare } from "@utblick/indicators"
import { ReadModels, type RegistryModel } from "@utblick/projections"
import { Effect, Stream } from "effect"

/**
 * The version of this program, written into every manifest.
 *
 * @category constants
 * @since 0.1.0
 */
export const TOOL_VERSION = "0.1.0"

/**
 * The log a report was computed at.
 *
 * @category models
 * @since 0.1.0
 */
export interface LogState {
  readonly origin: string
  /** Number of records covered (positions `0 … size − 1`). */
  readonly size: number
  readonly firstPosition: number | null
  readonly lastPosition: number | null
  /** The hash of the last covered record (the chain head at that point). */
  readonly headHash: string | null
  /** The RFC 9162 Merkle root over the covered records, base64. */
  readonly merkleRoot: string
}

/**
 * The provenance manifest.
 *
 * @category models
 * @since 0.1.0
 */
export interface Manifest {
  readonly tool: { readonly name: "utblick"; readonly version: string }
  readonly computedAt: string
  readonly store: { readonly location: string; readonly origin: string }
  readonly log: LogState
  /** The newest signed checkpoint kept next to the store, when one covers this log. */
  readonly checkpoint: { readonly file: string; readonly size: number; readonly root: string } | null
  readonly query: {
    readonly years: ReadonlyArray<number>
    readonly tenant: string | null
    readonly asOf: string | null
    readonly knownAt: string | null
    /** The grant filter, when the report is narrowed to some grants. */
    readonly grants?: GrantFilter.GrantFilter
  }
  readonly projection: { readonly name: string; readonly version: number }
  readonly indicators: ReadonlyArray<{
    readonly id: string
    readonly version: number
    readonly title: string
  }>
  readonly schemes: ReadonlyArray<{
    readonly schemeId: string
    readonly name: string
    readonly validFrom: number
    readonly validTo: number | null
  }>
  readonly mappings: ReadonlyArray<{
    readonly mappingId: string
    readonly fromScheme: string
    readonly toScheme: string
    readonly unmapped?: ReadonlyArray<string>
  }>
  /** The population figures per-inhabitant rows were divided by (only when some were used). */
  readonly populations?: ReadonlyArray<{
    readonly tenant: string
    readonly year: number
    readonly inhabitants: number
    readonly source: string
  }>
}

// The Merkle range of the log is kept beside the read models (ADR 0035's checkpoints), so that a
// report's manifest costs the records appended since the last one, not a read of the whole log:
// at most 64 hashes of 32 bytes, tied to the log by the hash of its last leaf like any checkpoint.
const RANGE_KEY: ProjectionCheckpoints.CheckpointKey = {
  projection: "utblick/log-merkle-range",
  version: 1,
  filter: ProjectionCheckpoints.filterKey({})
}

interface SavedRange {
  readonly tree: MerkleTree.CompactRange
  /** The hash of the last record the range covers. */
  readonly hash: string
}

// The kept range, when there is one that covers at most `end` records of this very log; anything
// else (absent, unreadable, of a replaced or truncated log, longer than asked) means from zero.
const savedRange = (
  store: EventStore.EventStoreShape,
  checkpoints: ProjectionCheckpoints.ProjectionCheckpointsShape,
  end: number
): Effect.Effect<SavedRange | "further" | undefined, EventStoreError.EventStoreError> =>
  Effect.gen(function* () {
    const found = yield* checkpoints.load(RANGE_KEY).pipe(Effect.orElseSucceed(() => undefined))
    if (found === undefined || found.position < 1) return undefined
    // A range kept further along than asked (a sealed year checked at its old head): not used,
    // and not replaced by the shorter one either.
    if (found.position > end) return "further"
    let last: string | undefined
    yield* store.readRecords({ fromPosition: found.position - 1, toPosition: found.position }).pipe(
      Stream.runForEachArray((chunk) =>
        Effect.sync(() => {
          last ??= chunk[0]?.hash
        })
      )
    )
    if (last !== found.hash) return undefined
    try {
      const saved = deserialize(found.state) as {
        readonly size: number
        readonly nodes: ReadonlyArray<Uint8Array>
      }
      if (saved.size !== found.position) return undefined
      return { tree: MerkleTree.makeCompactRange(saved), hash: found.hash }
    } catch {
      return undefined
    }
  })

/**
 * The log's head hash and Merkle root up to `size` records (default: the whole log).
 *
 * **Details**
 *
 * With a checkpoint store (the CLI's stores provide one), the Merkle range is kept between
 * calls, so a report reads only the records appended since the last report; otherwise the log is
 * read once from the start.
 *
 * @category utils
 * @since 0.1.0
 */
export const logState = (
  size?: number
): Effect.Effect<LogState, EventStoreError.EventStoreError, EventStore.EventStore> =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const checkpoints = yield* ProjectionCheckpoints.ProjectionCheckpoints
    const end = size ?? (yield* store.head).size
    const kept = checkpoints.enabled ? yield* savedRange(store, checkpoints, end) : undefined
    const saved = kept === "further" ? undefined : kept
    const tree = saved?.tree ?? MerkleTree.makeCompactRange()
    const start = tree.size()
    let head: string | null = saved?.hash ?? null
    if (start < end) {
      yield* EventStore.readHashes(store, { fromPosition: start, toPosition: end, batchSize: 4096 }).pipe(
        Stream.runForEachArray((chunk) =>
          Effect.sync(() => {
            for (const record of chunk) {
              tree.appendEventHash(record.hash)
              head = record.hash
            }
          })
        )
      )
    }
    const n = tree.size()
    if (checkpoints.enabled && kept !== "further" && head !== null && n > start) {
      // A cache: a failed save (a read-only file, a busy writer) leaves the next call to read more.
      yield* checkpoints
        .save(RANGE_KEY, { position: n, hash: head, state: serialize({ size: n, nodes: tree.nodes() }) })
        .pipe(Effect.ignore)
    }
    return {
      origin: store.origin,
      size: n,
      firstPosition: n === 0 ? null : 0,
      lastPosition: n === 0 ? null : n - 1,
      headHash: head,
      merkleRoot: Buffer.from(tree.root()).toString("base64")
    }
  })

/**
 * Builds the manifest of a report.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (input: {
  readonly location: string
  readonly log: LogState
  readonly checkpoint: Manifest["checkpoint"]
  readonly years: ReadonlyArray<number>
  readonly tenant: string | undefined
  readonly asOf: string | undefined
  readonly knownAt: string | undefined
  readonly grants?: GrantFilter.GrantFilter | undefined
  readonly registry: Pick<RegistryModel.RegistryState, "schemes" | "mappings">
  readonly schemesUsed: ReadonlyArray<string>
  readonly mappings?: ReadonlyArray<Compare.MappingUsed>
  readonly populations?: NonNullable<Manifest["populations"]>
  readonly now: string
}): Manifest => ({
  tool: { name: "utblick", version: TOOL_VERSION },
  computedAt: input.now,
  store: { location: input.location, origin: input.log.origin },
  log: input.log,
  checkpoint: input.checkpoint,
  query: {
    years: input.years,
    tenant: input.tenant ?? null,
    asOf: input.asOf ?? null,
    knownAt: input.knownAt ?? null,
    ...(input.grants === undefined || GrantFilter.isEmpty(input.grants) ? {} : { grants: input.grants })
  },
  projection: { name: ReadModels.projection.name, version: ReadModels.projection.version },
  indicators: Indicator.definitions.map((d) => ({ id: d.id, version: d.version, title: d.title })),
  schemes: [...new Set(input.schemesUsed)].sort().map((schemeId) => {
    const scheme = input.registry.schemes[schemeId]
    return {
      schemeId,
      name: scheme?.name ?? schemeId,
      validFrom: scheme?.validFrom ?? 0,
      validTo: scheme?.validTo ?? null
    }
  }),
  mappings:
    input.mappings?.map((m) => ({
      mappingId: m.mappingId,
      fromScheme: m.fromScheme,
      toScheme: m.toScheme,
      unmapped: m.unmapped
    })) ?? [],
  ...(input.populations === undefined || input.populations.length === 0
    ? {}
    : { populations: input.populations })
})
