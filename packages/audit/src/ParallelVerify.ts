/**
 * Verification of a SQLite log file on every core: worker threads verify aligned chunks of
 * positions, and this thread joins them in log order, checking the seams (the chain link and
 * `recordedAt` across each boundary, the first event of each stream against its last one before,
 * and the Merkle roots of checkpoints inside a chunk). The report is the one `Verify.verifyStore`
 * gives for the same file, failures included: when a chunk fails, or a seam does not hold, the
 * log is verified sequentially from that chunk on, from the exact state the chunks before left.
 *
 * Small logs are verified in this thread (starting workers costs more than it saves); see
 * {@link SEQUENTIAL_BELOW} and ADR 0028.
 *
 * @since 0.2.0
 */
import { createRequire } from "node:module"
import { availableParallelism } from "node:os"
import { parentPort, Worker, workerData } from "node:worker_threads"
import type BetterSqlite3 from "better-sqlite3"
import { Effect, Result } from "effect"
import {
  answer,
  type Checked,
  type ChunkReply,
  type ChunkTask,
  checkChunk,
  makeJoiner,
  planChunks,
  pushing
} from "./internal/Chunks.js"
import * as IndexColumns from "./internal/IndexColumns.js"
import { type Context, failed, makeEngine, prepare } from "./internal/LogVerifier.js"
import type { RowSource } from "./internal/RowSource.js"
import type * as Verify from "./Verify.js"

/**
 * Options of {@link verifySqliteFile}: those of `Verify`, and how to share the work.
 *
 * @category models
 * @since 0.2.0
 */
export interface Options extends Verify.Options {
  /** Worker threads; default: the number of cores (`os.availableParallelism()`); 1 = this thread only. */
  readonly jobs?: number
  /**
   * Positions per chunk, a power of two; default: about eight chunks per worker, between
   * {@link MIN_CHUNK_SIZE} and {@link DEFAULT_CHUNK_SIZE}.
   */
  readonly chunkSize?: number
  /** Logs with fewer events are verified in this thread; default {@link SEQUENTIAL_BELOW}. */
  readonly sequentialBelow?: number
  /**
   * `false` runs the chunks and their join in this thread, one after the other: the parallel
   * algorithm without threads (for tests and diagnosis). Default `true`.
   */
  readonly threads?: boolean
  /** The worker entry module; default `VerifyWorker.js` beside this module (see the CLI's build). */
  readonly workerUrl?: URL
  /**
   * A check of the rows beside their records (the CLI passes `SqliteIndexCheck.rangeQuery`): an
   * SQL query whose two parameters are a range of positions `[from, to)` and which gives the first
   * position in it that fails, or no row. Each worker runs it on the chunks it verified, so the
   * check shares the cores with the verification; its first failing position is the report's
   * `rowCheckFailedAt` (set only when the records verified).
   */
  readonly rowCheck?: string
  /**
   * Check each row's index columns (`Envelope.indexColumns`) against its record, as
   * `SqliteIndexCheck.rangeQuery` does, but in JavaScript with the native engine's scan instead of
   * JSON in SQL (ADR 0053): the workers check the chunks they verified, and the first position
   * that disagrees is the report's `rowCheckFailedAt`. Takes the place of `rowCheck`.
   */
  readonly indexColumns?: boolean
}

/**
 * The report of {@link verifySqliteFile}: `Verify`'s, and the first position that failed the
 * options' `rowCheck`, if one was given and the records verified.
 *
 * @category models
 * @since 0.2.0
 */
export type SqliteReport = Verify.Report & { readonly rowCheckFailedAt?: number }

/**
 * The default chunk: 2^15 positions, one perfect subtree of the Merkle tree; a million events
 * make 31 chunks, enough to keep two to eight workers evenly busy.
 *
 * @category constants
 * @since 0.2.0
 */
export const DEFAULT_CHUNK_SIZE = 32_768

/**
 * The smallest default chunk (a smaller log gets fewer chunks than eight per worker).
 *
 * @category constants
 * @since 0.2.0
 */
export const MIN_CHUNK_SIZE = 64

/**
 * The chunk size used for a log of `size` events and `jobs` workers when none is given: the
 * power of two nearest above `size / (8 · jobs)`, within [{@link MIN_CHUNK_SIZE},
 * {@link DEFAULT_CHUNK_SIZE}], so that workers finishing at different times still share the
 * work evenly.
 *
 * @category utils
 * @since 0.2.0
 */
export const chunkSizeFor = (size: number, jobs: number): number => {
  let chunk = MIN_CHUNK_SIZE
  while (chunk < DEFAULT_CHUNK_SIZE && chunk * 8 * jobs < size) chunk *= 2
  return chunk
}

/**
 * Below this many events the log is verified in this thread: starting a worker (loading the
 * code and opening the file) costs tens of milliseconds, which 100,000 events repay (ADR 0028).
 *
 * @category constants
 * @since 0.2.0
 */
export const SEQUENTIAL_BELOW = 100_000

const PAGE = 4096
// Measured on 1,000,000 events with two workers: 16 MB gave 209–221 MB peak RSS and 7.9 s of
// CPU, 4 MB 255–276 MB and 8.7–8.9 s (more scavenges, more promoted garbage), Node's default
// 306 MB.
const YOUNG_GENERATION_MB = 16

// better-sqlite3 is an optional peer of this package (see CryptoShredding): loaded on use.
const openDatabase = (filename: string): BetterSqlite3.Database => {
  const Database = createRequire(import.meta.url)("better-sqlite3") as typeof BetterSqlite3
  // Read-only, which also means a missing file is an error, not a new empty database.
  return new Database(filename, { readonly: true })
}

/**
 * The records of a Utblick SQLite log, read in pages of rows as arrays (better-sqlite3 `raw`),
 * by position as `SqliteEventStore.readRecords` reads them; with `indexColumns`, each row also holds
 * the index columns, from `IndexColumns.ROW_INDEX_COLUMNS` on.
 *
 * @category utils
 * @since 0.2.0
 */
export const sqliteSource = (
  db: BetterSqlite3.Database,
  options: { readonly indexColumns?: boolean } = {}
): RowSource => {
  // With the index columns after the record's own (IndexColumns.ROW_INDEX_COLUMNS), for a check beside it.
  const columns = options.indexColumns === true ? `, ${IndexColumns.columnList}` : ""
  const page = db
    .prepare(
      `SELECT position, body, prev_hash, hash${columns} FROM events WHERE position >= ? AND position < ? ORDER BY position LIMIT ?`
    )
    .raw(true)
  return {
    read: (from, to, each) => {
      let cursor = from
      for (;;) {
        const rows = page.all(cursor, to, PAGE) as Array<[number, string, string, string]>
        for (const row of rows) if (!each(row[1], row[2], row[3], row)) return
        if (rows.length < PAGE) return
        cursor = (rows[rows.length - 1] as [number, string, string, string])[0] + 1
      }
    }
  }
}

interface WorkerInput {
  readonly utblickVerifyWorker: 1
  readonly filename: string
  readonly origin: string
  readonly rowCheck?: string | undefined
  readonly indexColumns?: boolean | undefined
}

// The row check a verification runs: the index columns' (ADR 0053), or the caller's query.
const rowCheckOf = (
  db: BetterSqlite3.Database,
  input: { readonly rowCheck?: string | undefined; readonly indexColumns?: boolean | undefined }
): IndexColumns.IndexCheck | undefined => {
  if (input.indexColumns === true) return IndexColumns.make(sqliteSource(db, { indexColumns: true }))
  if (input.rowCheck === undefined) return undefined
  const check = db.prepare(input.rowCheck).pluck()
  return (from, to) => check.get(from, to) as number | undefined
}

let served = false

/**
 * The body of a verification worker: answers each chunk task with its summary. A no-op outside
 * a worker started by {@link verifySqliteFile}; `VerifyWorker.js` calls it.
 *
 * @category utils
 * @since 0.2.0
 */
export const serveWorker = (): void => {
  const input = workerData as WorkerInput | undefined
  const port = parentPort
  if (served || port === null || input?.utblickVerifyWorker !== 1) return
  served = true
  const db = openDatabase(input.filename)
  const beside = input.indexColumns === true
  const source = sqliteSource(db, { indexColumns: beside })
  const rowCheck = beside ? "beside" : rowCheckOf(db, input)
  port.on("message", (task: ChunkTask) => port.postMessage(answer(source, input.origin, rowCheck, task)))
}

// From TypeScript sources (tests, `tsx`) the worker is the .ts module, loaded through tsx with
// the workspace's source condition; from the built package or the bundled CLI, the .js beside.
const defaultWorker = (): { readonly url: URL; readonly execArgv?: Array<string> } => {
  if (!import.meta.url.endsWith(".ts")) return { url: new URL("./VerifyWorker.js", import.meta.url) }
  const tsx = createRequire(import.meta.url).resolve("tsx/package.json")
  const loader = new URL("dist/loader.mjs", new URL(`file://${tsx}`))
  return {
    url: new URL("./VerifyWorker.ts", import.meta.url),
    execArgv: ["--conditions=@utblick/source", "--import", loader.href]
  }
}

interface Pool {
  readonly run: (task: ChunkTask) => Promise<Checked>
  readonly close: () => Promise<void>
}

const startPool = (jobs: number, input: WorkerInput, workerUrl: URL | undefined): Array<Pool> => {
  const entry = workerUrl === undefined ? defaultWorker() : { url: workerUrl }
  return Array.from({ length: jobs }, () => {
    const worker = new Worker(entry.url, {
      workerData: input,
      // A worker's garbage is one page of rows at a time: a bounded young generation keeps the
      // process near the memory of one thread plus a little per worker.
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
      // None (a worker entry given, or the built `.js`): the worker takes this process's.
      execArgv: entry.execArgv
    })
    // Replies come in the order of the tasks; a worker may hold more than one task.
    const pending: Array<{ resolve: (s: Checked) => void; reject: (e: Error) => void }> = []
    const failAll = (e: Error) => {
      for (const p of pending.splice(0)) p.reject(e)
    }
    worker.on("message", (reply: ChunkReply) => {
      const p = pending.shift()
      if (p === undefined) return
      if ("error" in reply) p.reject(new Error(reply.error))
      else p.resolve(reply)
    })
    worker.on("error", failAll)
    worker.on("exit", (code) => failAll(new Error(`the worker exited with code ${code}`)))
    return {
      run: (task) =>
        new Promise<Checked>((resolve, reject) => {
          pending.push({ resolve, reject })
          worker.postMessage(task)
        }),
      close: async () => {
        await worker.terminate()
      }
    }
  })
}

// Runs the chunks over the pool, joining them in order as they arrive, and stops dispatching
// once the join has a final report (a failure found sequentially).
const runChunks = async (
  tasks: ReadonlyArray<ChunkTask>,
  pool: ReadonlyArray<Pick<Pool, "run">>,
  join: (s: Checked) => Verify.Report | undefined
): Promise<Verify.Report | undefined> => {
  const arrived = new Map<number, Checked>()
  let next = 0
  let joined = 0
  let report: Verify.Report | undefined
  const loop = async (worker: Pick<Pool, "run">) => {
    while (report === undefined && next < tasks.length) {
      const task = tasks[next++] as ChunkTask
      arrived.set(task.index, await worker.run(task))
      while (report === undefined && arrived.has(joined)) {
        const summary = arrived.get(joined) as Checked
        arrived.delete(joined++)
        report = join(summary)
      }
    }
  }
  // Two lanes per worker: its next chunk is already queued when it finishes one, so it never
  // waits for this thread to be scheduled (on a loaded machine that wait dominated).
  await Promise.all(pool.flatMap((worker) => [loop(worker), loop(worker)]))
  return report
}

const storeError = (cause: unknown): Verify.Report =>
  failed({
    class: "STORE_ERROR",
    detail: `the store could not be read: ${cause instanceof Error ? cause.message : String(cause)}`
  })

// One thread from the first record; `watch` checks each verified record's index columns beside it.
const sequential = (
  context: Context,
  source: RowSource,
  size: number,
  watch?: IndexColumns.Watch
): Verify.Report => {
  const engine = makeEngine(context)
  source.read(0, size, pushing(engine, watch))
  return engine.finish()
}

/**
 * Verifies the log in a Utblick SQLite file (opened read-only) against the options' checkpoints,
 * using `jobs` worker threads. The report equals `Verify.verifyStore`'s for the same file; if a
 * worker cannot run, the rest is verified in this thread and a warning says so.
 *
 * @category verification
 * @since 0.2.0
 */
export const verifySqliteFile = async (filename: string, options: Options = {}): Promise<SqliteReport> => {
  let db: BetterSqlite3.Database
  try {
    db = openDatabase(filename)
  } catch (cause) {
    return storeError(cause)
  }
  try {
    const stored = db.prepare("SELECT value FROM store_meta WHERE key = 'origin'").pluck().get() as
      | string
      | undefined
    const origin = options.trust?.origin ?? options.origin ?? stored
    const prepared = prepare({ ...options, ...(origin === undefined ? {} : { origin }) })
    if (Result.isFailure(prepared)) return prepared.failure
    const context = prepared.success
    const size = db.prepare("SELECT coalesce(max(position) + 1, 0) FROM events").pluck().get() as number
    const beside = options.indexColumns === true
    const source = sqliteSource(db, { indexColumns: beside })
    // The row check of the chunks the workers checked, and of the whole log in this thread when
    // they did not check every chunk (one thread, a chunk verified here, a worker that failed).
    const rowCheck = rowCheckOf(db, options)
    let checkedChunks = 0
    let rowCheckFailedAt: number | undefined
    // Chunks are joined in log order, so the first failing position found is the log's.
    const checkedBeside = (task: Checked) => {
      if (task.rowCheckAt === undefined) return
      checkedChunks++
      if (task.rowCheckAt !== null) rowCheckFailedAt ??= task.rowCheckAt
    }
    const withRowCheck = (report: Verify.Report, everyChunkChecked = false): SqliteReport => {
      if (rowCheck === undefined || !report.ok) return report
      const at = everyChunkChecked ? rowCheckFailedAt : rowCheck(0, size)
      return at === undefined ? report : { ...report, rowCheckFailedAt: at }
    }
    const jobs = Math.max(1, Math.floor(options.jobs ?? availableParallelism()))
    const chunkSize = options.chunkSize ?? chunkSizeFor(size, jobs)
    const inline = options.threads === false
    if (
      origin === undefined ||
      (!inline && (jobs === 1 || size < (options.sequentialBelow ?? SEQUENTIAL_BELOW)))
    ) {
      if (!beside) return withRowCheck(sequential(context, source, size))
      const watch = IndexColumns.watch()
      const report = sequential(context, source, size, watch)
      const at = watch.first()
      return !report.ok || at === null ? report : { ...report, rowCheckFailedAt: at }
    }
    const tasks = planChunks(context, size, chunkSize)
    const joiner = makeJoiner(context, source, size, chunkSize)
    const join = (summary: Checked) => {
      checkedBeside(summary)
      return joiner.join(summary)
    }
    if (inline) {
      const run = (task: ChunkTask) =>
        Promise.resolve(checkChunk(source, origin, beside ? "beside" : undefined, task))
      return withRowCheck(
        (await runChunks(tasks, [{ run }], join)) ?? joiner.finish(),
        checkedChunks === tasks.length
      )
    }
    const pool = startPool(
      Math.min(jobs, tasks.length),
      {
        utblickVerifyWorker: 1,
        filename,
        origin,
        rowCheck: options.rowCheck,
        indexColumns: options.indexColumns
      },
      options.workerUrl
    )
    try {
      const report = (await runChunks(tasks, pool, join)) ?? joiner.finish()
      return withRowCheck(report, checkedChunks === tasks.length)
    } catch (cause) {
      // A worker that cannot run (missing entry, no native addon in the thread) is the tool's
      // problem, not the log's: verify the rest here and say so.
      context.warnings.push(
        `parallel verification stopped (${cause instanceof Error ? cause.message : String(cause)}); the rest was verified in one thread`
      )
      return withRowCheck(joiner.sequentialRest())
    } finally {
      await Promise.all(pool.map((w) => w.close()))
    }
  } catch (cause) {
    return storeError(cause)
  } finally {
    db.close()
  }
}

/**
 * {@link verifySqliteFile} as an effect (it never fails: problems are in the report).
 *
 * @category verification
 * @since 0.2.0
 */
export const verifySqlite = (filename: string, options: Options = {}): Effect.Effect<SqliteReport> =>
  Effect.promise(() => verifySqliteFile(filename, options))
