// Runs the commands of docs/guides/analyst.md against a store seeded with the three seed examples,
// as the guide's reader would (shared by test/analyst-guide.test.ts and, to paste fresh outputs,
// `node --conditions=@utblick/source --import tsx test/guide.ts`).
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Lulea from "@utblick/example-lulea-international"
import * as Norrbotten from "@utblick/example-norrbotten-funding"
import * as Orebro from "@utblick/example-orebro-strategy"
import { SqliteEventStore } from "@utblick/store-sqlite"
import { Effect } from "effect"
import { runCli } from "./support.js"

/** Where the guide lives. */
export const guidePath = join(import.meta.dirname, "../../../docs/guides/analyst.md")

/** The store name the guide's commands use, and the home directory its `--out` files go to. */
export const GUIDE_STORE = "sqlite:demo.db"
export const GUIDE_HOME = "/home/analyst"

/** A fresh SQLite store with the three seed examples, as `pnpm demo` builds it. */
export const seededStore = async (): Promise<{ readonly dir: string; readonly store: string }> => {
  const dir = mkdtempSync(join(tmpdir(), "utblick-guide-"))
  const filename = join(dir, "demo.db")
  await Effect.gen(function* () {
    yield* Lulea.seed
    yield* Norrbotten.seed
    yield* Orebro.seed
  }).pipe(
    Effect.provide(SqliteEventStore.layer({ filename, origin: "demo.utblick.example/log" })),
    Effect.runPromise
  )
  return { dir, store: `sqlite:${filename}` }
}

/** One `console` block of the guide: the command line and the output shown under it. */
export interface Block {
  readonly command: string
  readonly expected: string
}

/** The guide's ```console blocks. */
export const blocks = (markdown: string): ReadonlyArray<Block> =>
  [...markdown.matchAll(/```console\n([\s\S]*?)```/g)].map((m) => {
    const [first, ...rest] = (m[1] as string).replace(/\n$/, "").split("\n")
    return { command: (first as string).replace(/^\$ /, ""), expected: rest.join("\n") }
  })

/**
 * Runs one guide command (`utblick …`, optionally `| grep -v '^#'` to drop CSV manifest lines)
 * and returns what the reader sees: stdout, or for a failing command its stderr without the
 * progress line, then `[exit N]`.
 */
export const run = async (
  command: string,
  store: { readonly dir: string; readonly store: string }
): Promise<string> => {
  const [cli, filter] = command.split(" | ")
  const args = (cli as string)
    .trim()
    .split(/\s+/)
    .slice(1)
    .map((a) => (a === GUIDE_STORE ? store.store : a))
  // Files the guide imports live beside it, in docs/guides/analyst-files/.
  for (let i = 0; i < args.length; i++)
    if ((args[i] as string).startsWith("analyst-files/")) args[i] = join(guidePath, "..", args[i] as string)
  const outAt = args.indexOf("--out")
  if (outAt >= 0) args[outAt + 1] = join(store.dir, args[outAt + 1] as string)
  const r = await runCli(args)
  const lines =
    r.code === 0 ? r.out : [...r.err.filter((l) => !l.startsWith("Computing the figures for")), `[exit ${r.code}]`]
  const all = lines.join("\n").split("\n")
  const shown = filter === undefined ? all : all.filter((l) => !/^\uFEFF?#/.test(l))
  // A log's head hash covers the instant each event was recorded, so it differs from store to
  // store: the guide shows it as <hash>.
  return shown
    .join("\n")
    .replaceAll(`${store.dir}/`, `${GUIDE_HOME}/`)
    .replace(/\bhead [0-9a-f]{16}…/g, "head <hash>…")
    // Event ids are UUIDv7 (their time is when the guide's store was built): same width, so
    // tables stay aligned.
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, "xxxxxxxx-xxxx-7xxx-xxxx-xxxxxxxxxxxx")
}

// Refreshing the guide: every console block gets the output its command gives now.
if (process.argv[1]?.endsWith("guide.ts")) {
  const store = await seededStore()
  let markdown = readFileSync(guidePath, "utf8")
  for (const b of blocks(markdown)) {
    const fresh = await run(b.command, store)
    const start = markdown.indexOf(`$ ${b.command}\n`)
    const end = markdown.indexOf("```", start)
    markdown = `${markdown.slice(0, start)}$ ${b.command}\n${fresh}\n${markdown.slice(end)}`
  }
  writeFileSync(guidePath, markdown)
}
