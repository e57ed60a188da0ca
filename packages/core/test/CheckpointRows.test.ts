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

describe("ProjectionCheckpoints.pieces", () => {
  const MiB = 1_048_576
  const sizes = (state: Uint8Array) => ProjectionCheckpoints.pieces(state).map((p) => p.byteLength)

  it("cuts a state into pieces of 1 MiB, the last shorter; an empty state is one empty piece", () => {
    expect(ProjectionCheckpoints.PIECE_BYTES).toBe(MiB)
    expect(sizes(new Uint8Array(0))).toEqual([0])
    expect(sizes(new Uint8Array(5))).toEqual([5])
    expect(sizes(new Uint8Array(MiB))).toEqual([MiB])
    expect(sizes(new Uint8Array(MiB + 1))).toEqual([MiB, 1])
    expect(sizes(new Uint8Array(2 * MiB + 7))).toEqual([MiB, MiB, 7])
  })

  it("gives views of the state's own bytes, from where it starts in its buffer", () => {
    // A state that is a window into a larger buffer: bytes 3 … 3 + MiB + 2 of it.
    const buffer = new Uint8Array(MiB + 10)
    const state = buffer.subarray(3, 3 + MiB + 2)
    buffer[3] = 11 // the state's first byte
    buffer[3 + MiB] = 22 // the first byte of its second piece
    const [first, second] = ProjectionCheckpoints.pieces(state)
    expect([first?.[0], second?.[0], second?.byteLength]).toEqual([11, 22, 2])
    buffer[4] = 33 // a view, not a copy: the piece sees the change
    expect(first?.[1]).toBe(33)
  })
})
