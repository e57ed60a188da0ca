// Every `console` block of docs/guides/analyst.md, run in order against a store seeded with the
// three seed examples (the guide then imports its synthetic regions into it): the output printed
// in the guide must be exactly what the command prints. `UTBLICK_UPDATE_GUIDE=1` rewrites the
// outputs in the guide from a fresh run instead (then read the diff before committing it).
import { readFileSync, writeFileSync } from "node:fs"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
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

  const update = process.env.UTBLICK_UPDATE_GUIDE === "1"
  const printed = new Map<number, string>()
  it.each(guide.map((b, i) => [b.command, b, i] as const))("%s", async (_, block, i) => {
    const output = await run(block.command, store)
    if (update) printed.set(i, output)
    else expect(output).toBe(block.expected)
  })
  afterAll(() => {
    if (!update) return
    let i = 0
    const text = readFileSync(guidePath, "utf8").replace(/```console\n([\s\S]*?)```/g, (whole, body: string) => {
      const output = printed.get(i++)
      return output === undefined ? whole : `\`\`\`console\n${body.split("\n")[0]}\n${output}\n\`\`\``
    })
    writeFileSync(guidePath, text)
  })
})
