// The append phase of scale.bench.ts: writes N events into a store through the built packages
// (`dist`), as a service that embeds Utblick runs them. Plain JavaScript on purpose: run through
// tsx from the sources, the same appends peaked at 390–460 MB where the built packages peak at
// about 255 MB (tsx's loader, not the library; docs/reference/performance.md, "Scale").
// Usage: node scaleAppend.mjs sqlite|postgres TARGET EVENTS   (prints {"ms","rssMb"})
import { EventStore } from "@utblick/core"
import * as Synthetic from "@utblick/core/testing/Synthetic"
import { PgEventStore } from "@utblick/store-postgres"
import { SqliteEventStore } from "@utblick/store-sqlite"
import { Effect } from "effect"

const ORIGIN = "bench.utblick.example/scale"
const [store, target, count] = process.argv.slice(2)
const events = Number(count)
const layer =
  store === "sqlite"
    ? SqliteEventStore.layer({ filename: target, origin: ORIGIN })
    : PgEventStore.layerFromUrl(process.env.DATABASE_URL, { schema: target, origin: ORIGIN })

const result = await Effect.runPromise(
  Effect.scoped(
    Effect.provide(
      Effect.gen(function* () {
        const log = yield* EventStore.EventStore
        const t0 = performance.now()
        for (let u = 0; u < events / 100; u += 10) {
          // Ten units (1,000 events) per all-or-nothing append, each unit its own stream.
          yield* log.appendMany(
            Array.from({ length: Math.min(10, events / 100 - u) }, (_, k) => ({
              streamId: `unit-${(u + k) % 1000}`,
              events: Synthetic.unit(u + k)
            }))
          )
        }
        return { ms: performance.now() - t0, rssMb: Synthetic.peakRssBytes() / 1e6 }
      }),
      layer
    )
  )
)
console.log(JSON.stringify(result))
