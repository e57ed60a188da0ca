import { EventStore } from "@utblick/core"
import { EventStoreContract } from "@utblick/core/testing"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"

EventStoreContract.suite("memory", () => EventStore.layerMemory())

describe("memory store: event ids it drew itself", () => {
  it("recognises an id it drew in an earlier append (without ids) when a later append reuses it", async () => {
    const outcome = await Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      // Two appends without ids: the store draws them and indexes none yet.
      yield* store.append("stream-a", [EventStoreContract.sampleEvent(), EventStoreContract.sampleEvent()])
      const second = yield* store.append("stream-b", [EventStoreContract.sampleEvent()])
      const drawn = second.events[0]?.eventId as string
      // A caller now appends another event under the id drawn for position 2.
      const reused = yield* Effect.flip(store.append("stream-c", [EventStoreContract.sampleEvent({ eventId: drawn })]))
      // An exact retry of the second append is recognised as that append.
      const retry = yield* store.append("stream-b", [EventStoreContract.sampleEvent({ eventId: drawn })])
      return { reused, retry, size: (yield* store.head).size }
    }).pipe(Effect.provide(EventStore.layerMemory()), Effect.runPromise)
    expect(outcome.reused.reason).toMatchObject({ _tag: "DuplicateEvent", streamId: "stream-b", position: 2 })
    expect(outcome.retry).toMatchObject({ deduplicated: true, firstPosition: 2, lastPosition: 2 })
    expect(outcome.size).toBe(3)
  })
})
