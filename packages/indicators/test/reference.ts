// Renders the indicator reference from the definitions (shared by the script and the test).
import { Indicator } from "@utblick/indicators"

const units: Record<Indicator.Unit, string> = {
  percent: "percent (one decimal, half away from zero, exact from integers)",
  "whole-percent": "whole percent (largest remainder, summing to 100, as the reports publish them)",
  count: "count",
  ore: "kronor (kept as integer öre, shown as whole kronor); breakdown shares in percent by largest remainder",
  ratio: "ratio (two decimals, half away from zero, exact)",
  "kg-co2e": "kg CO2e (one decimal)",
  jobs: "persons (expected new jobs)"
}

export const renderReference = (): string => {
  const lines = [
    "# Indicator reference",
    "",
    "Generated from the definitions in `packages/indicators/src/family/` (one module per event family,",
    "listed in reporting order by `Indicator.definitions`) by `packages/indicators/scripts/reference.ts`;",
    "`test/reference.test.ts` fails when this file is out of date. Each indicator is computed per year",
    "from the read models as of the end of that year (or any `asOf` / `knownAt`), optionally per tenant.",
    "",
    "Money is integer öre. Shares are computed from integers and apportioned by the largest-remainder",
    "method so that shares meant to sum to 100 % do (see `Share.ts`). A year's grants are those charged",
    "to its budget; its applications those received in it; its rejections those decided in it.",
    "",
    "**Units and rounding.** Every value and every breakdown row carries its unit (`unit` on each row).",
    "Single ratios and percentages are rounded half away from zero, exactly from the integers (201 / 200",
    "gives 1.01, 1 / 8 gives 12.5 %), never from a binary float; `Format.ts` turns a value into text for",
    "every output — Swedish by default (`81,7 %`, `58 700 000 kr` with no-break spaces, `−5,5 p.e.`),",
    "English with `--locale en`. **No data is not zero:** an indicator with nothing to count in a year",
    "(no business support, no trips, no EU co-financing recorded) is absent and shown as `–`; 0 is a value.",
    "",
    "| id | indicator | unit | formula | fed by |",
    "|---|---|---|---|---|"
  ]
  for (const d of Indicator.definitions) {
    lines.push(
      `| \`${d.id}\` (v${d.version}) | ${d.title} | ${units[d.unit]} | ${d.formula} | ${d.feeds.map((f) => `\`${f}\``).join(", ")} |`
    )
  }
  lines.push(
    "",
    "## Per inhabitant",
    "",
    "For a tenant with population figures (`PopulationRecorded`, see",
    "[statistics](../domain/statistics.md)), every indicator whose headline is an amount gets one more",
    "breakdown row: money in kronor per inhabitant (key `per-inhabitant`: öre ÷ inhabitants, whole",
    "öre, half away from zero; shown in whole kronor), counts, jobs and kg CO2e per 1 000 inhabitants",
    "(key `per-1000-inhabitants`: value × 1 000 ÷ inhabitants, two decimals). The divisor is the",
    "population on 31 December of the year reported; a year without a recorded figure is no data",
    '(`null`, "–"), never zero and never another year\'s figure. Percentages and ratios get no such',
    "row. (`@utblick/indicators` `PerInhabitant`; ADR 0019.)",
    "",
    "## Seed checks",
    "",
    "The acceptance tests in `examples/norrbotten-funding/test/indicators.test.ts` and",
    "`examples/lulea-international/test/indicators.test.ts` read these through the API from the",
    "replayed seed histories:",
    "",
    "| indicator | 2017 | 2022 | source |",
    "|---|---|---|---|",
    "| `approval-rate` | 138 / 169 = 81.7 % | 125 / 164 = 76.2 % | 002:805; 003:3907-3909 |",
    "| `leadership-shares` | 29 / 56 / 15 % | 24 / 66 / 10 % | 002:865-868; 003:3935-3937 |",
    "| `granted-by-category` (2017 classification) | 7 categories, SEK 88,340,842; 5.4 / 11.6 / 0.6 / 7.6 / 3.4 / 25.9 / 45.5 % | — | 002:947-962 |",
    "| `allocation-by-priority` | — | 32.3 / 120.1 / 1.4 / 5.3 / 12 mkr (171.1) | 003:3869-3880 |",
    "| `allocation-by-instrument` | — | 61 / 34 / 5 % | 003:3883-3884 |",
    "| `eu-co-financing` | — | 46 of 125 decisions (36.8 %), 42.5 decision-equivalents | 003:3939-3947 |",
    "| `investment-leverage` | 3.29 | 3.12 | 002:839-840; 003:1212-1217 |",
    "| `expected-jobs` | 392 | 200 | 002:861-863; 003:1229-1237 |",
    "| `active-memberships` (Luleå kommun, 2024) | 5 | | 000:84-88 |",
    "",
    "## Comparing years",
    "",
    "`Compare.compareYears` matches values by indicator and scheme. When the earlier year is",
    "classified in scheme X and the later in Y, and a `SchemeMappingDefined` X → Y exists, the earlier",
    "breakdown is carried into Y's categories: targets that share a source are grouped (`A+B`),",
    "codes with no pair go to `unmapped`, and target codes nothing maps into are listed as having no",
    "counterpart. Totals are preserved (property-tested). Without a mapping, the pair is listed under",
    "`notComparable` with the reason.",
    ""
  )
  return lines.join("\n")
}
