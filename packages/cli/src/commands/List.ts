/**
 * `utblick list memberships|agreements|grants|trips`: the records behind a figure, one line each,
 * down to the ids of the events that made them — so a person can check any count by hand.
 *
 * @since 0.2.0
 */
import { EventStore, type Projection } from "@utblick/core"
import { Format as Fig, GrantFilter } from "@utblick/indicators"
import { Agreements, type EntityRows, type FundingPortfolio, Memberships, Trips } from "@utblick/projections"
import { Effect, Option, Stream } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import * as Analysis from "../Analysis.js"
import { Finding } from "../CliFailure.js"
import * as Entities from "../Entities.js"
import * as EventIdLists from "../EventIdLists.js"
import * as Extent from "../Extent.js"
import { emitLines } from "../Output.js"
import { root } from "../Root.js"
import * as Format from "../report/Format.js"
import { csvMark, separator } from "../report/Tabular.js"
import * as Store from "../Store.js"
import { optional, storeProblem } from "./Shared.js"

type Kind = "memberships" | "agreements" | "grants" | "trips"

interface Filters {
  readonly tenant: string | undefined
  readonly year: number | undefined
  readonly actor: string | undefined
  readonly instrument: string | undefined
  readonly sector: string | undefined
  readonly supportArea: string | undefined
  readonly municipality: string | undefined
}

// The entity an event belongs to, as the listings key their records.
const entityOf = (
  kind: Kind,
  tenant: string,
  payload: Readonly<Record<string, unknown>>,
  type: string
): string | undefined => {
  switch (kind) {
    case "memberships":
      return type.startsWith("Membership")
        ? `${tenant}|${String(payload["actorId"])}|${String(payload["organisationId"])}`
        : undefined
    case "agreements":
      return type.startsWith("Agreement") ? `${tenant}|${String(payload["agreementId"])}` : undefined
    case "grants":
      return typeof payload["applicationId"] === "string"
        ? `${tenant}|${payload["applicationId"]}`
        : undefined
    case "trips":
      return type.startsWith("Trip") ? `${tenant}|${String(payload["tripId"])}` : undefined
  }
}

// The table and CSV speak the reader's language; JSON keeps the English keys (a machine interface).
const swedish: Readonly<Record<string, string>> = {
  tenant: "huvudman",
  actor: "aktör",
  organisation: "organisation",
  kind: "typ",
  since: "sedan",
  status: "status",
  agreement: "avtal",
  signed: "undertecknat",
  title: "titel",
  application: "ansökan",
  instrument: "stödform",
  year: "år",
  amount: "belopp",
  sector: "bransch",
  area: "stödområde",
  municipality: "kommun",
  decision: "beslut",
  applicant: "sökande",
  trip: "resa",
  departs: "avresa",
  destination: "resmål",
  mode: "färdsätt",
  CO2e: "CO2e",
  events: "händelser",
  "first event id": "första händelse-id",
  event_ids: "händelse-id"
}
const columnLabel = (key: string, locale: Format.Locale): string =>
  locale === "sv" ? (swedish[key] ?? key) : key
const kindWords: Readonly<Record<Kind, string>> = {
  memberships: "medlemskap",
  agreements: "avtal",
  grants: "beviljade stöd",
  trips: "resor"
}

// One listed entity, made from its record alone (the record is dropped after): the key its
// events are gathered under, what its kind sorts by, and its cells. A plain object with no
// closure: a listing of a large log holds one per line until it is written.
interface Entry<S> {
  readonly key: string
  readonly sort: S
  readonly cells: ReadonlyArray<string>
}

// What each kind lists: the read model, the columns, the entry of a record the filters keep, its
// cells completed once the parts read whole are known (a membership names its organisation), and
// the order after the read model's own (that of the projection's query, declared there).
interface Lister<S> {
  readonly model: EntityRows.Model
  readonly header: ReadonlyArray<string>
  readonly entry: (
    record: unknown,
    f: Filters,
    locale: Format.Locale,
    words: Format.Locale
  ) => Entry<S> | undefined
  readonly complete?: (cells: ReadonlyArray<string>, whole: EntityRows.Whole) => ReadonlyArray<string>
  readonly compare?: (a: S, b: S) => number
}

// A kind's lister with its sort fields' type forgotten: each compares only entries it made.
const lister = <S>(l: Lister<S>): Lister<unknown> => l as unknown as Lister<unknown>

const listers: { readonly [K in Kind]: Lister<unknown> } = {
  memberships: lister<Pick<Memberships.MembershipRecord, "since" | "organisationId">>({
    model: "memberships.memberships",
    header: ["tenant", "actor", "organisation", "kind", "since", "status"],
    compare: Memberships.bySince,
    entry: (record, f, _locale, words) => {
      const m = record as Memberships.MembershipRecord
      if (f.actor !== undefined && m.actorId !== f.actor) return undefined
      const { tenant, actorId, organisationId, kind } = m
      const since =
        m.sincePrecision === "date"
          ? m.since
          : m.sincePrecision === "year"
            ? m.since.slice(0, 4)
            : words === "sv"
              ? `≤ ${m.since} (inträdesdatum okänt)`
              : `≤ ${m.since} (join date unknown)`
      const status = m.active
        ? words === "sv"
          ? "aktivt"
          : "active"
        : `${words === "sv" ? "avslutat" : "ended"} ${m.endedOn ?? ""}`.trim()
      return {
        key: `${tenant}|${actorId}|${organisationId}`,
        sort: { since: m.since, organisationId },
        // The organisation's id until its name is known.
        cells: [tenant, actorId, organisationId, kind, since, status]
      }
    },
    complete: (cells, whole) =>
      cells.map((cell, i) => (i === 2 ? Memberships.organisationName(whole.organisations, cell) : cell))
  }),
  agreements: lister<Pick<Agreements.AgreementRecord, "title">>({
    model: "agreements.agreements",
    header: ["tenant", "agreement", "kind", "status", "signed", "title"],
    compare: Agreements.byTitle,
    entry: (record, _f, _locale, words) => {
      const a = record as Agreements.AgreementRecord
      const cells = [
        a.tenant,
        a.agreementId,
        a.kind,
        a.status,
        a.signedOn ?? (a.signedYear === null ? (words === "sv" ? "okänt" : "unknown") : String(a.signedYear)),
        a.title
      ]
      return { key: `${a.tenant}|${a.agreementId}`, sort: { title: a.title }, cells }
    }
  }),
  grants: lister<undefined>({
    model: "portfolio.applications",
    header: [
      "tenant",
      "application",
      "instrument",
      "year",
      "amount",
      "sector",
      "area",
      "municipality",
      "decision",
      "applicant"
    ],
    // The portfolio's order (received first).
    entry: (record, f, locale) => {
      const a = record as FundingPortfolio.ApplicationRecord
      const granted = a.grant
      if (granted === null || (f.year !== undefined && granted.year !== f.year) || !GrantFilter.matches(f, a))
        return undefined
      const cells = [
        a.tenant,
        a.applicationId,
        a.instrument,
        String(granted.year),
        Fig.value("ore", granted.amount, locale),
        granted.sector ?? "–",
        granted.supportArea ?? "–",
        a.applicantMunicipality ?? "–",
        granted.decisionRef ?? "–",
        a.applicantName
      ]
      return { key: `${a.tenant}|${a.applicationId}`, sort: undefined, cells }
    }
  }),
  trips: lister<Pick<Trips.TripRecord, "departOn" | "tripId">>({
    model: "trips.trips",
    header: ["tenant", "trip", "departs", "destination", "decision", "status", "mode", "CO2e"],
    compare: Trips.byDeparture,
    entry: (record, f, locale) => {
      const x = record as Trips.TripRecord
      if (
        (f.year !== undefined && x.year !== f.year) ||
        (f.actor !== undefined && x.organiserActorId !== f.actor)
      )
        return undefined
      const cells = [
        x.tenant,
        x.tripId,
        x.departOn,
        x.destination,
        x.decision ?? "–",
        x.status,
        x.mode ?? "–",
        Fig.value("kg-co2e", x.co2eKg, locale)
      ]
      return {
        key: `${x.tenant}|${x.tripId}`,
        sort: { departOn: x.departOn, tripId: x.tripId },
        cells
      }
    }
  })
}

// The entities a kind lists under a time filter (the tenant, the end of `--year`), each made into
// its entry as it is read, so a listing holds its cells, not the records: from the rows kept for
// the filter (ADR 0050), sorted by their order in the state and then as the projection's query
// sorts, or from the read-model state where the store keeps none. With the values the grant
// filters take among all the applications read (for grants), to name them when nothing matches.
const entriesOf = (
  kind: Kind,
  filter: Projection.TimeFilter,
  f: Filters,
  locale: Format.Locale,
  words: Format.Locale
) =>
  Effect.gen(function* () {
    const lister = listers[kind]
    let read: Array<Entry<unknown> & { readonly order: number }> = []
    let distinct = new Map<string, FundingPortfolio.ApplicationRecord>()
    const whole = yield* Entities.each(filter, lister.model, () => {
      read = []
      distinct = new Map()
      return (row, order) => {
        if (kind === "grants") {
          const a = row.record as FundingPortfolio.ApplicationRecord
          const k = GrantFilter.comparedKey(a)
          if (!distinct.has(k)) distinct.set(k, a)
        }
        const entry = lister.entry(row.record, f, locale, words)
        // Named fields, not a spread: a spread object keeps its fields in a second array (8 MB for
        // 200,000 entries).
        if (entry !== undefined) read.push({ key: entry.key, sort: entry.sort, cells: entry.cells, order })
      }
    })
    read.sort((a, b) => a.order - b.order)
    const compare = lister.compare
    if (compare !== undefined) read.sort((a, b) => compare(a.sort, b.sort))
    const complete = lister.complete
    return {
      header: lister.header,
      entries: read,
      cells:
        complete === undefined
          ? (e: Entry<unknown>) => e.cells
          : (e: Entry<unknown>) => complete(e.cells, whole),
      existing: GrantFilter.existingAmong(distinct.values())
    }
  })

/**
 * `utblick list KIND`.
 *
 * @category getters
 * @since 0.2.0
 */
export const list = Command.make(
  "list",
  {
    kind: Argument.Literals("kind", ["memberships", "agreements", "grants", "trips"]).pipe(
      Argument.withDescription("What to list")
    ),
    tenant: Flag.String("tenant").pipe(Flag.withDescription("Only this tenant"), Flag.optional),
    year: Flag.Int("year").pipe(
      Flag.withDescription("State at this year's end; grants charged to it, trips departing in it"),
      Flag.optional
    ),
    actor: Flag.String("actor").pipe(
      Flag.withDescription("Memberships held by / trips organised by this actor"),
      Flag.optional
    ),
    instrument: Flag.String("instrument").pipe(
      Flag.withDescription(
        "Grants of this instrument (project-support, business-support, commercial-service)"
      ),
      Flag.optional
    ),
    sector: Flag.String("sector").pipe(
      Flag.withDescription("Business-support grants in this sector"),
      Flag.optional
    ),
    supportArea: Flag.String("support-area").pipe(
      Flag.withDescription("Business-support grants in this support area (A, B, none)"),
      Flag.optional
    ),
    municipality: Flag.String("municipality").pipe(
      Flag.withDescription("Grants whose applicant is in this municipality (the project's municipality)"),
      Flag.optional
    ),
    format: Flag.Literals("format", ["table", "json", "csv"]).pipe(Flag.withDefault("table")),
    locale: Flag.Literals("locale", ["sv", "en"]).pipe(Flag.withDefault("sv")),
    out: Flag.String("out").pipe(Flag.withDescription("Write to FILE instead of stdout"), Flag.optional)
  },
  (flags) =>
    Effect.gen(function* () {
      const { store: where } = yield* root
      const f: Filters = {
        tenant: optional(flags.tenant),
        year: Option.getOrUndefined(flags.year),
        actor: optional(flags.actor),
        instrument: optional(flags.instrument),
        sector: optional(flags.sector),
        supportArea: optional(flags.supportArea),
        municipality: optional(flags.municipality)
      }
      const kind = flags.kind as Kind
      const result = yield* Effect.gen(function* () {
        const extent = yield* Extent.extent.pipe(Effect.mapError(storeProblem))
        yield* Extent.checkScope(
          extent,
          f.tenant,
          f.year === undefined ? [] : [f.year],
          yield* Analysis.currentYear
        )
        const asOf = f.year === undefined ? undefined : `${f.year}-12-31`
        const filter = {
          ...(f.tenant === undefined ? {} : { tenant: f.tenant }),
          ...(asOf === undefined ? {} : { asOf })
        }
        const listed = yield* entriesOf(
          kind,
          filter,
          f,
          flags.locale,
          flags.format === "json" ? "en" : flags.locale
        ).pipe(Effect.mapError(storeProblem))
        // Event ids only of the entities listed.
        // A table prints how many and the first; CSV and JSON every id.
        const ids = EventIdLists.make(
          listed.entries.map((e) => e.key),
          flags.format !== "table"
        )
        const store = yield* EventStore.EventStore
        // Only the tenant's events up to the date need leave the store (a hint: the check stays).
        yield* Stream.runForEach(store.readAll({ only: filter }), (e) =>
          Effect.sync(() => {
            if (
              (f.tenant !== undefined && e.tenant !== f.tenant) ||
              (asOf !== undefined && e.occurredAt > asOf)
            )
              return
            const key = entityOf(kind, e.tenant, e.payload as Readonly<Record<string, unknown>>, e.type)
            if (key !== undefined) ids.add(key, e.eventId)
          })
        ).pipe(Effect.mapError(storeProblem))
        return { ...listed, ids }
      }).pipe(Store.withStore(where, { mustExist: true }))
      if (result.entries.length === 0) {
        const given = Object.entries(f)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${v}`)
        // For grants, name the values each given filter takes among the applications.
        const exist = result.existing
        const named: ReadonlyArray<readonly [string, ReadonlyArray<string>]> =
          kind === "grants"
            ? [
                ["--instrument", f.instrument === undefined ? [] : exist.instrument],
                ["--sector", f.sector === undefined ? [] : exist.sector],
                ["--support-area", f.supportArea === undefined ? [] : exist.supportArea],
                ["--municipality", f.municipality === undefined ? [] : exist.municipality]
              ]
            : []
        return yield* new Finding({
          problem: `no ${kind} match${given.length === 0 ? "" : ` ${given.join(" ")}`}`,
          details: named
            .filter(([, values]) => values.length > 0)
            .map(([flag, values]) => `  ${flag}: ${values.join(", ")}`),
          hint: `drop a filter, or list without filters to see what exists (utblick list ${kind}${f.tenant === undefined ? "" : ` --tenant ${f.tenant}`})`
        })
      }
      const { entries, cells, ids } = result
      // Each line is made as it is written (ADR 0050, point 7), from the entity's cells and ids.
      const rows = function* () {
        for (const e of entries) yield { key: e.key, cells: cells(e) }
      }
      const label = (h: string) => columnLabel(h, flags.locale)
      switch (flags.format) {
        case "table": {
          const header = [...result.header, "events", "first event id"].map(label)
          const tableRows = function* () {
            for (const r of rows()) yield [...r.cells, String(ids.count(r.key)), ids.first(r.key) ?? "–"]
          }
          const widths = Format.tableWidths(header, tableRows())
          const lines = function* () {
            yield Format.tableLine(widths, header)
            yield Format.tableRule(widths)
            for (const r of tableRows()) yield Format.tableLine(widths, r)
            yield ""
            yield `${entries.length} ${flags.locale === "sv" ? kindWords[kind] : kind}`
          }
          return yield* emitLines(lines(), flags.out, "the list")
        }
        case "csv": {
          const sep = separator(flags.locale)
          const q = (s: string) => (s.includes(sep) || /["\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)
          const lines = function* () {
            yield `${csvMark(flags.locale)}${[...result.header, "event_ids"].map((h) => q(label(h))).join(sep)}`
            for (const r of rows()) yield [...r.cells, ids.joined(r.key)].map(q).join(sep)
          }
          return yield* emitLines(lines(), flags.out, "the CSV list")
        }
        case "json": {
          // As `JSON.stringify(array, null, 2)` writes it, one element at a time.
          const lines = function* () {
            yield "["
            let previous: string | undefined
            for (const r of rows()) {
              const element = JSON.stringify(
                {
                  ...Object.fromEntries(result.header.map((h, i) => [h, r.cells[i]])),
                  eventIds: ids.every(r.key)
                },
                null,
                2
              ).replace(/\n/g, "\n  ")
              if (previous !== undefined) yield `  ${previous},`
              previous = element
            }
            if (previous !== undefined) yield `  ${previous}`
            yield "]"
          }
          return yield* emitLines(lines(), flags.out, "the JSON list")
        }
      }
    })
).pipe(
  Command.withDescription(
    "The records behind a figure — memberships, agreements, grants or trips — with the ids of their events"
  ),
  Command.withExamples([
    {
      command: "utblick list memberships --tenant lulea-kommun --actor lulea-kommun --year 2024",
      description: "The municipality's own memberships at the end of 2024"
    },
    {
      command:
        "utblick list grants --tenant region-norrbotten --year 2022 --instrument business-support --sector tourism",
      description: "Tourism business support charged to 2022"
    },
    { command: "utblick trail <event id>", description: "Then follow one record's decision trail" }
  ])
)
