import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { EventStore } from "@utblick/core"
import { createUtblick, type CommandInput, UtblickError } from "@utblick/facade"
import { Effect } from "effect"
import { afterAll, describe, expect, it } from "vitest"

const dir = mkdtempSync(join(tmpdir(), "utblick-facade-personal-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const NAME = "Åsa Nordström-Facadesson"
const proposal: CommandInput = {
  _tag: "ProposeTrip",
  actor: { id: "subject-7f3a", role: "traveller" },
  tenant: "lulea-kommun",
  occurredAt: "2024-03-01",
  tripId: "trip-2024-ubc",
  organiserActorId: "lulea-kommun",
  traveller: "subject-7f3a",
  travellerName: NAME,
  purpose: "UBC General Conference",
  destination: "Gdynia",
  departOn: "2024-10-01",
  returnOn: "2024-10-04",
  relatedTo: [],
  goalRefs: []
}

const filesUnder = (root: string): Array<string> =>
  readdirSync(root, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(root, e.name)) : [join(root, e.name)]
  )

describe("personal data through the facade", () => {
  it("is sealed before it reaches the SQLite log: no byte of the name in any file, the key beside it", async () => {
    const filename = join(dir, "trips.db")
    const utblick = await createUtblick({ store: { kind: "sqlite", filename } })
    try {
      await utblick.execute(proposal)
      // The stored payload holds a sealed value, not the name.
      const stored = await utblick.run(Effect.flatMap(EventStore.EventStore, (store) => store.readStream("trip-trip-2024-ubc")))
      expect(JSON.stringify(stored[0]?.payload)).not.toContain(NAME)
    } finally {
      await utblick.close()
    }
    expect(existsSync(`${filename}.utblick/keys.db`)).toBe(true)
    const name = Buffer.from(NAME, "utf8")
    expect(filesUnder(dir).filter((f) => readFileSync(f).includes(name))).toEqual([])
  })

  it("is sealed in the memory store with keys kept in memory, with no key store to configure", async () => {
    const utblick = await createUtblick({ store: { kind: "memory" } })
    try {
      const result = await utblick.execute(proposal)
      expect(result.events.map((e) => e.type)).toEqual(["TripProposed"])
      const stored = await utblick.run(Effect.flatMap(EventStore.EventStore, (store) => store.readStream("trip-trip-2024-ubc")))
      expect(JSON.stringify(stored[0]?.payload)).not.toContain(NAME)
    } finally {
      await utblick.close()
    }
  })

  it("is refused on a store without a key store, naming what to configure, and nothing is written", async () => {
    const utblick = await createUtblick({ store: { kind: "layer", layer: EventStore.layerMemory() } })
    try {
      const before = (await utblick.readModels()).position
      const error = await utblick.execute(proposal).then(
        () => undefined,
        (e: unknown) => e
      )
      expect(error).toBeInstanceOf(UtblickError)
      expect((error as UtblickError).code).toBe("INVALID_INPUT")
      expect((error as UtblickError).message).toContain(
        "no key store is configured for personal data; pass keyStore (a file path) in the store options"
      )
      expect((await utblick.readModels()).position).toBe(before)
    } finally {
      await utblick.close()
    }
  })
})
