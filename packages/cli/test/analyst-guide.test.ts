// Every `console` block of docs/guides/analyst.md, run in order against a store seeded with the
// three seed examples (the guide then imports its synthetic regions into it): the output printed
// in the guide must be exactly what the command prints.
import { readFileSync } from "node:fs"
import { beforeAll, describe, expect, it } from "vitest"
import { blocks, guidePath, run, seededStore } from "./guide.js"

const guide = blocks(readFileSync(guidePath, "utf8"))
let store: Awaited<ReturnType<typeof seededStore>>

beforeAll(async () => {
  store = await seededStore()
}, 120_000)

describe("docs/guides/analyst.md", () => {
  it("has the commands it promises", () => {
    expect(guide.map((b) => b.command.split(" ")[3])).toEqual([
      "report",
      "compare",
      "trend",
      "compare",
      "compare",
      "report",
      "report",
      "list",
      "import",
      "report",
      "rank",
      "rank",
      "trend",
      "trend",
      "report",
      "compare",
      "report",
      "trend"
    ])
  })

  it.each(guide.map((b) => [b.command, b] as const))("%s", async (_, block) => {
    expect(await run(block.command, store)).toBe(block.expected)
  })
})
