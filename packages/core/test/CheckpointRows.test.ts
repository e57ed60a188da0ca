/** Rows kept under checkpoints (ADR 0046) in this process's memory: the shared contract. */
import { ProjectionCheckpoints } from "@utblick/core"
import { CheckpointRowsContract } from "@utblick/core/testing"
import { describe, expect, it } from "vitest"

CheckpointRowsContract.suite("memory", async (maxSnapshots) => ({
  checkpoints: ProjectionCheckpoints.makeMemory({ maxSnapshots })
}))

describe("ProjectionCheckpoints.keyId", () => {
  it("is the first 128 bits of SHA-256 over projection, version and filter joined by NUL, in hex", () => {
    // Worked out with Python's hashlib, independently of this code:
    // sha256('read-model-rows\x003\x00{"f":1}'.encode()).hexdigest()[:32]
    // sha256('p\x001\x00é'.encode()).hexdigest()[:32]  (the filter's text as UTF-8)
    expect(
      ProjectionCheckpoints.keyId({ projection: "read-model-rows", version: 3, filter: '{"f":1}' })
    ).toBe("a3ee7113c4548676e89d8faf390efe68")
    expect(ProjectionCheckpoints.keyId({ projection: "p", version: 1, filter: "é" })).toBe(
      "7ea4fbfac889fdf47abbf63b3206719a"
    )
  })
})
