/**
 * Reading an import file as a stream of commands, line by line in constant memory, with strict
 * shapes: every line becomes a command input (see `CommandImport` for how they are decided) or a
 * refusal that names the line, the field, a short escaped excerpt of the value and the rule.
 *
 * Inputs:
 * - JSON Lines of commands (`{"_tag":"SignMembership",…}`), the native form;
 * - JSON Lines of envelope-less events (`type`, `payload`, `occurredAt`, `tenant`, `actor`,
 *   `decisionRef`), read as the command that records the same fact (registry entries as
 *   `Register`), so they meet the same rules and role policy;
 * - CSV of one command per row (`--kind`), columns named after the command's fields.
 *
 * An audit export (`{"event":…,"hash":…}`) is not business input: it is refused with a pointer
 * to `utblick restore`, which copies a verified log verbatim.
 *
 * Limits (documented in docs/reference/import-formats.md): a line of at most 16 MiB (the same
 * limit as the writer, exporter and verifier), nesting at most {@link MAX_DEPTH} deep, strict
 * UTF-8 without lone surrogates, integers within the safe range.
 *
 * @since 0.1.0
 */
import { createReadStream } from "node:fs"
import { StrictJson } from "@utblick/core"
import type { CommandInfo } from "./CommandSchemas.js"
import * as Csv from "./Csv.js"

/**
 * One refused line: where, which command and field, the value (escaped excerpt), the rule.
 *
 * @category models
 * @since 0.1.0
 */
export interface RowError {
  readonly line: number
  readonly command?: string
  readonly field: string
  readonly value: string
  readonly rule: string
}

/**
 * One line of an import file, as a command input, or the error that line already has.
 *
 * @category models
 * @since 0.2.0
 */
export type Item =
  | { readonly _tag: "Command"; readonly line: number; readonly input: unknown }
  | { readonly _tag: "Refused"; readonly error: RowError }

/**
 * Formats a row error as `line 4: GrantProject: amount = -5: must be …`.
 *
 * @category formatting
 * @since 0.1.0
 */
export const formatError = (e: RowError): string =>
  `line ${e.line}: ${e.command === undefined ? "" : `${e.command}: `}${e.field} = ${e.value}: ${e.rule}`

/**
 * The largest line (one command or event) an import reads: 16 MiB, the limit of the store's
 * writer, the exporter and the verifier, so nothing is accepted that the audit tools refuse.
 *
 * @category models
 * @since 0.2.0
 */
export const MAX_LINE_BYTES = 16 * 1024 * 1024

/**
 * How deeply objects and arrays may nest in one line (core's `StrictJson.MAX_DEPTH`).
 *
 * @category models
 * @since 0.2.0
 */
export const MAX_DEPTH = StrictJson.MAX_DEPTH

/**
 * A value as a short, escaped excerpt for a message (core's `StrictJson.excerpt`).
 *
 * @category formatting
 * @since 0.2.0
 */
export const excerpt = StrictJson.excerpt

// ─── Bytes to lines ──────────────────────────────────────────────────────────────────────────

/**
 * One line of the file: its number and text, or why its bytes are not text.
 *
 * @category models
 * @since 0.2.0
 */
export type Line = { readonly line: number; readonly text: string } | { readonly line: number; readonly error: string; readonly value: string }

// The offset of the first byte that breaks UTF-8 (overlongs, surrogates and > U+10FFFF included).
const invalidUtf8At = (b: Uint8Array): number => {
  let i = 0
  while (i < b.length) {
    const c = b[i] as number
    if (c < 0x80) {
      i++
      continue
    }
    const n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1
    if (n === -1 || i + n >= b.length) return i
    const c1 = b[i + 1] as number
    if (c === 0xe0 && c1 < 0xa0) return i
    if (c === 0xed && c1 > 0x9f) return i
    if (c === 0xf0 && c1 < 0x90) return i
    if (c === 0xf4 && c1 > 0x8f) return i
    for (let k = 1; k <= n; k++) {
      const ck = b[i + k]
      if (ck === undefined || (ck & 0xc0) !== 0x80) return i
    }
    i += n + 1
  }
  return -1
}

const decoder = new TextDecoder("utf-8", { fatal: true })

/**
 * Reads a file as lines, in constant memory: bytes are split on line feeds, a BOM on the first
 * line is dropped, each line is decoded as strict UTF-8. A line over {@link MAX_LINE_BYTES} is
 * skipped without being held, and reported. Yields batches of lines, and the bytes read so far.
 *
 * @category constructors
 * @since 0.2.0
 */
export async function* readLines(
  path: string,
  onBytes?: (bytes: number) => void
): AsyncGenerator<ReadonlyArray<Line>> {
  let carry: Array<Buffer> = []
  let carried = 0
  let oversized = false
  let lineNo = 0
  let bytes = 0
  const finish = (parts: Array<Buffer>): Line => {
    lineNo += 1
    if (oversized) {
      oversized = false
      return { line: lineNo, error: `the line is longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB, the limit of one event`, value: "(not shown)" }
    }
    let buf = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts)
    if (lineNo === 1 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3)
    if (buf.length > 0 && buf[buf.length - 1] === 0x0d) buf = buf.subarray(0, buf.length - 1)
    try {
      return { line: lineNo, text: decoder.decode(buf) }
    } catch {
      const at = invalidUtf8At(buf)
      const shown = [...buf.subarray(Math.max(0, at), Math.max(0, at) + 4)].map((x) => x.toString(16).padStart(2, "0")).join(" ")
      return { line: lineNo, error: `is not UTF-8: invalid byte at offset ${at} (save the file as UTF-8)`, value: `bytes ${shown}` }
    }
  }
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 16 })) {
    const data = chunk as Buffer
    bytes += data.length
    const out: Array<Line> = []
    let from = 0
    let nl = data.indexOf(0x0a, from)
    while (nl !== -1) {
      const piece = data.subarray(from, nl)
      if (!oversized && carried + piece.length > MAX_LINE_BYTES) oversized = true
      out.push(finish(oversized ? [] : [...carry, piece]))
      carry = []
      carried = 0
      from = nl + 1
      nl = data.indexOf(0x0a, from)
    }
    const rest = data.subarray(from)
    if (!oversized) {
      if (carried + rest.length > MAX_LINE_BYTES) {
        oversized = true
        carry = []
        carried = 0
      } else if (rest.length > 0) {
        carry.push(Buffer.from(rest))
        carried += rest.length
      }
    }
    onBytes?.(bytes)
    if (out.length > 0) yield out
  }
  if (carried > 0 || oversized) yield [finish(carry)]
}

// ─── Strict JSON ─────────────────────────────────────────────────────────────────────────────

/**
 * Parses one JSON line strictly (core's `StrictJson.parse`: depth, safe integers, well-formed
 * strings), naming the line in the error.
 *
 * @category encoding
 * @since 0.2.0
 */
export const parseStrict = (
  line: number,
  text: string
): { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: RowError } => {
  const parsed = StrictJson.parse(text)
  return parsed.ok ? parsed : { ok: false, error: { line, ...parsed.error } }
}

// ─── Events as commands ──────────────────────────────────────────────────────────────────────

/**
 * The command that records the same fact as an event type. Events that only follow from other
 * commands (budget reservations, erasures) have none: they are refused with a hint.
 *
 * @category models
 * @since 0.2.0
 */
export const commandOfEvent: Readonly<Record<string, string>> = {
  MembershipSigned: "SignMembership",
  MembershipRoleAssigned: "AssignMembershipRole",
  MembershipEnded: "EndMembership",
  AgreementSigned: "SignAgreement",
  AgreementIntentRecorded: "RecordAgreementIntent",
  AgreementStatusChanged: "ChangeAgreementStatus",
  AgreementEnded: "EndAgreement",
  AppropriationAllotted: "AllotAppropriation",
  AllocationFramed: "FrameAllocation",
  ApplicationReceived: "ReceiveApplication",
  ApplicationAssessed: "AssessApplication",
  ProjectGranted: "GrantProject",
  BusinessSupportGranted: "GrantBusinessSupport",
  CommercialServiceSupportGranted: "GrantCommercialService",
  ApplicationRejected: "RejectApplication",
  GrantAmended: "AmendGrant",
  PaymentDisbursed: "DisbursePayment",
  GrantRecovered: "RecoverGrant",
  ProjectReported: "ReportProject",
  ProjectClosed: "CloseProject",
  TripProposed: "ProposeTrip",
  TripEvaluated: "EvaluateTrip",
  TripCompleted: "CompleteTrip",
  TripCancelled: "CancelTrip"
}

const REGISTRY = new Set(["ActorRegistered", "OrganisationRegistered", "ClassificationSchemeAdopted", "SchemeMappingDefined"])
const EVENT_KEYS = new Set(["type", "payload", "occurredAt", "tenant", "actor", "decisionRef", "eventId", "schemaVersion"])

const eventToCommand = (line: number, o: Record<string, unknown>): Item => {
  const refuse = (field: string, value: unknown, rule: string): Item => ({ _tag: "Refused", error: { line, field, value: excerpt(value), rule } })
  const type = o["type"]
  for (const k of Object.keys(o)) {
    if (!EVENT_KEYS.has(k)) {
      return refuse(k, o[k], `is not a field of an event line (${[...EVENT_KEYS].join(", ")}); unknown fields are refused, not ignored`)
    }
  }
  const payload = o["payload"]
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) return refuse("payload", payload, "must be a JSON object")
  const envelope = {
    actor: o["actor"],
    tenant: o["tenant"],
    occurredAt: o["occurredAt"],
    ...(typeof o["eventId"] === "string" ? { idempotencyKey: o["eventId"] } : {})
  }
  if (typeof type === "string" && REGISTRY.has(type)) {
    return { _tag: "Command", line, input: { _tag: "Register", ...envelope, events: [{ _tag: type, ...payload }] } }
  }
  const tag = typeof type === "string" ? commandOfEvent[type] : undefined
  if (tag === undefined) {
    return refuse(
      "type",
      type,
      "is not an event an import records: write the command instead (e.g. GrantProject reserves the budget itself); see docs/reference/import-formats.md"
    )
  }
  const decisionRef = o["decisionRef"]
  return {
    _tag: "Command",
    line,
    input: { _tag: tag, ...envelope, ...(decisionRef === null || decisionRef === undefined ? {} : { decisionRef }), ...payload }
  }
}

/**
 * Turns one JSON line into an import item: a command, an event read as its command, or a refusal.
 *
 * @category encoding
 * @since 0.2.0
 */
export const jsonItem = (line: Line): Item | undefined => {
  if ("error" in line) return { _tag: "Refused", error: { line: line.line, field: "(line)", value: line.value, rule: line.error } }
  if (line.text.trim() === "") return undefined
  const parsed = parseStrict(line.line, line.text)
  if (!parsed.ok) return { _tag: "Refused", error: parsed.error }
  const v = parsed.value
  if (v === null || typeof v !== "object" || Array.isArray(v)) {
    return { _tag: "Refused", error: { line: line.line, field: "(line)", value: excerpt(v), rule: "each line must be a JSON object: a command with _tag, or an event with type" } }
  }
  const o = v as Record<string, unknown>
  if ("event" in o && "hash" in o) {
    return {
      _tag: "Refused",
      error: {
        line: line.line,
        field: "(line)",
        value: excerpt(o["hash"]),
        rule: "is a line of an audit export; import records business data as commands — copy a verified log with `utblick restore`"
      }
    }
  }
  if ("_tag" in o) return { _tag: "Command", line: line.line, input: o }
  if ("type" in o) return eventToCommand(line.line, o)
  return { _tag: "Refused", error: { line: line.line, field: "(line)", value: excerpt(v), rule: "has neither _tag (a command) nor type (an event)" } }
}

/**
 * Reads a JSON Lines file as batches of import items.
 *
 * @category constructors
 * @since 0.2.0
 */
export async function* jsonLines(path: string, onBytes?: (bytes: number) => void): AsyncGenerator<ReadonlyArray<Item>> {
  for await (const lines of readLines(path, onBytes)) {
    const items: Array<Item> = []
    for (const l of lines) {
      const item = jsonItem(l)
      if (item !== undefined) items.push(item)
    }
    yield items
  }
}

// ─── CSV rows as commands ────────────────────────────────────────────────────────────────────

/**
 * How a CSV file's rows become commands.
 *
 * @category models
 * @since 0.2.0
 */
export interface CsvOptions {
  /** The command of every row (a `command` column overrides it per row). */
  readonly command: CommandInfo
  /** Every command, for rows that name theirs in a `command` column. */
  readonly commands: ReadonlyMap<string, CommandInfo>
  /** Money columns in kronor (the default; `1 000 000,00`) or in öre (`--unit ore`). */
  readonly unit: "kronor" | "ore"
  readonly tenant?: string
  readonly actor?: { readonly id: string; readonly role: string }
}

const ACTOR_COLUMNS: Readonly<Record<string, "id" | "role">> = { "actor.id": "id", actor: "id", "actor.role": "role", actorRole: "role" }

const setPath = (target: Record<string, unknown>, path: ReadonlyArray<string>, value: unknown) => {
  let cur = target
  for (const k of path.slice(0, -1)) {
    const next = cur[k]
    if (next === null || typeof next !== "object") cur[k] = {}
    cur = cur[k] as Record<string, unknown>
  }
  cur[path[path.length - 1] as string] = value
}

// One cell as the JSON value its field expects; a string explains why it cannot be.
const typedCell = (
  raw: string,
  field: { readonly type: string; readonly money: boolean } | undefined,
  unit: "kronor" | "ore"
): { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly rule: string } => {
  const t = raw.trim()
  const type = field?.type ?? "string"
  if (type === "integer" || type === "number") {
    const d = Csv.parseDecimal(t)
    if (d === undefined) {
      return { ok: false, rule: field?.money === true ? `must be an amount in ${unit === "kronor" ? "kronor, e.g. 1 000 000,00" : "öre, e.g. 100000000"}` : "must be a number" }
    }
    const scaled = Csv.toScaledInteger(d, field?.money === true && unit === "kronor" ? 2 : type === "integer" ? 0 : 6)
    if (typeof scaled === "string") return { ok: false, rule: scaled }
    return { ok: true, value: type === "number" && !(field?.money ?? false) ? Number(`${d.negative ? "-" : ""}${d.integer}.${d.fraction || "0"}`) : scaled }
  }
  if (type === "boolean") {
    const b = t.toLowerCase()
    if (["true", "ja", "yes", "1"].includes(b)) return { ok: true, value: true }
    if (["false", "nej", "no", "0"].includes(b)) return { ok: true, value: false }
    return { ok: false, rule: "must be true or false (ja/nej)" }
  }
  if (type === "array" || type === "object") {
    const parsed = parseStrict(0, t)
    if (!parsed.ok) return { ok: false, rule: `must be JSON (${parsed.error.rule})` }
    return { ok: true, value: parsed.value }
  }
  return { ok: true, value: t }
}

/**
 * Reads a CSV file (comma or semicolon, BOM or not) as batches of import items: one command per
 * row, typed by the command's schema.
 *
 * @category constructors
 * @since 0.2.0
 */
export async function* csvRows(path: string, options: CsvOptions, onBytes?: (bytes: number) => void): AsyncGenerator<ReadonlyArray<Item>> {
  let parser: Csv.Parser | undefined
  let columns: ReadonlyArray<string> | undefined
  let lastLine = 0
  for await (const lines of readLines(path, onBytes)) {
    const items: Array<Item> = []
    for (const l of lines) {
      lastLine = l.line
      if ("error" in l) {
        items.push({ _tag: "Refused", error: { line: l.line, field: "(line)", value: l.value, rule: l.error } })
        continue
      }
      parser ??= Csv.makeParser(Csv.detectSeparator(l.text))
      const record = parser.push(l.text, l.line)
      if (record === undefined) continue
      if ("error" in record) {
        items.push({ _tag: "Refused", error: { line: record.line, field: "(csv)", value: "", rule: record.error } })
        continue
      }
      if (columns === undefined) {
        columns = record.fields.map((f) => f.trim())
        const seen = new Map<string, number>()
        columns.forEach((c, i) => {
          const before = seen.get(c)
          if (before !== undefined) {
            items.push({ _tag: "Refused", error: { line: record.line, field: c, value: excerpt(c), rule: `is a column twice (columns ${before + 1} and ${i + 1})` } })
          }
          seen.set(c, i)
        })
        continue
      }
      items.push(rowItem(record, columns, options))
    }
    yield items
  }
  const end = parser?.end()
  if (end !== undefined) yield [{ _tag: "Refused", error: { line: end.line, field: "(csv)", value: "", rule: end.error } }]
  if (columns === undefined) yield [{ _tag: "Refused", error: { line: Math.max(1, lastLine), field: "(csv)", value: "", rule: "the file has no header line" } }]
}

const rowItem = (record: Csv.CsvRecord, columns: ReadonlyArray<string>, options: CsvOptions): Item => {
  const line = record.line
  if (record.fields.length !== columns.length) {
    return {
      _tag: "Refused",
      error: { line, field: "(row)", value: String(record.fields.length), rule: `has ${record.fields.length} fields; the header has ${columns.length}` }
    }
  }
  const commandColumn = columns.indexOf("command")
  const tag = commandColumn === -1 ? options.command.tag : (record.fields[commandColumn] ?? "").trim() || options.command.tag
  const info = options.commands.get(tag)
  if (info === undefined) {
    return { _tag: "Refused", error: { line, field: "command", value: excerpt(tag), rule: "is not a command (see docs/reference/import-formats.md)" } }
  }
  const fields = new Map(info.fields.map((f) => [f.name, f]))
  const input: Record<string, unknown> = { _tag: tag }
  const actor: Record<string, string> = { ...(options.actor ?? {}) }
  if (options.tenant !== undefined) input["tenant"] = options.tenant
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i] as string
    const raw = record.fields[i] as string
    if (column === "command" || raw.trim() === "") continue
    const actorPart = ACTOR_COLUMNS[column]
    if (actorPart !== undefined) {
      actor[actorPart] = raw.trim()
      continue
    }
    if (column === "key") {
      input["idempotencyKey"] = raw.trim()
      continue
    }
    const path = column.split(".")
    const cell = typedCell(raw, path.length === 1 ? fields.get(column) : undefined, options.unit)
    if (!cell.ok) return { _tag: "Refused", error: { line, command: tag, field: column, value: excerpt(raw), rule: cell.rule } }
    setPath(input, path, cell.value)
  }
  if (actor["id"] !== undefined || actor["role"] !== undefined) input["actor"] = actor
  // A list nobody filled in is an empty list (priority codes, planned outputs…): a spreadsheet
  // has no way to write [] that people would think of.
  for (const f of info.fields) if (f.type === "array" && f.required && input[f.name] === undefined) input[f.name] = []
  return { _tag: "Command", line, input }
}
