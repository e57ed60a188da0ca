/**
 * Reading an import file and validating every row before anything is written. Three inputs:
 * JSON Lines of envelope-less events (`type`, `payload`, `occurredAt`, `tenant`, `actor`,
 * `decisionRef`), the audit export format (each line `{"event":…,"hash":…,"prevHash":…}`), and
 * CSV for the tabular cases (grants, memberships, trips). Any bad row refuses the whole file.
 *
 * @since 0.1.0
 */
import { type EventStore, Events } from "@utblick/core"
import { Result, Schema, SchemaIssue } from "effect"
import * as Csv from "./Csv.js"

/**
 * One validation error: where, which field, the value, the rule.
 *
 * @category models
 * @since 0.1.0
 */
export interface RowError {
  readonly line: number
  readonly field: string
  readonly value: string
  readonly rule: string
}

/**
 * Formats a row error as `line 4: field payload.amount = -5: Expected …`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const formatError = (e: RowError): string => `line ${e.line}: ${e.field} = ${e.value}: ${e.rule}`

/**
 * A validated event, ready to append.
 *
 * @category models
 * @since 0.1.0
 */
export interface ValidRow {
  readonly line: number
  readonly streamId: string
  readonly event: EventStore.StreamWrite["events"][number]
}

/**
 * The CSV kinds: the event type each row becomes unless a `type` column says otherwise.
 *
 * @category models
 * @since 0.1.0
 */
export const csvKinds = {
  grants: "ProjectGranted",
  memberships: "MembershipSigned",
  trips: "TripProposed"
} as const

/**
 * @category models
 * @since 0.1.0
 */
export type CsvKind = keyof typeof csvKinds

const DATE = /^\d{4}-\d{2}-\d{2}$/
const TENANT = /^[a-z0-9][a-z0-9-]{0,62}$/
const STREAM = /^[a-z0-9][a-z0-9._:-]{0,199}$/

const show = (v: unknown): string => {
  const s = v === undefined ? "(missing)" : JSON.stringify(v)
  return s.length > 60 ? `${s.slice(0, 57)}…` : s
}

const formatter = SchemaIssue.makeFormatterStandardSchemaV1()
const decoders = new Map<string, (u: unknown) => Result.Result<unknown, Schema.SchemaError>>()
const decoderFor = (type: string) => {
  let d = decoders.get(type)
  if (d === undefined) {
    const def = Events.eventCatalog.definitions.get(type)
    if (def === undefined) return undefined
    d = Schema.decodeUnknownResult(def.schema as Schema.Codec<unknown>, { errors: "all", onExcessProperty: "error" })
    decoders.set(type, d)
  }
  return d
}

const at = (obj: unknown, path: ReadonlyArray<PropertyKey>): unknown => {
  let cur = obj
  for (const k of path) {
    if (cur === null || typeof cur !== "object") return undefined
    cur = (cur as Record<PropertyKey, unknown>)[k]
  }
  return cur
}

/**
 * Validates one envelope-less event object; returns the row or its errors.
 *
 * @category constructors
 * @since 0.1.0
 */
export const validateEvent = (line: number, input: unknown): ValidRow | ReadonlyArray<RowError> => {
  const errors: Array<RowError> = []
  const err = (field: string, value: unknown, rule: string) => errors.push({ line, field, value: show(value), rule })
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    return [{ line, field: "(line)", value: show(input), rule: "each line must be a JSON object" }]
  }
  const o = input as Record<string, unknown>
  const type = o["type"]
  const payload = o["payload"]
  if (typeof type !== "string" || !Events.eventCatalog.has(type)) {
    err("type", type, `must be one of the event types (${[...Events.eventCatalog.definitions.keys()].slice(0, 4).join(", ")}, …)`)
  }
  if (typeof o["occurredAt"] !== "string" || !DATE.test(o["occurredAt"]) || Number.isNaN(Date.parse(o["occurredAt"]))) {
    err("occurredAt", o["occurredAt"], "must be a calendar date YYYY-MM-DD")
  }
  if (typeof o["tenant"] !== "string" || !TENANT.test(o["tenant"])) {
    err("tenant", o["tenant"], "must be lower-case letters, digits and '-' (e.g. lulea-kommun)")
  }
  const actor = o["actor"] as Record<string, unknown> | undefined
  if (actor === null || typeof actor !== "object" || typeof actor["id"] !== "string" || actor["id"] === "") {
    err("actor.id", actor?.["id"], "must be a non-empty string")
  }
  if (actor !== null && typeof actor === "object" && (typeof actor["role"] !== "string" || actor["role"] === "")) {
    err("actor.role", actor["role"], "must be a non-empty string (e.g. regional-development-board)")
  }
  const decisionRef = o["decisionRef"]
  if (decisionRef !== undefined && decisionRef !== null && (typeof decisionRef !== "string" || decisionRef === "")) {
    err("decisionRef", decisionRef, "must be a case number string or null")
  }
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) {
    err("payload", payload, "must be a JSON object")
  }
  let streamId = typeof o["streamId"] === "string" ? o["streamId"] : undefined
  if (errors.length === 0 && typeof type === "string") {
    const decoded = (decoderFor(type) as (u: unknown) => Result.Result<unknown, Schema.SchemaError>)({
      ...(payload as object),
      _tag: type
    })
    if (Result.isFailure(decoded)) {
      for (const issue of formatter(decoded.failure.issue).issues) {
        const path = (issue.path ?? []).map((p) => (typeof p === "object" && p !== null ? (p as { key: PropertyKey }).key : p))
        err(["payload", ...path.map(String)].join("."), at(payload, path as ReadonlyArray<PropertyKey>), issue.message)
      }
    } else {
      streamId ??= Events.streamIdOf(decoded.success as Events.Event) ?? `registry-${String(o["tenant"])}`
    }
  }
  if (streamId !== undefined && !STREAM.test(streamId)) err("streamId", streamId, "must match [a-z0-9][a-z0-9._:-]*")
  if (errors.length > 0 || streamId === undefined) return errors
  return {
    line,
    streamId,
    event: {
      ...(typeof o["eventId"] === "string" ? { eventId: o["eventId"] } : {}),
      type: type as string,
      schemaVersion: Events.eventCatalog.definitions.get(type as string)?.version ?? 1,
      occurredAt: o["occurredAt"] as string,
      tenant: o["tenant"] as string,
      actor: { id: String(actor?.["id"]), role: String(actor?.["role"]) },
      decisionRef: (decisionRef as string | null | undefined) ?? null,
      ...(typeof o["correlationId"] === "string" ? { correlationId: o["correlationId"] } : {}),
      ...(typeof o["causationId"] === "string" ? { causationId: o["causationId"] } : {}),
      payload: payload as EventStore.StreamWrite["events"][number]["payload"]
    }
  }
}

/**
 * Parses and validates a JSON Lines file (events, or export lines).
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromJsonLines = (text: string): { readonly rows: ReadonlyArray<ValidRow>; readonly errors: ReadonlyArray<RowError> } => {
  const rows: Array<ValidRow> = []
  const errors: Array<RowError> = []
  const lines = text.replace(/^\uFEFF/, "").split("\n")
  let exportSeen = false
  lines.forEach((raw, i) => {
    const line = i + 1
    const text = raw.trimEnd()
    if (text.trim() === "") return
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch (e) {
      errors.push({ line, field: "(line)", value: show(text), rule: `not JSON: ${(e as Error).message}` })
      return
    }
    // An audit export line is a restore, not an import: re-appending would re-stamp recordedAt
    // and take a new origin, so old checkpoints would no longer verify (issue 11).
    if (parsed !== null && typeof parsed === "object" && "event" in parsed && "hash" in parsed) {
      if (exportSeen) return
      exportSeen = true
      errors.push({
        line,
        field: "(line)",
        value: show(text),
        rule: "this is an audit export line; restore the export with `utblick restore FILE` into an empty store, which keeps its origin, positions, recordedAt and hashes"
      })
      return
    }
    const result = validateEvent(line, parsed)
    if (Array.isArray(result)) errors.push(...result)
    else rows.push(result as ValidRow)
  })
  return { rows, errors }
}

const cell = (raw: string): unknown => {
  const t = raw.trim()
  if (t === "") return undefined
  if (/^[[{]/.test(t) || /^-?\d+(\.\d+)?$/.test(t) || t === "true" || t === "false") {
    try {
      return JSON.parse(t)
    } catch {
      return t
    }
  }
  return t
}

const ENVELOPE_COLUMNS = new Set(["type", "occurredAt", "tenant", "actor", "actorRole", "decisionRef", "streamId", "eventId"])

/**
 * Parses and validates a CSV file of one kind. Envelope columns: `occurredAt`, `tenant`, `actor`,
 * `actorRole`, `decisionRef`, optional `type` and `streamId`; every other column is a payload
 * field (JSON for arrays and objects, numbers as numbers, an empty cell leaves the field out).
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromCsv = (
  text: string,
  kind: CsvKind,
  defaults: { readonly tenant?: string; readonly actor?: { readonly id: string; readonly role: string } } = {}
): { readonly rows: ReadonlyArray<ValidRow>; readonly errors: ReadonlyArray<RowError> } => {
  const parsed = Csv.parse(text)
  if (!Array.isArray(parsed)) {
    const e = parsed as { readonly line: number; readonly error: string }
    return { rows: [], errors: [{ line: e.line, field: "(csv)", value: "", rule: e.error }] }
  }
  const records = parsed as ReadonlyArray<Csv.CsvRecord>
  const [header, ...body] = records
  if (header === undefined) return { rows: [], errors: [{ line: 1, field: "(csv)", value: "", rule: "the file is empty" }] }
  const columns = header.fields.map((f) => f.trim())
  const rows: Array<ValidRow> = []
  const errors: Array<RowError> = []
  for (const record of body) {
    if (record.fields.length !== columns.length) {
      errors.push({
        line: record.line,
        field: "(row)",
        value: String(record.fields.length),
        rule: `has ${record.fields.length} fields; the header has ${columns.length}`
      })
      continue
    }
    const get = (name: string) => {
      const i = columns.indexOf(name)
      const v = i === -1 ? undefined : record.fields[i]?.trim()
      return v === "" ? undefined : v
    }
    const payload: Record<string, unknown> = {}
    columns.forEach((c, i) => {
      if (ENVELOPE_COLUMNS.has(c)) return
      const v = cell(record.fields[i] ?? "")
      if (v !== undefined) payload[c] = v
    })
    const actorId = get("actor") ?? defaults.actor?.id
    const actorRole = get("actorRole") ?? defaults.actor?.role
    const event = {
      type: get("type") ?? csvKinds[kind],
      occurredAt: get("occurredAt"),
      tenant: get("tenant") ?? defaults.tenant,
      actor: { id: actorId, role: actorRole },
      decisionRef: get("decisionRef") ?? null,
      ...(get("streamId") === undefined ? {} : { streamId: get("streamId") }),
      ...(get("eventId") === undefined ? {} : { eventId: get("eventId") }),
      payload
    }
    const result = validateEvent(record.line, event)
    if (Array.isArray(result)) errors.push(...result)
    else rows.push(result as ValidRow)
  }
  return { rows, errors }
}

/**
 * Groups validated rows into stream writes, in file order within each stream.
 *
 * @category constructors
 * @since 0.1.0
 */
export const toWrites = (rows: ReadonlyArray<ValidRow>): ReadonlyArray<EventStore.StreamWrite> => {
  const byStream = new Map<string, Array<ValidRow["event"]>>()
  for (const r of rows) {
    const list = byStream.get(r.streamId) ?? []
    list.push(r.event)
    byStream.set(r.streamId, list)
  }
  return [...byStream].map(([streamId, events]) => ({ streamId, events }))
}
