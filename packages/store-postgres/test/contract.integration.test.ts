import { EventStoreContract } from "@utblick/core/testing"
import { describe } from "vitest"
import { freshStore, reachable } from "./helpers.js"

describe.skipIf(!reachable)("PostgreSQL", () => {
  // Every test gets a freshly created schema; fewer property runs, as each one is a real round trip.
  EventStoreContract.suite("postgres", () => freshStore("contract_suite"), { propertyRuns: 10 })
})
