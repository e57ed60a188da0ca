/**
 * What a group's state read looks up (`keysOf`): only well-formed stream ids and UUIDv7 event ids,
 * whatever garbage a caller appends. The planner then refuses the garbage with a named field; the
 * read must neither throw on it nor send it to the server.
 */
import type { StreamWrite } from "@utblick/core/AppendPlanner"
import { describe, expect, it } from "vitest"
import { keysOf } from "../src/internal/groups.js"

const id1 = "01890a5d-ac96-774b-bcce-b302099a8057"
const id2 = "01890a5d-ac96-774b-bcce-b302099a8058"

describe("keysOf", () => {
  it("keeps well-formed stream ids and UUIDv7 event ids, and nothing else", () => {
    const garbage = [
      null,
      undefined,
      { streamId: 42, events: [{ eventId: id1 }] },
      { streamId: "Bad Id", events: "not a list" },
      {
        streamId: "grant-1",
        events: [null, 5, "text", { eventId: 7 }, { eventId: "not-a-uuid" }, { eventId: id2 }]
      },
      // A function is not an event, whatever properties it carries.
      {
        streamId: "grant-2",
        events: [Object.assign(() => undefined, { eventId: "01890a5d-ac96-774b-bcce-b302099a8059" })]
      },
      { events: [{ eventId: "01890a5d-ac96-774b-bcce-b302099a805a" }] }
    ] as unknown as ReadonlyArray<StreamWrite>
    const { streams, ids } = keysOf([{ writes: garbage }, { writes: [{ streamId: "grant-1", events: [] }] }])
    expect([...streams]).toStrictEqual(["grant-1", "grant-2"])
    expect([...ids]).toStrictEqual([id1, id2, "01890a5d-ac96-774b-bcce-b302099a805a"])
  })
})
