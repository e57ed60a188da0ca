// The example's demo (`pnpm start`) run as a reader runs it: it must print what the docs and the
// plan say — 5 memberships of the municipality itself in 2024 (000:84-88), the actor named — the
// same count as `utblick report --actor lulea-kommun`, with the Covenant of Mayors as a relation.
import { spawnSync } from "node:child_process"
import { createRequire } from "node:module"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { describe, expect, it } from "vitest"
import { published } from "../src/index.js"

const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href

describe("the Luleå demo (src/main.ts)", () => {
  it("prints the municipality's 5 memberships, naming the actor, and the signatory apart", () => {
    const r = spawnSync(process.execPath, ["--conditions=@utblick/source", "--import", tsx, join(import.meta.dirname, "../src/main.ts")], {
      encoding: "utf8"
    })
    expect(r.status).toBe(0)
    const lines = r.stdout.split("\n")
    const at = lines.findIndex((l) => l.startsWith("Memberships (medlemskap)"))
    expect(lines[at]).toBe(`Memberships (medlemskap) of lulea-kommun itself, not its companies: ${published.activeMemberships2024.value}`)
    expect(published.activeMemberships2024.value).toBe(5)
    expect(lines.slice(at + 1, at + 6)).toEqual([
      "  - ubc (member), since 2003",
      "  - sern (member), since 2015",
      "  - arctic-mayors-forum (member), join date unknown (first documented 2021-10-07)",
      "  - barents-road (member), join date unknown (first documented 2021-10-07)",
      "  - bothnian-arc (founder), join date unknown (first documented 2021-10-07)"
    ])
    expect(lines[at + 6]).toBe("Other relations (andra relationer): covenant-of-mayors (signatory)")
  }, 60_000)
})
