// The orders the projections' queries list in (and `utblick list` sorts by) are total orders with
// ties: two actors' memberships of one organisation from one day, one trip id departing on one day
// in two tenants. A tie answers 0 both ways, so a stable sort keeps the read model's order; an
// answer of 1 both ways (as before) left their order to the sort engine. Expected values by hand.
import { describe, expect, it } from "vitest"
import { Memberships, Trips } from "../src/index.js"

describe("the queries' orders on a tie", () => {
  it("Memberships.bySince: same day, same organisation is a tie; otherwise date, then organisation", () => {
    const a = { since: "2021-01-10", organisationId: "network-0" }
    const b = { since: "2021-01-10", organisationId: "network-0" }
    expect([Memberships.bySince(a, b), Memberships.bySince(b, a)]).toEqual([0, 0])
    expect(Memberships.bySince(a, { since: "2021-01-10", organisationId: "network-1" })).toBe(-1)
    expect(Memberships.bySince({ since: "2021-01-10", organisationId: "network-1" }, a)).toBe(1)
    expect(Memberships.bySince({ since: "2020-12-31", organisationId: "z" }, a)).toBe(-1)
  })

  it("Trips.byDeparture: same day, same trip id is a tie; otherwise date, then trip id", () => {
    const a = { departOn: "2021-03-01", tripId: "trip-7" }
    const b = { departOn: "2021-03-01", tripId: "trip-7" }
    expect([Trips.byDeparture(a, b), Trips.byDeparture(b, a)]).toEqual([0, 0])
    expect(Trips.byDeparture(a, { departOn: "2021-03-01", tripId: "trip-8" })).toBe(-1)
    expect(Trips.byDeparture({ departOn: "2021-03-01", tripId: "trip-8" }, a)).toBe(1)
    expect(Trips.byDeparture({ departOn: "2021-02-28", tripId: "z" }, a)).toBe(-1)
  })

  it("a stable sort keeps tied entries in the order given", () => {
    // Three memberships in the read model's order: x and y tie, w joined earlier.
    const x = { since: "2021-01-10", organisationId: "n", actor: "x" }
    const y = { since: "2021-01-10", organisationId: "n", actor: "y" }
    const w = { since: "2020-05-01", organisationId: "n", actor: "w" }
    expect([y, x, w].sort(Memberships.bySince).map((m) => m.actor)).toEqual(["w", "y", "x"])
    expect([x, y, w].sort(Memberships.bySince).map((m) => m.actor)).toEqual(["w", "x", "y"])
  })
})
