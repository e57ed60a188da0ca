/** Rows kept under checkpoints (ADR 0046) in this process's memory: the shared contract. */
import { ProjectionCheckpoints } from "@utblick/core"
import { CheckpointRowsContract } from "@utblick/core/testing"

CheckpointRowsContract.suite("memory", async (maxSnapshots) => ({
  checkpoints: ProjectionCheckpoints.makeMemory({ maxSnapshots })
}))
