import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { jsonl, runCli, tempStore } from "./support.js"

const board = { id: "lulea-kommunstyrelsen", role: "executive-board" }
const sign = (organisationId: string, occurredAt: string, actor = board) => ({
  _tag: "SignMembership",
  tenant: "lulea-kommun",
  actor,
  occurredAt,
  actorId: "lulea-kommun",
  organisationId,
  kind: "member"
})

describe("import of JSON Lines of commands", () => {
  it("decides every command by the domain rules, then appends all of them at once", async () => {
    const t = tempStore()
    expect((await runCli(["--store", t.store, "init"])).code).toBe(0)
    const good = join(t.dir, "commands.jsonl")
    writeFileSync(good, jsonl([sign("ubc", "2003-01-01"), sign("sern", "2015-01-01")]))
    const ok = await runCli(["--store", t.store, "import", good, "--new-tenant", "lulea-kommun"])
    expect(ok.code).toBe(0)
    expect(ok.stdout).toContain("Imported 2 commands: 2 events in 2 streams")
    const status = await runCli(["--store", t.store, "status", "--json"])
    expect(JSON.parse(status.stdout).events).toBe(2)
  })

  it("refuses the whole file when any command breaks a rule, naming the line, and writes nothing", async () => {
    const t = tempStore()
    expect((await runCli(["--store", t.store, "init"])).code).toBe(0)
    const bad = join(t.dir, "bad.jsonl")
    writeFileSync(
      bad,
      jsonl([
        sign("ubc", "2003-01-01"),
        // Joining UBC twice while the first membership is active breaks a rule of the decider.
        sign("ubc", "2004-01-01"),
        // A traveller may not sign memberships (role policy).
        sign("sern", "2015-01-01", { id: "anna", role: "traveller" }),
        { _tag: "SignMembership", tenant: "lulea-kommun" }
      ])
    )
    const refused = await runCli(["--store", t.store, "import", bad, "--new-tenant", "lulea-kommun"])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain("3 lines refused (3 of 4 commands); nothing was imported")
    expect(refused.stderr).toMatch(/line 2: SignMembership: organisationId = "ubc": an organisation cannot be joined twice/)
    expect(refused.stderr).toMatch(/line 3: .*traveller/)
    expect(refused.stderr).toMatch(/line 4: /)
    const status = await runCli(["--store", t.store, "status", "--json"])
    expect(JSON.parse(status.stdout).events).toBe(0)
  })

  it("decides against what the log already holds", async () => {
    const t = tempStore()
    expect((await runCli(["--store", t.store, "init"])).code).toBe(0)
    const first = join(t.dir, "first.jsonl")
    // The tenant's registry makes it a known tenant for later imports.
    const register = {
      _tag: "Register",
      actor: { id: "lulea-kommunstaben", role: "registrar" },
      tenant: "lulea-kommun",
      occurredAt: "2003-01-01",
      events: [{ _tag: "ActorRegistered", actorId: "lulea-kommun", name: "Luleå kommun", kind: "municipality" }]
    }
    writeFileSync(first, jsonl([register, sign("ubc", "2003-01-01")]))
    expect((await runCli(["--store", t.store, "import", first])).code).toBe(0)
    const again = join(t.dir, "again.jsonl")
    writeFileSync(again, jsonl([sign("ubc", "2010-01-01")]))
    const refused = await runCli(["--store", t.store, "import", again])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain("cannot be joined twice")
  })
})
