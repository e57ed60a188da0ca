/**
 * Section 8 of docs/guides/analyst.md ("Bringing data in: `import`"), run as its reader would:
 * in order, on a new SQLite log. A block fenced with `file=NAME` is a file the reader writes; a
 * `shell-session` block is one `utblick` command and exactly what it prints (stdout, or for a
 * failing command stderr and `[exit N]`). Only the head hash is normalised: it covers the time
 * each event was recorded, so it differs on every run.
 */
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { guidePath } from "./guide.js"
import { runCli, tempStore } from "./support.js"

const guide = readFileSync(guidePath, "utf8")
// Found by its title: sections before it may be added or renumbered.
const from = guide.search(/^## \d+\. Bringing data in: `import`$/m)
const next = guide.indexOf("\n## ", from + 1)
const section = guide.slice(from, next === -1 ? undefined : next)

type Step =
  | { readonly _tag: "File"; readonly name: string; readonly text: string }
  | { readonly _tag: "Run"; readonly command: string; readonly expected: string }

const steps: ReadonlyArray<Step> = [...section.matchAll(/```(\S+)([^\n]*)\n([\s\S]*?)```/g)].flatMap((m): Array<Step> => {
  const [, lang, info, body] = m as unknown as [string, string, string, string]
  const file = /file=(\S+)/.exec(info)?.[1]
  if (file !== undefined) return [{ _tag: "File", name: file, text: body }]
  if (lang !== "shell-session") return []
  const [first, ...rest] = body.replace(/\n$/, "").split("\n")
  return [{ _tag: "Run", command: (first as string).replace(/^\$ /, ""), expected: rest.join("\n") }]
})

const HEAD = /head [0-9a-f]{16}…/g

describe("docs/guides/analyst.md, the import section", () => {
  it("has the files and commands it walks through", () => {
    expect(from).toBeGreaterThan(0)
    expect(steps.map((s) => (s._tag === "File" ? `file ${s.name}` : s.command.split(" ").slice(0, 3).join(" ")))).toEqual([
      "file norrbotten.jsonl",
      "utblick import norrbotten.jsonl",
      "utblick import --template",
      "file beslut.csv",
      "utblick import beslut.csv",
      "utblick import beslut.csv",
      "file typo.csv",
      "utblick import typo.csv",
      "file ändrat.csv",
      "utblick import ändrat.csv",
      "utblick import beslut.csv"
    ])
  })

  it("prints what the guide shows, step by step, on a new log", async () => {
    const t = tempStore()
    const written = new Set<string>()
    for (const step of steps) {
      if (step._tag === "File") {
        writeFileSync(join(t.dir, step.name), step.text)
        written.add(step.name)
        continue
      }
      const args = step.command
        .split(/\s+/)
        .slice(1)
        .map((a) => (written.has(a) ? join(t.dir, a) : a))
      const r = await runCli(["--store", t.store, ...args])
      const lines = r.code === 0 ? r.out : [...r.err.filter((l) => !l.startsWith("Importing ")), `[exit ${r.code}]`]
      const shown = lines.join("\n").replaceAll(`${t.dir}/`, "").replace(HEAD, "head 0000000000000000…")
      expect({ command: step.command, output: shown }).toEqual({ command: step.command, output: step.expected })
    }
  }, 300_000)
})
