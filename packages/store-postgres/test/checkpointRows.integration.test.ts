/**
 * Rows kept under checkpoints (ADR 0046) in the log's PostgreSQL schema (table
 * `utblick_projection_rows`, migration 4): the shared contract on a real server, each case in a
 * freshly migrated schema.
 */
import { CheckpointRowsContract } from "@utblick/core/testing"
import { Effect, Layer, ManagedRuntime } from "effect"
import { describe } from "vitest"
import { PgCheckpointStore, PgEventStore } from "../src/index.js"
import { clientLayer, dropSchema, reachable } from "./helpers.js"

let made = 0
describe.skipIf(!reachable)("PgCheckpointStore rows", () => {
  CheckpointRowsContract.suite("PostgreSQL", async (maxSnapshots) => {
    const schema = `it_rows_${process.pid}_${++made}`
    const runtime = ManagedRuntime.make(clientLayer(2))
    await runtime.runPromise(dropSchema(schema))
    // The event store's layer migrates the schema; the checkpoint store is then built over it.
    const checkpoints = await runtime.runPromise(
      Effect.scoped(
        Effect.andThen(
          Layer.build(PgEventStore.layer({ schema })),
          PgCheckpointStore.make({ schema, maxSnapshots })
        )
      )
    )
    return {
      checkpoints,
      close: async () => {
        await runtime.runPromise(dropSchema(schema))
        await runtime.dispose()
      }
    }
  })
})
