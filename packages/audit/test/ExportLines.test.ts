/**
 * `Export.lines` and `Export.toText` over a store, as the CLI's export drives them: every record
 * of the log in order by default, a window of positions when asked, and the text form with a
 * newline after every line (the last one included). Each expected line is written out here from
 * the format (`{"event":<canonical>,"hash":"<hash>","prevHash":"<prevHash>"}`, see
 * docs/reference/export-format.md) with the store's own records, not with `Export.formatLine`.
 */
import * as EventStore from "@utblick/core/EventStore"
import { Effect, Stream } from "effect"
import { describe, expect, it } from "vitest"
import * as Export from "../src/Export.js"
import { event, ORIGIN, sampleCmds } from "./fixtures.js"

const run = <A>(
  program: (store: EventStore.EventStoreShape) => Effect.Effect<A, unknown, EventStore.EventStore>
) =>
  Effect.runPromise(
    Effect.provide(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        for (const cmd of sampleCmds(4)) yield* store.append(cmd.stream, [event(cmd)])
        return yield* program(store)
      }),
      EventStore.layerMemory({ origin: ORIGIN })
    )
  )

const expectedLines = (store: EventStore.EventStoreShape) =>
  Effect.map(Stream.runCollect(store.readRecords()), (records) =>
    records.map((r) => `{"event":${r.canonical},"hash":"${r.hash}","prevHash":"${r.prevHash}"}`)
  )

describe("Export.lines", () => {
  it("gives every record of the log in order, or the window of positions asked for", async () => {
    const { all, window, from, expected } = await run((store) =>
      Effect.gen(function* () {
        return {
          all: yield* Stream.runCollect(Export.lines()),
          window: yield* Stream.runCollect(Export.lines({ fromPosition: 1, toPosition: 3 })),
          from: yield* Stream.runCollect(Export.lines({ fromPosition: 2 })),
          expected: yield* expectedLines(store)
        }
      })
    )
    expect(expected).toHaveLength(4)
    expect(all).toEqual(expected)
    expect(window).toEqual(expected.slice(1, 3))
    expect(from).toEqual(expected.slice(2))
    // Each line starts the chain where the line before ended.
    expect(JSON.parse(all[1] as string).prevHash).toBe(JSON.parse(all[0] as string).hash)
  })

  it("gives the whole log as text, a newline after every line", async () => {
    const { text, expected } = await run((store) =>
      Effect.gen(function* () {
        return { text: yield* Export.toText, expected: yield* expectedLines(store) }
      })
    )
    expect(text).toBe(`${expected[0]}\n${expected[1]}\n${expected[2]}\n${expected[3]}\n`)
  })
})
