import { EventStoreContract } from "@utblick/core/testing"
import { SqliteEventStore } from "../src/index.js"
import { tempFile } from "./helpers.js"

EventStoreContract.suite("sqlite :memory:", () => SqliteEventStore.layer({ filename: ":memory:" }))

EventStoreContract.suite("sqlite file", () => SqliteEventStore.layer({ filename: tempFile("contract") }), {
  propertyRuns: 15
})
