import { type Running, start } from "@utblick/example-embedded-service"
import { Store } from "@utblick/facade"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as C from "./commands.js"
import { call, post } from "./support.js"

// Runs when DATABASE_URL points at a reachable server; in CI (CI=true) it must run, so an absent
// or unreachable server fails there instead of skipping.
const url = process.env["DATABASE_URL"]
const inCi = process.env["CI"] === "true"

const reachable = async (): Promise<string | undefined> => {
  if (url === undefined || url === "") return "DATABASE_URL is not set"
  try {
    const probe = await start({ store: { kind: "postgres", url, schema: "utblick_embedded_service_test" }, port: 0 })
    await probe.close()
    return undefined
  } catch (error) {
    return `PostgreSQL at ${Store.describe({ kind: "postgres", url })} is not reachable: ${error instanceof Error ? error.message : String(error)}`
  }
}

const skipReason = await reachable()
if (skipReason !== undefined && !inCi) {
  console.warn(`[embedded-service] skipping the PostgreSQL test: ${skipReason} (set DATABASE_URL to run it; with CI=true it fails instead)`)
}

describe.skipIf(skipReason !== undefined && !inCi)("the service over PostgreSQL", () => {
  let service: Running
  // One schema of its own, and ids unique to this run, so reruns and other suites never collide.
  const run = Date.now().toString(36)
  beforeAll(async () => {
    if (skipReason !== undefined) throw new Error(`CI=true but ${skipReason}`)
    service = await start({
      store: { kind: "postgres", url: url as string, schema: "utblick_embedded_service_test" },
      port: 0
    })
  })
  afterAll(() => service?.close())

  it("takes commands and answers read models; rules and roles map to 422 and 403", async () => {
    const regionId = `region-test-${run}`
    const applicationId = `app-${run}`
    await post(service.url, C.twinTown(`twin-${run}`))
    await post(service.url, C.allot(2022, 100_000, regionId))
    await post(service.url, C.receive(applicationId, 500_000, "2022-02-01", regionId))
    await post(service.url, C.assess(applicationId, "2022-02-02"))
    const over = await call(service.url, "/commands", { body: C.grantProject(applicationId, 2022, 500_000, "2022-03-01") })
    expect(over.status).toBe(422)
    const wrongRole = await call(service.url, "/commands", {
      body: { ...C.grantProject(applicationId, 2022, 50_000, "2022-03-01"), actor: { id: "x", role: "officer" } }
    })
    expect(wrongRole.status).toBe(403)
    const granted = await post(service.url, C.grantProject(applicationId, 2022, 50_000, "2022-03-01"))
    expect(granted["streams"]).toEqual([`application-${applicationId}`, `budget-${regionId}-2022`])

    const agreements = await call(service.url, `/agreements?tenant=${C.lulea}`)
    expect((agreements.body as unknown as ReadonlyArray<{ agreementId: string }>).map((a) => a.agreementId)).toContain(
      `twin-${run}`
    )
    expect((await call(service.url, "/health")).body).toMatchObject({ status: "ok", store: expect.stringContaining("***") })
  })
})
