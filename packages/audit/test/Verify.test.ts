import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import * as EventStore from "@utblick/core/EventStore"
import * as Export from "../src/Export.js"
import * as Verify from "../src/Verify.js"
import {
  appendAll,
  checkpointOf,
  exportLines,
  makeStore,
  ORIGIN,
  sampleCmds,
  toText,
  trust
} from "./fixtures.js"

describe("Verify", () => {
  it("passes an honest export with its checkpoint and earlier checkpoints", () => {
    const store = makeStore()
    appendAll(store, sampleCmds(10))
    const earlier = [checkpointOf(store, 1), checkpointOf(store, 4), checkpointOf(store, 10)]
    appendAll(store, sampleCmds(7))
    const report = Verify.verifyExport(toText(exportLines(store)), {
      trust,
      checkpoint: checkpointOf(store),
      previous: earlier
    })
    expect(report).toMatchObject({
      ok: true,
      exitCode: 0,
      records: 17,
      streams: 3,
      previousChecked: 3,
      origin: ORIGIN
    })
    expect(report.checkpoint?.cosignatures).toHaveLength(1)
  })

  it("verifies the store directly through readRecords", async () => {
    const program = Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      for (let i = 0; i < 25; i++)
        yield* store.append(`grant-${i % 4}`, [
          {
            type: "X",
            schemaVersion: 1,
            occurredAt: "2026-01-01",
            tenant: "t",
            actor: { id: "a", role: "r" },
            payload: { i }
          }
        ])
      const text = yield* Export.toText
      const report = yield* Verify.verifyStore({ origin: ORIGIN })
      return { report, text }
    })
    const { report, text } = await Effect.runPromise(
      Effect.provide(program, EventStore.layerMemory({ origin: ORIGIN }))
    )
    expect(report).toMatchObject({ ok: true, records: 25, streams: 4 })
    expect(Verify.verifyExport(text, { origin: ORIGIN }).root).toBe(report.root)
  })

  it("verifies a streamed export in small chunks the same way", async () => {
    const store = makeStore()
    appendAll(store, sampleCmds(12))
    const text = toText(exportLines(store))
    async function* chunks() {
      const bytes = Buffer.from(text)
      for (let i = 0; i < bytes.length; i += 37) yield bytes.subarray(i, i + 37)
    }
    const report = await Verify.verifyExportStream(chunks(), { trust, checkpoint: checkpointOf(store) })
    expect(report).toMatchObject({ ok: true, records: 12 })
  })

  it("an empty export verifies against an empty checkpoint only", () => {
    const store = makeStore()
    expect(Verify.verifyExport("", { trust, checkpoint: checkpointOf(store) })).toMatchObject({
      ok: true,
      records: 0
    })
    appendAll(store, sampleCmds(2))
    expect(Verify.verifyExport("", { trust, checkpoint: checkpointOf(store) }).failure?.class).toBe(
      "SIZE_MISMATCH"
    )
  })

  it("warns about a stale checkpoint (A9 freeze)", () => {
    const store = makeStore()
    appendAll(store, sampleCmds(3))
    const report = Verify.verifyExport(toText(exportLines(store)), {
      trust,
      checkpoint: checkpointOf(store, undefined, undefined, 1_000),
      maxCheckpointAgeSeconds: 86_400,
      now: 1_000 + 3 * 86_400
    })
    expect(report.ok).toBe(true)
    expect(report.warnings.join()).toContain("stale")
  })
})
