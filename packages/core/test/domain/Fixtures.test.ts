import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import type { StoredEvent } from "../../src/Envelope.js"
import { eventCatalog, familyOf } from "../../src/events/index.js"

const dir = join(import.meta.dirname, "../fixtures/events")
const files = readdirSync(dir).filter((f) => f.endsWith(".json"))

describe("golden fixtures", () => {
  it("cover every event type in the catalogue", () => {
    const tags = files.map((f) => f.split(".")[1])
    expect([...new Set(tags)].sort()).toEqual(Object.keys(familyOf).sort())
    expect([...eventCatalog.definitions.keys()].sort()).toEqual(Object.keys(familyOf).sort())
  })

  for (const file of files) {
    it(`${file} decodes and re-encodes byte for byte`, () => {
      const text = readFileSync(join(dir, file), "utf8")
      const fixture = JSON.parse(text) as { type: string; schemaVersion: number; payload: Record<string, unknown> }
      const [family, tag, version] = file.replace(/\.json$/, "").split(".")
      expect(fixture.type).toBe(tag)
      expect(familyOf[fixture.type as keyof typeof familyOf]).toBe(family)
      expect(`v${fixture.schemaVersion}`).toBe(version)
      const decoded = eventCatalog.decode({ position: 0, streamId: "fixture", ...fixture } as unknown as StoredEvent)
      if (Result.isFailure(decoded)) throw decoded.failure
      const encoded = eventCatalog.encode(decoded.success)
      if (Result.isFailure(encoded)) throw encoded.failure
      expect(`${JSON.stringify(encoded.success, null, 2)}\n`).toBe(text)
    })
  }
})
