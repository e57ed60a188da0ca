/**
 * `utblick list memberships|agreements|grants|trips`: the records behind a figure, one line each,
 * down to the ids of the events that made them — so a person can check any count by hand.
 *
 * @since 0.2.0
 */
import { EventStore, type Projection, ProjectionCheckpoints } from "@utblick/core"
import { Format as Fig, GrantFilter, RowFigures } from "@utblick/indicators"
import {
  Agreements,
  EntityRows,
  FundingPortfolio,
  Memberships,
  ReadModels,
  Trips
} from "@utblick/projections"
import { Effect, Option, Stream } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import * as Analysis from "../Analysis.js"
import { Finding } from "../CliFailure.js"
import * as Extent from "../Extent.js"
import { emit } from "../Output.js"
import { root } from "../Root.js"
import * as Format from "../report/Format.js"
import { csvDocument, separator } from "../report/Tabular.js"
import * as Store from "../Store.js"
import { optional, storeProblem } from "./Shared.js"

type Kind = "memberships" | "agreements" | "grants" | "trips"

interface Listing {
  readonly header: ReadonlyArray<string>
  readonly rows: ReadonlyArray<{
    readonly cells: ReadonlyArray<string>
    readonly eventIds: ReadonlyArray<string>
  }>
}

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

// The read model each kind lists.
const modelOf: Readonly<Record<Kind, EntityRows.Model>> = {
  memberships: "memberships.memberships",
  agreements: "agreements.agreements",
  grants: "portfolio.applications",
  trips: "trips.trips"
}

// A state holding the listed model's entities in full (the other models' maps left empty, the
// parts read whole as they are): from the rows kept for the filter (ADR 0050), put back in the
// order the model's map lists them, or the whole read-model state where the store keeps none.
const stateOf = (model: EntityRows.Model, filter: Projection.TimeFilter) =>
  Effect.gen(function* () {
    const rows: Array<readonly [EntityRows.Row, number]> = []
    const whole = yield* RowFigures.forEachRow(
      yield* EventStore.EventStore,
      yield* ProjectionCheckpoints.ProjectionCheckpoints,
      filter,
      model,
      (row, order) => rows.push([row, order])
    )
    if (whole === undefined) return (yield* ReadModels.run(filter)).state
    rows.sort(([, a], [, b]) => a - b)
    return EntityRows.assemble(
      whole,
      rows.map(([row]) => row)
    )
  })

const listing = (
  kind: Kind,
  models: ReadModels.ReadModelsState,
  f: Filters,
  locale: Format.Locale,
  ids: ReadonlyMap<string, ReadonlyArray<string>>,
  // The language of the few words in cells; JSON keeps them English, whatever the number format.
  words: Format.Locale = locale
): Listing => {
  const t = f.tenant === undefined ? {} : { tenant: f.tenant }
  const idsOf = (key: string) => ids.get(key) ?? []
  switch (kind) {
    case "memberships": {
      const all = Memberships.all(models.memberships, {
        ...t,
        ...(f.actor === undefined ? {} : { actorId: f.actor })
      })
      return {
        header: ["tenant", "actor", "organisation", "kind", "since", "status"],
        rows: all.map((m) => ({
          cells: [
            m.tenant,
            m.actorId,
            m.organisationName,
            m.kind,
            m.sincePrecision === "date"
              ? m.since
              : m.sincePrecision === "year"
                ? m.since.slice(0, 4)
                : words === "sv"
                  ? `≤ ${m.since} (inträdesdatum okänt)`
                  : `≤ ${m.since} (join date unknown)`,
            m.active
              ? words === "sv"
                ? "aktivt"
                : "active"
              : `${words === "sv" ? "avslutat" : "ended"} ${m.endedOn ?? ""}`.trim()
          ],
          eventIds: idsOf(`${m.tenant}|${m.actorId}|${m.organisationId}`)
        }))
      }
    }
    case "agreements": {
      const all = Agreements.all(models.agreements, t)
      return {
        header: ["tenant", "agreement", "kind", "status", "signed", "title"],
        rows: all.map((a) => ({
          cells: [
            a.tenant,
            a.agreementId,
            a.kind,
            a.status,
            a.signedOn ??
              (a.signedYear === null ? (words === "sv" ? "okänt" : "unknown") : String(a.signedYear)),
            a.title
          ],
          eventIds: idsOf(`${a.tenant}|${a.agreementId}`)
        }))
      }
    }
    case "grants": {
      const all = FundingPortfolio.applications(models.portfolio, {
        ...t,
        ...(f.year === undefined ? {} : { grantYear: f.year }),
        ...(f.instrument === undefined ? {} : { instrument: f.instrument as FundingPortfolio.Instrument })
      }).filter(
        (a) =>
          a.grant !== null &&
          (f.sector === undefined || a.grant.sector === f.sector) &&
          (f.supportArea === undefined || a.grant.supportArea === f.supportArea) &&
          (f.municipality === undefined ||
            a.applicantMunicipality?.toLowerCase() === f.municipality.toLowerCase())
      )
      return {
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
        rows: all.map((a) => ({
          cells: [
            a.tenant,
            a.applicationId,
            a.instrument,
            String(a.grant?.year ?? ""),
            Fig.value("ore", a.grant?.amount ?? null, locale),
            a.grant?.sector ?? "–",
            a.grant?.supportArea ?? "–",
            a.applicantMunicipality ?? "–",
            a.grant?.decisionRef ?? "–",
            a.applicantName
          ],
          eventIds: idsOf(`${a.tenant}|${a.applicationId}`)
        }))
      }
    }
    case "trips": {
      const all = Trips.all(models.trips, { ...t, ...(f.year === undefined ? {} : { year: f.year }) }).filter(
        (x) => f.actor === undefined || x.organiserActorId === f.actor
      )
      return {
        header: ["tenant", "trip", "departs", "destination", "decision", "status", "mode", "CO2e"],
        rows: all.map((x) => ({
          cells: [
            x.tenant,
            x.tripId,
            x.departOn,
            x.destination,
            x.decision ?? "–",
            x.status,
            x.mode ?? "–",
            Fig.value("kg-co2e", x.co2eKg, locale)
          ],
          eventIds: idsOf(`${x.tenant}|${x.tripId}`)
        }))
      }
    }
  }
}

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
        const state = yield* stateOf(modelOf[kind], filter).pipe(Effect.mapError(storeProblem))
        const ids = new Map<string, Array<string>>()
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
            if (key === undefined) return
            const list = ids.get(key) ?? []
            list.push(e.eventId)
            ids.set(key, list)
          })
        ).pipe(Effect.mapError(storeProblem))
        return {
          ...listing(kind, state, f, flags.locale, ids, flags.format === "json" ? "en" : flags.locale),
          existing: GrantFilter.existing(state.portfolio, f.tenant)
        }
      }).pipe(Store.withStore(where, { mustExist: true }))
      if (result.rows.length === 0) {
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
      const header = [...result.header, "events", "first event id"].map((h) => columnLabel(h, flags.locale))
      const rows = result.rows.map((r) => [...r.cells, String(r.eventIds.length), r.eventIds[0] ?? "–"])
      switch (flags.format) {
        case "table":
          return yield* emit(
            [
              ...Format.table(header, rows),
              "",
              `${rows.length} ${flags.locale === "sv" ? kindWords[kind] : kind}`
            ].join("\n"),
            flags.out,
            "the list"
          )
        case "csv": {
          const sep = separator(flags.locale)
          const q = (s: string) => (s.includes(sep) || /["\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)
          const lines = [
            [...result.header, "event_ids"].map((h) => q(columnLabel(h, flags.locale))).join(sep),
            ...result.rows.map((r) => [...r.cells, r.eventIds.join(" ")].map(q).join(sep))
          ]
          return yield* emit(csvDocument(lines, flags.locale), flags.out, "the CSV list")
        }
        case "json":
          return yield* emit(
            `${JSON.stringify(
              result.rows.map((r) => ({
                ...Object.fromEntries(result.header.map((h, i) => [h, r.cells[i]])),
                eventIds: r.eventIds
              })),
              null,
              2
            )}\n`,
            flags.out,
            "the JSON list"
          )
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
