/**
 * `report` and `compare`: indicator tables on the terminal; JSON, CSV and HTML with provenance.
 *
 * @since 0.1.0
 */
import { Console, Effect, Option } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import type { GrantFilter } from "@utblick/indicators"
import * as Analysis from "../Analysis.js"
import * as Extent from "../Extent.js"
import { UsageFailure } from "../CliFailure.js"
import { emit, emitBytes } from "../Output.js"
import * as Progress from "../Progress.js"
import { root } from "../Root.js"
import * as Html from "../report/Html.js"
import * as Tabular from "../report/Tabular.js"
import * as Text from "../report/Text.js"
import * as TrendReport from "../report/Trend.js"
import * as Xlsx from "../report/Xlsx.js"
import * as Store from "../Store.js"
import { asOfDate, knownAt, knownAtInstant, optional, storeProblem, yearOf } from "./Shared.js"

const format = Flag.Literals("format", ["table", "json", "csv", "html", "xlsx"]).pipe(
  Flag.withDescription(
    "table (terminal), json, csv, html (one self-contained file with charts) or xlsx (Excel: a sheet per indicator and the manifest)"
  ),
  Flag.withDefault("table")
)
const tenant = Flag.String("tenant").pipe(
  Flag.withDescription(
    "Only this tenant, e.g. region-norrbotten; in report also several side by side (a,b,c) or all"
  ),
  Flag.optional
)
const actor = Flag.String("actor").pipe(
  Flag.withDescription("Count only this actor's memberships, e.g. lulea-kommun (not its companies)"),
  Flag.optional
)
const locale = Flag.Literals("locale", ["sv", "en"]).pipe(
  Flag.withDescription(
    "sv (default: decimal comma, no-break spaces, kr; CSV with ; and a BOM for Excel) or en"
  ),
  Flag.withDefault("sv")
)
const out = Flag.String("out").pipe(Flag.withDescription("Write to FILE instead of stdout"), Flag.optional)

const instrument = Flag.Literals("instrument", [
  "project-support",
  "business-support",
  "commercial-service"
]).pipe(
  Flag.withDescription("Only grants of this instrument (and only the indicators computed from grants)"),
  Flag.optional
)
const sector = Flag.String("sector").pipe(
  Flag.withDescription("Only business support to this sector, e.g. tourism"),
  Flag.optional
)
const supportArea = Flag.String("support-area").pipe(
  Flag.withDescription("Only business support in this support area (A, B, none)"),
  Flag.optional
)
const municipality = Flag.String("municipality").pipe(
  Flag.withDescription("Only grants whose applicant is in this municipality (the project's municipality)"),
  Flag.optional
)

// The flags every analysis command (report, compare, trend) shares: whose figures, which grants,
// which clock, and how they are written.
const analysisFlags = {
  tenant,
  actor,
  instrument,
  sector,
  supportArea,
  municipality,
  knownAt,
  format,
  locale,
  out
}

const grantsOf = (flags: {
  readonly instrument: Option.Option<string>
  readonly sector: Option.Option<string>
  readonly supportArea: Option.Option<string>
  readonly municipality: Option.Option<string>
}): GrantFilter.GrantFilter => ({
  instrument: optional(flags.instrument),
  sector: optional(flags.sector),
  supportArea: optional(flags.supportArea),
  municipality: optional(flags.municipality)
})

// The table's heading line, then the filter it was narrowed by (when there is one).
const withFilterLine = (lines: ReadonlyArray<string>, query: Analysis.Query, locale: "sv" | "en") => {
  const f = Analysis.describeFilter(query.grants)
  return f === ""
    ? lines
    : [lines[0] ?? "", `${locale === "sv" ? "Urval" : "Filter"}: ${f}`, ...lines.slice(1)]
}

// HTML and Excel go to a file (named after the question unless --out says otherwise).
const defaultHtmlOut = (name: string, fmt: string, o: Option.Option<string>): Option.Option<string> =>
  (fmt === "html" || fmt === "xlsx") && Option.isNone(o)
    ? Option.some(fmt === "xlsx" ? name.replace(/\.html$/, ".xlsx") : name)
    : o

const fileOf = (o: Option.Option<string>): string => Option.getOrElse(o, () => "utblick.xlsx")

// One result, rendered in the chosen format: every report command writes the same way.
const emitAs = (
  format: "table" | "json" | "csv" | "html" | "xlsx",
  target: Option.Option<string>,
  what: string,
  render: {
    readonly table: () => string
    readonly json: () => string
    readonly csv: () => string
    readonly html: () => string
    readonly xlsx: () => Promise<Uint8Array>
  }
) => {
  switch (format) {
    case "table":
      return emit(render.table(), target, "the table")
    case "json":
      return emit(render.json(), target, `the JSON ${what}`)
    case "csv":
      return emit(render.csv(), target, `the CSV ${what}`)
    case "html":
      return emit(render.html(), target, "the HTML report")
    case "xlsx":
      return emitBytes(render.xlsx, fileOf(target), "the workbook")
  }
}

/**
 * `utblick report --year Y`.
 *
 * @category indicators
 * @since 0.1.0
 */
export const report = Command.make(
  "report",
  {
    year: Flag.Int("year").pipe(Flag.withDescription("The year to report")),
    asOf: Flag.String("as-of").pipe(
      Flag.withDescription("Business time: the state as of this date (default YEAR-12-31)"),
      Flag.optional
    ),
    ...analysisFlags
  },
  (flags) =>
    Effect.gen(function* () {
      const { store: where } = yield* root
      const year = yield* yearOf(flags.year, "--year")
      const query: Analysis.Query = {
        store: Store.describe(Store.parse(where) as Store.StoreSpec),
        tenant: optional(flags.tenant),
        actorId: optional(flags.actor),
        grants: grantsOf(flags),
        asOf: yield* asOfDate(flags.asOf),
        knownAt: yield* knownAtInstant(flags.knownAt)
      }
      // Several tenants side by side: --tenant a,b,c or --tenant all.
      if (query.tenant !== undefined && (query.tenant.includes(",") || query.tenant === "all")) {
        return yield* runTenants(where, year, query, flags)
      }
      yield* Progress.note(`Computing the figures for ${year}…`)
      const result = yield* Effect.gen(function* () {
        yield* Extent.checkScope(
          yield* Extent.extent.pipe(Effect.mapError(storeProblem)),
          query.tenant,
          [year],
          yield* Analysis.currentYear
        )
        const q = yield* Analysis.withPopulations(
          query,
          query.tenant === undefined ? [] : [query.tenant]
        ).pipe(Effect.mapError(storeProblem))
        const result = yield* Analysis.report(year, q, { withSeries: flags.format === "html" }).pipe(
          Effect.mapError(storeProblem)
        )
        yield* Analysis.checkGrantFilterAfter(query, [query.tenant], [result.report]).pipe(
          Effect.catchTag(["EventStoreError", "EventDecodeError"], (e) => Effect.fail(storeProblem(e)))
        )
        yield* Analysis.checkNotEmpty([result.report], query.tenant)
        return result
      }).pipe(Store.withStore(where, { mustExist: true }))
      const target = defaultHtmlOut(`utblick-report-${year}.html`, flags.format, flags.out)
      return yield* emitAs(flags.format, target, "report", {
        table: () => withFilterLine(Text.report(result.report, flags.locale), query, flags.locale).join("\n"),
        json: () => Tabular.json(result, flags.locale),
        csv: () => Tabular.csv(result, flags.locale),
        html: () => Html.report(result, flags.locale),
        xlsx: () => Xlsx.workbook(result, flags.locale)
      })
    })
).pipe(
  Command.withDescription(
    "Indicators for one year: approval rate, granted money, allocation, leadership, memberships, trips …"
  ),
  Command.withExamples([
    {
      command: "utblick report --year 2022 --tenant region-norrbotten",
      description: "A table on the terminal"
    },
    {
      command: "utblick report --year 2022 --known-at 2023-03-15T00:00:00Z --format json",
      description: "As it was known then, with provenance"
    },
    {
      command: "utblick report --year 2022 --format html --out report.html",
      description: "One self-contained page with charts"
    }
  ])
)

/**
 * `utblick compare A B`.
 *
 * @category indicators
 * @since 0.1.0
 */
export const compare = Command.make(
  "compare",
  {
    years: Argument.Int("year").pipe(
      Argument.withDescription(
        "Two or more years; two give the pairwise comparison with scheme mappings, more a table with the change from the first to the last"
      ),
      Argument.between(2, 60)
    ),
    ...analysisFlags
  },
  (flags) =>
    Effect.gen(function* () {
      const { store: where } = yield* root
      const years: Array<number> = []
      for (const y of flags.years) years.push(yield* yearOf(y))
      const query: Analysis.Query = {
        store: Store.describe(Store.parse(where) as Store.StoreSpec),
        tenant: optional(flags.tenant),
        actorId: optional(flags.actor),
        grants: grantsOf(flags),
        knownAt: yield* knownAtInstant(flags.knownAt)
      }
      if (years.length > 2) return yield* runTrend(where, years, query, flags, true)
      const [a, b] = years as [number, number]
      yield* Progress.note(`Computing the figures for ${a} and ${b}…`)
      const result = yield* Effect.gen(function* () {
        yield* Extent.checkScope(
          yield* Extent.extent.pipe(Effect.mapError(storeProblem)),
          query.tenant,
          [a, b],
          yield* Analysis.currentYear
        )
        const q = yield* Analysis.withPopulations(
          query,
          query.tenant === undefined ? [] : [query.tenant]
        ).pipe(Effect.mapError(storeProblem))
        const result = yield* Analysis.compare([a, b], q, { withSeries: flags.format === "html" }).pipe(
          Effect.mapError(storeProblem)
        )
        yield* Analysis.checkGrantFilterAfter(query, [query.tenant], result.reports).pipe(
          Effect.catchTag(["EventStoreError", "EventDecodeError"], (e) => Effect.fail(storeProblem(e)))
        )
        yield* Analysis.checkNotEmpty(result.reports, query.tenant)
        return result
      }).pipe(Store.withStore(where, { mustExist: true }))
      const target = defaultHtmlOut(`utblick-report-${a}-${b}.html`, flags.format, flags.out)
      return yield* emitAs(flags.format, target, "comparison", {
        table: () =>
          withFilterLine(
            Text.comparison(result.comparison, query.tenant, flags.locale),
            query,
            flags.locale
          ).join("\n"),
        json: () => Tabular.json(result, flags.locale),
        csv: () => Tabular.csv(result, flags.locale),
        html: () => Html.comparison(result, flags.locale),
        xlsx: () => Xlsx.workbook(result, flags.locale)
      })
    })
).pipe(
  Command.withDescription(
    "Two years side by side, mapping old classification schemes onto new ones where a mapping is defined"
  ),
  Command.withExamples([
    { command: "utblick compare 2017 2022 --tenant region-norrbotten", description: "A table with changes" },
    {
      command: "utblick compare 2017 2022 --tenant region-norrbotten --format html",
      description: "Charts and tables in one file"
    }
  ])
)

const runTrend = (
  where: string,
  years: ReadonlyArray<number>,
  query: Analysis.Query,
  flags: {
    readonly format: "table" | "json" | "csv" | "html" | "xlsx"
    readonly locale: "sv" | "en"
    readonly out: Option.Option<string>
  },
  withChange: boolean
) =>
  Effect.gen(function* () {
    yield* Progress.note(`Computing the figures for ${years.length} years…`)
    const result = yield* Effect.gen(function* () {
      // A trend may reach beyond the data (those years show "–"); a comparison may not.
      yield* Extent.checkScope(
        yield* Extent.extent.pipe(Effect.mapError(storeProblem)),
        query.tenant,
        withChange ? years : [],
        yield* Analysis.currentYear
      )
      const q = yield* Analysis.withPopulations(query, query.tenant === undefined ? [] : [query.tenant]).pipe(
        Effect.mapError(storeProblem)
      )
      const result = yield* Analysis.trend(years, q).pipe(Effect.mapError(storeProblem))
      yield* Analysis.checkGrantFilterAfter(query, [query.tenant], result.reports).pipe(
        Effect.catchTag(["EventStoreError", "EventDecodeError"], (e) => Effect.fail(storeProblem(e)))
      )
      yield* Analysis.checkNotEmpty(result.reports, query.tenant)
      return result
    }).pipe(Store.withStore(where, { mustExist: true }))
    const sorted = result.years
    const target = defaultHtmlOut(
      `utblick-${withChange ? "compare" : "trend"}-${sorted[0]}-${sorted[sorted.length - 1]}.html`,
      flags.format,
      flags.out
    )
    return yield* emitAs(flags.format, target, "trend", {
      table: () =>
        withFilterLine(TrendReport.text(result, flags.locale, withChange), query, flags.locale).join("\n"),
      json: () => TrendReport.json(result, flags.locale),
      csv: () => TrendReport.csv(result, flags.locale),
      html: () => Html.trend(result, flags.locale, withChange),
      xlsx: () => Xlsx.workbook(result, flags.locale, withChange)
    })
  })

const runTenants = (
  where: string,
  year: number,
  query: Analysis.Query,
  flags: {
    readonly format: "table" | "json" | "csv" | "html" | "xlsx"
    readonly locale: "sv" | "en"
    readonly out: Option.Option<string>
  }
) =>
  Effect.gen(function* () {
    const result = yield* Effect.gen(function* () {
      const extent = yield* Extent.extent.pipe(Effect.mapError(storeProblem))
      const tenants =
        query.tenant === "all"
          ? [...extent.tenants.keys()].sort()
          : (query.tenant ?? "").split(",").map((t) => t.trim())
      // Every tenant of the store: one whose events do not reach the year is a column of "–", not
      // an error; tenants named one by one must each hold the year.
      if (query.tenant === "all")
        yield* Extent.checkScope(extent, undefined, [year], yield* Analysis.currentYear)
      else for (const t of tenants) yield* Extent.checkScope(extent, t, [year], yield* Analysis.currentYear)
      yield* Progress.note(`Computing the figures for ${tenants.length} tenants…`)
      const q = yield* Analysis.withPopulations(query, tenants).pipe(Effect.mapError(storeProblem))
      const result = yield* Analysis.acrossTenants(year, tenants, q).pipe(Effect.mapError(storeProblem))
      yield* Analysis.checkGrantFilterAfter(query, tenants, result.reports).pipe(
        Effect.catchTag(["EventStoreError", "EventDecodeError"], (e) => Effect.fail(storeProblem(e)))
      )
      yield* Analysis.checkNotEmptyTenants(result.reports, tenants, year)
      return result
    }).pipe(Store.withStore(where, { mustExist: true }))
    const target = defaultHtmlOut(`utblick-report-${year}-tenants.html`, flags.format, flags.out)
    return yield* emitAs(flags.format, target, "report", {
      table: () => withFilterLine(TrendReport.text(result, flags.locale), query, flags.locale).join("\n"),
      json: () => TrendReport.json(result, flags.locale),
      csv: () => TrendReport.csv(result, flags.locale),
      html: () => Html.trend(result, flags.locale),
      xlsx: () => Xlsx.workbook(result, flags.locale)
    })
  })

/**
 * `utblick trend --from A --to B`: every indicator for every year from A to B.
 *
 * @category indicators
 * @since 0.2.0
 */
export const trend = Command.make(
  "trend",
  {
    from: Flag.Int("from").pipe(Flag.withDescription("The first year")),
    to: Flag.Int("to").pipe(Flag.withDescription("The last year")),
    ...analysisFlags
  },
  (flags) =>
    Effect.gen(function* () {
      const { store: where } = yield* root
      const from = yield* yearOf(flags.from, "--from")
      const to = yield* yearOf(flags.to, "--to")
      if (to < from) {
        return yield* new UsageFailure({
          problem: `--to ${to} is before --from ${from}`,
          hint: "give the earlier year with --from"
        })
      }
      const query: Analysis.Query = {
        store: Store.describe(Store.parse(where) as Store.StoreSpec),
        tenant: optional(flags.tenant),
        actorId: optional(flags.actor),
        grants: grantsOf(flags),
        knownAt: yield* knownAtInstant(flags.knownAt)
      }
      const years = Array.from({ length: to - from + 1 }, (_, i) => from + i)
      return yield* runTrend(where, years, query, flags, false)
    })
).pipe(
  Command.withDescription(
    "Every indicator for every year of a span, each year as of its own end: a table, CSV, JSON or HTML with charts on a time axis"
  ),
  Command.withExamples([
    {
      command: "utblick trend --from 2013 --to 2024 --tenant lulea-kommun",
      description: "A table, one column per year"
    },
    {
      command: "utblick trend --from 2015 --to 2022 --tenant region-norrbotten --format csv --out trend.csv",
      description: "For Excel (sv: ; and decimal comma)"
    },
    {
      command: "utblick trend --from 2015 --to 2022 --format html",
      description: "Charts with gaps where a year has no data"
    }
  ])
)

/**
 * Prints a line (exported for the demo).
 *
 * @category utils
 * @since 0.1.0
 */
export const say = (line: string): Effect.Effect<void> => Console.log(line)
