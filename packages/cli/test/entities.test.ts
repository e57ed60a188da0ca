/**
 * The rows-or-state read of the commands that ask about every entity (`Entities.each`): from the
 * rows kept for a time filter, and where a store keeps none (or a scan fails part way) from the
 * read-model state, with the same entities in the same order and the same parts read whole. The
 * expected entities are the events below, written out by hand.
 */
import { type Envelope, EventStore, EventStoreError, Events, ProjectionCheckpoints } from "@utblick/core"
import type { EntityRows } from "@utblick/projections"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import * as Entities from "../src/Entities.js"

const R = "region-r"
const event = (type: string, occurredAt: string, payload: Envelope.EventToAppend["payload"]) => ({
  type,
  schemaVersion: Events.eventCatalog.definitions.get(type)?.version ?? 1,
  occurredAt,
  tenant: R,
  actor: { id: "board", role: "board" },
  decisionRef: null,
  payload
})
const receivedOn = (id: string, on: string) =>
  event("ApplicationReceived", on, {
    applicationId: id,
    regionId: "r",
    instrument: "business-support",
    applicant: { name: "Firm" },
    title: `T ${id}`,
    amountApplied: 100,
    receivedOn: on
  })

// "b" received before "a": the portfolio's map lists b first though its id sorts after; a
// budget of 2022 is a part read whole, no row; a membership is a row of a model not asked for.
const history = [
  [
    "membership-m1",
    event("MembershipSigned", "2022-01-20", {
      actorId: "actor-1",
      organisationId: "org-1",
      kind: "member",
      joinedYear: 2022
    })
  ],
  ["application-b", receivedOn("b", "2022-02-01")],
  ["application-a", receivedOn("a", "2022-03-01")],
  [
    "budget-r-2022",
    event("AllocationFramed", "2022-01-15", {
      regionId: "r",
      year: 2022,
      projectSupport: 600,
      businessSupport: 300,
      commercialService: 100,
      byPriority: [],
      decidingBody: "board"
    })
  ]
] as const

// The ids visited (sorted by their order in the state) and the budgets' years, read through
// `checkpoints`; `begun` counts the visitors made.
const read = (checkpoints: ProjectionCheckpoints.ProjectionCheckpointsShape) =>
  Effect.gen(function* () {
    const store = yield* EventStore.makeMemory({ catalog: Events.eventCatalog })
    for (const [stream, e] of history) yield* store.append(stream, [e])
    let seen: Array<readonly [string, number]> = []
    let begun = 0
    const whole = yield* Entities.each({ tenant: R }, ["portfolio.applications"], () => {
      begun += 1
      seen = []
      return (row: EntityRows.Row, order: number) => seen.push([row.id, order])
    }).pipe(
      Effect.provideService(EventStore.EventStore, store),
      Effect.provideService(ProjectionCheckpoints.ProjectionCheckpoints, checkpoints)
    )
    const ids = [...seen].sort(([, x], [, y]) => x - y).map(([id]) => id)
    const budgets = [...(whole.budgets.get(R)?.values() ?? [])].map((b) => [b.regionId, b.year])
    return { ids, budgets, begun }
  })

describe("Entities.each", () => {
  it("gives the same entities in the read model's order, and the budgets, from rows or from the state", async () => {
    const rows = ProjectionCheckpoints.makeMemory()
    const { rows: _rows, ...withoutRows } = rows
    // A scan that fails on its first page: the visitor is made again for the state.
    const failing: ProjectionCheckpoints.ProjectionCheckpointsShape = {
      ...rows,
      rows: {
        ...(rows.rows as ProjectionCheckpoints.CheckpointRows),
        scan: () =>
          Effect.fail(
            new EventStoreError.EventStoreError({
              reason: new EventStoreError.Unavailable({
                operation: "scan rows",
                detail: "connection lost",
                retryable: true
              })
            })
          )
      }
    }
    const results = await Effect.runPromise(Effect.all([read(rows), read(withoutRows), read(failing)]))
    const expected = { ids: ["b", "a"], budgets: [["r", 2022]] }
    expect(results[0]).toEqual({ ...expected, begun: 1 })
    expect(results[1]).toEqual({ ...expected, begun: 2 })
    expect(results[2]).toEqual({ ...expected, begun: 2 })
  })
})
