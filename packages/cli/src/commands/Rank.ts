/**
 * `utblick rank INDICATOR --year Y`: the tenants of a store ranked by one indicator, optionally
 * per inhabitant (ADR 0019).
 *
 * @since 0.2.0
 */
import { Indicator } from "@utblick/indicators"
import { Effect, Option } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import * as Analysis from "../Analysis.js"
import * as Extent from "../Extent.js"
import { Finding, UsageFailure } from "../CliFailure.js"
import { emit, emitBytes } from "../Output.js"
import * as Progress from "../Progress.js"
import { root } from "../Root.js"
import * as Rank from "../report/Rank.js"
import * as Xlsx from "../report/Xlsx.js"
import * as Store from "../Store.js"
import { knownAt, knownAtInstant, optional, storeProblem } from "./Shared.js"

/**
 * `utblick rank`.
 *
 * @category indicators
 * @since 0.2.0
 */
export const rank = Command.make(
  "rank",
  {
    indicator: Argument.String("indicator").pipe(
      Argument.withDescription(
        `The indicator to rank by: ${Indicator.definitions.map((d) => d.id).join(", ")}`
      )
    ),
    year: Flag.Int("year").pipe(Flag.withDescription("The year")),
    tenant: Flag.String("tenant").pipe(
      Flag.withDescription("The tenants to rank, a,b,c (default: every tenant in the store)"),
      Flag.withDefault("all")
    ),
    perInhabitant: Flag.Boolean("per-inhabitant").pipe(
      Flag.withDescription("Rank by the figure per inhabitant (kr per invånare, per 1 000 invånare)"),
      Flag.withDefault(false)
    ),
    row: Flag.String("row").pipe(
      Flag.withDescription("Rank by this breakdown row of the indicator (its key, e.g. business-support)"),
      Flag.optional
    ),
    scheme: Flag.String("scheme").pipe(
      Flag.withDescription("For an indicator given per classification scheme: which scheme"),
      Flag.optional
    ),
    ascending: Flag.Boolean("ascending").pipe(
      Flag.withDescription("Smallest first (default: largest first)"),
      Flag.withDefault(false)
    ),
    actor: Flag.String("actor").pipe(
      Flag.withDescription("Count only this actor's memberships"),
      Flag.optional
    ),
    knownAt,
    format: Flag.Literals("format", ["table", "json", "csv", "xlsx"]).pipe(Flag.withDefault("table")),
    locale: Flag.Literals("locale", ["sv", "en"]).pipe(Flag.withDefault("sv")),
    out: Flag.String("out").pipe(Flag.withDescription("Write to FILE instead of stdout"), Flag.optional)
  },
  (flags) =>
    Effect.gen(function* () {
      const { store: where } = yield* root
      const definition = Indicator.definitions.find((d) => d.id === flags.indicator)
      if (definition === undefined) {
        return yield* new UsageFailure({
          problem: `no indicator ${JSON.stringify(flags.indicator)}`,
          hint: `give one of: ${Indicator.definitions.map((d) => d.id).join(", ")}`
        })
      }
      const row = optional(flags.row)
      if (flags.perInhabitant && row !== undefined) {
        return yield* new UsageFailure({
          problem: "--per-inhabitant and --row cannot be combined",
          hint: "rank by the headline per inhabitant (--per-inhabitant) or by one row (--row KEY)"
        })
      }
      if (
        flags.perInhabitant &&
        definition.unit !== "ore" &&
        definition.unit !== "count" &&
        definition.unit !== "jobs" &&
        definition.unit !== "kg-co2e"
      ) {
        return yield* new UsageFailure({
          problem: `${definition.id} is a ${definition.unit}, which has no per-inhabitant figure`,
          hint: "per inhabitant applies to amounts (kronor, counts, jobs, kg CO2e); rank this one without --per-inhabitant"
        })
      }
      const query: Analysis.Query = {
        store: Store.describe(Store.parse(where) as Store.StoreSpec),
        actorId: optional(flags.actor),
        knownAt: yield* knownAtInstant(flags.knownAt)
      }
      const by: Rank.By = {
        indicator: definition.id,
        row,
        scheme: optional(flags.scheme),
        perInhabitant: flags.perInhabitant,
        ascending: flags.ascending
      }
      const { ranking, manifest } = yield* Effect.gen(function* () {
        const extent = yield* Extent.extent.pipe(Effect.mapError(storeProblem))
        const tenants =
          flags.tenant === "all"
            ? [...extent.tenants.keys()].sort()
            : flags.tenant.split(",").map((t) => t.trim())
        // Every tenant of the store: one whose events do not reach the year is a column of "–", not
        // an error; tenants named one by one must each hold the year.
        if (flags.tenant === "all")
          yield* Extent.checkScope(extent, undefined, [flags.year], yield* Analysis.currentYear)
        else
          for (const t of tenants)
            yield* Extent.checkScope(extent, t, [flags.year], yield* Analysis.currentYear)
        yield* Progress.note(`Computing the figures for ${tenants.length} tenants…`)
        const q = yield* Analysis.withPopulations(query, tenants).pipe(Effect.mapError(storeProblem))
        const result = yield* Analysis.acrossTenants(flags.year, tenants, q).pipe(
          Effect.mapError(storeProblem)
        )
        const ranking = Rank.rank(result, by)
        if (row !== undefined && ranking.entries.every((e) => e.rank === null)) {
          // An unknown row key: name the rows the indicator has.
          const keys = [
            ...new Set(
              result.reports.flatMap((r) =>
                r.values.filter((v) => v.id === definition.id).flatMap((v) => v.breakdown.map((b) => b.key))
              )
            )
          ]
          if (keys.length > 0 && !keys.includes(row)) {
            return yield* new Finding({
              problem: `${definition.id} has no row ${JSON.stringify(row)} in ${flags.year}`,
              details: [`  rows: ${keys.join(", ")}`],
              hint: "give one of the row keys above with --row"
            })
          }
        }
        if (ranking.entries.every((e) => e.rank === null)) {
          const why = flags.perInhabitant
            ? "no tenant has both a value and a population figure for that year"
            : "no tenant has a value for it that year"
          return yield* new Finding({
            problem: `nothing to rank: ${definition.id}${row === undefined ? "" : ` row ${row}`} in ${flags.year}: ${why}`,
            details: ranking.entries.map(
              (e) =>
                `  ${e.tenant}: ${e.missing === "no-population" ? "no population recorded for the year" : "no value"}`
            ),
            hint: flags.perInhabitant
              ? `record population figures (utblick import FILE --kind population) or rank without --per-inhabitant`
              : "check the year, the indicator and --row (utblick report --year Y --tenant T shows what exists)"
          })
        }
        return { ranking, manifest: result.manifest }
      }).pipe(Store.withStore(where, { mustExist: true }))
      const target: Option.Option<string> = flags.out
      switch (flags.format) {
        case "table":
          return yield* emit(Rank.text(ranking, flags.locale).join("\n"), target, "the ranking")
        case "csv":
          return yield* emit(Rank.csv(ranking, flags.locale), target, "the CSV ranking")
        case "json":
          return yield* emit(Rank.json(ranking, flags.locale, manifest), target, "the JSON ranking")
        case "xlsx":
          return yield* emitBytes(
            () => Xlsx.rankingWorkbook(ranking, flags.locale, manifest),
            Option.getOrElse(target, () => `utblick-rank-${definition.id}-${flags.year}.xlsx`),
            "the workbook"
          )
      }
    })
).pipe(
  Command.withDescription(
    "Tenants ranked by one indicator for one year, optionally per inhabitant (population figures recorded with RecordPopulation)"
  ),
  Command.withExamples([
    {
      command: "utblick rank granted-by-instrument --year 2023 --per-inhabitant",
      description: "Granted money per inhabitant, largest first"
    },
    {
      command: "utblick rank trip-co2e --year 2024 --ascending",
      description: "CO2e of official trips, smallest first"
    }
  ])
)
