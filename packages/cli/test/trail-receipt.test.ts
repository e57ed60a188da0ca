/**
 * Issue 11, item 5, through the real `utblick` process on a SQLite file holding the Norrbotten
 * seed: one application's trail holds its own events only, with event id, amount, actor, role,
 * case number and both clocks; filters; `prove` from a trail line; `verify-receipt` offline.
 */
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Money } from "@utblick/core"
import * as Norrbotten from "@utblick/example-norrbotten-funding"
import { SqliteEventStore } from "@utblick/store-sqlite"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { utblick } from "./process.js"
import { tempStore } from "./support.js"

describe("trail, prove, verify-receipt", () => {
  it("one application's own events, filters, a receipt verified offline", async () => {
    const t = tempStore()
    await Effect.runPromise(
      Effect.asVoid(Norrbotten.seed).pipe(
        Effect.provide(SqliteEventStore.layer({ filename: t.db, origin: "audit.test.example/nb" }))
      )
    )
    const app = "nb-2022-foretagsstod-001"
    const granted = Norrbotten.businessSupport2022[0]?.grantOre as number

    const r = utblick(["--store", t.store, "trail", app, "--json"])
    expect(r.code).toBe(0)
    const entries = JSON.parse(r.stdout).entries as ReadonlyArray<Record<string, unknown>>
    // Received and assessed by the officer, then the board's grant with its budget reservation:
    // nothing of the other applications in the same budget stream.
    expect(entries.map((e) => e.type).sort()).toEqual([
      "ApplicationAssessed",
      "ApplicationReceived",
      "BudgetReserved",
      "BusinessSupportGranted"
    ])
    const reserved = entries.find((e) => e.type === "BudgetReserved") as Record<string, unknown>
    expect(reserved.amount).toBe(granted)
    expect(reserved.streamId).not.toBe(`application-${app}`)
    const grant = entries.find((e) => e.type === "BusinessSupportGranted") as Record<string, unknown>
    expect(grant).toMatchObject({
      actor: "region-norrbotten-run",
      role: "regional-development-board",
      decisionRef: "SYNT-2022-F-001",
      amount: granted
    })
    expect(grant.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/)

    const text = utblick(["--store", t.store, "trail", app])
    expect(text.stdout).toContain(
      `${Money.formatSek(granted)}  region-norrbotten-run (regional-development-board)  case SYNT-2022-F-001`
    )
    expect(text.stdout).toContain(`event ${grant.eventId as string}  position ${grant.position as number}`)
    expect(text.stdout).toContain(`recorded ${grant.recordedAt as string}`)
    const byOfficer = utblick([
      "--store",
      t.store,
      "trail",
      app,
      "--actor",
      "region-norrbotten-handlaggare",
      "--json"
    ])
    expect(
      JSON.parse(byOfficer.stdout)
        .entries.map((e: { type: string }) => e.type)
        .sort()
    ).toEqual(["ApplicationAssessed", "ApplicationReceived"])
    const none = utblick(["--store", t.store, "trail", app, "--from", "2023-01-01", "--json"])
    expect(JSON.parse(none.stdout).entries).toEqual([])
    expect(utblick(["--store", t.store, "trail", app, "--to", "2022-13-01"]).code).toBe(2)

    // From the trail line to a receipt, verified offline with the key alone.
    utblick(["keygen", "--name", "audit.test.example", "--out", join(t.dir, "k")])
    expect(utblick(["--store", t.store, "checkpoint", "--key", join(t.dir, "k")]).code).toBe(0)
    const receipt = join(t.dir, "decision.tlog-proof")
    expect(utblick(["--store", t.store, "prove", grant.eventId as string, "--out", receipt]).code).toBe(0)
    const ok = utblick(["verify-receipt", receipt, "--trust", join(t.dir, "k.vkey")])
    expect(ok.stdout).toContain(`inclusion     position ${grant.position as number} of`)
    expect(ok.stdout).toContain("RESULT        PASS")
    expect(ok.code).toBe(0)
    const strict = utblick([
      "verify-receipt",
      receipt,
      "--trust",
      join(t.dir, "k.vkey"),
      "--origin",
      "staging.example/nb"
    ])
    expect(strict.code).toBe(1)
    expect(strict.stdout).toContain("FAIL ORIGIN")
    // An altered event: the leaf no longer matches the signed root.
    const event = `${receipt}.event.json`
    writeFileSync(event, readFileSync(event, "utf8").replace("SYNT-2022-F-001", "SYNT-2022-F-002"))
    const bad = utblick(["verify-receipt", receipt, "--trust", join(t.dir, "k.vkey")])
    expect(bad.code).toBe(1)
    expect(bad.stdout).toContain("RESULT        FAIL INCLUSION")
  }, 600_000)
})
