/**
 * `init`, `import`, `export` and `status`: creating a log, loading it, dumping it, describing it.
 *
 * @since 0.1.0
 */
import { existsSync } from "node:fs"
import { extname, resolve } from "node:path"
import { Export } from "@utblick/audit"
import { EventStore, Events } from "@utblick/core"
import { Console, Effect, Option, Stream } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { UsageFailure } from "../CliFailure.js"
import * as CommandImport from "../CommandImport.js"
import * as Import from "../Import.js"
import { emit } from "../Output.js"
import * as Progress from "../Progress.js"
import { root } from "../Root.js"
import * as Store from "../Store.js"
import { allEvents, readText, storeProblem } from "./Shared.js"

/**
 * `utblick init`: creates an empty log (or reports the one already there).
 *
 * @category constructors
 * @since 0.1.0
 */
export const init = Command.make(
  "init",
  {
    origin: Flag.String("origin").pipe(
      Flag.withDescription("The log's identity, the first line of every checkpoint (e.g. audit.lulea.example/utblick); default: a generated unique one"),
      Flag.optional
    )
  },
  ({ origin }) =>
    Effect.gen(function* () {
      const { store: where } = yield* root
      const chosen = Option.getOrUndefined(origin)
      if (chosen !== undefined) {
        const invalid = Store.validateOrigin(chosen)
        if (invalid !== undefined) return yield* invalid
      }
      // A new log takes the chosen origin or a generated unique one; an existing log keeps its own.
      const isNew = Store.sqliteFile(where) !== undefined && !existsSync(Store.sqliteFile(where) as string)
      const pinned = chosen ?? (isNew || Store.sqliteFile(where) === undefined ? Store.generateOrigin() : undefined)
      const open = (o: string | undefined) =>
        Effect.gen(function* () {
          const store = yield* EventStore.EventStore
          const head = yield* store.head
          return { origin: store.origin, size: head.size }
        }).pipe(Effect.mapError(storeProblem), Store.withStore(where, o === undefined ? {} : { origin: o }))
      // PostgreSQL: whether the log exists shows only on opening; an existing one refuses a new origin.
      const opened = yield* open(pinned).pipe(
        Effect.catchIf(
          (e) => chosen === undefined && Store.sqliteFile(where) === undefined && e.problem.includes("was created with origin"),
          () => open(undefined)
        )
      )
      const at = Store.describe(Store.parse(where) as Store.StoreSpec)
      yield* Console.log(
        opened.size === 0
          ? `Initialised an empty Utblick log at ${at} (origin ${opened.origin})`
          : `The log at ${at} already holds ${opened.size} events (origin ${opened.origin}); nothing changed`
      )
      yield* Console.log("Next: utblick import FILE (JSON Lines of events, or CSV of grants, memberships or trips)")
    })
).pipe(
  Command.withDescription("Create an empty Utblick log (the embedded SQLite file by default) with its own origin"),
  Command.withExamples([
    { command: "utblick init", description: "Create ./utblick.db with a generated unique origin" },
    { command: "utblick --store sqlite:/data/lulea.db init --origin audit.lulea.example/utblick", description: "Create a log elsewhere, naming its origin" }
  ])
)

const kindFlag = Flag.Literals("kind", ["grants", "memberships", "trips"]).pipe(
  Flag.withDescription("For CSV: what each row is (grants → ProjectGranted unless a type column says otherwise)"),
  Flag.optional
)

// JSON Lines of commands: decided on a copy of the log, then appended in one appendMany.
const importCommands = (file: string, text: string, dryRun: boolean, where: string) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const existing = yield* allEvents.pipe(Effect.mapError(storeProblem))
    yield* Progress.note(`Deciding the commands of ${file} against a copy of the log (${existing.length} events)…`)
    const planned = yield* CommandImport.plan(text, existing).pipe(Effect.mapError(storeProblem))
    if (planned.errors.length > 0) {
      return yield* new UsageFailure({
        problem: `${file}: ${planned.errors.length} of ${planned.commands} commands refused; nothing was imported`,
        details: planned.errors.slice(0, 50).map(Import.formatError),
        hint: "fix the commands named above (a later command may depend on an earlier one) and run the import again"
      })
    }
    if (planned.commands === 0) {
      return yield* new UsageFailure({ problem: `${file} holds no commands`, hint: "check that you passed the right file" })
    }
    if (dryRun) {
      yield* Console.log(`Dry run: ${planned.commands} commands would append ${planned.events} events to ${planned.writes.length} streams`)
      return
    }
    yield* store.appendMany(planned.writes).pipe(
      Effect.mapError(
        (e) =>
          new UsageFailure({
            problem: `the store refused the import: ${e.message}`,
            hint: "nothing was written; if another writer changed the same streams meanwhile, run the import again"
          })
      )
    )
    const head = yield* store.head.pipe(Effect.mapError(storeProblem))
    yield* Console.log(
      `Imported ${planned.commands} commands: ${planned.events} events in ${planned.writes.length} streams; the log now holds ${head.size} events, head ${head.lastHash.slice(0, 16)}…`
    )
  }).pipe(Store.withStore(where))

/**
 * `utblick import FILE`: validates every row, then appends all of it in one `appendMany` (or nothing).
 *
 * @category constructors
 * @since 0.1.0
 */
export const importCommand = Command.make(
  "import",
  {
    file: Argument.String("file").pipe(Argument.withDescription("A .jsonl file of events or an audit export, or a .csv file")),
    kind: kindFlag,
    tenant: Flag.String("tenant").pipe(Flag.withDescription("CSV: tenant for rows without a tenant column"), Flag.optional),
    actor: Flag.String("actor").pipe(
      Flag.withDescription("CSV: ID:ROLE of the actor for rows without actor columns"),
      Flag.optional
    ),
    dryRun: Flag.Boolean("dry-run").pipe(Flag.withDescription("Validate only; write nothing"), Flag.withDefault(false))
  },
  ({ file, kind, tenant, actor, dryRun }) =>
    Effect.gen(function* () {
      const { store: where } = yield* root
      const text = yield* readText(file, "import file")
      const isCsv = extname(file).toLowerCase() === ".csv"
      if (!isCsv && CommandImport.isCommandFile(text)) return yield* importCommands(file, text, dryRun, where)
      let parsed: ReturnType<typeof Import.fromJsonLines>
      if (isCsv) {
        const base = file.toLowerCase()
        const inferred = Option.getOrUndefined(kind) ?? (["grants", "memberships", "trips"] as const).find((k) => base.includes(k))
        if (inferred === undefined) {
          return yield* new UsageFailure({
            problem: `cannot tell what the rows of ${file} are`,
            hint: "add --kind grants, --kind memberships or --kind trips"
          })
        }
        const actorParts = Option.map(actor, (a) => a.split(":"))
        parsed = Import.fromCsv(text, inferred, {
          ...(Option.isSome(tenant) ? { tenant: tenant.value } : {}),
          ...(Option.isSome(actorParts) ? { actor: { id: actorParts.value[0] ?? "", role: actorParts.value[1] ?? "" } } : {})
        })
      } else {
        parsed = Import.fromJsonLines(text)
      }
      if (parsed.errors.length > 0) {
        const shown = parsed.errors.slice(0, 50).map(Import.formatError)
        return yield* new UsageFailure({
          problem: `${file}: ${parsed.errors.length} error${parsed.errors.length === 1 ? "" : "s"} in ${new Set(parsed.errors.map((e) => e.line)).size} row(s); nothing was imported`,
          details: parsed.errors.length > 50 ? [...shown, `… and ${parsed.errors.length - 50} more`] : shown,
          hint: "fix the rows named above and run the import again (the file is imported whole or not at all)"
        })
      }
      if (parsed.rows.length === 0) {
        return yield* new UsageFailure({ problem: `${file} holds no events`, hint: "check that you passed the right file" })
      }
      const writes = Import.toWrites(parsed.rows)
      yield* Progress.note(`Validated ${parsed.rows.length} rows in ${writes.length} streams`)
      if (dryRun) {
        yield* Console.log(`Dry run: ${parsed.rows.length} events in ${writes.length} streams would be imported`)
        return
      }
      yield* Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const results = yield* store.appendMany(writes).pipe(
          Effect.mapError(
            (e) =>
              new UsageFailure({
                problem: `the store refused the import: ${e.message}`,
                hint: "nothing was written; fix the events named above (a stream version conflict means the streams already exist)"
              })
          )
        )
        const head = yield* store.head.pipe(Effect.mapError(storeProblem))
        const deduplicated = results.filter((r) => r.deduplicated).length
        yield* Console.log(
          `Imported ${parsed.rows.length} events into ${writes.length} streams${deduplicated > 0 ? ` (${deduplicated} streams already held them)` : ""}; the log now holds ${head.size} events, head ${head.lastHash.slice(0, 16)}…`
        )
      }).pipe(Store.withStore(where))
    })
).pipe(
  Command.withDescription(
    "Import commands or events from JSON Lines (or an audit export), or CSV (grants, memberships, trips). Every row is validated (commands are decided by the domain rules) first; a bad row refuses the whole file"
  ),
  Command.withExamples([
    { command: "utblick import events.jsonl", description: "Events: type, payload, occurredAt, tenant, actor, decisionRef" },
    {
      command: "utblick import commands.jsonl",
      description: "Commands ({\"_tag\": \"SignMembership\", …}): decided by the domain rules on a copy of the log, then appended all at once"
    },
    {
      command: "utblick import memberships.csv --kind memberships --tenant lulea-kommun --actor lulea-ks:executive-board",
      description: "One MembershipSigned per row"
    }
  ])
)

/**
 * `utblick export`: the log as JSON Lines in the audit export format.
 *
 * @category constructors
 * @since 0.1.0
 */
export const exportCommand = Command.make(
  "export",
  { out: Flag.String("out").pipe(Flag.withDescription("Write to FILE instead of stdout"), Flag.optional) },
  ({ out }) =>
    Effect.gen(function* () {
      const { store: where } = yield* root
      yield* Effect.gen(function* () {
        const lines = yield* Stream.runCollect(Export.lines()).pipe(Effect.mapError(storeProblem))
        yield* emit(lines.map((l) => `${l}\n`).join(""), out, `${lines.length} records`)
      }).pipe(Store.withStore(where, { mustExist: true }))
    })
).pipe(
  Command.withDescription("Export the whole log as JSON Lines (the audit export format: exact bytes and chain hashes)"),
  Command.withExamples([{ command: "utblick export --out log.jsonl", description: "For an auditor or a backup" }])
)

/**
 * What `status` reports.
 *
 * @category models
 * @since 0.1.0
 */
export interface Status {
  readonly store: string
  readonly origin: string
  readonly events: number
  readonly streams: number
  readonly tenants: ReadonlyArray<{ readonly tenant: string; readonly events: number }>
  readonly families: ReadonlyArray<{ readonly family: string; readonly events: number }>
  readonly business: { readonly first: string | null; readonly last: string | null }
  readonly recorded: { readonly first: string | null; readonly last: string | null }
  readonly headHash: string
}

/**
 * `utblick status`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const status = Command.make(
  "status",
  { json: Flag.Boolean("json").pipe(Flag.withDescription("Machine-readable output"), Flag.withDefault(false)) },
  ({ json }) =>
    Effect.gen(function* () {
      const { store: where } = yield* root
      yield* Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const events = yield* allEvents.pipe(Effect.mapError(storeProblem))
        const head = yield* store.head.pipe(Effect.mapError(storeProblem))
        const tenants = new Map<string, number>()
        const families = new Map<string, number>()
        const streams = new Set<string>()
        let firstB: string | null = null
        let lastB: string | null = null
        for (const e of events) {
          tenants.set(e.tenant, (tenants.get(e.tenant) ?? 0) + 1)
          const family = (Events.familyOf as Readonly<Record<string, string>>)[e.type] ?? "Other"
          families.set(family, (families.get(family) ?? 0) + 1)
          streams.add(e.streamId)
          if (firstB === null || e.occurredAt < firstB) firstB = e.occurredAt
          if (lastB === null || e.occurredAt > lastB) lastB = e.occurredAt
        }
        const s: Status = {
          store: Store.describe(Store.parse(where) as Store.StoreSpec),
          origin: store.origin,
          events: events.length,
          streams: streams.size,
          tenants: [...tenants].sort().map(([tenant, n]) => ({ tenant, events: n })),
          families: [...families].sort().map(([family, n]) => ({ family, events: n })),
          business: { first: firstB, last: lastB },
          recorded: { first: events[0]?.recordedAt ?? null, last: events[events.length - 1]?.recordedAt ?? null },
          headHash: head.lastHash
        }
        if (json) return yield* Console.log(JSON.stringify(s, null, 2))
        yield* Console.log(
          [
            `store       ${s.store}`,
            `origin      ${s.origin}`,
            `events      ${s.events} in ${s.streams} streams`,
            `tenants     ${s.tenants.map((t) => `${t.tenant} (${t.events})`).join(", ") || "–"}`,
            `families    ${s.families.map((f) => `${f.family} ${f.events}`).join(", ") || "–"}`,
            `business    ${s.business.first ?? "–"} … ${s.business.last ?? "–"} (occurredAt)`,
            `recorded    ${s.recorded.first ?? "–"} … ${s.recorded.last ?? "–"} (recordedAt)`,
            `head        ${s.headHash}`
          ].join("\n")
        )
      }).pipe(Store.withStore(where, { mustExist: true }))
    })
).pipe(
  Command.withDescription("Describe the log: tenants, streams, events per family, date ranges on both clocks, head hash"),
  Command.withExamples([{ command: "utblick status", description: "Summary of ./utblick.db" }])
)

/**
 * The absolute path of a file argument (for messages).
 *
 * @category constructors
 * @since 0.1.0
 */
export const absolute = (p: string): string => resolve(p)
