// Follows the "Add an aggregate" walk-through of docs/concepts/deciders.md: its ts blocks, in order,
// make one program (with `@utblick/core` pointing at this package's source); the program's output
// must be the text block the walk-through shows, line for line.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { inspect } from "node:util"
import { afterAll, expect, it, vi } from "vitest"

const doc = readFileSync(join(import.meta.dirname, "../../../../docs/concepts/deciders.md"), "utf8")
const section = doc.slice(doc.indexOf("## Add an aggregate"), doc.indexOf("## Testing deciders"))
const code = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string).join("\n")
const shown = [...section.matchAll(/```text\n([\s\S]*?)```/g)].map((m) => m[1] as string).at(-1) ?? ""

const dir = join(import.meta.dirname, ".walkthrough")
afterAll(() => rmSync(dir, { recursive: true, force: true }))

it("the walk-through's blocks form one program whose output is the one shown", async () => {
  expect(code).toContain("Aggregate.make(")
  expect(code).toContain("Domain.make(")
  mkdirSync(dir, { recursive: true })
  const file = join(dir, "walkthrough.ts")
  writeFileSync(file, code.replace('from "@utblick/core"', `from ${JSON.stringify(join(import.meta.dirname, "../../src/index.js"))}`))
  const lines: Array<string> = []
  const log = vi.spyOn(console, "log").mockImplementation((...args: Array<unknown>) => {
    lines.push(args.map((a) => (typeof a === "string" ? a : inspect(a))).join(" "))
  })
  try {
    await import(file)
  } finally {
    log.mockRestore()
  }
  expect(lines.join("\n")).toBe(shown.replace(/\n$/, ""))
})

it("a misspelt command tag in roles does not compile", () => {
  // The walk-through promises it; this is the same declaration with the tag misspelt, checked by
  // the type checker (`tsc` runs over the tests).
  const roles: import("../../src/domain/Aggregate.js").Roles<{ readonly _tag: "HostStudyVisit" }> = {
    // @ts-expect-error HostStudyVist is not a command of the aggregate
    HostStudyVist: ["international-coordinator"]
  }
  expect(roles).toBeDefined()
})
