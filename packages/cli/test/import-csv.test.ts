/**
 * CSV as people have it (Swedish Excel: semicolons, BOM, CRLF, decimal comma, spaces between
 * thousands), driven through the CLI as a child process on a real SQLite file.
 */
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { tempStore } from "./support.js"
import { allot, assess, headOf, receive, registerRegion, utblick, writeJsonl } from "./importProcess.js"

const grantedAmounts = (store: string, dir: string): Record<string, number> => {
  const out = join(dir, "export.jsonl")
  expect(utblick(["--store", store, "export", "--out", out]).code).toBe(0)
  const amounts: Record<string, number> = {}
  for (const l of readFileSync(out, "utf8").trim().split("\n") as Array<string>) {
    const e = JSON.parse(l).event
    if (e.type === "ProjectGranted") amounts[e.payload.applicationId] = e.payload.amount
  }
  return amounts
}

describe("CSV as Swedish Excel writes it", () => {
  it("reads semicolons, a BOM, CRLF and kronor with spaces and decimal commas; re-import is a no-op; öre with --unit ore", () => {
    const t = tempStore()
    const setup = join(t.dir, "setup.jsonl")
    writeJsonl(setup, [
      registerRegion,
      allot(2022, 1_000_000),
      receive("a-1", 600_000, "2022-02-01"),
      assess("a-1", "2022-02-10"),
      receive("a-2", 400_000, "2022-02-02"),
      assess("a-2", "2022-02-11")
    ])
    expect(utblick(["--store", t.store, "import", setup]).code).toBe(0)

    const template = utblick(["import", "--template", "grants"])
    expect(template.code).toBe(0)
    expect(template.stdout).toMatch(/^actor\.id;actor\.role;tenant;occurredAt;.*applicationId;year;amount;projectName/)

    // 600 000,00 kr = 60 000 000 öre; 300 000,50 kr (a no-break space between thousands) = 30 000 050 öre.
    const csv = join(t.dir, "beslut.csv")
    writeFileSync(
      csv,
      "\uFEFFapplicationId;year;amount;decisionRef;decidingBody;projectName;mainPurpose;occurredAt\r\n" +
        "a-1;2022;600 000,00;RUN 00060-2022;Regionala utvecklingsnämnden;Arktisk testbädd;environment;2022-03-01\r\n" +
        "a-2;2022;300\u00a0000,50;RUN 00061-2022;Regionala utvecklingsnämnden;Kallt klimat;environment;2022-03-02\r\n"
    )
    const flags = ["--kind", "grants", "--tenant", "region-norrbotten", "--actor", "region-norrbotten-run:regional-development-board"]
    const first = utblick(["--store", t.store, "import", csv, ...flags])
    expect(first.stderr).not.toContain("error")
    expect(first.code).toBe(0)
    expect(first.stdout).toContain("Imported 2 commands: 4 events")
    expect(grantedAmounts(t.store, t.dir)).toEqual({ "a-1": 60_000_000, "a-2": 30_000_050 })
    const after = headOf(t.store)

    const again = utblick(["--store", t.store, "import", csv, ...flags])
    expect(again.code).toBe(0)
    expect(again.stdout).toContain("already recorded: 2 of 2 commands")

    // The same decisions in öre, comma-separated: the same facts, so already recorded.
    const ore = join(t.dir, "ore.csv")
    writeFileSync(
      ore,
      "applicationId,year,amount,decisionRef,decidingBody,projectName,mainPurpose,occurredAt\n" +
        "a-1,2022,60000000,RUN 00060-2022,Regionala utvecklingsnämnden,Arktisk testbädd,environment,2022-03-01\n" +
        "a-2,2022,30000050,RUN 00061-2022,Regionala utvecklingsnämnden,Kallt klimat,environment,2022-03-02\n"
    )
    const inOre = utblick(["--store", t.store, "import", ore, ...flags, "--unit", "ore"])
    expect(inOre.code).toBe(0)
    expect(inOre.stdout).toContain("already recorded: 2 of 2 commands")

    // Three decimals of a krona, an amount beyond the safe range (echoed as written), and amounts
    // with three digits after a lone comma or point: fifteen hundred kronor to some, one and a
    // half to others (read as 1,5 before, 1 000 times too little for the first).
    const bad = join(t.dir, "bad.csv")
    writeFileSync(
      bad,
      "applicationId;year;amount;decisionRef;decidingBody;projectName;mainPurpose;occurredAt\n" +
        "a-1;2022;600 000,005;RUN 00060-2022;RUN;Arktisk testbädd;environment;2022-03-01\n" +
        "a-2;2022;90 071 992 547 409,93;RUN 00061-2022;RUN;Kallt klimat;environment;2022-03-02\n" +
        "a-3;2022;1,500;RUN 00062-2022;RUN;Kallt klimat;environment;2022-03-02\n" +
        "a-4;2022;250.000;RUN 00063-2022;RUN;Kallt klimat;environment;2022-03-02\n"
    )
    const refused = utblick(["--store", t.store, "import", bad, ...flags])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/line 2: GrantProject: amount = "600 000,005": has more than 2 decimals/)
    expect(refused.stderr).toMatch(/line 3: GrantProject: amount = "90 071 992 547 409,93": is beyond the safe integer range/)
    const ambiguous = "could be thousands or decimals: group thousands with a space (1 500), or write at most 2 decimals (1,50)"
    expect(refused.stderr).toContain(`line 4: GrantProject: amount = "1,500": ${ambiguous}`)
    expect(refused.stderr).toContain(`line 5: GrantProject: amount = "250.000": ${ambiguous}`)
    expect(headOf(t.store)).toEqual(after)
  }, 300_000)
})
