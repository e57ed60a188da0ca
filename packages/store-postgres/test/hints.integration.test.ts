/**
 * Reads with a hint (ADR 0047) on PostgreSQL: the events of other types and tenants stay on the
 * server, and a page that ends on a run of passing events continues at the next position. The
 * contract suite checks the general rule (every passing event, in order); these runs pin what
 * this store does with the hint, on logs whose passing events come in runs and with gaps.
 */
import { type Envelope, EventStore } from "@utblick/core"
import { EventStoreContract } from "@utblick/core/testing"
import { Effect, Stream } from "effect"
import { describe, expect, it } from "vitest"
import { freshStore, reachable } from "./helpers.js"

// 13 events: positions 0–5 of tenant t-1 (types A, A, B, A, A, B), 6 of t-2 (A), 7–11 of t-1
// (all A), 12 of t-2 (B). Written out by hand, so the expected positions below are too.
const written: ReadonlyArray<readonly [tenant: string, type: string]> = [
  ["t-1", "HintA"],
  ["t-1", "HintA"],
  ["t-1", "HintB"],
  ["t-1", "HintA"],
  ["t-1", "HintA"],
  ["t-1", "HintB"],
  ["t-2", "HintA"],
  ["t-1", "HintA"],
  ["t-1", "HintA"],
  ["t-1", "HintA"],
  ["t-1", "HintA"],
  ["t-1", "HintA"],
  ["t-2", "HintB"]
]

describe.skipIf(!reachable)("PgEventStore: reads with a hint", () => {
  it("returns exactly the events of the hint's types and tenant, in pages that continue after their last row", async () => {
    const read = await Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      for (const [i, [tenant, type]] of written.entries())
        yield* store.append(`hinted-${i}`, [EventStoreContract.sampleEvent({ tenant, type, payload: { i } })])
      const positions = (only: EventStore.ReadHint, from = 0, to?: number) =>
        Stream.runCollect(
          store.readAll({
            fromPosition: from,
            ...(to === undefined ? {} : { toPosition: to }),
            batchSize: 2,
            only
          })
        ).pipe(Effect.map((events: ReadonlyArray<Envelope.StoredEvent>) => events.map((e) => e.position)))
      return {
        tenant: yield* positions({ tenant: "t-1" }),
        type: yield* positions({ types: ["HintB"] }),
        both: yield* positions({ types: ["HintA"], tenant: "t-1" }, 1, 11),
        none: yield* positions({ types: [] }),
        other: yield* positions({ tenant: "t-3" })
      }
    }).pipe(Effect.provide(freshStore("hint_reads")), Effect.runPromise)
    expect(read.tenant).toEqual([0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 11])
    expect(read.type).toEqual([2, 5, 12])
    expect(read.both).toEqual([1, 3, 4, 7, 8, 9, 10])
    expect(read.none).toEqual([])
    expect(read.other).toEqual([])
  })
})
