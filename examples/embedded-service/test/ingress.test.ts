/**
 * The HTTP way in meets the same rules as the CLI import: idempotent requests, strict shapes,
 * nothing written on refusal. Runs the service on a real SQLite file.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type Running, start } from "@utblick/example-embedded-service"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as C from "./commands.js"
import { call } from "./support.js"

const send = async (base: string, body: Uint8Array | string, headers: Record<string, string> = {}) => {
  const response = await fetch(`${base}/commands`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

describe("POST /commands: idempotent and strict", () => {
  let service: Running
  let dir: string
  const events = async () => ((await call(service.url, "/health")).body as { events: number }).events
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "utblick-ingress-"))
    service = await start({ store: { kind: "sqlite", filename: join(dir, "service.db") }, port: 0 })
  })
  afterAll(async () => {
    await service.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it("the same request twice records the fact once: 201, then 200 with alreadyRecorded", async () => {
    const first = await send(service.url, JSON.stringify(C.register))
    expect(first.status).toBe(201)
    expect(await events()).toBe(2)
    const again = await send(service.url, JSON.stringify(C.register))
    expect(again.status).toBe(200)
    expect(again.body).toMatchObject({ alreadyRecorded: true, events: [] })
    expect(await events()).toBe(2)
  })

  it("an Idempotency-Key header names the fact; other content under it is a 409 showing both values", async () => {
    await send(service.url, JSON.stringify(C.allot(2022, 1_000_000)))
    await send(service.url, JSON.stringify(C.receive("a-1", 400_000, "2022-02-01")), { "idempotency-key": "receive-a-1" })
    expect(await events()).toBe(4)
    const changed = await send(service.url, JSON.stringify(C.receive("a-1", 450_000, "2022-02-01")), { "idempotency-key": "receive-a-1" })
    expect(changed.status).toBe(409)
    expect(changed.body).toMatchObject({ code: "IDEMPOTENCY_CONFLICT", field: "amountApplied", value: "40000000 when recorded, 45000000 now" })
    expect(await events()).toBe(4)
  })

  it("refuses unknown fields, non-UTF-8 bodies, lone surrogates, unsafe integers and deep nesting with 400; writes nothing", async () => {
    const before = await events()
    const typo = await send(service.url, JSON.stringify({ ...C.receive("a-2", 1, "2022-02-02"), amountAplied: 100 }))
    expect(typo.status).toBe(400)
    expect(typo.body).toMatchObject({ field: "amountAplied" })
    expect(String(typo.body["rule"])).toContain('did you mean "amountApplied"?')

    const latin1 = Buffer.from(JSON.stringify({ ...C.joinUbc, purpose: "Lule_" }).replace("Lule_", "Lule\u00e5"), "latin1")
    expect((await send(service.url, latin1)).status).toBe(400)

    const lone = await send(service.url, JSON.stringify(C.joinUbc).replace('"member"', '"\\ud800"'))
    expect(lone.status).toBe(400)
    expect(lone.body).toMatchObject({ field: "kind", value: '"(lone surrogate)"' })

    const huge = await send(service.url, JSON.stringify(C.allot(2023, 1)).replace('"amount":100', '"amount":9007199254740993'))
    expect(huge.status).toBe(400)
    expect(huge.body).toMatchObject({ field: "(number)", value: '"9007199254740993"' })

    const deep = await send(service.url, `${"[".repeat(100_000)}${"]".repeat(100_000)}`)
    expect(deep.status).toBe(400)
    expect(String(deep.body["rule"])).toContain("nests deeper than 32 levels")
    expect(await events()).toBe(before)
  })
})
