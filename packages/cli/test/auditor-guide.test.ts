/**
 * Issue 11, item 7: every step of docs/guides/auditor.md is a command that runs here, in order,
 * through the real `utblick` process, and its output must be the one the guide shows (values
 * that differ per run, such as ids, times, hashes and keys, are compared by shape).
 *
 * `UTBLICK_UPDATE_GUIDE=1` rewrites the outputs in the guide from a fresh run.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { utblick } from "./process.js"

const GUIDE = join(import.meta.dirname, "../../../docs/guides/auditor.md")
const FILES = join(import.meta.dirname, "../../../docs/guides/auditor-files")
const HOME = "~/granskning"

// Splits a command line on spaces, honouring double quotes (all the guide needs).
const argv = (line: string): Array<string> =>
  [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? (m[2] as string))

const shape = (text: string) =>
  text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g, "<uuid>")
    .replace(/utblick\.local\/[0-9a-f-]{36}/g, "utblick.local/<uuid>")
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, "<time>")
    .replace(/[0-9a-f]{64}/g, "<hash>")
    .replace(/[0-9a-f]{16}…/g, "<hash>…")
    .replace(/\+[0-9a-f]{8}\+/g, "+<id>+")
    .replace(/[A-Za-z0-9+/]{40,}={0,2}/g, "<b64>")
    .trimEnd()

interface Step {
  readonly command: string
  readonly expected: string
}

const BLOCK = /```console\n([\s\S]*?)```/g

const stepsOfBlock = (body: string): Array<Step> => {
  const steps: Array<Step> = []
  let current: { command: string; out: Array<string> } | undefined
  for (const line of body.replace(/\n$/, "").split("\n")) {
    if (line.startsWith("$ ")) {
      if (current !== undefined) steps.push({ command: current.command, expected: current.out.join("\n") })
      current = { command: line.slice(2), out: [] }
    } else current?.out.push(line)
  }
  if (current !== undefined) steps.push({ command: current.command, expected: current.out.join("\n") })
  return steps
}

const run = (dir: string, command: string): string => {
  const [tool, ...args] = argv(command)
  if (tool === "mkdir") {
    mkdirSync(join(dir, args[args.length - 1] as string), { recursive: true })
    return ""
  }
  if (tool === "cp") {
    cpSync(join(dir, args[0] as string), join(dir, args[1] as string), { recursive: true })
    return ""
  }
  if (tool !== "utblick") throw new Error(`the guide may only run utblick, mkdir and cp: ${command}`)
  const r = utblick(args, dir)
  const out = [r.stdout.trimEnd(), r.stderr.trimEnd(), r.code === 0 ? "" : `[exit ${r.code}]`]
    .filter((s) => s !== "")
    .join("\n")
  return out.replaceAll(dir, HOME)
}

describe("docs/guides/auditor.md", () => {
  it("every command runs and prints what the guide shows", () => {
    const dir = mkdtempSync(join(tmpdir(), "utblick-guide-"))
    cpSync(FILES, dir, { recursive: true })
    const markdown = readFileSync(GUIDE, "utf8")
    const update = process.env.UTBLICK_UPDATE_GUIDE === "1"
    let count = 0
    const rewritten = markdown.replace(BLOCK, (_whole, body: string) => {
      const lines: Array<string> = []
      for (const step of stepsOfBlock(body)) {
        count++
        const actual = run(dir, step.command)
        if (!update)
          expect(`$ ${step.command}\n${shape(actual)}`).toBe(`$ ${step.command}\n${shape(step.expected)}`)
        lines.push(`$ ${step.command}`, ...(actual === "" ? [] : [actual]))
      }
      return `\`\`\`console\n${lines.join("\n")}\n\`\`\``
    })
    expect(count).toBeGreaterThan(10)
    if (update) writeFileSync(GUIDE, rewritten)
  }, 900_000)
})
