import { EventStore } from "@utblick/core"
import { EventStoreContract } from "@utblick/core/testing"

EventStoreContract.suite("memory", () => EventStore.layerMemory())
