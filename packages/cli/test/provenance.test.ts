/**
 * The manifest's Merkle root is kept between reports (beside the read models): a report reads
 * only the records appended since the last one. Counted on a memory store whose record reads are
 * tallied; every root is compared with the levelled tree over all the hashes (another algorithm).
 */
import { MerkleTree } from "@utblick/audit"
import { EventStore, ProjectionCheckpoints } from "@utblick/core"
import { EventStoreContract } from "@utblick/core/testing"
import { Effect, Stream } from "effect"
import { describe, expect, it } from "vitest"
import * as Provenance from "../src/Provenance.js"

const expectedRoot = (hashes: ReadonlyArray<string>) =>
  Buffer.from(
    MerkleTree.fromLeafHashes(hashes.map((h) => MerkleTree.hashLeaf(Buffer.from(h, "hex")))).rootAt(
      hashes.length
    )
  ).toString("base64")

const program = Effect.gen(function* () {
  const inner = yield* EventStore.makeMemory({ origin: "audit.test.example/provenance" })
  let read = 0
  const counted: EventStore.EventStoreShape = {
    ...inner,
    readRecords: (options) =>
      inner.readRecords(options).pipe(Stream.tap(() => Effect.sync(() => void read++)))
  }
  const checkpoints = ProjectionCheckpoints.makeMemory()
  const run = <A, E>(effect: Effect.Effect<A, E, EventStore.EventStore>) =>
    effect.pipe(
      Effect.provideService(EventStore.EventStore, counted),
      Effect.provideService(ProjectionCheckpoints.ProjectionCheckpoints, checkpoints)
    )
  const hashes = () => Stream.runCollect(inner.readRecords()).pipe(Effect.map((rs) => rs.map((r) => r.hash)))
  const step = (events: number, size?: number) =>
    Effect.gen(function* () {
      if (events > 0)
        yield* inner.append(
          `s-${events}`,
          Array.from({ length: events }, (_, n) => EventStoreContract.sampleEvent({ payload: { n } }))
        )
      read = 0
      const state = yield* run(Provenance.logState(size))
      return {
        read,
        size: state.size,
        root: state.merkleRoot,
        expected: expectedRoot(yield* hashes()),
        head: state.headHash
      }
    })
  return [yield* step(7), yield* step(0), yield* step(5), yield* step(0), yield* step(0, 7), yield* step(0)] as const
})

describe("Provenance.logState", () => {
  it("reads the whole log once, then only what was appended since (plus the one record that ties the kept range to the log)", async () => {
    const [first, unchanged, grown, again, older, afterOlder] = await Effect.runPromise(program)
    expect([first.read, first.size]).toEqual([7, 7])
    expect([unchanged.read, unchanged.size]).toEqual([1, 7])
    // Five more: the record at position 6 (the check) and positions 7–11.
    expect([grown.read, grown.size]).toEqual([6, 12])
    expect([again.read, again.size]).toEqual([1, 12])
    for (const s of [first, unchanged, grown, again]) expect(s.root).toBe(s.expected)
    expect(grown.root).not.toBe(first.root)
    // The log as it was at 7 (a sealed year checked again) is read from the start, and the range
    // kept at 12 stays: the next whole-log call reads only the record that ties it to the log.
    expect([older.read, older.size, older.root]).toEqual([7, 7, first.root])
    expect([afterOlder.read, afterOlder.size, afterOlder.root]).toEqual([1, 12, grown.root])
  })
})
