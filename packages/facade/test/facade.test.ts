import { readdirSync, readlinkSync } from "node:fs"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { EventStore, EventStoreError } from "@utblick/core"
import { createUtblick, type Utblick } from "@utblick/facade"
import { Effect, Layer } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import * as S from "./scenario.js"
import { rejection } from "./support.js"

const dir = mkdtempSync(join(tmpdir(), "utblick-facade-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const seed = async (utblick: Utblick) => {
  const results = []
  for (const command of S.all) results.push(await utblick.execute(command))
  return results
}

let sqliteFiles = 0
const stores = {
  memory: () => createUtblick({ store: { kind: "memory" } }),
  sqlite: () => createUtblick({ store: { kind: "sqlite", filename: join(dir, `store-${++sqliteFiles}.db`) } })
}

describe.each(Object.entries(stores))("commands in, read models out (%s)", (_name, open) => {
  it("executes every kind of command and summarises what was appended", async () => {
    const utblick = await open()
    try {
      const results = await seed(utblick)
      expect(results.map((r) => r.command)).toEqual(S.all.map((c) => c._tag))
      const grant = results.find((r) => r.command === "GrantProject")
      expect(grant?.streams).toEqual(["application-nb-2022-p-001", "budget-region-norrbotten-2022"])
      expect(grant?.events.map((e) => e.type)).toEqual(["ProjectGranted", "BudgetReserved"])
      const positions = results.flatMap((r) => r.events.map((e) => e.position))
      expect(positions).toEqual(positions.map((_, i) => i))
    } finally {
      await utblick.close()
    }
  })

  it("answers the read models, on either clock", async () => {
    const utblick = await open()
    try {
      await seed(utblick)
      const memberships = await utblick.memberships({ tenant: S.lulea })
      expect(memberships.map((m) => [m.organisationName, m.active, m.since])).toEqual([
        ["Union of the Baltic Cities", true, "2003-01-01"]
      ])
      expect(await utblick.memberships({ tenant: S.lulea, asOf: "2002-12-31" })).toEqual([])
      expect(await utblick.memberships({ knownAt: "2000-01-01T00:00:00.000Z" })).toEqual([])
      // An instant written with its offset is that instant in UTC (worked out by hand), as the
      // CLI's --known-at reads it; a date is the end of that day, UTC.
      expect((await utblick.indicators(2022, { knownAt: "2023-03-15T10:30+01:00" })).knownAt).toBe("2023-03-15T09:30:00.000Z")
      expect((await utblick.indicators(2022, { knownAt: "2023-03-14T20:00-05:30" })).knownAt).toBe("2023-03-15T01:30:00.000Z")
      expect((await utblick.indicators(2022, { knownAt: "2023-03-15" })).knownAt).toBe("2023-03-15T23:59:59.999Z")

      const agreements = await utblick.agreements({ kind: "twin-town" })
      expect(agreements.map((a) => [a.title, a.status])).toEqual([["Vänort Tromsø", "active"]])

      const portfolio = await utblick.portfolio(2022, { tenant: S.region })
      expect(portfolio.appropriation).toBe(100_000_000)
      expect(portfolio.total.grantedAmount).toBe(40_000_000)
      expect(portfolio.total.paid).toBe(10_000_000)
      expect(portfolio.remainingAppropriation).toBe(60_000_000)
      expect(portfolio.grants.map((g) => g.applicationId)).toEqual(["nb-2022-p-001"])
      // Before the payment, as the record stood on 31 May 2022:
      expect((await utblick.portfolio(2022, { asOf: "2022-05-31" })).total.paid).toBe(0)

      const trips = await utblick.trips(2024)
      expect(trips.totals.proposed).toBe(1)
      expect(trips.trips[0]?.destination).toBe("Gdynia")

      const models = await utblick.readModels()
      expect(models.position).toBe(11)
      expect(Object.keys(models.state).sort()).toEqual(["agreements", "memberships", "portfolio", "registry", "trips"])

      const indicators = await utblick.indicators(2022)
      expect(indicators.asOf).toBe("2022-12-31")
      const byInstrument = indicators.values.find((v) => v.id === "granted-by-instrument")
      expect(byInstrument?.value).toBe(40_000_000)

      const comparison = await utblick.compare([2021, 2022])
      expect(comparison.years).toEqual([2021, 2022])
      const row = comparison.rows.find((r) => r.indicator === "granted-by-instrument" && r.key === null)
      // Nothing about funding was recorded for 2021: no data (null), not 0 kr (ADR 0020).
      expect(row === undefined ? null : [row.a, row.b]).toEqual([null, 40_000_000])
    } finally {
      await utblick.close()
    }
  })
})

// A memory store whose writes fail with the given reason: the way to provoke store errors on
// demand, and an example of the custom-layer option.
const failingWrites = (reason: EventStoreError.EventStoreErrorReason) =>
  Layer.effect(
    EventStore.EventStore,
    Effect.map(EventStore.makeMemory(), (store) =>
      EventStore.EventStore.of({
        ...store,
        append: () => Effect.fail(EventStoreError.fromReason(reason)),
        appendMany: () => Effect.fail(EventStoreError.fromReason(reason))
      })
    )
  )

describe("each error code", () => {
  it("INVALID_INPUT names the field, the value and the rule; nothing is written", async () => {
    const utblick = await createUtblick({ store: { kind: "memory" } })
    try {
      const bad = await rejection(utblick.execute({ ...S.allot(2022, 1), amount: -5 }))
      expect(bad.code).toBe("INVALID_INPUT")
      expect(bad.command).toBe("AllotAppropriation")
      expect(bad.field).toBe("amount")
      expect(bad.value).toBe("-5")
      expect(bad.rule).toBe("an amount in öre must be a non-negative integer")
      expect(bad.cause).toMatchObject({ _tag: "CommandInputError" })

      const unknown = await rejection(utblick.executeJson({ _tag: "BuyIceCream" }))
      expect([unknown.code, unknown.field, unknown.value]).toEqual(["INVALID_INPUT", "_tag", '"BuyIceCream"'])
      expect(unknown.rule).toMatch(/SignMembership/)

      expect((await rejection(utblick.executeJson("SignMembership"))).code).toBe("INVALID_INPUT")
      // Input that is no object, or has no string _tag, names no command: "unknown".
      for (const [input, field, value] of [
        [null, "(command)", "null"],
        [[], "(command)", "[]"],
        [{ _tag: 5 }, "_tag", "5"]
      ] as const) {
        const error = await rejection(utblick.executeJson(input))
        expect([error.code, error.command, error.field, error.value]).toEqual(["INVALID_INPUT", "unknown", field, value])
      }
      const query = await rejection(utblick.memberships({ asOf: "2022-02-30" }))
      expect([query.code, query.field, query.value]).toEqual(["INVALID_INPUT", "asOf", '"2022-02-30"'])
      // A time without a zone would be the server's local time; 31 February and 24:00 are no
      // instants (Date.parse reads them as 3 March and the next midnight).
      for (const knownAt of ["2023-03-15T09:30", "2023-02-31T10:00:00Z", "2023-03-15T24:00Z", "Tue Mar 14 2023"]) {
        const refused = await rejection(utblick.memberships({ knownAt }))
        expect([refused.code, refused.field, refused.value]).toEqual(["INVALID_INPUT", "knownAt", JSON.stringify(knownAt)])
        expect(refused.rule).toBe(
          "knownAt must be an instant with its zone (2023-03-15T09:30:00.000Z, 2023-03-15T10:30+01:00) or a date YYYY-MM-DD"
        )
      }
      expect((await rejection(utblick.portfolio(22))).field).toBe("year")
      expect((await utblick.readModels()).position).toBe(0)
    } finally {
      await utblick.close()
    }
  })

  it("FORBIDDEN when the role may not give the command", async () => {
    const utblick = await createUtblick({ store: { kind: "memory" } })
    try {
      await utblick.execute(S.allot(2022, 1_000_000))
      await utblick.execute(S.receive("a-1", 10_000, "2022-02-01"))
      await utblick.execute(S.assess("a-1", "2022-02-02"))
      const byOfficer = { ...S.grantProject("a-1", 2022, 10_000, "2022-03-01"), actor: { id: "x", role: "officer" } }
      const error = await rejection(utblick.execute(byOfficer))
      expect(error.code).toBe("FORBIDDEN")
      expect([error.field, error.value]).toEqual(["actor.role", '"officer"'])
      expect(error.rule).toBe("GrantProject may only be given by: regional-development-board")
      expect(error.tag).toBe("NotAuthorized")
    } finally {
      await utblick.close()
    }
  })

  it("RULE_VIOLATED when a domain rule refuses the command; nothing is written", async () => {
    const utblick = await createUtblick({ store: { kind: "memory" } })
    try {
      await utblick.execute(S.allot(2022, 100_000))
      await utblick.execute(S.receive("a-1", 500_000, "2022-02-01"))
      await utblick.execute(S.assess("a-1", "2022-02-02"))
      const before = (await utblick.readModels()).position
      const error = await rejection(utblick.execute(S.grantProject("a-1", 2022, 500_000, "2022-03-01")))
      expect(error.code).toBe("RULE_VIOLATED")
      expect(error.tag).toBe("AppropriationExceeded")
      expect(error.field).toBe("amount")
      expect(error.value).toBe("50000000")
      expect(error.rule).toMatch(/appropriation/)
      expect((await utblick.readModels()).position).toBe(before)

      for (const command of S.memberships) await utblick.execute(command)
      // The same command again is idempotent (issue 17); joining again on another date breaks the rule.
      const again = await utblick.execute(S.signUbc)
      expect([again.alreadyRecorded, again.events.length]).toEqual([true, 0])
      const twice = await rejection(utblick.execute({ ...S.signUbc, occurredAt: "2030-01-01" }))
      expect([twice.code, twice.tag, twice.command]).toEqual(["RULE_VIOLATED", "MembershipAlreadyActive", "SignMembership"])
      // From JSON the command is named by the input's _tag (the rule's error does not carry it).
      const fromJson = await rejection(utblick.executeJson(JSON.parse(JSON.stringify({ ...S.signUbc, occurredAt: "2030-01-01" }))))
      expect([fromJson.code, fromJson.command]).toEqual(["RULE_VIOLATED", "SignMembership"])
    } finally {
      await utblick.close()
    }
  })

  it("CONFLICT when another writer keeps winning the stream", async () => {
    const utblick = await createUtblick({
      store: {
        kind: "layer",
        layer: failingWrites(new EventStoreError.ConcurrencyConflict({ streamId: "s", expected: "no-stream", actual: 1 }))
      }
    })
    try {
      const error = await rejection(utblick.execute(S.agreement))
      expect([error.code, error.tag, error.retryable]).toEqual(["CONFLICT", "EventStoreError/ConcurrencyConflict", true])
    } finally {
      await utblick.close()
    }
  })

  it("STORE_UNAVAILABLE when the store cannot be opened or refuses a write", async () => {
    const missingDir = await rejection(
      createUtblick({ store: { kind: "sqlite", filename: join(dir, "no-such-dir", "x.db") } })
    )
    expect(missingDir.code).toBe("STORE_UNAVAILABLE")

    const noServer = await rejection(
      createUtblick({ store: { kind: "postgres", url: "postgres://postgres:postgres@127.0.0.1:1/utblick_test" } })
    )
    expect([noServer.code, noServer.retryable]).toEqual(["STORE_UNAVAILABLE", true])

    const utblick = await createUtblick({
      store: {
        kind: "layer",
        layer: failingWrites(new EventStoreError.Unavailable({ operation: "append", detail: "disk full", retryable: true }))
      }
    })
    try {
      const error = await rejection(utblick.execute(S.agreement))
      expect([error.code, error.message]).toEqual([
        "STORE_UNAVAILABLE",
        "the store could not append: disk full (try again once the fault is fixed; nothing was written)"
      ])
    } finally {
      await utblick.close()
    }
  })

  it("INVALID_INPUT for an event appended below the commands whose payload breaks its schema (memory store)", async () => {
    const utblick = await createUtblick({ store: { kind: "memory" } })
    try {
      const error = await rejection(
        utblick.run(
          Effect.flatMap(EventStore.EventStore, (store) =>
            store.append("agreement-x", [
              {
                type: "AgreementSigned",
                schemaVersion: 1,
                occurredAt: "2022-02-28",
                tenant: S.lulea,
                actor: { id: "x", role: "executive-board" },
                decisionRef: null,
                payload: {}
              }
            ])
          )
        )
      )
      expect([error.code, error.tag, error.retryable]).toEqual(["INVALID_INPUT", "EventStoreError/InvalidEvent", false])
      expect((await utblick.readModels()).position).toBe(0)
    } finally {
      await utblick.close()
    }
  })

  it("CLOSED after close()", async () => {
    const utblick = await createUtblick({ store: { kind: "memory" } })
    await utblick.close()
    await utblick.close()
    expect((await rejection(utblick.execute(S.agreement))).code).toBe("CLOSED")
    expect((await rejection(utblick.memberships())).code).toBe("CLOSED")
  })
})

// The file descriptors this process holds on a path (Linux: /proc/self/fd).
const openHandles = (path: string): number =>
  readdirSync("/proc/self/fd").filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).startsWith(path)
    } catch {
      return false
    }
  }).length

describe("close()", () => {
  it.skipIf(process.platform !== "linux")("releases the SQLite file, and a new instance reads what was written", async () => {
    const filename = join(dir, "close.db")
    const first = await createUtblick({ store: { kind: "sqlite", filename } })
    await first.execute(S.agreement)
    expect(openHandles(filename)).toBeGreaterThan(0)
    await first.close()
    expect(openHandles(filename)).toBe(0)

    const second = await createUtblick({ store: { kind: "sqlite", filename } })
    try {
      expect((await second.agreements()).map((a) => a.title)).toEqual(["Vänort Tromsø"])
    } finally {
      await second.close()
    }
    expect(openHandles(filename)).toBe(0)
  })
})
