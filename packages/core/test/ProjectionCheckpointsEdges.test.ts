// The checkpoint store every store layer shares (mutation testing's targets): the key of a time
// filter, the in-memory store's bound on snapshots (least recently saved dropped first), what
// `peek` gives, and the do-nothing default. Expected keys and counts written out by hand.
import { Effect } from "effect"
import { ProjectionCheckpoints } from "@utblick/core"
import { describe, expect, it } from "vitest"

const bytes = (n: number) => new Uint8Array([n])
const checkpoint = (position: number) => ({ position, hash: `h${position}`, state: bytes(position) })
const key = (projection: string, version = 1, filter = "{}"): ProjectionCheckpoints.CheckpointKey => ({
  projection,
  version,
  filter
})

describe("filterKey", () => {
  it("is the canonical JSON of the fields given, in key order, without undefined ones", () => {
    expect(ProjectionCheckpoints.filterKey({})).toBe("{}")
    expect(ProjectionCheckpoints.filterKey({ asOf: undefined, knownAt: undefined, tenant: undefined })).toBe("{}")
    expect(ProjectionCheckpoints.filterKey({ asOf: "2022-12-31" })).toBe('{"asOf":"2022-12-31"}')
    expect(ProjectionCheckpoints.filterKey({ knownAt: "2023-03-15T00:00:00.000Z" })).toBe(
      '{"knownAt":"2023-03-15T00:00:00.000Z"}'
    )
    expect(ProjectionCheckpoints.filterKey({ tenant: "lulea-kommun" })).toBe('{"tenant":"lulea-kommun"}')
    expect(
      ProjectionCheckpoints.filterKey({ tenant: "lulea-kommun", knownAt: "2023-03-15T00:00:00.000Z", asOf: "2022-12-31" })
    ).toBe('{"asOf":"2022-12-31","knownAt":"2023-03-15T00:00:00.000Z","tenant":"lulea-kommun"}')
    expect(ProjectionCheckpoints.filterKey({ asOf: "2022-12-31", knownAt: undefined, tenant: "t" })).toBe(
      '{"asOf":"2022-12-31","tenant":"t"}'
    )
  })
})

describe("makeMemory", () => {
  it("keeps one checkpoint per projection, version and filter; a save replaces it", async () => {
    const store = ProjectionCheckpoints.makeMemory()
    const outcome = await Effect.gen(function* () {
      yield* store.save(key("a"), checkpoint(1))
      yield* store.save(key("a", 2), checkpoint(2))
      yield* store.save(key("a", 1, '{"tenant":"t"}'), checkpoint(3))
      yield* store.save(key("b"), checkpoint(4))
      const count = yield* store.count
      yield* store.save(key("a"), checkpoint(5))
      return {
        count,
        countAfter: yield* store.count,
        a: yield* store.load(key("a")),
        a2: yield* store.load(key("a", 2)),
        aT: yield* store.load(key("a", 1, '{"tenant":"t"}')),
        b: yield* store.load(key("b")),
        c: yield* store.load(key("c"))
      }
    }).pipe(Effect.runPromise)
    expect(outcome).toEqual({
      count: 4,
      countAfter: 4,
      a: checkpoint(5),
      a2: checkpoint(2),
      aT: checkpoint(3),
      b: checkpoint(4),
      c: undefined
    })
  })

  it("peeks at the position and hash alone", async () => {
    const store = ProjectionCheckpoints.makeMemory()
    const peek = store.peek as NonNullable<typeof store.peek>
    const outcome = await Effect.gen(function* () {
      const before = yield* peek(key("a"))
      yield* store.save(key("a"), checkpoint(7))
      return { before, after: yield* peek(key("a")) }
    }).pipe(Effect.runPromise)
    expect(outcome.before).toBeUndefined()
    // Strictly: no `state` key at all, not even an undefined one.
    expect(outcome.after).toStrictEqual({ position: 7, hash: "h7" })
  })

  it("drops the least recently saved once more than maxSnapshots are held", async () => {
    const store = ProjectionCheckpoints.makeMemory({ maxSnapshots: 2 })
    const outcome = await Effect.gen(function* () {
      yield* store.save(key("a"), checkpoint(1))
      yield* store.save(key("b"), checkpoint(2))
      const two = yield* store.count
      // Saving "a" again makes it the most recent: "b" is now the oldest, and goes first.
      yield* store.save(key("a"), checkpoint(3))
      yield* store.save(key("c"), checkpoint(4))
      return {
        two,
        count: yield* store.count,
        held: [yield* store.load(key("a")), yield* store.load(key("b")), yield* store.load(key("c"))].map((c) => c?.position)
      }
    }).pipe(Effect.runPromise)
    expect(outcome).toEqual({ two: 2, count: 2, held: [3, undefined, 4] })
  })

  it("by default holds 64 snapshots and saves every 1,000 events", async () => {
    const store = ProjectionCheckpoints.makeMemory()
    const outcome = await Effect.gen(function* () {
      for (let i = 0; i < 64; i++) yield* store.save(key(`p${i}`), checkpoint(i + 1))
      const full = yield* store.count
      const firstKept = (yield* store.load(key("p0")))?.position
      yield* store.save(key("p64"), checkpoint(65))
      return { full, firstKept, count: yield* store.count, first: yield* store.load(key("p0")), second: (yield* store.load(key("p1")))?.position }
    }).pipe(Effect.runPromise)
    expect(outcome).toEqual({ full: 64, firstKept: 1, count: 64, first: undefined, second: 2 })
    expect([ProjectionCheckpoints.DEFAULT_MAX_SNAPSHOTS, ProjectionCheckpoints.DEFAULT_SAVE_EVERY]).toEqual([64, 1000])
    expect([store.enabled, store.saveEvery]).toEqual([true, 1000])
    expect(ProjectionCheckpoints.makeMemory({ saveEvery: 5 }).saveEvery).toBe(5)
  })

  it("clear deletes every checkpoint", async () => {
    const store = ProjectionCheckpoints.makeMemory()
    const outcome = await Effect.gen(function* () {
      yield* store.save(key("a"), checkpoint(1))
      yield* store.save(key("b"), checkpoint(2))
      yield* store.clear
      return { count: yield* store.count, a: yield* store.load(key("a")) }
    }).pipe(Effect.runPromise)
    expect(outcome).toEqual({ count: 0, a: undefined })
  })

  it("layerMemory provides a store with the options given", async () => {
    const outcome = await Effect.gen(function* () {
      const store = yield* ProjectionCheckpoints.ProjectionCheckpoints
      yield* store.save(key("a"), checkpoint(1))
      yield* store.save(key("b"), checkpoint(2))
      return { enabled: store.enabled, saveEvery: store.saveEvery, count: yield* store.count }
    }).pipe(Effect.provide(ProjectionCheckpoints.layerMemory({ saveEvery: 7, maxSnapshots: 1 })), Effect.runPromise)
    expect(outcome).toEqual({ enabled: true, saveEvery: 7, count: 1 })
  })
})

describe("none", () => {
  it("is the default: disabled, never saving, holding nothing", async () => {
    const outcome = await Effect.gen(function* () {
      const store = yield* ProjectionCheckpoints.ProjectionCheckpoints
      yield* store.save(key("a"), checkpoint(1))
      return {
        same: store === ProjectionCheckpoints.none,
        enabled: store.enabled,
        saveEvery: store.saveEvery,
        loaded: yield* store.load(key("a")),
        count: yield* store.count,
        peek: store.peek
      }
    }).pipe(Effect.runPromise)
    expect(outcome).toEqual({
      same: true,
      enabled: false,
      saveEvery: Number.POSITIVE_INFINITY,
      loaded: undefined,
      count: 0,
      peek: undefined
    })
    await Effect.runPromise(ProjectionCheckpoints.none.clear)
  })
})
