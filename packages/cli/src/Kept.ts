/**
 * The auditor's own record: the checkpoint notes and earlier exports they kept, named on the
 * command line (files or folders). Nothing here is ever read from beside the database: a file an
 * operator can write is not evidence against that operator.
 *
 * @since 0.2.0
 */
import { readdirSync, readFileSync, statSync } from "node:fs"
import { join, resolve } from "node:path"
import type { Extension } from "@utblick/audit"
import { Effect } from "effect"
import { UsageFailure } from "./CliFailure.js"

/**
 * What was kept: checkpoint notes and exports, each with the path it was read from.
 *
 * @category models
 * @since 0.2.0
 */
export interface Kept {
  readonly checkpoints: ReadonlyArray<Extension.KeptCheckpoint>
  readonly exports: ReadonlyArray<Extension.KeptExport>
}

/** Kept files are small notes or exports; a bound keeps a wrong path from filling memory. */
const MAX_FILE_BYTES = 2 * 1024 * 1024 * 1024 - 1

const isExport = (text: string) => text.startsWith('{"event":')

/**
 * Reads every path (a file, or a folder whose files are read in name order, dot files skipped)
 * and sorts each file into checkpoints or exports by its first bytes.
 *
 * @category utils
 * @since 0.2.0
 */
export const load = (paths: ReadonlyArray<string>): Effect.Effect<Kept, UsageFailure> =>
  Effect.try({
    try: () => {
      const checkpoints: Array<Extension.KeptCheckpoint> = []
      const exports: Array<Extension.KeptExport> = []
      const readOne = (path: string, name: string) => {
        const size = statSync(path).size
        if (size > MAX_FILE_BYTES)
          throw new Error(`${path} is ${size} bytes, too large for a kept checkpoint or export`)
        const text = readFileSync(path, "utf8")
        if (isExport(text)) exports.push({ name, text })
        else checkpoints.push({ name, note: text })
      }
      for (const given of paths) {
        const path = resolve(given)
        if (statSync(path).isDirectory()) {
          const files = readdirSync(path)
            .filter((n) => !n.startsWith("."))
            .sort()
            .filter((n) => statSync(join(path, n)).isFile())
          if (files.length === 0) throw new Error(`the folder ${given} holds no kept checkpoints`)
          for (const n of files) readOne(join(path, n), join(given, n))
        } else readOne(path, given)
      }
      return { checkpoints, exports }
    },
    catch: (e) =>
      new UsageFailure({
        problem: `cannot read what you kept: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? `no such file ${(e as NodeJS.ErrnoException).path}` : (e as Error).message}`,
        hint: "pass the checkpoint notes (or earlier exports) you kept yourself, as files or a folder: --previous FILE --previous FOLDER"
      })
  })
