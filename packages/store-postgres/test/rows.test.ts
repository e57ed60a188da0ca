import { Corrupt } from "@utblick/core/EventStoreError"
import { describe, expect, it } from "vitest"
import { logNames } from "../src/internal/names.js"
import { decodeRow } from "../src/internal/rows.js"

const body = {
  v: 1, origin: "o", position: 7, eventId: "01890a5d-ac96-774b-bcce-b302099a8057", streamId: "grant-1", streamVersion: 1,
  streamPrev: null, type: "T", schemaVersion: 1, occurredAt: "2022-01-01", recordedAt: "2022-01-01T00:00:00.000Z",
  tenant: "t", actor: { id: "a", role: "r" }, decisionRef: null, correlationId: "c", causationId: null, payload: {}
}

describe("decodeRow", () => {
  it("attaches the hashes to the parsed canonical body", () => {
    const event = decodeRow([7n, "grant-1", JSON.stringify(body), "a".repeat(64), "b".repeat(64)])
    expect(event).toMatchObject({ position: 7, streamId: "grant-1", prevHash: "a".repeat(64), hash: "b".repeat(64) })
  })
  it.each([
    ["{not json", "does not parse"],
    ["[1]", "not an object"],
    ["null", "not an object"],
    ["5", "not an object"],
    ['"text"', "not an object"],
    [JSON.stringify({ ...body, position: 8 }), "position 8"],
    [JSON.stringify({ ...body, type: undefined }), "type"],
    [JSON.stringify({ ...body, payload: [] }), "payload"]
  ])("reports %s as Corrupt (%s)", (canonical, detail) => {
    const decoded = decodeRow([7n, "grant-1", canonical, "a".repeat(64), "b".repeat(64)])
    expect(decoded).toBeInstanceOf(Corrupt)
    expect((decoded as Corrupt).position).toBe(7)
    expect((decoded as Corrupt).streamId).toBe("grant-1")
    expect((decoded as Corrupt).detail).toContain(detail)
  })
})

describe("logNames", () => {
  it("derives distinct lock keys and a short channel per schema", () => {
    const a = logNames("lulea")
    const b = logNames("norrbotten")
    expect(a.appendLockKey).not.toBe(b.appendLockKey)
    expect(a.appendLockKey).not.toBe(a.migrateLockKey)
    expect(a.channel).toMatch(/^utblick_[0-9a-f]{16}$/)
  })
})
