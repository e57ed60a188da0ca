/**
 * The import format reference (`docs/reference/import-formats.md`), rendered from the command
 * schemas so that the columns it lists are the ones the import accepts.
 * `npx tsx --conditions=@utblick/source packages/cli/scripts/import-formats.ts` rewrites the page;
 * a test fails when it is out of date and runs its examples.
 *
 * @since 0.2.0
 */
import * as CommandSchemas from "./CommandSchemas.js"
import * as Import from "./Import.js"

const EXAMPLE_JSONL = [
  {
    _tag: "Register",
    actor: { id: "region-norrbotten-kansli", role: "registrar" },
    tenant: "region-norrbotten",
    occurredAt: "2022-01-01",
    events: [{ _tag: "ActorRegistered", actorId: "region-norrbotten", name: "Region Norrbotten", kind: "region" }]
  },
  {
    _tag: "AllotAppropriation",
    actor: { id: "regeringskansliet-naringsdepartementet", role: "government" },
    tenant: "region-norrbotten",
    occurredAt: "2022-01-01",
    regionId: "region-norrbotten",
    year: 2022,
    appropriation: "UO19 1:1",
    appropriationName: "Regionala utvecklingsåtgärder",
    amount: 100000000
  },
  {
    _tag: "ReceiveApplication",
    actor: { id: "region-norrbotten-handlaggare", role: "officer" },
    tenant: "region-norrbotten",
    occurredAt: "2022-02-01",
    applicationId: "nb-2022-p-001",
    regionId: "region-norrbotten",
    instrument: "project-support",
    applicant: { name: "Luleå tekniska universitet" },
    title: "Arktisk testbädd",
    amountApplied: 60000000,
    receivedOn: "2022-02-01"
  },
  {
    _tag: "AssessApplication",
    actor: { id: "region-norrbotten-handlaggare", role: "officer" },
    tenant: "region-norrbotten",
    occurredAt: "2022-02-10",
    applicationId: "nb-2022-p-001",
    criteria: { sustainability: "meets", genderEquality: "meets", environment: "meets", territorial: "meets" },
    recommendation: "grant"
  }
]

const EXAMPLE_CSV = [
  "applicationId;year;amount;decisionRef;decidingBody;projectName;mainPurpose;occurredAt",
  "nb-2022-p-001;2022;600 000,00;RUN 00060-2022;Regionala utvecklingsnämnden;Arktisk testbädd;environment;2022-03-01"
]

const typeOf = (f: CommandSchemas.FieldInfo): string => {
  if (f.money) return "amount (öre in JSON; kronor or öre in CSV)"
  if (f.values !== undefined) return f.values.map((v) => `\`${v}\``).join(", ")
  if (f.date) return "date `YYYY-MM-DD`"
  if (f.type === "array" || f.type === "object") return `${f.type} (JSON in a CSV cell)`
  return f.type
}

const ENVELOPE = new Set(["actor", "tenant", "occurredAt", "idempotencyKey"])

/**
 * The whole page.
 *
 * @category formatting
 * @since 0.2.0
 */
export const render = (): string => {
  const out: Array<string> = []
  const p = (...lines: ReadonlyArray<string>) => out.push(...lines)
  p(
    "# Import formats",
    "",
    "<!-- Generated from the command schemas by packages/cli/src/ImportFormats.ts",
    "     (npx tsx --conditions=@utblick/source packages/cli/scripts/import-formats.ts).",
    "     Do not edit by hand: a test compares. -->",
    "",
    "`utblick import FILE` brings business data in **as commands**: every line (JSON Lines) or row",
    "(CSV) is one command, decoded strictly and decided by its aggregate under the role policy —",
    "the same path as the facade's `execute` and the HTTP example's `POST /commands`. There is no",
    "way to write events past the rules: a grant reserves budget money and is capped by the year's",
    "appropriation, a `traveller` cannot sign a membership, an organisation cannot be joined twice.",
    "(Copying a verified log verbatim is `utblick restore`, not import.)",
    "",
    "## Whole file or nothing; re-running is safe",
    "",
    "- **All or nothing per file.** Every line is decided against the log's own streams (only the",
    "  streams the commands address are read, never the whole log); any refused line refuses the",
    "  file, naming every problem of every refused line — line, command, field, value and rule (up to",
    "  10 problems per line and 50 in all, then a count) — and nothing is written.",
    "- **Constant memory, one transaction**, on SQLite and on PostgreSQL alike. The decided events",
    "  go, 2,000 lines at a time, into one transaction on the log's own connection, committed only",
    "  when the last line has passed; a refusal, `--dry-run`, Ctrl-C, an error or a crash rolls it",
    "  back. A file of 1,000,000 lines peaks at about 245 MB of memory on SQLite",
    "  (docs/reference/performance.md). While the transaction is open it holds the log's write lock",
    "  (other writers wait: on SQLite the file lock; on PostgreSQL the log's append lock, from the",
    "  first 2,000 lines on, which other writers wait for without a time limit). On SQLite the",
    "  write-ahead log beside the file grows by about 1.2 KB per event until the commit (1.2 GB for a",
    "  million); on PostgreSQL the uncommitted rows are in the table, invisible to other sessions.",
    "- **Per declared batch** with `--batch N`: each N lines are committed as one transaction while",
    "  no line has been refused (other writers get the lock in between). A later refusal stops the",
    "  import there; the committed batches stay, and running the same file again resumes after them",
    "  (their lines are *already recorded*): a committed batch is the resumable checkpoint.",
    "- **Idempotent.** Every command has an idempotency key: its `idempotencyKey` field (a `key`",
    "  column in CSV is just that field), or one derived from what identifies the fact — tenant,",
    "  command, the stream it addresses (membership, application, trip, budget year) and, for facts",
    "  that recur in a stream, the case number (`decisionRef`), the business date, or the field that",
    "  tells them apart (`paymentId`, `reportId`, a role and its body). A grant or rejection is keyed",
    "  by its application and the decision kind. Importing the same file again writes nothing and",
    "  reports `already recorded: N`; a line whose key was recorded with other content is refused as",
    "  an `IdempotencyConflict` showing the recorded and the new value. Two lines with the same key in",
    "  one file are refused (give repeated facts their own `idempotencyKey`).",
    "- **Known tenants only.** A tenant must have registry entries in the log, be registered by a",
    "  `Register` line earlier in the file, or be named with `--new-tenant` — a misspelt tenant does",
    "  not silently begin a new record.",
    "- **Ctrl-C** stops between chunks of lines and rolls back what is not committed, so an",
    "  interrupted import leaves the log as it was (with `--batch`: as it was after the last",
    "  committed batch). Progress goes to stderr: a bar with share, count, rate and time left,",
    "  redrawn in place on a terminal; a plain line every 10 % otherwise.",
    "- **Concurrent writers** on one SQLite file wait for each other: an import waits up to 30 s for",
    "  the file lock; if another writer holds it longer, the import tries again from the log as it",
    "  now is, up to 5 attempts (about 2.5 min at most), then stops with nothing written and says so.",
    "  On PostgreSQL an import waits for the log's append lock as long as another import holds it;",
    "  if that one changed the same streams, the import is decided again (up to 5 attempts).",
    "",
    "## Strict shapes",
    "",
    "| rule | limit |",
    "|---|---|",
    "| unknown fields | refused, with the nearest field name (`decisonRef` → `decisionRef`) |",
    "| encoding | UTF-8, with or without BOM; invalid bytes refused with their offset; lone surrogate escapes (`\\ud800`) refused |",
    "| integers | within ±9 007 199 254 740 991; larger values are echoed as written |",
    "| dates | `YYYY-MM-DD` that exist in the calendar (`2022-02-30` is refused) |",
    `| nesting | at most ${Import.MAX_DEPTH} levels of objects and arrays |`,
    `| line size | at most ${Import.MAX_LINE_BYTES / 1024 / 1024} MiB — the same limit as the store's writer, the exporter and the verifier |`,
    "| messages | values are shown as short JSON excerpts; control characters are escaped |",
    "",
    "## JSON Lines",
    "",
    "One command per line, as `Commands.execute` takes it: `_tag`, `actor` (`id`, `role`), `tenant`,",
    "`occurredAt`, optional `idempotencyKey`, and the command's fields below. Money is integer öre.",
    "Lines of envelope-less events (`type`, `payload`, `occurredAt`, `tenant`, `actor`, `decisionRef`,",
    "optional `eventId`, used as the idempotency key) are read as the command that records the same",
    "fact (`MembershipSigned` → `SignMembership`, registry entries → `Register`), so they meet the same",
    "rules. Budget reservations and erasures follow from other commands and cannot be imported.",
    "",
    "Example (`example.jsonl`):",
    "",
    "```jsonl",
    ...EXAMPLE_JSONL.map((c) => JSON.stringify(c)),
    "```",
    "",
    "## CSV",
    "",
    "One command per row; `--kind` names the command (or the file name contains the kind).",
    "",
    "- Separator: comma or semicolon (detected from the header); quoting as RFC 4180; CRLF or LF.",
    "- Columns are the command's field names. `actor.id` and `actor.role` (or `--actor ID:ROLE`),",
    "  `tenant` (or `--tenant`); nested fields with dots (`applicant.name`); lists and objects as JSON",
    "  in the cell; a required list left out is empty. An optional `command` column overrides `--kind`",
    "  per row. An empty cell leaves the field out.",
    "- Numbers: `1 000 000,00` (spaces or no-break spaces between thousands, decimal comma, as Excel in",
    "  Swedish writes them) or `1000000.00`. Amounts are in **kronor** by default (at most two",
    "  decimals); `--unit ore` declares whole öre. Three digits after a lone comma or point (`1,500`,",
    "  `250.000`) are refused where fewer decimals are allowed: fifteen hundred to some, one and a half",
    "  to others. Group thousands with a space (`1 500`).",
    "- `utblick import --template KIND` prints an empty template (the header, semicolon-separated).",
    "",
    `Kinds: ${Object.entries(CommandSchemas.aliases)
      .map(([k, v]) => `\`${k}\` (${v})`)
      .join(", ")}, or any command name below.`,
    "",
    "Example (`grants.csv`, imported with `--kind grants --tenant region-norrbotten --actor",
    "region-norrbotten-run:regional-development-board` after the JSON Lines example):",
    "",
    "```csv",
    ...EXAMPLE_CSV,
    "```",
    "",
    "## Commands and their fields",
    "",
    "Every command also takes `actor` (`id`, `role`), `tenant`, `occurredAt` (the business date) and",
    "an optional `idempotencyKey`."
  )
  let family = ""
  for (const info of CommandSchemas.all().values()) {
    if (info.family !== family) {
      family = info.family
      p("", `### ${family[0]?.toUpperCase()}${family.slice(1)}`)
    }
    p("", `#### \`${info.tag}\``, "", "| field | required | type |", "|---|---|---|")
    for (const f of info.fields) {
      if (ENVELOPE.has(f.name)) continue
      p(`| \`${f.name}\` | ${f.required ? "yes" : "no"} | ${typeOf(f)} |`)
    }
  }
  p("")
  return out.join("\n")
}
