import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { EventStore, EventStoreError } from "@utblick/core"
import { type Running, start, storeConfig } from "@utblick/example-embedded-service"
import { ConfigProvider, Effect, Layer } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as C from "./commands.js"
import { call, post } from "./support.js"

describe("the service over an in-memory store", () => {
  let service: Running
  let base: string
  beforeAll(async () => {
    service = await start({ store: { kind: "memory" }, port: 0 })
    base = service.url
  })
  afterAll(() => service.close())

  it("GET /health → 200", async () => {
    const reply = await call(base, "/health")
    expect(reply).toMatchObject({ status: 200, body: { status: "ok", store: "memory", events: 0 } })
  })

  it("POST /commands → 201 with the appended events", async () => {
    const registered = await post(base, C.register)
    expect(registered).toMatchObject({
      command: "Register",
      streams: ["registry-lulea-kommun"],
      events: [
        { type: "ActorRegistered", position: 0, streamVersion: 1 },
        { type: "OrganisationRegistered", position: 1, streamVersion: 2 }
      ]
    })
    await post(base, C.joinUbc)
    await post(base, C.twinTown())
    await post(base, C.allot(2022, 1_000_000))
    await post(base, C.receive("nb-2022-p-001", 400_000, "2022-02-01"))
    await post(base, C.assess("nb-2022-p-001", "2022-02-15"))
    const granted = await post(base, C.grantProject("nb-2022-p-001", 2022, 400_000, "2022-03-10"))
    expect(granted).toMatchObject({
      command: "GrantProject",
      streams: ["application-nb-2022-p-001", "budget-region-norrbotten-2022"],
      events: [{ type: "ProjectGranted" }, { type: "BudgetReserved" }]
    })
  })

  it("GET the read models, on either clock", async () => {
    const memberships = await call(base, `/memberships?tenant=${C.lulea}&asOf=2010-12-31`)
    expect(memberships.status).toBe(200)
    expect(memberships.body).toMatchObject([{ organisationName: "Union of the Baltic Cities", active: true }])
    expect((await call(base, `/memberships?tenant=${C.lulea}&asOf=2002-12-31`)).body).toEqual([])

    const agreements = await call(base, "/agreements?kind=twin-town")
    expect(agreements.body).toMatchObject([{ title: "Vänort Tromsø", status: "active" }])

    const portfolio = await call(base, `/portfolio/2022?tenant=${C.region}`)
    expect(portfolio.body).toMatchObject({ year: 2022, appropriation: 100_000_000, remainingAppropriation: 60_000_000 })

    const indicators = await call(base, "/indicators/2022")
    expect(indicators.status).toBe(200)
    expect(indicators.body["asOf"]).toBe("2022-12-31")
    const granted = (body: Record<string, unknown>) =>
      (body["values"] as ReadonlyArray<{ id: string; value: number | null }>).find((v) => v.id === "granted-by-instrument")
        ?.value
    expect(granted(indicators.body)).toBe(40_000_000)
    // Known at a time before anything was recorded: no data (not a zero; ADR 0020).
    const before = await call(base, "/indicators/2022?knownAt=2000-01-01")
    expect(before.body["knownAt"]).toBe("2000-01-01T23:59:59.999Z")
    expect(granted(before.body)).toBeUndefined()

    const comparison = await call(base, "/compare?years=2017,2022")
    expect(comparison.status).toBe(200)
    expect(comparison.body["years"]).toEqual([2017, 2022])

    expect((await call(base, "/trips/2024")).body).toMatchObject({ year: 2024, trips: [] })
  })

  it("400 for bad input, with field, value and rule in a problem body", async () => {
    const bad = await call(base, "/commands", { body: { ...C.allot(2023, 1), amount: -5 } })
    expect(bad.status).toBe(400)
    expect(bad.contentType).toMatch(/^application\/problem\+json/)
    expect(bad.body).toMatchObject({
      type: "urn:utblick:problem:invalid-input",
      status: 400,
      code: "INVALID_INPUT",
      command: "AllotAppropriation",
      field: "amount",
      value: "-5",
      rule: "an amount in öre must be a non-negative integer"
    })
    expect((await call(base, "/commands", { raw: "{not json" })).body).toMatchObject({ status: 400, field: "(body)" })
    expect((await call(base, "/commands", { body: { _tag: "Nope" } })).body).toMatchObject({ status: 400, field: "_tag" })
    expect((await call(base, "/memberships?asOf=2022-13-01")).body).toMatchObject({ status: 400, field: "asOf" })
    expect((await call(base, "/portfolio/twenty")).body).toMatchObject({ status: 400, field: "year" })
    expect((await call(base, "/compare?years=2017")).body).toMatchObject({ status: 400, field: "years" })
  })

  it("403 when the role may not give the command", async () => {
    await post(base, C.receive("nb-2022-p-002", 10_000, "2022-04-01"))
    await post(base, C.assess("nb-2022-p-002", "2022-04-02"))
    const reply = await call(base, "/commands", {
      body: { ...C.grantProject("nb-2022-p-002", 2022, 10_000, "2022-05-01"), actor: { id: "x", role: "officer" } }
    })
    expect(reply.status).toBe(403)
    expect(reply.body).toMatchObject({
      code: "FORBIDDEN",
      field: "actor.role",
      value: '"officer"',
      rule: "GrantProject may only be given by: regional-development-board"
    })
  })

  it("422 when a domain rule refuses the command", async () => {
    await post(base, C.receive("nb-2022-p-003", 900_000, "2022-04-01"))
    await post(base, C.assess("nb-2022-p-003", "2022-04-02"))
    const reply = await call(base, "/commands", { body: C.grantProject("nb-2022-p-003", 2022, 900_000, "2022-05-01") })
    expect(reply.status).toBe(422)
    expect(reply.body).toMatchObject({ code: "RULE_VIOLATED", tag: "AppropriationExceeded", field: "amount", value: "90000000" })
    // The same request again is a no-op (idempotent); joining again on another date breaks the rule.
    const same = await call(base, "/commands", { body: C.joinUbc })
    expect(same).toMatchObject({ status: 200, body: { alreadyRecorded: true } })
    const again = await call(base, "/commands", { body: { ...C.joinUbc, occurredAt: "2030-01-01" } })
    expect(again.body).toMatchObject({ status: 422, tag: "MembershipAlreadyActive" })
  })

  it("404 for an unknown path, 405 for a wrong method", async () => {
    expect((await call(base, "/nowhere")).status).toBe(404)
    expect((await call(base, "/commands")).status).toBe(405)
    expect((await call(base, "/memberships", { method: "DELETE" })).status).toBe(405)
  })
})

// A memory store whose writes fail with the given reason.
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

describe("store failures", () => {
  it("409 when another writer keeps winning the stream", async () => {
    const conflict = new EventStoreError.ConcurrencyConflict({ streamId: "s", expected: "no-stream", actual: 1 })
    const service = await start({ store: { kind: "layer", layer: failingWrites(conflict) }, port: 0 })
    try {
      const reply = await call(service.url, "/commands", { body: C.twinTown() })
      expect(reply.status).toBe(409)
      expect(reply.body).toMatchObject({ code: "CONFLICT", tag: "EventStoreError/ConcurrencyConflict" })
    } finally {
      await service.close()
    }
  })

  it("503 when the store refuses the write", async () => {
    const down = new EventStoreError.Unavailable({ operation: "append", detail: "disk full", retryable: true })
    const service = await start({ store: { kind: "layer", layer: failingWrites(down) }, port: 0 })
    try {
      const reply = await call(service.url, "/commands", { body: C.twinTown() })
      expect(reply.status).toBe(503)
      expect(reply.body).toMatchObject({ code: "STORE_UNAVAILABLE", detail: expect.stringContaining("disk full") })
    } finally {
      await service.close()
    }
  })

  it("refuses to start when the store cannot be opened", async () => {
    await expect(
      start({ store: { kind: "postgres", url: "postgres://postgres:postgres@127.0.0.1:1/utblick_test" }, port: 0 })
    ).rejects.toMatchObject({ _tag: "EventStoreError", reason: { _tag: "Unavailable" } })
  })
})

describe("configuration", () => {
  const read = (env: Record<string, string>) =>
    Effect.runPromise(
      Effect.gen(function* () {
        return yield* storeConfig
      }).pipe(Effect.provide(ConfigProvider.layer(ConfigProvider.fromEnvRecord(env))))
    )

  it("UTBLICK_STORE picks the store, SQLite by default", async () => {
    expect(await read({})).toEqual({ kind: "sqlite", filename: "./utblick-service.db" })
    expect(await read({ UTBLICK_STORE: "memory" })).toEqual({ kind: "memory" })
    expect(await read({ UTBLICK_STORE: "sqlite:/tmp/x.db" })).toEqual({ kind: "sqlite", filename: "/tmp/x.db" })
    expect(await read({ UTBLICK_STORE: "postgres://u:p@h/db" })).toEqual({ kind: "postgres", url: "postgres://u:p@h/db" })
    await expect(read({ UTBLICK_STORE: "mysql://nope" })).rejects.toThrow(/UTBLICK_STORE must be/)
  })

  it("serves from an SQLite file and keeps it across restarts", async () => {
    const dir = mkdtempSync(join(tmpdir(), "utblick-service-"))
    try {
      const store = { kind: "sqlite", filename: join(dir, "service.db") } as const
      const first = await start({ store, port: 0 })
      await post(first.url, C.twinTown())
      await first.close()
      const second = await start({ store, port: 0 })
      try {
        expect((await call(second.url, "/health")).body).toMatchObject({ events: 1, store: `sqlite:${store.filename}` })
      } finally {
        await second.close()
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
